use chrono::NaiveDate;
use chrono_tz::Europe::London;

use super::*;
use crate::calendar::expand::expand_series;
use crate::time::TimeWindow;

fn london(d: u32, h: u32) -> EventTime {
    EventTime::Zoned {
        local: NaiveDate::from_ymd_opt(2026, 12, d).unwrap().and_hms_opt(h, 0, 0).unwrap(),
        zone: London,
    }
}

fn stamp(s: &str) -> Option<DateTime<Utc>> {
    Some(s.parse().unwrap())
}

/// A weekly series on Tuesdays 10:00 London from 1 Dec 2026, SEQUENCE `seq`.
fn weekly(seq: u32) -> Event {
    let mut e = Event::new("weekly@board.example", "Weekly board sync", london(1, 10));
    e.end = Some(london(1, 11));
    e.rrules.push("FREQ=WEEKLY;COUNT=10".into());
    e.sequence = seq;
    e.stamp = stamp("2026-11-20T10:00:00Z");
    e.organizer = Some(Participant::new("chair@board.example", Some("Chair".into())));
    e.attendees.push(Attendee {
        participant: Participant::new("dana@northwind.example", Some("Dana Okafor".into())),
        role: Role::Required,
        status: ParticipationStatus::NeedsAction,
        rsvp: true,
    });
    e
}

fn starts(events: &[Event]) -> Vec<String> {
    let master = events.iter().find(|e| e.recurrence_id.is_none());
    let overrides: Vec<&Event> = events.iter().filter(|e| e.recurrence_id.is_some()).collect();
    let window = TimeWindow::new("2026-11-01T00:00:00Z".parse().unwrap(), "2027-03-01T00:00:00Z".parse().unwrap());
    expand_series(master, &overrides, window, London)
        .unwrap()
        .iter()
        .map(|o| o.start.to_contract_string()[5..13].to_string())
        .collect()
}

fn changed(a: Applied) -> Vec<Event> {
    match a {
        Applied::Changed { events, .. } => events,
        Applied::Ignored { reason } => panic!("ignored: {reason}"),
    }
}

#[test]
fn newer_news_is_a_higher_sequence_or_the_same_one_stamped_later() {
    let (old, mut new) = (weekly(1), weekly(1));
    new.stamp = stamp("2026-11-21T10:00:00Z");
    assert!(is_newer(&new, &old));
    assert!(!is_newer(&old, &new));
    assert!(is_newer(&weekly(2), &new));
    assert!(!is_newer(&weekly(0), &old));
}

#[test]
fn a_request_is_stored_when_new_and_an_older_one_is_ignored() {
    let events = changed(apply(Method::Request, &[weekly(1)], &[]));
    assert_eq!(events.len(), 1);
    let held = events;
    assert!(
        matches!(apply(Method::Request, &[weekly(0)], &held), Applied::Ignored { reason } if reason.contains("older"))
    );
    let mut moved = weekly(2);
    moved.summary = "Weekly board sync (moved)".into();
    let events = changed(apply(Method::Request, &[moved], &held));
    assert_eq!(events[0].summary, "Weekly board sync (moved)");
}

#[test]
fn an_update_to_one_instance_changes_only_that_instance() {
    let held = vec![weekly(1)];
    let mut moved = weekly(1);
    moved.rrules.clear();
    moved.recurrence_id = Some(london(8, 10));
    moved.start = london(9, 15);
    moved.end = Some(london(9, 16));
    let events = changed(apply(Method::Request, &[moved.clone()], &held));
    assert_eq!(events.len(), 2);
    assert_eq!(starts(&events)[..3], ["12-01T10", "12-09T15", "12-15T10"]);
    // The same override again, older: ignored.
    let mut older = moved;
    older.sequence = 0;
    assert!(matches!(apply(Method::Request, &[older], &events), Applied::Ignored { .. }));
}

#[test]
fn a_new_master_withdraws_overrides_older_than_it() {
    let mut o = weekly(1);
    o.rrules.clear();
    o.recurrence_id = Some(london(8, 10));
    o.start = london(8, 12);
    let held = vec![weekly(1), o];
    let events = changed(apply(Method::Request, &[weekly(3)], &held));
    assert_eq!(events.len(), 1, "the organiser's new series no longer carries the moved instance");
    assert_eq!(starts(&events)[1], "12-08T10");
}

#[test]
fn cancelling_the_whole_meeting_cancels_master_and_overrides() {
    let mut o = weekly(1);
    o.rrules.clear();
    o.recurrence_id = Some(london(8, 10));
    let held = vec![weekly(1), o];
    let mut c = weekly(2);
    c.status = EventStatus::Cancelled;
    let events = changed(apply(Method::Cancel, &[c], &held));
    assert!(events.iter().all(|e| e.status == EventStatus::Cancelled));
    assert!(starts(&events).is_empty());
    assert!(matches!(apply(Method::Cancel, &[weekly(0)], &held), Applied::Ignored { .. }), "an old cancel");
    assert!(
        matches!(apply(Method::Cancel, &[weekly(5)], &[]), Applied::Ignored { reason } if reason.contains("nothing to cancel"))
    );
}

#[test]
fn cancelling_one_instance_leaves_the_rest_of_the_series() {
    let held = vec![weekly(1)];
    let mut c = weekly(2);
    c.rrules.clear();
    c.recurrence_id = Some(EventTime::Utc { instant: "2026-12-08T10:00:00Z".parse().unwrap() });
    let events = changed(apply(Method::Cancel, &[c], &held));
    let s = starts(&events);
    assert_eq!(s.len(), 9);
    assert_eq!(s[..2], ["12-01T10", "12-15T10"], "the RECURRENCE-ID in UTC names the London instance");
}

#[test]
fn cancelling_this_and_future_ends_the_series_before_that_instance() {
    let mut later_override = weekly(1);
    later_override.rrules.clear();
    later_override.recurrence_id = Some(london(29, 10));
    later_override.start = london(29, 14);
    let held = vec![weekly(1), later_override];
    let mut c = weekly(2);
    c.rrules.clear();
    c.recurrence_id = Some(london(15, 10));
    c.this_and_future = true;
    let events = changed(apply(Method::Cancel, &[c], &held));
    assert_eq!(starts(&events), ["12-01T10", "12-08T10"]);
    assert_eq!(events.len(), 1, "the override after the cut went with it");
    assert_eq!(events[0].rrules, ["FREQ=WEEKLY;UNTIL=20261215T095959Z"], "COUNT gave way to UNTIL");
}

#[test]
fn an_all_day_series_cut_this_and_future_ends_the_day_before() {
    let mut e = Event::new("d@x", "Daily", EventTime::Date { date: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap() });
    e.rrules.push("FREQ=DAILY".into());
    let mut c = e.clone();
    c.rrules.clear();
    c.recurrence_id = Some(EventTime::Date { date: NaiveDate::from_ymd_opt(2026, 12, 4).unwrap() });
    c.this_and_future = true;
    c.sequence = 1;
    let events = changed(apply(Method::Cancel, &[c], &[e]));
    assert_eq!(events[0].rrules, ["FREQ=DAILY;UNTIL=20261203"]);
}

#[test]
fn an_add_puts_a_new_instance_into_the_series() {
    let held = vec![weekly(1)];
    let mut extra = weekly(2);
    extra.rrules.clear();
    extra.start = london(17, 9);
    extra.end = Some(london(17, 10));
    let events = changed(apply(Method::Add, &[extra.clone()], &held));
    let s = starts(&events);
    assert_eq!(s.len(), 11);
    assert!(s.contains(&"12-17T09".to_string()), "{s:?}");
    assert!(matches!(apply(Method::Add, &[extra], &[]), Applied::Ignored { .. }));
}

#[test]
fn a_reply_sets_the_attendees_answer_on_the_instance_it_is_about() {
    let mut mine = weekly(1);
    mine.organizer = Some(Participant::new("dana@northwind.example", None));
    mine.attendees = vec![Attendee {
        participant: Participant::new("lee@northwind.example", Some("Lee".into())),
        role: Role::Required,
        status: ParticipationStatus::NeedsAction,
        rsvp: true,
    }];
    let mut r = mine.clone();
    r.attendees[0].status = ParticipationStatus::Accepted;
    match apply(Method::Reply, &[r.clone()], std::slice::from_ref(&mine)) {
        Applied::Changed { events, summary } => {
            assert_eq!(events[0].attendees[0].status, ParticipationStatus::Accepted);
            assert_eq!(summary, "Lee accepted");
        }
        other => panic!("{other:?}"),
    }
    // A forwarded invitation's recipient answers: added, so the organiser sees them.
    let mut crasher = r;
    crasher.attendees[0].participant = Participant::new("guest@other.example", None);
    let events = changed(apply(Method::Reply, &[crasher], &[mine]));
    assert_eq!(events[0].attendees.len(), 2);
}

fn me() -> Sender {
    Sender {
        executive: Participant::new("dana@northwind.example", Some("Dana Okafor".into())),
        sent_by: Some("ep@northwind.example".into()),
    }
}

#[test]
fn a_reply_carries_only_the_executive_with_the_answer_and_the_ep_as_sent_by() {
    let now: DateTime<Utc> = "2026-11-24T14:00:00Z".parse().unwrap();
    let out = reply(&weekly(3), &me(), ParticipationStatus::Declined, Some("Travelling"), None, now);
    assert_eq!(out.method, Method::Reply);
    assert_eq!(out.event.sequence, 3);
    assert_eq!(out.event.stamp, Some(now));
    assert_eq!(out.event.attendees.len(), 1);
    let a = &out.event.attendees[0];
    assert_eq!((a.participant.address.as_str(), a.status), ("dana@northwind.example", ParticipationStatus::Declined));
    assert_eq!(a.participant.kept_params, [("SENT-BY".to_string(), vec!["mailto:ep@northwind.example".to_string()])]);
    assert_eq!(out.recipients[0].address, "chair@board.example");
    assert_eq!(out.comment.as_deref(), Some("Travelling"));
}

#[test]
fn a_delegation_replies_delegated_and_passes_the_invitation_on() {
    let now: DateTime<Utc> = "2026-11-24T14:00:00Z".parse().unwrap();
    let r = reply(&weekly(1), &me(), ParticipationStatus::Delegated, None, Some("lee@northwind.example"), now);
    assert!(r.event.attendees[0]
        .participant
        .kept_params
        .contains(&("DELEGATED-TO".into(), vec!["mailto:lee@northwind.example".into()])));
    let d = delegation(&weekly(1), &me(), "Lee@Northwind.example", now);
    assert_eq!(d.method, Method::Request);
    assert_eq!(d.recipients[0].address, "lee@northwind.example");
    let lee = d.event.attendees.iter().find(|a| a.participant.address == "lee@northwind.example").unwrap();
    assert!(lee
        .participant
        .kept_params
        .contains(&("DELEGATED-FROM".into(), vec!["mailto:dana@northwind.example".into()])));
    let dana = d.event.attendees.iter().find(|a| a.participant.address == "dana@northwind.example").unwrap();
    assert_eq!(dana.status, ParticipationStatus::Delegated);
}

#[test]
fn a_counter_proposes_the_new_time_in_the_invitations_own_zone() {
    let now: DateTime<Utc> = "2026-11-24T14:00:00Z".parse().unwrap();
    let proposed = ("2026-12-01T14:00:00Z".parse().unwrap(), "2026-12-01T15:00:00Z".parse().unwrap());
    let c = counter(&weekly(1), &me(), proposed, Some("Could we do 14:00?"), now);
    assert_eq!(c.method, Method::Counter);
    assert_eq!(c.event.start, london(1, 14));
    assert_eq!(c.event.end, Some(london(1, 15)));
    assert_eq!(c.event.rrules, weekly(1).rrules, "a series is countered as a series");
}

#[test]
fn an_organisers_cancel_of_one_instance_names_it_and_goes_to_every_attendee() {
    let now: DateTime<Utc> = "2026-11-24T14:00:00Z".parse().unwrap();
    let mut mine = weekly(4);
    mine.organizer = Some(Participant::new("dana@northwind.example", None));
    mine.attendees.push(Attendee {
        participant: Participant::new("lee@northwind.example", None),
        role: Role::Required,
        status: ParticipationStatus::Accepted,
        rsvp: true,
    });
    let c = cancel(&mine, &me(), Some(london(8, 10)), None, now);
    assert_eq!(c.event.recurrence_id, Some(london(8, 10)));
    assert!(c.event.rrules.is_empty());
    assert_eq!(c.event.status, EventStatus::Cancelled);
    assert_eq!(c.recipients.iter().map(|p| p.address.as_str()).collect::<Vec<_>>(), ["lee@northwind.example"]);
    let org = c.event.organizer.unwrap();
    assert!(org.kept_params.iter().any(|(k, _)| k == "SENT-BY"));
}

#[test]
fn a_reply_about_one_instance_answers_that_instance_only() {
    let mut mine = weekly(1);
    mine.organizer = Some(Participant::new("dana@northwind.example", None));
    mine.attendees[0].participant = Participant::new("lee@northwind.example", None);
    let mut r = mine.clone();
    r.rrules.clear();
    r.recurrence_id = Some(london(8, 10));
    r.attendees[0].status = ParticipationStatus::Declined;
    let events = changed(apply(Method::Reply, &[r], std::slice::from_ref(&mine)));
    assert_eq!(events.len(), 2, "an override now carries the answer");
    assert_eq!(events[0].attendees[0].status, ParticipationStatus::NeedsAction, "the series is not declined");
    assert_eq!(events[1].attendees[0].status, ParticipationStatus::Declined);
    assert_eq!(starts(&events)[1], "12-08T10", "the instance keeps its time");
}
