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

/// Whether an instance is cancelled, its SEQUENCE, and each attendee's answer.
type InstanceState = (bool, u32, Vec<(String, String)>);

/// What a calendar object says about each instance, for comparing iTIP results, by
/// RECURRENCE-ID.
fn answers(events: &[tandem_core::Event]) -> std::collections::BTreeMap<String, InstanceState> {
    events
        .iter()
        .map(|e| {
            let mut people: Vec<(String, String)> =
                e.attendees.iter().map(|a| (a.participant.address.clone(), format!("{:?}", a.status))).collect();
            people.sort();
            let key = e.recurrence_id.map(|r| r.instance_key()).unwrap_or_default();
            (key, (e.status == tandem_core::EventStatus::Cancelled, e.sequence, people))
        })
        .collect()
}

/// sabre/vobject's iTIP broker cases (processMessage: an incoming REQUEST, CANCEL or REPLY
/// applied to the object a server holds) against `core::itip::apply`: the instances, their
/// status and SEQUENCE, and every attendee's answer must agree with sabre's result.
#[test]
fn sabres_itip_broker_cases_apply_as_sabre_applies_them() {
    use tandem_core::itip::{apply, Applied, Method};
    use tandem_formats::ics::parse_calendar;
    let Some(corpora) = shared_corpora() else { return };
    let file = corpora.join("itip/sabre-vobject-itip-broker-cases.json");
    let cases: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    let header = "VERSION:2.0\nPRODID:-//Sabre//Sabre VObject 4.6.0//EN\nCALSCALE:GREGORIAN";
    // sabre's fixtures write stored objects without DTSTART, which RFC 5545 requires of a
    // calendar; one that is not what the case is about is supplied, at the instance it names.
    let with_start = |text: &str| -> String {
        let mut out = String::new();
        for block in text.replace("%foo%", header).split_inclusive("END:VEVENT") {
            let needs = block.contains("BEGIN:VEVENT") && !block.contains("DTSTART");
            let rid = block.lines().find_map(|l| l.strip_prefix("RECURRENCE-ID")).map(|r| r.to_string());
            match (needs, rid) {
                (true, Some(rid)) => out.push_str(&block.replace("END:VEVENT", &format!("DTSTART{rid}\nEND:VEVENT"))),
                (true, None) => out.push_str(&block.replace("END:VEVENT", "DTSTART:20140716T120000Z\nEND:VEVENT")),
                _ => out.push_str(block),
            }
        }
        out
    };
    let events = |text: &str| -> Option<Vec<tandem_core::Event>> {
        let cal = parse_calendar(&with_start(text)).ok()?;
        (!cal.events.is_empty()).then(|| cal.events.into_iter().map(|e| e.event).collect())
    };
    let (mut agree, mut unreadable, mut differ) = (0, 0, Vec::new());
    for case in cases["cases"].as_array().unwrap().iter().filter(|c| c["kind"] == "processMessage") {
        let name = case["test"].as_str().unwrap();
        let message = case["itip_message"].as_str().unwrap();
        let method = message.lines().find_map(|l| l.strip_prefix("METHOD:")).and_then(Method::parse);
        let Some(incoming) = events(message) else {
            unreadable += 1;
            continue;
        };
        let held = match case["existing_object"].as_str() {
            Some(text) => match events(text) {
                Some(e) => e,
                None => {
                    unreadable += 1;
                    continue;
                }
            },
            None => Vec::new(),
        };
        let ours = match method {
            // sabre ignores what it does not support (a VTODO, an unknown method); so does Tandem.
            Some(m) if incoming.iter().all(|e| e.uid == incoming[0].uid) => apply(m, &incoming, &held),
            _ => Applied::Ignored { reason: "unsupported".into() },
        };
        let expected = case["expected_result"].as_str().and_then(events);
        let same = match (&ours, &expected) {
            (Applied::Ignored { .. }, None) => true,
            (Applied::Changed { events, .. }, Some(want)) => answers(events) == answers(want),
            // A cancellation of nothing, an unreadable result: sabre returns nothing, Tandem says why.
            _ => false,
        };
        if same {
            agree += 1;
        } else {
            differ.push(name.to_string());
        }
    }
    println!("sabre iTIP broker cases: {agree} agree, {} differ {:?}, {unreadable} unreadable", differ.len(), differ);
    assert!(differ.is_empty(), "Tandem applies these differently from sabre: {differ:?}");
}
