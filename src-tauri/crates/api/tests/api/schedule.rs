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
    assert!(plan.proposals.is_empty() && plan.fixed_clashes.is_empty(), "{plan:#?}");
    assert!(plan.optimal, "staying put is provably best");
    assert_eq!(plan.objective, plan.status_quo_objective);
}

#[test]
fn approving_a_proposal_moves_the_executives_meeting_counters_the_others_and_undo_restores_it_all() {
    let (_d, mut t) = open_demo();
    let plan = t.schedule(None, day("2026-11-23"), 7, now()).unwrap();
    let p1 = plan.proposals[0].clone();
    let one_to_one = p1.moves.iter().find(|m| m.action == "move").unwrap().clone();
    let demo = p1.moves.iter().find(|m| m.action == "counter").unwrap().clone();
    let before = t.outbox(None).unwrap().len();
    let agenda_before = t.calendar_range(None, day("2026-11-24"), 1).unwrap();

    let approval = t.approve_moves(None, &p1.moves, now()).unwrap();
    assert!(approval.can_undo && !approval.undone);
    assert_eq!(approval.outbox.len(), 2, "an update to the 1:1's attendees and a counter-proposal: {approval:#?}");
    let outbox = t.outbox(None).unwrap();
    assert_eq!(outbox.len(), before + 2);
    let kinds: Vec<String> =
        outbox.iter().filter(|o| approval.outbox.contains(&o.id)).map(|o| o.summary.to_lowercase()).collect();
    assert!(kinds.iter().any(|k| k.contains("1:1 priya / dana")), "{kinds:?}");
    assert!(kinds.iter().any(|k| k.contains("acme analytics")), "{kinds:?}");
    // The executive's own meeting moved; the vendor's demo waits for its organiser.
    let agenda = t.calendar_range(None, day("2026-11-24"), 1).unwrap();
    let at = |items: &[tandem_api::dto::AgendaItem], name: &str| {
        items.iter().find(|i| i.summary == name).map(|i| i.start.clone()).unwrap()
    };
    assert_ne!(at(&agenda.items, &one_to_one.summary), at(&agenda_before.items, &one_to_one.summary));
    assert_eq!(at(&agenda.items, &demo.summary), at(&agenda_before.items, &demo.summary));
    // The same approval again finds the 1:1 gone from where the proposal saw it.
    let again = t.approve_moves(None, std::slice::from_ref(&one_to_one), now()).unwrap_err();
    assert_eq!(again.code, tandem_api::ErrorCode::Conflict, "{again}");

    let undone = t.undo_approval(None, approval.id, now()).unwrap();
    assert!(undone.undone && !undone.can_undo);
    let agenda = t.calendar_range(None, day("2026-11-24"), 1).unwrap();
    assert_eq!(at(&agenda.items, &one_to_one.summary), at(&agenda_before.items, &one_to_one.summary));
    let states: Vec<String> =
        t.outbox(None).unwrap().iter().filter(|o| approval.outbox.contains(&o.id)).map(|o| o.state.clone()).collect();
    assert_eq!(states, ["cancelled", "cancelled"]);
    assert_eq!(t.undo_approval(None, approval.id, now()).unwrap_err().code, tandem_api::ErrorCode::Conflict);
    assert_eq!(t.approvals(None).unwrap()[0].id, approval.id);
    // Back where it was, the plan is the same as before.
    assert_eq!(t.schedule(None, day("2026-11-23"), 7, now()).unwrap().proposals[0], p1);
}

#[test]
fn find_a_time_ranks_free_slots_and_checks_another_executives_calendar() {
    let (_d, t) = open_demo();
    let marcus = "marcus.bell@northwind.example".to_string();
    let found = t.find_time(None, std::slice::from_ref(&marcus), &[], 30, day("2026-11-25"), 2, 4, now()).unwrap();
    assert_eq!(found.known, std::slice::from_ref(&marcus), "Marcus is an executive here: his calendar is known");
    assert_eq!(found.slots.len(), 4, "{found:#?}");
    assert!(found.slots.windows(2).all(|w| w[0].cost <= w[1].cost));
    assert!(found.slots[0].reason.contains("everyone required is free then"), "{}", found.slots[0].reason);
    // No slot overlaps anything of Dana's or Marcus's.
    let busy = |exec: &str| {
        let plan = t.calendar_range(Some(exec), day("2026-11-25"), 2).unwrap();
        plan.items.into_iter().filter(|i| !i.all_day && !i.free).map(|i| (i.start, i.end)).collect::<Vec<_>>()
    };
    let parse = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap();
    for exec in [DEMO_DANA, "marcus-bell"] {
        for (s, e) in busy(exec) {
            for slot in &found.slots {
                let clash = parse(&slot.start) < parse(&e) && parse(&s) < parse(&slot.end);
                assert!(!clash, "{} clashes with {exec}'s {s}–{e}", slot.start);
            }
        }
    }
    // Too short or too long is refused.
    assert!(t.find_time(None, &[], &[], 2, day("2026-11-25"), 1, 3, now()).is_err());
}

const DEMO_DANA: &str = tandem_api::demo::DEMO_EXECUTIVE;
