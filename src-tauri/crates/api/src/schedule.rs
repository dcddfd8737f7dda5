//! The scheduler's use cases: what is wrong with a stretch of the executive's calendar, and
//! plans for self-contained instances (`tandem schedule --instance`).

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tandem_core::calendar::freebusy::{holds, Busy};
use tandem_core::calendar::travel::DayPlace;
use tandem_core::calendar::travel::{day_places, shown_zone};
use tandem_core::itip::{self, Outgoing};
use tandem_core::scheduler::check::{is_move, placed_start, Placement, Terms, Violation};
use tandem_core::scheduler::conflicts::find_conflicts;
use tandem_core::scheduler::find::find_slots;
use tandem_core::scheduler::instance::{Instance, InstanceMeeting, Person, Span};
use tandem_core::scheduler::proposal::{propose, Move};
use tandem_core::scheduler::solve::{solve, Options, DEFAULT_STEPS};
use tandem_core::scheduler::week::{instance_for, EXECUTIVE};
use tandem_core::scheduler::Meeting;
use tandem_core::{Event, ExecutiveProfile, Occurrence, ParticipationStatus, Tier, TimeWindow};
use tandem_store::{Approval, MeetingSnapshot, OutboxState};

use crate::calendar::{response_of, MAX_RANGE_DAYS};
use crate::dto::{
    AlternativeDto, ApprovalDto, ConflictDto, ConflictMeetingDto, ConflictsDto, FindTimeDto, MoveDto, ProposalDto,
    ScheduleDto, SlotDto,
};
use crate::error::ErrorCode;
use crate::error::{ApiError, Result};
use crate::invitations::effective_tiers;
use crate::invitations::MANUAL_HOLD_SECONDS;
use crate::Tandem;

/// The grid new meetings are offered on by find-a-time.
pub const FIND_TIME_GRID_MINUTES: u32 = 15;

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
        let clock = Clock { places: &places, zone };
        let view = |t: DateTime<Utc>| clock.wall(t);
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
        let clock = Clock { places: &places, zone };
        let view = |t: DateTime<Utc>| clock.words(t);
        let proposals = propose(&instance, &plan, &view);
        let wall = |t: DateTime<Utc>| clock.wall(t);
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
                .filter(|c| c.meetings.iter().filter_map(|id| instance.index_of(id)).any(|i| meetings[i].end > now))
                .map(|c| {
                    let names: Vec<String> = c
                        .meetings
                        .iter()
                        .filter_map(|id| instance.index_of(id))
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

    /// The best `count` slots over `days` local days from `from` for a new meeting of
    /// `minutes` with `attendees` (required) and `optional` ones, ranked, with reasons. An
    /// attendee who is another executive in this Tandem is checked against their calendar;
    /// anyone else counts as free. Nothing in the calendar moves.
    #[allow(clippy::too_many_arguments)]
    pub fn find_time(
        &self,
        executive: Option<&str>,
        attendees: &[String],
        optional: &[String],
        minutes: u32,
        from: NaiveDate,
        days: u32,
        count: usize,
        now: DateTime<Utc>,
    ) -> Result<FindTimeDto> {
        if !(5..=24 * 60).contains(&minutes) {
            return Err(ApiError::invalid(format!("{minutes} minutes: a meeting lasts 5 to 1440 minutes")));
        }
        let profile = self.executive(executive)?;
        let zone = profile.home_time_zone;
        let (meetings, places) = self.scheduled_meetings(&profile, from, days, now)?;
        let mut instance = instance_for(&meetings, &profile, &places, from, days, now);
        // A new meeting is offered on the quarter hours people book, not at 08:55.
        instance.grid_minutes = FIND_TIME_GRID_MINUTES;
        let lower = |a: &String| a.trim().to_ascii_lowercase();
        let required: Vec<String> = attendees.iter().map(lower).filter(|a| !profile.is_self(a)).collect();
        let optional: Vec<String> = optional.iter().map(lower).filter(|a| !required.contains(a)).collect();
        // Other executives here: their calendars are known.
        let mut known = Vec::new();
        for other in self.store.executives()? {
            let p = self.store.executive_profile(&other.id)?;
            if p.id == profile.id {
                continue;
            }
            for address in required.iter().chain(&optional).filter(|a| p.is_self(a)) {
                let (theirs, _) = self.scheduled_meetings(&p, from, days, now)?;
                instance.people.push(Person {
                    id: address.clone(),
                    name: Some(p.name.clone()),
                    busy: theirs.iter().map(|m| Span { start: m.start, end: m.end }).collect(),
                });
                known.push(address.clone());
            }
        }
        let meeting = InstanceMeeting {
            id: "new".into(),
            summary: "New meeting".into(),
            start: None,
            duration_minutes: minutes,
            tier: Tier::DEFAULT,
            own: true,
            fixed: false,
            personal: false,
            required: std::iter::once(EXECUTIVE.to_string()).chain(required.iter().cloned()).collect(),
            optional: optional.clone(),
            window: None,
            place: None,
            attendees: Some((required.len() + optional.len()) as u32),
        };
        let clock = Clock { places: &places, zone };
        let view = |t: DateTime<Utc>| clock.words(t);
        let wall = |t: DateTime<Utc>| clock.wall(t);
        let slots = find_slots(&instance, meeting, count.clamp(1, 10), &view);
        Ok(FindTimeDto {
            executive_id: profile.id.clone(),
            minutes,
            known,
            slots: slots
                .iter()
                .map(|s| SlotDto {
                    start: s.start.to_rfc3339(),
                    end: s.end.to_rfc3339(),
                    view_start: wall(s.start),
                    view_end: wall(s.end),
                    cost: s.cost,
                    reason: s.reason.clone(),
                })
                .collect(),
        })
    }

    /// Approves moves (a proposal's, or one of its alternatives'). The executive's meetings
    /// move in the calendar (one instance of a series gets an override) and their attendees
    /// get the update; someone else's meeting stays where it is and its organiser gets a
    /// counter-proposal, since only they can move it. Every move is checked against the
    /// calendar first (the meeting must still be where the proposal saw it), and nothing is
    /// written unless all pass. The whole approval is undone as one while nothing has left.
    pub fn approve_moves(
        &mut self,
        executive: Option<&str>,
        moves: &[MoveDto],
        now: DateTime<Utc>,
    ) -> Result<ApprovalDto> {
        let profile = self.executive(executive)?;
        let zone = profile.home_time_zone;
        let acting: Vec<&MoveDto> = moves.iter().filter(|m| m.action != "unresolved").collect();
        if acting.is_empty() {
            return Err(ApiError::invalid("nothing to approve: no move in it has a new time"));
        }
        struct Change {
            calendar: i64,
            uid: String,
            write: Option<Event>,
            /// The message, and who sends it (the executive, through the EP).
            message: Option<(Outgoing, itip::Sender)>,
            line: String,
        }
        let mut changes = Vec::new();
        for mv in acting {
            let instant = |text: &str, what: &str| {
                DateTime::parse_from_rfc3339(text)
                    .map(|t| t.with_timezone(&Utc))
                    .map_err(|_| ApiError::invalid(format!("'{text}' is not an RFC 3339 {what}")))
            };
            let from = instant(&mv.from, "start")?;
            let to = instant(mv.to.as_deref().unwrap_or_default(), "new start")?;
            let held = self.store.events_with_uid(&profile.id, &mv.uid)?;
            let Some(home) = held.iter().find(|h| h.event.recurrence_id.is_none()).or(held.first()) else {
                return Err(ApiError::new(ErrorCode::NotFound, format!("no meeting {} for {}", mv.uid, profile.id)));
            };
            let calendar = home.calendar_id;
            let components: Vec<&Event> = held.iter().filter(|h| h.calendar_id == calendar).map(|h| &h.event).collect();
            let master = components.iter().copied().find(|e| e.recurrence_id.is_none());
            let overrides: Vec<&Event> = components.iter().copied().filter(|e| e.recurrence_id.is_some()).collect();
            let window = TimeWindow::new(from - Duration::minutes(1), from + Duration::minutes(1));
            let moved_since = || {
                ApiError::new(
                    ErrorCode::Conflict,
                    format!(
                        "'{}' is no longer at {}: the calendar changed since the proposal; ask for proposals again",
                        mv.summary, mv.view_from
                    ),
                )
            };
            let occurrence = tandem_core::expand_series(master, &overrides, window, zone)
                .map_err(|e| ApiError::invalid(e.to_string()))?
                .into_iter()
                .find(|o| {
                    o.start_utc == from
                        && o.recurrence_id.map(|r| r.to_contract_string()) == mv.recurrence_id
                        && o.status != tandem_core::EventStatus::Cancelled
                })
                .ok_or_else(moved_since)?;
            let length = occurrence.end_utc - occurrence.start_utc;
            // The component that carries this instance: the meeting itself, the instance's
            // override, or a new override of the series.
            let base: Event = match occurrence.recurrence_id {
                None => master.or(components.first().copied()).cloned().ok_or_else(moved_since)?,
                Some(rid) => {
                    match overrides.iter().find(|e| e.recurrence_id.map(|r| r.instance()) == Some(rid.instance())) {
                        Some(e) => (*e).clone(),
                        None => {
                            let mut e = master.cloned().ok_or_else(moved_since)?;
                            e.recurrence_id = Some(rid);
                            e.start = occurrence.start;
                            e.end = Some(occurrence.end);
                            e.duration_seconds = None;
                            e.rrules.clear();
                            e.rdates.clear();
                            e.exdates.clear();
                            e
                        }
                    }
                }
            };
            let me = crate::outgoing::sender(&profile, Some(&base));
            let mine = base.organizer.as_ref().is_none_or(|o| profile.is_self(&o.address));
            match (mv.action.as_str(), mine) {
                ("move", true) => {
                    let mut e = base.clone();
                    e.start = base.start.at_instant(to, zone);
                    e.end = Some(base.end.unwrap_or(base.start).at_instant(to + length, zone));
                    e.duration_seconds = None;
                    e.sequence = master.map_or(base.sequence, |m| m.sequence.max(base.sequence)) + 1;
                    e.stamp = Some(now);
                    let announce = base.organizer.is_some() && !e.attendees.is_empty();
                    if announce {
                        // A new time asks everyone again (RFC 5546 §2.1.4).
                        for a in e.attendees.iter_mut() {
                            a.status = ParticipationStatus::NeedsAction;
                            a.rsvp = true;
                        }
                    }
                    let message = announce.then(|| (itip::request(&e, &me, now), me));
                    changes.push(Change {
                        calendar,
                        uid: mv.uid.clone(),
                        write: Some(e),
                        message,
                        line: mv.reason.clone(),
                    });
                }
                ("counter", false) | ("move", false) => {
                    let comment =
                        format!("{} has a clash at the current time; the proposed one is free.", profile.name);
                    let message = itip::counter(&base, &me, (to, to + length), Some(&comment), now);
                    changes.push(Change {
                        calendar,
                        uid: mv.uid.clone(),
                        write: None,
                        message: Some((message, me)),
                        line: mv.reason.clone(),
                    });
                }
                ("counter", true) => {
                    return Err(ApiError::invalid(format!("'{}' is the executive's own meeting: move it", mv.summary)))
                }
                (other, _) => return Err(ApiError::invalid(format!("'{other}' is not a move (move, counter)"))),
            }
        }
        let send_after = now + Duration::seconds(MANUAL_HOLD_SECONDS);
        let id = self.store.transaction(|s| {
            let mut snapshots: Vec<MeetingSnapshot> = Vec::new();
            let mut outbox = Vec::new();
            for (n, c) in changes.iter().enumerate() {
                if let Some(e) = &c.write {
                    if !snapshots.iter().any(|x| x.calendar_id == c.calendar && x.uid == c.uid) {
                        let mut components = Vec::new();
                        for h in
                            s.events_with_uid(&profile.id, &c.uid)?.into_iter().filter(|h| h.calendar_id == c.calendar)
                        {
                            let key = h.event.recurrence_id.map(|r| r.instance_key()).unwrap_or_default();
                            let raw = s.event_raw(c.calendar, &c.uid, &key)?.unwrap_or_default();
                            components.push((h.event, raw));
                        }
                        snapshots.push(MeetingSnapshot { calendar_id: c.calendar, uid: c.uid.clone(), components });
                    }
                    s.upsert_events(c.calendar, &[(e.clone(), tandem_formats::ics::write_vevent(e))])?;
                    s.queue_caldav_write(&profile.id, c.calendar, &c.uid, &format!("Move '{}'", e.summary), now)?;
                }
                if let Some((out, me)) = &c.message {
                    outbox.push(crate::outgoing::enqueue(s, &profile, me, out, None, n, None, now, send_after)?);
                }
            }
            let lines: Vec<&str> = changes.iter().map(|c| c.line.as_str()).collect();
            s.record_approval(&profile.id, &lines.join("\n"), &snapshots, &outbox, now)
        })?;
        Ok(approval_dto(&self.store.approval(&profile.id, id)?, &self.store.outbox(&profile.id)?))
    }

    /// Undoes an approval while nothing of it has left: its outbox items are taken back and
    /// the meetings it moved are restored as they were.
    pub fn undo_approval(&mut self, executive: Option<&str>, id: i64, now: DateTime<Utc>) -> Result<ApprovalDto> {
        let profile = self.executive(executive)?;
        let approval = self.store.approval(&profile.id, id)?;
        if approval.undone_at.is_some() {
            return Err(ApiError::new(ErrorCode::Conflict, format!("approval {id} is already undone")));
        }
        let outbox = self.store.outbox(&profile.id)?;
        let left: Vec<String> = outbox
            .iter()
            .filter(|o| approval.outbox_ids.contains(&o.id) && has_left(o.state))
            .map(|o| o.summary.clone())
            .collect();
        if !left.is_empty() {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                format!("approval {id} cannot be undone: already sent or sending: {}", left.join("; ")),
            ));
        }
        self.store.transaction(|s| {
            for &item in &approval.outbox_ids {
                s.cancel_outbox_item(item)?;
            }
            for snap in &approval.snapshots {
                s.replace_meeting(snap.calendar_id, &snap.uid, &snap.components)?;
                s.queue_caldav_write(&profile.id, snap.calendar_id, &snap.uid, "Move back (approval undone)", now)?;
            }
            s.mark_approval_undone(id, now)?;
            Ok(())
        })?;
        Ok(approval_dto(&self.store.approval(&profile.id, id)?, &self.store.outbox(&profile.id)?))
    }

    /// The executive's approvals, newest first.
    pub fn approvals(&self, executive: Option<&str>) -> Result<Vec<ApprovalDto>> {
        let profile = self.executive(executive)?;
        let outbox = self.store.outbox(&profile.id)?;
        Ok(self.store.approvals(&profile.id)?.iter().map(|a| approval_dto(a, &outbox)).collect())
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
                    tier: tiers.get(o.uid.as_ref()).copied().unwrap_or_else(|| {
                        let groups = o.organizer.as_ref().map(|p| profile.groups_of(&p.address)).unwrap_or_default();
                        tandem_core::tier::default_for(&groups, o.attendees.len(), hold == Busy::Tentative)
                    }),
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

fn approval_dto(a: &Approval, outbox: &[tandem_store::OutboxItem]) -> ApprovalDto {
    let waiting = outbox.iter().filter(|o| a.outbox_ids.contains(&o.id)).all(|o| !has_left(o.state));
    ApprovalDto {
        id: a.id,
        created_at: a.created_at.to_rfc3339(),
        summary: a.summary.lines().map(String::from).collect(),
        outbox: a.outbox_ids.clone(),
        undone: a.undone_at.is_some(),
        can_undo: a.undone_at.is_none() && waiting,
    }
}

/// Whether an outbox item is sent or on its way (an approval that queued it can no longer be
/// undone); a queued item, or one taken back, has not left.
fn has_left(state: OutboxState) -> bool {
    !matches!(state, OutboxState::Queued | OutboxState::Cancelled)
}

/// How the EP reads an instant: on the clock of wherever the executive is that day.
struct Clock<'a> {
    places: &'a [DayPlace],
    zone: chrono_tz::Tz,
}

impl Clock<'_> {
    fn local(&self, t: DateTime<Utc>) -> chrono::NaiveDateTime {
        tandem_core::time::local_in(shown_zone(self.places, self.zone, t), t)
    }

    /// "Tue 24 Nov 14:00", as the reasons say it.
    fn words(&self, t: DateTime<Utc>) -> String {
        self.local(t).format("%a %-d %b %H:%M").to_string()
    }

    /// The wall clock as the calendar views carry it (`YYYY-MM-DDTHH:MM:SS`).
    fn wall(&self, t: DateTime<Utc>) -> String {
        tandem_core::calendar::wall_string(self.local(t), false)
    }
}
