//! The checker: what a plan breaks and what it costs, read straight from the instance.
//!
//! It shares nothing with the solver but the instance types. It is written for clarity, pair
//! by pair and meeting by meeting, so it can be trusted to catch the solver: the solver runs it
//! on every plan before returning one, and the tests run it (and a Python copy) on every plan
//! they make. The semantics are in the [`super::instance`] module's overview.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::instance::{Instance, InstanceMeeting};

/// What the plan does with one meeting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Placement {
    /// Where it is now.
    Stays,
    /// At this start (the same start as now counts as staying).
    At { start: DateTime<Utc> },
    /// Not in the plan: no slot could be found.
    Unplaced,
}

/// The objective, term by term.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Terms {
    pub moves: i64,
    pub unplaced: i64,
    pub outside_hours: i64,
    pub no_meeting_day: i64,
    pub focus: i64,
    pub lunch: i64,
    pub buffer: i64,
    pub over_cap: i64,
    pub optional_busy: i64,
}

impl Terms {
    pub fn total(&self) -> i64 {
        self.moves
            + self.unplaced
            + self.outside_hours
            + self.no_meeting_day
            + self.focus
            + self.lunch
            + self.buffer
            + self.over_cap
            + self.optional_busy
    }
}

/// A hard constraint the plan breaks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Violation {
    pub meetings: Vec<String>,
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluation {
    pub objective: i64,
    pub terms: Terms,
    pub violations: Vec<Violation>,
    /// Clashes between fixed meetings: no plan can change them, so they are reported apart.
    pub fixed_clashes: Vec<Violation>,
}

/// Where a meeting ends up: its start, or none when unplaced.
pub fn placed_start(m: &InstanceMeeting, p: Placement) -> Option<DateTime<Utc>> {
    match p {
        Placement::Stays => m.start,
        Placement::At { start } => Some(start),
        Placement::Unplaced => None,
    }
}

/// Whether the placement moves the meeting away from where it is (or places a new one).
pub fn is_move(m: &InstanceMeeting, p: Placement) -> bool {
    matches!(p, Placement::At { start } if m.start != Some(start))
}

/// Checks `plan` (one placement per meeting, in the instance's order) and prices it.
pub fn evaluate(instance: &Instance, plan: &[Placement]) -> Evaluation {
    let w = &instance.weights;
    let mut terms = Terms::default();
    let mut violations = Vec::new();
    let mut fixed_clashes = Vec::new();
    if plan.len() != instance.meetings.len() {
        violations.push(Violation {
            meetings: vec![],
            reason: format!("{} placements for {} meetings", plan.len(), instance.meetings.len()),
        });
        return Evaluation { objective: 0, terms, violations, fixed_clashes };
    }
    let freeze = instance.freeze_until();
    let grid = i64::from(instance.grid_minutes);
    let mut placed: Vec<Option<(DateTime<Utc>, DateTime<Utc>)>> = Vec::with_capacity(plan.len());

    for (m, &p) in instance.meetings.iter().zip(plan) {
        let fixed = instance.is_fixed(m);
        let mut broken = |reason: String| violations.push(Violation { meetings: vec![m.id.clone()], reason });
        let start = placed_start(m, p);
        if p == Placement::Stays && m.start.is_none() {
            broken(format!("'{}' has no start to stay at", m.id));
        }
        if p == Placement::Unplaced {
            if fixed {
                broken(format!("'{}' is fixed and cannot be left out", m.id));
            }
            terms.unplaced += w.unplacing(m.tier);
        }
        if is_move(m, p) {
            let s = start.expect("a move has a start");
            let e = m.end_of(s);
            if fixed {
                broken(format!("'{}' is fixed and cannot move", m.id));
            }
            if s.timestamp() % 60 != 0 || (s.timestamp() / 60).rem_euclid(grid) != 0 {
                broken(format!("'{}' moves to {s}, off the {grid}-minute grid", m.id));
            }
            if s < freeze {
                broken(format!("'{}' moves to {s}, before moves are allowed ({freeze})", m.id));
            }
            if m.window.is_some_and(|win| !win.contains(s, e)) {
                broken(format!("'{}' moves to {s}, outside its window", m.id));
            }
            match instance.day_of(s).map(|d| &instance.days[d]) {
                Some(day) if day.work.is_some_and(|work| work.contains(s, e)) && !day.no_meetings => {}
                _ => broken(format!("'{}' moves to {s}, outside the working hours of a meeting day", m.id)),
            }
            for id in &m.required {
                if let Some(b) = instance.person(id).and_then(|p| p.busy.iter().find(|b| b.overlaps(s, e))) {
                    broken(format!("'{}' moves to {s}, when {id} is busy ({} to {})", m.id, b.start, b.end));
                }
            }
            if let Some(from) = m.start {
                let minutes = (s - from).num_minutes().abs();
                terms.moves += w.moving(m.tier)
                    + if m.own { 0 } else { w.counter }
                    + w.per_attendee * i64::from(m.attendee_count())
                    + w.per_hour_moved * ((minutes + 59) / 60)
                    + if instance.day_of(s) != instance.day_of(from) { w.other_day } else { 0 }
                    + if m.place.is_some() { w.in_person } else { 0 };
            }
        }
        let Some(s) = start else {
            placed.push(None);
            continue;
        };
        let e = m.end_of(s);
        placed.push(Some((s, e)));
        if !m.personal {
            if let Some(day) = instance.day_of(s).map(|d| &instance.days[d]) {
                if !day.work.is_some_and(|work| work.contains(s, e)) {
                    terms.outside_hours += w.outside_hours;
                }
                if day.no_meetings {
                    terms.no_meeting_day += w.no_meeting_day;
                }
                if day.lunch.is_some_and(|l| l.overlaps(s, e)) {
                    terms.lunch += w.lunch;
                }
                terms.focus += w.focus * day.focus.iter().filter(|f| f.start < e && s < f.end).count() as i64;
            }
        }
        for id in &m.optional {
            if instance.person(id).is_some_and(|p| p.busy.iter().any(|b| b.overlaps(s, e))) {
                terms.optional_busy += w.optional_busy;
            }
        }
    }

    // Pairs that share a required attendee.
    let travel = i64::from(instance.travel_minutes);
    let buffer = i64::from(instance.buffer_minutes);
    for i in 0..plan.len() {
        for j in i + 1..plan.len() {
            let (a, b) = (&instance.meetings[i], &instance.meetings[j]);
            let (Some((sa, ea)), Some((sb, eb))) = (placed[i], placed[j]) else { continue };
            if !a.required.iter().any(|p| b.required.contains(p)) {
                continue;
            }
            let both_fixed = instance.is_fixed(a) && instance.is_fixed(b);
            let pair = vec![a.id.clone(), b.id.clone()];
            if sa < eb && sb < ea {
                let v = Violation { meetings: pair, reason: format!("'{}' and '{}' overlap", a.id, b.id) };
                if both_fixed {
                    fixed_clashes.push(v)
                } else {
                    violations.push(v)
                }
                continue;
            }
            let gap = (sb - ea).num_minutes().max((sa - eb).num_minutes());
            let elsewhere = matches!((&a.place, &b.place), (Some(x), Some(y)) if x != y);
            if elsewhere && gap < travel {
                let v = Violation {
                    meetings: pair,
                    reason: format!("'{}' and '{}' are {gap} minutes apart in different places", a.id, b.id),
                };
                if both_fixed {
                    fixed_clashes.push(v)
                } else {
                    violations.push(v)
                }
                continue;
            }
            if gap < buffer {
                terms.buffer += w.buffer;
            }
        }
    }

    // The daily caps.
    for (d, day) in instance.days.iter().enumerate() {
        let Some(cap) = day.max_meetings else { continue };
        let count = instance
            .meetings
            .iter()
            .zip(&placed)
            .filter(|(m, p)| !m.personal && p.is_some_and(|(s, _)| instance.day_of(s) == Some(d)))
            .count() as i64;
        terms.over_cap += w.over_cap * (count - i64::from(cap)).max(0);
    }

    Evaluation { objective: terms.total(), terms, violations, fixed_clashes }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tier::Tier;

    fn instance() -> Instance {
        Instance::from_json(
            &serde_json::json!({
                "version": 1,
                "now": "2026-11-23T08:00:00Z",
                "buffer_minutes": 10,
                "travel_minutes": 30,
                "days": [{"date": "2026-11-24", "start": "2026-11-24T00:00:00Z", "end": "2026-11-25T00:00:00Z",
                          "work": {"start": "2026-11-24T09:00:00Z", "end": "2026-11-24T17:00:00Z"},
                          "lunch": {"start": "2026-11-24T12:00:00Z", "end": "2026-11-24T13:00:00Z"},
                          "max_meetings": 2}],
                "people": [{"id": "ann", "busy": [{"start": "2026-11-24T15:00:00Z", "end": "2026-11-24T16:00:00Z"}]}],
                "meetings": [
                    {"id": "board", "tier": "P0", "start": "2026-11-24T10:00:00Z", "duration_minutes": 60, "required": ["exec"]},
                    {"id": "1:1", "start": "2026-11-24T10:30:00Z", "duration_minutes": 30, "required": ["exec", "ann"]},
                    {"id": "lunch talk", "tier": "P3", "start": "2026-11-24T12:00:00Z", "duration_minutes": 30,
                     "required": ["exec"], "optional": ["ann"]}
                ]
            })
            .to_string(),
        )
        .unwrap()
    }

    fn at(s: &str) -> Placement {
        Placement::At { start: s.parse().unwrap() }
    }

    #[test]
    fn the_status_quo_breaks_the_overlap_with_the_fixed_board_and_pays_for_lunch() {
        let i = instance();
        let e = evaluate(&i, &[Placement::Stays; 3]);
        assert_eq!(e.violations.len(), 1, "{e:?}");
        assert_eq!(e.violations[0].meetings, ["board", "1:1"]);
        assert_eq!(e.terms.lunch, i.weights.lunch);
        assert_eq!(e.terms.over_cap, i.weights.over_cap);
    }

    #[test]
    fn a_move_to_a_free_time_is_priced_by_tier_attendees_and_distance() {
        let i = instance();
        let e = evaluate(&i, &[Placement::Stays, at("2026-11-24T13:30:00Z"), Placement::Stays]);
        assert!(e.violations.is_empty(), "{e:?}");
        let w = &i.weights;
        assert_eq!(e.terms.moves, w.moving(Tier::P2) + 2 * w.per_attendee + 3 * w.per_hour_moved);
        assert_eq!(e.objective, e.terms.total());
    }

    #[test]
    fn moves_off_the_grid_into_busy_time_or_too_close_are_violations() {
        let i = instance();
        let e = evaluate(&i, &[Placement::Stays, at("2026-11-24T15:02:00Z"), Placement::Stays]);
        let reasons: Vec<_> = e.violations.iter().map(|v| v.reason.as_str()).collect();
        assert!(reasons.iter().any(|r| r.contains("grid")), "{reasons:?}");
        assert!(reasons.iter().any(|r| r.contains("ann is busy")), "{reasons:?}");
        let e = evaluate(&i, &[at("2026-11-24T14:00:00Z"), Placement::Stays, Placement::Stays]);
        assert!(e.violations.iter().any(|v| v.reason.contains("fixed and cannot move")));
    }

    #[test]
    fn a_buffer_too_short_costs_and_different_places_too_close_break() {
        let mut i = instance();
        let e = evaluate(&i, &[Placement::Stays, at("2026-11-24T11:05:00Z"), Placement::Stays]);
        assert!(e.violations.is_empty(), "{e:?}");
        assert_eq!(e.terms.buffer, i.weights.buffer);
        i.meetings[0].place = Some("HQ".into());
        i.meetings[1].place = Some("Client".into());
        let e = evaluate(&i, &[Placement::Stays, at("2026-11-24T11:05:00Z"), Placement::Stays]);
        assert!(e.violations.iter().any(|v| v.reason.contains("different places")), "{e:?}");
    }

    #[test]
    fn two_fixed_meetings_that_clash_are_reported_apart_and_never_count_as_the_plans_fault() {
        let mut i = instance();
        i.meetings[1].fixed = true;
        let e = evaluate(&i, &[Placement::Stays; 3]);
        assert!(e.violations.is_empty());
        assert_eq!(e.fixed_clashes.len(), 1);
    }
}
