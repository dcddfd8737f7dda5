//! Real-world files from other projects' clients (../shared/corpora): every calendar imports
//! into a real store and expands over six weeks, and every mail message parses, without a panic.
//! Problems are allowed (some files are broken on purpose); crashes and lost files are not.
//! Skipped, saying so, when the corpora are not beside the checkout.

use tandem_core::ExecutiveProfile;
use tandem_store::Store;
use tandem_sync::{import_ics_text, CalendarTarget};
use tandem_tests::{files_with_suffix, shared_corpora};

#[test]
fn every_real_world_calendar_imports_and_expands_six_weeks_without_panicking() {
    let Some(corpora) = shared_corpora() else { return };
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_dir(dir.path()).unwrap();
    let profile = ExecutiveProfile::from_toml(
        "id = \"corpus\"\nname = \"Corpus\"\naddresses = [\"exec@corpus.example\"]\nhome_time_zone = \"Europe/Berlin\"\n",
    )
    .unwrap();
    store.save_executive(&profile).unwrap();
    let now = "2026-01-01T00:00:00Z".parse().unwrap();
    let (mut files, mut refused, mut events, mut problems) = (0, 0, 0, 0);
    for path in files_with_suffix(&corpora, ".ics") {
        let Ok(bytes) = std::fs::read(&path) else { continue };
        let text = String::from_utf8_lossy(&bytes);
        files += 1;
        let target = CalendarTarget { name: Some(format!("file {files}")), ..CalendarTarget::default() };
        let r = import_ics_text(&mut store, &profile, &text, &path.display().to_string(), "x", &target, now);
        if r.error.is_some() {
            refused += 1;
        }
        events += r.events_written;
        problems += r.problems.len();
    }
    // A file may hold the same UID + RECURRENCE-ID twice: the later copy replaces the earlier.
    let stored = store.events_of("corpus").unwrap().len();
    assert!(stored <= events && stored * 10 >= events * 9, "{stored} stored of {events} written");
    // Expand six weeks of everything through the api's merged view (one window per calendar file).
    drop(store);
    let t = tandem_api::Tandem::open(Some(dir.path().to_path_buf())).unwrap();
    let weeks = t.calendar_range(Some("corpus"), "2024-01-01".parse().unwrap(), 42).unwrap();
    println!(
        "shared corpora: {files} .ics files, {refused} refused as not iCalendar, {events} events written ({stored} distinct), {problems} problems reported, {} occurrences in six weeks, {} series not expandable",
        weeks.items.len(),
        weeks.problems.len()
    );
    assert!(files > 100 && events > 1000, "the corpora look incomplete: {files} files, {events} events");
}

#[test]
fn every_real_world_mail_message_parses_or_is_refused_without_panicking() {
    let Some(corpora) = shared_corpora() else { return };
    let (mut read, mut refused) = (0, 0);
    for path in files_with_suffix(&corpora, ".eml") {
        let Ok(bytes) = std::fs::read(&path) else { continue };
        match tandem_formats::mail::parse_message(&bytes, chrono::DateTime::UNIX_EPOCH) {
            Ok(_) => read += 1,
            Err(_) => refused += 1,
        }
    }
    println!("shared corpora: {read} messages read, {refused} refused");
    assert!(read > 50, "only {read} messages read");
}
