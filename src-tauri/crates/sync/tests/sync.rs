//! Importing files into a real store on disk.

mod common;

use tandem_store::InvitationState;
use tandem_sync::{import_ics_file, import_messages, CalendarTarget, RawMail};

use common::setup;

fn now() -> chrono::DateTime<chrono::Utc> {
    "2026-03-01T12:00:00Z".parse().unwrap()
}

const ICS: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX-WR-CALNAME:Board\r\n\
BEGIN:VEVENT\r\nUID:board@x\r\nDTSTART:20260305T150000Z\r\nDTEND:20260305T170000Z\r\nSUMMARY:Board call\r\n\
ORGANIZER:mailto:chair@board.example\r\nATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:dana@northwind.example\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:broken@x\r\nDTSTART:tomorrow\r\nEND:VEVENT\r\n\
END:VCALENDAR\r\n";

#[test]
fn a_file_with_one_bad_event_imports_the_rest_and_names_the_bad_line() {
    let (dir, mut store, profile) = setup();
    let path = dir.path().join("board.ics");
    std::fs::write(&path, ICS).unwrap();
    let report = import_ics_file(&mut store, &profile, &path, &CalendarTarget::default(), now());
    assert_eq!(report.calendar.as_deref(), Some("Board"));
    assert_eq!((report.events_read, report.events_written, report.invitations), (1, 1, 1));
    assert_eq!(report.problems.len(), 1);
    assert!(report.problems[0].contains("line 14") && report.problems[0].contains("broken@x"), "{:?}", report.problems);
    assert_eq!(store.invitations("dana", InvitationState::Pending).unwrap().len(), 1);
}

#[test]
fn a_missing_or_foreign_file_is_reported_and_nothing_stored_is_lost() {
    let (dir, mut store, profile) = setup();
    let good = dir.path().join("board.ics");
    std::fs::write(&good, ICS).unwrap();
    import_ics_file(&mut store, &profile, &good, &CalendarTarget::default(), now());

    let missing =
        import_ics_file(&mut store, &profile, &dir.path().join("nope.ics"), &CalendarTarget::default(), now());
    assert!(missing.error.unwrap().contains("cannot read"));
    let foreign = dir.path().join("notes.ics");
    std::fs::write(&foreign, "just some notes").unwrap();
    let report = import_ics_file(&mut store, &profile, &foreign, &CalendarTarget::default(), now());
    assert!(report.error.unwrap().contains("not an iCalendar file"));
    assert_eq!(store.events_of("dana").unwrap().len(), 1);
}

#[test]
fn an_imip_invitation_mail_is_stored_and_its_invitation_is_pending() {
    let (_dir, mut store, profile) = setup();
    let mail = "From: Chair <chair@board.example>\r\nTo: dana@northwind.example\r\nSubject: Invitation\r\n\
Message-ID: <i1@board.example>\r\nDate: Sun, 01 Mar 2026 09:00:00 +0000\r\nMIME-Version: 1.0\r\n\
Content-Type: text/calendar; method=REQUEST; charset=utf-8\r\n\r\n"
        .to_string()
        + &ICS.replace("X-WR-CALNAME:Board\r\n", "METHOD:REQUEST\r\n");
    let raws =
        vec![RawMail::inbox("a", mail.into_bytes()), RawMail::inbox("b", b"Subject: no sender\r\n\r\nx".to_vec())];
    let report = import_messages(&mut store, &profile, &raws, now()).unwrap();
    assert_eq!((report.read, report.added, report.invitations), (1, 1, 1));
    assert!(report.problems.iter().any(|p| p.starts_with("b: message has no From")), "{:?}", report.problems);
    let pending = store.invitations("dana", InvitationState::Pending).unwrap();
    assert_eq!(pending[0].invitation.event.summary, "Board call");
}
