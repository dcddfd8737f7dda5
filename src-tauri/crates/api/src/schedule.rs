//! The scheduler's use cases: what is wrong with a stretch of the executive's calendar, and
//! plans for self-contained instances (`tandem schedule --instance`).

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tandem_core::calendar::freebusy::holds;
use tandem_core::calendar::travel::DayPlace;
use tandem_core::calendar::travel::{day_places, shown_zone};
use tandem_core::scheduler::check::{is_move, placed_start, Placement, Terms, Violation};
use tandem_core::scheduler::conflicts::find_conflicts;
use tandem_core::scheduler::instance::Instance;
use tandem_core::scheduler::proposal::{propose, Move};
use tandem_core::scheduler::solve::{solve, Options, DEFAULT_STEPS};
use tandem_core::scheduler::week::instance_for;
use tandem_core::scheduler::Meeting;
use tandem_core::{Event, ExecutiveProfile, Occurrence, ParticipationStatus, Tier, TimeWindow};

use crate::calendar::{response_of, MAX_RANGE_DAYS};
use crate::dto::{AlternativeDto, ConflictDto, ConflictMeetingDto, ConflictsDto, MoveDto, ProposalDto, ScheduleDto};
use crate::error::{ApiError, Result};
use crate::invitations::effective_tiers;
use crate::Tandem;

impl Tandem {
    /// Every conflict over `days` local days from `from`, most severe first.
    pub fn conflicts(
        &self,
        executive: Option<&str>,
        from: NaiveDate,
        days: u32,
        now: DateTime<Utc>,
    ) -> Result<ConflictsDto> {
        let profile = self.executive(executive)?;
        let zone = profile.home_time_zone;
        let (meetings, places) = self.scheduled_meetings(&profile, from, days, now)?;
        let found = find_conflicts(&meetings, &profile, &places);
        let view = |t: DateTime<Utc>| {
            tandem_core::calendar::wall_string(tandem_core::time::local_in(shown_zone(&places, zone, t), t), false)
        };
        Ok(ConflictsDto {
            executive_id: profile.id.clone(),
            zone: zone.name().to_string(),
            from: tandem_core::calendar::date_string(from),
            days,
            conflicts: found
                .iter()
                .map(|c| ConflictDto {
                    kind: c.kind.as_str().into(),
                    severity: match c.severity {
                        tandem_core::scheduler::conflicts::Severity::High => "high",
                        tandem_core::scheduler::conflicts::Severity::Medium => "medium",
                        tandem_core::scheduler::conflicts::Severity::Low => "low",
                    }
                    .into(),
                    date: tandem_core::calendar::date_string(c.date),
                    reason: c.reason.clone(),
                    meetings: c
                        .meetings
                        .iter()
                        .map(|&i| {
                            let m = &meetings[i];
                            ConflictMeetingDto {
                                uid: m.uid.clone(),
                                recurrence_id: m.recurrence_id.clone(),
                                summary: m.summary.clone(),
                                view_start: view(m.start),
                                view_end: view(m.end),
                                tier: m.tier.as_str().into(),
                                own: m.own,
                            }
                        })
                        .collect(),
                })
                .collect(),
        })
    }

    /// The scheduler's proposals over `days` local days from `from`: which meetings move where
    /// to resolve the clashes, each with its reasons and alternatives.
    pub fn schedule(
        &self,
        executive: Option<&str>,
        from: NaiveDate,
        days: u32,
        now: DateTime<Utc>,
    ) -> Result<ScheduleDto> {
        let profile = self.executive(executive)?;
        let zone = profile.home_time_zone;
        let (meetings, places) = self.scheduled_meetings(&profile, from, days, now)?;
        let instance = instance_for(&meetings, &profile, &places, from, days, now);
        let plan = solve(&instance, &Options::default());
        let local = |t: DateTime<Utc>| tandem_core::time::local_in(shown_zone(&places, zone, t), t);
        let view = |t: DateTime<Utc>| local(t).format("%a %-d %b %H:%M").to_string();
        let proposals = propose(&instance, &plan, &view);
        let wall = |t: DateTime<Utc>| tandem_core::calendar::wall_string(local(t), false);
        let move_dto = |mv: &Move| {
            let m = &meetings[mv.meeting];
            MoveDto {
                uid: m.uid.clone(),
                recurrence_id: m.recurrence_id.clone(),
                summary: m.summary.clone(),
                tier: m.tier.as_str().into(),
                own: m.own,
                action: match (mv.to, m.own) {
                    (None, _) => "unresolved",
                    (Some(_), true) => "move",
                    (Some(_), false) => "counter",
                }
                .into(),
                from: m.start.to_rfc3339(),
                to: mv.to.map(|t| t.to_rfc3339()),
                view_from: wall(m.start),
                view_to: mv.to.map(wall),
                reason: mv.reason.clone(),
            }
        };
        Ok(ScheduleDto {
            executive_id: profile.id.clone(),
            zone: zone.name().to_string(),
            from: tandem_core::calendar::date_string(from),
            days,
            clashes: plan.status_quo.violations.len() as u32,
            objective: plan.evaluation.objective,
            status_quo_objective: plan.status_quo.objective,
            optimal: plan.optimal,
            steps: plan.steps,
            fixed_clashes: plan
                .evaluation
                .fixed_clashes
                .iter()
                // A clash already over is history, not something to act on.
                .filter(|c| {
                    c.meetings
                        .iter()
                        .filter_map(|id| instance.meetings.iter().position(|m| &m.id == id))
                        .any(|i| meetings[i].end > now)
                })
                .map(|c| {
                    let names: Vec<String> = c
                        .meetings
                        .iter()
                        .filter_map(|id| instance.meetings.iter().position(|m| &m.id == id))
                        .map(|i| {
                            format!("'{}' ({}, {})", meetings[i].summary, meetings[i].tier, view(meetings[i].start))
                        })
                        .collect();
                    format!("{}: neither can move", names.join(" and "))
                })
                .collect(),
            proposals: proposals
                .iter()
                .enumerate()
                .map(|(k, p)| ProposalDto {
                    id: format!("p{}", k + 1),
                    resolves: p.resolves.clone(),
                    moves: p.moves.iter().map(move_dto).collect(),
                    alternatives: p
                        .alternatives
                        .iter()
                        .map(|a| AlternativeDto {
                            moves: a.moves.iter().map(move_dto).collect(),
                            extra_cost: a.extra_cost,
                        })
                        .collect(),
                })
                .collect(),
        })
    }

    /// The meetings over `days` local days from `from` as the scheduler sees them, and where
    /// the executive is each day.
    fn scheduled_meetings(
        &self,
        profile: &ExecutiveProfile,
        from: NaiveDate,
        days: u32,
        now: DateTime<Utc>,
    ) -> Result<(Vec<Meeting>, Vec<DayPlace>)> {
        if !(1..=MAX_RANGE_DAYS).contains(&days) {
            return Err(ApiError::invalid(format!("{days} days is outside 1..={MAX_RANGE_DAYS}")));
        }
        let zone = profile.home_time_zone;
        let window = TimeWindow::days(from, days, zone);
        let calendars = self.store.calendars(&profile.id)?;
        let lookback = TimeWindow::new(window.start - Duration::days(14), window.end);
        let (merged, _) = self.merged(&profile.id, &calendars, lookback, zone)?;
        let occurrences: Vec<&Occurrence> = merged.iter().map(|m| &m.occurrence).collect();
        let places = day_places(profile, &occurrences, from, days);
        let events = self.store.events_of(&profile.id)?;
        let refs: Vec<&Event> = events.iter().map(|e| &e.event).collect();
        let rules = self.rule_set(profile).unwrap_or_default();
        let tiers = effective_tiers(profile, &refs, &self.store.tiers(&profile.id)?, &rules, &places, now);
        let meetings: Vec<Meeting> = occurrences
            .iter()
            .filter(|o| !o.all_day && window.overlaps(o.start_utc, o.end_utc))
            .filter_map(|o| {
                let response = response_of(profile, o);
                let hold = holds(o, response)?;
                Some(Meeting {
                    uid: o.uid.to_string(),
                    recurrence_id: o.recurrence_id.map(|r| r.to_contract_string()),
                    summary: o.summary.to_string(),
                    start: o.start_utc,
                    end: o.end_utc,
                    hold,
                    tier: tiers.get(o.uid.as_ref()).copied().unwrap_or(Tier::DEFAULT),
                    location: o.location.as_deref().map(String::from),
                    own: o.organizer.as_ref().is_some_and(|p| profile.is_self(&p.address))
                        || (o.organizer.is_none() && response != Some(ParticipationStatus::NeedsAction)),
                    attendees: o.attendees.len() as u32,
                })
            })
            .collect();
        Ok((meetings, places))
    }
}

/// One meeting's fate in a plan of an instance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InstancePlacement {
    pub id: String,
    pub summary: String,
    /// `stays`, `moved`, `placed` (a new meeting) or `unplaced`.
    pub status: String,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

impl InstancePlacement {
    /// The summary, or the id for a meeting without one.
    pub fn summary_or_id(&self) -> &str {
        if self.summary.is_empty() {
            &self.id
        } else {
            &self.summary
        }
    }
}

/// A plan for a self-contained instance, as `tandem schedule --instance` prints it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InstancePlan {
    pub objective: i64,
    pub optimal: bool,
    pub steps: u64,
    pub terms: Terms,
    /// Hard constraints broken: always empty for a plan from the solver.
    pub violations: Vec<Violation>,
    /// Clashes between fixed meetings that no plan can resolve.
    pub fixed_clashes: Vec<Violation>,
    pub status_quo_objective: i64,
    /// The hard constraints broken where everything is now: the conflicts resolved.
    pub status_quo_violations: Vec<Violation>,
    pub placements: Vec<InstancePlacement>,
}

/// Reads an instance (JSON, see the README), optionally at another `now`, and solves it
/// within `steps` (default [`DEFAULT_STEPS`]).
pub fn solve_instance(text: &str, now: Option<DateTime<Utc>>, steps: Option<u64>) -> Result<InstancePlan> {
    let mut instance = Instance::from_json(text).map_err(|e| ApiError::invalid(e.to_string()))?;
    if let Some(now) = now {
        instance.now = now;
    }
    let plan = solve(&instance, &Options { steps: steps.unwrap_or(DEFAULT_STEPS), ..Options::default() });
    Ok(InstancePlan {
        objective: plan.evaluation.objective,
        optimal: plan.optimal,
        steps: plan.steps,
        terms: plan.evaluation.terms,
        violations: plan.evaluation.violations,
        fixed_clashes: plan.evaluation.fixed_clashes,
        status_quo_objective: plan.status_quo.objective,
        status_quo_violations: plan.status_quo.violations,
        placements: instance
            .meetings
            .iter()
            .zip(&plan.placements)
            .map(|(m, &p)| {
                let to = placed_start(m, p);
                let status = match (p, m.start) {
                    (Placement::Unplaced, _) => "unplaced",
                    (_, None) => "placed",
                    _ if is_move(m, p) => "moved",
                    _ => "stays",
                };
                InstancePlacement {
                    id: m.id.clone(),
                    summary: m.summary.clone(),
                    status: status.into(),
                    from: m.start,
                    to,
                }
            })
            .collect(),
    })
}
