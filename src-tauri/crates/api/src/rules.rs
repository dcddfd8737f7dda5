//! The EP's rules: read, saved (only when valid: the rules in force stay until then), tried on
//! one invitation (`tandem rules check`), and tried on the past (the dry run).

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, Utc};
use tandem_core::decision::DecisionAction;
use tandem_core::invitation::awaits_answer;
use tandem_core::rules::{evaluate, RuleSet};
use tandem_core::{Event, ExecutiveProfile};
use tandem_formats::ics::parse_calendar;
use tandem_formats::itip::write_itip;

use crate::dto::{DryRun, DryRunRow, RuleCheck, RuleFields, RulesDocument};
use crate::error::{ApiError, ErrorCode, Result};
use crate::invitations::{messages_for, rfc3339, rules_window, World};
use crate::Tandem;

/// The longest dry run: a year.
pub const MAX_DRY_RUN_DAYS: u32 = 366;

/// What an executive without rules starts from: nothing decided automatically until the EP
/// writes a rule, and the shape of every kind of rule shown.
pub const STARTING_DOCUMENT: &str = r#"# Invitation rules. The first rule that matches decides; with none, the invitation is held for review.
# Conditions in `when` must all hold; `unless` stops the rule. People: an address, @domain,
# a group of the profile, internal or external. Actions: accept, tentative, decline, counter,
# hold, delegate (delegate_to = "..."), set_priority (tier = "P0".."P3"; evaluation goes on).
#
# [[rule]]
# name = "The board always gets a yes"
# action = "accept"
# when = { organizer = ["board"] }
#
# [[rule]]
# name = "Protect Friday afternoons"
# action = "decline"
# reason = "Friday after 13:00 is protected"
# message = "Friday afternoons are kept for planning; could we find another time?"
# when = { weekdays = ["fri"], time = "13:00-24:00" }
# unless = { organizer = ["vip"] }
#
# [[rule]]
# name = "Clashes with a P0 come to me"
# action = "hold"
# when = { conflicts_with = ["P0"] }
"#;

impl Tandem {
    /// The executive's rules document and its rules as form fields.
    pub fn rules_document(&self, executive: Option<&str>) -> Result<RulesDocument> {
        let profile = self.executive(executive)?;
        let saved = self.store.rules_document(&profile.id, tandem_store::RuleBook::Invitations)?;
        let toml = saved.clone().unwrap_or_else(|| STARTING_DOCUMENT.to_string());
        // A saved document that no longer fits the profile is still shown, to be fixed.
        let rules = RuleSet::from_toml(&toml, &profile).map(|r| fields_of(&r)).unwrap_or_default();
        Ok(document(&profile, toml, saved.is_some(), rules))
    }

    /// Validates and saves a rules document. An invalid one changes nothing: the error names
    /// the rule and the field, and the rules in force stay.
    pub fn save_rules(&mut self, executive: Option<&str>, toml: &str, now: DateTime<Utc>) -> Result<RulesDocument> {
        let profile = self.executive(executive)?;
        let rules = RuleSet::from_toml(toml, &profile)?;
        self.store.save_rules_document(&profile.id, tandem_store::RuleBook::Invitations, toml, now)?;
        tracing::info!(executive = %profile.id, rules = rules.rules.len(), "rules saved");
        Ok(document(&profile, toml.to_string(), true, fields_of(&rules)))
    }

    /// Saves rules edited as form fields: written as the document (the form and a text editor
    /// write the same file) and saved through the one validation.
    pub fn save_rule_fields(
        &mut self,
        executive: Option<&str>,
        rules: &[RuleFields],
        now: DateTime<Utc>,
    ) -> Result<RulesDocument> {
        let profile = self.executive(executive)?;
        let toml = document_of_fields(rules, &profile)?;
        self.save_rules(Some(&profile.id), &toml, now)
    }

    /// The document rules edited as form fields stand for, validated (for a dry run of the
    /// form before saving it).
    pub fn rule_fields_document(&self, executive: Option<&str>, rules: &[RuleFields]) -> Result<String> {
        document_of_fields(rules, &self.executive(executive)?)
    }

    /// What `toml` (else the saved rules) would have decided for the invitations received in
    /// the last `days` days, each judged as of when it arrived, against the calendars as they
    /// are now.
    pub fn dry_run(
        &self,
        executive: Option<&str>,
        toml: Option<&str>,
        days: u32,
        now: DateTime<Utc>,
    ) -> Result<DryRun> {
        if !(1..=MAX_DRY_RUN_DAYS).contains(&days) {
            return Err(ApiError::invalid(format!("{days} days is outside 1..={MAX_DRY_RUN_DAYS}")));
        }
        let profile = self.executive(executive)?;
        let rules = match toml {
            Some(t) => RuleSet::from_toml(t, &profile)?,
            None => self.rule_set(&profile)?,
        };
        let since = now - Duration::days(i64::from(days));
        let invitations = self.store.invitations_since(&profile.id, since)?;
        let zone = profile.home_time_zone;
        let starts: Vec<DateTime<Utc>> = invitations.iter().map(|i| i.invitation.event.start.to_utc(zone)).collect();
        let first = starts.iter().copied().min().unwrap_or(now).min(since);
        let last = starts.iter().copied().max().unwrap_or(now);
        let world = self.world(&profile, &rules, now, first, last)?;
        let mut rows = Vec::new();
        let mut totals: BTreeMap<String, u32> = BTreeMap::new();
        for inv in &invitations {
            let e = &inv.invitation.event;
            let verdict = evaluate(&rules, e, &world.situation(&profile, &e.uid, inv.received_at));
            let current = self.store.standing_decision(inv.id)?;
            let current_action = match inv.state {
                tandem_store::InvitationState::Cancelled => Some("cancelled".to_string()),
                _ => current.as_ref().map(|d| d.decision.action.as_str().to_string()),
            };
            let action = verdict.action.as_str().to_string();
            *totals.entry(action.clone()).or_default() += 1;
            rows.push(DryRunRow {
                invitation_id: inv.id,
                summary: e.summary.clone(),
                organizer: e.organizer.as_ref().map(|o| o.name.clone().unwrap_or_else(|| o.address.clone())),
                view_start: tandem_core::calendar::wall_string(
                    tandem_core::time::local_in(zone, e.start.to_utc(zone)),
                    false,
                ),
                received_at: rfc3339(inv.received_at),
                changed: current_action.as_deref() != Some(action.as_str()),
                current_action,
                current_reason: current.map(|d| d.decision.reason),
                action,
                rule: verdict.rule,
                reason: verdict.reason,
            });
        }
        let changed = rows.iter().filter(|r| r.changed).count() as u32;
        Ok(DryRun { days, rows, changed, totals })
    }

    /// `tandem rules check`: the decision the rules take for one invitation file, and the
    /// replies it would send. Each of the rules, the profile and the calendars comes from the
    /// file given, else from the store.
    pub fn check_invitation(
        &self,
        executive: Option<&str>,
        rules_toml: Option<&str>,
        profile_toml: Option<&str>,
        calendars: Option<&[(String, String)]>,
        invite_ics: &str,
        now: DateTime<Utc>,
    ) -> Result<RuleCheck> {
        let profile = match profile_toml {
            Some(t) => ExecutiveProfile::from_toml(t)?,
            None => self.executive(executive)?,
        };
        let rules = match rules_toml {
            Some(t) => RuleSet::from_toml(t, &profile)?,
            None => self.rule_set(&profile)?,
        };
        let invite = invitation_in(invite_ics, &profile)?;
        let start = invite.start.to_utc(profile.home_time_zone);
        let world = match calendars {
            Some(files) => world_of_files(&profile, &rules, files, now, start)?,
            None => self.world(&profile, &rules, now, start, start)?,
        };
        Ok(check(&profile, &rules, &world, &invite, now))
    }
}

/// [`Tandem::check_invitation`] on files alone, without a store.
pub fn check_invitation_files(
    profile_toml: &str,
    rules_toml: &str,
    calendars: &[(String, String)],
    invite_ics: &str,
    now: DateTime<Utc>,
) -> Result<RuleCheck> {
    let profile = ExecutiveProfile::from_toml(profile_toml)?;
    let rules = RuleSet::from_toml(rules_toml, &profile)?;
    let invite = invitation_in(invite_ics, &profile)?;
    let world = world_of_files(&profile, &rules, calendars, now, invite.start.to_utc(profile.home_time_zone))?;
    Ok(check(&profile, &rules, &world, &invite, now))
}

fn check(profile: &ExecutiveProfile, rules: &RuleSet, world: &World, invite: &Event, now: DateTime<Utc>) -> RuleCheck {
    let verdict = evaluate(rules, invite, &world.situation(profile, &invite.uid, now));
    let me = crate::outgoing::sender(profile, Some(invite));
    let replies: Vec<String> = messages_for(invite, &me, &verdict, now).iter().map(|m| write_itip(m, now)).collect();
    let at = |t: DateTime<Utc>| t.with_timezone(&profile.home_time_zone).to_rfc3339();
    RuleCheck {
        uid: invite.uid.clone(),
        summary: invite.summary.clone(),
        action: verdict.action.as_str().into(),
        rule: verdict.rule,
        reason: verdict.reason,
        tier: verdict.tier.map(|t| t.as_str().to_string()),
        proposed_start: verdict.proposed.map(|p| at(p.0)),
        proposed_end: verdict.proposed.map(|p| at(p.1)),
        reply: replies.first().cloned(),
        replies,
    }
}

/// The invitation in an iCalendar text: the first event that asks the executive (found among
/// the attendees by the profile's addresses) for an answer.
fn invitation_in(ics: &str, profile: &ExecutiveProfile) -> Result<Event> {
    let cal = parse_calendar(ics).map_err(|e| ApiError::invalid(format!("the invitation: {e}")))?;
    if cal.events.is_empty() {
        let why = cal.problems.first().map(|p| format!(": {p}")).unwrap_or_default();
        return Err(ApiError::invalid(format!("the invitation holds no event that could be read{why}")));
    }
    cal.events
        .iter()
        .map(|e| &e.event)
        .find(|e| awaits_answer(e, profile))
        .or_else(|| cal.events.iter().map(|e| &e.event).find(|e| e.attendee_for(&profile.addresses).is_some()))
        .cloned()
        .ok_or_else(|| {
            ApiError::invalid(format!(
                "none of {}'s addresses ({}) is an attendee of the invitation",
                profile.name,
                profile.addresses.join(", ")
            ))
        })
}

fn world_of_files(
    profile: &ExecutiveProfile,
    rules: &RuleSet,
    files: &[(String, String)],
    now: DateTime<Utc>,
    start: DateTime<Utc>,
) -> Result<World> {
    let mut parsed: Vec<(String, Vec<Event>)> = Vec::new();
    for (name, text) in files {
        let cal = parse_calendar(text).map_err(|e| ApiError::invalid(format!("{name}: {e}")))?;
        let calendar_name = cal.name.clone().unwrap_or_else(|| name.clone());
        parsed.push((calendar_name, cal.events.into_iter().map(|e| e.event).collect()));
    }
    let named: Vec<(String, Vec<&Event>)> = parsed.iter().map(|(n, es)| (n.clone(), es.iter().collect())).collect();
    Ok(World::build(profile, &named, &HashMap::new(), rules, rules_window(now, start, start), now))
}

fn document(profile: &ExecutiveProfile, toml: String, saved: bool, rules: Vec<RuleFields>) -> RulesDocument {
    let mut groups: Vec<String> = profile.groups.keys().cloned().collect();
    groups.extend(["internal".to_string(), "external".to_string()]);
    RulesDocument { executive_id: profile.id.clone(), toml, saved, rules, groups }
}

/// The form's view of the rules: each rule's own serialisation, read back as fields.
fn fields_of(rules: &RuleSet) -> Vec<RuleFields> {
    rules
        .rules
        .iter()
        .map(|r| {
            let value = serde_json::to_value(r).expect("a rule always serialises");
            serde_json::from_value(value).expect("a rule always reads back as form fields")
        })
        .collect()
}

/// The document the form's fields stand for (validated by the caller).
fn document_of_fields(rules: &[RuleFields], profile: &ExecutiveProfile) -> Result<String> {
    let mut list = Vec::new();
    for (i, r) in rules.iter().enumerate() {
        let mut value = serde_json::to_value(r).expect("form fields always serialise");
        strip_nulls(&mut value);
        let rule: tandem_core::rules::Rule = serde_json::from_value(value)
            .map_err(|e| ApiError::new(ErrorCode::InvalidRules, format!("rule {} '{}': {e}", i + 1, r.name)))?;
        list.push(rule);
    }
    let set = RuleSet { rules: list };
    set.validate(profile)?;
    Ok(set.to_toml())
}

/// TOML has no null: an empty form field is an absent one.
fn strip_nulls(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(map) => {
            map.retain(|_, x| !x.is_null());
            map.values_mut().for_each(strip_nulls);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}

/// Whether an action name is one a decision can have (for the audit log's filter).
pub fn is_action(name: &str) -> bool {
    [
        DecisionAction::Accept,
        DecisionAction::Tentative,
        DecisionAction::Decline,
        DecisionAction::CounterPropose,
        DecisionAction::HoldForReview,
        DecisionAction::Delegate,
    ]
    .iter()
    .any(|a| a.as_str() == name)
        || name == "counter"
        || name == "hold"
}
