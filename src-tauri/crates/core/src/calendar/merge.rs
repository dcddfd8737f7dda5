//! One view over all of an executive's calendars.
//!
//! The same meeting often sits in several calendars (the organiser's invitation copied into the
//! work and the board calendar, a shared calendar subscribed twice). It is one meeting: shown
//! once, with every calendar it is in. Identity is UID + RECURRENCE-ID; when copies disagree,
//! the one with the higher SEQUENCE is the organiser's latest word and wins.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::{CalendarId, Occurrence};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MergedOccurrence {
    pub occurrence: Occurrence,
    /// Every calendar the meeting is in, in the order the calendars were given.
    pub calendars: Vec<CalendarId>,
}

/// Merges per-calendar occurrences into one list, deduplicated and sorted by start instant,
/// then UID, then recurrence instance.
pub fn merge_occurrences(per_calendar: Vec<(CalendarId, Vec<Occurrence>)>) -> Vec<MergedOccurrence> {
    let mut index: HashMap<(std::sync::Arc<str>, Option<super::InstanceKey>), usize> = HashMap::new();
    let mut merged: Vec<MergedOccurrence> = Vec::new();
    for (calendar, occurrences) in per_calendar {
        for occ in occurrences {
            let key = occ.identity_key();
            match index.get(&key) {
                Some(&i) => {
                    let entry = &mut merged[i];
                    if !entry.calendars.contains(&calendar) {
                        entry.calendars.push(calendar);
                    }
                    if occ.sequence > entry.occurrence.sequence {
                        entry.occurrence = occ;
                    }
                }
                None => {
                    index.insert(key, merged.len());
                    merged.push(MergedOccurrence { occurrence: occ, calendars: vec![calendar] });
                }
            }
        }
    }
    // The recurrence instance breaks ties as the contract prints it (its text), computed only
    // for the rare tie.
    merged.sort_by(|a, b| {
        (a.occurrence.start_utc, &a.occurrence.uid)
            .cmp(&(b.occurrence.start_utc, &b.occurrence.uid))
            .then_with(|| a.occurrence.identity().1.cmp(&b.occurrence.identity().1))
    });
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{expand::expand_series, Event, EventTime};
    use crate::time::TimeWindow;

    fn one_off(uid: &str, summary: &str, start: &str, sequence: u32) -> Occurrence {
        let s = EventTime::Utc { instant: start.parse().unwrap() };
        let mut e = Event::new(uid, summary, s);
        e.duration_seconds = Some(3600);
        e.sequence = sequence;
        let w = TimeWindow::new("2026-01-01T00:00:00Z".parse().unwrap(), "2027-01-01T00:00:00Z".parse().unwrap());
        expand_series(Some(&e), &[], w, chrono_tz::UTC).unwrap().remove(0)
    }

    #[test]
    fn the_same_meeting_in_two_calendars_is_shown_once_with_both_calendars() {
        let a = one_off("board@x", "Board", "2026-05-01T15:00:00Z", 0);
        let b = one_off("other@x", "Other", "2026-05-01T09:00:00Z", 0);
        let merged = merge_occurrences(vec![(1, vec![a.clone(), b]), (2, vec![a])]);
        assert_eq!(merged.len(), 2);
        assert_eq!(&*merged[0].occurrence.summary, "Other");
        assert_eq!(merged[1].calendars, vec![1, 2]);
    }

    #[test]
    fn the_copy_with_the_higher_sequence_wins() {
        let old = one_off("m@x", "Old title", "2026-05-01T15:00:00Z", 1);
        let new = one_off("m@x", "New title", "2026-05-01T15:00:00Z", 2);
        let merged = merge_occurrences(vec![(1, vec![new]), (2, vec![old])]);
        assert_eq!(merged.len(), 1);
        assert_eq!(&*merged[0].occurrence.summary, "New title");
    }
}
