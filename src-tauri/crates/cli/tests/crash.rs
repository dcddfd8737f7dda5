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
