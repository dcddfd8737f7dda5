//! The store on a real SQLite file in a temporary directory.

use chrono::{DateTime, Utc};
use tandem_core::calendar::{Event, EventTime};
use tandem_core::decision::{Decider, Decision, DecisionAction};
use tandem_core::invitation::{Invitation, InvitationSource};
use tandem_core::mail::{Lane, LaneSource, Mailbox, Message, MessageFlags, MessageState};
use tandem_core::ExecutiveProfile;
use tandem_store::{
    migrations, FeedOutcome, InvitationState, MessageFilter, NewCalendar, NewMessage, RuleBook, Store, StoreError,
};

fn profile(id: &str, name: &str) -> ExecutiveProfile {
    ExecutiveProfile::from_toml(&format!(
        "id = \"{id}\"\nname = \"{name}\"\naddresses = [\"{id}@n.example\"]\nhome_time_zone = \"Europe/London\"\n"
    ))
    .unwrap()
}

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

/// Claims Dana's next mail item due at `when` (the SMTP replay's claim).
fn claim(store: &Store, when: &str) -> Option<tandem_store::OutboxItem> {
    store.claim_outbox_item("dana", at(when), tandem_store::OutboxKind::MAILED).unwrap()
}

fn event(uid: &str, summary: &str, sequence: u32) -> Event {
    let mut e = Event::new(uid, summary, EventTime::Utc { instant: at("2026-03-02T09:00:00Z") });
    e.sequence = sequence;
    e
}

fn message(id: &str, date: &str) -> Message {
    Message {
        message_id: id.into(),
        in_reply_to: None,
        references: vec![],
        from: Mailbox { name: None, address: "a@x.example".into() },
        to: vec![],
        cc: vec![],
        subject: format!("subject {id}"),
        date: at(date),
        body_text: "body".into(),
        has_html: false,
        calendar_method: None,
        marked_important: false,
        attachments: vec![],
        automation: Default::default(),
        lane: Lane::Untriaged,
        flags: MessageFlags::default(),
    }
}

#[test]
fn a_new_store_is_created_on_disk_in_wal_mode_at_the_latest_schema() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_dir(&dir.path().join("nested/data")).unwrap();
    assert!(store.path().exists());
    assert_eq!(store.schema_version().unwrap(), migrations::LATEST);
    let mode: String =
        rusqlite::Connection::open(store.path()).unwrap().query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn reopening_a_store_keeps_its_data() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = Store::open_dir(dir.path()).unwrap();
        store.save_executive(&profile("dana", "Dana")).unwrap();
        let cal = store.ensure_calendar("dana", &NewCalendar { name: "Work", color: "#123456", source: None }).unwrap();
        store.upsert_events(cal.id, &[(event("a@x", "Standup", 0), "BEGIN:VEVENT...".into())]).unwrap();
    }
    let store = Store::open_dir(dir.path()).unwrap();
    assert_eq!(store.executive_profile("dana").unwrap().name, "Dana");
    let events = store.events_of("dana").unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].event.summary, "Standup");
    assert_eq!(store.event_raw(events[0].calendar_id, "a@x", "").unwrap().as_deref(), Some("BEGIN:VEVENT..."));
}

#[test]
fn a_store_written_by_a_newer_version_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tandem.sqlite3");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE future (x); INSERT INTO future VALUES (42);").unwrap();
        conn.pragma_update(None, "user_version", migrations::LATEST + 5).unwrap();
    }
    let err = Store::open(&path).err().expect("a newer store must be refused");
    assert!(matches!(err, StoreError::NewerSchema { found, .. } if found == migrations::LATEST + 5));
    assert!(err.to_string().contains("newer Tandem"), "{err}");
    let conn = rusqlite::Connection::open(&path).unwrap();
    let kept: i64 = conn.query_row("SELECT x FROM future", [], |r| r.get(0)).unwrap();
    assert_eq!(kept, 42);
}

#[test]
fn an_older_store_is_migrated_forward_keeping_its_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tandem.sqlite3");
    {
        // A store at schema 1 with a row in it, written by hand as an older build would have.
        let conn = rusqlite::Connection::open(&path).unwrap();
        for sql in migrations::STEPS[0] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute(
            "INSERT INTO executives (id, name, profile_toml, position) VALUES ('dana', 'Dana', ?1, 1)",
            [profile("dana", "Dana").to_toml()],
        )
        .unwrap();
        conn.execute("INSERT INTO calendars (executive_id, name, color) VALUES ('dana', 'Work', '#2f6fde')", [])
            .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), migrations::LATEST);
    assert_eq!(store.executives().unwrap()[0].name, "Dana");
    // Schema 2 added per-calendar visibility: an older calendar is shown.
    let work = &store.calendars("dana").unwrap()[0];
    assert_eq!((work.name.as_str(), work.color.as_str(), work.visible), ("Work", "#2f6fde", true));
}

#[test]
fn several_executives_share_a_store_and_deleting_one_removes_only_their_data() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_dir(dir.path()).unwrap();
    for (id, name) in [("dana", "Dana"), ("lee", "Lee")] {
        store.save_executive(&profile(id, name)).unwrap();
        let cal = store.ensure_calendar(id, &NewCalendar { name: "Work", color: "#000", source: None }).unwrap();
        store.upsert_events(cal.id, &[(event(&format!("{id}@x"), name, 0), String::new())]).unwrap();
        store
            .insert_messages(
                id,
                &[NewMessage::inbox(message(&format!("m-{id}"), "2026-01-01T00:00:00Z"), b"raw".to_vec())],
            )
            .unwrap();
    }
    let names: Vec<String> = store.executives().unwrap().into_iter().map(|e| e.name).collect();
    assert_eq!(names, ["Dana", "Lee"]);
    assert!(store.delete_executive("dana").unwrap());
    assert!(store.events_of("dana").unwrap().is_empty());
    assert_eq!(store.events_of("lee").unwrap().len(), 1);
    assert_eq!(store.message_count("lee").unwrap(), 1);
    assert!(matches!(store.executive_profile("dana"), Err(StoreError::NotFound { .. })));
}

#[test]
fn an_older_sequence_of_an_event_does_not_overwrite_a_newer_one() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_dir(dir.path()).unwrap();
    store.save_executive(&profile("dana", "Dana")).unwrap();
    let cal = store.ensure_calendar("dana", &NewCalendar { name: "Work", color: "#000", source: None }).unwrap();
    store.upsert_events(cal.id, &[(event("a@x", "v2", 2), String::new())]).unwrap();
    assert_eq!(store.upsert_events(cal.id, &[(event("a@x", "v1", 1), String::new())]).unwrap(), 0);
    store.upsert_events(cal.id, &[(event("a@x", "v3", 3), String::new())]).unwrap();
    let events = store.events_of("dana").unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].event.summary, "v3");
}

#[test]
fn messages_page_newest_first_and_a_reimport_is_not_a_duplicate() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_dir(dir.path()).unwrap();
    store.save_executive(&profile("dana", "Dana")).unwrap();
    let batch = vec![
        NewMessage::inbox(message("old", "2026-01-01T00:00:00Z"), b"1".to_vec()),
        NewMessage::inbox(message("new", "2026-01-03T00:00:00Z"), b"2".to_vec()),
        NewMessage::inbox(message("mid", "2026-01-02T00:00:00Z"), b"3".to_vec()),
    ];
    assert_eq!(store.insert_messages("dana", &batch).unwrap().len(), 3);
    assert!(store.insert_messages("dana", &batch).unwrap().is_empty());
    let all = MessageFilter::default();
    let page: Vec<String> =
        store.messages_page("dana", &all, 0, 2).unwrap().into_iter().map(|m| m.message.message_id).collect();
    assert_eq!(page, ["new", "mid"]);
    let rest = store.messages_page("dana", &all, 2, 2).unwrap();
    assert_eq!(rest[0].message.message_id, "old");
    assert_eq!(store.message_raw(rest[0].id).unwrap(), b"1");
}

#[test]
fn a_newer_invitation_sequence_replaces_the_pending_one() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_dir(dir.path()).unwrap();
    store.save_executive(&profile("dana", "Dana")).unwrap();
    let inv = |seq, title: &str| Invitation {
        event: event("inv@x", title, seq),
        source: InvitationSource::Mail { message_id: "m1".into() },
        counter_from: None,
    };
    store.upsert_invitation("dana", &inv(1, "First"), at("2026-01-01T00:00:00Z")).unwrap();
    store.upsert_invitation("dana", &inv(0, "Stale"), at("2026-01-02T00:00:00Z")).unwrap();
    store.upsert_invitation("dana", &inv(2, "Moved"), at("2026-01-03T00:00:00Z")).unwrap();
    let pending = store.invitations("dana", InvitationState::Pending).unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].invitation.event.summary, "Moved");
    assert!(store.invitations("dana", InvitationState::Answered).unwrap().is_empty());
}

fn decision(uid: &str, action: DecisionAction, t: &str) -> Decision {
    Decision {
        uid: uid.into(),
        recurrence_id: None,
        summary: "Audit committee".into(),
        action,
        decider: Decider::Rule { name: "Board always".into() },
        reason: format!("{} by rule", action.as_str()),
        decided_at: at(t),
        message: None,
        delegate_to: None,
        proposed: None,
        tier: None,
    }
}

#[test]
fn decisions_are_recorded_with_their_reasons_in_time_order() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_dir(dir.path()).unwrap();
    store.save_executive(&profile("dana", "Dana")).unwrap();
    for (t, action) in
        [("2026-01-02T00:00:00Z", DecisionAction::Decline), ("2026-01-01T00:00:00Z", DecisionAction::Accept)]
    {
        store.record_decision("dana", &decision("u", action, t), None).unwrap();
    }
    let log = store.decisions("dana").unwrap();
    assert_eq!(
        log.iter().map(|d| d.decision.action).collect::<Vec<_>>(),
        [DecisionAction::Accept, DecisionAction::Decline]
    );
}

#[test]
fn an_undone_decision_stays_in_the_log_and_no_longer_stands_for_its_invitation() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_dir(dir.path()).unwrap();
    store.save_executive(&profile("dana", "Dana")).unwrap();
    let inv = Invitation {
        event: event("inv@x", "Audit", 1),
        source: InvitationSource::Mail { message_id: "m".into() },
        counter_from: None,
    };
    store.upsert_invitation("dana", &inv, at("2026-01-01T00:00:00Z")).unwrap();
    let inv_id = store.invitations("dana", InvitationState::Pending).unwrap()[0].id;
    let first = store
        .record_decision("dana", &decision("inv@x", DecisionAction::Decline, "2026-01-01T01:00:00Z"), Some(inv_id))
        .unwrap();
    assert_eq!(store.standing_decision(inv_id).unwrap().unwrap().id, first);
    store.mark_decision_undone(first, at("2026-01-01T01:05:00Z")).unwrap();
    assert_eq!(store.standing_decision(inv_id).unwrap(), None);
    let log = store.decisions("dana").unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].undone_at, Some(at("2026-01-01T01:05:00Z")));
    assert_eq!(log[0].invitation_id, Some(inv_id));
}

#[test]
fn invitation_states_move_and_a_cancellation_reaches_every_instance_or_one() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_dir(dir.path()).unwrap();
    store.save_executive(&profile("dana", "Dana")).unwrap();
    let mut one = event("series@x", "Weekly", 1);
    one.recurrence_id = Some(EventTime::Utc { instant: at("2026-03-09T09:00:00Z") });
    for e in [event("series@x", "Weekly", 1), one] {
        let inv = Invitation { event: e, source: InvitationSource::Calendar { calendar_id: 1 }, counter_from: None };
        assert!(store.upsert_invitation("dana", &inv, at("2026-01-01T00:00:00Z")).unwrap());
    }
    let all = store.invitations_since("dana", at("2025-12-01T00:00:00Z")).unwrap();
    assert_eq!(all.len(), 2);
    store.set_invitation_state(all[0].id, InvitationState::Held).unwrap();
    assert_eq!(store.invitation(all[0].id).unwrap().state, InvitationState::Held);
    assert_eq!(store.cancel_invitations("dana", "series@x", Some("20260309T090000Z")).unwrap(), 1);
    assert_eq!(store.invitation(all[1].id).unwrap().state, InvitationState::Cancelled);
    assert_eq!(store.cancel_invitations("dana", "series@x", None).unwrap(), 2);
    assert!(store.invitations_since("dana", at("2026-02-01T00:00:00Z")).unwrap().is_empty());
}

#[test]
fn the_outbox_sends_oldest_first_after_the_undo_window_and_a_taken_back_item_never_leaves() {
    use tandem_store::{NewOutboxItem, OutboxKind, OutboxState};
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_dir(dir.path()).unwrap();
    store.save_executive(&profile("dana", "Dana")).unwrap();
    let to = vec!["renee@board.example".to_string()];
    let item = |summary: &'static str, after: &str| NewOutboxItem {
        kind: OutboxKind::Imip,
        summary,
        recipients: &to,
        payload: b"From: dana@n.example\r\n\r\nhi",
        decision: None,
        uid: Some("m@x"),
        created_at: at("2026-01-01T00:00:00Z"),
        send_after: at(after),
    };
    let a = store.enqueue("dana", &item("first", "2026-01-01T00:01:00Z")).unwrap();
    let b = store.enqueue("dana", &item("second", "2026-01-01T00:01:00Z")).unwrap();
    let c = store.enqueue("dana", &item("third", "2026-01-01T00:01:00Z")).unwrap();
    assert_eq!(claim(&store, "2026-01-01T00:00:30Z"), None, "still in the undo window");
    assert!(store.cancel_outbox_item(b).unwrap());
    assert_eq!(store.queued_for_meeting("dana", "m@x").unwrap().iter().map(|i| i.id).collect::<Vec<_>>(), [a, c]);
    assert!(!store.meeting_announced("dana", "m@x").unwrap());
    let claimed = claim(&store, "2026-01-01T00:02:00Z").unwrap();
    assert_eq!((claimed.id, claimed.state, claimed.attempts), (a, OutboxState::Sending, 1));
    assert!(!store.cancel_outbox_item(a).unwrap(), "too late: it is being sent");
    store.mark_outbox_sent(a, at("2026-01-01T00:02:01Z")).unwrap();
    assert!(store.meeting_announced("dana", "m@x").unwrap());
    // A kill while sending the third: the next replay finds it and queues it again.
    assert_eq!(claim(&store, "2026-01-01T00:02:00Z").unwrap().id, c);
    drop(store);
    let store = Store::open_dir(dir.path()).unwrap();
    assert_eq!(store.requeue_interrupted(at("2026-01-01T00:02:00Z")).unwrap(), 0, "a send may still be under way");
    assert_eq!(store.requeue_interrupted(at("2026-01-01T00:12:00Z")).unwrap(), 1);
    let again = claim(&store, "2026-01-01T00:03:00Z").unwrap();
    assert_eq!((again.id, again.attempts), (c, 2));
    store.mark_outbox_failed(c, "connection refused", Some(at("2026-01-01T00:08:00Z"))).unwrap();
    assert_eq!(claim(&store, "2026-01-01T00:04:00Z"), None, "retry waits");
    let states: Vec<(String, OutboxState)> =
        store.outbox("dana").unwrap().into_iter().map(|i| (i.summary, i.state)).collect();
    assert_eq!(
        states,
        [
            ("first".into(), OutboxState::Sent),
            ("second".into(), OutboxState::Cancelled),
            ("third".into(), OutboxState::Queued)
        ]
    );
    assert_eq!(store.outbox_item(c).unwrap().last_error.as_deref(), Some("connection refused"));

    // While the third waits for its retry, a later message about the same meeting waits too;
    // a plain mail (no meeting) and another executive's mail do not.
    let fourth = store.enqueue("dana", &item("fourth", "2026-01-01T00:03:00Z")).unwrap();
    let mail = store
        .enqueue("dana", &NewOutboxItem { kind: OutboxKind::Mail, uid: None, ..item("mail", "2026-01-01T00:03:00Z") })
        .unwrap();
    assert_eq!(claim(&store, "2026-01-01T00:04:00Z").unwrap().id, mail);
    assert_eq!(claim(&store, "2026-01-01T00:04:00Z"), None, "the fourth waits");
    assert_eq!(claim(&store, "2026-01-01T00:08:00Z").unwrap().id, c);
    store.mark_outbox_sent(c, at("2026-01-01T00:08:01Z")).unwrap();
    assert_eq!(claim(&store, "2026-01-01T00:08:00Z").unwrap().id, fourth);
    assert_eq!(
        store.claim_outbox_item("someone-else", at("2030-01-01T00:00:00Z"), tandem_store::OutboxKind::MAILED).unwrap(),
        None
    );
}

#[test]
fn a_rules_document_and_tiers_are_kept_per_executive() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_dir(dir.path()).unwrap();
    store.save_executive(&profile("dana", "Dana")).unwrap();
    assert_eq!(store.rules_document("dana", RuleBook::Invitations).unwrap(), None);
    store.save_rules_document("dana", RuleBook::Invitations, "# mine\n", at("2026-01-01T00:00:00Z")).unwrap();
    store.save_rules_document("dana", RuleBook::Invitations, "# mine, again\n", at("2026-01-02T00:00:00Z")).unwrap();
    assert_eq!(store.rules_document("dana", RuleBook::Invitations).unwrap().as_deref(), Some("# mine, again\n"));
    assert_eq!(store.rules_document("dana", RuleBook::Triage).unwrap(), None, "each book is apart");
    store.save_rules_document("dana", RuleBook::Triage, "# lanes\n", at("2026-01-02T00:00:00Z")).unwrap();
    assert_eq!(store.rules_document("dana", RuleBook::Triage).unwrap().as_deref(), Some("# lanes\n"));
    store.set_tier("dana", "board@x", tandem_core::Tier::P0).unwrap();
    store.set_tier("dana", "board@x", tandem_core::Tier::P1).unwrap();
    assert_eq!(store.tiers("dana").unwrap().get("board@x"), Some(&tandem_core::Tier::P1));
    assert!(store.delete_executive("dana").unwrap());
    assert_eq!(store.rules_document("dana", RuleBook::Invitations).unwrap(), None, "goes with the executive");
}

#[test]
fn replacing_a_meeting_drops_its_withdrawn_instances_and_leaves_other_meetings() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_dir(dir.path()).unwrap();
    store.save_executive(&profile("dana", "Dana")).unwrap();
    let cal = store.ensure_calendar("dana", &NewCalendar { name: "Work", color: "#000000", source: None }).unwrap();
    let mut moved = event("m@x", "Weekly (moved)", 5);
    moved.recurrence_id = Some(EventTime::Utc { instant: at("2026-03-09T09:00:00Z") });
    let batch = vec![
        (event("m@x", "Weekly", 1), String::new()),
        (moved, String::new()),
        (event("o@x", "Other", 0), String::new()),
    ];
    store.upsert_events(cal.id, &batch).unwrap();
    store.replace_meeting(cal.id, "m@x", &[(event("m@x", "Weekly v2", 2), String::new())]).unwrap();
    let left: Vec<String> =
        store.events_with_uid("dana", "m@x").unwrap().into_iter().map(|e| e.event.summary).collect();
    assert_eq!(left, ["Weekly v2"]);
    assert_eq!(store.events_with_uid("dana", "o@x").unwrap().len(), 1);
}

#[test]
fn an_explicit_data_dir_wins_over_the_environment() {
    let explicit = std::path::PathBuf::from("/tmp/explicit");
    assert_eq!(tandem_store::resolve_data_dir(Some(explicit.clone())).unwrap(), explicit);
}

#[test]
fn a_subscription_is_due_at_once_then_after_its_interval_and_backs_off_while_failing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_dir(dir.path()).unwrap();
    store.save_executive(&profile("dana", "Dana")).unwrap();
    let now = at("2026-11-28T09:00:00Z");
    let cal = store.add_subscription("dana", "Holidays", "#aa3355", "webcal://h.example/f.ics", 3_600, now).unwrap();
    assert_eq!(store.due_subscriptions(now).unwrap().len(), 1, "a new subscription is fetched straight away");

    let fetched = FeedOutcome::Fetched { etag: Some("\"v1\"".into()), last_modified: None, refresh_secs: 7_200 };
    store.record_feed(cal.id, &fetched, now).unwrap();
    assert!(store.due_subscriptions(at("2026-11-28T10:59:59Z")).unwrap().is_empty());
    let sub = &store.due_subscriptions(at("2026-11-28T11:00:00Z")).unwrap()[0];
    assert_eq!((sub.etag.as_deref(), sub.refresh_secs, sub.fetched_at), (Some("\"v1\""), 7_200, Some(now)));

    // Failures: 5, 10, 20, 40, 80 minutes, then capped at the feed's own interval (2 h).
    let mut t = at("2026-11-28T11:00:00Z");
    let mut waits = Vec::new();
    for _ in 0..6 {
        store.record_feed(cal.id, &FeedOutcome::Failed { error: "connection refused".into() }, t).unwrap();
        let sub = store.subscription(cal.id).unwrap();
        waits.push((sub.next_at - t).num_minutes());
        t = sub.next_at;
    }
    assert_eq!(waits, [5, 10, 20, 40, 80, 120]);
    let sub = store.subscription(cal.id).unwrap();
    assert_eq!((sub.failures, sub.error.as_deref(), sub.fetched_at), (6, Some("connection refused"), Some(now)));
    store.record_feed(cal.id, &fetched, t).unwrap();
    let sub = store.subscription(cal.id).unwrap();
    assert_eq!((sub.failures, sub.error), (0, None), "a success clears the failure");
}

#[test]
fn a_second_calendar_of_the_same_name_is_refused_and_a_feed_replaces_its_calendars_events() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_dir(dir.path()).unwrap();
    store.save_executive(&profile("dana", "Dana")).unwrap();
    let now = at("2026-11-28T09:00:00Z");
    let cal = store.add_subscription("dana", "Team", "#aa3355", "https://h.example/f.ics", 3_600, now).unwrap();
    let err = store.add_subscription("dana", "Team", "#aa3355", "https://h.example/g.ics", 3_600, now).unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
    assert_eq!(store.calendars("dana").unwrap().len(), 1);

    let batch = |uids: &[&str]| uids.iter().map(|u| (event(u, u, 0), String::new())).collect::<Vec<_>>();
    store.replace_events(cal.id, &batch(&["a", "b"])).unwrap();
    store.replace_events(cal.id, &batch(&["b", "c"])).unwrap();
    let mut uids: Vec<_> = store.events_of("dana").unwrap().iter().map(|e| e.event.uid.clone()).collect();
    uids.sort();
    assert_eq!(uids, ["b", "c"], "an event gone from the feed is gone from the calendar");
}

#[test]
fn a_reminder_is_claimed_once_and_old_deliveries_are_forgotten() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_dir(dir.path()).unwrap();
    store.save_executive(&profile("dana", "Dana")).unwrap();
    let t = at("2026-12-01T14:50:00Z");
    assert!(store.claim_reminder("dana", "board|x|1", t).unwrap());
    assert!(!store.claim_reminder("dana", "board|x|1", t).unwrap(), "the second claim is refused");
    drop(store);
    let store = Store::open_dir(dir.path()).unwrap();
    assert!(!store.claim_reminder("dana", "board|x|1", t).unwrap(), "still refused after a restart");
    assert_eq!(store.forget_reminders_before(at("2026-12-02T00:00:00Z")).unwrap(), 1);
    assert!(store.claim_reminder("dana", "board|x|1", t).unwrap());
}

#[test]
fn events_are_read_once_and_again_after_any_write_here_or_by_another_process() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_dir(dir.path()).unwrap();
    store.save_executive(&profile("dana", "Dana")).unwrap();
    let cal = store.ensure_calendar("dana", &NewCalendar { name: "Work", color: "#000", source: None }).unwrap();
    store.upsert_events(cal.id, &[(event("a@x", "A", 0), String::new())]).unwrap();
    let first = store.events_of("dana").unwrap();
    assert!(std::sync::Arc::ptr_eq(&first, &store.events_of("dana").unwrap()), "unchanged: not read again");

    store.upsert_events(cal.id, &[(event("b@x", "B", 0), String::new())]).unwrap();
    assert_eq!(store.events_of("dana").unwrap().len(), 2, "a write here is seen");

    // Another process (the CLI while the app is open) adds an event.
    let other = Store::open_dir(dir.path()).unwrap();
    other.upsert_events(cal.id, &[(event("c@x", "C", 0), String::new())]).unwrap();
    assert_eq!(store.events_of("dana").unwrap().len(), 3, "another connection's commit is seen");

    // A cascade (the executive deleted) empties it.
    store.delete_executive("dana").unwrap();
    assert!(store.events_of("dana").unwrap().is_empty());
}

fn mail(id: &str, date: &str, from: (&str, &str), subject: &str, body: &str) -> Message {
    Message {
        from: Mailbox { name: Some(from.0.into()), address: from.1.into() },
        to: vec![Mailbox { name: Some("Dana Okafor".into()), address: "dana@northwind.example".into() }],
        subject: subject.into(),
        body_text: body.into(),
        ..message(id, date)
    }
}

#[test]
fn search_finds_words_phrases_and_people_and_filters_by_lane_and_date() {
    use tandem_core::search::parse;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("tandem.sqlite3")).unwrap();
    store.save_executive(&profile("dana", "Dana")).unwrap();
    let mut fyi = mail(
        "3@x",
        "2026-11-20T09:00:00Z",
        ("Raj Malhotra", "raj@summitpeak.example"),
        "Quick call",
        "before the board meeting?",
    );
    fyi.lane = Lane::Fyi;
    let all = [
        mail(
            "1@x",
            "2026-11-10T18:19:00Z",
            ("Eleanor Vance", "eleanor@vanceholdings.example"),
            "Board pack: draft",
            "The budget section is attached.",
        ),
        mail(
            "2@x",
            "2026-11-12T22:53:00Z",
            ("Ava Thompson", "ava.thompson@contoso.example"),
            "Renewal terms",
            "Budgeting for next year",
        ),
        fyi,
    ];
    store
        .insert_messages("dana", &all.iter().map(|m| NewMessage::inbox(m.clone(), b"raw".to_vec())).collect::<Vec<_>>())
        .unwrap();
    let ids = |q: &str| -> Vec<String> {
        store
            .search_messages("dana", &parse(q).unwrap(), 50)
            .unwrap()
            .into_iter()
            .map(|s| s.message.message_id)
            .collect()
    };
    assert_eq!(ids("budg"), ["2@x", "1@x"], "a word is a prefix, in the subject or the body");
    assert_eq!(ids("\"board meeting\""), ["3@x"]);
    assert_eq!(ids("from:eleanor"), ["1@x"]);
    assert_eq!(ids("from:ava.thompson@contoso.example"), ["2@x"]);
    assert_eq!(ids("to:dana board"), ["3@x", "1@x"]);
    assert_eq!(ids("lane:fyi"), ["3@x"]);
    assert_eq!(ids("after:2026-11-12 before:2026-11-20"), ["2@x"]);
    assert!(ids("nothing-like-this").is_empty());
    // Another executive's mail is not found.
    store.save_executive(&profile("marcus", "Marcus")).unwrap();
    assert!(store.search_messages("marcus", &parse("budg").unwrap(), 50).unwrap().is_empty());
}

#[test]
fn messages_stored_before_search_existed_are_indexed_when_the_store_is_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tandem.sqlite3");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        for step in &migrations::STEPS[..6] {
            for sql in *step {
                conn.execute_batch(sql).unwrap();
            }
        }
        conn.pragma_update(None, "user_version", 6).unwrap();
        conn.execute(
            "INSERT INTO executives (id, name, profile_toml, position) VALUES ('dana', 'Dana', ?1, 1)",
            [profile("dana", "Dana").to_toml()],
        )
        .unwrap();
        let m = mail(
            "1@x",
            "2026-11-10T18:19:00Z",
            ("Eleanor Vance", "eleanor@vanceholdings.example"),
            "Board pack",
            "budget",
        );
        conn.execute(
            "INSERT INTO messages (executive_id, message_id, thread_key, date, from_address, subject, lane, data, raw)
             VALUES ('dana', '1@x', '1@x', '2026-11-10T18:19:00Z', ?1, 'Board pack', 'untriaged', ?2, x'00')",
            rusqlite::params![m.from.address, serde_json::to_string(&m).unwrap()],
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let parse = tandem_core::search::parse;
    for q in ["budget", "from:eleanor", "to:dana@northwind.example", "\"board pack\""] {
        assert_eq!(store.search_messages("dana", &parse(q).unwrap(), 10).unwrap().len(), 1, "{q}");
    }
}

#[test]
fn a_reply_that_names_only_its_parent_joins_the_parents_thread() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_dir(dir.path()).unwrap();
    store.save_executive(&profile("dana", "Dana")).unwrap();
    let root = message("root@x", "2026-01-01T00:00:00Z");
    let second = Message {
        in_reply_to: Some("root@x".into()),
        references: vec!["root@x".into()],
        ..message("b@x", "2026-01-02T00:00:00Z")
    };
    // Some clients send only In-Reply-To, naming the message just before.
    let third = Message { in_reply_to: Some("b@x".into()), ..message("c@x", "2026-01-03T00:00:00Z") };
    let batch: Vec<NewMessage> =
        [root, second, third].into_iter().map(|m| NewMessage::inbox(m, b"r".to_vec())).collect();
    store.insert_messages("dana", &batch).unwrap();
    let thread: Vec<String> =
        store.thread("dana", "root@x").unwrap().into_iter().map(|m| m.message.message_id).collect();
    assert_eq!(thread, ["root@x", "b@x", "c@x"]);
}

#[test]
fn a_message_state_round_trips_and_the_inbox_leaves_out_archived_and_snoozed_mail() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_dir(dir.path()).unwrap();
    store.save_executive(&profile("dana", "Dana")).unwrap();
    let sent =
        NewMessage { folder: "Sent".into(), ..NewMessage::inbox(message("sent@x", "2026-01-01T00:00:00Z"), vec![]) };
    let ids = store
        .insert_messages(
            "dana",
            &[
                NewMessage::inbox(message("a@x", "2026-01-02T00:00:00Z"), vec![]),
                NewMessage::inbox(message("b@x", "2026-01-03T00:00:00Z"), vec![]),
                sent,
            ],
        )
        .unwrap();
    assert!(store.message("dana", ids[2]).unwrap().state.archived, "found outside the inbox: archived");
    let state = MessageState {
        lane: Lane::Fyi,
        lane_reason: "cc only".into(),
        lane_by: LaneSource::Heuristic,
        flags: MessageFlags { seen: true, flagged: true, answered: false },
        archived: false,
        snoozed_until: Some(at("2026-01-05T09:00:00Z")),
        follow_up_at: Some(at("2026-01-06T09:00:00Z")),
        event_uid: Some("board@x".into()),
    };
    store.set_message_state("dana", ids[1], &state).unwrap();
    let read = store.message("dana", ids[1]).unwrap();
    assert_eq!(read.state, state);
    assert_eq!(read.message.lane, Lane::Fyi, "the parsed form shows the stored lane");
    let inbox = |now: &str| -> Vec<String> {
        let filter = MessageFilter { inbox_at: Some(at(now)), ..Default::default() };
        store.messages_page("dana", &filter, 0, 10).unwrap().into_iter().map(|m| m.message.message_id).collect()
    };
    assert_eq!(inbox("2026-01-04T00:00:00Z"), ["a@x"], "snoozed until the 5th, and Sent is archived");
    assert_eq!(inbox("2026-01-05T09:00:00Z"), ["b@x", "a@x"], "back when the snooze ends");
    let due = store.mail_due("dana", at("2026-01-05T00:00:00Z"), at("2026-01-06T12:00:00Z")).unwrap();
    assert_eq!(due.len(), 1);
    let fyi = MessageFilter { lane: Some(Lane::Fyi), ..Default::default() };
    assert_eq!(store.lane_counts("dana", &fyi).unwrap(), [(Lane::Fyi, 1)]);
    let untriaged = MessageFilter { untriaged: true, ..Default::default() };
    assert_eq!(store.messages_page("dana", &untriaged, 0, 10).unwrap().len(), 2);
    assert!(matches!(store.set_message_state("lee", ids[1], &state), Err(StoreError::NotFound { .. })));
}

#[test]
fn a_mail_action_keeps_the_states_it_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_dir(dir.path()).unwrap();
    store.save_executive(&profile("dana", "Dana")).unwrap();
    let before = vec![(7, MessageState { lane: Lane::Noise, ..Default::default() })];
    let id = store
        .record_mail_action(
            "dana",
            "archived 1 message",
            &before,
            Some("Mail from x"),
            None,
            at("2026-01-01T00:00:00Z"),
        )
        .unwrap();
    let action = store.mail_action("dana", id).unwrap();
    assert_eq!(
        (action.summary.as_str(), action.before.clone(), action.undone_at),
        ("archived 1 message", before, None)
    );
    store.mark_mail_action_undone("dana", id, at("2026-01-01T00:01:00Z")).unwrap();
    assert!(store.mail_action("dana", id).unwrap().undone_at.is_some());
    assert!(matches!(store.mail_action("lee", id), Err(StoreError::NotFound { .. })));
}

#[test]
fn flags_stored_before_step_8_move_into_their_columns() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tandem.sqlite3");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        for step in &migrations::STEPS[..7] {
            for sql in *step {
                conn.execute_batch(sql).unwrap();
            }
        }
        conn.pragma_update(None, "user_version", 7).unwrap();
        conn.execute(
            "INSERT INTO executives (id, name, profile_toml, position) VALUES ('dana', 'Dana', ?1, 1)",
            [profile("dana", "Dana").to_toml()],
        )
        .unwrap();
        let mut m = message("1@x", "2026-11-10T18:19:00Z");
        m.flags = MessageFlags { seen: true, flagged: true, answered: false };
        conn.execute(
            "INSERT INTO messages (executive_id, message_id, thread_key, date, from_address, subject, lane, data, raw)
             VALUES ('dana', '1@x', '1@x', '2026-11-10T18:19:00Z', 'a@x.example', 's', 'fyi', ?1, x'00')",
            [serde_json::to_string(&m).unwrap()],
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let read = &store.messages_page("dana", &MessageFilter::default(), 0, 1).unwrap()[0];
    assert_eq!(read.state.flags, MessageFlags { seen: true, flagged: true, answered: false });
    assert_eq!(read.state.lane, Lane::Fyi);
    assert!(!read.state.archived);
    assert_eq!(store.message("dana", read.id).unwrap().message.body_text, "body", "the body moved to its column");
}

#[test]
fn a_list_reads_the_start_of_each_body_and_a_message_reads_all_of_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_dir(dir.path()).unwrap();
    store.save_executive(&profile("dana", "Dana")).unwrap();
    let long = Message { body_text: "word ".repeat(1000), ..message("long@x", "2026-01-01T00:00:00Z") };
    let id = store.insert_messages("dana", &[NewMessage::inbox(long.clone(), vec![])]).unwrap()[0];
    let listed = &store.messages_page("dana", &MessageFilter::default(), 0, 1).unwrap()[0];
    assert_eq!(listed.message.body_text.len(), tandem_store::LIST_BODY_CHARS);
    let whole = MessageFilter { full_body: true, ..Default::default() };
    assert_eq!(store.messages_page("dana", &whole, 0, 1).unwrap()[0].message.body_text, long.body_text);
    assert_eq!(store.message("dana", id).unwrap().message, long);
}

#[test]
fn many_messages_of_the_same_second_are_all_indexed_and_found_newest_first() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_dir(dir.path()).unwrap();
    store.save_executive(&profile("dana", "Dana")).unwrap();
    let mut batch: Vec<NewMessage> = (0..300)
        .map(|i| {
            NewMessage::inbox(
                mail(&format!("{i}@x"), "2026-11-10T18:19:00Z", ("A", "a@x.example"), "Same", "same second"),
                vec![],
            )
        })
        .collect();
    batch.push(NewMessage::inbox(
        mail("later@x", "2026-11-11T08:00:00Z", ("A", "a@x.example"), "Same", "same second"),
        vec![],
    ));
    assert_eq!(store.insert_messages("dana", &batch).unwrap().len(), 301);
    let found = store.search_messages("dana", &tandem_core::search::parse("same").unwrap(), 500).unwrap();
    assert_eq!(found.len(), 301);
    assert_eq!(found[0].message.message_id, "later@x");
}

#[test]
fn an_instances_own_prep_note_wins_over_the_series_note_and_an_empty_note_removes_it() {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open_dir(dir.path()).unwrap();
    s.save_executive(&profile("dana", "Dana")).unwrap();
    let t = at("2026-11-24T08:00:00Z");
    s.set_prep_note("dana", "1on1", None, "Ask about hiring", t).unwrap();
    s.set_prep_note("dana", "1on1", Some("20261201T140000Z"), "  Budget first  ", t).unwrap();
    assert_eq!(s.prep_note("dana", "1on1", Some("20261124T140000Z")).unwrap().as_deref(), Some("Ask about hiring"));
    assert_eq!(s.prep_note("dana", "1on1", Some("20261201T140000Z")).unwrap().as_deref(), Some("Budget first"));
    assert_eq!(s.prep_note("dana", "1on1", None).unwrap().as_deref(), Some("Ask about hiring"));
    s.set_prep_note("dana", "1on1", None, "Asked: new note", t).unwrap();
    assert_eq!(s.prep_note("dana", "1on1", None).unwrap().as_deref(), Some("Asked: new note"));
    s.set_prep_note("dana", "1on1", None, " ", t).unwrap();
    assert_eq!(s.prep_note("dana", "1on1", Some("20261124T140000Z")).unwrap(), None);
    assert_eq!(s.prep_note("dana", "other", None).unwrap(), None);
}

#[test]
fn the_last_briefing_delivered_is_the_latest_one_before_the_time_asked_about() {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open_dir(dir.path()).unwrap();
    s.save_executive(&profile("dana", "Dana")).unwrap();
    assert_eq!(s.last_briefing_delivered("dana", at("2026-11-25T00:00:00Z")).unwrap(), None);
    s.record_briefing_delivered("dana", "2026-11-24".parse().unwrap(), "email", at("2026-11-24T07:00:00Z"), Some(7))
        .unwrap();
    s.record_briefing_delivered("dana", "2026-11-25".parse().unwrap(), "pdf", at("2026-11-24T22:00:00Z"), None)
        .unwrap();
    let last = s.last_briefing_delivered("dana", at("2026-11-25T07:00:00Z")).unwrap().unwrap();
    assert_eq!((last.day.to_string(), last.how.as_str()), ("2026-11-25".into(), "pdf"));
    let earlier = s.last_briefing_delivered("dana", at("2026-11-24T22:00:00Z")).unwrap().unwrap();
    assert_eq!(earlier.how, "email", "a delivery at the very time asked about is not before it");
    assert!(s.forget_briefing_mail(7).unwrap());
    assert_eq!(s.last_briefing_delivered("dana", at("2026-11-24T22:00:00Z")).unwrap(), None, "the mail was taken back");
    assert!(!s.forget_briefing_mail(7).unwrap());
}

#[test]
fn deleting_a_calendar_takes_its_events_and_leaves_other_executives_alone() {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open_dir(dir.path()).unwrap();
    s.save_executive(&profile("dana", "Dana")).unwrap();
    let cal = s.ensure_calendar("dana", &NewCalendar { name: "Work (dav)", color: "#000", source: None }).unwrap();
    s.upsert_events(cal.id, &[(event("a@x", "A", 0), String::new())]).unwrap();
    assert!(!s.delete_calendar("marcus", cal.id).unwrap(), "not Marcus's to delete");
    assert!(s.delete_calendar("dana", cal.id).unwrap());
    assert!(s.calendars("dana").unwrap().is_empty());
    assert!(s.events_of("dana").unwrap().is_empty());
}
