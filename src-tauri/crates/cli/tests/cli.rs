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

fn expand(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tandem")).arg("expand").args(args).env_remove("TANDEM_DATA_DIR").output().unwrap()
}

fn fixture(name: &str) -> String {
    format!("{}/../../../tests/fixtures/ics/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn expand_prints_one_contract_object_a_line_sorted_by_start() {
    let out = expand(&[
        "--from",
        "2026-06-01",
        "--to",
        "2026-06-08",
        "--tz",
        "Europe/London",
        &fixture("series-with-moved-cancelled-and-excluded-instances.ics"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let lines: Vec<serde_json::Value> = stdout(&out).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 3);
    let keys: Vec<&String> = lines[0].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["all_day", "end", "recurrence_id", "start", "summary", "uid"]);
    assert_eq!(lines[1]["summary"], "Daily sync (afternoon)");
    assert_eq!(lines[1]["recurrence_id"], "2026-06-02T10:00:00+01:00");
    assert_eq!(lines[1]["start"], "2026-06-02T15:00:00+01:00");
    assert_eq!(lines[2]["start"], "2026-06-05T10:00:00+01:00");
}

#[test]
fn expand_places_dates_and_floating_times_in_tz_and_prints_them_without_offsets() {
    let file = fixture("flight-hotel-and-floating-times.ics");
    // In Tokyo, 27 Nov 15:30 floating is 06:30Z: inside a window ending at 27 Nov 16:00 Tokyo.
    let out = expand(&["--from", "2026-11-27", "--to", "2026-11-27T16:00:00+09:00", "--tz", "Asia/Tokyo", &file]);
    let text = stdout(&out);
    assert!(text.contains(r#""start":"2026-11-27T15:30:00","end":"2026-11-27T16:00:00","all_day":false"#), "{text}");
    assert!(text.contains(r#""start":"2026-11-26","end":"2026-11-28","all_day":true"#), "{text}");
    // The same window in New York ends before the pickup (16:00 Tokyo = 02:00 New York).
    let out = expand(&["--from", "2026-11-27", "--to", "2026-11-27T16:00:00+09:00", "--tz", "America/New_York", &file]);
    assert!(!stdout(&out).contains("School pickup"));
}

#[test]
fn expand_prints_a_meeting_found_in_two_files_once() {
    let dir = fixture("same-meeting-in-two-calendars");
    let out = expand(&[
        "--from",
        "2026-05-04",
        "--to",
        "2026-05-05",
        &format!("{dir}/work.ics"),
        &format!("{dir}/board.ics"),
    ]);
    let text = stdout(&out);
    assert_eq!(text.matches("committee@fixtures").count(), 1, "{text}");
    assert!(text.contains(r#""summary":"Audit committee""#), "the higher SEQUENCE wins: {text}");
}

#[test]
fn expand_reports_bad_components_with_file_and_line_and_still_prints_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.ics");
    std::fs::write(
        &bad,
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:ok@x\nDTSTART:20260504T100000Z\nSUMMARY:Fine\nEND:VEVENT\nBEGIN:VEVENT\nUID:rule@x\nDTSTART:20260504T110000Z\nRRULE:FREQ=SOMETIMES\nEND:VEVENT\nEND:VCALENDAR\n",
    )
    .unwrap();
    let out = expand(&["--from", "2026-05-04", "--to", "2026-05-05", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.ics: line 7 (VEVENT uid=rule@x)") && err.contains("FREQ=SOMETIMES"), "{err}");
    assert!(stdout(&out).contains("\"Fine\""));

    let out = expand(&["--from", "2026-05-04", "--to", "2026-05-05", "/nonexistent.ics", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent.ics: cannot read"));
    assert!(stdout(&out).contains("\"Fine\""), "the readable file is still printed");
}

#[test]
fn freebusy_lists_busy_and_free_time_and_agenda_names_the_travel_days() {
    let dir = tempfile::tempdir().unwrap();
    assert!(tandem(dir.path(), &["demo"]).status.success());
    let out = tandem(dir.path(), &["freebusy", "--date", "2026-11-24", "--min", "60", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let fb: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(fb["zone"], "America/New_York");
    assert_eq!(fb["min_minutes"], 60);
    assert!(fb["busy"].as_array().unwrap().iter().all(|b| b["kind"] == "busy" || b["kind"] == "tentative"));
    assert!(!fb["free"].as_array().unwrap().is_empty());
    let text = stdout(&tandem(dir.path(), &["agenda", "--date", "2026-11-23", "--days", "7"]));
    assert!(text.contains("2026-11-26: in Europe/London, also America/New_York (Flight BA 178"), "{text}");
    let bad = tandem(dir.path(), &["freebusy", "--days", "0"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("0 days is outside"));
}

/// Python's own `http.server` on loopback: a real publisher with Last-Modified and 304s.
struct FileServer {
    child: std::process::Child,
    port: u16,
}

impl Drop for FileServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn file_server(dir: &std::path::Path) -> Option<FileServer> {
    use std::io::BufRead;
    let mut child = Command::new("python3")
        .args(["-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", dir.to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .ok()?;
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).ok()?;
    // "Serving HTTP on 127.0.0.1 port 41234 (http://127.0.0.1:41234/) ..."
    let port = line.split(" port ").nth(1)?.split(' ').next()?.parse().ok()?;
    Some(FileServer { child, port })
}

fn team_feed(summaries: &[&str]) -> String {
    let mut s = String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX-WR-CALNAME:Team offsites\r\n");
    for (i, summary) in summaries.iter().enumerate() {
        s.push_str(&format!(
            "BEGIN:VEVENT\r\nUID:feed-{i}@team\r\nDTSTART:20261125T{:02}0000Z\r\nDURATION:PT30M\r\nSUMMARY:{summary}\r\nEND:VEVENT\r\n",
            20 + i
        ));
    }
    s + "END:VCALENDAR\r\n"
}

fn agenda_summaries(dir: &std::path::Path) -> Vec<String> {
    let out = tandem(dir, &["agenda", "--date", "2026-11-25", "--json"]);
    let items: Vec<serde_json::Value> = serde_json::from_str(&stdout(&out)).unwrap();
    items.iter().map(|i| i["summary"].as_str().unwrap().to_string()).collect()
}

#[test]
fn a_subscribed_feed_shows_in_the_agenda_refreshes_and_stays_when_the_server_is_gone() {
    let dir = tempfile::tempdir().unwrap();
    let site = tempfile::tempdir().unwrap();
    let feed = site.path().join("team.ics");
    std::fs::write(&feed, team_feed(&["Offsite planning", "Team dinner"])).unwrap();
    let Some(server) = file_server(site.path()) else {
        eprintln!("SKIPPED: python3 is not installed here, so no HTTP server to subscribe to");
        return;
    };
    assert!(tandem(dir.path(), &["demo"]).status.success());
    let url = format!("http://127.0.0.1:{}/team.ics", server.port);

    let out = tandem(dir.path(), &["subscribe", &url]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout(&out).contains("subscribed: 'Team offsites' from http://127.0.0.1:"), "{}", stdout(&out));
    let shown = agenda_summaries(dir.path());
    assert!(shown.contains(&"Offsite planning".to_string()) && shown.contains(&"Team dinner".to_string()), "{shown:?}");

    // The publisher changes the feed (a second later, so Last-Modified moves on).
    std::fs::write(&feed, team_feed(&["Offsite planning (moved)"])).unwrap();
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
    std::fs::File::options().write(true).open(&feed).unwrap().set_modified(later).unwrap();
    let out = tandem(dir.path(), &["refresh", "--all"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let shown = agenda_summaries(dir.path());
    assert!(shown.contains(&"Offsite planning (moved)".to_string()), "{shown:?}");
    assert!(!shown.contains(&"Team dinner".to_string()), "removed by the publisher: {shown:?}");
    let out = tandem(dir.path(), &["refresh", "--all"]);
    assert!(stdout(&out).contains(": unchanged"), "a 304 the second time: {}", stdout(&out));

    drop(server);
    let out = tandem(dir.path(), &["refresh", "--all"]);
    assert_eq!(out.status.code(), Some(2), "a failed feed is a partial result");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("cannot reach 127.0.0.1"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(agenda_summaries(dir.path()).contains(&"Offsite planning (moved)".to_string()), "offline, the cache stays");
    let listed = stdout(&tandem(dir.path(), &["calendars"]));
    assert!(listed.contains("Team offsites") && listed.contains("last try failed: cannot reach"), "{listed}");

    let out = tandem(dir.path(), &["subscribe", "ftp://127.0.0.1/team.ics"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a calendar address"));
}

#[test]
fn reminders_list_what_goes_off_and_due_ones_are_delivered_once() {
    let dir = tempfile::tempdir().unwrap();
    assert!(tandem(dir.path(), &["demo"]).status.success());
    let listed = stdout(&tandem(dir.path(), &["reminders", "--hours", "6"]));
    assert!(
        listed.contains(
            "Tue 14:00 Dana Okafor: Audit committee prep at 14:30 (America/New_York) — Bring the signed audit letter"
        ),
        "{listed}"
    );
    let due = |at: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_tandem"))
            .args(["--data-dir", dir.path().to_str().unwrap(), "--now", at, "reminders", "--due", "--json"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_str::<Vec<serde_json::Value>>(&stdout(&out)).unwrap()
    };
    let first = due("2026-11-24T14:50:00Z");
    assert_eq!(first.len(), 1);
    assert_eq!(first[0]["summary"], "Contoso quarterly business review");
    assert!(due("2026-11-24T14:51:00Z").is_empty());
}

#[test]
fn mail_import_triage_and_an_undone_archive_work_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    assert!(tandem(dir.path(), &["demo"]).status.success());
    let maildir = dir.path().join("Maildir");
    for sub in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(maildir.join(sub)).unwrap();
    }
    let mail = "From: Robotics Weekly <news@robotics.example>\r\nTo: dana.okafor@northwind.example\r\n\
Subject: Issue 49\r\nDate: Tue, 24 Nov 2026 08:00:00 +0000\r\nMessage-ID: <issue-49@robotics.example>\r\n\
List-Id: <weekly.robotics.example>\r\n\r\nThis week.\r\n";
    std::fs::write(maildir.join("new/1.host"), mail).unwrap();
    std::fs::write(maildir.join("new/2.host"), "no headers at all").unwrap();
    let out = tandem(dir.path(), &["mail", "import", maildir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "one message could not be read");
    assert!(stdout(&out).contains("1 messages read, 1 new"), "{}", stdout(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("2.host"));

    let found: serde_json::Value =
        serde_json::from_str(&stdout(&tandem(dir.path(), &["search", "issue", "49", "--json"]))).unwrap();
    let item = &found["items"][0];
    assert_eq!(item["lane"], "noise", "triaged on import");
    assert_eq!(item["lane_reason"], "a mailing list (List-Id weekly.robotics.example)");
    let id = item["id"].as_i64().unwrap().to_string();

    let archived = tandem(dir.path(), &["mail", "archive", &id, "--json"]);
    assert!(archived.status.success(), "{}", String::from_utf8_lossy(&archived.stderr));
    let action: serde_json::Value = serde_json::from_str(&stdout(&archived)).unwrap();
    let noise =
        |dir: &std::path::Path| -> String { stdout(&tandem(dir, &["inbox", "--lane", "noise", "--limit", "500"])) };
    assert!(!noise(dir.path()).contains("Issue 49"));
    let undo = tandem(dir.path(), &["mail", "undo", &action["id"].to_string()]);
    assert_eq!(stdout(&undo).trim(), "Undid: Archived 1 message");
    assert!(noise(dir.path()).contains("Issue 49"));

    let bad = tandem(dir.path(), &["mail", "move", &id, "--lane", "later"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("'later' is not a lane"));
}

#[test]
fn a_briefing_is_previewed_on_stdout_exported_to_files_and_only_an_export_moves_changed_since() {
    let dir = tempfile::tempdir().unwrap();
    assert!(tandem(dir.path(), &["demo"]).status.success());
    let preview = tandem(dir.path(), &["briefing"]);
    assert!(preview.status.success(), "{}", String::from_utf8_lossy(&preview.stderr));
    let text = stdout(&preview);
    assert!(text.starts_with("Dana Okafor: Tuesday 24 November 2026\n"), "{text}");
    assert!(text.contains("Changed since the last briefing (Mon 23 Nov 19:00)"), "{text}");
    // A preview is not a delivery: the next preview still counts from last night.
    assert!(stdout(&tandem(dir.path(), &["briefing"])).contains("Changed since the last briefing (Mon 23 Nov 19:00)"));

    for (format, magic) in [("pdf", &b"%PDF-"[..]), ("html", &b"<!DOCTYPE html>"[..]), ("text", &b"Dana Okafor"[..])] {
        let file = dir.path().join(format!("b.{format}"));
        let out = tandem(dir.path(), &["briefing", "--format", format, "--out", file.to_str().unwrap()]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(std::fs::read(&file).unwrap().starts_with(magic), "{format}");
    }
    // Exported at the same --now: a briefing made then lists nothing changed since (it counts
    // deliveries before its own time, so it sees last night's).
    let evening = tandem(dir.path(), &["briefing", "--evening"]);
    let text = stdout(&evening);
    assert!(text.starts_with("Dana Okafor: evening briefing: For tomorrow, Wednesday 25 November 2026\n"), "{text}");

    let bad = tandem(dir.path(), &["briefing", "--out", "/nonexistent/dir/b.txt"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("cannot write the briefing to /nonexistent/dir/b.txt"));
}

#[test]
fn a_prep_note_is_set_shown_and_cleared_and_an_unknown_meeting_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    tandem(dir.path(), &["demo"]);
    let uid = "q4-forecast@demo.northwind.example";
    assert_eq!(stdout(&tandem(dir.path(), &["prep", uid])), "Priya's deck v3 is final. Push on EMEA, 8% under plan.\n");
    assert!(tandem(dir.path(), &["prep", uid, "Ask for the downside case"]).status.success());
    assert!(stdout(&tandem(dir.path(), &["briefing"])).contains("prep: Ask for the downside case"));
    assert!(tandem(dir.path(), &["prep", uid, "--clear"]).status.success());
    let none = tandem(dir.path(), &["prep", uid]);
    assert_eq!(stdout(&none), "");
    assert!(String::from_utf8_lossy(&none.stderr).contains("no prep note"));
    let unknown = tandem(dir.path(), &["prep", "nope@x", "note"]);
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no meeting with UID nope@x"));
}

#[test]
fn sync_without_calendar_accounts_says_how_to_add_one_and_a_caldav_address_is_checked_before_anything_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    tandem(dir.path(), &["demo"]);
    let out = tandem(dir.path(), &["sync"]);
    assert!(out.status.success());
    assert!(stdout(&out).contains("`tandem account add caldav https://host/ --user U`"), "{}", stdout(&out));
    let insecure = Command::new(env!("CARGO_BIN_EXE_tandem"))
        .args([
            "--data-dir",
            dir.path().to_str().unwrap(),
            "account",
            "add",
            "caldav",
            "http://dav.example.com/",
            "--user",
            "dana",
        ])
        .env("TANDEM_PASSWORD", "secret")
        .output()
        .unwrap();
    assert_eq!(insecure.status.code(), Some(1));
    let err = String::from_utf8_lossy(&insecure.stderr);
    assert!(err.contains("plain http") && !err.contains("secret"), "{err}");
    assert!(stdout(&tandem(dir.path(), &["account", "list"])).starts_with("no accounts"));
    assert!(stdout(&tandem(dir.path(), &["clashes"])).starts_with("no clashes"));
    let unknown = tandem(dir.path(), &["clashes", "keep", "9", "mine"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&unknown.stderr).contains("clash 9 not found"),
        "{}",
        String::from_utf8_lossy(&unknown.stderr)
    );
}

#[path = "../../sync/tests/servers/caldav.rs"]
mod caldav_server;

/// A calendar the server gained after the account was added: `account calendars` lists it as
/// not in Tandem, `--add` takes it, the next sync brings its meetings, `--remove` takes it out
/// again. (Inside
/// `tests/with-keychain.sh`, as the whole Rust suite runs: the password goes there.)
#[test]
fn account_calendars_lists_the_servers_calendars_adds_one_by_name_and_removes_it() {
    use caldav_server::{event_ics, CalDavServer, Kind, PASSWORD, USER};
    let radicale = CalDavServer::start(Kind::Radicale);
    radicale.make_calendar("work", "Work", "#1F5FBF");
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_tandem"))
            .args(["--data-dir", dir.path().to_str().unwrap(), "--now", NOW])
            .args(args)
            .env_remove("TANDEM_DATA_DIR")
            .env("TANDEM_PASSWORD", PASSWORD)
            .output()
            .unwrap();
        assert!(out.status.success(), "tandem {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        stdout(&out)
    };
    run(&["demo"]);
    run(&["account", "add", "caldav", &radicale.root(), "--user", USER]);
    let accounts: Vec<serde_json::Value> = serde_json::from_str(&run(&["--json", "account", "list"])).unwrap();
    let id = accounts[0]["id"].to_string();
    let family = radicale.make_calendar("family", "Family", "#2F7D6D");
    radicale.put(&family, "recital.ics", &event_ics("recital@t", "School recital (Radicale)", "20261124T230000Z"));

    let listed = run(&["account", "calendars", &id]);
    assert!(
        listed.lines().any(|l| l.starts_with("Family") && l.contains("not in Tandem (--add 'Family')")),
        "{listed}"
    );
    assert!(listed.lines().any(|l| l.starts_with("Work") && l.contains("in Tandem as 'Work (127.0.0.1)'")), "{listed}");
    let after = run(&["account", "calendars", &id, "--add", "Family"]);
    assert!(after.lines().any(|l| l.starts_with("Family") && l.contains("in Tandem as 'Family'")), "{after}");
    run(&["sync"]);
    let day: Vec<serde_json::Value> =
        serde_json::from_str(&run(&["agenda", "--date", "2026-11-24", "--json"])).unwrap();
    assert!(day.iter().any(|i| i["summary"] == "School recital (Radicale)" && i["calendars"][0] == "Family"));
    let removed = run(&["account", "calendars", &id, "--remove", "Family"]);
    assert!(removed.lines().any(|l| l.starts_with("Family") && l.contains("not in Tandem")), "{removed}");
    let day: Vec<serde_json::Value> =
        serde_json::from_str(&run(&["agenda", "--date", "2026-11-24", "--json"])).unwrap();
    assert!(!day.iter().any(|i| i["summary"] == "School recital (Radicale)"), "its meetings went with it");
}
