//! Use cases over a real store on disk, with the demo executive as the data.

use chrono::{DateTime, NaiveDate, Utc};
use tandem_api::{demo::DEMO_EXECUTIVE, ErrorCode, Tandem};

/// Mail accounts against real IMAP and SMTP servers, passwords in the keychain.
#[path = "api/accounts.rs"]
mod accounts;

/// The executive's briefing: golden text and HTML, the PDF's text.
#[path = "api/briefing.rs"]
mod briefing;

#[path = "api/caldav.rs"]
mod caldav;

/// Replies, forwards and delegations from templates.
#[path = "api/compose.rs"]
mod compose;

/// Invitations arriving by mail, answered, updated and cancelled by their organisers.
#[path = "api/invitations.rs"]
mod invitations;

/// Meetings the executive organises: invitations out, updates, cancellations, answers back.
#[path = "api/meetings.rs"]
mod meetings;

/// The inbox: lanes, triage rules, actions and undo, snooze and follow-ups.
#[path = "api/inbox.rs"]
mod inbox;

/// The scheduler's proposals on the demo week.
#[path = "api/schedule.rs"]
mod schedule;

fn now() -> DateTime<Utc> {
    // Tuesday 24 November 2026, 09:00 in New York.
    "2026-11-24T14:00:00Z".parse().unwrap()
}

fn open_demo() -> (tempfile::TempDir, Tandem) {
    let dir = tempfile::tempdir().unwrap();
    let mut t = Tandem::open(Some(dir.path().to_path_buf())).unwrap();
    assert!(t.load_demo_if_empty(now()).unwrap());
    (dir, t)
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn first_launch_loads_the_demo_once_and_later_launches_keep_the_store() {
    let (dir, mut t) = open_demo();
    assert!(!t.load_demo_if_empty(now()).unwrap());
    drop(t);
    let t = Tandem::open(Some(dir.path().to_path_buf())).unwrap();
    let names: Vec<String> = t.executives().unwrap().into_iter().map(|e| e.name).collect();
    assert_eq!(names, ["Dana Okafor", "Marcus Bell"]);
}

#[test]
fn the_demo_is_deterministic_for_the_same_now() {
    let (_a, ta) = open_demo();
    let (_b, tb) = open_demo();
    let wa = ta.calendar_range(None, day("2026-11-23"), 7).unwrap();
    let wb = tb.calendar_range(None, day("2026-11-23"), 7).unwrap();
    assert_eq!(wa.items, wb.items);
    assert_eq!(ta.inbox(None, None, 0, 500, now()).unwrap().items, tb.inbox(None, None, 0, 500, now()).unwrap().items);
}

#[test]
fn the_demo_week_has_three_calendars_series_a_trip_conflicts_and_pending_invitations() {
    let (_d, t) = open_demo();
    let week = t.calendar_range(Some(DEMO_EXECUTIVE), day("2026-11-23"), 7).unwrap();
    let cals: Vec<&str> = week.calendars.iter().map(|c| c.name.as_str()).collect();
    // Invitations that came by mail wait in a calendar of their own.
    assert_eq!(cals, ["Work", "Board", "Personal", "Invitations"]);
    assert!(week.problems.is_empty(), "{:?}", week.problems);
    let by = |summary: &str| week.items.iter().filter(|i| i.summary == summary).collect::<Vec<_>>();

    // A weekday series with Thursday's instance cancelled.
    let checkins = by("Daily check-in with Sam");
    assert_eq!(checkins.len(), 4);
    assert!(checkins.iter().all(|c| !c.view_start.starts_with("2026-11-26")));
    // An override moved this week's pipeline review.
    assert!(by("Sales pipeline review").is_empty());
    let moved = by("Sales pipeline review (moved)");
    assert_eq!(moved[0].recurrence_id.as_deref(), Some("2026-11-26T16:00:00-05:00"));
    assert_eq!(moved[0].start, "2026-11-26T16:30:00-05:00");
    // The trip crosses zones: the flight leaves in New York time and lands in London time.
    let flight = by("Flight BA 178 JFK \u{2192} LHR")[0];
    assert_eq!(
        (flight.start.as_str(), flight.end.as_str()),
        ("2026-11-25T19:30:00-05:00", "2026-11-26T07:35:00+00:00")
    );
    assert_eq!(by("Customer visit: Fabrikam HQ")[0].start, "2026-11-26T10:00:00+00:00");
    // The committee call in Work and Board is one meeting in both calendars.
    let comp = by("Compensation committee call");
    assert_eq!(comp.len(), 1);
    assert_eq!(comp[0].calendars, ["Work", "Board"]);
    // Genuine double bookings are flagged.
    for s in ["1:1 Priya / Dana", "Audit committee prep", "Executive staff meeting", "Dinner with Fabrikam leadership"]
    {
        assert!(by(s).iter().any(|i| i.conflict), "{s} should be in conflict");
    }
    assert!(!by("Company all-hands")[0].conflict);
    assert_eq!(by("1:1 Priya / Dana")[0].conflicts_with, ["Audit committee prep"]);
    assert_eq!(by("Audit committee prep")[0].conflicts_with, ["1:1 Priya / Dana", "Acme Analytics: platform demo"]);
    // Free time does not conflict, and all-day items are flagged as such.
    let hotel = by("Hotel: The Langham, London")[0];
    assert!(hotel.all_day && hotel.free && !hotel.conflict);
    // Floating time shows at its wall-clock time.
    assert_eq!(by("School pickup")[0].start, "2026-11-24T15:30:00");
    // Invitations waiting for Dana's answer, from the calendar and by mail.
    assert_eq!(by("Partner summit planning")[0].response.as_deref(), Some("needs_action"));
    let q = t.invitation_queue(None).unwrap();
    let all: Vec<_> = q.held.iter().chain(&q.decided).chain(&q.pending).collect();
    assert!(all.iter().any(|i| i.source == "calendar") && all.iter().any(|i| i.source == "mail"));
    assert!(all.len() >= 8, "{}", all.len());
}

#[test]
fn the_demo_inbox_has_a_few_hundred_messages_with_vips_marked() {
    let (_d, t) = open_demo();
    let page = t.inbox(None, None, 0, 500, now()).unwrap();
    assert!((300..=400).contains(&page.total), "{}", page.total);
    assert!(page.items.iter().all(|m| m.date.as_str() <= "2026-11-24T14:00:00Z"));
    let vip = page.items.iter().find(|m| m.from_address == "eleanor@vanceholdings.example").unwrap();
    assert!(vip.vip && vip.groups.contains(&"board".to_string()));
    assert!(page.items.iter().any(|m| m.invitation));
    assert!(page.items.iter().any(|m| m.groups.contains(&"external".to_string()) && !m.vip));
    let second = t.inbox(None, None, 20, 20, now()).unwrap();
    assert_eq!(second.items[0], page.items[20]);
}

#[test]
fn each_executive_sees_only_their_own_data() {
    let (_d, t) = open_demo();
    let marcus = t.calendar_range(Some("marcus-bell"), day("2026-11-23"), 7).unwrap();
    assert!(marcus.items.iter().any(|i| i.summary == "Plant visit: Dayton line 3"));
    assert!(!marcus.items.iter().any(|i| i.summary.contains("Fabrikam")));
    assert_eq!(t.inbox(Some("marcus-bell"), None, 0, 100, now()).unwrap().total, 30);
}

#[test]
fn an_invalid_profile_is_refused_naming_the_field_and_the_old_one_stays() {
    let (_d, mut t) = open_demo();
    let before = t.profile(Some(DEMO_EXECUTIVE)).unwrap();
    let broken = before.toml.replace("08:00-16:00", "16:00-08:00");
    let err = t.save_profile(&broken).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidProfile);
    assert!(err.message.contains("ends before it starts"), "{}", err.message);
    assert_eq!(t.profile(Some(DEMO_EXECUTIVE)).unwrap(), before);

    let renamed = before.toml.replace("name = \"Dana Okafor\"", "name = \"Dana O.\"");
    assert_eq!(t.save_profile(&renamed).unwrap().name, "Dana O.");
}

#[test]
fn a_range_of_no_days_or_more_than_a_year_is_refused_saying_why() {
    let (_d, t) = open_demo();
    for days in [0, 367] {
        let err = t.calendar_range(None, day("2026-11-23"), days).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput);
        assert!(err.message.contains("outside 1..=366"), "{}", err.message);
    }
    assert!(t.calendar_range(None, day("2026-11-23"), 366).is_ok());
}

#[test]
fn an_unknown_executive_is_not_found() {
    let (_d, t) = open_demo();
    assert_eq!(t.calendar_range(Some("nobody"), day("2026-11-23"), 1).unwrap_err().code, ErrorCode::NotFound);
}

#[test]
fn a_profile_saved_from_form_fields_is_validated_like_the_document() {
    let (_d, mut t) = open_demo();
    let doc = t.profile(Some(DEMO_EXECUTIVE)).unwrap();
    assert_eq!(doc.fields.working_hours.fri.as_deref(), Some("08:00-16:00"));
    assert_eq!(doc.fields.groups["board"].len(), 3);

    let mut fields = doc.fields.clone();
    fields.working_hours.sat = Some("09:00-12:00".into());
    fields.buffers.after_minutes = 15;
    fields.groups.insert("family".into(), vec!["sam.okafor@home.example".into()]);
    t.save_profile_fields(&fields).unwrap();
    let saved = t.profile(Some(DEMO_EXECUTIVE)).unwrap();
    assert_eq!(saved.fields, fields);
    assert!(saved.toml.contains("sat = \"09:00-12:00\""));

    let mut bad = fields.clone();
    bad.groups.insert("vip".into(), vec!["not an address".into()]);
    let err = t.save_profile_fields(&bad).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidProfile);
    assert!(err.message.contains("groups.vip[0]"), "{}", err.message);
    assert_eq!(t.profile(Some(DEMO_EXECUTIVE)).unwrap().fields, fields);
}

#[test]
fn the_demo_trip_puts_the_executive_in_london_and_marks_the_travel_days() {
    let (_d, t) = open_demo();
    let week = t.calendar_range(None, day("2026-11-23"), 7).unwrap();
    let zones: Vec<(String, String, Option<String>)> =
        week.places.iter().map(|p| (p.date.clone(), p.zone.clone(), p.other_zone.clone())).collect();
    assert_eq!(zones[0], ("2026-11-23".into(), "America/New_York".into(), None));
    let landing = zones.iter().find(|(d, _, _)| d == "2026-11-26").unwrap();
    assert_eq!(landing.1, "Europe/London");
    assert_eq!(landing.2.as_deref(), Some("America/New_York"));
    assert!(week.places[3].reason.contains("lands"), "{}", week.places[3].reason);
}

#[test]
fn on_the_london_days_meetings_read_in_london_time_with_new_york_beside_them() {
    let (_d, t) = open_demo();
    let week = t.calendar_range(None, day("2026-11-23"), 7).unwrap();
    let item = |s: &str| week.items.iter().find(|i| i.summary.starts_with(s)).unwrap();
    let dinner = item("Dinner with Fabrikam");
    assert_eq!((dinner.view_start.as_str(), dinner.view_end.as_str()), ("2026-11-26T19:30", "2026-11-26T22:00"));
    // The flight leaves on a New York day and lands on a London one: each end in its day's time.
    let flight = item("Flight BA 178");
    assert_eq!((flight.view_start.as_str(), flight.view_end.as_str()), ("2026-11-25T19:30", "2026-11-26T07:35"));
    // A home day is unchanged.
    assert!(item("Investor update call").view_start.starts_with("2026-11-23T13:00"));
    let thu = week.places.iter().find(|p| p.date == "2026-11-26").unwrap();
    assert_eq!((thu.other_hours.len(), thu.other_hours[19].as_str()), (24, "14:00"), "19:00 London is 14:00 New York");
    assert!(week.places[0].other_hours.is_empty());
}

#[test]
fn free_busy_respects_answers_and_transparency_and_lists_free_stretches() {
    let (_d, t) = open_demo();
    let fb = t.free_busy(None, day("2026-11-24"), 1, 30).unwrap();
    assert_eq!(fb.zone, "America/New_York");
    // The day has meetings, they are merged and sorted, and the free list is their complement.
    assert!(!fb.busy.is_empty());
    assert!(fb.busy.windows(2).all(|w| w[0].end <= w[1].start), "{:?}", fb.busy);
    assert!(fb.free.iter().all(|f| fb.busy.iter().all(|b| f.end <= b.start || f.start >= b.end)));
    assert_eq!(fb.free.first().unwrap().start, "2026-11-24T00:00:00-05:00");
    assert!(t.free_busy(None, day("2026-11-24"), 0, 30).is_err());
}

#[test]
fn a_hidden_calendar_leaves_the_view_but_still_counts_as_busy() {
    let (_d, mut t) = open_demo();
    let before = t.calendar_range(None, day("2026-11-23"), 1).unwrap();
    let board = before.calendars.iter().find(|c| c.name == "Board").unwrap().id;
    let busy_before = t.free_busy(None, day("2026-11-23"), 1, 30).unwrap().busy;
    let hidden = t.update_calendar(None, board, "#112233", false).unwrap();
    assert_eq!((hidden.name.as_str(), hidden.visible), ("Board", false));
    let after = t.calendar_range(None, day("2026-11-23"), 1).unwrap();
    // The investor call is only in Board: gone. The committee call is in Work and Board: kept, under Work.
    assert!(before.items.iter().any(|i| i.summary == "Investor update call"));
    assert!(!after.items.iter().any(|i| i.summary == "Investor update call"));
    let committee = after.items.iter().find(|i| i.summary == "Compensation committee call").unwrap();
    assert_eq!(committee.calendars, ["Work"]);
    assert_eq!(t.free_busy(None, day("2026-11-23"), 1, 30).unwrap().busy, busy_before);
    assert_eq!(after.calendars.iter().find(|c| c.id == board).unwrap().color, "#112233");
}

#[test]
fn a_calendar_colour_must_be_hex_and_the_calendar_the_executives_own() {
    let (_d, mut t) = open_demo();
    let work = t.calendar_range(None, day("2026-11-23"), 1).unwrap().calendars[0].id;
    assert_eq!(t.update_calendar(None, work, "blue", true).unwrap_err().code, ErrorCode::InvalidInput);
    let marcus_calendar = t.calendar_range(Some("marcus-bell"), day("2026-11-23"), 1).unwrap().calendars[0].id;
    assert_eq!(t.update_calendar(None, marcus_calendar, "#000000", true).unwrap_err().code, ErrorCode::NotFound);
}

#[test]
fn an_ics_picked_in_the_app_imports_as_a_calendar_named_after_the_file() {
    let (_d, mut t) = open_demo();
    let text = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:offsite@x\r\nDTSTART;TZID=America/New_York:20261123T150000\r\n\
DURATION:PT1H\r\nSUMMARY:Offsite planning\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:bad@x\r\nDTSTART:nope\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let r = t.import_ics_text(None, "offsites.ics", text, now()).unwrap().files.remove(0);
    assert_eq!((r.calendar.as_deref(), r.events, r.problems.len()), (Some("offsites"), 1, 1));
    assert!(r.problems[0].contains("line 10"), "{:?}", r.problems);
    let day_view = t.calendar_range(None, day("2026-11-23"), 1).unwrap();
    let item = day_view.items.iter().find(|i| i.summary == "Offsite planning").unwrap();
    assert_eq!(item.calendars, ["offsites"]);
    let refused = t.import_ics_text(None, "notes.txt", "hello", now()).unwrap().files.remove(0);
    assert!(refused.error.unwrap().contains("not an iCalendar file"));
}

#[test]
fn an_itinerary_written_in_the_profile_survives_a_form_save_and_sets_the_days_zone() {
    let (_d, mut t) = open_demo();
    let doc = t.profile(None).unwrap();
    let toml = format!(
        "{}\n[[itinerary]]\nfrom = \"2026-11-30\"\nto = \"2026-12-02\"\ntime_zone = \"Asia/Tokyo\"\nplace = \"Tokyo\"\n",
        doc.toml
    );
    t.save_profile(&toml).unwrap();
    let fields = t.profile(None).unwrap().fields;
    assert_eq!(fields.itinerary.len(), 1);
    // A save from the form (which has no itinerary editor) keeps it.
    t.save_profile_fields(&fields).unwrap();
    let week = t.calendar_range(None, day("2026-11-30"), 3).unwrap();
    let zones: Vec<&str> = week.places.iter().map(|p| p.zone.as_str()).collect();
    assert_eq!(zones, ["Asia/Tokyo"; 3]);
    assert_eq!(week.places[0].place.as_deref(), Some("Tokyo"));
    let bad = toml.replace("to = \"2026-12-02\"", "to = \"2026-11-01\"");
    let err = t.save_profile(&bad).unwrap_err();
    assert!(err.message.contains("itinerary[0]"), "{}", err.message);
}

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

#[test]
fn reminders_come_from_the_meetings_alarms_else_the_profiles_lead_time() {
    let (_d, t) = open_demo();
    let list = t.upcoming_reminders(None, now(), 8).unwrap();
    let lines: Vec<String> = list
        .iter()
        .map(|r| {
            format!(
                "{} {} {}{}",
                r.local_start,
                r.minutes_before,
                r.summary,
                if r.from_alarm { " (alarm)" } else { "" }
            )
        })
        .collect();
    assert!(lines.contains(&"14:30 30 Audit committee prep (alarm)".to_string()), "{lines:#?}");
    assert!(lines.contains(&"10:00 10 Contoso quarterly business review".to_string()), "{lines:#?}");
    let audit = list.iter().find(|r| r.summary == "Audit committee prep").unwrap();
    assert_eq!(
        (audit.at.as_str(), audit.note.as_deref()),
        ("2026-11-24T19:00:00Z", Some("Bring the signed audit letter"))
    );
    assert!(list.windows(2).all(|w| w[0].at <= w[1].at), "in time order");
    // A week ahead, the board meeting's day-before alarm.
    let ahead = t.upcoming_reminders(None, at("2026-11-30T12:00:00Z"), 24).unwrap();
    assert!(
        ahead.iter().any(|r| r.summary.starts_with("Board of directors") && r.minutes_before == 1440),
        "{ahead:#?}"
    );
}

#[test]
fn a_due_reminder_is_delivered_once_even_across_a_restart_and_a_long_started_meeting_is_not_announced() {
    let (dir, mut t) = open_demo();
    let due = t.due_reminders(at("2026-11-24T14:50:30Z")).unwrap();
    let summaries: Vec<&str> = due.iter().map(|r| r.summary.as_str()).collect();
    assert!(summaries.contains(&"Contoso quarterly business review"), "{summaries:?}");
    assert_eq!(due.iter().find(|r| r.summary.starts_with("Contoso")).unwrap().minutes_until, 9);
    assert!(t.due_reminders(at("2026-11-24T14:51:00Z")).unwrap().is_empty(), "delivered already");
    drop(t);
    let mut t = Tandem::open(Some(dir.path().to_path_buf())).unwrap();
    assert!(t.due_reminders(at("2026-11-24T14:52:00Z")).unwrap().is_empty(), "still delivered after a restart");

    // Closed all morning: at 11:50 the 11:00 forecast review has been under way for 50 minutes
    // (not announced) while the 12:00 all-hands reminder is due.
    let (_d2, mut fresh) = open_demo();
    let late = fresh.due_reminders(at("2026-11-24T16:50:00Z")).unwrap();
    let summaries: Vec<&str> = late.iter().map(|r| r.summary.as_str()).collect();
    assert!(!summaries.contains(&"Q4 forecast review"), "{summaries:?}");
    assert!(!summaries.contains(&"Contoso quarterly business review"), "{summaries:?}");
}

#[test]
fn a_declined_meeting_and_a_hidden_calendar_do_not_ring() {
    let (_d, mut t) = open_demo();
    let text = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:pitch@x\r\nDTSTART:20261124T170000Z\r\nDURATION:PT30M\r\n\
SUMMARY:Vendor pitch\r\nORGANIZER:mailto:rep@vendor.example\r\n\
ATTENDEE;PARTSTAT=DECLINED:mailto:dana.okafor@northwind.example\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:golf@x\r\nDTSTART:20261124T180000Z\r\nDURATION:PT2H\r\nSUMMARY:Golf\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    t.import_ics_text(None, "extra.ics", text, now()).unwrap();
    let names = |t: &Tandem| -> Vec<String> {
        t.upcoming_reminders(None, now(), 8).unwrap().into_iter().map(|r| r.summary).collect()
    };
    assert!(!names(&t).contains(&"Vendor pitch".to_string()));
    assert!(names(&t).contains(&"Golf".to_string()));
    let extra = t.calendars(None).unwrap().into_iter().find(|c| c.name == "extra").unwrap();
    t.update_calendar(None, extra.id, &extra.color, false).unwrap();
    assert!(!names(&t).contains(&"Golf".to_string()));
}

#[test]
fn the_demo_week_conflicts_are_found_with_severity_and_reasons_most_severe_first() {
    let (_d, t) = open_demo();
    let found = t.conflicts(None, day("2026-11-23"), 7, now()).unwrap();
    let high: Vec<&str> = found.conflicts.iter().filter(|c| c.severity == "high").map(|c| c.reason.as_str()).collect();
    assert!(
        high.contains(
            &"'1:1 Priya / Dana' (P2, 14:00–14:45) and 'Audit committee prep' (P2, 14:30–15:30) overlap by 15 min"
        ),
        "{high:#?}"
    );
    assert!(found.conflicts.windows(2).all(|w| rank(&w[0].severity) >= rank(&w[1].severity)));
    // Every double booking the week view marks is among them.
    let week = t.calendar_range(None, day("2026-11-23"), 7).unwrap();
    for item in week.items.iter().filter(|i| i.conflict) {
        assert!(
            found.conflicts.iter().any(|c| c.kind == "overlap" && c.meetings.iter().any(|m| m.summary == item.summary)),
            "{} is marked in conflict but not listed",
            item.summary
        );
    }
    // Personal entries (the gym, a flight) are not meetings out of hours.
    assert!(found.conflicts.iter().all(|c| !(c.kind == "outside_working_hours" && c.meetings[0].summary == "Gym")));
    // A meeting in the executive's own calendar can be moved; an invitation's cannot.
    let own = found.conflicts.iter().flat_map(|c| &c.meetings).find(|m| m.summary == "1:1 Priya / Dana").unwrap();
    assert!(own.own);
}

fn rank(severity: &str) -> u8 {
    match severity {
        "high" => 2,
        "medium" => 1,
        _ => 0,
    }
}

#[test]
fn the_demo_inbox_is_searchable_by_words_and_people_and_a_bad_operator_is_refused() {
    let (_d, t) = open_demo();
    let found = t.search(None, "board pack from:eleanor", 20).unwrap();
    assert!(!found.items.is_empty());
    assert!(found.items.iter().all(|m| m.from_address.starts_with("eleanor@") && m.vip), "{found:#?}");
    assert!(found.items.windows(2).all(|w| w[0].date >= w[1].date), "newest first");
    let e = t.search(None, "frm:eleanor", 20).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert!(e.message.contains("'frm:eleanor' is not an operator"), "{e}");
}
