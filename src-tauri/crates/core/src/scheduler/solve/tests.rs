use chrono::{DateTime, Duration, Utc};
use proptest::prelude::*;

use super::*;
use crate::scheduler::check::evaluate;
use crate::scheduler::instance::{Day, Focus, Instance, InstanceMeeting, Person, Span, Weights};
use crate::tier::Tier;

fn t(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn day(date: &str) -> Day {
    let start = t(&format!("{date}T00:00:00Z"));
    Day {
        date: start.date_naive(),
        start,
        end: start + Duration::days(1),
        work: Some(Span { start: start + Duration::hours(9), end: start + Duration::hours(17) }),
        lunch: Some(Span { start: start + Duration::hours(12), end: start + Duration::hours(13) }),
        focus: vec![],
        no_meetings: false,
        max_meetings: None,
    }
}

fn meeting(id: &str, start: Option<&str>, minutes: u32, tier: Tier, required: &[&str]) -> InstanceMeeting {
    InstanceMeeting {
        id: id.into(),
        summary: id.into(),
        start: start.map(t),
        duration_minutes: minutes,
        tier,
        own: true,
        fixed: false,
        personal: false,
        required: required.iter().map(|s| s.to_string()).collect(),
        optional: vec![],
        window: None,
        place: None,
        attendees: None,
    }
}

fn instance(days: Vec<Day>, meetings: Vec<InstanceMeeting>) -> Instance {
    Instance {
        version: 1,
        now: t("2026-11-23T08:00:00Z"),
        grid_minutes: 30,
        freeze_hours: 0,
        travel_minutes: 30,
        buffer_minutes: 0,
        days,
        people: vec![],
        meetings,
        weights: Weights::default(),
    }
}

#[test]
fn the_flexible_meeting_gives_way_to_the_fixed_one_and_moves_as_little_as_it_can() {
    let i = instance(
        vec![day("2026-11-24")],
        vec![
            meeting("board prep", Some("2026-11-24T10:00:00Z"), 60, Tier::P0, &["exec"]),
            meeting("1:1 head of sales", Some("2026-11-24T10:00:00Z"), 30, Tier::P2, &["exec", "sales"]),
        ],
    );
    let plan = solve(&i, &Options::default());
    assert!(plan.evaluation.violations.is_empty());
    assert_eq!(plan.status_quo.violations.len(), 1);
    assert_eq!(plan.placements[0], Placement::Stays);
    // The nearest free start: ending as the board prep begins.
    assert_eq!(plan.placements[1], Placement::At { start: t("2026-11-24T09:30:00Z") });
    assert!(plan.optimal);
}

#[test]
fn a_meeting_with_nowhere_to_go_is_left_out_rather_than_double_booked() {
    let mut d = day("2026-11-24");
    d.work = Some(Span { start: t("2026-11-24T10:00:00Z"), end: t("2026-11-24T11:00:00Z") });
    let i = instance(
        vec![d],
        vec![
            meeting("board", Some("2026-11-24T10:00:00Z"), 60, Tier::P0, &["exec"]),
            meeting("sync", Some("2026-11-24T10:00:00Z"), 60, Tier::P3, &["exec"]),
        ],
    );
    let plan = solve(&i, &Options::default());
    assert_eq!(plan.placements[1], Placement::Unplaced);
    assert!(plan.evaluation.violations.is_empty());
    assert_eq!(plan.evaluation.terms.unplaced, i.weights.unplaced_p3);
}

#[test]
fn of_two_clashing_meetings_the_cheaper_to_move_is_the_one_that_moves() {
    let i = instance(
        vec![day("2026-11-24")],
        vec![
            meeting("customer", Some("2026-11-24T14:00:00Z"), 60, Tier::P1, &["exec", "c1", "c2"]),
            meeting("catch-up", Some("2026-11-24T14:00:00Z"), 30, Tier::P3, &["exec"]),
        ],
    );
    let plan = solve(&i, &Options::default());
    assert_eq!(plan.placements[0], Placement::Stays);
    assert!(matches!(plan.placements[1], Placement::At { .. }));
}

#[test]
fn nothing_moves_inside_the_freeze_or_into_someones_known_busy_time() {
    let mut i = instance(
        vec![day("2026-11-24")],
        vec![
            meeting("a", Some("2026-11-24T09:00:00Z"), 60, Tier::P2, &["exec"]),
            meeting("b", Some("2026-11-24T09:00:00Z"), 60, Tier::P3, &["exec", "ann"]),
        ],
    );
    i.now = t("2026-11-24T08:00:00Z");
    i.freeze_hours = 3; // moves from 11:00
    i.people.push(Person {
        id: "ann".into(),
        name: None,
        busy: vec![Span { start: t("2026-11-24T11:00:00Z"), end: t("2026-11-24T13:30:00Z") }],
    });
    let plan = solve(&i, &Options::default());
    assert!(plan.evaluation.violations.is_empty(), "{:?}", plan.evaluation);
    // 'a' and 'b' are both inside the freeze (09:00 < 11:00): fixed; their clash is reported.
    assert_eq!(plan.placements, vec![Placement::Stays, Placement::Stays]);
    assert_eq!(plan.evaluation.fixed_clashes.len(), 1);
    i.freeze_hours = 0;
    i.now = t("2026-11-24T08:00:00Z") - Duration::hours(20);
    let plan = solve(&i, &Options::default());
    assert_eq!(plan.placements[0], Placement::Stays);
    assert_eq!(plan.placements[1], Placement::At { start: t("2026-11-24T10:00:00Z") });
    i.meetings[1].window = Some(Span { start: t("2026-11-24T10:30:00Z"), end: t("2026-11-24T17:00:00Z") });
    let plan = solve(&i, &Options::default());
    assert_eq!(plan.placements[1], Placement::At { start: t("2026-11-24T13:30:00Z") }, "after ann's busy time");
}

#[test]
fn a_forbidden_placement_gives_the_next_best_plan() {
    let i = instance(
        vec![day("2026-11-24")],
        vec![
            meeting("board", Some("2026-11-24T10:00:00Z"), 60, Tier::P0, &["exec"]),
            meeting("1:1", Some("2026-11-24T10:00:00Z"), 30, Tier::P2, &["exec"]),
        ],
    );
    let first = solve(&i, &Options::default());
    let options = Options { forbid: vec![(1, first.placements[1])], ..Options::default() };
    let second = solve(&i, &options);
    assert_ne!(second.placements[1], first.placements[1]);
    assert!(second.evaluation.objective >= first.evaluation.objective);
    assert!(second.evaluation.violations.is_empty());
}

#[test]
fn a_meeting_left_out_of_the_search_stays_unplaced_even_with_time_free() {
    let i = instance(
        vec![day("2026-11-24")],
        vec![
            meeting("kept", Some("2026-11-24T10:00:00Z"), 60, Tier::P2, &["exec"]),
            meeting("new", None, 30, Tier::P2, &["exec"]),
        ],
    );
    assert!(matches!(solve(&i, &Options::default()).placements[1], Placement::At { .. }));
    let plan = solve(&i, &Options { leave_out: vec![1], ..Options::default() });
    assert_eq!(plan.placements, [Placement::Stays, Placement::Unplaced]);
    assert!(plan.evaluation.violations.is_empty());
}

#[test]
fn the_same_instance_gives_the_same_plan_every_time() {
    let i = generated(7, 40);
    let a = solve(&i, &Options::default());
    let b = solve(&i, &Options::default());
    assert_eq!(a, b);
    assert!(a.evaluation.violations.is_empty());
    assert!(a.evaluation.objective <= a.status_quo.objective || !a.status_quo.violations.is_empty());
}

#[test]
fn a_tiny_budget_still_returns_a_plan_that_breaks_nothing() {
    let i = generated(3, 60);
    let plan = solve(&i, &Options { steps: 50, ..Options::default() });
    assert!(plan.evaluation.violations.is_empty(), "{:?}", plan.evaluation.violations);
    assert!(!plan.optimal);
}

/// A week of meetings on a 30-minute grid, overlapping where the random numbers say.
fn generated(seed: u64, n: usize) -> Instance {
    let mut x = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    let mut next = |m: u64| {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (x >> 33) % m
    };
    let days: Vec<Day> = (0..5).map(|d| day(&format!("2026-11-{}", 23 + d))).collect();
    let people = ["exec", "ann", "bob", "cy"];
    let meetings = (0..n)
        .map(|k| {
            let d = next(5);
            let start = days[d as usize].start + Duration::minutes(8 * 60 + 30 * next(20) as i64);
            let tier = [Tier::P0, Tier::P1, Tier::P2, Tier::P3][next(4) as usize];
            let mut m = meeting(&format!("m{k}"), None, [30, 60, 90][next(3) as usize], tier, &["exec"]);
            m.start = Some(start);
            if next(2) == 0 {
                m.required.push(people[1 + next(3) as usize].into());
            }
            m.own = next(3) != 0;
            m
        })
        .collect();
    let mut i = instance(days, meetings);
    i.now = t("2026-11-20T00:00:00Z");
    i
}

/// Every plan the instance allows, priced by the checker: the optimum by enumeration.
fn brute_force(i: &Instance) -> i64 {
    let candidates: Vec<Vec<Placement>> = i
        .meetings
        .iter()
        .map(|m| {
            let mut c = vec![Placement::Unplaced];
            if m.start.is_some() {
                c.push(Placement::Stays);
            }
            for d in &i.days {
                let mut s = d.start;
                while s < d.end {
                    c.push(Placement::At { start: s });
                    s += Duration::minutes(i64::from(i.grid_minutes));
                }
            }
            c
        })
        .collect();
    let mut best = i64::MAX;
    let mut pick = vec![0usize; candidates.len()];
    loop {
        let plan: Vec<Placement> = pick.iter().zip(&candidates).map(|(&k, c)| c[k]).collect();
        let e = evaluate(i, &plan);
        if e.violations.is_empty() {
            best = best.min(e.objective);
        }
        let mut k = 0;
        loop {
            if k == pick.len() {
                return best;
            }
            pick[k] += 1;
            if pick[k] < candidates[k].len() {
                break;
            }
            pick[k] = 0;
            k += 1;
        }
    }
}

fn small_instance() -> impl Strategy<Value = Instance> {
    let one = (
        0u32..10,
        prop::sample::select(vec![60u32, 120]),
        0usize..4,
        any::<bool>(),
        0usize..4,
        0usize..3,
        any::<bool>(),
    );
    (prop::collection::vec(one, 1..4), 0u32..3, any::<bool>(), any::<bool>(), any::<bool>()).prop_map(
        |(ms, cap, buffer, focus, busy)| {
            let mut d = day("2026-11-24");
            // Short days on an hourly grid keep the enumeration small.
            d.start = t("2026-11-24T06:00:00Z");
            d.end = t("2026-11-24T18:00:00Z");
            d.max_meetings = (cap > 0).then_some(cap);
            if focus {
                d.focus.push(Focus {
                    start: t("2026-11-24T15:00:00Z"),
                    end: t("2026-11-24T17:00:00Z"),
                    label: "deep".into(),
                });
            }
            let people = ["exec", "ann", "bob"];
            let places = [None, Some("HQ"), Some("Client")];
            let meetings = ms
                .into_iter()
                .enumerate()
                .map(|(k, (hour, minutes, tier, own, who, place, new))| {
                    let start = (!new || k == 0).then(|| format!("2026-11-24T{:02}:00:00Z", 7 + hour));
                    let tier = [Tier::P0, Tier::P1, Tier::P2, Tier::P3][tier];
                    let tier = if start.is_none() && tier == Tier::P0 { Tier::P1 } else { tier };
                    let mut m = meeting(&format!("m{k}"), start.as_deref(), minutes, tier, &[people[who % 3]]);
                    if who == 3 {
                        m.required.push("ann".into());
                    }
                    m.optional = if who == 0 { vec!["bob".into()] } else { vec![] };
                    m.own = own;
                    m.place = places[place].map(String::from);
                    m
                })
                .collect();
            let mut i = instance(vec![d], meetings);
            i.grid_minutes = 60;
            i.buffer_minutes = if buffer { 30 } else { 0 };
            if busy {
                i.people.push(Person {
                    id: "ann".into(),
                    name: None,
                    busy: vec![Span { start: t("2026-11-24T10:00:00Z"), end: t("2026-11-24T12:00:00Z") }],
                });
                i.people.push(Person {
                    id: "bob".into(),
                    name: None,
                    busy: vec![Span { start: t("2026-11-24T13:00:00Z"), end: t("2026-11-24T14:00:00Z") }],
                });
            }
            i
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn on_small_instances_the_plan_is_the_optimum_found_by_enumerating_every_plan(i in small_instance()) {
        let plan = solve(&i, &Options::default());
        prop_assert!(plan.evaluation.violations.is_empty(), "{:?}", plan.evaluation.violations);
        prop_assert!(plan.optimal);
        prop_assert_eq!(plan.evaluation.objective, brute_force(&i));
    }
}
