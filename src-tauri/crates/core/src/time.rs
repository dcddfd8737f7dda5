//! Instants, windows and local days.
//!
//! Calendars speak in local wall-clock times; conflicts and overlaps are decided on UTC instants.
//! This module is the one place that turns one into the other, including the two awkward cases
//! every calendar meets twice a year: a local time that does not exist (spring-forward gap) and a
//! local time that exists twice (fall-back overlap).

use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// A half-open window of time `[start, end)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeWindow {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl TimeWindow {
    pub fn new(start: DateTime<Utc>, end: DateTime<Utc>) -> Self {
        Self { start, end }
    }

    /// The local calendar day `date` as it is lived in `zone`: from local midnight to the next
    /// local midnight, so a DST day is 23 or 25 hours long.
    pub fn day(date: NaiveDate, zone: Tz) -> Self {
        Self::days(date, 1, zone)
    }

    /// `count` consecutive local days starting at `first`.
    pub fn days(first: NaiveDate, count: u32, zone: Tz) -> Self {
        let start = resolve_local(zone, first.and_time(NaiveTime::MIN));
        let last = first + Duration::days(i64::from(count));
        let end = resolve_local(zone, last.and_time(NaiveTime::MIN));
        Self { start, end }
    }

    /// Whether `[start, end)` overlaps this window. A zero-length item overlaps when its instant
    /// lies inside the window, so a 0-minute reminder at 09:00 still shows on its day.
    pub fn overlaps(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> bool {
        if end <= start {
            return self.contains(start);
        }
        start < self.end && end > self.start
    }

    /// Whether the instant `t` is in `[start, end)`.
    pub fn contains(&self, t: DateTime<Utc>) -> bool {
        self.start <= t && t < self.end
    }
}

/// Places a wall-clock time in `zone` the way RFC 5545 §3.3.5 asks: a time inside a DST gap is
/// read with the offset from before the gap (so 02:30 on a spring-forward night becomes 03:30),
/// and an ambiguous time in an overlap takes its first occurrence.
pub fn resolve_local(zone: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(first, _) => first.with_timezone(&Utc),
        LocalResult::None => {
            // Gaps are at most a few hours; the offset a day earlier is the one "before the gap".
            let before = zone.offset_from_utc_datetime(&(local - Duration::days(1)));
            let offset = chrono::Offset::fix(&before);
            DateTime::<Utc>::from_naive_utc_and_offset(
                local - Duration::seconds(i64::from(offset.local_minus_utc())),
                Utc,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn a_spring_forward_day_in_new_york_lasts_twenty_three_hours() {
        let day = TimeWindow::day(NaiveDate::from_ymd_opt(2026, 3, 8).unwrap(), chrono_tz::America::New_York);
        assert_eq!(day.start, utc("2026-03-08T05:00:00Z"));
        assert_eq!(day.end - day.start, Duration::hours(23));
    }

    #[test]
    fn a_time_in_the_spring_gap_is_read_with_the_offset_before_the_gap() {
        let local = NaiveDate::from_ymd_opt(2026, 3, 29).unwrap().and_hms_opt(2, 30, 0).unwrap();
        // Berlin jumps 02:00 CET -> 03:00 CEST; 02:30 is read as CET (+01), i.e. 01:30 UTC.
        assert_eq!(resolve_local(chrono_tz::Europe::Berlin, local), utc("2026-03-29T01:30:00Z"));
    }

    #[test]
    fn an_ambiguous_fall_back_time_takes_its_first_occurrence() {
        let local = NaiveDate::from_ymd_opt(2026, 10, 25).unwrap().and_hms_opt(2, 30, 0).unwrap();
        assert_eq!(resolve_local(chrono_tz::Europe::Berlin, local), utc("2026-10-25T00:30:00Z"));
    }

    #[test]
    fn a_zero_length_item_overlaps_only_the_window_holding_its_instant() {
        let w = TimeWindow::new(utc("2026-01-01T00:00:00Z"), utc("2026-01-02T00:00:00Z"));
        assert!(w.overlaps(utc("2026-01-01T09:00:00Z"), utc("2026-01-01T09:00:00Z")));
        assert!(!w.overlaps(utc("2026-01-02T00:00:00Z"), utc("2026-01-02T00:00:00Z")));
        assert!(!w.overlaps(utc("2025-12-31T23:00:00Z"), utc("2026-01-01T00:00:00Z")));
    }
}
