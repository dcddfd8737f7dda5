//! The invitation fixtures (`fixtures/invitations/`): each invitation, as a real client writes
//! it, must get the decision in its `.expected.json` from `rules.toml`, both on files alone
//! (`tandem rules check --profile`) and when the whole week of them is imported into a store,
//! where each decision is acted on: the replies wait in the outbox, and one can be undone.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use serde::Deserialize;
use tandem_api::Tandem;
use tandem_tests::{files_with_suffix, fixtures};

#[derive(Deserialize, Debug, PartialEq)]
struct Expected {
    action: String,
    rule: Option<String>,
    reason: String,
    tier: Option<String>,
    proposed_start: Option<String>,
    proposed_end: Option<String>,
}

fn dir() -> PathBuf {
    fixtures().join("invitations")
}

fn now() -> DateTime<Utc> {
    "2026-11-24T14:00:00Z".parse().unwrap()
}

fn read(name: &str) -> String {
    std::fs::read_to_string(dir().join(name)).unwrap()
}

fn invites() -> Vec<(PathBuf, Expected)> {
    let list: Vec<(PathBuf, Expected)> = files_with_suffix(&dir().join("invites"), ".ics")
        .into_iter()
        .map(|p| {
            let expected = p.with_extension("expected.json");
            let text = std::fs::read_to_string(&expected).unwrap_or_else(|e| panic!("{}: {e}", expected.display()));
            (p, serde_json::from_str(&text).unwrap())
        })
        .collect();
    assert!(list.len() >= 9, "invitation fixtures are missing");
    list
}

#[test]
fn every_invitation_fixture_gets_its_expected_decision_on_files_alone() {
    let calendar = vec![("calendar".to_string(), read("calendar.ics"))];
    let mut actions = std::collections::BTreeSet::new();
    for (path, expected) in invites() {
        let invite = std::fs::read_to_string(&path).unwrap();
        let check = tandem_api::rules::check_invitation_files(
            &read("profile.toml"),
            &read("rules.toml"),
            &calendar,
            &invite,
            now(),
        )
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let got = Expected {
            action: check.action.clone(),
            rule: check.rule.clone(),
            reason: check.reason.clone(),
            tier: check.tier.clone(),
            proposed_start: check.proposed_start.clone(),
            proposed_end: check.proposed_end.clone(),
        };
        assert_eq!(got, expected, "{}", path.display());
        // Every decision but a hold sends something; a hold sends nothing.
        assert_eq!(check.replies.is_empty(), check.action == "hold_for_review", "{}", path.display());
        actions.insert(check.action);
    }
    let all = ["accept", "counter_propose", "decline", "delegate", "hold_for_review", "tentative"];
    assert_eq!(actions.into_iter().collect::<Vec<_>>(), all, "the fixtures cover every action");
}

#[test]
fn a_week_of_invitations_imported_is_decided_as_on_files_with_replies_queued_and_one_undone() {
    let data = tempfile::tempdir().unwrap();
    let mut t = Tandem::open(Some(data.path().to_path_buf())).unwrap();
    t.save_profile(&read("profile.toml")).unwrap();
    t.save_rules(None, &read("rules.toml"), now()).unwrap();
    let mut files = vec![dir().join("calendar.ics")];
    let fixtures = invites();
    files.extend(fixtures.iter().map(|(p, _)| p.clone()));
    let report = t.import_files(None, &files, now()).unwrap();
    for f in &report.files {
        assert!(f.error.is_none() && f.problems.is_empty(), "{}: {:?} {:?}", f.source, f.error, f.problems);
    }
    assert_eq!(report.decided.len(), fixtures.len());

    let queue = t.invitation_queue(None).unwrap();
    let all: Vec<_> = queue.held.iter().chain(&queue.decided).collect();
    assert_eq!(all.len(), fixtures.len());
    assert!(queue.pending.is_empty() && queue.answered.is_empty());
    for (path, expected) in &fixtures {
        let uid_hint = path.file_stem().unwrap().to_string_lossy().to_string();
        let summary = tandem_formats::ics::parse_calendar(&std::fs::read_to_string(path).unwrap()).unwrap().events[0]
            .event
            .summary
            .clone();
        let inv = all.iter().find(|i| i.summary == summary).unwrap_or_else(|| panic!("{uid_hint} not in the queue"));
        let d = inv.decision.as_ref().unwrap();
        assert_eq!(
            (d.action.as_str(), d.rule.as_ref()),
            (expected.action.as_str(), expected.rule.as_ref()),
            "{uid_hint}"
        );
    }

    // Replies wait in the outbox: one per decision, two for the delegation (the reply to the
    // organiser and the invitation passed to the delegate), none for holds.
    let outbox = t.outbox(None).unwrap();
    let sending: usize = fixtures
        .iter()
        .map(|(_, e)| match e.action.as_str() {
            "hold_for_review" => 0,
            "delegate" => 2,
            _ => 1,
        })
        .sum();
    assert_eq!(outbox.len(), sending);
    assert!(outbox.iter().all(|o| o.state == "queued" && o.send_after.as_str() > "2026-11-24T14:10:00Z"));

    // The declined drinks are undone: the reply is taken back, Dana's answer in the calendar is
    // "not answered" again, and the invitation waits for the EP.
    let drinks = queue.decided.iter().find(|i| i.summary == "Team drinks").unwrap();
    let decision = drinks.decision.as_ref().unwrap();
    assert!(decision.undoable);
    let undone = t.undo_decision(None, decision.id, now()).unwrap();
    assert!(undone.undone_at.is_some() && !undone.undoable);
    assert_eq!(undone.outbox.iter().map(|o| o.state.as_str()).collect::<Vec<_>>(), ["cancelled"]);
    let after = t.invitation_queue(None).unwrap();
    assert!(after.held.iter().any(|i| i.summary == "Team drinks"));
    let friday = t.calendar_range(None, chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(), 1).unwrap();
    let drinks_item = friday.items.iter().find(|i| i.summary == "Team drinks").unwrap();
    assert_eq!(drinks_item.response.as_deref(), Some("needs_action"));
    // The accepted board committee shows as accepted on its day.
    let wednesday = t.calendar_range(None, chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(), 1).unwrap();
    let audit = wednesday.items.iter().find(|i| i.summary == "Audit committee").unwrap();
    assert_eq!(audit.response.as_deref(), Some("accepted"));
    // The audit log has the decision, its undo, and reads by rule.
    let log = t.decisions(None, None, Some("Protect Friday afternoons"), None, None).unwrap();
    assert_eq!(log.len(), 1);
    assert!(t.decisions(None, Some("hold_for_review"), Some("person"), Some("drinks"), None).unwrap()[0]
        .reason
        .starts_with("Undone by the EP (was: Declined: Friday after 13:00 is protected"));
}
