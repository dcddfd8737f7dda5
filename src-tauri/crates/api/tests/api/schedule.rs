//! The scheduler on the demo week: every clash gets a proposal, explained, with alternatives.

use super::{day, now, open_demo};

#[test]
fn every_clash_of_the_demo_week_gets_an_explained_proposal_and_the_plan_is_the_same_every_time() {
    let (_d, t) = open_demo();
    let plan = t.schedule(None, day("2026-11-23"), 7, now()).unwrap();
    assert_eq!(plan, t.schedule(None, day("2026-11-23"), 7, now()).unwrap());
    assert!(plan.clashes >= 3, "{plan:#?}");
    let moved: Vec<&str> = plan.proposals.iter().flat_map(|p| &p.moves).map(|m| m.summary.as_str()).collect();
    // The Tuesday afternoon pile-up: the school run cannot move, so the vendor demo on top of
    // it is countered; of the 1:1 and the audit prep, the executive's own 1:1 is the cheaper
    // to move (the audit prep would be a counter-proposal).
    let p1 = &plan.proposals[0];
    assert!(p1.resolves.iter().any(|r| r.contains("'1:1 Priya / Dana'") && r.contains("overlap")), "{p1:#?}");
    let demo = p1.moves.iter().find(|m| m.summary == "Acme Analytics: platform demo").expect("the demo moves");
    assert_eq!(demo.action, "counter", "it is someone else's meeting");
    assert!(
        demo.reason.contains("'School pickup' (the executive's own time) needs Tue 24 Nov 15:30"),
        "{}",
        demo.reason
    );
    let one_to_one = p1.moves.iter().find(|m| m.summary == "1:1 Priya / Dana").expect("the 1:1 moves");
    assert_eq!(one_to_one.action, "move");
    assert!(
        one_to_one.reason.contains("'Audit committee prep' (P2, 3 attendees, costlier to move)"),
        "{}",
        one_to_one.reason
    );
    assert!(!p1.alternatives.is_empty());
    // A dinner at a restaurant is not moved to the afternoon: the late review gives way.
    let p2 = plan.proposals.iter().find(|p| p.resolves.iter().any(|r| r.contains("Dinner"))).unwrap();
    assert_eq!(p2.moves[0].summary, "Sales pipeline review (moved)", "{p2:#?}");
    // Personal entries (the school run, a flight) and the past stay put.
    assert!(!moved.contains(&"School pickup") && !moved.iter().any(|s| s.starts_with("Flight")), "{moved:?}");
    for m in plan.proposals.iter().flat_map(|p| p.moves.iter().chain(p.alternatives.iter().flat_map(|a| &a.moves))) {
        let from: chrono::DateTime<chrono::Utc> = m.from.parse().unwrap();
        assert!(from >= now() + chrono::Duration::hours(2), "{} starts too soon to move", m.summary);
        assert!(!m.reason.is_empty());
    }
    // The Monday clash is over: not something to act on.
    assert!(plan.fixed_clashes.iter().all(|c| !c.contains("Mon 23 Nov")), "{:?}", plan.fixed_clashes);
}

#[test]
fn a_day_without_clashes_has_nothing_to_propose() {
    let (_d, t) = open_demo();
    let plan = t.schedule(None, day("2026-11-25"), 1, now()).unwrap();
    assert_eq!(plan.clashes, 0, "{plan:#?}");
    assert!(plan.proposals.iter().all(|p| p.moves.iter().all(|m| !m.reason.is_empty())));
}
