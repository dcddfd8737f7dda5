//! The CalDAV client against real servers on loopback: Radicale and Xandikos (PyPI), each
//! written to by plain HTTP requests as another client would.

#[path = "servers/caldav.rs"]
mod server;

use std::time::Duration;

use server::{event_ics, CalDavServer, Kind, PASSWORD, USER};
use tandem_sync::caldav::{server_url, CalDav, CalDavError, Changes, Endpoint, Known, RemoteCalendar};
use tandem_sync::credentials::Credential;

fn client(url: &str, password: &str) -> CalDav {
    CalDav::new(Endpoint {
        url: server_url(url).unwrap(),
        username: USER.into(),
        credential: Credential::Password(password.into()),
        ca_pem: None,
        timeout: Duration::from_secs(10),
    })
    .unwrap()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

/// The calendar's members as Tandem would store them after `changes`.
fn apply(stored: &mut Vec<(String, String)>, c: &Changes) {
    stored.retain(|(h, _)| !c.removed.contains(h));
    for m in &c.changed {
        stored.retain(|(h, _)| h != &m.href);
        stored.push((m.href.clone(), m.etag.clone().unwrap_or_default()));
    }
}

fn discovered(server: &CalDavServer, rt: &tokio::runtime::Runtime) -> RemoteCalendar {
    let found = rt.block_on(client(&server.root(), PASSWORD).discover()).unwrap();
    let expected = server.calendar_url(if server.kind == Kind::Xandikos { "calendar" } else { "work" });
    found
        .calendars
        .into_iter()
        .find(|c| c.url.as_str() == expected)
        .unwrap_or_else(|| panic!("{expected} not discovered"))
}

#[test]
fn discovery_from_the_servers_address_finds_the_users_calendars_with_their_names_and_colours() {
    let rt = runtime();
    let radicale = CalDavServer::start(Kind::Radicale);
    radicale.make_calendar("work", "Work", "#1F5FBFFF");
    radicale.make_calendar("board", "Board", "#A4262C");
    let found = rt.block_on(client(&radicale.root(), PASSWORD).discover()).unwrap();
    let mut names: Vec<(&str, Option<&str>)> =
        found.calendars.iter().map(|c| (c.name.as_str(), c.color.as_deref())).collect();
    names.sort();
    assert_eq!(names, [("Board", Some("#A4262C")), ("Work", Some("#1F5FBF"))]);
    assert!(found.calendars.iter().all(|c| c.supports_sync && c.writable), "{found:?}");
    assert_eq!(found.home.unwrap().path(), format!("/{USER}/"));

    let xandikos = CalDavServer::start(Kind::Xandikos);
    let found = rt.block_on(client(&xandikos.root(), "").discover()).unwrap();
    assert_eq!(found.principal.unwrap().path(), format!("/{USER}/"));
    let urls: Vec<&str> = found.calendars.iter().map(|c| c.url.path()).collect();
    assert_eq!(urls, [format!("/{USER}/calendars/calendar/")], "the address book is not a calendar");

    // A calendar's own address is that calendar.
    let one = rt.block_on(client(&radicale.calendar_url("board"), PASSWORD).discover()).unwrap();
    assert_eq!(one.calendars.len(), 1);
    assert_eq!(one.calendars[0].name, "Board");
}

#[test]
fn each_failure_says_what_to_check() {
    let rt = runtime();
    let radicale = CalDavServer::start(Kind::Radicale);
    let wrong = rt.block_on(client(&radicale.root(), "wrong").discover()).unwrap_err();
    assert!(matches!(wrong, CalDavError::Unauthorized { .. }), "{wrong:?}");
    assert!(wrong.to_string().contains("user name or password (401)"));

    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let down = rt.block_on(client(&format!("http://127.0.0.1:{closed}/"), PASSWORD).discover()).unwrap_err();
    assert!(matches!(down, CalDavError::Unreachable { .. }), "{down:?}");
    assert!(down.is_transient());

    let nowhere = rt.block_on(client("https://no-such-host.invalid/", PASSWORD).discover()).unwrap_err();
    assert!(matches!(nowhere, CalDavError::Dns { .. }), "{nowhere:?}");

    // A web server that is not CalDAV: Python's own, serving a directory.
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut web = std::process::Command::new("python3")
        .args(["-m", "http.server", "--bind", "127.0.0.1", "-d"])
        .arg(dir.path())
        .arg(port.to_string())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        std::thread::sleep(Duration::from_millis(50));
    }
    let not = rt.block_on(client(&format!("http://127.0.0.1:{port}/"), PASSWORD).discover()).unwrap_err();
    let _ = web.kill();
    let _ = web.wait();
    assert!(matches!(not, CalDavError::NotCalDav { .. }), "{not:?}");

    let missing = rt.block_on(client(&format!("{}{USER}/nope/", radicale.root()), PASSWORD).discover()).unwrap_err();
    assert!(matches!(missing, CalDavError::NotFound { .. }), "{missing:?}");

    assert!(
        matches!(server_url("http://caldav.example.com/"), Err(CalDavError::Insecure(_))),
        "no password over plain http"
    );
    assert!(server_url("caldav.example.com").unwrap().as_str().starts_with("https://"));
}

/// First sync, then changes from another client, then nothing: on both servers, with
/// sync-collection and (Radicale) without it.
#[test]
fn a_calendar_syncs_in_full_then_only_what_changed_and_an_unchanged_one_costs_one_request() {
    let rt = runtime();
    for (kind, use_sync) in [(Kind::Radicale, true), (Kind::Radicale, false), (Kind::Xandikos, true)] {
        let server = CalDavServer::start(kind);
        let url = if kind == Kind::Xandikos {
            server.calendar_url("calendar")
        } else {
            server.make_calendar("work", "Work", "#1F5FBF")
        };
        for i in 0..5 {
            server.put(
                &url,
                &format!("e{i}.ics"),
                &event_ics(&format!("e{i}@t"), &format!("Meeting {i}"), "20261124T150000Z"),
            );
        }
        let mut cal = discovered(&server, &rt);
        cal.supports_sync = use_sync;
        let c = client(&server.root(), PASSWORD);
        let mut stored = Vec::new();
        let first = rt.block_on(c.changes(&cal, &Known::default())).unwrap();
        assert_eq!(first.changed.len(), 5, "{kind:?} sync={use_sync}");
        assert!(first.changed.iter().all(|m| m.ics.contains("BEGIN:VEVENT") && m.etag.is_some()));
        apply(&mut stored, &first);

        server.put(&url, "e1.ics", &event_ics("e1@t", "Meeting 1 (moved)", "20261124T160000Z"));
        server.delete(&url, "e2.ics");
        server.put(&url, "e9.ics", &event_ics("e9@t", "New", "20261125T150000Z"));
        let known = Known { sync_token: first.sync_token.as_deref(), ctag: first.ctag.as_deref(), etags: &stored };
        let second = rt.block_on(c.changes(&cal, &known)).unwrap();
        let mut changed: Vec<&str> = second.changed.iter().map(|m| m.href.rsplit('/').next().unwrap()).collect();
        changed.sort();
        assert_eq!(changed, ["e1.ics", "e9.ics"], "{kind:?} sync={use_sync}: only what changed is fetched");
        assert!(second.changed.iter().any(|m| m.ics.contains("Meeting 1 (moved)")));
        assert_eq!(second.removed.iter().map(|h| h.rsplit('/').next().unwrap()).collect::<Vec<_>>(), ["e2.ics"]);
        apply(&mut stored, &second);
        assert_eq!(stored.len(), 5);

        let known = Known { sync_token: second.sync_token.as_deref(), ctag: second.ctag.as_deref(), etags: &stored };
        let third = rt.block_on(c.changes(&cal, &known)).unwrap();
        assert!(third.changed.is_empty() && third.removed.is_empty(), "{third:?}");
        assert_eq!(third.requests, 1, "{kind:?} sync={use_sync}: an unchanged calendar is one request");
    }
}

#[test]
fn a_sync_token_the_server_forgot_starts_over_with_a_full_listing() {
    let rt = runtime();
    let server = CalDavServer::start(Kind::Radicale);
    let url = server.make_calendar("work", "Work", "#1F5FBF");
    server.put(&url, "a.ics", &event_ics("a@t", "A", "20261124T150000Z"));
    let cal = discovered(&server, &rt);
    let c = client(&server.root(), PASSWORD);
    let bogus = format!("{}sync/not-a-token", server.root());
    let stored = vec![(format!("/{USER}/work/old.ics"), "\"x\"".to_string())];
    let again = rt.block_on(c.changes(&cal, &Known { sync_token: Some(&bogus), ctag: None, etags: &stored })).unwrap();
    assert_eq!(again.removed, [format!("/{USER}/work/old.ics")], "a full listing: what it does not list is gone");
    assert_eq!(again.changed.len(), 1);
    assert!(again.sync_token.is_some());
}

/// A server that fails part-way (500 on the second multiget, the connection cut mid-answer,
/// an answer slower than the timeout): each is an error that says so, nothing is half-read,
/// and the next sync reads everything.
#[test]
fn a_server_failing_mid_sync_is_an_error_that_says_so_and_the_next_sync_completes() {
    let rt = runtime();
    let server = CalDavServer::start(Kind::Radicale);
    let url = server.make_calendar("work", "Work", "#1F5FBF");
    // More than one multiget batch.
    for i in 0..(tandem_sync::caldav::MULTIGET_BATCH + 20) {
        server.put(
            &url,
            &format!("e{i}.ics"),
            &event_ics(&format!("e{i}@t"), &format!("Meeting {i}"), "20261124T150000Z"),
        );
    }
    let proxy = server::FaultProxy::start(&server);
    let cal = {
        let mut c = discovered(&server, &rt);
        c.url = server_url(&format!("{}{USER}/work/", proxy.root())).unwrap();
        c
    };
    let c = CalDav::new(Endpoint {
        url: server_url(&proxy.root()).unwrap(),
        username: USER.into(),
        credential: Credential::Password(PASSWORD.into()),
        ca_pem: None,
        timeout: Duration::from_secs(2),
    })
    .unwrap();
    for (mode, expect) in [
        ("500 REPORT 2", "answered 500"),
        ("cut REPORT 1", "cannot connect"),
        ("slow REPORT 1", "did not answer within 2 s"),
    ] {
        proxy.set(mode);
        let err = rt.block_on(c.changes(&cal, &Known::default())).unwrap_err();
        assert!(err.to_string().contains(expect), "{mode}: {err}");
        assert!(err.is_transient(), "{mode}: worth trying again later");
    }
    proxy.set("");
    let heard = std::sync::Mutex::new(Vec::new());
    let all = rt
        .block_on(c.changes_with(&cal, &Known::default(), &|done, total| heard.lock().unwrap().push((done, total))))
        .unwrap();
    assert_eq!(all.changed.len(), tandem_sync::caldav::MULTIGET_BATCH + 20);
    let total = tandem_sync::caldav::MULTIGET_BATCH + 20;
    assert_eq!(
        *heard.lock().unwrap(),
        [(tandem_sync::caldav::MULTIGET_BATCH, total), (total, total)],
        "progress after each batch"
    );
}
