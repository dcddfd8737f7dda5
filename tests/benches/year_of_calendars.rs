//! Parse and expand a year of an executive's ten calendars (a generated corpus: a few thousand
//! series with overrides, exceptions and zones), and the same with recurring-ical-events
//! (Python) on the same files in the same run. Prints Tandem's time, the peer's and the ratio;
//! asserts both count the same occurrences, so a fast wrong answer fails.
//!
//! Full run: `cargo bench -p tandem-tests --bench year_of_calendars`.
//! Quick answer check (what .ci/run does): `... -- --test` (one run each, no statistics).
//! The peer runs with `$TANDEM_PYTHON`, else the venv `make py-deps` makes; without either it
//! is skipped, saying so.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use criterion::Criterion;
use tandem_core::{expand_calendar, TimeWindow};
use tandem_formats::ics::parse_calendar;
use tandem_tests::corpus::executive_year;

const YEAR: i32 = 2026;

fn window() -> TimeWindow {
    TimeWindow::new(
        format!("{YEAR}-01-01T00:00:00Z").parse().expect("a date"),
        format!("{}-01-01T00:00:00Z", YEAR + 1).parse().expect("a date"),
    )
}

/// Parse every file and expand the year; the number of (non-cancelled) occurrences.
fn tandem(texts: &[String]) -> usize {
    let mut total = 0;
    for text in texts {
        let cal = parse_calendar(text).expect("the generated calendars are iCalendar");
        let events: Vec<_> = cal.events.iter().map(|e| &e.event).collect();
        let (occurrences, failures) = expand_calendar(&events, window(), chrono_tz::UTC);
        assert!(failures.is_empty(), "{failures:?}");
        total += occurrences.len();
    }
    total
}

fn python() -> Option<PathBuf> {
    // TANDEM_PYTHON= (empty) skips the peer, e.g. when profiling Tandem alone.
    if let Some(p) = std::env::var_os("TANDEM_PYTHON") {
        return (!p.is_empty()).then(|| PathBuf::from(p));
    }
    let venv = PathBuf::from(std::env::var_os("HOME")?).join(".cache/tandem/venv/bin/python");
    venv.is_file().then_some(venv)
}

/// The peer's best time and its occurrence count.
fn peer(files: &[PathBuf], runs: u32) -> Option<(Duration, usize)> {
    let Some(python) = python() else {
        println!("peer skipped: no Python with recurring-ical-events (run `make py-deps` or set TANDEM_PYTHON)");
        return None;
    };
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/peer.py");
    let out = Command::new(python)
        .arg(script)
        .arg(runs.to_string())
        .arg(format!("{YEAR}-01-01"))
        .arg(format!("{}-01-01", YEAR + 1))
        .args(files)
        .output()
        .expect("the peer starts");
    assert!(out.status.success(), "peer failed: {}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("the peer prints JSON");
    Some((Duration::from_secs_f64(v["seconds"].as_f64()?), v["occurrences"].as_u64()? as usize))
}

fn main() {
    let quick = std::env::args().any(|a| a == "--test");
    let calendars = executive_year(20261128, YEAR);
    let dir = tempfile::tempdir().expect("a temp dir");
    // TANDEM_BENCH_KEEP=DIR keeps the generated files there, to look at a disagreement.
    let keep = std::env::var_os("TANDEM_BENCH_KEEP").map(PathBuf::from);
    let out_dir = keep.as_deref().unwrap_or(dir.path());
    std::fs::create_dir_all(out_dir).expect("the output folder");
    let mut files = Vec::new();
    for (name, text) in &calendars {
        let path = out_dir.join(name);
        std::fs::write(&path, text).expect("written");
        files.push(path);
    }
    let texts: Vec<String> = calendars.iter().map(|(_, t)| t.clone()).collect();
    let events: usize = texts.iter().map(|t| t.matches("BEGIN:VEVENT").count()).sum();
    let series: usize = texts.iter().map(|t| t.matches("RRULE:").count()).sum();
    let bytes: usize = texts.iter().map(String::len).sum();

    let runs = if quick { 1 } else { 7 };
    let mut best = Duration::MAX;
    let mut count = 0;
    for _ in 0..runs {
        let t0 = Instant::now();
        count = tandem(&texts);
        best = best.min(t0.elapsed());
    }
    println!(
        "year of 10 calendars: {events} events ({series} series, {:.1} MB), {count} occurrences in {YEAR}",
        bytes as f64 / 1e6
    );
    println!("tandem: {:.2} ms (best of {runs})", best.as_secs_f64() * 1e3);
    if let Some((peer_time, peer_count)) = peer(&files, if quick { 1 } else { 3 }) {
        assert_eq!(count, peer_count, "Tandem and recurring-ical-events count different occurrences");
        println!(
            "recurring-ical-events: {:.0} ms (best of {}); Tandem is {:.0}x faster",
            peer_time.as_secs_f64() * 1e3,
            if quick { 1 } else { 3 },
            peer_time.as_secs_f64() / best.as_secs_f64()
        );
    }

    let mut c = Criterion::default().configure_from_args();
    c.bench_function("parse and expand a year of 10 calendars", |b| b.iter(|| tandem(&texts)));
    c.final_summary();
}
