//! Double bookings: pairs of meetings that both block the executive's time and overlap.
//!
//! This is the detector the day view uses to flag conflicts; the scheduler decides what to do
//! about them.

use super::{Occurrence, Transparency};

/// Whether an occurrence blocks time: timed, opaque, and not declined by the executive
/// (`declined` is the caller's judgement, since it needs the executive's addresses).
pub fn blocks_time(o: &Occurrence, declined: bool) -> bool {
    !o.all_day && o.transparency == Transparency::Opaque && !declined && o.end_utc > o.start_utc
}

/// Index pairs `(i, j)`, `i < j`, of items that block time and overlap. `items` must be sorted
/// by start instant; `blocking[i]` says whether item `i` blocks time.
pub fn overlapping_pairs(items: &[&Occurrence], blocking: &[bool]) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    let mut active: Vec<usize> = Vec::new();
    for (j, item) in items.iter().enumerate() {
        if !blocking[j] {
            continue;
        }
        active.retain(|&i| items[i].end_utc > item.start_utc);
        for &i in &active {
            pairs.push((i, j));
        }
        active.push(j);
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{expand::expand_series, Event, EventTime};
    use crate::time::TimeWindow;

    fn occ(uid: &str, start: &str, minutes: i64) -> Occurrence {
        let mut e = Event::new(uid, uid, EventTime::Utc { instant: start.parse().unwrap() });
        e.duration_seconds = Some(minutes * 60);
        let w = TimeWindow::new("2026-01-01T00:00:00Z".parse().unwrap(), "2027-01-01T00:00:00Z".parse().unwrap());
        expand_series(Some(&e), &[], w, chrono_tz::UTC).unwrap().remove(0)
    }

    #[test]
    fn overlapping_meetings_pair_up_and_back_to_back_ones_do_not() {
        let a = occ("a", "2026-05-01T09:00:00Z", 60);
        let b = occ("b", "2026-05-01T09:30:00Z", 60);
        let c = occ("c", "2026-05-01T10:15:00Z", 45); // overlaps b only
        let d = occ("d", "2026-05-01T11:00:00Z", 30); // back to back with c
        let items = [&a, &b, &c, &d];
        assert_eq!(overlapping_pairs(&items, &[true; 4]), vec![(0, 1), (1, 2)]);
    }

    #[test]
    fn free_time_and_declined_meetings_do_not_conflict() {
        let mut a = occ("a", "2026-05-01T09:00:00Z", 60);
        let b = occ("b", "2026-05-01T09:30:00Z", 60);
        assert!(blocks_time(&a, false));
        assert!(!blocks_time(&a, true));
        a.transparency = Transparency::Transparent;
        assert!(!blocks_time(&a, false));
        let blocking = [blocks_time(&a, false), blocks_time(&b, false)];
        assert!(overlapping_pairs(&[&a, &b], &blocking).is_empty());
    }
}
