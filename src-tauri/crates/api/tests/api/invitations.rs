use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use tandem_api::dto::Answer;
use tandem_api::{ErrorCode, Tandem};

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

const PROFILE: &str = r#"id = "dana"
name = "Dana Okafor"
addresses = ["dana@northwind.example"]
home_time_zone = "America/New_York"
our_domains = ["northwind.example"]

[assistant]
name = "Sam Rivera"
address = "sam@northwind.example"

[working_hours]
mon = "09:00-17:00"
tue = "09:00-17:00"
wed = "09:00-17:00"
thu = "09:00-17:00"
fri = "09:00-17:00"

[groups]
board = ["chair@board.example"]
"#;

pub fn store() -> (tempfile::TempDir, Tandem) {
    let dir = tempfile::tempdir().unwrap();
    let mut t = Tandem::open(Some(dir.path().to_path_buf())).unwrap();
    t.save_profile(PROFILE).unwrap();
    (dir, t)
}

/// An iMIP mail from the board chair carrying `vevents` with `method`.
pub fn mail(dir: &Path, name: &str, method: &str, vevents: &str) -> PathBuf {
    let ics = format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Board//EN\r\nMETHOD:{method}\r\n{vevents}END:VCALENDAR\r\n"
    );
    let raw = format!(
        "From: Board Chair <chair@board.example>\r\nTo: dana@northwind.example\r\nSubject: {method}\r\n\
Message-ID: <{name}@board.example>\r\nDate: Mon, 23 Nov 2026 10:00:00 -0500\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/alternative; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n{method}\r\n\
--b\r\nContent-Type: text/calendar; charset=utf-8; method={method}\r\n\r\n{ics}\r\n--b--\r\n"
    );
    let path = dir.join(format!("{name}.eml"));
    std::fs::write(&path, raw).unwrap();
    path
}

/// The weekly board sync, Mondays 10:00 New York from 30 November, as the chair sends it.
fn series(seq: u32, extra: &str) -> String {
    format!(
        "BEGIN:VEVENT\r\nUID:board-sync@board.example\r\nDTSTAMP:20261123T150000Z\r\nSEQUENCE:{seq}\r\n\
DTSTART;TZID=America/New_York:20261130T100000\r\nDTEND;TZID=America/New_York:20261130T110000\r\n\
SUMMARY:Board sync\r\nORGANIZER;CN=Board Chair:mailto:chair@board.example\r\n\
ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:dana@northwind.example\r\n{extra}END:VEVENT\r\n"
    )
}

fn instance(seq: u32, rid: &str, extra: &str) -> String {
    format!(
        "BEGIN:VEVENT\r\nUID:board-sync@board.example\r\nDTSTAMP:20261124T150000Z\r\nSEQUENCE:{seq}\r\n\
RECURRENCE-ID;TZID=America/New_York:{rid}\r\nSUMMARY:Board sync\r\n\
ORGANIZER;CN=Board Chair:mailto:chair@board.example\r\n\
ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:dana@northwind.example\r\n{extra}END:VEVENT\r\n"
    )
}

/// The series' instances in December, as the grid shows them (`MM-DDTHH:MM`).
fn december(t: &Tandem) -> Vec<String> {
    let range = t.calendar_range(None, NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(), 35).unwrap();
    range.items.iter().filter(|i| i.summary.starts_with("Board sync")).map(|i| i.view_start[5..].to_string()).collect()
}

#[test]
fn a_series_invited_by_mail_is_answered_moved_cancelled_in_part_and_then_whole() {
    let (dir, mut t) = store();
    let now = at("2026-11-24T14:00:00Z");
    let first = mail(dir.path(), "invite", "REQUEST", &series(0, "RRULE:FREQ=WEEKLY;COUNT=5\r\n"));
    let r = t.import_files(None, &[first], now).unwrap();
    assert_eq!(r.files[0].invitations, 1);
    // No rules yet: held for the EP, and on the grid as not answered.
    let q = t.invitation_queue(None).unwrap();
    assert_eq!(q.held.len(), 1);
    assert_eq!(q.held[0].decision.as_ref().unwrap().reason, "Held for review: no rule matched");
    assert_eq!(december(&t), ["11-30T10:00", "12-07T10:00", "12-14T10:00", "12-21T10:00", "12-28T10:00"]);

    let d = t.answer_invitation(None, q.held[0].id, &Answer::Accept { message: None }, now).unwrap();
    assert_eq!(d.decider, "person");
    assert_eq!(d.outbox.len(), 1);
    assert_eq!(d.outbox[0].send_after, "2026-11-24T14:01:00Z", "the EP's own answer waits a minute for an undo");

    // The chair moves the 7 December instance to 15:00.
    let moved = instance(
        1,
        "20261207T100000",
        "DTSTART;TZID=America/New_York:20261207T150000\r\nDTEND;TZID=America/New_York:20261207T160000\r\n",
    );
    let r = t.import_files(None, &[mail(dir.path(), "move", "REQUEST", &moved)], now).unwrap();
    assert_eq!(r.files[0].changes, ["Board sync: updated the instance of 2026-12-07T10:00:00-05:00"]);
    assert_eq!(december(&t)[1], "12-07T15:00");
    // The moved instance asks for an answer of its own.
    assert_eq!(t.invitation_queue(None).unwrap().held.len(), 1);

    // The chair cancels the 14 December instance, then everything from 28 December on.
    let cancel_one = instance(2, "20261214T100000", "STATUS:CANCELLED\r\n");
    t.import_files(None, &[mail(dir.path(), "cancel-one", "CANCEL", &cancel_one)], now).unwrap();
    assert_eq!(december(&t), ["11-30T10:00", "12-07T15:00", "12-21T10:00", "12-28T10:00"]);
    let cancel_rest = instance(3, "20261228T100000", "STATUS:CANCELLED\r\n")
        .replace("RECURRENCE-ID;", "RECURRENCE-ID;RANGE=THISANDFUTURE;");
    t.import_files(None, &[mail(dir.path(), "cancel-rest", "CANCEL", &cancel_rest)], now).unwrap();
    assert_eq!(december(&t), ["11-30T10:00", "12-07T15:00", "12-21T10:00"]);

    // The first invitation arrives again late (a mail client re-delivering): older than what
    // is held, so nothing changes.
    let again = mail(dir.path(), "invite-again", "REQUEST", &series(0, "RRULE:FREQ=WEEKLY;COUNT=5\r\n"));
    let r = t.import_files(None, &[again], now).unwrap();
    assert!(
        r.files[0].changes[0].ends_with("not applied: Board sync: older than the copy held (SEQUENCE 0 against 3)"),
        "{:?}",
        r.files[0].changes
    );
    assert_eq!(december(&t).len(), 3);

    // The whole meeting is cancelled: gone from the grid, its invitations withdrawn.
    let cancel_all = series(4, "STATUS:CANCELLED\r\n");
    t.import_files(None, &[mail(dir.path(), "cancel-all", "CANCEL", &cancel_all)], now).unwrap();
    assert!(december(&t).is_empty());
    let q = t.invitation_queue(None).unwrap();
    assert!(q.held.is_empty() && q.pending.is_empty());
    let err = t.answer_invitation(None, d.invitation_id.unwrap(), &Answer::Decline { message: None }, now).unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict);
    assert!(err.message.contains("cancelled by its organiser"), "{}", err.message);
}

#[test]
fn invalid_rules_are_refused_naming_the_rule_and_field_and_the_rules_in_force_stay() {
    let (_dir, mut t) = store();
    let now = at("2026-11-24T14:00:00Z");
    let good = "[[rule]]\nname = \"Board yes\"\naction = \"accept\"\nwhen = { organizer = [\"board\"] }\n";
    t.save_rules(None, good, now).unwrap();
    let bad = "[[rule]]\nname = \"Board yes\"\naction = \"accept\"\nwhen = { organiser = [\"board\"] }\n";
    let err = t.save_rules(None, bad, now).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidRules);
    assert_eq!(
        err.message,
        "rule 1 'Board yes': `when.organiser`: unknown field `organiser`, expected one of `organizer`, `attendee`, `title`, \
`calendar`, `weekdays`, `time`, `outside_working_hours`, `duration_minutes`, `lead_hours`, `recurring`, \
`attendee_count`, `role`, `conflicts_with`, `in_person_elsewhere`"
    );
    let doc = t.rules_document(None).unwrap();
    assert_eq!((doc.toml.as_str(), doc.saved, doc.rules.len()), (good, true, 1));
    // The form writes the same document and goes through the same validation.
    let mut fields = doc.rules.clone();
    fields[0].when.insert("weekdays".into(), serde_json::json!(["someday"]));
    let err = t.save_rule_fields(None, &fields, now).unwrap_err();
    assert!(err.message.contains("`when.weekdays[0]`: 'someday' is not one of mon"), "{}", err.message);
    fields[0].when.insert("weekdays".into(), serde_json::json!(["mon", "tue"]));
    let saved = t.save_rule_fields(None, &fields, now).unwrap();
    assert!(saved.toml.contains("weekdays = [\"mon\", \"tue\"]"), "{}", saved.toml);
}

#[test]
fn a_profile_change_that_breaks_the_saved_rules_holds_invitations_and_says_why() {
    let (dir, mut t) = store();
    let now = at("2026-11-24T14:00:00Z");
    t.save_rules(
        None,
        "[[rule]]\nname = \"Board yes\"\naction = \"accept\"\nwhen = { organizer = [\"board\"] }\n",
        now,
    )
    .unwrap();
    t.save_profile(&PROFILE.replace("board = [", "trustees = [")).unwrap();
    let invite = mail(dir.path(), "invite", "REQUEST", &series(0, ""));
    let r = t.import_files(None, &[invite], now).unwrap();
    assert!(r.decided.is_empty());
    let why = r.rules_error.unwrap();
    assert!(why.contains("no longer fit the profile") && why.contains("'board'"), "{why}");
    assert_eq!(t.invitation_queue(None).unwrap().pending.len(), 1, "waiting, not lost");
}

#[test]
fn the_ep_overrides_a_rules_decision_and_nothing_can_be_undone_once_sent() {
    let (dir, mut t) = store();
    let now = at("2026-11-24T14:00:00Z");
    t.save_rules(
        None,
        "[[rule]]\nname = \"Board yes\"\naction = \"accept\"\nwhen = { organizer = [\"board\"] }\n",
        now,
    )
    .unwrap();
    let r = t.import_files(None, &[mail(dir.path(), "invite", "REQUEST", &series(0, ""))], now).unwrap();
    let auto = &r.decided[0];
    assert_eq!((auto.action.as_str(), auto.rule.as_deref()), ("accept", Some("Board yes")));
    assert_eq!(auto.outbox[0].send_after, "2026-11-24T14:15:00Z", "a rule's reply waits 15 minutes");
    let inv = auto.invitation_id.unwrap();

    // The EP declines instead: the rule's reply is taken back, the EP's goes out.
    let mine = t.answer_invitation(None, inv, &Answer::Decline { message: Some("Travelling".into()) }, now).unwrap();
    let log = t.decisions(None, None, None, None, None).unwrap();
    assert_eq!(log.len(), 3, "the rule's decision, its undo and the EP's answer");
    assert!(log.iter().any(|d| d.id == auto.id && d.undone_at.is_some()));
    let outbox = t.outbox(None).unwrap();
    assert_eq!(
        outbox.iter().map(|o| (o.summary.as_str(), o.state.as_str())).collect::<Vec<_>>(),
        [("Declined: Board sync to Board Chair", "queued"), ("Accepted: Board sync to Board Chair", "cancelled"),]
    );
    let message = String::from_utf8(t.outbox_message(None, mine.outbox[0].id).unwrap()).unwrap();
    assert!(message.contains("Sender: \"Sam Rivera\" <sam@northwind.example>"), "{message}");
    assert!(message.contains("In-Reply-To: <invite@board.example>"), "{message}");

    // The replay sends it (here: the store marks it, as the sender will): too late to undo.
    let store = tandem_store::Store::open_dir(dir.path()).unwrap();
    let claimed =
        store.claim_outbox_item("dana", at("2026-11-24T14:05:00Z"), tandem_store::OutboxKind::MAILED).unwrap().unwrap();
    store.mark_outbox_sent(claimed.id, at("2026-11-24T14:05:01Z")).unwrap();
    let err = t.undo_decision(None, mine.id, now).unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict);
    assert!(err.message.starts_with("too late to undo"), "{}", err.message);
    assert!(!t.decisions(None, Some("decline"), None, None, None).unwrap()[0].undoable);
}

#[test]
fn a_dry_run_shows_what_a_draft_would_change_without_saving_it() {
    let (dir, mut t) = store();
    let now = at("2026-11-24T14:00:00Z");
    t.import_files(None, &[mail(dir.path(), "invite", "REQUEST", &series(0, ""))], now).unwrap();
    let draft = "[[rule]]\nname = \"Board yes\"\naction = \"accept\"\nwhen = { organizer = [\"board\"] }\n";
    let run = t.dry_run(None, Some(draft), 90, now).unwrap();
    assert_eq!(run.rows.len(), 1);
    let row = &run.rows[0];
    assert_eq!(
        (row.current_action.as_deref(), row.action.as_str(), row.changed),
        (Some("hold_for_review"), "accept", true)
    );
    assert_eq!(run.totals.get("accept"), Some(&1));
    assert!(!t.rules_document(None).unwrap().saved, "a dry run saves nothing");
    let err = t.dry_run(None, Some("[[rule]]\nname = \"x\"\n"), 90, now).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidRules);
    assert_eq!(t.dry_run(None, None, 0, now).unwrap_err().code, ErrorCode::InvalidInput);
}

#[test]
fn an_invitation_accepted_in_a_batch_counts_as_busy_for_the_next_one_even_in_an_empty_calendar() {
    let (dir, mut t) = store();
    let now = at("2026-11-24T14:00:00Z");
    let rules = "[[rule]]\nname = \"Clashes wait\"\naction = \"hold\"\nwhen = { conflicts_with = \"busy\" }\n\
[[rule]]\nname = \"Board yes\"\naction = \"accept\"\nwhen = { organizer = [\"board\"] }\n";
    t.save_rules(None, rules, now).unwrap();
    let one = |uid: &str, start: &str| {
        format!(
            "BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261123T150000Z\r\nDTSTART:{start}\r\nDURATION:PT1H\r\nSUMMARY:{uid}\r\n\
ORGANIZER:mailto:chair@board.example\r\nATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:dana@northwind.example\r\nEND:VEVENT\r\n"
        )
    };
    let first = mail(dir.path(), "a", "REQUEST", &one("first", "20261202T150000Z"));
    let second = mail(dir.path(), "b", "REQUEST", &one("second", "20261202T153000Z"));
    let r = t.import_files(None, &[first, second], now).unwrap();
    let actions: Vec<(&str, &str)> = r.decided.iter().map(|d| (d.summary.as_str(), d.action.as_str())).collect();
    assert_eq!(actions, [("first", "accept"), ("second", "hold_for_review")]);
}
