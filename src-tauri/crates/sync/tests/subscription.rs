//! Subscribed feeds fetched over real HTTP from a server on loopback, into a real store on disk.
//!
//! The server is a few lines over `std::net` so each test can script exactly what a publisher
//! does (ETags, 304s, errors, login pages) and see the requests Tandem sent.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use tandem_store::Store;
use tandem_sync::{apply_feed, feed_client, fetch_feed, FeedReport};

/// One scripted answer: status line, extra headers, body.
#[derive(Clone)]
struct Reply {
    status: &'static str,
    headers: Vec<(String, String)>,
    body: String,
}

fn ok(body: &str, etag: &str) -> Reply {
    Reply {
        status: "200 OK",
        headers: vec![("ETag".into(), etag.into()), ("Content-Type".into(), "text/calendar".into())],
        body: body.into(),
    }
}

fn status(status: &'static str, body: &str) -> Reply {
    Reply { status, headers: vec![], body: body.into() }
}

/// A publisher on 127.0.0.1 answering each request with the next scripted reply and keeping
/// each request's head (lower-cased: header names are case-insensitive).
struct Publisher {
    url: String,
    requests: Arc<Mutex<Vec<String>>>,
}

fn publisher(replies: Vec<Reply>) -> Publisher {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/private-5ecret/dana.ics", listener.local_addr().unwrap());
    let requests = Arc::new(Mutex::new(Vec::new()));
    let seen = requests.clone();
    std::thread::spawn(move || {
        // Replies first: when the script runs out no further connection is accepted and the
        // listener closes, so a later fetch finds nobody there.
        for (reply, stream) in replies.into_iter().zip(listener.incoming()) {
            let mut stream = stream.unwrap();
            let mut head = String::new();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                head.push_str(&line);
            }
            seen.lock().unwrap().push(head.to_ascii_lowercase());
            let mut out =
                format!("HTTP/1.1 {}\r\nContent-Length: {}\r\nConnection: close\r\n", reply.status, reply.body.len());
            for (k, v) in &reply.headers {
                out.push_str(&format!("{k}: {v}\r\n"));
            }
            out.push_str("\r\n");
            out.push_str(&reply.body);
            let _ = stream.write_all(out.as_bytes());
        }
    });
    Publisher { url, requests }
}

fn setup() -> (tempfile::TempDir, Store) {
    let (dir, store, _) = common::setup();
    (dir, store)
}

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn feed(uids: &[&str], extra: &str) -> String {
    let mut s = format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX-WR-CALNAME:Team offsites\r\n{extra}");
    for (i, uid) in uids.iter().enumerate() {
        s.push_str(&format!(
            "BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTART;VALUE=DATE:2026120{}\r\nSUMMARY:Offsite {uid}\r\nEND:VEVENT\r\n",
            i + 1
        ));
    }
    s + "END:VCALENDAR\r\n"
}

fn uids(store: &Store) -> Vec<String> {
    let mut v: Vec<_> = store.events_of("dana").unwrap().iter().map(|e| e.event.uid.clone()).collect();
    v.sort();
    v
}

/// Fetches and records the subscription of calendar `id` as the refresh loop does.
fn refresh(store: &mut Store, id: i64, now: DateTime<Utc>) -> FeedReport {
    let sub = store.subscription(id).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let fetched = runtime.block_on(fetch_feed(&feed_client(), &sub));
    apply_feed(store, &sub, fetched, now).unwrap()
}

#[test]
fn a_feed_is_fetched_then_revalidated_with_its_etag_and_replaced_when_it_changes() {
    let (_dir, mut store) = setup();
    let server = publisher(vec![
        ok(&feed(&["a", "b"], "REFRESH-INTERVAL;VALUE=DURATION:PT2H\r\n"), "\"v1\""),
        status("304 Not Modified", ""),
        ok(&feed(&["b", "c"], ""), "\"v2\""),
    ]);
    let t0 = at("2026-11-28T09:00:00Z");
    let cal = store.add_subscription("dana", "Offsites", "#3b7", &server.url, 3_600, t0).unwrap();

    let first = refresh(&mut store, cal.id, t0);
    assert_eq!((first.changed, first.events_written, first.error.as_deref()), (true, 2, None));
    assert_eq!(uids(&store), ["a", "b"]);
    let sub = store.subscription(cal.id).unwrap();
    assert_eq!((sub.etag.as_deref(), sub.refresh_secs), (Some("\"v1\""), 7_200), "the feed's REFRESH-INTERVAL is used");

    let t1 = at("2026-11-28T11:00:00Z");
    let second = refresh(&mut store, cal.id, t1);
    assert!(!second.changed && second.error.is_none(), "{second:?}");
    assert_eq!(uids(&store), ["a", "b"]);
    assert_eq!(store.subscription(cal.id).unwrap().fetched_at, Some(t1), "a 304 confirms the cache");

    let third = refresh(&mut store, cal.id, at("2026-11-28T13:00:00Z"));
    assert!(third.changed);
    assert_eq!(uids(&store), ["b", "c"], "an event the publisher removed is removed");
    let sub = store.subscription(cal.id).unwrap();
    assert_eq!((sub.etag.as_deref(), sub.refresh_secs), (Some("\"v2\""), 3_600), "no interval in the feed: one hour");

    let requests = server.requests.lock().unwrap();
    assert!(!requests[0].contains("if-none-match"), "{}", requests[0]);
    assert!(requests[1].contains("if-none-match: \"v1\""), "{}", requests[1]);
    assert!(requests[2].contains("if-none-match: \"v1\""), "{}", requests[2]);
    assert!(requests[0].starts_with("get /private-5ecret/dana.ics "), "{}", requests[0]);
}

#[test]
fn a_failing_feed_keeps_the_events_it_had_and_says_why_without_the_secret_path() {
    let (_dir, mut store) = setup();
    let server = publisher(vec![
        ok(&feed(&["a"], ""), "\"v1\""),
        status("500 Internal Server Error", "oops"),
        ok("<html><body>Please sign in</body></html>", "\"login\""),
        status("410 Gone", ""),
    ]);
    let t0 = at("2026-11-28T09:00:00Z");
    let cal = store.add_subscription("dana", "Offsites", "#3b7", &server.url, 3_600, t0).unwrap();
    refresh(&mut store, cal.id, t0);

    let errors: Vec<String> = (0..3)
        .map(|i| refresh(&mut store, cal.id, t0 + chrono::Duration::hours(i + 1)).error.expect("an error"))
        .collect();
    assert!(errors[0].contains("answered HTTP 500"), "{}", errors[0]);
    assert!(errors[1].contains("did not send a calendar"), "{}", errors[1]);
    assert!(errors[2].contains("answered HTTP 410"), "{}", errors[2]);
    assert_eq!(uids(&store), ["a"], "nothing stored is lost");
    let sub = store.subscription(cal.id).unwrap();
    assert_eq!((sub.failures, sub.etag.as_deref(), sub.fetched_at), (3, Some("\"v1\""), Some(t0)));
    for e in &errors {
        assert!(!e.contains("5ecret"), "{e}");
    }

    // The server is gone altogether (its script ran out and it closed).
    let offline = refresh(&mut store, cal.id, t0 + chrono::Duration::hours(5));
    let error = offline.error.expect("an error");
    assert!(error.contains("cannot reach 127.0.0.1") && !error.contains("5ecret"), "{error}");
    assert_eq!(uids(&store), ["a"]);
}

#[test]
fn a_file_named_like_a_subscribed_calendar_is_imported_beside_it_not_into_it() {
    let (_dir, mut store) = setup();
    let server = publisher(vec![ok(&feed(&["a"], ""), "\"v1\"")]);
    let t0 = at("2026-11-28T09:00:00Z");
    let cal = store.add_subscription("dana", "Team offsites", "#3b7", &server.url, 3_600, t0).unwrap();
    refresh(&mut store, cal.id, t0);
    let profile = store.executive_profile("dana").unwrap();
    let report = tandem_sync::import_ics_text(
        &mut store,
        &profile,
        &feed(&["mine"], ""),
        "offsites.ics",
        "offsites",
        &tandem_sync::CalendarTarget::default(),
        t0,
    );
    assert_eq!(report.calendar.as_deref(), Some("Team offsites (imported)"));
    let sub_events: Vec<String> = store
        .events_of("dana")
        .unwrap()
        .iter()
        .filter(|e| e.calendar_id == cal.id)
        .map(|e| e.event.uid.clone())
        .collect();
    assert_eq!(sub_events, ["a"]);
}
