//! `tandem expand`: iCalendar files expanded over a window, without a store. Other tools rely
//! on its output (one JSON object a line), so its shape is a contract:
//! `{"uid", "recurrence_id", "summary", "start", "end", "all_day"}` with times as
//! [`tandem_core::EventTime::to_contract_string`] prints them, sorted by start instant, then
//! UID, then recurrence instance; the same UID + RECURRENCE-ID in several files printed once.

use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use tandem_core::{expand_calendar, merge_occurrences, Event, TimeWindow};
use tandem_formats::ics::parse_calendar;

use crate::error::{ApiError, Result};

/// One printed line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExpandLine {
    pub uid: String,
    pub recurrence_id: Option<String>,
    pub summary: String,
    pub start: String,
    pub end: String,
    pub all_day: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExpandOutcome {
    pub lines: Vec<ExpandLine>,
    /// One line each, naming the file and the line in it.
    pub problems: Vec<String>,
    /// Some component could not be read or expanded (exit code 2).
    pub skipped: bool,
    /// Some file could not be read or is not iCalendar (exit code 1).
    pub failed: bool,
}

/// A window bound: a date (midnight in `zone`) or an RFC 3339 instant.
pub fn parse_bound(text: &str, zone: Tz) -> Result<DateTime<Utc>> {
    if let Ok(d) = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") {
        return Ok(TimeWindow::day(d, zone).start);
    }
    DateTime::parse_from_rfc3339(text.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| ApiError::invalid(format!("'{text}' is neither a date (YYYY-MM-DD) nor an RFC 3339 instant")))
}

/// Expands `files` over `[from, to)`; dates, floating times and all-day events are placed in
/// `zone` to decide overlap. Every readable file is expanded even when others fail.
pub fn expand_files(files: &[PathBuf], window: TimeWindow, zone: Tz) -> ExpandOutcome {
    let mut out = ExpandOutcome::default();
    let mut per_file = Vec::new();
    for (index, path) in files.iter().enumerate() {
        let name = path.display();
        let text = match std::fs::read(path) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) => {
                out.problems.push(format!("{name}: cannot read: {e}"));
                out.failed = true;
                continue;
            }
        };
        let parsed = match parse_calendar(&text) {
            Ok(p) => p,
            Err(e) => {
                out.problems.push(format!("{name}: {e}"));
                out.failed = true;
                continue;
            }
        };
        out.skipped |= !parsed.problems.is_empty();
        out.problems.extend(parsed.problems.iter().map(|p| format!("{name}: {p}")));
        let events: Vec<&Event> = parsed.events.iter().map(|e| &e.event).collect();
        let (occurrences, failures) = expand_calendar(&events, window, zone);
        for (i, e) in failures {
            let at = &parsed.events[i];
            out.problems.push(format!("{name}: line {} (VEVENT uid={}): {e}", at.line, at.event.uid));
            out.skipped = true;
        }
        per_file.push((index as i64, occurrences));
    }
    out.lines = merge_occurrences(per_file)
        .into_iter()
        .map(|m| {
            let o = m.occurrence;
            ExpandLine {
                uid: o.uid.to_string(),
                recurrence_id: o.recurrence_id.map(|r| r.to_contract_string()),
                summary: o.summary.to_string(),
                start: o.start.to_contract_string(),
                end: o.end.to_contract_string(),
                all_day: o.all_day,
            }
        })
        .collect();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_bound_is_midnight_in_the_zone_and_an_instant_is_itself() {
        let ny = chrono_tz::America::New_York;
        assert_eq!(parse_bound("2026-03-02", ny).unwrap().to_rfc3339(), "2026-03-02T05:00:00+00:00");
        assert_eq!(parse_bound("2026-03-02T09:00:00+01:00", ny).unwrap().to_rfc3339(), "2026-03-02T08:00:00+00:00");
        assert!(parse_bound("March", ny).unwrap_err().message.contains("RFC 3339"));
    }
}
