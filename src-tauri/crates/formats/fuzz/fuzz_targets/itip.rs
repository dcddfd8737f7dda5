//! Any bytes as an incoming iTIP message, brought to bear as each method on the meeting it
//! describes (an update of a meeting by itself, a cancellation of it, an added instance, a
//! reply): never a panic, and what results still expands.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tandem_core::itip::{apply, Applied, Method};
use tandem_core::{expand_calendar, TimeWindow};
use tandem_formats::ics::parse_calendar;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(cal) = parse_calendar(&text) else { return };
    let events: Vec<tandem_core::Event> = cal.events.iter().map(|e| e.event.clone()).collect();
    let week = TimeWindow::new("2026-11-23T00:00:00Z".parse().unwrap(), "2026-11-30T00:00:00Z".parse().unwrap());
    for method in [Method::Request, Method::Cancel, Method::Add, Method::Reply] {
        if let Applied::Changed { events: after, .. } = apply(method, &events, &events) {
            let refs: Vec<_> = after.iter().collect();
            let _ = expand_calendar(&refs, week, chrono_tz::America::New_York);
        }
    }
});
