//! Everything wrong with a stretch of the executive's calendar, each with a severity and a
//! reason in words: meetings that overlap, run outside working hours, eat the buffers, take
//! focus time or lunch, leave too little time to travel between places, exceed the daily
//! cap, or fall on a no-meeting day.
//!
//! Days are the executive's local days where they are that day (travel), like the views.

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Timelike, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::Meeting;
use crate::calendar::freebusy::Busy;
use crate::calendar::travel::{shown_zone, DayPlace};
use crate::calendar::{in_person, place_key};
use crate::profile::{parse_weekday, weekday_name, DayRange, ExecutiveProfile};
use crate::time::{local_in, minutes_text};

/// Travel time between in-person meetings at different places when the profile sets none.
pub const DEFAULT_TRAVEL_MINUTES: u32 = 30;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConflictKind {
    Overlap,
    Travel,
    OutsideWorkingHours,
    NoMeetingDay,
    OverDailyCap,
    FocusTaken,
    Buffer,
    LunchTaken,
}

impl ConflictKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ConflictKind::Overlap => "overlap",
            ConflictKind::Travel => "travel",
            ConflictKind::OutsideWorkingHours => "outside_working_hours",
            ConflictKind::NoMeetingDay => "no_meeting_day",
            ConflictKind::OverDailyCap => "over_daily_cap",
            ConflictKind::FocusTaken => "focus_taken",
            ConflictKind::Buffer => "buffer",
            ConflictKind::LunchTaken => "lunch_taken",
        }
    }
}

/// How badly it needs the EP: `High` cannot happen as planned (two firm meetings at once, no
/// time to get there); `Medium` breaks what the executive asked for; `Low` is a nuisance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Low,
    Medium,
    High,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    pub kind: ConflictKind,
    pub severity: Severity,
    /// The local day it is on.
    pub date: NaiveDate,
    /// Indices into the meetings given, in start order.
    pub meetings: Vec<usize>,
    pub reason: String,
}

/// Every conflict among `meetings` (timed instances that hold time, in any order), most
/// severe first, then by day and start. Overlaps, buffers and journeys count for every entry;
/// the shape of the day (hours, lunch, no-meeting days, the cap) only for meetings with people.
pub fn find_conflicts(meetings: &[Meeting], profile: &ExecutiveProfile, places: &[DayPlace]) -> Vec<Conflict> {
    let home = profile.home_time_zone;
    let mut order: Vec<usize> = (0..meetings.len()).filter(|&i| meetings[i].end > meetings[i].start).collect();
    order.sort_by_key(|&i| (meetings[i].start, meetings[i].end, i));
    let zone_of = |m: &Meeting| shown_zone(places, home, m.start);
    let local = |m: &Meeting| {
        let z = zone_of(m);
        (local_in(z, m.start), local_in(z, m.end))
    };
    let clock = |t: DateTime<Utc>, z: Tz| local_in(z, t).format("%H:%M").to_string();
    let span = |m: &Meeting| {
        let z = zone_of(m);
        format!("{}–{}", clock(m.start, z), clock(m.end, z))
    };
    let mut out = Vec::new();

    // Overlaps, and what lies between consecutive meetings: buffers and travel.
    let buffer = i64::from(profile.buffers.before_minutes.max(profile.buffers.after_minutes));
    let travel = i64::from(profile.travel_minutes.unwrap_or(DEFAULT_TRAVEL_MINUTES));
    let mut active: Vec<usize> = Vec::new();
    for (k, &j) in order.iter().enumerate() {
        let b = &meetings[j];
        active.retain(|&i| meetings[i].end > b.start);
        for &i in &active {
            let a = &meetings[i];
            let minutes = (a.end.min(b.end) - b.start).num_minutes();
            let firm = a.hold == Busy::Busy && b.hold == Busy::Busy;
            out.push(Conflict {
                kind: ConflictKind::Overlap,
                severity: if firm { Severity::High } else { Severity::Medium },
                date: local(b).0.date(),
                meetings: vec![i, j],
                reason: format!(
                    "'{}' ({}, {}) and '{}' ({}, {}) overlap by {}{}",
                    a.summary,
                    a.tier,
                    span(a),
                    b.summary,
                    b.tier,
                    span(b),
                    minutes_text(minutes),
                    if firm { "" } else { " (one is only tentative)" }
                ),
            });
        }
        active.push(j);
        // The meeting before this one that ends latest without overlapping it.
        let previous =
            order[..k].iter().copied().filter(|&i| meetings[i].end <= b.start).max_by_key(|&i| meetings[i].end);
        if let Some(i) = previous {
            let a = &meetings[i];
            let gap = (b.start - a.end).num_minutes();
            let same_day = local(a).1.date() == local(b).0.date();
            let places =
                (a.location.as_deref().filter(|l| in_person(l)), b.location.as_deref().filter(|l| in_person(l)));
            if let (Some(from), Some(to)) = places {
                if same_day && place_key(from) != place_key(to) && gap < travel {
                    out.push(Conflict {
                        kind: ConflictKind::Travel,
                        severity: Severity::High,
                        date: local(b).0.date(),
                        meetings: vec![i, j],
                        reason: format!(
                            "'{}' at {from} ends {} and '{}' at {to} starts {}: {} to get there, {} needed",
                            a.summary,
                            clock(a.end, zone_of(a)),
                            b.summary,
                            clock(b.start, zone_of(b)),
                            minutes_text(gap),
                            minutes_text(travel)
                        ),
                    });
                    continue;
                }
            }
            if same_day && buffer > 0 && gap < buffer {
                out.push(Conflict {
                    kind: ConflictKind::Buffer,
                    severity: Severity::Low,
                    date: local(b).0.date(),
                    meetings: vec![i, j],
                    reason: format!(
                        "'{}' ends {} and '{}' starts {}: {} between them, {} wanted",
                        a.summary,
                        clock(a.end, zone_of(a)),
                        b.summary,
                        clock(b.start, zone_of(b)),
                        minutes_text(gap),
                        minutes_text(buffer)
                    ),
                });
            }
        }
    }

    // Each meeting against the shape of its day.
    let no_meeting: Vec<Weekday> = profile.no_meeting_days.iter().filter_map(|d| parse_weekday(d)).collect();
    // A personal entry (the gym, a flight: nobody invited) is the executive's own time, not a
    // meeting: working hours, lunch and no-meeting days do not apply to it.
    for &j in order.iter().filter(|&&j| meetings[j].attendees > 0) {
        let m = &meetings[j];
        let (start, end) = local(m);
        let (day, date) = (start.weekday(), start.date());
        let (a, b) = (minutes(start.time()), minutes(start.time()) + (m.end - m.start).num_minutes() as u32);
        if no_meeting.contains(&day) {
            out.push(one(
                ConflictKind::NoMeetingDay,
                Severity::Medium,
                date,
                j,
                format!("'{}' is on {}, a no-meeting day", m.summary, weekday_name(day)),
            ));
        }
        match profile.working_hours.on(day) {
            None if !no_meeting.contains(&day) => out.push(one(
                ConflictKind::OutsideWorkingHours,
                Severity::Medium,
                date,
                j,
                format!("'{}' ({}) is on {}, a day off", m.summary, span(m), weekday_name(day)),
            )),
            Some(h)
                if a < minutes(h.start) || b > minutes(h.end) || end.date() != date && end.time() != NaiveTime::MIN =>
            {
                out.push(one(
                    ConflictKind::OutsideWorkingHours,
                    Severity::Low,
                    date,
                    j,
                    format!("'{}' ({}) runs outside working hours ({h})", m.summary, span(m)),
                ))
            }
            _ => {}
        }
        for f in profile.focus_blocks.iter().filter(|f| f.applies_on(day)) {
            if overlaps(a, b, f.time) {
                out.push(one(
                    ConflictKind::FocusTaken,
                    Severity::Medium,
                    date,
                    j,
                    format!("'{}' ({}) takes focus time '{}' ({})", m.summary, span(m), f.label, f.time),
                ));
            }
        }
        if let Some(l) = profile.lunch {
            if overlaps(a, b, l) {
                out.push(one(
                    ConflictKind::LunchTaken,
                    Severity::Low,
                    date,
                    j,
                    format!("'{}' ({}) takes lunch ({l})", m.summary, span(m)),
                ));
            }
        }
    }

    // Too many in a day.
    if let Some(cap) = profile.max_meetings_per_day {
        let mut by_day: std::collections::BTreeMap<NaiveDate, Vec<usize>> = Default::default();
        for &j in order.iter().filter(|&&j| meetings[j].attendees > 0) {
            by_day.entry(local(&meetings[j]).0.date()).or_default().push(j);
        }
        for (date, list) in by_day.into_iter().filter(|(_, l)| l.len() > cap as usize) {
            out.push(Conflict {
                kind: ConflictKind::OverDailyCap,
                severity: Severity::Medium,
                date,
                reason: format!("{} meetings on {}, {cap} at most", list.len(), date.format("%a %-d %b")),
                meetings: list,
            });
        }
    }

    out.sort_by(|x, y| {
        y.severity
            .cmp(&x.severity)
            .then(x.date.cmp(&y.date))
            .then_with(|| meetings[x.meetings[0]].start.cmp(&meetings[y.meetings[0]].start))
            .then(x.kind.cmp(&y.kind))
    });
    out
}

fn one(kind: ConflictKind, severity: Severity, date: NaiveDate, meeting: usize, reason: String) -> Conflict {
    Conflict { kind, severity, date, meetings: vec![meeting], reason }
}

fn minutes(t: NaiveTime) -> u32 {
    t.hour() * 60 + t.minute()
}

/// Whether `[a, b)` in minutes from midnight overlaps a day range.
fn overlaps(a: u32, b: u32, r: DayRange) -> bool {
    a < minutes(r.end) && b > minutes(r.start)
}

/// Places compared the way people write them: case and spacing do not matter.
#[cfg(test)]
mod tests;
