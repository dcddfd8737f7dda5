//! Find a time: the best slots for a new meeting, ranked, each with its reason, from the same
//! engine that resolves conflicts. Nothing already in the calendar moves for it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::check::{evaluate, placed_start, Placement};
use super::instance::{Instance, InstanceMeeting};
use super::proposal::the_new_time;
use super::solve::{solve, status_quo, Options};

/// Slots offered are at least this far apart, so that the list is a choice, not one slot and
/// its neighbours five minutes on.
pub const SLOT_SPREAD_MINUTES: u32 = 30;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Slot {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// What holding it there adds to the objective (smaller is better).
    pub cost: i64,
    pub reason: String,
}

/// Up to `count` slots for `meeting` (its start is ignored) among the instance's meetings,
/// best first. `view` writes an instant the way the EP reads it.
pub fn find_slots(
    instance: &Instance,
    meeting: InstanceMeeting,
    count: usize,
    view: &dyn Fn(DateTime<Utc>) -> String,
) -> Vec<Slot> {
    let mut with = instance.clone();
    let k = with.meetings.len();
    with.meetings.push(InstanceMeeting { start: None, ..meeting });
    // Everything that is in the calendar holds its place; anything else still to place stays
    // out of this search.
    let mut options = Options { spread_minutes: SLOT_SPREAD_MINUTES, ..Options::default() };
    for i in 0..k {
        if with.meetings[i].start.is_some() {
            with.meetings[i].fixed = true;
        } else {
            options.leave_out.push(i);
        }
    }
    let mut without = status_quo(&with);
    without[k] = Placement::Unplaced;
    let baseline = evaluate(&with, &without).objective - with.weights.unplacing(with.meetings[k].tier);
    let mut out: Vec<Slot> = Vec::new();
    while out.len() < count {
        let plan = solve(&with, &options);
        let m = &with.meetings[k];
        let Some(start) = placed_start(m, plan.placements[k]) else { break };
        let end = m.end_of(start);
        let busy: Vec<&str> = m
            .optional
            .iter()
            .filter(|p| with.person(p).is_some_and(|p| p.busy.iter().any(|b| b.overlaps(start, end))))
            .map(String::as_str)
            .collect();
        let mut reason = format!("{}: everyone required is {}", view(start), the_new_time(&with, m, start));
        if !busy.is_empty() {
            reason.push_str(&format!("; busy then: {}", busy.join(", ")));
        }
        out.push(Slot { start, end, cost: plan.evaluation.objective - baseline, reason });
        options.forbid.push((k, Placement::At { start }));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_best_slots_come_first_clear_of_meetings_lunch_and_focus_and_apart_from_each_other() {
        let i = Instance::from_json(
            &serde_json::json!({
                "version": 1, "now": "2026-11-23T08:00:00Z", "grid_minutes": 15,
                "days": [{"date": "2026-11-24", "start": "2026-11-24T00:00:00Z", "end": "2026-11-25T00:00:00Z",
                          "work": {"start": "2026-11-24T09:00:00Z", "end": "2026-11-24T13:00:00Z"},
                          "lunch": {"start": "2026-11-24T12:00:00Z", "end": "2026-11-24T13:00:00Z"},
                          "focus": [{"start": "2026-11-24T09:00:00Z", "end": "2026-11-24T10:00:00Z", "label": "deep"}]}],
                "people": [{"id": "ann", "busy": [{"start": "2026-11-24T10:00:00Z", "end": "2026-11-24T10:30:00Z"}]}],
                "meetings": [{"id": "a", "start": "2026-11-24T11:00:00Z", "duration_minutes": 30, "required": ["exec"]}]
            })
            .to_string(),
        )
        .unwrap();
        let mut new = i.meetings[0].clone();
        new.id = "new".into();
        new.summary = "Catch-up".into();
        new.required = vec!["exec".into(), "ann".into()];
        let view = |t: DateTime<Utc>| t.format("%H:%M").to_string();
        let slots = find_slots(&i, new, 3, &view);
        let starts: Vec<String> = slots.iter().map(|s| view(s.start)).collect();
        // 10:30 and 11:30 are clear of focus, lunch, Ann's busy time and 'a'; then the first
        // half hour half an hour past those, which takes lunch.
        assert_eq!(starts, ["10:30", "11:30", "12:15"], "{slots:#?}");
        assert_eq!(slots.iter().map(|s| s.cost).collect::<Vec<_>>(), [0, 0, i.weights.lunch]);
        assert!(
            slots[0].reason.starts_with("10:30: everyone required is free then, within working hours"),
            "{}",
            slots[0].reason
        );
        assert!(slots[2].reason.contains("takes lunch"), "{}", slots[2].reason);
    }
}
