//! The scheduling instance: one self-contained JSON document that says everything the
//! scheduler weighs, so a plan can be reproduced, checked and compared with other solvers
//! (OR-Tools CP-SAT in the tests, OptaPlanner's meeting-scheduling data through a converter).
//!
//! It is deliberately free of time zones and of the profile: the caller resolves the
//! executive's days (where they are, working hours, lunch, focus) into concrete UTC spans, so
//! a model written in another language over the same file needs no calendar code. The format
//! is documented in the README ("The scheduling instance").
//!
//! Semantics, shared by the solver, the checker ([`super::check`]) and the CP-SAT model:
//! - a meeting is *placed* where it is (`start`), *moved* to another start, or *unplaced*
//!   (no slot found: the EP declines or shortens it). A meeting without `start` is new and
//!   must be placed or left unplaced;
//! - a meeting is *fixed* when it is P0, marked `fixed`, or starts before `now` plus
//!   `freeze_hours`: it stays where it is;
//! - hard: placed meetings that share a required attendee do not overlap, and leave
//!   `travel_minutes` between them when both are at different places; a moved meeting starts
//!   on the grid, inside its window, within one day's working hours (not a no-meeting day),
//!   after the freeze, and clear of its required attendees' busy times. Two fixed meetings
//!   are what they are: a clash between them is reported, not resolved;
//! - the objective (integers, smaller is better) adds the [`Weights`] terms: moving,
//!   leaving unplaced, and the preferences each placed meeting breaks.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::tier::Tier;

/// The format's version; a document with another is refused rather than misread.
pub const INSTANCE_VERSION: u32 = 1;

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum InstanceError {
    /// Not the right JSON shape: names the path to the field.
    #[error("scheduling instance: `{path}`: {reason}")]
    Shape { path: String, reason: String },
    /// Well formed but inconsistent: names the item.
    #[error("scheduling instance: {at}: {reason}")]
    Invalid { at: String, reason: String },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl Span {
    pub fn overlaps(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> bool {
        self.start < end && start < self.end
    }
    pub fn contains(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> bool {
        self.start <= start && end <= self.end
    }
}

/// One of the executive's local days, as UTC spans.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Day {
    pub date: NaiveDate,
    /// Local midnight to midnight: a meeting belongs to the day its start falls in.
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// Working hours; none on a day off.
    #[serde(default)]
    pub work: Option<Span>,
    #[serde(default)]
    pub lunch: Option<Span>,
    #[serde(default)]
    pub focus: Vec<Focus>,
    #[serde(default)]
    pub no_meetings: bool,
    #[serde(default)]
    pub max_meetings: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Focus {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    #[serde(default)]
    pub label: String,
}

/// Someone whose time is known beyond the meetings in the instance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    /// Busy times outside the instance's meetings. A person not listed, or listed without busy
    /// times, is taken as free: their calendar is unknown.
    #[serde(default)]
    pub busy: Vec<Span>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstanceMeeting {
    pub id: String,
    #[serde(default)]
    pub summary: String,
    /// Where it is now; none for a meeting still to be placed.
    #[serde(default)]
    pub start: Option<DateTime<Utc>>,
    pub duration_minutes: u32,
    #[serde(default = "default_tier")]
    pub tier: Tier,
    /// The executive organises it: moving it sends an update. Moving someone else's is a
    /// counter-proposal, which costs more (the organiser has to agree).
    #[serde(default = "yes")]
    pub own: bool,
    #[serde(default)]
    pub fixed: bool,
    /// The executive's own time with nobody invited (the gym): exempt from the shape of the day.
    #[serde(default)]
    pub personal: bool,
    #[serde(default)]
    pub required: Vec<String>,
    #[serde(default)]
    pub optional: Vec<String>,
    /// Where it may be moved to.
    #[serde(default)]
    pub window: Option<Span>,
    /// An in-person place; none for a call. Travel time is needed between different places.
    #[serde(default)]
    pub place: Option<String>,
    /// Everyone invited, for the weight of moving it; by default required plus optional.
    #[serde(default)]
    pub attendees: Option<u32>,
}

fn default_tier() -> Tier {
    Tier::DEFAULT
}
fn yes() -> bool {
    true
}
fn five() -> u32 {
    5
}

impl InstanceMeeting {
    pub fn attendee_count(&self) -> u32 {
        self.attendees.unwrap_or((self.required.len() + self.optional.len()) as u32)
    }
    pub fn end_of(&self, start: DateTime<Utc>) -> DateTime<Utc> {
        start + chrono::Duration::minutes(i64::from(self.duration_minutes))
    }
}

/// The objective's terms. Integers, so every solver agrees on the value to the unit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Weights {
    /// Moving a meeting of tier P1, P2, P3 (P0 never moves).
    pub move_p1: i64,
    pub move_p2: i64,
    pub move_p3: i64,
    /// Added when the meeting is someone else's (a counter-proposal).
    pub counter: i64,
    /// Per attendee of a moved meeting: every one of them has to re-plan.
    pub per_attendee: i64,
    /// Per started hour between the old and the new start.
    pub per_hour_moved: i64,
    /// Moving to another day.
    pub other_day: i64,
    /// Moving a meeting held at a place (a table booked, a room, people travelling).
    pub in_person: i64,
    /// Leaving a meeting unplaced, by tier.
    pub unplaced_p1: i64,
    pub unplaced_p2: i64,
    pub unplaced_p3: i64,
    /// Preferences a placed meeting breaks.
    pub outside_hours: i64,
    pub no_meeting_day: i64,
    pub focus: i64,
    pub lunch: i64,
    /// Per pair of meetings with a shared attendee closer than `buffer_minutes`.
    pub buffer: i64,
    /// Per meeting over a day's cap.
    pub over_cap: i64,
    /// Per optional attendee busy at the time.
    pub optional_busy: i64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            move_p1: 400,
            move_p2: 150,
            move_p3: 60,
            counter: 100,
            per_attendee: 10,
            per_hour_moved: 4,
            other_day: 40,
            in_person: 100,
            unplaced_p1: 5000,
            unplaced_p2: 2500,
            unplaced_p3: 1200,
            // Lower than moving a P2 meeting with anyone in it: a dinner the executive accepted
            // out of hours is their choice; a P3 catch-up there is worth moving in.
            outside_hours: 100,
            no_meeting_day: 150,
            focus: 120,
            lunch: 50,
            buffer: 20,
            over_cap: 200,
            optional_busy: 15,
        }
    }
}

impl Weights {
    pub fn moving(&self, tier: Tier) -> i64 {
        match tier {
            Tier::P0 | Tier::P1 => self.move_p1,
            Tier::P2 => self.move_p2,
            Tier::P3 => self.move_p3,
        }
    }
    pub fn unplacing(&self, tier: Tier) -> i64 {
        match tier {
            Tier::P0 | Tier::P1 => self.unplaced_p1,
            Tier::P2 => self.unplaced_p2,
            Tier::P3 => self.unplaced_p3,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instance {
    pub version: u32,
    pub now: DateTime<Utc>,
    /// Starts of moved meetings fall on this grid (minutes from midnight UTC).
    #[serde(default = "five")]
    pub grid_minutes: u32,
    /// No meeting starting within this many hours of `now` is moved.
    #[serde(default)]
    pub freeze_hours: u32,
    #[serde(default)]
    pub travel_minutes: u32,
    #[serde(default)]
    pub buffer_minutes: u32,
    #[serde(default)]
    pub days: Vec<Day>,
    #[serde(default)]
    pub people: Vec<Person>,
    pub meetings: Vec<InstanceMeeting>,
    #[serde(default)]
    pub weights: Weights,
}

impl Instance {
    /// Reads and checks an instance; the error names the field or the item.
    pub fn from_json(text: &str) -> Result<Instance, InstanceError> {
        let mut de = serde_json::Deserializer::from_str(text);
        let instance: Instance = serde_path_to_error::deserialize(&mut de)
            .map_err(|e| InstanceError::Shape { path: e.path().to_string(), reason: e.into_inner().to_string() })?;
        instance.validate()?;
        Ok(instance)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("instances always serialise")
    }

    pub fn validate(&self) -> Result<(), InstanceError> {
        let bad = |at: String, reason: &str| Err(InstanceError::Invalid { at, reason: reason.into() });
        if self.version != INSTANCE_VERSION {
            return bad("version".into(), &format!("is {}, this Tandem reads {INSTANCE_VERSION}", self.version));
        }
        if self.grid_minutes == 0 || 1440 % self.grid_minutes != 0 {
            return bad("grid_minutes".into(), "must divide a day (5, 10, 15, 30, 60 …)");
        }
        let mut dates = BTreeSet::new();
        let mut previous_end = None;
        for (i, d) in self.days.iter().enumerate() {
            let at = format!("days[{i}] ({})", d.date);
            if d.start >= d.end {
                return bad(at, "ends before it starts");
            }
            if !dates.insert(d.date) || previous_end.is_some_and(|e| d.start < e) {
                return bad(at, "repeats or overlaps the day before it: days are listed once, in order");
            }
            previous_end = Some(d.end);
            for (name, span) in [("work", d.work), ("lunch", d.lunch)] {
                if let Some(s) = span {
                    if s.start >= s.end || s.start < d.start || s.end > d.end {
                        return bad(format!("{at}.{name}"), "must be a non-empty span inside the day");
                    }
                }
            }
            for (k, f) in d.focus.iter().enumerate() {
                if f.start >= f.end {
                    return bad(format!("{at}.focus[{k}]"), "ends before it starts");
                }
            }
        }
        let mut ids = BTreeSet::new();
        for (i, p) in self.people.iter().enumerate() {
            if !ids.insert(p.id.as_str()) {
                return bad(format!("people[{i}] ({})", p.id), "is listed twice");
            }
            if let Some(k) = p.busy.iter().position(|b| b.start >= b.end) {
                return bad(format!("people[{i}] ({}).busy[{k}]", p.id), "ends before it starts");
            }
        }
        let mut ids = BTreeSet::new();
        for (i, m) in self.meetings.iter().enumerate() {
            let at = format!("meetings[{i}] ({})", m.id);
            if !ids.insert(m.id.as_str()) {
                return bad(at, "the id is used twice");
            }
            if m.duration_minutes == 0 || m.duration_minutes > 24 * 60 {
                return bad(at, "duration_minutes must be 1 to 1440");
            }
            if m.window.is_some_and(|w| w.start >= w.end) {
                return bad(at, "its window ends before it starts");
            }
            if m.start.is_none() && m.fixed {
                return bad(at, "a fixed meeting needs a start");
            }
            if m.start.is_none() && m.tier == Tier::P0 {
                return bad(at, "a P0 meeting is fixed and needs a start");
            }
            let mut seen = BTreeSet::new();
            if let Some(p) = m.required.iter().chain(&m.optional).find(|p| !seen.insert(p.as_str())) {
                return bad(at, &format!("'{p}' is listed twice among its attendees"));
            }
        }
        Ok(())
    }

    /// When moves may start: `now` plus the freeze.
    pub fn freeze_until(&self) -> DateTime<Utc> {
        self.now + chrono::Duration::hours(i64::from(self.freeze_hours))
    }

    /// Whether the meeting stays where it is whatever the plan.
    pub fn is_fixed(&self, m: &InstanceMeeting) -> bool {
        match m.start {
            None => false,
            Some(s) => m.fixed || m.tier == Tier::P0 || s < self.freeze_until(),
        }
    }

    /// The day a start falls in.
    pub fn day_of(&self, t: DateTime<Utc>) -> Option<usize> {
        let i = self.days.partition_point(|d| d.end <= t);
        (i < self.days.len() && self.days[i].start <= t).then_some(i)
    }

    /// The position of the meeting with this id.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.meetings.iter().position(|m| m.id == id)
    }

    pub fn person(&self, id: &str) -> Option<&Person> {
        self.people.iter().find(|p| p.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minimal() -> serde_json::Value {
        serde_json::json!({
            "version": 1,
            "now": "2026-11-23T08:00:00Z",
            "days": [{"date": "2026-11-24", "start": "2026-11-24T00:00:00Z", "end": "2026-11-25T00:00:00Z",
                      "work": {"start": "2026-11-24T09:00:00Z", "end": "2026-11-24T17:00:00Z"}}],
            "meetings": [{"id": "a", "start": "2026-11-24T10:00:00Z", "duration_minutes": 30, "required": ["exec"]}]
        })
    }

    #[test]
    fn a_minimal_instance_reads_with_the_default_weights() {
        let i = Instance::from_json(&minimal().to_string()).unwrap();
        assert_eq!(i.grid_minutes, 5);
        assert_eq!(i.weights, Weights::default());
        assert_eq!(i.meetings[0].tier, Tier::P2);
        assert!(i.meetings[0].own);
        assert_eq!(i.day_of(i.meetings[0].start.unwrap()), Some(0));
        assert_eq!(Instance::from_json(&i.to_json()).unwrap(), i);
    }

    #[test]
    fn a_misspelt_field_is_refused_with_its_path() {
        let mut v = minimal();
        v["meetings"][0]["duration"] = 30.into();
        let e = Instance::from_json(&v.to_string()).unwrap_err();
        assert!(e.to_string().contains("meetings[0]"), "{e}");
        assert!(e.to_string().contains("duration"), "{e}");
    }

    #[test]
    fn inconsistent_instances_name_the_item_at_fault() {
        let mut v = minimal();
        v["meetings"][0]["duration_minutes"] = 0.into();
        assert!(Instance::from_json(&v.to_string()).unwrap_err().to_string().contains("meetings[0] (a)"));
        let mut v = minimal();
        v["grid_minutes"] = 7.into();
        assert!(Instance::from_json(&v.to_string()).unwrap_err().to_string().contains("grid_minutes"));
        let mut v = minimal();
        v["version"] = 2.into();
        assert!(Instance::from_json(&v.to_string()).unwrap_err().to_string().contains("version"));
    }

    #[test]
    fn a_meeting_is_fixed_when_p0_marked_or_inside_the_freeze() {
        let mut i = Instance::from_json(&minimal().to_string()).unwrap();
        assert!(!i.is_fixed(&i.meetings[0]));
        i.freeze_hours = 48;
        assert!(i.is_fixed(&i.meetings[0]));
        i.freeze_hours = 0;
        i.meetings[0].tier = Tier::P0;
        assert!(i.is_fixed(&i.meetings[0]));
    }
}
