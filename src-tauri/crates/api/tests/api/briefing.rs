//! The demo executive's briefing against golden files: the text and the HTML of Tuesday 24
//! and Thursday 26 November 2026 (a London day) at the fixed `now`. A difference fails with
//! both versions shown; `TANDEM_BLESS=1` rewrites the files, on purpose and never silently.

use std::path::PathBuf;

use tandem_api::briefing::{BriefingFormat, Edition};

use super::{day, now, open_demo};

fn golden(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(name);
    if std::env::var_os("TANDEM_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("no golden file {}: run with TANDEM_BLESS=1 once, then read it", path.display()));
    if expected != actual {
        let first = expected.lines().zip(actual.lines()).position(|(a, b)| a != b).unwrap_or(0);
        panic!(
            "{} differs from the briefing now made, first at line {}:\n  golden: {:?}\n  now:    {:?}\n(TANDEM_BLESS=1 rewrites it)",
            path.display(),
            first + 1,
            expected.lines().nth(first),
            actual.lines().nth(first)
        );
    }
}

#[test]
fn the_demo_briefings_match_their_golden_text_and_html() {
    let (_d, t) = open_demo();
    for date in ["2026-11-24", "2026-11-26"] {
        let b = t.briefing(None, day(date), Edition::Morning, now()).unwrap();
        golden(&format!("briefing-{date}.txt"), &b.to_text());
        golden(&format!("briefing-{date}.html"), &b.to_html());
    }
    // The evening before the London day: the flight out is still to come tonight.
    let evening = "2026-11-25T23:00:00Z".parse().unwrap();
    let b = t.briefing(None, day("2026-11-26"), Edition::Evening, evening).unwrap();
    golden("briefing-2026-11-26-evening.txt", &b.to_text());
    golden("briefing-2026-11-26-evening.html", &b.to_html());
}

#[test]
fn a_london_day_calls_out_the_flight_the_change_of_clocks_the_hotel_and_the_travel_between_places() {
    let (_d, t) = open_demo();
    let b = t.briefing(None, day("2026-11-26"), Edition::Morning, now()).unwrap();
    assert_eq!(b.zone, chrono_tz::Europe::London);
    assert_eq!(b.other_zone, Some(chrono_tz::America::New_York));
    assert_eq!(b.zone_reason.as_deref(), Some("Flight BA 178 JFK → LHR lands 07:35"));
    assert!(b.stay.as_deref().is_some_and(|s| s.starts_with("Hotel: The Langham, London")), "{:?}", b.stay);
    let flight = &b.meetings[0];
    assert_eq!((flight.title.as_str(), flight.when().as_str()), ("Flight BA 178 JFK → LHR", "→ 07:35"));
    assert_eq!(
        flight.journey.as_deref(),
        Some("leaves 19:30 New York time (Wed), lands 07:35 London time (Thu); London is 5 h ahead of New York")
    );
    let by_title =
        |t: &str| b.meetings.iter().find(|m| m.title == t).unwrap_or_else(|| panic!("{t} in {:?}", b.meetings));
    assert_eq!(
        by_title("Customer visit: Fabrikam HQ").travel_before.as_deref(),
        Some("2 h 25 min after Flight BA 178 JFK → LHR lands")
    );
    assert_eq!(
        by_title("Lunch with UK country manager").travel_before.as_deref(),
        Some("leave Fabrikam, 1 Canada Square, London by 12:30 (30 min allowed)")
    );
    let review = by_title("Sales pipeline review (moved)");
    assert_eq!(
        (review.place.as_deref(), review.dial_in.as_deref()),
        (None, Some("Video call")),
        "a call has no place to be"
    );
    assert_eq!(review.travel_before, None);
    let visit = by_title("Customer visit: Fabrikam HQ");
    assert!(visit.prep[0].starts_with("Henrik wants a yes"), "{:?}", visit.prep);
    assert_eq!(visit.threads, ["Contract for signature: Fabrikam MSA"]);
}

#[test]
fn decisions_are_one_line_per_subject_and_the_flagged_message_shows_once() {
    let (_d, t) = open_demo();
    let b = t.briefing(None, day("2026-11-24"), Edition::Morning, now()).unwrap();
    let subjects: Vec<String> =
        b.decisions.iter().map(|d| tandem_core::briefing::subject_key(d.split(" (from ").next().unwrap())).collect();
    let mut unique = subjects.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), subjects.len(), "a subject repeats: {:?}", b.decisions);
    assert!(
        b.decisions.iter().any(|d| d.starts_with("URGENT: press inquiry about the recall rumour (from ")),
        "{:?}",
        b.decisions
    );
    assert_eq!(b.flagged.len(), 1, "{:?}", b.flagged);
    assert!(b.flagged[0].starts_with("Customer win: Contoso expansion (from "), "{:?}", b.flagged);
}

#[test]
fn changes_are_counted_from_the_last_briefing_delivered_and_holds_and_undone_answers_are_not_changes() {
    let (dir, mut t) = open_demo();
    let first = t.briefing(None, day("2026-11-24"), Edition::Morning, now()).unwrap();
    let since = first.changes_since.expect("the demo delivered last night's briefing");
    assert_eq!(since, "2026-11-24T00:00:00Z".parse::<chrono::DateTime<chrono::Utc>>().unwrap());
    assert!(!first.changes.is_empty());
    assert!(first.changes.iter().all(|c| !c.contains("Held for review")), "{:?}", first.changes);
    assert!(first.changes.iter().any(|c| c.starts_with("Team drinks: Declined")), "{:?}", first.changes);

    let at = now() + chrono::Duration::minutes(5);
    let file = dir.path().join("out.pdf");
    t.export_briefing(None, day("2026-11-24"), Edition::Morning, BriefingFormat::Pdf, &file, at).unwrap();
    assert!(std::fs::read(&file).unwrap().starts_with(b"%PDF-"));
    let later = at + chrono::Duration::minutes(5);
    let next = t.briefing(None, day("2026-11-24"), Edition::Morning, later).unwrap();
    assert_eq!(next.changes_since, Some(at));
    assert!(next.changes.is_empty(), "nothing changed since the export: {:?}", next.changes);
    // A briefing made as of before the export still counts from the one before it.
    assert_eq!(t.briefing(None, day("2026-11-24"), Edition::Morning, at).unwrap().changes_since, Some(since));

    // A move approved after the export is the next briefing's change.
    let plan = t.schedule(None, day("2026-11-24"), 1, later).unwrap();
    let moves = plan.proposals[0].moves.clone();
    t.approve_moves(None, &moves, later).unwrap();
    let after = t.briefing(None, day("2026-11-24"), Edition::Morning, later + chrono::Duration::minutes(1)).unwrap();
    assert!(
        !after.changes.is_empty() && after.changes.iter().any(|c| c.contains("1:1 Priya / Dana")),
        "{:?}",
        after.changes
    );

    // A failed export records nothing.
    let bad = dir.path().join("no/such/dir/b.pdf");
    let err = t
        .export_briefing(
            None,
            day("2026-11-24"),
            Edition::Morning,
            BriefingFormat::Text,
            &bad,
            later + chrono::Duration::minutes(2),
        )
        .unwrap_err();
    assert_eq!(err.code, tandem_api::ErrorCode::File);
    let again = t.briefing(None, day("2026-11-24"), Edition::Morning, later + chrono::Duration::minutes(3)).unwrap();
    assert_eq!(again.changes_since, Some(at));
}

#[test]
fn a_prep_note_is_set_on_a_meeting_or_one_instance_and_shows_in_the_briefing() {
    let (_d, mut t) = open_demo();
    let range = t.calendar_range(None, day("2026-11-24"), 1).unwrap();
    let checkin = range.items.iter().find(|i| i.summary == "Daily check-in with Sam").unwrap();
    let uid = checkin.uid.clone();
    t.set_prep_note(None, &uid, None, "Sign the expense report", now()).unwrap();
    t.set_prep_note(None, &uid, checkin.recurrence_id.as_deref(), "Today: the offsite budget", now()).unwrap();
    let b = t.briefing(None, day("2026-11-24"), Edition::Morning, now()).unwrap();
    let m = b.meetings.iter().find(|m| m.title == "Daily check-in with Sam").unwrap();
    assert_eq!(m.prep, ["Today: the offsite budget"]);
    let tomorrow = t.briefing(None, day("2026-11-25"), Edition::Morning, now()).unwrap();
    let m = tomorrow.meetings.iter().find(|m| m.title == "Daily check-in with Sam").unwrap();
    assert_eq!(m.prep, ["Sign the expense report"], "the series' note on the other days");
    let missing = t.set_prep_note(None, "no-such-uid", None, "x", now()).unwrap_err();
    assert_eq!(missing.code, tandem_api::ErrorCode::NotFound);
    let long = t.set_prep_note(None, &uid, None, &"x".repeat(1001), now()).unwrap_err();
    assert_eq!(long.code, tandem_api::ErrorCode::InvalidInput);
}

#[test]
fn the_briefing_pdf_holds_the_days_text() {
    let (_d, t) = open_demo();
    let pdf = tandem_api::briefing::pdf(&t.briefing(None, day("2026-11-26"), Edition::Morning, now()).unwrap());
    assert!(pdf.starts_with(b"%PDF-"));
    // The text is checked by extracting it (pdftotext) where poppler-utils is installed.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("b.pdf");
    std::fs::write(&file, &pdf).unwrap();
    match std::process::Command::new("pdftotext").arg(&file).arg("-").output() {
        Ok(out) if out.status.success() => {
            let text = String::from_utf8_lossy(&out.stdout);
            for expected in [
                "Dana Okafor",
                "Thursday 26 November 2026",
                "Customer visit: Fabrikam HQ",
                "Europe/London",
                "Henrik wants a yes on the pilot scope",
            ] {
                assert!(text.contains(expected), "'{expected}' is not in the PDF's text:\n{text}");
            }
        }
        _ => panic!("pdftotext (poppler-utils) is needed to read the PDF back: `make deps` installs it"),
    }
}

#[test]
fn the_briefing_is_queued_as_a_mail_to_the_executive_with_the_pdf_attached() {
    let (_d, mut t) = open_demo();
    let item = t.email_briefing(None, day("2026-11-24"), Edition::Morning, now()).unwrap();
    assert_eq!(
        (item.state.as_str(), item.recipients.as_slice()),
        ("queued", &["dana.okafor@northwind.example".to_string()][..])
    );
    let raw = t.outbox_message(None, item.id).unwrap();
    let parsed = tandem_formats::mail::parse_message(&raw, now()).unwrap().message;
    assert_eq!(parsed.subject, "Briefing: Tuesday 24 November");
    assert_eq!(parsed.from.address, "sam.rivera@northwind.example");
    assert!(parsed.has_html);
    assert!(parsed.body_text.starts_with("Dana Okafor: Tuesday 24 November 2026"), "{}", parsed.body_text);
    let files = tandem_formats::mail::attached_files(&raw);
    assert_eq!(files.len(), 1);
    assert!(files[0].bytes.starts_with(b"%PDF-") && files[0].name == "Briefing Dana Okafor 2026-11-24.pdf");
    let next = t.briefing(None, day("2026-11-24"), Edition::Morning, now() + chrono::Duration::seconds(1)).unwrap();
    assert_eq!(next.changes_since, Some(now()), "the mail counts as the last briefing");
    t.cancel_outbox(None, item.id).unwrap();
    let after = t.briefing(None, day("2026-11-24"), Edition::Morning, now() + chrono::Duration::seconds(1)).unwrap();
    assert_ne!(after.changes_since, Some(now()), "a mail taken back is no delivery");
    assert_eq!(t.cancel_outbox(None, item.id).unwrap_err().code, tandem_api::ErrorCode::Conflict);
}
