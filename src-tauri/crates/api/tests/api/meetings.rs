use chrono::{DateTime, Utc};
use tandem_api::dto::{Answer, MeetingChanges, MeetingDraft};
use tandem_api::{ErrorCode, Tandem};

use super::invitations::{mail, store as open};

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn draft(title: &str, attendees: &[&str]) -> MeetingDraft {
    MeetingDraft {
        title: title.into(),
        start: "2026-12-02T15:00".into(),
        end: "2026-12-02T15:30".into(),
        attendees: attendees.iter().map(|s| s.to_string()).collect(),
        optional: vec![],
        location: Some("Boardroom".into()),
        description: None,
        calendar: None,
        rrule: None,
    }
}

fn message(t: &Tandem, id: i64) -> String {
    String::from_utf8(t.outbox_message(None, id).unwrap()).unwrap().replace("\r\n ", "")
}

/// Marks every queued item sent, as the outbox replay will.
fn send_all(dir: &std::path::Path) {
    let store = tandem_store::Store::open_dir(dir).unwrap();
    while let Some(item) =
        store.claim_outbox_item("dana", at("2030-01-01T00:00:00Z"), tandem_store::OutboxKind::MAILED).unwrap()
    {
        store.mark_outbox_sent(item.id, at("2026-11-24T14:02:00Z")).unwrap();
    }
}

#[test]
fn a_meeting_the_ep_creates_invites_its_attendees_on_the_executives_behalf() {
    let (dir, mut t) = open();
    let now = at("2026-11-24T14:00:00Z");
    let m = t
        .create_meeting(None, &draft("Budget review", &["Lee@Northwind.example", "cfo@northwind.example"]), now)
        .unwrap();
    assert_eq!((m.sequence, m.status.as_str(), m.calendar.as_str()), (0, "confirmed", "Calendar"));
    assert_eq!(m.start, "2026-12-02T15:00:00-05:00");
    assert_eq!(
        m.attendees.iter().map(|a| a.address.as_str()).collect::<Vec<_>>(),
        ["lee@northwind.example", "cfo@northwind.example"]
    );
    assert_eq!(m.outbox.len(), 1);
    assert_eq!(m.outbox[0].summary, "Invitation: Budget review to lee@northwind.example, cfo@northwind.example");
    let raw = message(&t, m.outbox[0].id);
    assert!(raw.contains("From: \"Dana Okafor\" <dana@northwind.example>"), "{raw}");
    assert!(raw.contains("Sender: \"Sam Rivera\" <sam@northwind.example>"), "{raw}");
    assert!(raw.contains("METHOD:REQUEST"), "{raw}");
    assert!(
        raw.contains("ORGANIZER;CN=Dana Okafor;SENT-BY=\"mailto:sam@northwind.example\":mailto:dana@northwind.example"),
        "{raw}"
    );
    // On the grid as the executive's own meeting.
    let day = t.calendar_range(None, "2026-12-02".parse().unwrap(), 1).unwrap();
    let item = day.items.iter().find(|i| i.summary == "Budget review").unwrap();
    assert_eq!(item.response.as_deref(), Some("accepted"));
    drop(dir);
}

#[test]
fn an_edit_before_the_invitation_left_sends_one_update_and_a_removed_attendee_is_told() {
    let (dir, mut t) = open();
    let now = at("2026-11-24T14:00:00Z");
    let m = t
        .create_meeting(None, &draft("Budget review", &["lee@northwind.example", "cfo@northwind.example"]), now)
        .unwrap();
    let moved = MeetingChanges { start: Some("2026-12-02T16:00".into()), ..Default::default() };
    let m = t.edit_meeting(None, &m.uid, &moved, now).unwrap();
    assert_eq!(
        (m.sequence, m.start.as_str(), m.end.as_deref()),
        (1, "2026-12-02T16:00:00-05:00", Some("2026-12-02T16:30:00-05:00"))
    );
    let states: Vec<(&str, &str)> = m.outbox.iter().map(|o| (o.summary.as_str(), o.state.as_str())).collect();
    assert_eq!(
        states,
        [
            ("Updated invitation: Budget review to lee@northwind.example, cfo@northwind.example", "queued"),
            ("Invitation: Budget review to lee@northwind.example, cfo@northwind.example", "cancelled"),
        ]
    );
    send_all(dir.path());
    // The CFO is taken off: the others get the update, the CFO a CANCEL.
    let fewer = MeetingChanges { attendees: Some(vec!["lee@northwind.example".into()]), ..Default::default() };
    let m = t.edit_meeting(None, &m.uid, &fewer, now).unwrap();
    assert_eq!(m.sequence, 2);
    let queued: Vec<&str> = m.outbox.iter().filter(|o| o.state == "queued").map(|o| o.summary.as_str()).collect();
    assert_eq!(
        queued,
        [
            "Cancelled: Budget review to cfo@northwind.example",
            "Updated invitation: Budget review to lee@northwind.example"
        ]
    );
    let cancel = message(&t, m.outbox.iter().find(|o| o.summary.starts_with("Cancelled")).unwrap().id);
    assert!(
        cancel.contains("METHOD:CANCEL") && cancel.contains("SEQUENCE:2") && cancel.contains("STATUS:CANCELLED"),
        "{cancel}"
    );
    // Nothing changed: nothing sent.
    let same = t
        .edit_meeting(None, &m.uid, &MeetingChanges { title: Some("Budget review".into()), ..Default::default() }, now)
        .unwrap();
    assert_eq!(same.sequence, 2);
}

#[test]
fn cancelling_a_meeting_nobody_was_told_of_withdraws_it_silently_and_otherwise_sends_a_cancel() {
    let (dir, mut t) = open();
    let now = at("2026-11-24T14:00:00Z");
    let m = t.create_meeting(None, &draft("Oops", &["lee@northwind.example"]), now).unwrap();
    let gone = t.cancel_meeting(None, &m.uid, None, None, now).unwrap();
    assert_eq!(gone.status, "withdrawn");
    assert_eq!(t.outbox(None).unwrap().iter().map(|o| o.state.as_str()).collect::<Vec<_>>(), ["cancelled"]);
    assert_eq!(t.meeting(None, &m.uid).unwrap_err().code, ErrorCode::NotFound);

    let m = t.create_meeting(None, &draft("Budget review", &["lee@northwind.example"]), now).unwrap();
    send_all(dir.path());
    let c = t.cancel_meeting(None, &m.uid, None, Some("Postponed to January"), now).unwrap();
    assert_eq!((c.status.as_str(), c.sequence), ("cancelled", 1));
    let raw = message(&t, c.outbox[0].id);
    assert!(raw.contains("METHOD:CANCEL") && raw.contains("COMMENT:Postponed to January"), "{raw}");
    let day = t.calendar_range(None, "2026-12-02".parse().unwrap(), 1).unwrap();
    assert!(day.items.iter().all(|i| i.summary != "Budget review"));
    assert_eq!(t.cancel_meeting(None, &m.uid, None, None, now).unwrap_err().code, ErrorCode::Conflict);
}

#[test]
fn one_instance_of_a_series_is_cancelled_with_its_recurrence_id() {
    let (dir, mut t) = open();
    let now = at("2026-11-24T14:00:00Z");
    let mut weekly = draft("Staff meeting", &["lee@northwind.example"]);
    weekly.rrule = Some("FREQ=WEEKLY;COUNT=4".into());
    let m = t.create_meeting(None, &weekly, now).unwrap();
    send_all(dir.path());
    let c = t.cancel_meeting(None, &m.uid, Some("2026-12-09T15:00"), None, now).unwrap();
    assert_eq!(c.status, "confirmed");
    let raw = message(&t, c.outbox[0].id);
    assert!(raw.contains("RECURRENCE-ID;TZID=America/New_York:20261209T150000"), "{raw}");
    let month = t.calendar_range(None, "2026-12-01".parse().unwrap(), 31).unwrap();
    let starts: Vec<&str> =
        month.items.iter().filter(|i| i.summary == "Staff meeting").map(|i| &i.start[..10]).collect();
    assert_eq!(starts, ["2026-12-02", "2026-12-16", "2026-12-23"]);
    let err = t.cancel_meeting(None, &m.uid, Some("2026-12-10T15:00"), None, now).unwrap_err();
    assert!(err.message.contains("has no instance at 2026-12-10T15:00"), "{}", err.message);
}

#[test]
fn attendees_answers_and_counter_proposals_come_back_to_the_ep() {
    let (dir, mut t) = open();
    let now = at("2026-11-24T14:00:00Z");
    let m = t.create_meeting(None, &draft("Budget review", &["chair@board.example"]), now).unwrap();
    send_all(dir.path());
    // The chair's answers, about a half-hour starting at `start` (New York).
    let event = |partstat: &str, start: &str| {
        format!(
            "BEGIN:VEVENT\r\nUID:{}\r\nDTSTAMP:20261124T150000Z\r\nSEQUENCE:0\r\nDTSTART;TZID=America/New_York:{start}\r\n\
DTEND;TZID=America/New_York:{}3000\r\nSUMMARY:Budget review\r\nORGANIZER:mailto:dana@northwind.example\r\n\
ATTENDEE;CN=Board Chair;PARTSTAT={partstat}:mailto:chair@board.example\r\nEND:VEVENT\r\n",
            m.uid,
            &start[..11],
        )
    };
    // The chair accepts.
    t.import_files(None, &[mail(dir.path(), "reply", "REPLY", &event("ACCEPTED", "20261202T150000"))], now).unwrap();
    assert_eq!(t.meeting(None, &m.uid).unwrap().attendees[0].status, "accepted");
    // The chair proposes 17:00 instead: it waits for the EP, who declines it.
    let r = t
        .import_files(None, &[mail(dir.path(), "counter", "COUNTER", &event("TENTATIVE", "20261202T170000"))], now)
        .unwrap();
    assert_eq!(r.files[0].changes, ["Budget review: Board Chair proposes a new time"]);
    let q = t.invitation_queue(None).unwrap();
    assert_eq!(q.held.len(), 1);
    assert_eq!(
        q.held[0].decision.as_ref().unwrap().reason,
        "Held for review: Board Chair proposes Wed 2 Dec 17:00 instead"
    );
    let err = t.answer_invitation(None, q.held[0].id, &Answer::Tentative { message: None }, now).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    let d = t
        .answer_invitation(None, q.held[0].id, &Answer::Decline { message: Some("17:00 is taken".into()) }, now)
        .unwrap();
    let raw = message(&t, d.outbox[0].id);
    assert!(raw.contains("METHOD:DECLINECOUNTER") && raw.contains("COMMENT:17:00 is taken"), "{raw}");
    assert_eq!(t.meeting(None, &m.uid).unwrap().start, "2026-12-02T15:00:00-05:00");
    // A second proposal, 16:00, is accepted: the meeting moves and everyone is told.
    // The same SEQUENCE, stamped later: newer news (RFC 5546 §2.1.5).
    let second = event("TENTATIVE", "20261202T160000").replace("DTSTAMP:20261124T150000Z", "DTSTAMP:20261124T160000Z");
    t.import_files(None, &[mail(dir.path(), "counter-2", "COUNTER", &second)], now).unwrap();
    let q = t.invitation_queue(None).unwrap();
    t.answer_invitation(None, q.held[0].id, &Answer::Accept { message: None }, now).unwrap();
    let moved = t.meeting(None, &m.uid).unwrap();
    assert_eq!((moved.start.as_str(), moved.sequence), ("2026-12-02T16:00:00-05:00", 1));
    assert_eq!(moved.outbox[0].summary, "Updated invitation: Budget review to chair@board.example");
    assert_eq!(moved.attendees[0].status, "needs_action", "a new time asks again");
}

#[test]
fn only_the_executives_own_meetings_can_be_edited_or_cancelled_here() {
    let (dir, mut t) = open();
    let now = at("2026-11-24T14:00:00Z");
    let invite = mail(
        dir.path(),
        "invite",
        "REQUEST",
        "BEGIN:VEVENT\r\nUID:theirs@board.example\r\nDTSTAMP:20261123T150000Z\r\nDTSTART:20261202T150000Z\r\n\
SUMMARY:Their meeting\r\nORGANIZER:mailto:chair@board.example\r\nATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:dana@northwind.example\r\nEND:VEVENT\r\n",
    );
    t.import_files(None, &[invite], now).unwrap();
    let err = t.cancel_meeting(None, "theirs@board.example", None, None, now).unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict);
    assert!(err.message.contains("organised by chair@board.example"), "{}", err.message);
    let bad = MeetingDraft { end: "2026-12-02T14:00".into(), ..draft("Backwards", &[]) };
    assert!(t
        .create_meeting(None, &bad, now)
        .unwrap_err()
        .message
        .contains("ends (2026-12-02T14:00) before it starts"));
    let bad = draft("Bad guest", &["not an address"]);
    assert_eq!(
        t.create_meeting(None, &bad, now).unwrap_err().message,
        "attendee 'not an address' is not an e-mail address"
    );
}
