//! Free/busy for any window: which stretches of time the executive's calendars hold, and how
//! firmly. What blocks time follows RFC 5545 and the executive's answer: an opaque confirmed
//! meeting is busy; a tentative one, or one not yet answered, is tentatively busy; transparent
//! events ("working from Paris"), cancelled ones and ones the executive declined are free.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::{EventStatus, Occurrence, ParticipationStatus, Transparency};
use crate::time::TimeWindow;

/// How firmly a stretch of time is taken (RFC 5545 FBTYPE BUSY and BUSY-TENTATIVE).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Busy {
    Tentative,
    Busy,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BusyPeriod {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub kind: Busy,
}

/// How an occurrence holds time, given the executive's answer to it (`None` when they are not
/// an attendee, e.g. their own event).
pub fn holds(o: &Occurrence, response: Option<ParticipationStatus>) -> Option<Busy> {
    if o.transparency == Transparency::Transparent || o.status == EventStatus::Cancelled {
        return None;
    }
    match response {
        Some(ParticipationStatus::Declined) | Some(ParticipationStatus::Delegated) => None,
        Some(ParticipationStatus::Tentative) | Some(ParticipationStatus::NeedsAction) => Some(Busy::Tentative),
        _ if o.status == EventStatus::Tentative => Some(Busy::Tentative),
        _ => Some(Busy::Busy),
    }
}

/// The busy periods within `window`, merged: overlapping and touching periods of one kind become
/// one, and where busy and tentative overlap the time is busy.
pub fn busy_periods(items: &[(&Occurrence, Option<ParticipationStatus>)], window: TimeWindow) -> Vec<BusyPeriod> {
    // Boundaries where the strongest hold can change, then the strongest hold between each pair.
    let held: Vec<(DateTime<Utc>, DateTime<Utc>, Busy)> = items
        .iter()
        .filter_map(|(o, r)| holds(o, *r).map(|k| (o.start_utc.max(window.start), o.end_utc.min(window.end), k)))
        .filter(|(s, e, _)| s < e)
        .collect();
    let mut edges: Vec<DateTime<Utc>> = held.iter().flat_map(|(s, e, _)| [*s, *e]).collect();
    edges.sort();
    edges.dedup();
    let mut out: Vec<BusyPeriod> = Vec::new();
    for pair in edges.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let Some(kind) = held.iter().filter(|(s, e, _)| *s <= a && *e >= b).map(|(_, _, k)| *k).max() else { continue };
        match out.last_mut() {
            Some(last) if last.end == a && last.kind == kind => last.end = b,
            _ => out.push(BusyPeriod { start: a, end: b, kind }),
        }
    }
    out
}

/// The free stretches of `window` at least `min` long, given busy periods (tentative time counts
/// as taken).
pub fn free_slots(busy: &[BusyPeriod], window: TimeWindow, min: Duration) -> Vec<TimeWindow> {
    let mut out = Vec::new();
    let mut cursor = window.start;
    for p in busy {
        if p.start > cursor && p.start - cursor >= min {
            out.push(TimeWindow::new(cursor, p.start.min(window.end)));
        }
        cursor = cursor.max(p.end);
    }
    if window.end > cursor && window.end - cursor >= min {
        out.push(TimeWindow::new(cursor, window.end));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{expand::expand_series, Event, EventTime};

    fn occ(start: &str, minutes: i64) -> Occurrence {
        let mut e = Event::new(start, start, EventTime::Utc { instant: start.parse().unwrap() });
        e.duration_seconds = Some(minutes * 60);
        let w = TimeWindow::new("2026-01-01T00:00:00Z".parse().unwrap(), "2027-01-01T00:00:00Z".parse().unwrap());
        expand_series(Some(&e), &[], w, chrono_tz::UTC).unwrap().remove(0)
    }

    fn day() -> TimeWindow {
        TimeWindow::new("2026-05-01T08:00:00Z".parse().unwrap(), "2026-05-01T18:00:00Z".parse().unwrap())
    }

    fn spans(p: &[BusyPeriod]) -> Vec<String> {
        p.iter().map(|p| format!("{}-{} {:?}", p.start.format("%H:%M"), p.end.format("%H:%M"), p.kind)).collect()
    }

    #[test]
    fn busy_wins_over_tentative_where_they_overlap_and_touching_periods_merge() {
        let a = occ("2026-05-01T09:00:00Z", 60);
        let b = occ("2026-05-01T09:30:00Z", 60); // tentative: not answered yet
        let c = occ("2026-05-01T10:30:00Z", 30);
        let d = occ("2026-05-01T11:00:00Z", 30);
        let items = [(&a, None), (&b, Some(ParticipationStatus::NeedsAction)), (&c, None), (&d, None)];
        assert_eq!(
            spans(&busy_periods(&items, day())),
            ["09:00-10:00 Busy", "10:00-10:30 Tentative", "10:30-11:30 Busy"]
        );
    }

    #[test]
    fn transparent_declined_and_cancelled_time_is_free() {
        let mut free = occ("2026-05-01T09:00:00Z", 60);
        free.transparency = Transparency::Transparent;
        let declined = occ("2026-05-01T12:00:00Z", 60);
        let mut cancelled = occ("2026-05-01T14:00:00Z", 60);
        cancelled.status = EventStatus::Cancelled;
        let items = [(&free, None), (&declined, Some(ParticipationStatus::Declined)), (&cancelled, None)];
        assert!(busy_periods(&items, day()).is_empty());
    }

    #[test]
    fn free_slots_are_the_gaps_long_enough_clipped_to_the_window() {
        let a = occ("2026-05-01T07:00:00Z", 120); // starts before the window
        let b = occ("2026-05-01T09:20:00Z", 40);
        let c = occ("2026-05-01T17:30:00Z", 60); // ends after it
        let busy = busy_periods(&[(&a, None), (&b, None), (&c, None)], day());
        let slots: Vec<String> = free_slots(&busy, day(), Duration::minutes(30))
            .iter()
            .map(|w| format!("{}-{}", w.start.format("%H:%M"), w.end.format("%H:%M")))
            .collect();
        // 09:00-09:20 is too short.
        assert_eq!(slots, ["10:00-17:30"]);
    }
}
