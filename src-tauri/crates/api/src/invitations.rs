//! The invitations queue: the EP's rules run over every invitation as it arrives, each
//! decision is recorded with its reason, and the replies go into the outbox, where they can be
//! taken back until they leave.
//!
//! - A rule's reply waits [`AUTOMATIC_HOLD_MINUTES`] in the outbox, so the EP has time to see
//!   the decision and undo it; the EP's own answer waits [`MANUAL_HOLD_SECONDS`] (an undo, not
//!   a review).
//! - Undoing takes the queued replies back, returns the executive's answer in the calendars to
//!   "not answered", and puts the invitation in the EP's queue (held), not back to the rules,
//!   which would only decide the same again.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use tandem_core::calendar::freebusy::holds;
use tandem_core::calendar::travel::{day_places, DayPlace};
use tandem_core::decision::{Decider, Decision, DecisionAction};
use tandem_core::invitation::InvitationSource;
use tandem_core::itip::{self, Outgoing};
use tandem_core::rules::{evaluate, Commitment, RuleSet, Situation, Verdict, CONFLICT_HORIZON_DAYS, SLOT_SEARCH_DAYS};
use tandem_core::{
    expand_calendar, merge_occurrences, Event, ExecutiveProfile, Occurrence, ParticipationStatus, Tier, TimeWindow,
};
use tandem_store::{InvitationState, OutboxState, StoredDecision, StoredInvitation};

use crate::calendar::response_of;
use crate::dto::{Answer, DecisionDto, InvitationDto, InvitationQueue, OutboxDto};
use crate::error::{ApiError, ErrorCode, Result};
use crate::Tandem;

/// How long a rule's reply waits in the outbox before it may leave.
pub const AUTOMATIC_HOLD_MINUTES: i64 = 15;
/// How long the EP's own answer waits: long enough to undo a wrong key.
pub const MANUAL_HOLD_SECONDS: i64 = 60;

/// What the rules are evaluated against, built once for a batch of invitations.
pub(crate) struct World {
    pub commitments: Vec<Commitment>,
    pub places: Vec<DayPlace>,
    /// UID -> the names of the calendars holding it.
    pub calendars_of: HashMap<String, Vec<String>>,
    /// What the commitments cover.
    window: TimeWindow,
}

impl World {
    /// From calendars given as (name, events), over `window` (which should cover the
    /// invitations' instances, the conflict horizon and the slot search).
    /// A meeting's tier is the one the EP or a decision gave it, else the one `rules`'
    /// `set_priority` rules give it (see [`tandem_core::rules::tier_of`]), else the default.
    pub(crate) fn build(
        profile: &ExecutiveProfile,
        calendars: &[(String, Vec<&Event>)],
        tiers: &HashMap<String, Tier>,
        rules: &RuleSet,
        window: TimeWindow,
        now: DateTime<Utc>,
    ) -> World {
        let zone = profile.home_time_zone;
        // A trip under way is seen from the fortnight before.
        let lookback = TimeWindow::new(window.start - Duration::days(14), window.end);
        let mut calendars_of: HashMap<String, Vec<String>> = HashMap::new();
        let mut per_calendar = Vec::new();
        for (i, (name, events)) in calendars.iter().enumerate() {
            for e in events {
                let names = calendars_of.entry(e.uid.clone()).or_default();
                if !names.contains(name) {
                    names.push(name.clone());
                }
            }
            let (occurrences, _) = expand_calendar(events, lookback, zone);
            per_calendar.push((i as i64, occurrences));
        }
        let merged = merge_occurrences(per_calendar);
        let occurrences: Vec<&Occurrence> = merged.iter().map(|m| &m.occurrence).collect();
        let first = window.start.with_timezone(&zone).date_naive();
        let days = (window.end - window.start).num_days().clamp(1, 800) as u32 + 1;
        let places = day_places(profile, &occurrences, first, days);
        let events: Vec<&Event> = calendars.iter().flat_map(|(_, e)| e.iter().copied()).collect();
        let tiers = effective_tiers(profile, &events, tiers, rules, &places, now);
        let commitments = occurrences
            .iter()
            .filter(|o| window.overlaps(o.start_utc, o.end_utc))
            .filter_map(|o| {
                let response = response_of(profile, o);
                // An invitation not yet answered is not a commitment: it must not count as a
                // clash for another invitation decided in the same batch.
                if response == Some(ParticipationStatus::NeedsAction) {
                    return None;
                }
                holds(o, response).map(|hold| commitment(o, hold, &tiers))
            })
            .collect();
        World { commitments, places, calendars_of, window }
    }

    pub(crate) fn situation<'a>(
        &'a self,
        profile: &'a ExecutiveProfile,
        uid: &str,
        now: DateTime<Utc>,
    ) -> Situation<'a> {
        const NONE: &[String] = &[];
        Situation {
            profile,
            now,
            calendars: self.calendars_of.get(uid).map(Vec::as_slice).unwrap_or(NONE),
            commitments: &self.commitments,
            places: &self.places,
        }
    }

    /// Counts a meeting just accepted as a commitment for the invitations decided after it,
    /// over the whole window (an empty calendar included).
    fn commit(&mut self, event: &Event, hold: tandem_core::calendar::freebusy::Busy, tier: Tier, zone: Tz) {
        let mut master = event.clone();
        master.recurrence_id = None;
        if let Ok(occurrences) = tandem_core::expand_series(Some(&master), &[], self.window, zone) {
            for o in occurrences {
                self.commitments.push(Commitment {
                    uid: o.uid.to_string(),
                    summary: o.summary.to_string(),
                    start: o.start_utc,
                    end: o.end_utc,
                    hold,
                    tier,
                });
            }
        }
    }
}

/// Each meeting's tier: the one the EP or a decision gave it, else the one the rules'
/// `set_priority` rules give it (see [`tandem_core::rules::tier_of`]); meetings with neither are
/// left out (the caller's default applies).
pub(crate) fn effective_tiers(
    profile: &ExecutiveProfile,
    events: &[&Event],
    stored: &HashMap<String, Tier>,
    rules: &RuleSet,
    places: &[DayPlace],
    now: DateTime<Utc>,
) -> HashMap<String, Tier> {
    let mut tiers = stored.clone();
    if rules.rules.iter().any(|r| r.action == DecisionAction::SetPriority) {
        let situation = Situation { profile, now, calendars: &[], commitments: &[], places };
        for e in events.iter().filter(|e| e.recurrence_id.is_none()) {
            if !tiers.contains_key(&e.uid) {
                if let Some(t) = tandem_core::rules::tier_of(rules, e, &situation) {
                    tiers.insert(e.uid.clone(), t);
                }
            }
        }
    }
    tiers
}

fn commitment(
    o: &Occurrence,
    hold: tandem_core::calendar::freebusy::Busy,
    tiers: &HashMap<String, Tier>,
) -> Commitment {
    Commitment {
        uid: o.uid.to_string(),
        summary: o.summary.to_string(),
        start: o.start_utc,
        end: o.end_utc,
        hold,
        tier: tiers.get(o.uid.as_ref()).copied().unwrap_or(Tier::DEFAULT),
    }
}

/// The window the rules look at for invitations starting between `first` and `last`, judged
/// at `now`: their instances, the conflict horizon and the slot search after them.
pub(crate) fn rules_window(now: DateTime<Utc>, first: DateTime<Utc>, last: DateTime<Utc>) -> TimeWindow {
    let start = first.min(now) - Duration::days(1);
    let end = last.max(now) + Duration::days(CONFLICT_HORIZON_DAYS + SLOT_SEARCH_DAYS + 2);
    // Never more than about two years: an invitation for 2040 is judged without clashes.
    TimeWindow::new(start, end.min(start + Duration::days(760)))
}

impl Tandem {
    /// The executive's rules as saved (none saved: no rules, so everything is held).
    pub(crate) fn rule_set(&self, profile: &ExecutiveProfile) -> Result<RuleSet> {
        match self.store.rules_document(&profile.id, tandem_store::RuleBook::Invitations)? {
            None => Ok(RuleSet::default()),
            // A document saved valid can stop validating when the profile changes under it
            // (a group renamed): the error names the rule, and nothing is decided by it.
            Some(doc) => RuleSet::from_toml(&doc, profile).map_err(|e| {
                ApiError::new(ErrorCode::InvalidRules, format!("the saved rules no longer fit the profile: {e}"))
            }),
        }
    }

    /// The world of the executive's calendars for invitations between `first` and `last`.
    pub(crate) fn world(
        &self,
        profile: &ExecutiveProfile,
        rules: &RuleSet,
        now: DateTime<Utc>,
        first: DateTime<Utc>,
        last: DateTime<Utc>,
    ) -> Result<World> {
        let calendars = self.store.calendars(&profile.id)?;
        let events = self.store.events_of(&profile.id)?;
        let named: Vec<(String, Vec<&Event>)> = calendars
            .iter()
            .map(|c| (c.name.clone(), events.iter().filter(|e| e.calendar_id == c.id).map(|e| &e.event).collect()))
            .collect();
        let tiers = self.store.tiers(&profile.id)?;
        Ok(World::build(profile, &named, &tiers, rules, rules_window(now, first, last), now))
    }

    /// Runs the rules over every pending invitation of the executive, oldest first, and acts on
    /// each decision. Returns the decisions taken.
    pub fn process_invitations(&mut self, executive: Option<&str>, now: DateTime<Utc>) -> Result<Vec<DecisionDto>> {
        let profile = self.executive(executive)?;
        let pending = self.store.invitations(&profile.id, InvitationState::Pending)?;
        if pending.is_empty() {
            return Ok(Vec::new());
        }
        let rules = self.rule_set(&profile)?;
        let zone = profile.home_time_zone;
        let starts: Vec<DateTime<Utc>> = pending.iter().map(|p| p.invitation.event.start.to_utc(zone)).collect();
        let (first, last) = (*starts.iter().min().unwrap_or(&now), *starts.iter().max().unwrap_or(&now));
        let mut world = self.world(&profile, &rules, now, first, last)?;
        let mut out = Vec::new();
        for inv in pending {
            let event = &inv.invitation.event;
            let verdict = match &inv.invitation.counter_from {
                // A counter-proposal to the executive's own meeting is the EP's to decide.
                Some(from) => Verdict {
                    action: DecisionAction::HoldForReview,
                    rule: None,
                    reason: format!(
                        "Held for review: {} proposes {} instead",
                        from.name.clone().unwrap_or_else(|| from.address.clone()),
                        event.start.to_utc(zone).with_timezone(&zone).format("%a %-d %b %H:%M")
                    ),
                    message: None,
                    delegate_to: None,
                    tier: None,
                    proposed: None,
                },
                None => evaluate(&rules, event, &world.situation(&profile, &event.uid, now)),
            };
            let decider = match &verdict.rule {
                Some(name) => Decider::Rule { name: name.clone() },
                None => Decider::NoRule,
            };
            let id =
                self.act(&profile, &inv, &verdict, decider, now, now + Duration::minutes(AUTOMATIC_HOLD_MINUTES))?;
            match verdict.action {
                DecisionAction::Accept => world.commit(
                    event,
                    tandem_core::calendar::freebusy::Busy::Busy,
                    verdict.tier.unwrap_or(Tier::DEFAULT),
                    zone,
                ),
                DecisionAction::Tentative => world.commit(
                    event,
                    tandem_core::calendar::freebusy::Busy::Tentative,
                    verdict.tier.unwrap_or(Tier::DEFAULT),
                    zone,
                ),
                _ => {}
            }
            out.push(self.decision_dto(&self.store.decision(id)?)?);
        }
        tracing::info!(executive = %profile.id, decided = out.len(), "invitations decided");
        Ok(out)
    }

    /// Runs the rules for every executive (after an import that may have brought invitations).
    /// An executive whose saved rules no longer validate is skipped and named.
    pub fn process_all_invitations(&mut self, now: DateTime<Utc>) -> Result<(usize, Vec<String>)> {
        let mut decided = 0;
        let mut problems = Vec::new();
        for e in self.store.executives()? {
            match self.process_invitations(Some(&e.id), now) {
                Ok(d) => decided += d.len(),
                Err(err) if err.code == ErrorCode::InvalidRules => problems.push(format!("{}: {}", e.id, err.message)),
                Err(err) => return Err(err),
            }
        }
        Ok((decided, problems))
    }

    /// Records a decision and does what it says, all in one transaction: the replies queued,
    /// the executive's answer written into the calendars, the tier kept, the invitation moved.
    fn act(
        &mut self,
        profile: &ExecutiveProfile,
        inv: &StoredInvitation,
        verdict: &Verdict,
        decider: Decider,
        now: DateTime<Utc>,
        send_after: DateTime<Utc>,
    ) -> Result<i64> {
        let event = inv.invitation.event.clone();
        let me = crate::outgoing::sender(profile, Some(&event));
        let messages = messages_for(&event, &me, verdict, now);
        let in_reply_to = match &inv.invitation.source {
            InvitationSource::Mail { message_id } => Some(message_id.clone()),
            _ => None,
        };
        let automatic = decider.is_automatic();
        let decision = Decision {
            uid: event.uid.clone(),
            recurrence_id: event.recurrence_id.map(|r| r.to_contract_string()),
            summary: event.summary.clone(),
            action: verdict.action,
            decider,
            reason: verdict.reason.clone(),
            decided_at: now,
            message: verdict.message.clone(),
            delegate_to: verdict.delegate_to.clone(),
            proposed: verdict.proposed,
            tier: verdict.tier,
        };
        let answer = answer_status(verdict.action);
        let state = match (verdict.action, automatic) {
            (DecisionAction::HoldForReview, _) => InvitationState::Held,
            (_, true) => InvitationState::Decided,
            (_, false) => InvitationState::Answered,
        };
        let executive = profile.id.clone();
        let id = self.store.transaction(|s| {
            let id = s.record_decision(&executive, &decision, Some(inv.id))?;
            // An invitation without an organiser (a calendar entry someone shared) has nobody to reply to.
            for (n, out) in messages.iter().filter(|m| !m.recipients.is_empty()).enumerate() {
                crate::outgoing::enqueue(s, profile, &me, out, Some(id), n, in_reply_to.as_deref(), now, send_after)?;
            }
            if let Some(status) = answer {
                set_answer(s, profile, &event, status, now)?;
            }
            if let Some(t) = verdict.tier {
                s.set_tier(&executive, &event.uid, t)?;
            }
            s.set_invitation_state(inv.id, state)?;
            Ok(id)
        })?;
        Ok(id)
    }

    /// The queue the EP works from.
    pub fn invitation_queue(&self, executive: Option<&str>) -> Result<InvitationQueue> {
        let profile = self.executive(executive)?;
        let mut queue = InvitationQueue { held: vec![], decided: vec![], answered: vec![], pending: vec![] };
        for (state, list) in [
            (InvitationState::Held, &mut queue.held),
            (InvitationState::Decided, &mut queue.decided),
            (InvitationState::Answered, &mut queue.answered),
            (InvitationState::Pending, &mut queue.pending),
        ] {
            for inv in self.store.invitations(&profile.id, state)? {
                list.push(self.invitation_dto(&profile, &inv)?);
            }
        }
        // Decided and answered: the latest first, where the EP looks for what just happened.
        queue.decided.reverse();
        queue.answered.reverse();
        Ok(queue)
    }

    pub(crate) fn invitation_dto(&self, profile: &ExecutiveProfile, inv: &StoredInvitation) -> Result<InvitationDto> {
        let e = &inv.invitation.event;
        let zone = profile.home_time_zone;
        let decision = match self.store.standing_decision(inv.id)? {
            Some(d) => Some(self.decision_dto(&d)?),
            None => None,
        };
        Ok(InvitationDto {
            id: inv.id,
            uid: e.uid.clone(),
            recurrence_id: e.recurrence_id.map(|r| r.to_contract_string()),
            summary: e.summary.clone(),
            start: e.start.to_contract_string(),
            end: e.end.map(|t| t.to_contract_string()),
            view_start: tandem_core::calendar::wall_string(
                tandem_core::time::local_in(zone, e.start.to_utc(zone)),
                false,
            ),
            organizer: e.organizer.as_ref().map(|o| o.name.clone().unwrap_or_else(|| o.address.clone())),
            organizer_address: e.organizer.as_ref().map(|o| o.address.clone()),
            location: e.location.clone(),
            recurring: e.is_recurring() || e.recurrence_id.is_some(),
            attendee_count: e.attendees.len() as u32,
            source: match inv.invitation.source {
                InvitationSource::Calendar { .. } => "calendar",
                InvitationSource::Mail { .. } => "mail",
                InvitationSource::File { .. } => "file",
            }
            .into(),
            received_at: rfc3339(inv.received_at),
            state: inv.state.as_str().into(),
            decision,
        })
    }

    pub(crate) fn decision_dto(&self, d: &StoredDecision) -> Result<DecisionDto> {
        let outbox = self.store.outbox_of_decision(d.id)?;
        // Undoing takes back what a decision sent; one that sent nothing (a hold, an accepted
        // counter-proposal, which changed the meeting itself) is answered again instead.
        let undoable = d.undone_at.is_none()
            && !outbox.is_empty()
            && outbox.iter().all(|o| matches!(o.state, OutboxState::Queued | OutboxState::Cancelled));
        let x = &d.decision;
        Ok(DecisionDto {
            id: d.id,
            invitation_id: d.invitation_id,
            uid: x.uid.clone(),
            summary: x.summary.clone(),
            action: x.action.as_str().into(),
            rule: match &x.decider {
                Decider::Rule { name } => Some(name.clone()),
                _ => None,
            },
            decider: match x.decider {
                Decider::Rule { .. } => "rule",
                Decider::NoRule => "no_rule",
                Decider::Person => "person",
            }
            .into(),
            reason: x.reason.clone(),
            decided_at: rfc3339(x.decided_at),
            message: x.message.clone(),
            delegate_to: x.delegate_to.clone(),
            proposed_start: x.proposed.map(|p| rfc3339(p.0)),
            proposed_end: x.proposed.map(|p| rfc3339(p.1)),
            tier: x.tier.map(|t| t.as_str().to_string()),
            undone_at: d.undone_at.map(rfc3339),
            undoable,
            outbox: outbox.iter().map(outbox_dto).collect(),
        })
    }

    /// The EP answers an invitation by hand (from the queue, or overriding a rule's decision
    /// that can still be undone: that one is undone first).
    pub fn answer_invitation(
        &mut self,
        executive: Option<&str>,
        invitation: i64,
        answer: &Answer,
        now: DateTime<Utc>,
    ) -> Result<DecisionDto> {
        let profile = self.executive(executive)?;
        let inv = self.invitation_of(&profile, invitation)?;
        if inv.state == InvitationState::Cancelled {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                format!("'{}' was cancelled by its organiser", inv.invitation.event.summary),
            ));
        }
        if let Some(standing) = self.store.standing_decision(inv.id)? {
            if standing.decision.action != DecisionAction::HoldForReview {
                self.undo_decision(Some(&profile.id), standing.id, now)?;
            }
        }
        if let Some(from) = inv.invitation.counter_from.clone() {
            return self.answer_counter(&profile, &inv, &from, answer, now);
        }
        let event = &inv.invitation.event;
        let (action, message, proposed, delegate_to) = match answer {
            Answer::Accept { message } => (DecisionAction::Accept, message.clone(), None, None),
            Answer::Tentative { message } => (DecisionAction::Tentative, message.clone(), None, None),
            Answer::Decline { message } => (DecisionAction::Decline, message.clone(), None, None),
            Answer::Delegate { to, message } => {
                if !to.contains('@') || to.contains(char::is_whitespace) {
                    return Err(ApiError::invalid(format!("'{to}' is not an e-mail address to delegate to")));
                }
                (DecisionAction::Delegate, message.clone(), None, Some(to.trim().to_ascii_lowercase()))
            }
            Answer::CounterPropose { start, end, message } => {
                let proposed = match (start, end) {
                    (Some(s), Some(e)) => {
                        let (s, e) = (crate::dates::parse_instant(s)?, crate::dates::parse_instant(e)?);
                        if e <= s {
                            return Err(ApiError::invalid("the proposed time ends before it starts"));
                        }
                        (s, e)
                    }
                    (None, None) => {
                        let zone = profile.home_time_zone;
                        let start = event.start.to_utc(zone);
                        let rules = self.rule_set(&profile).unwrap_or_default();
                        let world = self.world(&profile, &rules, now, start, start)?;
                        let length = tandem_core::calendar::expand::expand_series(
                            Some(&Event { recurrence_id: None, ..event.clone() }),
                            &[],
                            TimeWindow::new(start - Duration::days(1), start + Duration::days(2)),
                            zone,
                        )
                        .ok()
                        .and_then(|o| o.first().map(|o| o.end_utc - o.start_utc))
                        .unwrap_or(Duration::hours(1));
                        let series = event.is_recurring() && event.recurrence_id.is_none();
                        tandem_core::rules::best_free_slot(
                            &world.situation(&profile, &event.uid, now),
                            start,
                            length,
                            &event.uid,
                            series,
                        )
                        .ok_or_else(|| {
                            ApiError::new(
                                ErrorCode::Conflict,
                                "no free slot within working hours to propose; give a time",
                            )
                        })?
                    }
                    _ => {
                        return Err(ApiError::invalid(
                            "give both the start and the end of the proposed time, or neither",
                        ))
                    }
                };
                (DecisionAction::CounterPropose, message.clone(), Some(proposed), None)
            }
        };
        let reason = match (action, &delegate_to, proposed) {
            (DecisionAction::Accept, ..) => "Accepted by the EP".to_string(),
            (DecisionAction::Tentative, ..) => "Tentatively accepted by the EP".to_string(),
            (DecisionAction::Decline, ..) => "Declined by the EP".to_string(),
            (DecisionAction::Delegate, Some(to), _) => format!("Delegated to {to} by the EP"),
            (DecisionAction::CounterPropose, _, Some((s, _))) => format!(
                "Counter-proposed {} by the EP",
                s.with_timezone(&profile.home_time_zone).format("%a %-d %b %H:%M")
            ),
            _ => "Answered by the EP".to_string(),
        };
        let verdict = Verdict { action, rule: None, reason, message, delegate_to, tier: None, proposed };
        let id =
            self.act(&profile, &inv, &verdict, Decider::Person, now, now + Duration::seconds(MANUAL_HOLD_SECONDS))?;
        self.decision_dto(&self.store.decision(id)?)
    }

    /// The EP's answer to an attendee's counter-proposal: accept moves the meeting to the
    /// proposed time (an update to everyone); decline tells the proposer (DECLINECOUNTER).
    fn answer_counter(
        &mut self,
        profile: &ExecutiveProfile,
        inv: &StoredInvitation,
        from: &tandem_core::Participant,
        answer: &Answer,
        now: DateTime<Utc>,
    ) -> Result<DecisionDto> {
        let proposal = &inv.invitation.event;
        let zone = profile.home_time_zone;
        let who = from.name.clone().unwrap_or_else(|| from.address.clone());
        let (action, reason, message) = match answer {
            Answer::Accept { message } => {
                let start = proposal.start.to_utc(zone);
                let end = proposal.end.map(|e| e.to_utc(zone));
                let changes = crate::dto::MeetingChanges {
                    start: Some(rfc3339(start)),
                    end: end.map(rfc3339),
                    ..Default::default()
                };
                self.edit_meeting(Some(&profile.id), &proposal.uid, &changes, now)?;
                (
                    DecisionAction::Accept,
                    format!(
                        "Accepted {who}'s proposal: moved to {}",
                        start.with_timezone(&zone).format("%a %-d %b %H:%M")
                    ),
                    message.clone(),
                )
            }
            Answer::Decline { message } => {
                let me = crate::outgoing::sender(profile, None);
                let (_, meeting) = self.organised(profile, &proposal.uid)?;
                let out = itip::decline_counter(&meeting, &me, from, message.as_deref(), now);
                let decision = Decision {
                    uid: proposal.uid.clone(),
                    recurrence_id: proposal.recurrence_id.map(|r| r.to_contract_string()),
                    summary: proposal.summary.clone(),
                    action: DecisionAction::Decline,
                    decider: Decider::Person,
                    reason: format!("Declined {who}'s proposal; the meeting stays as it was"),
                    decided_at: now,
                    message: message.clone(),
                    delegate_to: None,
                    proposed: None,
                    tier: None,
                };
                let send_after = now + Duration::seconds(MANUAL_HOLD_SECONDS);
                let id = self.store.transaction(|s| {
                    let id = s.record_decision(&profile.id, &decision, Some(inv.id))?;
                    crate::outgoing::enqueue(s, profile, &me, &out, Some(id), 0, None, now, send_after)?;
                    s.set_invitation_state(inv.id, InvitationState::Answered)?;
                    Ok(id)
                })?;
                return self.decision_dto(&self.store.decision(id)?);
            }
            _ => return Err(ApiError::invalid(format!("{who} proposed a new time: accept it or decline it"))),
        };
        let decision = Decision {
            uid: proposal.uid.clone(),
            recurrence_id: None,
            summary: proposal.summary.clone(),
            action,
            decider: Decider::Person,
            reason,
            decided_at: now,
            message,
            delegate_to: None,
            proposed: None,
            tier: None,
        };
        let id = self.store.transaction(|s| {
            let id = s.record_decision(&profile.id, &decision, Some(inv.id))?;
            s.set_invitation_state(inv.id, InvitationState::Answered)?;
            Ok(id)
        })?;
        self.decision_dto(&self.store.decision(id)?)
    }

    /// Takes a decision back while nothing it queued has left.
    pub fn undo_decision(&mut self, executive: Option<&str>, decision: i64, now: DateTime<Utc>) -> Result<DecisionDto> {
        let profile = self.executive(executive)?;
        let d = self.store.decision(decision)?;
        if self.store.decisions(&profile.id)?.iter().all(|x| x.id != decision) {
            return Err(ApiError::new(ErrorCode::NotFound, format!("no decision {decision} for {}", profile.id)));
        }
        if d.undone_at.is_some() {
            return Err(ApiError::new(ErrorCode::Conflict, format!("decision {decision} was already undone")));
        }
        let items = self.store.outbox_of_decision(decision)?;
        if let Some(gone) = items.iter().find(|o| matches!(o.state, OutboxState::Sending | OutboxState::Sent)) {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                format!("too late to undo: \"{}\" has been sent; answer again to correct it", gone.summary),
            ));
        }
        let inv = match d.invitation_id {
            Some(id) => Some(self.store.invitation(id)?),
            None => None,
        };
        let executive_id = profile.id.clone();
        let undo = Decision {
            uid: d.decision.uid.clone(),
            recurrence_id: d.decision.recurrence_id.clone(),
            summary: d.decision.summary.clone(),
            action: DecisionAction::HoldForReview,
            decider: Decider::Person,
            reason: format!("Undone by the EP (was: {}); held for review", d.decision.reason),
            decided_at: now,
            message: None,
            delegate_to: None,
            proposed: None,
            tier: None,
        };
        self.store.transaction(|s| {
            for item in &items {
                s.cancel_outbox_item(item.id)?;
            }
            if let Some(inv) = &inv {
                if answer_status(d.decision.action).is_some() {
                    set_answer(s, &profile, &inv.invitation.event, ParticipationStatus::NeedsAction, now)?;
                }
                s.set_invitation_state(inv.id, InvitationState::Held)?;
            }
            s.mark_decision_undone(decision, now)?;
            s.record_decision(&executive_id, &undo, d.invitation_id)?;
            Ok(())
        })?;
        self.decision_dto(&self.store.decision(decision)?)
    }

    /// The audit log, newest first, filtered: `action` (e.g. `decline`), `rule` (a name, or
    /// `person`), `text` (in the title or reason), `since`.
    pub fn decisions(
        &self,
        executive: Option<&str>,
        action: Option<&str>,
        rule: Option<&str>,
        text: Option<&str>,
        since: Option<DateTime<Utc>>,
    ) -> Result<Vec<DecisionDto>> {
        let profile = self.executive(executive)?;
        let text = text.map(str::to_lowercase);
        let mut out = Vec::new();
        for d in self.store.decisions(&profile.id)?.iter().rev() {
            let x = &d.decision;
            let by = match &x.decider {
                Decider::Rule { name } => name.as_str(),
                Decider::NoRule => "no rule",
                Decider::Person => "person",
            };
            let keep = action.is_none_or(|a| {
                x.action.as_str() == a
                    || (a == "counter" && x.action == DecisionAction::CounterPropose)
                    || (a == "hold" && x.action == DecisionAction::HoldForReview)
            }) && rule.is_none_or(|r| by.eq_ignore_ascii_case(r))
                && text
                    .as_ref()
                    .is_none_or(|t| x.summary.to_lowercase().contains(t) || x.reason.to_lowercase().contains(t))
                && since.is_none_or(|s| x.decided_at >= s);
            if keep {
                out.push(self.decision_dto(d)?);
            }
        }
        Ok(out)
    }

    /// Everything queued to leave for the executive, newest first.
    pub fn outbox(&self, executive: Option<&str>) -> Result<Vec<OutboxDto>> {
        let profile = self.executive(executive)?;
        Ok(self.store.outbox(&profile.id)?.iter().rev().map(outbox_dto).collect())
    }

    /// The raw message of an outbox item (what will be, or was, sent).
    pub fn outbox_message(&self, executive: Option<&str>, id: i64) -> Result<Vec<u8>> {
        let profile = self.executive(executive)?;
        let item = self.store.outbox_item(id)?;
        if item.executive_id != profile.id {
            return Err(ApiError::new(ErrorCode::NotFound, format!("no outbox item {id} for {}", profile.id)));
        }
        Ok(item.payload)
    }

    fn invitation_of(&self, profile: &ExecutiveProfile, id: i64) -> Result<StoredInvitation> {
        let inv = self.store.invitation(id)?;
        // An id from another executive's queue is not found here.
        if self.store.invitations_since(&profile.id, DateTime::<Utc>::MIN_UTC)?.iter().all(|i| i.id != id) {
            return Err(ApiError::new(ErrorCode::NotFound, format!("no invitation {id} for {}", profile.id)));
        }
        Ok(inv)
    }
}

/// The iTIP messages a decision sends.
pub(crate) fn messages_for(event: &Event, me: &itip::Sender, v: &Verdict, now: DateTime<Utc>) -> Vec<Outgoing> {
    let note = v.message.as_deref();
    match v.action {
        DecisionAction::Accept => vec![itip::reply(event, me, ParticipationStatus::Accepted, note, None, now)],
        DecisionAction::Tentative => vec![itip::reply(event, me, ParticipationStatus::Tentative, note, None, now)],
        DecisionAction::Decline => vec![itip::reply(event, me, ParticipationStatus::Declined, note, None, now)],
        DecisionAction::CounterPropose => match v.proposed {
            Some(p) => vec![itip::counter(event, me, p, note, now)],
            None => vec![],
        },
        DecisionAction::Delegate => match v.delegate_to.as_deref() {
            Some(to) => vec![
                itip::reply(event, me, ParticipationStatus::Delegated, note, Some(to), now),
                itip::delegation(event, me, to, now),
            ],
            None => vec![],
        },
        DecisionAction::HoldForReview | DecisionAction::SetPriority => vec![],
    }
}

/// The executive's PARTSTAT a decision sets in the calendars.
fn answer_status(action: DecisionAction) -> Option<ParticipationStatus> {
    match action {
        DecisionAction::Accept => Some(ParticipationStatus::Accepted),
        DecisionAction::Tentative => Some(ParticipationStatus::Tentative),
        DecisionAction::Decline => Some(ParticipationStatus::Declined),
        DecisionAction::Delegate => Some(ParticipationStatus::Delegated),
        _ => None,
    }
}

/// Writes the executive's answer into every stored copy of the meeting the invitation is
/// about (the series, or the one instance), so the grid and free/busy show it.
fn set_answer(
    s: &tandem_store::Store,
    profile: &ExecutiveProfile,
    invite: &Event,
    status: ParticipationStatus,
    now: DateTime<Utc>,
) -> tandem_store::Result<()> {
    for held in s.events_with_uid(&profile.id, &invite.uid)? {
        let same = match (held.event.recurrence_id, invite.recurrence_id) {
            (None, None) => true,
            (Some(a), Some(b)) => a.instance() == b.instance(),
            // A series answer covers its overrides too, unless answered on their own.
            (Some(_), None) => true,
            (None, Some(_)) => false,
        };
        if !same {
            continue;
        }
        let mut e = held.event.clone();
        let mut touched = false;
        for a in e.attendees.iter_mut().filter(|a| profile.is_self(&a.participant.address)) {
            a.status = status;
            touched = true;
        }
        if touched {
            let raw = tandem_formats::ics::write_vevent(&e);
            let summary = format!("Answer '{}' ({})", e.summary, crate::calendar::response_name(status));
            s.upsert_events(held.calendar_id, &[(e, raw)])?;
            // The answer also goes into the server's copy of the calendar.
            s.queue_caldav_write(&profile.id, held.calendar_id, &invite.uid, &summary, now)?;
        }
    }
    Ok(())
}

/// RFC 3339 UTC to the second, as DTOs write instants.
pub fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

pub(crate) fn outbox_dto(o: &tandem_store::OutboxItem) -> OutboxDto {
    OutboxDto {
        id: o.id,
        kind: o.kind.as_str().into(),
        state: o.state.as_str().into(),
        summary: o.summary.clone(),
        recipients: o.recipients.clone(),
        created_at: rfc3339(o.created_at),
        send_after: rfc3339(o.send_after),
        sent_at: o.sent_at.map(rfc3339),
        attempts: o.attempts,
        last_error: o.last_error.clone(),
        decision_id: o.decision_id,
    }
}
