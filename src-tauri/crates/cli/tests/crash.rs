//! Crash safety: `tandem import` killed at arbitrary points mid-write leaves a store that opens,
//! passes SQLite's integrity check, still holds everything it held before, and holds either all
//! of the file's events or none of them (an import is one transaction).

use std::process::{Command, Stdio};
use std::time::Duration;

use tandem_store::Store;

const NOW: &str = "2026-11-24T14:00:00Z";
const EVENTS: usize = 20_000;

fn big_calendar() -> String {
    let mut s = String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX-WR-CALNAME:Bulk\r\n");
    for i in 0..EVENTS {
        s.push_str(&format!(
            "BEGIN:VEVENT\r\nUID:bulk-{i}@crash.test\r\nDTSTART:20261201T{:02}{:02}00Z\r\nDURATION:PT15M\r\nSUMMARY:Bulk event {i} with a longer title to make the write take a while\r\nEND:VEVENT\r\n",
            (i / 60) % 24,
            i % 60
        ));
    }
    s.push_str("END:VCALENDAR\r\n");
    s
}

#[test]
fn an_import_killed_mid_write_leaves_the_store_whole_and_the_file_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let bin = env!("CARGO_BIN_EXE_tandem");
    let run = |args: &[&str]| {
        Command::new(bin).args(["--data-dir", data.to_str().unwrap(), "--now", NOW]).args(args).output().unwrap()
    };
    assert!(run(&["demo"]).status.success());
    let before = Store::open_dir(&data).unwrap().events_of("dana-okafor").unwrap().len();
    let file = dir.path().join("bulk.ics");
    std::fs::write(&file, big_calendar()).unwrap();

    let mut outcomes = Vec::new();
    for delay_ms in [5u64, 50, 150, 300, 600, 1000, 1500, 2500] {
        let mut child = Command::new(bin)
            .args(["--data-dir", data.to_str().unwrap(), "--now", NOW, "import", file.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL: no destructors, no rollback by the process itself.
        let status = child.wait().unwrap();

        let store = Store::open_dir(&data).expect("a killed import must leave a store that opens");
        let check: String = rusqlite_check(store.path());
        assert_eq!(check, "ok", "integrity check after a kill at {delay_ms} ms");
        let events = store.events_of("dana-okafor").unwrap().len();
        assert!(
            events == before || events == before + EVENTS,
            "after a kill at {delay_ms} ms the store holds {events} events: neither {before} nor {}",
            before + EVENTS
        );
        outcomes.push((delay_ms, status.success(), events == before + EVENTS));
        if events == before + EVENTS {
            break; // The file is in; later runs would only upsert the same rows.
        }
    }
    eprintln!("kill delay (ms), exited normally, file imported: {outcomes:?}");
    // Left alone, the same import completes and every event is there exactly once.
    assert!(run(&["import", file.to_str().unwrap()]).status.success());
    assert_eq!(Store::open_dir(&data).unwrap().events_of("dana-okafor").unwrap().len(), before + EVENTS);
}

fn rusqlite_check(path: &std::path::Path) -> String {
    // A second connection, as another process would see the file.
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap()
}

#[path = "../../sync/tests/servers/caldav.rs"]
mod caldav_server;

/// CalDAV writes and kills: `tandem sync` killed at arbitrary points while it writes twenty
/// changed meetings to Radicale, then run to the end. Every change is on the server once, at
/// its latest version; nothing is left queued; nothing collided with itself. (Runs inside
/// `tests/with-keychain.sh`, as the whole Rust suite does: the account's password is there.)
#[test]
fn a_calendar_sync_killed_at_any_point_loses_no_change_and_doubles_none() {
    use caldav_server::{CalDavServer, Kind, PASSWORD, USER};
    const MEETINGS: usize = 20;
    let radicale = CalDavServer::start(Kind::Radicale);
    let work = radicale.make_calendar("work", "Work", "#1F5FBF");
    let dana = "dana.okafor@northwind.example";
    for i in 0..MEETINGS {
        radicale.put(
            &work,
            &format!("m{i}.ics"),
            &format!(
                "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:m{i}@crash\r\nDTSTAMP:20261101T000000Z\r\n\
                 DTSTART:20261125T{:02}0000Z\r\nDURATION:PT30M\r\nSUMMARY:Meeting {i}\r\nORGANIZER:mailto:{dana}\r\n\
                 ATTENDEE;PARTSTAT=ACCEPTED:mailto:{dana}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
                i % 24
            ),
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let bin = env!("CARGO_BIN_EXE_tandem");
    let at = |hours: i64| {
        (NOW.parse::<chrono::DateTime<chrono::Utc>>().unwrap() + chrono::Duration::hours(hours)).to_rfc3339()
    };
    let command = |now: &str, args: &[&str]| {
        let mut c = Command::new(bin);
        c.args(["--data-dir", data.to_str().unwrap(), "--now", now]).args(args).env("TANDEM_PASSWORD", PASSWORD);
        c
    };
    let run = |now: &str, args: &[&str]| {
        let out = command(now, args).output().unwrap();
        assert!(out.status.success(), "tandem {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    run(&at(0), &["demo"]);
    run(&at(0), &["account", "add", "caldav", &radicale.root(), "--user", USER]);
    run(&at(0), &["sync"]);

    let waiting_of = |now: &str| -> usize {
        let outbox: serde_json::Value = serde_json::from_str(&run(now, &["--json", "outbox"])).unwrap();
        outbox
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["kind"] == "caldav" && (o["state"] == "queued" || o["state"] == "sending"))
            .count()
    };
    let mut interrupted = Vec::new();
    for (round, delay_ms) in [10u64, 40, 80, 150, 300].into_iter().enumerate() {
        let now = at(round as i64 + 1);
        for i in 0..MEETINGS {
            run(&now, &["event", "edit", &format!("m{i}@crash"), "--title", &format!("Meeting {i} v{round}")]);
        }
        let mut child = command(&now, &["sync"]).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        interrupted.push(waiting_of(&now));
        // Later (past the ten minutes after which a write left half-done goes again), to the end.
        let finish = (at(round as i64 + 1).parse::<chrono::DateTime<chrono::Utc>>().unwrap()
            + chrono::Duration::minutes(30))
        .to_rfc3339();
        let report: serde_json::Value = serde_json::from_str(&run(&finish, &["--json", "sync"])).unwrap();
        assert_eq!(report["conflicts"], serde_json::json!([]), "round {round}: {report}");
        assert_eq!(report["failed"], serde_json::json!([]), "round {round}: {report}");
        for i in 0..MEETINGS {
            let text = radicale.get(&work, &format!("m{i}.ics"));
            assert!(
                text.contains(&format!("SUMMARY:Meeting {i} v{round}")),
                "round {round} (kill at {delay_ms} ms), m{i}: {text}"
            );
        }
        let members = radicale.count(&work);
        assert_eq!(members, MEETINGS, "round {round}: no meeting written twice under another name");
        assert_eq!(waiting_of(&finish), 0, "round {round}: nothing left waiting");
    }
    // The kills did land mid-push (writes were still waiting after them), or the test proves nothing.
    assert!(interrupted.iter().any(|&w| w > 0), "writes waiting after each kill: {interrupted:?}");
}
