//! Any bytes: reading never panics; a file read without problems writes back and reads again
//! to the same events (files with problems are only required to read back); and expanding a week
//! of it never panics either.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tandem_core::{expand_calendar, TimeWindow};
use tandem_formats::ics::{parse_calendar, write_back};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(cal) = parse_calendar(&text) else { return };
    let again = parse_calendar(&write_back(&cal)).expect("written text is iCalendar");
    let a: Vec<_> = cal.events.iter().map(|e| &e.event).collect();
    let b: Vec<_> = again.events.iter().map(|e| &e.event).collect();
    if cal.problems.is_empty() {
        assert_eq!(a, b, "write_back lost something");
    }
    let week = TimeWindow::new("2026-03-23T00:00:00Z".parse().unwrap(), "2026-03-30T00:00:00Z".parse().unwrap());
    let _ = expand_calendar(&a, week, chrono_tz::Europe::London);
});
