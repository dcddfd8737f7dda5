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
    resolve_local_exact(zone, local).0
}

/// [`resolve_local`], and whether `local` exists in `zone` (false inside a spring-forward gap,
/// where the instant's own wall clock is an hour later). Saves reading the wall clock back.
pub fn resolve_local_exact(zone: Tz, local: NaiveDateTime) -> (DateTime<Utc>, bool) {
    if zone == chrono_tz::UTC {
        return (local.and_utc(), true);
    }
    let wall = local.and_utc().timestamp();
    if let Some((secs, exists)) = zone_years::resolve(zone, wall) {
        return (shift(local, wall - secs).and_utc(), exists);
    }
    let t = resolve_local_by_chrono(zone, local);
    (t, t.with_timezone(&zone).naive_local() == local)
}

/// `t` moved back by `seconds` (less than a day either way, as any UTC offset is). Done on the
/// time of day, touching the date only across midnight: chrono's general date-time arithmetic
/// was a fifth of a year's expansion.
fn shift(t: NaiveDateTime, seconds: i64) -> NaiveDateTime {
    use chrono::Timelike;
    let of_day = i64::from(t.time().num_seconds_from_midnight()) - seconds;
    let (date, of_day) = match of_day {
        s if s < 0 => (t.date().pred_opt(), s + 86_400),
        s if s >= 86_400 => (t.date().succ_opt(), s - 86_400),
        s => (Some(t.date()), s),
    };
    let time = NaiveTime::from_num_seconds_from_midnight_opt(of_day as u32, t.time().nanosecond());
    match (date, time) {
        (Some(d), Some(time)) if seconds.abs() < 86_400 => d.and_time(time),
        _ => t - Duration::seconds(seconds),
    }
}

/// The wall clock in `zone` at instant `t` (what `t.with_timezone(&zone).naive_local()` gives,
/// without a search of the zone's whole history for every instance of every series).
pub fn local_in(zone: Tz, t: DateTime<Utc>) -> NaiveDateTime {
    if zone == chrono_tz::UTC {
        return t.naive_utc();
    }
    match zone_years::offset_at(zone, t.timestamp()) {
        Some(offset) => shift(t.naive_utc(), -i64::from(offset)),
        None => t.with_timezone(&zone).naive_local(),
    }
}

fn resolve_local_by_chrono(zone: Tz, local: NaiveDateTime) -> DateTime<Utc> {
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

/// A zone's UTC offsets one year at a time, found once per thread and kept.
///
/// Why: expanding a year of calendars converts between wall clocks and instants a few times
/// for every instance of every series, and chrono-tz answers each by searching the zone's whole
/// history of transitions. A year has at most a handful of them; found once (sampled every three
/// hours, then bisected to the second), each conversion is a look at two or three numbers. A
/// property test checks both give the same answers, gaps and overlaps included.
mod zone_years {
    use std::cell::{Cell, RefCell};

    use chrono::{DateTime, Datelike, Offset, TimeZone, Utc};
    use chrono_tz::Tz;

    /// How many zone-years a thread keeps before starting afresh.
    const KEEP: usize = 64;
    const SAMPLE_SECS: i64 = 3 * 3600;
    /// Each year's table reaches this far into its neighbours, so a wall clock near New Year
    /// (up to 14 hours from UTC, plus a day looked back for gaps) is still answered.
    const MARGIN_SECS: i64 = 3 * 86_400;

    struct ZoneYear {
        zone: Tz,
        start: i64,
        end: i64,
        /// (UTC second from which it holds, offset in seconds), in time order, the first at `start`.
        spans: Vec<(i64, i32)>,
    }

    impl ZoneYear {
        fn build(zone: Tz, year: i32) -> Option<Self> {
            let jan1 = |y: i32| Utc.with_ymd_and_hms(y, 1, 1, 0, 0, 0).single().map(|t| t.timestamp());
            let start = jan1(year)? - MARGIN_SECS;
            let end = jan1(year + 1)? + MARGIN_SECS;
            let offset = |t: i64| -> Option<i32> {
                let at = DateTime::from_timestamp(t, 0)?;
                Some(zone.offset_from_utc_datetime(&at.naive_utc()).fix().local_minus_utc())
            };
            let mut spans = vec![(start, offset(start)?)];
            let mut t = start;
            while t < end {
                let next = (t + SAMPLE_SECS).min(end);
                let (at_next, current) = (offset(next)?, spans.last()?.1);
                if at_next != current {
                    // The change lies in (t, next]: bisect to the second it takes effect.
                    let (mut lo, mut hi) = (t, next);
                    while hi - lo > 1 {
                        let mid = lo + (hi - lo) / 2;
                        if offset(mid)? == current {
                            lo = mid;
                        } else {
                            hi = mid;
                        }
                    }
                    spans.push((hi, at_next));
                }
                t = next;
            }
            Some(Self { zone, start, end, spans })
        }

        fn offset_at(&self, t: i64) -> i32 {
            self.spans.iter().rev().find(|(from, _)| *from <= t).map_or(self.spans[0].1, |s| s.1)
        }
    }

    thread_local! {
        static YEARS: RefCell<Vec<ZoneYear>> = const { RefCell::new(Vec::new()) };
        /// The table used last: a series asks about one zone and year many times in a row.
        static LAST: Cell<usize> = const { Cell::new(0) };
    }

    /// Runs `f` on the table of `zone` covering UTC second `t` (built when missing).
    fn with_year<T>(zone: Tz, t: i64, f: impl FnOnce(&ZoneYear) -> T) -> Option<T> {
        let covers = |y: &ZoneYear| y.zone == zone && y.start + MARGIN_SECS <= t && t < y.end - MARGIN_SECS;
        YEARS.with(|cell| {
            {
                let years = cell.borrow();
                let last = LAST.get();
                if let Some(y) = years.get(last).filter(|y| covers(y)) {
                    return Some(f(y));
                }
                if let Some(i) = years.iter().position(covers) {
                    LAST.set(i);
                    return Some(f(&years[i]));
                }
            }
            let year = DateTime::from_timestamp(t, 0)?.year();
            let built = ZoneYear::build(zone, year)?;
            let mut years = cell.borrow_mut();
            if years.len() >= KEEP {
                years.clear();
            }
            years.push(built);
            LAST.set(years.len() - 1);
            years.last().map(f)
        })
    }

    pub(super) fn offset_at(zone: Tz, t: i64) -> Option<i32> {
        with_year(zone, t, |y| y.offset_at(t))
    }

    /// The UTC second for wall-clock second `wall` (seconds of the wall clock read as if UTC),
    /// with RFC 5545's reading of gaps and overlaps (see `resolve_local`), and whether the wall
    /// clock exists (false in a gap, where the instant reads back as a later wall clock).
    pub(super) fn resolve(zone: Tz, wall: i64) -> Option<(i64, bool)> {
        with_year(zone, wall, |y| {
            if wall - 2 * 86_400 < y.start || wall + 2 * 86_400 >= y.end {
                return None;
            }
            // Each span's offset gives a candidate; it stands if it falls inside that span. Two
            // stand in an overlap (the first is taken), none in a gap.
            let mut best: Option<i64> = None;
            for (i, (from, offset)) in y.spans.iter().enumerate() {
                let t = wall - i64::from(*offset);
                let until = y.spans.get(i + 1).map_or(y.end, |s| s.0);
                if *from <= t && t < until && best.is_none_or(|b| t < b) {
                    best = Some(t);
                }
            }
            // In a gap: the offset from before it, read a day earlier (as resolve_local_by_chrono).
            Some(match best {
                Some(t) => (t, true),
                None => (wall - i64::from(y.offset_at(wall - 86_400)), false),
            })
        })
        .flatten()
    }
}

/// A length in minutes as people say it: "45 min", "2 h", "1 h 30 min".
pub fn minutes_text(m: i64) -> String {
    match (m / 60, m % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
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

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        /// The kept zone-years answer as chrono-tz does, over zones with DST both ways, half-hour
        /// and 45-minute offsets, zones that changed their rules, and times near New Year.
        #[test]
        fn the_kept_zone_years_agree_with_chrono_tz(zone_index in 0usize..12, secs in -2_208_988_800i64..4_102_444_800i64) {
            let zones = [
                chrono_tz::America::New_York, chrono_tz::Europe::London, chrono_tz::Europe::Berlin,
                chrono_tz::Australia::Sydney, chrono_tz::Asia::Kolkata, chrono_tz::Asia::Kathmandu,
                chrono_tz::Australia::Lord_Howe, chrono_tz::America::Santiago, chrono_tz::Pacific::Apia,
                chrono_tz::Africa::Casablanca, chrono_tz::America::Sao_Paulo, chrono_tz::Europe::Moscow,
            ];
            let zone = zones[zone_index];
            let t = DateTime::from_timestamp(secs, 0).unwrap();
            proptest::prop_assert_eq!(local_in(zone, t), t.with_timezone(&zone).naive_local());
            let wall = t.naive_utc();
            let (at, exists) = resolve_local_exact(zone, wall);
            proptest::prop_assert_eq!(at, resolve_local_by_chrono(zone, wall), "{} {}", zone, wall);
            proptest::prop_assert_eq!(exists, at.with_timezone(&zone).naive_local() == wall, "{} {}", zone, wall);
        }
    }

    #[test]
    fn walls_in_and_around_every_2026_transition_resolve_as_chrono_tz_does() {
        for zone in [chrono_tz::America::New_York, chrono_tz::Europe::Berlin, chrono_tz::Australia::Lord_Howe] {
            let mut t = utc("2026-01-01T00:00:00Z").naive_utc();
            while t.and_utc().timestamp() < utc("2027-01-01T00:00:00Z").timestamp() {
                assert_eq!(resolve_local(zone, t), resolve_local_by_chrono(zone, t), "{zone} {t}");
                t += Duration::minutes(15);
            }
        }
    }

    #[test]
    fn a_zero_length_item_overlaps_only_the_window_holding_its_instant() {
        let w = TimeWindow::new(utc("2026-01-01T00:00:00Z"), utc("2026-01-02T00:00:00Z"));
        assert!(w.overlaps(utc("2026-01-01T09:00:00Z"), utc("2026-01-01T09:00:00Z")));
        assert!(!w.overlaps(utc("2026-01-02T00:00:00Z"), utc("2026-01-02T00:00:00Z")));
        assert!(!w.overlaps(utc("2025-12-31T23:00:00Z"), utc("2026-01-01T00:00:00Z")));
    }
}
