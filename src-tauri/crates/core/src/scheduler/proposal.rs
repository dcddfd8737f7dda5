//! Proposals: a plan cut into the pieces an EP approves one at a time, each with a reason per
//! move in plain words and up to three alternatives.
//!
//! A proposal is one cluster of the plan: the meetings it changes and the ones they clashed
//! with, joined whenever a clash or a freed slot ties them. Alternatives re-solve that cluster
//! with everything else held where the plan puts it: first with the main move's time (and an
//! hour either side) ruled out, then also the first alternative's, then with the meeting that
//! moves kept where it is, so that another gives way.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::check::{evaluate, is_move, placed_start, Evaluation, Placement};
use super::instance::{Instance, InstanceMeeting};
use super::solve::{solve, Options, Plan};
use crate::tier::Tier;

/// Alternatives differ from the proposal by at least this much.
const ALTERNATIVE_SPREAD_MINUTES: u32 = 60;
const MAX_ALTERNATIVES: usize = 3;

/// One meeting's change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Move {
    /// Index into the instance's meetings.
    pub meeting: usize,
    /// The new start; none when no time could be found for it.
    pub to: Option<DateTime<Utc>>,
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Alternative {
    pub moves: Vec<Move>,
    /// How much more it disturbs than the proposal (objective units).
    pub extra_cost: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Proposal {
    pub moves: Vec<Move>,
    /// The clashes it resolves, in words.
    pub resolves: Vec<String>,
    pub alternatives: Vec<Alternative>,
}

/// Cuts `plan` into proposals with reasons and alternatives. `view` writes an instant the way
/// the EP reads it (their zone that day, e.g. "Tue 10:00").
pub fn propose(instance: &Instance, plan: &Plan, view: &dyn Fn(DateTime<Utc>) -> String) -> Vec<Proposal> {
    let n = instance.meetings.len();
    let changed: Vec<bool> = (0..n).map(|i| changes(&instance.meetings[i], plan.placements[i])).collect();
    // Clusters: clashes as they are now, and a moved meeting with the one whose slot it took.
    let mut parent: Vec<usize> = (0..n).collect();
    let index = |id: &str| instance.index_of(id);
    for v in &plan.status_quo.violations {
        let ids: Vec<usize> = v.meetings.iter().filter_map(|id| index(id)).collect();
        for w in ids.windows(2) {
            union(&mut parent, w[0], w[1]);
        }
    }
    for i in (0..n).filter(|&i| changed[i]) {
        let Some((s, e)) = span(&instance.meetings[i], plan.placements[i]) else { continue };
        for j in (0..n).filter(|&j| j != i && changed[j]) {
            if let Some((s0, e0)) = instance.meetings[j].start.map(|s0| (s0, instance.meetings[j].end_of(s0))) {
                if s < e0 && s0 < e && shares(&instance.meetings[i], &instance.meetings[j]) {
                    union(&mut parent, i, j);
                }
            }
        }
    }
    let roots: Vec<usize> = (0..n).map(|i| find(&mut parent, i)).collect();
    let mut clusters: Vec<Vec<usize>> = Vec::new();
    for i in 0..n {
        match clusters.iter_mut().find(|c| roots[c[0]] == roots[i]) {
            Some(c) => c.push(i),
            None => clusters.push(vec![i]),
        }
    }
    clusters.retain(|c| c.iter().any(|&i| changed[i]));

    clusters
        .iter()
        .map(|cluster| {
            let moves = explain(instance, &plan.placements, &plan.status_quo, cluster, view);
            let resolves = plan
                .status_quo
                .violations
                .iter()
                .filter(|v| v.meetings.iter().filter_map(|id| index(id)).any(|i| cluster.contains(&i)))
                .map(|v| in_words(instance, &v.meetings, &v.reason, view))
                .chain(cluster.iter().filter(|&&i| changes(&instance.meetings[i], plan.placements[i])).flat_map(|&i| {
                    let m = &instance.meetings[i];
                    let clashed = plan.status_quo.violations.iter().any(|v| v.meetings.contains(&m.id));
                    let issues = match (clashed, m.start) {
                        (false, Some(s)) => day_issues(instance, m, s),
                        _ => vec![],
                    };
                    issues.into_iter().map(move |issue| format!("'{}': {issue}", m.summary))
                }))
                .collect();
            let alternatives = alternatives(instance, plan, cluster, view);
            Proposal { moves, resolves, alternatives }
        })
        .collect()
}

fn changes(m: &InstanceMeeting, p: Placement) -> bool {
    p == Placement::Unplaced && m.start.is_some() || is_move(m, p)
}

fn span(m: &InstanceMeeting, p: Placement) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    placed_start(m, p).map(|s| (s, m.end_of(s)))
}

fn shares(a: &InstanceMeeting, b: &InstanceMeeting) -> bool {
    a.required.iter().any(|p| b.required.contains(p))
}

fn find(parent: &mut [usize], i: usize) -> usize {
    let mut r = i;
    while parent[r] != r {
        r = parent[r];
    }
    parent[i] = r;
    r
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        parent[ra.max(rb)] = ra.min(rb);
    }
}

/// A clash from the checker, with the meetings' names and times in place of their ids.
fn in_words(instance: &Instance, ids: &[String], reason: &str, view: &dyn Fn(DateTime<Utc>) -> String) -> String {
    let named: Vec<String> = ids
        .iter()
        .filter_map(|id| instance.meetings.iter().find(|m| &m.id == id))
        .map(|m| format!("'{}' ({}, {})", m.summary, m.tier, m.start.map(view).unwrap_or_else(|| "new".into())))
        .collect();
    if reason.contains("different places") {
        format!("{} leave no time to travel between them", named.join(" and "))
    } else if reason.contains("overlap") {
        format!("{} overlap", named.join(" and "))
    } else {
        reason.to_string()
    }
}

/// Why a meeting that stays keeps its time.
fn why_it_stays(instance: &Instance, m: &InstanceMeeting) -> String {
    if m.personal || m.attendee_count() == 0 {
        "the executive's own time".into()
    } else if m.tier == Tier::P0 {
        "P0, fixed".into()
    } else if m.fixed {
        "fixed".into()
    } else if m.start.is_some_and(|s| s < instance.freeze_until()) {
        format!("starts within {} hours", instance.freeze_hours)
    } else {
        format!("{}, {} attendee{}, costlier to move", m.tier, m.attendee_count(), plural(m.attendee_count()))
    }
}

fn plural(n: u32) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// What the new time keeps and breaks of the executive's day.
pub(super) fn the_new_time(instance: &Instance, m: &InstanceMeeting, s: DateTime<Utc>) -> String {
    let e = m.end_of(s);
    let Some(day) = instance.day_of(s).map(|d| &instance.days[d]) else { return String::new() };
    let mut kept = vec!["within working hours"];
    let mut broken = Vec::new();
    match &day.lunch {
        Some(l) if l.overlaps(s, e) => broken.push("takes lunch".to_string()),
        Some(_) => kept.push("clear of lunch"),
        None => {}
    }
    for f in day.focus.iter().filter(|f| f.start < e && s < f.end) {
        broken.push(format!("takes focus time '{}'", f.label));
    }
    if !day.focus.is_empty() && day.focus.iter().all(|f| !(f.start < e && s < f.end)) {
        kept.push("the focus block stays");
    }
    let mut out = format!("free then, {}", kept.join(", "));
    if !broken.is_empty() {
        out.push_str(&format!("; it {}", broken.join(" and ")));
    }
    out
}

/// What a meeting at `s` breaks of the shape of its day, in words.
fn day_issues(instance: &Instance, m: &InstanceMeeting, s: DateTime<Utc>) -> Vec<String> {
    let e = m.end_of(s);
    let Some(day) = instance.day_of(s).map(|d| &instance.days[d]) else { return vec![] };
    let mut out = Vec::new();
    if m.personal {
        return out;
    }
    if !day.work.is_some_and(|w| w.contains(s, e)) {
        out.push("it runs outside working hours".to_string());
    }
    if day.no_meetings {
        out.push("it is on a no-meeting day".to_string());
    }
    for f in day.focus.iter().filter(|f| f.start < e && s < f.end) {
        out.push(format!("it takes focus time '{}'", f.label));
    }
    if day.lunch.is_some_and(|l| l.overlaps(s, e)) {
        out.push("it takes lunch".to_string());
    }
    out
}

fn explain(
    instance: &Instance,
    placements: &[Placement],
    status_quo: &Evaluation,
    cluster: &[usize],
    view: &dyn Fn(DateTime<Utc>) -> String,
) -> Vec<Move> {
    let ms = &instance.meetings;
    cluster
        .iter()
        .copied()
        .filter(|&i| changes(&ms[i], placements[i]))
        .map(|i| {
            let m = &ms[i];
            let to = placed_start(m, placements[i]);
            // What it clashed with, and why the other keeps its time.
            let mut why: Vec<String> = status_quo
                .violations
                .iter()
                .filter(|v| v.meetings.contains(&m.id))
                .filter_map(|v| v.meetings.iter().find(|id| **id != m.id))
                .filter_map(|id| instance.index_of(id))
                .map(|j| {
                    let o = &ms[j];
                    let keeps = !changes(o, placements[j]);
                    let at = o.start.map(view).unwrap_or_default();
                    if keeps {
                        format!("'{}' ({}) needs {at}", o.summary, why_it_stays(instance, o))
                    } else {
                        format!("it clashed with '{}' at {at}, which moves too", o.summary)
                    }
                })
                .collect();
            if why.is_empty() {
                // Moved to make room: whose new time took its slot.
                if let Some(j) = cluster.iter().copied().find(|&j| {
                    j != i
                        && span(&ms[j], placements[j]).is_some_and(|(s, e)| {
                            m.start.is_some_and(|s0| s < m.end_of(s0) && s0 < e)
                        })
                }) {
                    why.push(format!("it makes room for '{}'", ms[j].summary));
                }
            }
            if why.is_empty() {
                if let Some(s0) = m.start {
                    why.extend(day_issues(instance, m, s0));
                }
            }
            let whose = if m.own { String::new() } else { " (not the executive's: a counter-proposal to the organiser)".into() };
            let from = m.start.map(view).unwrap_or_else(|| "unscheduled".into());
            let reason = match to {
                Some(s) => format!(
                    "Move '{}' from {from} to {}{whose}: {}; {}",
                    m.summary,
                    view(s),
                    if why.is_empty() { "it breaks less of the day there".to_string() } else { why.join("; ") },
                    the_new_time(instance, m, s)
                ),
                None => format!(
                    "No time found for '{}' ({}, {from}){whose}: {}; nothing free in these days without moving something more important. {}",
                    m.summary,
                    m.tier,
                    if why.is_empty() { "it cannot stay".to_string() } else { why.join("; ") },
                    if m.own { "Find it another week or shorten it." } else { "Decline it or ask to shorten it." }
                ),
            };
            Move { meeting: i, to, reason }
        })
        .collect()
}

fn alternatives(
    instance: &Instance,
    plan: &Plan,
    cluster: &[usize],
    view: &dyn Fn(DateTime<Utc>) -> String,
) -> Vec<Alternative> {
    let ms = &instance.meetings;
    let Some(&main) = cluster.iter().find(|&&i| changes(&ms[i], plan.placements[i])) else { return vec![] };
    // Everything outside the cluster is held where the plan puts it.
    let mut held = instance.clone();
    let mut options = Options { spread_minutes: ALTERNATIVE_SPREAD_MINUTES, ..Options::default() };
    for i in (0..ms.len()).filter(|i| !cluster.contains(i)) {
        match placed_start(&ms[i], plan.placements[i]) {
            Some(s) => {
                held.meetings[i].start = Some(s);
                held.meetings[i].fixed = true;
            }
            None => options.leave_out.push(i),
        }
    }
    let mut tries: Vec<Options> = Vec::new();
    let mut first = options.clone();
    first.forbid.push((main, plan.placements[main]));
    tries.push(first);
    let mut keep = options.clone();
    keep.keep.push(main);
    let mut out: Vec<Alternative> = Vec::new();
    let mut seen: Vec<Vec<Placement>> = vec![cluster.iter().map(|&i| plan.placements[i]).collect()];
    let mut k = 0;
    while k < tries.len() && out.len() < MAX_ALTERNATIVES {
        let alt = solve(&held, &tries[k]);
        k += 1;
        // Back to the real instance: the cluster as the alternative has it, the rest as planned.
        let mut placements = plan.placements.clone();
        for &i in cluster {
            placements[i] = match alt.placements[i] {
                Placement::At { start } if ms[i].start == Some(start) => Placement::Stays,
                p => p,
            };
        }
        let evaluation = evaluate(instance, &placements);
        let mine: Vec<Placement> = cluster.iter().map(|&i| placements[i]).collect();
        if evaluation.violations.is_empty() && !seen.contains(&mine) {
            seen.push(mine);
            let moves = explain(instance, &placements, &plan.status_quo, cluster, view);
            if !moves.is_empty() {
                out.push(Alternative { moves, extra_cost: evaluation.objective - plan.evaluation.objective });
            }
            if k == 1 {
                // Then a second time for the main meeting, and the main meeting kept.
                let mut second = tries[0].clone();
                second.forbid.push((main, placements[main]));
                tries.push(second);
                tries.push(keep.clone());
            }
        } else if k == 1 {
            tries.push(keep.clone());
        }
    }
    out.sort_by_key(|a| a.extra_cost);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::solve::solve;

    fn instance() -> Instance {
        Instance::from_json(
            &serde_json::json!({
                "version": 1,
                "now": "2026-11-23T08:00:00Z",
                "grid_minutes": 15,
                "days": [{"date": "2026-11-24", "start": "2026-11-24T00:00:00Z", "end": "2026-11-25T00:00:00Z",
                          "work": {"start": "2026-11-24T09:00:00Z", "end": "2026-11-24T17:00:00Z"},
                          "lunch": {"start": "2026-11-24T12:00:00Z", "end": "2026-11-24T13:00:00Z"},
                          "focus": [{"start": "2026-11-24T13:00:00Z", "end": "2026-11-24T15:00:00Z", "label": "deep work"}]}],
                "meetings": [
                    {"id": "a", "summary": "Board prep", "tier": "P0", "start": "2026-11-24T10:00:00Z", "duration_minutes": 60, "required": ["exec"]},
                    {"id": "b", "summary": "1:1 head of sales", "start": "2026-11-24T10:00:00Z", "duration_minutes": 30, "required": ["exec"]},
                    {"id": "c", "summary": "Vendor call", "own": false, "tier": "P3", "start": "2026-11-24T16:00:00Z", "duration_minutes": 60, "required": ["exec"]},
                    {"id": "d", "summary": "Team sync", "tier": "P1", "start": "2026-11-24T16:30:00Z", "duration_minutes": 30, "required": ["exec"], "attendees": 9}
                ]
            })
            .to_string(),
        )
        .unwrap()
    }

    fn view(t: DateTime<Utc>) -> String {
        t.format("%a %H:%M").to_string()
    }

    #[test]
    fn each_cluster_of_clashes_is_one_proposal_with_a_reason_naming_who_needs_the_time() {
        let i = instance();
        let plan = solve(&i, &Options::default());
        let proposals = propose(&i, &plan, &view);
        assert_eq!(proposals.len(), 2, "{proposals:#?}");
        let first = &proposals[0];
        assert_eq!(first.moves.len(), 1);
        assert_eq!(first.moves[0].meeting, 1);
        let reason = &first.moves[0].reason;
        assert!(reason.starts_with("Move '1:1 head of sales' from Tue 10:00 to Tue "), "{reason}");
        assert!(reason.contains("'Board prep' (P0, fixed) needs Tue 10:00"), "{reason}");
        assert!(reason.contains("within working hours"), "{reason}");
        assert!(first.resolves[0].contains("overlap"), "{:?}", first.resolves);
    }

    #[test]
    fn someone_elses_meeting_is_countered_and_the_costlier_one_keeps_its_time() {
        let i = instance();
        let plan = solve(&i, &Options::default());
        let proposals = propose(&i, &plan, &view);
        let second = &proposals[1];
        assert_eq!(second.moves[0].meeting, 2, "{second:#?}");
        let reason = &second.moves[0].reason;
        assert!(reason.contains("counter-proposal to the organiser"), "{reason}");
        assert!(reason.contains("'Team sync' (P1, 9 attendees, costlier to move)"), "{reason}");
    }

    #[test]
    fn alternatives_are_other_times_or_another_meeting_giving_way_and_cost_at_least_as_much() {
        let i = instance();
        let plan = solve(&i, &Options::default());
        let proposals = propose(&i, &plan, &view);
        for p in &proposals {
            assert!(!p.alternatives.is_empty() && p.alternatives.len() <= 3, "{p:#?}");
            for a in &p.alternatives {
                assert!(a.extra_cost >= 0);
                assert_ne!(a.moves, p.moves);
                // An alternative lists every change it makes: what the proposal moves and
                // the alternative does not, stays.
                let mut placements = plan.placements.clone();
                for m in &p.moves {
                    placements[m.meeting] = Placement::Stays;
                }
                for m in &a.moves {
                    placements[m.meeting] = m.to.map_or(Placement::Unplaced, |start| Placement::At { start });
                }
                assert!(evaluate(&i, &placements).violations.is_empty());
            }
        }
        // The vendor call's proposal offers the team sync giving way instead.
        assert!(
            proposals[1].alternatives.iter().any(|a| a.moves.iter().any(|m| m.meeting == 3)),
            "{:#?}",
            proposals[1]
        );
    }
}
