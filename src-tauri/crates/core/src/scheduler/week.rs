//! The executive's calendar as a scheduling instance: their days (where they are, working
//! hours, lunch, focus time, no-meeting days, the cap) resolved into UTC spans, and their
//! meetings with the facts the solver weighs.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;

use super::conflicts::DEFAULT_TRAVEL_MINUTES;
use super::instance::{Day, Focus, Instance, InstanceMeeting, Span, Weights, INSTANCE_VERSION};
use super::Meeting;
use crate::calendar::in_person;
use crate::calendar::place_key;
use crate::calendar::travel::DayPlace;
use crate::profile::{parse_weekday, DayRange, ExecutiveProfile};
use crate::time::resolve_local;

/// The executive's id in the instances built here: every meeting of theirs requires them.
pub const EXECUTIVE: &str = "executive";

/// Hours from now in which nothing moves when the profile does not say.
pub const DEFAULT_NO_MOVES_WITHIN_HOURS: u32 = 2;

/// The grid moved meetings start on.
pub const GRID_MINUTES: u32 = 5;

/// The instance for `days` local days from `first`. Meeting `k` of the instance is
/// `meetings[k]`, with id `m{k}`.
pub fn instance_for(
    meetings: &[Meeting],
    profile: &ExecutiveProfile,
    places: &[DayPlace],
    first: NaiveDate,
    days: u32,
    now: DateTime<Utc>,
) -> Instance {
    let no_meeting: Vec<_> = profile.no_meeting_days.iter().filter_map(|d| parse_weekday(d)).collect();
    let days: Vec<Day> = (0..days)
        .filter_map(|k| first.checked_add_signed(Duration::days(i64::from(k))))
        .map(|date| {
            let zone: Tz = places.iter().find(|p| p.date == date).map_or(profile.home_time_zone, |p| p.zone);
            let at = |t: NaiveTime| resolve_local(zone, date.and_time(t));
            let span = |r: DayRange| Span { start: at(r.start), end: at(r.end) };
            let weekday = date.weekday();
            let next = date.succ_opt().unwrap_or(date);
            Day {
                date,
                start: at(NaiveTime::MIN),
                end: resolve_local(zone, next.and_time(NaiveTime::MIN)),
                work: profile.working_hours.on(weekday).map(span),
                lunch: profile.lunch.map(span),
                focus: profile
                    .focus_blocks
                    .iter()
                    .filter(|f| f.applies_on(weekday))
                    .map(|f| {
                        let s = span(f.time);
                        Focus { start: s.start, end: s.end, label: f.label.clone() }
                    })
                    .collect(),
                no_meetings: no_meeting.contains(&weekday),
                max_meetings: profile.max_meetings_per_day,
            }
        })
        .collect();
    let meetings = meetings
        .iter()
        .enumerate()
        .map(|(k, m)| InstanceMeeting {
            id: format!("m{k}"),
            summary: m.summary.clone(),
            start: Some(m.start),
            duration_minutes: ((m.end - m.start).num_minutes().clamp(1, 24 * 60)) as u32,
            tier: m.tier,
            own: m.own,
            // The executive's own entries with nobody invited (a flight, the school run) are
            // commitments, not meetings to shuffle; a meeting longer than a day is out of reach.
            fixed: m.attendees == 0 || (m.end - m.start) > Duration::hours(24),
            personal: m.attendees == 0,
            required: vec![EXECUTIVE.to_string()],
            optional: vec![],
            window: None,
            place: m.location.as_deref().filter(|l| in_person(l)).map(place_key),
            attendees: Some(m.attendees),
        })
        .collect();
    Instance {
        version: INSTANCE_VERSION,
        now,
        grid_minutes: GRID_MINUTES,
        freeze_hours: profile.no_moves_within_hours.unwrap_or(DEFAULT_NO_MOVES_WITHIN_HOURS),
        travel_minutes: profile.travel_minutes.unwrap_or(DEFAULT_TRAVEL_MINUTES),
        buffer_minutes: profile.buffers.before_minutes.max(profile.buffers.after_minutes),
        days,
        people: vec![],
        meetings,
        weights: Weights::default(),
    }
}
