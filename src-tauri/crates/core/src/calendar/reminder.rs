//! Reminders: when to tell the EP that a meeting is coming.
//!
//! A meeting's own alarms (VALARM DISPLAY/AUDIO) decide; a meeting without any gets the
//! profile's default lead time, if one is set, as long as it is a timed meeting that blocks
//! the executive's time (an all-day "Maya's birthday" or a free "reading" block does not ring).
//! Relative alarms go off for every instance; an absolute one goes off once. Each reminder has
//! a stable [`Reminder::key`] so a caller can deliver it once even across restarts.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};

use super::{AlarmTrigger, Occurrence, Transparency};
use crate::time::TimeWindow;

/// One reminder going off.
#[derive(Clone, Debug, PartialEq)]
pub struct Reminder {
    pub uid: Arc<str>,
    /// The instance's key (empty for a one-off), as in [`Occurrence::identity`].
    pub instance: String,
    pub summary: Arc<str>,
    pub location: Option<Arc<str>>,
    pub starts: DateTime<Utc>,
    pub ends: DateTime<Utc>,
    /// When it goes off.
    pub at: DateTime<Utc>,
    /// The alarm's own words, when it had some.
    pub note: Option<String>,
    /// Whether the calendar file asked for it (else it is the profile's default lead).
    pub from_alarm: bool,
}

impl Reminder {
    /// Identifies this reminder going off: the same meeting instance at the same instant.
    pub fn key(&self) -> String {
        format!("{}|{}|{}", self.uid, self.instance, self.at.timestamp())
    }
}

/// Reminders of `occurrences` that go off within `window`, in time order. `occurrences` must
/// reach past the window by the longest lead in use (an alarm a day ahead of a meeting next
/// week goes off this week) and should leave out meetings the executive declined.
pub fn reminders(occurrences: &[&Occurrence], default_lead: Option<Duration>, window: TimeWindow) -> Vec<Reminder> {
    let mut out = Vec::new();
    for o in occurrences {
        let instance = o.identity().1;
        let reminder = |at: DateTime<Utc>, note: Option<String>, from_alarm: bool, instance: String| Reminder {
            uid: o.uid.clone(),
            instance,
            summary: o.summary.clone(),
            location: o.location.clone(),
            starts: o.start_utc,
            ends: o.end_utc,
            at,
            note,
            from_alarm,
        };
        if o.alarms.is_empty() {
            let rings = !o.all_day && o.transparency == Transparency::Opaque;
            if let Some(lead) = default_lead.filter(|_| rings) {
                let at = o.start_utc - lead;
                if window.contains(at) {
                    out.push(reminder(at, None, false, instance.clone()));
                }
            }
            continue;
        }
        for alarm in o.alarms.iter() {
            let (first, instance) = match alarm.trigger {
                AlarmTrigger::Relative { seconds, from_end } => {
                    let base = if from_end { o.end_utc } else { o.start_utc };
                    (base + Duration::seconds(seconds), instance.clone())
                }
                // Once for the whole series: keyed without the instance so every instance of
                // it names the same reminder.
                AlarmTrigger::Absolute { at } => (at, String::new()),
            };
            for k in 0..=i64::from(alarm.repeat) {
                let at = first + Duration::seconds(alarm.repeat_seconds * k);
                if window.contains(at) {
                    out.push(reminder(at, alarm.description.clone(), true, instance.clone()));
                }
            }
        }
    }
    out.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.starts.cmp(&b.starts)).then_with(|| a.uid.cmp(&b.uid)));
    // An absolute alarm seen through several instances, or two alarms at the same instant:
    // one reminder.
    out.dedup_by(|a, b| a.key() == b.key());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::expand::expand_series;
    use crate::calendar::{Alarm, Event, EventTime};

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn expand(e: &Event) -> Vec<Occurrence> {
        let w = TimeWindow::new(at("2026-11-01T00:00:00Z"), at("2026-12-31T00:00:00Z"));
        expand_series(Some(e), &[], w, chrono_tz::America::New_York).unwrap()
    }

    fn meeting(uid: &str, start: &str) -> Event {
        let mut e = Event::new(uid, uid, EventTime::Utc { instant: at(start) });
        e.duration_seconds = Some(3600);
        e
    }

    fn alarm(trigger: AlarmTrigger) -> Alarm {
        Alarm { trigger, description: None, repeat: 0, repeat_seconds: 0 }
    }

    fn times(r: &[Reminder]) -> Vec<String> {
        r.iter().map(|r| format!("{} {}", r.uid, r.at.format("%d %H:%M"))).collect()
    }

    #[test]
    fn a_meetings_own_alarms_win_over_the_default_lead() {
        let mut board = meeting("board", "2026-12-01T15:00:00Z");
        board.alarms.push(alarm(AlarmTrigger::Relative { seconds: -1800, from_end: false }));
        board.alarms.push(Alarm {
            description: Some("Wrap up".into()),
            repeat: 1,
            repeat_seconds: 300,
            ..alarm(AlarmTrigger::Relative { seconds: -600, from_end: true })
        });
        let plain = meeting("plain", "2026-12-01T17:00:00Z");
        let occ: Vec<Occurrence> = [&board, &plain].into_iter().flat_map(expand).collect();
        let refs: Vec<&Occurrence> = occ.iter().collect();
        let day = TimeWindow::new(at("2026-12-01T00:00:00Z"), at("2026-12-02T00:00:00Z"));
        let r = reminders(&refs, Some(Duration::minutes(10)), day);
        assert_eq!(times(&r), ["board 01 14:30", "board 01 15:50", "board 01 15:55", "plain 01 16:50"]);
        assert_eq!(r[1].note.as_deref(), Some("Wrap up"));
        assert!(r[0].from_alarm && !r[3].from_alarm);
        assert!(reminders(&refs, None, day).iter().all(|r| &*r.uid == "board"), "no default lead: only alarms");
    }

    #[test]
    fn every_instance_of_a_series_rings_but_an_absolute_alarm_rings_once() {
        let mut weekly = meeting("weekly", "2026-12-01T15:00:00Z");
        weekly.rrules.push("FREQ=WEEKLY;COUNT=3".into());
        weekly.alarms.push(alarm(AlarmTrigger::Relative { seconds: -900, from_end: false }));
        weekly.alarms.push(alarm(AlarmTrigger::Absolute { at: at("2026-11-30T12:00:00Z") }));
        let occ = expand(&weekly);
        let refs: Vec<&Occurrence> = occ.iter().collect();
        let month = TimeWindow::new(at("2026-11-01T00:00:00Z"), at("2026-12-31T00:00:00Z"));
        let r = reminders(&refs, None, month);
        assert_eq!(times(&r), ["weekly 30 12:00", "weekly 01 14:45", "weekly 08 14:45", "weekly 15 14:45"]);
        assert_eq!(r[0].instance, "", "the absolute one belongs to the series");
        assert_ne!(r[1].key(), r[2].key());
    }

    #[test]
    fn all_day_and_free_time_get_no_default_reminder_and_the_window_is_half_open() {
        let birthday = Event::new("bday", "Maya's birthday", EventTime::Date { date: "2026-12-01".parse().unwrap() });
        let mut reading = meeting("reading", "2026-12-01T13:00:00Z");
        reading.transparency = Transparency::Transparent;
        let call = meeting("call", "2026-12-01T15:10:00Z");
        let occ: Vec<Occurrence> = [&birthday, &reading, &call].into_iter().flat_map(expand).collect();
        let refs: Vec<&Occurrence> = occ.iter().collect();
        let lead = Some(Duration::minutes(10));
        let until_call = TimeWindow::new(at("2026-12-01T00:00:00Z"), at("2026-12-01T15:00:00Z"));
        assert!(reminders(&refs, lead, until_call).is_empty(), "15:00 is the window's end, not in it");
        let from_call = TimeWindow::new(at("2026-12-01T15:00:00Z"), at("2026-12-01T16:00:00Z"));
        assert_eq!(times(&reminders(&refs, lead, from_call)), ["call 01 15:00"]);
    }
}
