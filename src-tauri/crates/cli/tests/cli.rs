//! The `tandem` binary as scripts use it.

use std::process::{Command, Output};

const NOW: &str = "2026-11-24T14:00:00Z";

fn tandem(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tandem"))
        .args(["--data-dir", dir.to_str().unwrap(), "--now", NOW])
        .args(args)
        .env_remove("TANDEM_DATA_DIR")
        .env_remove("TANDEM_NOW")
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn agenda_today_prints_the_demo_days_occurrences_as_json() {
    let dir = tempfile::tempdir().unwrap();
    assert!(tandem(dir.path(), &["demo"]).status.success());
    let out = tandem(dir.path(), &["agenda", "--date", "today", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let items: Vec<serde_json::Value> = serde_json::from_str(&stdout(&out)).unwrap();
    let summaries: Vec<&str> = items.iter().map(|i| i["summary"].as_str().unwrap()).collect();
    assert_eq!(
        summaries,
        [
            "Daily check-in with Sam",
            "Contoso quarterly business review",
            "Q4 forecast review",
            "1:1 Priya / Dana",
            "Audit committee prep",
            "Acme Analytics: platform demo",
            "School pickup"
        ]
    );
    let first = &items[0];
    for key in ["uid", "recurrence_id", "summary", "start", "end", "all_day", "calendars"] {
        assert!(first.get(key).is_some(), "missing {key}");
    }
    assert_eq!(first["start"], "2026-11-24T08:30:00-05:00");
    assert_eq!(first["recurrence_id"], "2026-11-24T08:30:00-05:00");
    assert_eq!(first["calendars"], serde_json::json!(["Work"]));
}

#[test]
fn the_same_day_by_date_matches_today() {
    let dir = tempfile::tempdir().unwrap();
    tandem(dir.path(), &["demo"]);
    let a = stdout(&tandem(dir.path(), &["agenda", "--date", "today", "--json"]));
    let b = stdout(&tandem(dir.path(), &["agenda", "--date", "2026-11-24", "--json"]));
    assert_eq!(a, b);
}

#[test]
fn import_reports_problems_with_exit_code_two_and_failures_with_one() {
    let dir = tempfile::tempdir().unwrap();
    tandem(dir.path(), &["demo"]);
    let partial = dir.path().join("partial.ics");
    std::fs::write(
        &partial,
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a@x\nDTSTART:20261125T150000Z\nSUMMARY:Imported\nEND:VEVENT\nBEGIN:VEVENT\nUID:b@x\nEND:VEVENT\nEND:VCALENDAR\n",
    )
    .unwrap();
    let out = tandem(dir.path(), &["import", partial.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 7 (VEVENT uid=b@x): VEVENT has no DTSTART"));
    let agenda = stdout(&tandem(dir.path(), &["agenda", "--date", "2026-11-25", "--json"]));
    assert!(agenda.contains("\"Imported\""));

    let out = tandem(dir.path(), &["import", partial.to_str().unwrap(), "/nonexistent.ics"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read /nonexistent.ics"));
}

#[test]
fn a_bad_date_and_an_empty_store_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = tandem(dir.path(), &["agenda"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("run `tandem demo`"));
    tandem(dir.path(), &["demo"]);
    let out = tandem(dir.path(), &["agenda", "--date", "someday"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("'someday' is not a date"));
}

#[test]
fn profiles_are_shown_as_toml_and_a_new_one_adds_an_executive() {
    let dir = tempfile::tempdir().unwrap();
    tandem(dir.path(), &["demo"]);
    let shown = stdout(&tandem(dir.path(), &["profile", "show"]));
    assert!(shown.contains("id = \"dana-okafor\"") && shown.contains("[groups]"), "{shown}");
    let file = dir.path().join("new.toml");
    std::fs::write(&file, "id = \"ines\"\nname = \"Ines Duarte\"\naddresses = [\"ines@northwind.example\"]\nhome_time_zone = \"Europe/Lisbon\"\n").unwrap();
    assert!(tandem(dir.path(), &["profile", "set", file.to_str().unwrap()]).status.success());
    let list = stdout(&tandem(dir.path(), &["executives"]));
    assert!(list.contains("ines\tInes Duarte\tEurope/Lisbon"), "{list}");
    let shown = stdout(&tandem(dir.path(), &["--executive", "ines", "profile", "show"]));
    assert!(shown.contains("Europe/Lisbon"));
}
