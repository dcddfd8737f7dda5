//! Lossless round trips: every calendar file Tandem reads, written back with
//! [`tandem_formats::ics::write_back`] and read again, gives the same events (times, rules,
//! people, and every property, parameter and sub-component Tandem does not model), and each
//! VEVENT keeps every property name it had. Run on this repository's fixtures always, and on the
//! real-world files in ../shared/corpora when they are there.

use std::collections::BTreeSet;
use std::path::Path;

use tandem_formats::ics::{parse_calendar, parse_components, write_back};
use tandem_tests::{files_with_suffix, fixtures, shared_corpora};

/// Producers whose files are real-world (the CalDAV conformance scripts are templates, not files).
const CORPORA: &[&str] = &[
    "recurring-ical-events",
    "icalendar-python",
    "node-ical",
    "icalnet",
    "golang-ical",
    "radicale",
    "thunderbird-calendar",
];

/// Why the file does not round-trip, or `None` when it does.
fn round_trip(path: &Path) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    let first = parse_calendar(&text).ok()?;
    let written = write_back(&first);
    let second = match parse_calendar(&written) {
        Ok(c) => c,
        Err(e) => return Some(format!("written text does not read back: {e}")),
    };
    if second.events.len() != first.events.len() {
        return Some(format!("{} events became {}", first.events.len(), second.events.len()));
    }
    for (a, b) in first.events.iter().zip(&second.events) {
        if a.event != b.event {
            return Some(format!("event {} changed:\n  {:?}\n  {:?}", a.event.uid, a.event, b.event));
        }
        let names = |raw: &str| -> BTreeSet<String> {
            let (roots, _) = parse_components(raw);
            roots.first().map(|c| c.properties.iter().map(|p| p.name.to_string()).collect()).unwrap_or_default()
        };
        let lost: Vec<String> = names(&a.raw).difference(&names(&b.raw)).cloned().collect();
        if !lost.is_empty() {
            return Some(format!("event {} lost {lost:?}", a.event.uid));
        }
    }
    if (&first.kept_properties, &first.kept_components) != (&second.kept_properties, &second.kept_components) {
        return Some("calendar properties or components changed".into());
    }
    if first.name != second.name || first.method != second.method {
        return Some("calendar name or method changed".into());
    }
    None
}

fn check(files: &[std::path::PathBuf]) -> (usize, Vec<String>) {
    let mut failures = Vec::new();
    for path in files {
        if let Some(why) = round_trip(path) {
            failures.push(format!("{}: {why}", path.display()));
        }
    }
    (files.len(), failures)
}

#[test]
fn every_fixture_calendar_round_trips_without_loss() {
    let files = files_with_suffix(&fixtures().join("ics"), ".ics");
    let (n, failures) = check(&files);
    assert!(n >= 10, "only {n} fixtures");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_real_world_calendar_round_trips_without_loss() {
    let Some(corpora) = shared_corpora() else { return };
    let files: Vec<_> = CORPORA.iter().flat_map(|c| files_with_suffix(&corpora.join(c), ".ics")).collect();
    let (n, failures) = check(&files);
    println!("round trip: {} of {n} real-world files lossless", n - failures.len());
    assert!(n > 400, "the corpora look incomplete: {n} files");
    assert!(failures.is_empty(), "{} files lost something:\n{}", failures.len(), failures.join("\n"));
}
