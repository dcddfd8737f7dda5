//! The solver: which meetings move where, at the least disruption.
//!
//! **Why a search of our own.** The problem is a weighted assignment with pairwise
//! constraints (no overlap, travel time) and pairwise and per-day costs (buffers, the daily
//! cap). CP-SAT would be the tool, but it needs the OR-Tools C++ library, which this platform
//! does not package; the pure-Rust MILP crates (good_lp with microlp) would need one binary per
//! meeting and grid slot and a big-M per pair, which is slow and loose at a week's size. A
//! search that knows the structure is small and fast, and CP-SAT stays the referee in the tests.
//!
//! **How.**
//! 1. *Compile*: every movable meeting becomes a variable whose options are: stay, each start
//!    on the grid inside a working day (and its window, after the freeze, clear of its required
//!    attendees' known busy times and of the fixed meetings it shares someone with), or
//!    unplaced. Each option carries its own cost (moving, preferences, buffers next to fixed
//!    meetings), and options are sorted by it, which is what makes both searches below prune.
//! 2. *Local search* (anytime): start from where everything is; take the more flexible meeting
//!    out of every clash; put the ones taken out back at their best option, most important
//!    first; then improve until nothing helps: relocate one meeting, or move one into a slot
//!    held by another that moves on (an ejection chain), or solve a small neighbourhood exactly.
//! 3. *Exact* branch and bound over all the variables, seeded with the local search's plan as
//!    the bound: it either proves that plan optimal, finds a better one, or runs out of steps.
//!    The lower bound is the cost so far plus every unassigned meeting's cheapest option, valid
//!    because every pairwise and daily term is non-negative.
//!
//! **Deterministic.** The budget counts steps (options tried), never time; all costs are
//! integers; every loop runs in a fixed order. The same instance gives the same plan anywhere.
//!
//! **Safe.** Whatever the search returns goes through [`super::check::evaluate`]; a plan that
//! broke a hard constraint (a bug) is replaced by leaving every clashing movable meeting out.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::check::{evaluate, Evaluation, Placement};
use super::instance::{Instance, InstanceMeeting};

/// The default search budget, in steps: enough to prove optimality on conflict sets of a dozen
/// meetings and to polish a week of hundreds, in well under the UI's patience.
pub const DEFAULT_STEPS: u64 = 2_000_000;

/// Up to this many movable meetings, the exact search runs over all of them.
pub const EXACT_LIMIT: usize = 24;

/// Neighbourhoods up to this size are re-solved exactly during the local search.
const NEIGHBOURHOOD: usize = 6;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Options {
    /// Steps (options tried) the whole search may take.
    pub steps: u64,
    /// Placements the plan may not use: how alternatives are found.
    #[serde(default)]
    pub forbid: Vec<(usize, Placement)>,
    /// Meetings that must stay where they are, whatever their tier.
    #[serde(default)]
    pub keep: Vec<usize>,
    /// A forbidden start also forbids the starts this close to it, so that an alternative
    /// is a different time and not the same one five minutes later.
    #[serde(default)]
    pub spread_minutes: u32,
    /// Meetings left out of this search (unplaced, whatever they are): a search over part of
    /// a plan, or around a new meeting, leaves out what the plan already left out.
    #[serde(default)]
    pub leave_out: Vec<usize>,
}

impl Default for Options {
    fn default() -> Self {
        Options { steps: DEFAULT_STEPS, forbid: Vec::new(), keep: Vec::new(), spread_minutes: 0, leave_out: Vec::new() }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// One per meeting, in the instance's order.
    pub placements: Vec<Placement>,
    pub evaluation: Evaluation,
    /// Where things are now, for comparison (its violations are the conflicts to resolve).
    pub status_quo: Evaluation,
    /// Proven optimal: the exact search finished within the budget.
    pub optimal: bool,
    pub steps: u64,
}

const NONE: i64 = i64::MIN;

#[derive(Clone, Copy, Debug)]
struct Choice {
    /// Start in seconds since the epoch; [`NONE`] when unplaced.
    start: i64,
    cost: i64,
    /// The day it starts in, for the cap; `usize::MAX` for none or a personal entry.
    day: usize,
    stay: bool,
}

struct Var {
    meeting: usize,
    choices: Vec<Choice>,
    length: i64,
    place: Option<u32>,
    neighbours: Vec<usize>,
}

struct Model {
    vars: Vec<Var>,
    travel: i64,
    buffer: i64,
    buffer_weight: i64,
    over_cap: i64,
    /// Per day: the cap and the meetings already counted (fixed ones).
    caps: Vec<Option<i64>>,
    base: Vec<i64>,
}

fn seconds(t: DateTime<Utc>) -> i64 {
    t.timestamp()
}

impl Model {
    fn compile(instance: &Instance, options: &Options) -> Model {
        let w = &instance.weights;
        let grid = i64::from(instance.grid_minutes) * 60;
        let travel = i64::from(instance.travel_minutes) * 60;
        let buffer = i64::from(instance.buffer_minutes) * 60;
        let freeze = seconds(instance.freeze_until());
        let mut places: BTreeMap<&str, u32> = BTreeMap::new();
        let mut place = Vec::with_capacity(instance.meetings.len());
        for m in &instance.meetings {
            place.push(m.place.as_deref().map(|p| {
                let n = places.len() as u32;
                *places.entry(p).or_insert(n)
            }));
        }
        let fixed: Vec<bool> = instance
            .meetings
            .iter()
            .enumerate()
            .map(|(i, m)| instance.is_fixed(m) || options.keep.contains(&i))
            .collect();
        let length = |m: &InstanceMeeting| i64::from(m.duration_minutes) * 60;
        let shares = |a: &InstanceMeeting, b: &InstanceMeeting| a.required.iter().any(|p| b.required.contains(p));
        let busy: BTreeMap<&str, Vec<(i64, i64)>> = instance
            .people
            .iter()
            .map(|p| (p.id.as_str(), p.busy.iter().map(|b| (seconds(b.start), seconds(b.end))).collect()))
            .collect();
        let days: Vec<(i64, i64)> = instance.days.iter().map(|d| (seconds(d.start), seconds(d.end))).collect();
        let day_of = |t: i64| {
            let i = days.partition_point(|&(_, end)| end <= t);
            (i < days.len() && days[i].0 <= t).then_some(i)
        };

        let mut base = vec![0i64; instance.days.len()];
        for (i, m) in instance.meetings.iter().enumerate() {
            if let (true, false, Some(s)) = (fixed[i], m.personal, m.start) {
                if let Some(d) = day_of(seconds(s)) {
                    base[d] += 1;
                }
            }
        }

        let mut vars = Vec::new();
        for (i, m) in instance.meetings.iter().enumerate() {
            if fixed[i] {
                continue;
            }
            let len = length(m);
            let original = m.start.map(seconds);
            let fixed_neighbours: Vec<usize> = (0..instance.meetings.len())
                .filter(|&j| j != i && fixed[j] && shares(m, &instance.meetings[j]))
                .collect();
            // The cost of being placed at `s` regardless of the other movable meetings, or
            // none when that breaks a hard constraint.
            let placed_cost = |s: i64, moved: bool| -> Option<i64> {
                let e = s + len;
                let mut cost = 0;
                for &j in &fixed_neighbours {
                    let f = &instance.meetings[j];
                    let fs = seconds(f.start.expect("fixed meetings have a start"));
                    let fe = fs + length(f);
                    if s < fe && fs < e {
                        return None;
                    }
                    let gap = (fs - e).max(s - fe);
                    if matches!((place[i], place[j]), (Some(x), Some(y)) if x != y) && gap < travel {
                        return None;
                    }
                    if gap < buffer {
                        cost += w.buffer;
                    }
                }
                if moved {
                    for p in &m.required {
                        if busy.get(p.as_str()).is_some_and(|b| b.iter().any(|&(bs, be)| bs < e && s < be)) {
                            return None;
                        }
                    }
                    if let Some(from) = original {
                        let minutes = (s - from).abs() / 60;
                        cost += w.moving(m.tier)
                            + if m.own { 0 } else { w.counter }
                            + w.per_attendee * i64::from(m.attendee_count())
                            + w.per_hour_moved * ((minutes + 59) / 60)
                            + if day_of(s) != day_of(from) { w.other_day } else { 0 }
                            + if m.place.is_some() { w.in_person } else { 0 };
                    }
                }
                if !m.personal {
                    if let Some(day) = day_of(s).map(|d| &instance.days[d]) {
                        let inside = |a: DateTime<Utc>, b: DateTime<Utc>| seconds(a) <= s && e <= seconds(b);
                        let touches = |a: DateTime<Utc>, b: DateTime<Utc>| seconds(a) < e && s < seconds(b);
                        if !day.work.is_some_and(|wk| inside(wk.start, wk.end)) {
                            cost += w.outside_hours;
                        }
                        if day.no_meetings {
                            cost += w.no_meeting_day;
                        }
                        if day.lunch.is_some_and(|l| touches(l.start, l.end)) {
                            cost += w.lunch;
                        }
                        cost += w.focus * day.focus.iter().filter(|f| touches(f.start, f.end)).count() as i64;
                    }
                }
                for p in &m.optional {
                    if busy.get(p.as_str()).is_some_and(|b| b.iter().any(|&(bs, be)| bs < e && s < be)) {
                        cost += w.optional_busy;
                    }
                }
                Some(cost)
            };
            let spread = i64::from(options.spread_minutes) * 60;
            let forbidden = |p: Placement| {
                options.forbid.iter().any(|&(k, q)| {
                    k == i
                        && match (p, q) {
                            (Placement::At { start: a }, Placement::At { start: b }) => {
                                (a - b).num_seconds().abs() <= spread
                            }
                            _ => p == q,
                        }
                })
            };
            let cap_day = |s: i64| if m.personal { usize::MAX } else { day_of(s).unwrap_or(usize::MAX) };
            if options.leave_out.contains(&i) {
                let out = Choice { start: NONE, cost: w.unplacing(m.tier), day: usize::MAX, stay: false };
                vars.push(Var { meeting: i, choices: vec![out], length: len, place: place[i], neighbours: Vec::new() });
                continue;
            }
            let mut choices = Vec::new();
            if let Some(s) = original {
                let here = Placement::At { start: m.start.expect("has a start") };
                if !options.forbid.iter().any(|&(k, q)| k == i && (q == Placement::Stays || q == here)) {
                    if let Some(cost) = placed_cost(s, false) {
                        choices.push(Choice { start: s, cost, day: cap_day(s), stay: true });
                    }
                }
            }
            for (d, day) in instance.days.iter().enumerate() {
                let Some(work) = day.work.filter(|_| !day.no_meetings) else { continue };
                let mut from = seconds(work.start).max(freeze);
                let mut to = seconds(work.end) - len;
                if let Some(win) = m.window {
                    from = from.max(seconds(win.start));
                    to = to.min(seconds(win.end) - len);
                }
                let mut s = from.div_euclid(grid) * grid;
                if s < from {
                    s += grid;
                }
                while s <= to {
                    let at = Placement::At { start: DateTime::from_timestamp(s, 0).expect("in range") };
                    if Some(s) != original && !forbidden(at) {
                        if let Some(cost) = placed_cost(s, true) {
                            debug_assert_eq!(day_of(s), Some(d));
                            choices.push(Choice { start: s, cost, day: cap_day(s), stay: false });
                        }
                    }
                    s += grid;
                }
            }
            // Forbidding everything would leave no plan at all: leaving out always remains.
            if !forbidden(Placement::Unplaced) || choices.is_empty() {
                choices.push(Choice { start: NONE, cost: w.unplacing(m.tier), day: usize::MAX, stay: false });
            }
            // Cheapest first; among equals: staying, the nearest start, and then later rather
            // than earlier (a meeting pulled forward can leave attendees without time to
            // prepare); a new meeting takes the earliest.
            choices.sort_by_key(|c| {
                let placed = c.start != NONE;
                let distance = original.filter(|_| placed).map_or(0, |o| (c.start - o).abs());
                let direction = if original.is_some() && placed { -c.start } else { c.start };
                (c.cost, !c.stay, c.start == NONE, distance, direction)
            });
            vars.push(Var { meeting: i, choices, length: len, place: place[i], neighbours: Vec::new() });
        }
        for a in 0..vars.len() {
            let ma = &instance.meetings[vars[a].meeting];
            let neighbours: Vec<usize> =
                (0..vars.len()).filter(|&b| b != a && shares(ma, &instance.meetings[vars[b].meeting])).collect();
            vars[a].neighbours = neighbours;
        }
        Model {
            vars,
            travel,
            buffer,
            buffer_weight: w.buffer,
            over_cap: w.over_cap,
            caps: instance.days.iter().map(|d| d.max_meetings.map(i64::from)).collect(),
            base,
        }
    }

    /// The cost two movable meetings add as a pair, or none when they cannot be so placed.
    fn pair(&self, a: usize, ca: &Choice, b: usize, cb: &Choice) -> Option<i64> {
        if ca.start == NONE || cb.start == NONE {
            return Some(0);
        }
        let (ea, eb) = (ca.start + self.vars[a].length, cb.start + self.vars[b].length);
        if ca.start < eb && cb.start < ea {
            return None;
        }
        let gap = (cb.start - ea).max(ca.start - eb);
        if matches!((self.vars[a].place, self.vars[b].place), (Some(x), Some(y)) if x != y) && gap < self.travel {
            return None;
        }
        Some(if gap < self.buffer { self.buffer_weight } else { 0 })
    }

    /// What adding one more meeting to day `d` costs, with `count` already there.
    fn cap_step(&self, d: usize, count: i64) -> i64 {
        match self.caps.get(d).copied().flatten() {
            Some(cap) if count >= cap => self.over_cap,
            _ => 0,
        }
    }
}

/// The local search's state: a choice per variable and the meetings counted per day.
struct State<'m> {
    model: &'m Model,
    pick: Vec<usize>,
    counts: Vec<i64>,
    steps: u64,
    limit: u64,
}

impl<'m> State<'m> {
    fn new(model: &'m Model, limit: u64) -> State<'m> {
        // Every meeting where it is when it can stay, otherwise out.
        let pick: Vec<usize> = model
            .vars
            .iter()
            .map(|v| v.choices.iter().position(|c| c.stay).unwrap_or_else(|| unplaced_index(v)))
            .collect();
        let mut s = State { model, pick, counts: model.base.clone(), steps: 0, limit };
        for (v, &k) in s.pick.iter().enumerate() {
            let d = model.vars[v].choices[k].day;
            if d != usize::MAX {
                s.counts[d] += 1;
            }
        }
        s
    }

    fn choice(&self, v: usize) -> &'m Choice {
        &self.model.vars[v].choices[self.pick[v]]
    }

    fn out_of_steps(&self) -> bool {
        self.steps >= self.limit
    }

    /// What variable `v` costs at choice `k` with everything else as it is, or none when
    /// that clashes. Counts `v` itself out of its current day.
    fn local(&mut self, v: usize, k: usize) -> Option<i64> {
        self.steps += 1;
        let m = self.model;
        let c = &m.vars[v].choices[k];
        let mut cost = c.cost;
        for &n in &m.vars[v].neighbours {
            cost += m.pair(v, c, n, self.choice(n))?;
        }
        if c.day != usize::MAX {
            let here = if self.choice(v).day == c.day { 1 } else { 0 };
            cost += m.cap_step(c.day, self.counts[c.day] - here);
        }
        Some(cost)
    }

    /// The current cost of `v` (it may clash: then `i64::MAX`).
    fn current(&mut self, v: usize) -> i64 {
        self.local(v, self.pick[v]).unwrap_or(i64::MAX)
    }

    fn set(&mut self, v: usize, k: usize) {
        let old = self.choice(v).day;
        if old != usize::MAX {
            self.counts[old] -= 1;
        }
        self.pick[v] = k;
        let new = self.choice(v).day;
        if new != usize::MAX {
            self.counts[new] += 1;
        }
    }

    /// The best choice for `v` with the rest as it is, stopping once options cannot beat
    /// `bound` (they are sorted by their own cost, and nothing else is negative).
    fn best(&mut self, v: usize, bound: i64) -> Option<(usize, i64)> {
        let mut best: Option<(usize, i64)> = None;
        for k in 0..self.model.vars[v].choices.len() {
            let own = self.model.vars[v].choices[k].cost;
            let limit = best.map_or(bound, |(_, c)| c.min(bound));
            if own >= limit || self.out_of_steps() {
                break;
            }
            if let Some(c) = self.local(v, k) {
                if c < limit {
                    best = Some((k, c));
                }
            }
        }
        best
    }

    fn total(&self) -> i64 {
        let m = self.model;
        let mut cost = 0;
        for v in 0..m.vars.len() {
            cost += self.choice(v).cost;
            for &n in m.vars[v].neighbours.iter().filter(|&&n| n > v) {
                cost += m.pair(v, self.choice(v), n, self.choice(n)).unwrap_or(i64::MAX / 4);
            }
        }
        for (d, &count) in self.counts.iter().enumerate() {
            if let Some(cap) = m.caps[d] {
                let before = m.base[d];
                cost += m.over_cap * ((count - cap).max(0) - (before - cap).max(0));
            }
        }
        cost
    }
}

fn unplaced_index(v: &Var) -> usize {
    v.choices.iter().position(|c| c.start == NONE).unwrap_or(0)
}

/// How much it hurts to move a variable: the cheaper to move, the sooner it gives way.
fn rigidity(instance: &Instance, v: &Var) -> (i64, usize) {
    let m = &instance.meetings[v.meeting];
    let w = &instance.weights;
    (w.moving(m.tier) + w.per_attendee * i64::from(m.attendee_count()) + if m.own { 0 } else { w.counter }, v.meeting)
}

/// Everything where it is now, and new meetings not yet placed.
pub fn status_quo(instance: &Instance) -> Vec<Placement> {
    instance.meetings.iter().map(|m| if m.start.is_some() { Placement::Stays } else { Placement::Unplaced }).collect()
}

/// Solves the instance within the options' step budget.
pub fn solve(instance: &Instance, options: &Options) -> Plan {
    // Meetings kept are fixed for the checker too: a clash between two of them is not the
    // plan's to resolve.
    let kept;
    let instance = if options.keep.is_empty() {
        instance
    } else {
        let mut copy = instance.clone();
        for &i in &options.keep {
            if let Some(m) = copy.meetings.get_mut(i).filter(|m| m.start.is_some()) {
                m.fixed = true;
            }
        }
        kept = copy;
        &kept
    };
    let model = Model::compile(instance, options);
    let status_quo = evaluate(instance, &status_quo(instance));
    let mut state = State::new(&model, options.steps);
    let n = model.vars.len();

    // Take the more flexible meeting out of every clash.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&v| std::cmp::Reverse(rigidity(instance, &model.vars[v])));
    for &v in &order {
        if state.choice(v).start == NONE {
            continue;
        }
        let clashes: Vec<usize> = model.vars[v]
            .neighbours
            .iter()
            .copied()
            .filter(|&u| model.pair(v, state.choice(v), u, state.choice(u)).is_none())
            .collect();
        for u in clashes {
            // `v` is at least as rigid as anything later in the order.
            let loser = if rigidity(instance, &model.vars[u]) < rigidity(instance, &model.vars[v]) { u } else { v };
            if state.choice(loser).start != NONE {
                state.set(loser, unplaced_index(&model.vars[loser]));
            }
            if loser == v {
                break;
            }
        }
    }
    // Put them back, most rigid first.
    for &v in &order {
        if state.choice(v).start == NONE {
            let now = state.current(v);
            if let Some((k, _)) = state.best(v, now) {
                state.set(v, k);
            }
        }
    }
    improve(&mut state, &order);

    // Exact over everything when it is small enough: proves the plan or beats it.
    let mut optimal = false;
    if n <= EXACT_LIMIT && !state.out_of_steps() {
        let all: Vec<usize> = order.clone();
        let (found, complete) = exact(&mut state, &all);
        if let Some(picks) = found {
            for (&v, &k) in all.iter().zip(&picks) {
                state.set(v, k);
            }
        }
        optimal = complete;
    }
    // Every meeting at its cheapest option with nothing between them: nothing can do better.
    if state.total() == model.vars.iter().map(|v| v.choices[0].cost).sum::<i64>() {
        optimal = true;
    }

    let mut placements: Vec<Placement> = vec![Placement::Stays; instance.meetings.len()];
    for (v, var) in model.vars.iter().enumerate() {
        let c = state.choice(v);
        placements[var.meeting] = if c.stay {
            Placement::Stays
        } else if c.start == NONE {
            Placement::Unplaced
        } else {
            Placement::At { start: DateTime::from_timestamp(c.start, 0).expect("in range") }
        };
    }
    let steps = state.steps;
    let mut evaluation = evaluate(instance, &placements);
    if !evaluation.violations.is_empty() {
        // A bug in the search must not reach the calendar: leave the clashing meetings out.
        debug_assert!(false, "the solver broke a hard constraint: {:?}", evaluation.violations);
        for v in &evaluation.violations {
            for id in &v.meetings {
                if let Some(i) = instance.index_of(id).filter(|&i| var_of_meeting(&model, i)) {
                    placements[i] = Placement::Unplaced;
                }
            }
        }
        evaluation = evaluate(instance, &placements);
        optimal = false;
    }
    Plan { placements, evaluation, status_quo, optimal, steps }
}

fn var_of_meeting(model: &Model, meeting: usize) -> bool {
    model.vars.iter().any(|v| v.meeting == meeting)
}

/// Improves until no move helps or the steps run out: relocations, ejection chains and small
/// neighbourhoods solved exactly, in a fixed order.
fn improve(state: &mut State, order: &[usize]) {
    let model = state.model;
    loop {
        let mut better = false;
        for &v in order {
            if state.out_of_steps() {
                return;
            }
            let now = state.current(v);
            if now == 0 {
                continue;
            }
            if let Some((k, _)) = state.best(v, now) {
                state.set(v, k);
                better = true;
                continue;
            }
            // Ejection chain: take a slot one other meeting holds, and move that one on. The
            // change is summed from local costs (each is exactly its change to the total).
            let mut done = false;
            for k in 0..model.vars[v].choices.len() {
                if model.vars[v].choices[k].cost >= now || state.out_of_steps() || done {
                    break;
                }
                let c = &model.vars[v].choices[k];
                let mut blockers = model.vars[v]
                    .neighbours
                    .iter()
                    .copied()
                    .filter(|&u| model.pair(v, c, u, state.choice(u)).is_none());
                let (Some(u), None) = (blockers.next(), blockers.next()) else { continue };
                let (old_v, old_u) = (state.pick[v], state.pick[u]);
                let out = unplaced_index(&model.vars[u]);
                let u_before = state.current(u);
                state.set(u, out);
                let u_out = state.local(u, out).unwrap_or(0);
                let v_before = state.current(v);
                let Some(v_after) = state.local(v, k) else {
                    state.set(u, old_u);
                    continue;
                };
                state.set(v, k);
                let mut u_after = u_out;
                if let Some((ku, cost)) = state.best(u, u_out) {
                    state.set(u, ku);
                    u_after = cost;
                }
                let change = (u_out - u_before) + (v_after - v_before) + (u_after - u_out);
                if change < 0 {
                    better = true;
                    done = true;
                } else {
                    state.set(v, old_v);
                    state.set(u, old_u);
                }
            }
            if done {
                continue;
            }
            // A small neighbourhood solved exactly: this meeting and those it clashes with
            // where it would rather be.
            let mut hood = vec![v];
            if let Some(stay) = model.vars[v].choices.iter().find(|c| c.stay) {
                for &u in &model.vars[v].neighbours {
                    if hood.len() < NEIGHBOURHOOD && model.pair(v, stay, u, state.choice(u)).is_none() {
                        hood.push(u);
                    }
                }
            }
            if hood.len() > 1 {
                if let (Some(picks), _) = exact(state, &hood) {
                    for (&u, &k) in hood.iter().zip(&picks) {
                        state.set(u, k);
                    }
                    better = true;
                }
            }
        }
        if !better {
            return;
        }
    }
}

/// Branch and bound over `subset` with every other variable held where it is. Returns a
/// strictly cheaper assignment of the subset when there is one, and whether the search was
/// complete (so that, with none found, the current one is optimal).
fn exact(state: &mut State, subset: &[usize]) -> (Option<Vec<usize>>, bool) {
    let model = state.model;
    let inside: Vec<bool> = {
        let mut b = vec![false; model.vars.len()];
        for &v in subset {
            b[v] = true;
        }
        b
    };
    // Day counts without the subset.
    let mut counts = state.counts.clone();
    for &v in subset {
        let d = state.choice(v).day;
        if d != usize::MAX {
            counts[d] -= 1;
        }
    }
    // The subset's share of the objective as it is: the bound to beat.
    let mut bound = 0i64;
    {
        let mut c = counts.clone();
        for (i, &v) in subset.iter().enumerate() {
            let ch = state.choice(v);
            bound += ch.cost;
            for &n in &model.vars[v].neighbours {
                let later_inside = inside[n] && subset[..i].contains(&n);
                if !inside[n] || later_inside {
                    bound = bound.saturating_add(model.pair(v, ch, n, state.choice(n)).unwrap_or(i64::MAX / 4));
                }
            }
            if ch.day != usize::MAX {
                bound += model.cap_step(ch.day, c[ch.day]);
                c[ch.day] += 1;
            }
        }
    }
    let mut rest = vec![0i64; subset.len() + 1];
    for i in (0..subset.len()).rev() {
        rest[i] = rest[i + 1] + model.vars[subset[i]].choices[0].cost;
    }
    let mut at = vec![usize::MAX; model.vars.len()];
    for (i, &v) in subset.iter().enumerate() {
        at[v] = i;
    }
    let mut search = Search {
        state,
        subset,
        inside,
        at,
        rest,
        counts,
        pick: vec![0; subset.len()],
        best: bound,
        found: None,
        complete: true,
    };
    search.branch(0, 0);
    (search.found, search.complete)
}

struct Search<'a, 'm> {
    state: &'a mut State<'m>,
    subset: &'a [usize],
    inside: Vec<bool>,
    /// A variable's place in `subset` (for those inside).
    at: Vec<usize>,
    rest: Vec<i64>,
    counts: Vec<i64>,
    pick: Vec<usize>,
    best: i64,
    found: Option<Vec<usize>>,
    complete: bool,
}

impl Search<'_, '_> {
    fn branch(&mut self, i: usize, cost: i64) {
        if i == self.subset.len() {
            if cost < self.best {
                self.best = cost;
                self.found = Some(self.pick.clone());
            }
            return;
        }
        let model = self.state.model;
        let v = self.subset[i];
        for k in 0..model.vars[v].choices.len() {
            let c = &model.vars[v].choices[k];
            if cost + c.cost + self.rest[i + 1] >= self.best {
                break;
            }
            if self.state.out_of_steps() {
                self.complete = false;
                return;
            }
            self.state.steps += 1;
            let mut add = c.cost;
            let mut clash = false;
            match self.with_assigned(i, v, c) {
                Some(p) => add += p,
                None => clash = true,
            }
            if clash {
                continue;
            }
            if c.day != usize::MAX {
                add += model.cap_step(c.day, self.counts[c.day]);
            }
            if cost + add + self.rest[i + 1] >= self.best {
                continue;
            }
            self.pick[i] = k;
            if c.day != usize::MAX {
                self.counts[c.day] += 1;
            }
            // Forward bound: every meeting still to assign must take an option that fits the
            // ones assigned so far; its cheapest such option is a lower bound on what it adds.
            if cost + add + self.forward(i + 1, cost + add) < self.best {
                self.branch(i + 1, cost + add);
            }
            if c.day != usize::MAX {
                self.counts[c.day] -= 1;
            }
        }
    }

    /// What choice `c` of variable `v` (at place `i`) adds in pairs with the variables already
    /// assigned (the subset's before `i`, and everything outside it), or none on a clash.
    fn with_assigned(&self, i: usize, v: usize, c: &Choice) -> Option<i64> {
        let model = self.state.model;
        let mut add = 0;
        for &n in &model.vars[v].neighbours {
            let other = if self.inside[n] {
                let j = self.at[n];
                if j >= i {
                    continue;
                }
                &model.vars[n].choices[self.pick[j]]
            } else {
                self.state.choice(n)
            };
            add += model.pair(v, c, n, other)?;
        }
        Some(add)
    }

    /// A lower bound on what the variables from place `from` on add, given those before it;
    /// stops early once `base` plus the bound reaches the best known.
    fn forward(&mut self, from: usize, base: i64) -> i64 {
        let model = self.state.model;
        let mut sum = 0;
        for j in from..self.subset.len() {
            let v = self.subset[j];
            let mut least = i64::MAX;
            // One step per meeting bounded: the scan usually stops at its first options.
            self.state.steps += 1;
            for c in &model.vars[v].choices {
                if c.cost >= least || base + sum + c.cost >= self.best {
                    break;
                }
                if let Some(p) = self.with_assigned(from, v, c) {
                    // A day already at its cap stays at least that full.
                    let cap = if c.day == usize::MAX { 0 } else { model.cap_step(c.day, self.counts[c.day]) };
                    least = least.min(c.cost + p + cap);
                }
            }
            // Nothing cheap enough fits: this branch cannot beat the best.
            if least == i64::MAX {
                return i64::MAX / 4;
            }
            sum += least;
            if base + sum >= self.best {
                return sum;
            }
        }
        sum
    }
}

#[cfg(test)]
mod tests;
