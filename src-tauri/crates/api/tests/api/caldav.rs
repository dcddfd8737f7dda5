//! CalDAV accounts end to end: the demo executive's EP adds a Radicale account (checked first,
//! the password into the OS keychain: the test runs inside `tests/with-keychain.sh`), its
//! calendar merges with the demo's, and later syncs bring only what changed.

#[path = "../../../sync/tests/servers/caldav.rs"]
mod server;

use std::sync::Mutex;

use server::{event_ics, CalDavServer, Kind, PASSWORD, USER};
use tandem_api::caldav::{add_caldav_account, mirror_calendar, server_calendars, sync_calendars};
use tandem_api::dto::NewCalDavAccountDto;
use tandem_api::ErrorCode;

use super::{day, now, open_demo};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

fn invitation_ics(uid: &str, summary: &str, start: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Other client//EN\r\nBEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261101T000000Z\r\n\
         DTSTART:{start}\r\nDURATION:PT30M\r\nSUMMARY:{summary}\r\nORGANIZER;CN=Ava Thompson:mailto:ava@contoso.example\r\n\
         ATTENDEE;PARTSTAT=ACCEPTED:mailto:ava@contoso.example\r\n\
         ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:dana.okafor@northwind.example\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
}

#[test]
fn a_radicale_account_is_checked_added_merged_into_the_week_and_kept_in_step() {
    let rt = runtime();
    let radicale = CalDavServer::start(Kind::Radicale);
    let work = radicale.make_calendar("work", "Work", "#1F5FBF");
    let tasks = radicale.make_calendar("family", "Family", "#2F7D6D");
    // Tuesday 24 November, 15:00 and 16:00 in New York.
    radicale.put(&work, "sync.ics", &event_ics("radicale-sync@t", "Radicale team sync", "20261124T200000Z"));
    radicale.put(&work, "ask.ics", &invitation_ics("radicale-ask@t", "Contoso roadmap preview", "20261124T210000Z"));
    radicale.put(&tasks, "recital.ics", &event_ics("recital@t", "School recital", "20261124T230000Z"));
    let (_dir, t) = open_demo();
    let shared = Mutex::new(t);

    let new = |calendars: &[&str]| NewCalDavAccountDto {
        url: radicale.root(),
        username: USER.into(),
        calendars: calendars.iter().map(|c| c.to_string()).collect(),
        ca_file: None,
    };
    let wrong = rt.block_on(add_caldav_account(&shared, None, &new(&[]), "wrong", now())).unwrap_err();
    assert_eq!(wrong.code, ErrorCode::Unauthorized, "{}", wrong.message);
    let missing = rt.block_on(add_caldav_account(&shared, None, &new(&["Holidays"]), PASSWORD, now())).unwrap_err();
    assert_eq!(missing.code, ErrorCode::NotFound);
    assert!(missing.message.contains("Family") && missing.message.contains("Work"), "{}", missing.message);
    assert!(shared.lock().unwrap().accounts(None).unwrap().is_empty(), "nothing is added when the server says no");

    let added = rt.block_on(add_caldav_account(&shared, None, &new(&["Work"]), PASSWORD, now())).unwrap();
    assert_eq!(added.account.kind, "caldav");
    let names: Vec<&str> = added.calendars.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Work (127.0.0.1)"], "the demo has a Work calendar already; only the one asked for");
    assert_eq!(added.calendars[0].color, "#1F5FBF");

    let first = rt.block_on(sync_calendars(&shared, None, now())).unwrap();
    assert_eq!(first.calendars.len(), 1);
    let c = &first.calendars[0];
    assert_eq!((c.fetched, c.removed, c.invitations, c.error.as_deref()), (2, 0, 1, None), "{c:?}");
    let week = shared.lock().unwrap().calendar_range(None, day("2026-11-24"), 1).unwrap();
    let sync = week.items.iter().find(|i| i.summary == "Radicale team sync").expect("merged into the day");
    assert_eq!(sync.calendars, ["Work (127.0.0.1)"]);
    assert_eq!(sync.view_start, "2026-11-24T15:00");
    assert!(week.items.iter().any(|i| i.summary == "Contoso roadmap preview"));
    let queue = shared.lock().unwrap().invitation_queue(None).unwrap();
    assert!(
        queue.held.iter().chain(queue.decided.iter()).any(|i| i.summary == "Contoso roadmap preview"),
        "the unanswered meeting is an invitation, and the rules have run on it"
    );

    // Another client moves one meeting and deletes the other.
    radicale.put(&work, "sync.ics", &event_ics("radicale-sync@t", "Radicale team sync (moved)", "20261124T220000Z"));
    radicale.delete(&work, "ask.ics");
    let second = rt.block_on(sync_calendars(&shared, None, now())).unwrap();
    let c = &second.calendars[0];
    assert_eq!((c.fetched, c.removed), (1, 1), "{c:?}");
    let week = shared.lock().unwrap().calendar_range(None, day("2026-11-24"), 1).unwrap();
    let moved = week.items.iter().find(|i| i.summary == "Radicale team sync (moved)").unwrap();
    assert_eq!(moved.view_start, "2026-11-24T17:00");
    assert!(!week.items.iter().any(|i| i.summary == "Contoso roadmap preview" || i.summary == "Radicale team sync"));

    let third = rt.block_on(sync_calendars(&shared, None, now())).unwrap();
    assert_eq!((third.calendars[0].fetched, third.requests), (0, 1), "an unchanged calendar is one request");

    // The server goes away: the calendar keeps what it had and says why.
    drop(radicale);
    let offline = rt.block_on(sync_calendars(&shared, None, now())).unwrap();
    let error = offline.calendars[0].error.as_deref().unwrap();
    assert!(error.contains("cannot connect to 127.0.0.1"), "{error}");
    let week = shared.lock().unwrap().calendar_range(None, day("2026-11-24"), 1).unwrap();
    assert!(week.items.iter().any(|i| i.summary == "Radicale team sync (moved)"), "offline, the week still shows it");
    let accounts = shared.lock().unwrap().accounts(None).unwrap();
    assert!(accounts[0].last_error.as_deref().is_some_and(|e| e.contains("cannot connect")));
}

fn meeting_ics(uid: &str, summary: &str, organizer: &str, attendee: &str, location: Option<&str>) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Other client//EN\r\nBEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261101T000000Z\r\n\
         SEQUENCE:0\r\nDTSTART:20261125T150000Z\r\nDURATION:PT1H\r\nSUMMARY:{summary}\r\n{}ORGANIZER:mailto:{organizer}\r\n\
         ATTENDEE;PARTSTAT=ACCEPTED:mailto:{organizer}\r\nATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:{attendee}\r\n\
         END:VEVENT\r\nEND:VCALENDAR\r\n",
        location.map(|l| format!("LOCATION:{l}\r\n")).unwrap_or_default()
    )
}

/// What changed here reaches the server, merged with what changed there (the other client is
/// the python `caldav` library); a true clash keeps both; offline changes wait and land once.
/// On Radicale and on Xandikos.
#[test]
fn changes_made_here_reach_the_server_merged_with_changes_there_and_a_clash_keeps_both() {
    for kind in [Kind::Radicale, Kind::Xandikos] {
        writes_round_trip(kind);
    }
}

fn writes_round_trip(kind: Kind) {
    let rt = runtime();
    let mut server = CalDavServer::start(kind);
    let work = match kind {
        Kind::Radicale => server.make_calendar("work", "Work", "#1F5FBF"),
        Kind::Xandikos => server.calendar_url("calendar"),
    };
    let dana = "dana.okafor@northwind.example";
    server.put(&work, "ask.ics", &meeting_ics("ask@t", "Supplier intro", "pat@unknown.example", dana, None));
    server.put(&work, "own.ics", &meeting_ics("own@t", "Budget review", dana, "li@northwind.example", None));
    let (_dir, t) = open_demo();
    let shared = Mutex::new(t);
    let new = NewCalDavAccountDto { url: server.root(), username: USER.into(), calendars: vec![], ca_file: None };
    rt.block_on(add_caldav_account(&shared, None, &new, PASSWORD, now())).unwrap();
    rt.block_on(sync_calendars(&shared, None, now())).unwrap();

    // 1. Another client (python caldav) adds a room; here the EP accepts: both land.
    server.other_client_sets(&work, "ask@t", "LOCATION", "Room 4");
    let held = shared.lock().unwrap().invitation_queue(None).unwrap().held;
    let ask = held.iter().find(|i| i.summary == "Supplier intro").expect("held: no rule knows pat");
    shared
        .lock()
        .unwrap()
        .answer_invitation(None, ask.id, &tandem_api::dto::Answer::Accept { message: None }, now())
        .unwrap();
    let synced = rt.block_on(sync_calendars(&shared, None, now())).unwrap();
    assert_eq!((synced.written, synced.merged), (1, 1), "{kind:?}: {synced:?}");
    // Unfolded: long lines are folded at 75 octets (RFC 5545 §3.1).
    let server_copy = server.get(&work, "ask.ics").replace("\r\n ", "").replace("\n ", "");
    assert!(server_copy.contains("LOCATION:Room 4"), "{kind:?}: {server_copy}");
    assert!(server_copy.contains("PARTSTAT=ACCEPTED") && server_copy.contains(dana), "{kind:?}: {server_copy}");
    let wednesday = shared.lock().unwrap().calendar_range(None, day("2026-11-25"), 1).unwrap();
    let here = wednesday.items.iter().find(|i| i.summary == "Supplier intro").unwrap();
    assert_eq!((here.location.as_deref(), here.response.as_deref()), (Some("Room 4"), Some("accepted")));

    // 2. Both rename the executive's own meeting: a clash. The server's name shows, ours is kept.
    server.other_client_sets(&work, "own@t", "SUMMARY", "Budget review (moved by Li)");
    let changes = tandem_api::dto::MeetingChanges { title: Some("Budget review (final)".into()), ..Default::default() };
    shared.lock().unwrap().edit_meeting(None, "own@t", &changes, now()).unwrap();
    let clash = rt.block_on(sync_calendars(&shared, None, now())).unwrap();
    assert_eq!(clash.conflicts.len(), 1, "{kind:?}: {clash:?}");
    assert!(clash.conflicts[0].contains("summary"), "{:?}", clash.conflicts);
    assert!(server.get(&work, "own.ics").contains("SUMMARY:Budget review (moved by Li)"), "nothing overwritten");
    let wednesday = shared.lock().unwrap().calendar_range(None, day("2026-11-25"), 1).unwrap();
    assert!(wednesday.items.iter().any(|i| i.summary == "Budget review (moved by Li)"));
    // The EP looks at the clash and keeps ours: it goes over the server's version.
    let clashes = shared.lock().unwrap().clashes(None).unwrap();
    assert_eq!(clashes.len(), 1);
    assert_eq!(shared.lock().unwrap().sync_status(None).unwrap().clashes, 1, "the status bar counts it");
    assert_eq!(
        (clashes[0].ours.as_str(), clashes[0].theirs.as_str(), clashes[0].fields.as_slice()),
        ("Budget review (final)", "Budget review (moved by Li)", &["summary".to_string()][..])
    );
    shared.lock().unwrap().resolve_clash(None, clashes[0].id, "mine", now()).unwrap();
    assert!(shared.lock().unwrap().clashes(None).unwrap().is_empty());
    let kept = rt.block_on(sync_calendars(&shared, None, now())).unwrap();
    assert_eq!(kept.written, 1, "{kind:?}: {kept:?}");
    assert!(server.get(&work, "own.ics").contains("SUMMARY:Budget review (final)"));

    // 3. Offline: the change waits, then lands once.
    server.stop();
    let changes = tandem_api::dto::MeetingChanges { location: Some("Boardroom".into()), ..Default::default() };
    shared.lock().unwrap().edit_meeting(None, "own@t", &changes, now()).unwrap();
    let offline = rt.block_on(sync_calendars(&shared, None, now())).unwrap();
    assert_eq!(offline.written, 0);
    assert!(offline.waiting >= 1, "{offline:?}");
    assert!(offline.calendars[0].error.as_deref().is_some_and(|e| e.contains("cannot connect")), "{offline:?}");
    server.restart();
    // The background sync keeps the retry's back-off; a sync the EP asks for tries at once.
    let background = rt.block_on(sync_calendars(&shared, None, now())).unwrap();
    assert_eq!(background.written, 0, "{kind:?}: within its back-off");
    assert_eq!(
        shared.lock().unwrap().retry_now(None, now()).unwrap(),
        1,
        "only the failed write, not mail in its undo minute"
    );
    let back = rt.block_on(sync_calendars(&shared, None, now())).unwrap();
    assert_eq!(back.written, 1, "{kind:?}: {back:?}");
    let later = now() + chrono::Duration::minutes(5);
    let server_copy = server.get(&work, "own.ics");
    assert!(
        server_copy.contains("LOCATION:Boardroom") && server_copy.contains("SUMMARY:Budget review (final)"),
        "{server_copy}"
    );
    let again = rt.block_on(sync_calendars(&shared, None, later + chrono::Duration::minutes(5))).unwrap();
    assert_eq!(again.written, 0, "nothing is written twice");
}

/// Two server calendars both called "Work", beside the demo's own "Work": each gets a name of
/// its own. Adding the account again mirrors nothing twice. Removing it takes its calendars
/// (copies of the server's) and its password, but not while a change made here still waits
/// to reach the server.
#[test]
fn calendars_get_names_of_their_own_are_never_mirrored_twice_and_go_with_their_account() {
    let rt = runtime();
    let mut radicale = CalDavServer::start(Kind::Radicale);
    let work = radicale.make_calendar("work", "Work", "#1F5FBF");
    radicale.make_calendar("work-2", "Work", "#2F7D6D");
    let dana = "dana.okafor@northwind.example";
    radicale.put(&work, "own.ics", &meeting_ics("own@t", "Budget review", dana, "li@northwind.example", None));
    let (dir, t) = open_demo();
    let shared = Mutex::new(t);
    let new = NewCalDavAccountDto { url: radicale.root(), username: USER.into(), calendars: vec![], ca_file: None };
    let added = rt.block_on(add_caldav_account(&shared, None, &new, PASSWORD, now())).unwrap();
    let mut names: Vec<&str> = added.calendars.iter().map(|c| c.name.as_str()).collect();
    names.sort();
    assert_eq!(names, ["Work (127.0.0.1 2)", "Work (127.0.0.1)"]);

    let again = rt.block_on(add_caldav_account(&shared, None, &new, PASSWORD, now())).unwrap_err();
    assert_eq!(again.code, ErrorCode::Conflict, "{}", again.message);
    assert!(again.message.contains("is in Tandem already, as 'Work (127.0.0.1"), "{}", again.message);
    let by_name = NewCalDavAccountDto { calendars: vec!["Work".into()], ..new.clone() };
    assert_eq!(
        rt.block_on(add_caldav_account(&shared, None, &by_name, PASSWORD, now())).unwrap_err().code,
        ErrorCode::Conflict
    );
    assert_eq!(shared.lock().unwrap().accounts(None).unwrap().len(), 1, "nothing added the second time");

    // New meetings can go in either server calendar, unless the server says it is read-only.
    let (open, closed) = match added.calendars.as_slice() {
        [a, b] if a.url == work => (a, b),
        [a, b] => (b, a),
        other => panic!("{other:?}"),
    };
    tandem_store::Store::open_dir(dir.path())
        .unwrap()
        .link_caldav_calendar(closed.calendar_id, added.account.id, &closed.url, true, false)
        .unwrap();
    let calendars = shared.lock().unwrap().calendars(None).unwrap();
    let holds = |name: &str| calendars.iter().find(|c| c.name == name).unwrap().holds_meetings;
    assert_eq!((holds("Work"), holds(&open.name), holds(&closed.name)), (true, true, false));
    let draft = |calendar: &str| tandem_api::dto::MeetingDraft {
        title: "Offsite planning".into(),
        start: "2026-11-26T11:00".into(),
        end: "2026-11-26T12:00".into(),
        attendees: vec![],
        optional: vec![],
        location: None,
        description: None,
        calendar: Some(calendar.into()),
        rrule: None,
    };
    radicale.put(&closed.url, "ro.ics", &meeting_ics("ro@t", "Board pack review", dana, "li@northwind.example", None));
    let refused = shared.lock().unwrap().create_meeting(None, &draft(&closed.name), now()).unwrap_err();
    assert!(refused.message.contains("read-only on its server"), "{}", refused.message);
    shared.lock().unwrap().create_meeting(None, &draft(&open.name), now()).unwrap();
    rt.block_on(sync_calendars(&shared, None, now())).unwrap();
    assert_eq!(
        (radicale.count(&work), radicale.count(&closed.url)),
        (2, 1),
        "on the server, in the calendar asked for"
    );
    let changes = tandem_api::dto::MeetingChanges { title: Some("Board pack".into()), ..Default::default() };
    let refused = shared.lock().unwrap().edit_meeting(None, "ro@t", &changes, now()).unwrap_err();
    assert!(refused.message.contains("read-only on its server: change it there"), "{}", refused.message);
    // The demo's own replies wait too (it has no mail account).
    let before = shared.lock().unwrap().sync_status(None).unwrap().waiting;
    radicale.stop();
    let changes = tandem_api::dto::MeetingChanges { location: Some("Boardroom".into()), ..Default::default() };
    shared.lock().unwrap().edit_meeting(None, "own@t", &changes, now()).unwrap();
    let id = added.account.id;
    let status = shared.lock().unwrap().sync_status(None).unwrap();
    assert_eq!(
        (status.waiting, status.failing.len()),
        (before + 2, 0),
        "the write and Li's update wait at once, before any sync ({before} before): {status:?}"
    );
    assert_eq!(status.waiting_since.as_deref(), Some("2026-11-24T14:00:00Z"));
    rt.block_on(sync_calendars(&shared, None, now())).unwrap();
    let status = shared.lock().unwrap().sync_status(None).unwrap();
    assert_eq!(status.waiting, before + 2);
    assert!(
        status
            .failing
            .iter()
            .any(|a| a.id == id && a.last_error.as_deref().is_some_and(|e| e.contains("cannot connect"))),
        "the status bar names the server out of reach: {status:?}"
    );
    let refused = shared.lock().unwrap().remove_account(None, id).unwrap_err();
    assert_eq!(refused.code, ErrorCode::Conflict);
    assert!(refused.message.contains("still has 1 change made here waiting to reach it: sync"), "{}", refused.message);
    assert!(shared
        .lock()
        .unwrap()
        .calendar_range(None, day("2026-11-25"), 1)
        .unwrap()
        .items
        .iter()
        .any(|i| i.summary == "Budget review"));

    radicale.restart();
    let later = now() + chrono::Duration::minutes(5);
    assert_eq!(rt.block_on(sync_calendars(&shared, None, later)).unwrap().written, 1);
    let status = shared.lock().unwrap().sync_status(None).unwrap();
    assert_eq!((status.waiting, status.failing.len()), (before + 1, 0), "the write left; the mail waits: {status:?}");
    let account = tandem_store::Store::open_dir(dir.path()).unwrap().account("dana-okafor", id).unwrap();
    shared.lock().unwrap().remove_account(None, id).unwrap();
    assert!(shared.lock().unwrap().accounts(None).unwrap().is_empty());
    let week = shared.lock().unwrap().calendar_range(None, day("2026-11-25"), 1).unwrap();
    assert!(!week.items.iter().any(|i| i.summary == "Budget review"), "its meetings went with its calendars");
    assert!(week.items.iter().any(|i| i.calendars.iter().any(|c| c == "Work")), "the demo's own Work calendar stays");
    assert!(
        matches!(
            tandem_sync::credentials::credential(&account),
            Err(tandem_sync::credentials::CredentialError::Missing { .. })
        ),
        "its password left the keychain"
    );
    assert!(radicale.get(&work, "own.ics").contains("LOCATION:Boardroom"), "the server keeps everything");
}

/// The executive makes a calendar on her phone after the account was added: the EP sees it
/// listed as not in Tandem, adds it, and the next sync brings its meetings. Later she deletes
/// it there.
#[test]
fn a_calendar_made_on_the_server_later_is_added_when_the_ep_asks_and_one_deleted_there_is_said_so_and_removed() {
    let rt = runtime();
    let radicale = CalDavServer::start(Kind::Radicale);
    radicale.make_calendar("work", "Work", "#1F5FBF");
    let (_dir, t) = open_demo();
    let shared = Mutex::new(t);
    let new = NewCalDavAccountDto {
        url: radicale.root(),
        username: USER.into(),
        calendars: vec!["Work".into()],
        ca_file: None,
    };
    let id = rt.block_on(add_caldav_account(&shared, None, &new, PASSWORD, now())).unwrap().account.id;
    let family = radicale.make_calendar("family", "Family", "#2F7D6D");
    radicale.put(&family, "recital.ics", &event_ics("recital@t", "School recital", "20261124T230000Z"));

    let mut listed: Vec<(String, Option<String>)> = rt
        .block_on(server_calendars(&shared, None, id))
        .unwrap()
        .into_iter()
        .map(|c| (c.name, c.mirrored_as))
        .collect();
    listed.sort();
    assert_eq!(listed, [("Family".to_string(), None), ("Work".to_string(), Some("Work (127.0.0.1)".to_string()))]);

    let unknown = rt.block_on(mirror_calendar(&shared, None, id, "Holidays")).unwrap_err();
    assert_eq!(unknown.code, ErrorCode::NotFound);
    assert!(unknown.message.contains("Family") && unknown.message.contains("Work"), "{}", unknown.message);
    let added = rt.block_on(mirror_calendar(&shared, None, id, "family")).unwrap();
    assert_eq!((added.name.as_str(), added.color.as_str()), ("Family", "#2F7D6D"));
    let twice = rt.block_on(mirror_calendar(&shared, None, id, "Family")).unwrap_err();
    assert_eq!(twice.code, ErrorCode::Conflict, "{}", twice.message);

    rt.block_on(sync_calendars(&shared, None, now())).unwrap();
    let week = shared.lock().unwrap().calendar_range(None, day("2026-11-24"), 1).unwrap();
    let recital = week.items.iter().find(|i| i.summary == "School recital").expect("fetched by the next sync");
    assert_eq!(recital.calendars, ["Family"]);
    let not_caldav = rt.block_on(server_calendars(&shared, None, id + 100)).unwrap_err();
    assert_eq!(not_caldav.code, ErrorCode::NotFound);

    // Deleted on the server: the sync says so (not "check the address"), the meetings stay,
    // the listing shows it gone, and the EP takes it out of Tandem.
    radicale.delete(&family, "");
    let synced = rt.block_on(sync_calendars(&shared, None, now())).unwrap();
    let row = synced.calendars.iter().find(|c| c.name == "Family").unwrap();
    assert!(row.error.as_deref().is_some_and(|e| e.contains("no longer on 127.0.0.1")), "{row:?}");
    assert!(synced.calendars.iter().any(|c| c.name == "Work (127.0.0.1)" && c.error.is_none()), "the rest still syncs");
    let listed = rt.block_on(server_calendars(&shared, None, id)).unwrap();
    let gone = listed.iter().find(|c| c.name == "Family").expect("still listed, as gone");
    assert_eq!((gone.on_server, gone.calendar_id), (false, Some(added.calendar_id)));
    assert_eq!(shared.lock().unwrap().remove_mirrored_calendar(None, added.calendar_id).unwrap(), "Family");
    let week = shared.lock().unwrap().calendar_range(None, day("2026-11-24"), 1).unwrap();
    assert!(!week.items.iter().any(|i| i.summary == "School recital"));
    let again = shared.lock().unwrap().remove_mirrored_calendar(None, added.calendar_id).unwrap_err();
    assert_eq!(again.code, ErrorCode::NotFound);
    let demo_work = week.calendars.iter().find(|c| c.name == "Work").unwrap().id;
    let not_mirrored = shared.lock().unwrap().remove_mirrored_calendar(None, demo_work).unwrap_err();
    assert_eq!(not_mirrored.code, ErrorCode::NotFound, "the demo's own calendar is not a server's copy");
}
