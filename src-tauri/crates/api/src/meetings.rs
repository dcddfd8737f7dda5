//! Meetings the executive organises: the EP creates, edits and cancels them, and Tandem sends
//! the attendees iTIP REQUESTs and CANCELs (as iMIP mail, through the outbox) with the EP as
//! SENT-BY.
//!
//! Every change is written locally first. A message about a meeting that has not left yet is
//! superseded by the next one (the newest REQUEST carries the whole meeting), so an edit made
//! a moment after another sends one update, not two; and cancelling a meeting whose
//! invitation never left removes it without telling anyone (nobody knew of it). That is also
//! how a creation is undone.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use tandem_core::calendar::{Attendee, Participant, ParticipationStatus, Role};
use tandem_core::itip::{self, Outgoing};
use tandem_core::{Event, EventStatus, EventTime, ExecutiveProfile};
use tandem_store::NewCalendar;

use crate::dto::{MeetingAttendeeDto, MeetingChanges, MeetingDraft, MeetingDto};
use crate::error::{ApiError, ErrorCode, Result};
use crate::invitations::{outbox_dto, MANUAL_HOLD_SECONDS};
use crate::Tandem;

/// The calendar new meetings go into when none is named and the executive has none of their own.
const DEFAULT_CALENDAR: &str = "Calendar";

impl Tandem {
    /// Creates a meeting the executive organises and invites its attendees.
    pub fn create_meeting(
        &mut self,
        executive: Option<&str>,
        draft: &MeetingDraft,
        now: DateTime<Utc>,
    ) -> Result<MeetingDto> {
        let profile = self.executive(executive)?;
        let title = draft.title.trim();
        if title.is_empty() {
            return Err(ApiError::invalid("a meeting needs a title"));
        }
        let (start, end) = times(&profile, &draft.start, &draft.end)?;
        let me = crate::outgoing::sender(&profile, None);
        let seed = format!("{}|{title}|{}|{}", profile.id, draft.start, now.timestamp_micros());
        let uid = format!("tandem-{:016x}@{}", tandem_formats::content_hash(seed.as_bytes()), domain(&profile));
        let mut e = Event::new(uid, title, start);
        e.end = Some(end);
        e.stamp = Some(now);
        e.location = draft.location.clone().filter(|l| !l.trim().is_empty());
        e.description = draft.description.clone().filter(|d| !d.trim().is_empty());
        if let Some(rule) = draft.rrule.as_deref().filter(|r| !r.trim().is_empty()) {
            e.rrules.push(rule.trim().trim_start_matches("RRULE:").to_string());
        }
        e.organizer = Some(me.executive.clone());
        e.attendees = attendees(&profile, &draft.attendees, &draft.optional)?;
        // The rule must expand, or the attendees get a meeting no calendar can show.
        let check = tandem_core::TimeWindow::new(
            start.to_utc(profile.home_time_zone),
            start.to_utc(profile.home_time_zone) + Duration::days(400),
        );
        tandem_core::expand_series(Some(&e), &[], check, profile.home_time_zone)
            .map_err(|err| ApiError::invalid(format!("{err}")))?;
        let calendar = self.meeting_calendar(&profile, draft.calendar.as_deref())?;
        let messages = if e.attendees.is_empty() { vec![] } else { vec![itip::request(&e, &me, now)] };
        self.write_meeting(&profile, calendar, &e, &messages, now)?;
        self.meeting_dto(&profile, &e.uid)
    }

    /// Changes a meeting the executive organises: SEQUENCE goes up, attendees get the update,
    /// and anyone taken off the list gets a CANCEL.
    pub fn edit_meeting(
        &mut self,
        executive: Option<&str>,
        uid: &str,
        changes: &MeetingChanges,
        now: DateTime<Utc>,
    ) -> Result<MeetingDto> {
        let profile = self.executive(executive)?;
        let (calendar, old) = self.organised(&profile, uid)?;
        let me = crate::outgoing::sender(&profile, Some(&old));
        let mut e = old.clone();
        if let Some(t) = changes.title.as_deref().map(str::trim) {
            if t.is_empty() {
                return Err(ApiError::invalid("a meeting needs a title"));
            }
            e.summary = t.to_string();
        }
        if changes.start.is_some() || changes.end.is_some() {
            let zone = profile.home_time_zone;
            let old_start = old.start.to_utc(zone);
            let old_length = old
                .end
                .map(|x| x.to_utc(zone) - old_start)
                .or(old.duration_seconds.map(Duration::seconds))
                .unwrap_or(Duration::hours(1));
            let start_text = changes.start.clone().unwrap_or_else(|| crate::invitations::rfc3339(old_start));
            let start = parse_time(&profile, &start_text, "start")?;
            let end_text = match &changes.end {
                Some(x) => x.clone(),
                None => crate::invitations::rfc3339(start.to_utc(zone) + old_length),
            };
            let (start, end) = times(&profile, &start_text, &end_text)?;
            e.start = start;
            e.end = Some(end);
            e.duration_seconds = None;
        }
        if let Some(l) = &changes.location {
            e.location = Some(l.clone()).filter(|l| !l.trim().is_empty());
        }
        let mut removed = Vec::new();
        if let Some(list) = &changes.attendees {
            let kept = attendees(&profile, list, &changes.optional.clone().unwrap_or_default())?;
            for a in &e.attendees {
                if !kept.iter().any(|k| k.participant.address == a.participant.address) {
                    removed.push(a.clone());
                }
            }
            // Answers already given stay with the people who gave them.
            e.attendees = kept
                .into_iter()
                .map(|mut k| {
                    if let Some(was) = old.attendees.iter().find(|a| a.participant.address == k.participant.address) {
                        k.status = was.status;
                    }
                    k
                })
                .collect();
        }
        let moved = e.start != old.start || e.end != old.end || e.location != old.location;
        if moved {
            // A new time asks everyone again (RFC 5546 §2.1.4).
            for a in e.attendees.iter_mut() {
                a.status = ParticipationStatus::NeedsAction;
                a.rsvp = true;
            }
        }
        if e == old {
            return self.meeting_dto(&profile, uid);
        }
        e.sequence = old.sequence + 1;
        e.stamp = Some(now);
        let mut messages = Vec::new();
        if !e.attendees.is_empty() {
            messages.push(itip::request(&e, &me, now));
        }
        if !removed.is_empty() {
            let mut gone = e.clone();
            gone.attendees = removed;
            messages.push(itip::cancel(&gone, &me, None, None, now));
        }
        self.write_meeting(&profile, calendar, &e, &messages, now)?;
        self.meeting_dto(&profile, uid)
    }

    /// Cancels a meeting the executive organises (or one instance of a series, `instance` in
    /// contract form). A meeting whose invitation never left is simply removed.
    pub fn cancel_meeting(
        &mut self,
        executive: Option<&str>,
        uid: &str,
        instance: Option<&str>,
        message: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<MeetingDto> {
        let profile = self.executive(executive)?;
        let (calendar, old) = self.organised(&profile, uid)?;
        let me = crate::outgoing::sender(&profile, Some(&old));
        if instance.is_none() && !self.store.meeting_announced(&profile.id, uid)? {
            let dto = self.meeting_dto(&profile, uid)?;
            self.store.transaction(|s| {
                for item in s.queued_for_meeting(&profile.id, uid)? {
                    s.cancel_outbox_item(item.id)?;
                }
                s.replace_meeting(calendar, uid, &[])?;
                s.queue_caldav_write(&profile.id, calendar, uid, &format!("Remove '{}'", dto.summary), now)?;
                Ok(())
            })?;
            tracing::info!(executive = %profile.id, "meeting withdrawn before anyone was told");
            return Ok(MeetingDto { status: "withdrawn".into(), outbox: vec![], ..dto });
        }
        let mut e = old.clone();
        e.sequence = old.sequence + 1;
        e.stamp = Some(now);
        let out = match instance {
            None => {
                e.status = EventStatus::Cancelled;
                itip::cancel(&e, &me, None, message, now)
            }
            Some(text) => {
                let at = self.instance_of(&profile, &old, text)?;
                e.exdates.push(at);
                itip::cancel(&e, &me, Some(at), message, now)
            }
        };
        let messages = if e.attendees.is_empty() { vec![] } else { vec![out] };
        self.write_meeting(&profile, calendar, &e, &messages, now)?;
        self.meeting_dto(&profile, uid)
    }

    /// The meeting as it now stands, with what is waiting to leave about it.
    pub fn meeting(&self, executive: Option<&str>, uid: &str) -> Result<MeetingDto> {
        let profile = self.executive(executive)?;
        self.meeting_dto(&profile, uid)
    }

    fn meeting_dto(&self, profile: &ExecutiveProfile, uid: &str) -> Result<MeetingDto> {
        let held = self.store.events_with_uid(&profile.id, uid)?;
        let Some(stored) = held.iter().find(|h| h.event.recurrence_id.is_none()).or(held.first()) else {
            return Err(ApiError::new(ErrorCode::NotFound, format!("no meeting {uid} for {}", profile.id)));
        };
        let e = &stored.event;
        let calendar =
            self.store.calendars(&profile.id)?.into_iter().find(|c| c.id == stored.calendar_id).map(|c| c.name);
        let outbox = self.store.outbox(&profile.id)?;
        Ok(MeetingDto {
            uid: e.uid.clone(),
            summary: e.summary.clone(),
            start: e.start.to_contract_string(),
            end: e.end.map(|t| t.to_contract_string()),
            location: e.location.clone(),
            recurring: e.is_recurring(),
            sequence: e.sequence,
            status: match e.status {
                EventStatus::Cancelled => "cancelled",
                EventStatus::Tentative => "tentative",
                EventStatus::Confirmed => "confirmed",
            }
            .into(),
            calendar: calendar.unwrap_or_default(),
            attendees: e
                .attendees
                .iter()
                .map(|a| MeetingAttendeeDto {
                    address: a.participant.address.clone(),
                    name: a.participant.name.clone(),
                    status: crate::calendar::response_name(a.status),
                    optional: a.role == Role::Optional,
                })
                .collect(),
            outbox: outbox.iter().filter(|o| o.uid.as_deref() == Some(uid)).rev().map(outbox_dto).collect(),
        })
    }

    /// The calendar and master of a meeting the executive organises.
    pub(crate) fn organised(&self, profile: &ExecutiveProfile, uid: &str) -> Result<(i64, Event)> {
        let held = self.store.events_with_uid(&profile.id, uid)?;
        let Some(h) = held.iter().find(|h| h.event.recurrence_id.is_none()) else {
            return Err(ApiError::new(ErrorCode::NotFound, format!("no meeting {uid} for {}", profile.id)));
        };
        let mine = h.event.organizer.as_ref().is_some_and(|o| profile.is_self(&o.address));
        if !mine {
            let by = h
                .event
                .organizer
                .as_ref()
                .map(|o| o.address.clone())
                .unwrap_or_else(|| "nobody (a personal event)".into());
            return Err(ApiError::new(
                ErrorCode::Conflict,
                format!(
                    "'{}' is organised by {by}, not {}: answer it as an invitation instead",
                    h.event.summary, profile.name
                ),
            ));
        }
        if h.event.status == EventStatus::Cancelled {
            return Err(ApiError::new(ErrorCode::Conflict, format!("'{}' is already cancelled", h.event.summary)));
        }
        // A change the server would refuse would stay here alone, and be undone by the next sync.
        if self.store.caldav_calendar(h.calendar_id)?.is_some_and(|m| !m.writable) {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                format!("'{}' is in a calendar that is read-only on its server: change it there", h.event.summary),
            ));
        }
        Ok((h.calendar_id, h.event.clone()))
    }

    fn instance_of(&self, profile: &ExecutiveProfile, e: &Event, text: &str) -> Result<EventTime> {
        let at = parse_time(profile, text, "instance")?.to_utc(profile.home_time_zone);
        let window = tandem_core::TimeWindow::new(at - Duration::minutes(1), at + Duration::minutes(1));
        let found = tandem_core::expand_series(Some(e), &[], window, profile.home_time_zone)
            .map_err(|err| ApiError::invalid(format!("{err}")))?
            .into_iter()
            .find(|o| o.start_utc == at);
        found
            .and_then(|o| o.recurrence_id.or(Some(o.start)))
            .ok_or_else(|| ApiError::invalid(format!("'{}' has no instance at {text}", e.summary)))
    }

    /// The calendars a new meeting can go in, in the store's order (the first is the default):
    /// not subscriptions (their publisher owns them), not the calendar invitations from mail
    /// land in, not calendars read-only on their CalDAV server.
    pub(crate) fn meeting_calendars(&self, executive: &str) -> Result<Vec<i64>> {
        let feeds: Vec<i64> = self.store.subscriptions(executive)?.iter().map(|f| f.calendar_id).collect();
        let mut holding = Vec::new();
        for c in self.store.calendars(executive)? {
            let read_only = self.store.caldav_calendar(c.id)?.is_some_and(|m| !m.writable);
            if !feeds.contains(&c.id) && c.name != tandem_sync::INVITATIONS_CALENDAR && !read_only {
                holding.push(c.id);
            }
        }
        Ok(holding)
    }

    fn meeting_calendar(&self, profile: &ExecutiveProfile, named: Option<&str>) -> Result<i64> {
        let holding = self.meeting_calendars(&profile.id)?;
        if let Some(name) = named {
            let calendars = self.store.calendars(&profile.id)?;
            let c = calendars.iter().find(|c| c.name == name).ok_or_else(|| {
                ApiError::new(ErrorCode::NotFound, format!("no calendar '{name}' for {}", profile.id))
            })?;
            if !holding.contains(&c.id) {
                let why = if self.store.caldav_calendar(c.id)?.is_some() {
                    "it is read-only on its server"
                } else if c.name == tandem_sync::INVITATIONS_CALENDAR {
                    "it holds the invitations that came by mail"
                } else {
                    "it is a subscription, owned by its publisher"
                };
                return Err(ApiError::invalid(format!("'{name}' cannot hold new meetings: {why}")));
            }
            return Ok(c.id);
        }
        match holding.first() {
            Some(&id) => Ok(id),
            None => Ok(self
                .store
                .ensure_calendar(&profile.id, &NewCalendar { name: DEFAULT_CALENDAR, color: "#2f6fde", source: None })?
                .id),
        }
    }

    /// Writes the meeting and queues its messages in one transaction; messages about it still
    /// waiting are taken back first (the new ones carry the whole meeting).
    fn write_meeting(
        &mut self,
        profile: &ExecutiveProfile,
        calendar: i64,
        e: &Event,
        messages: &[Outgoing],
        now: DateTime<Utc>,
    ) -> Result<()> {
        let me = crate::outgoing::sender(profile, Some(e));
        let send_after = now + Duration::seconds(MANUAL_HOLD_SECONDS);
        self.store.transaction(|s| {
            for item in s.queued_for_meeting(&profile.id, &e.uid)? {
                s.cancel_outbox_item(item.id)?;
            }
            let raw = tandem_formats::ics::write_vevent(e);
            s.upsert_events(calendar, &[(e.clone(), raw)])?;
            s.queue_caldav_write(&profile.id, calendar, &e.uid, &format!("Write '{}'", e.summary), now)?;
            for (n, out) in messages.iter().enumerate() {
                crate::outgoing::enqueue(s, profile, &me, out, None, n, None, now, send_after)?;
            }
            Ok(())
        })?;
        Ok(())
    }
}

fn domain(profile: &ExecutiveProfile) -> String {
    profile.primary_address().rsplit_once('@').map_or("localhost", |(_, d)| d).to_ascii_lowercase()
}

/// A time the EP typed: `YYYY-MM-DDTHH:MM` on the executive's home clock, or an RFC 3339
/// instant (kept on the home clock, the zone the attendees will see named).
fn parse_time(profile: &ExecutiveProfile, text: &str, what: &str) -> Result<EventTime> {
    let zone = profile.home_time_zone;
    let text = text.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Ok(EventTime::Zoned { local: tandem_core::time::local_in(zone, at.with_timezone(&Utc)), zone });
    }
    for format in ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(local) = NaiveDateTime::parse_from_str(text, format) {
            return Ok(EventTime::Zoned { local, zone });
        }
    }
    Err(ApiError::invalid(format!("{what}: '{text}' is not a time like 2026-12-01T10:00 or an RFC 3339 instant")))
}

/// The instant a time typed like [`parse_time`] takes denotes (for `--minutes` in the CLI).
pub fn local_or_instant(profile: &ExecutiveProfile, text: &str) -> Result<DateTime<Utc>> {
    Ok(parse_time(profile, text, "start")?.to_utc(profile.home_time_zone))
}

fn times(profile: &ExecutiveProfile, start: &str, end: &str) -> Result<(EventTime, EventTime)> {
    let (s, e) = (parse_time(profile, start, "start")?, parse_time(profile, end, "end")?);
    let zone = profile.home_time_zone;
    if e.to_utc(zone) <= s.to_utc(zone) {
        return Err(ApiError::invalid(format!("the meeting ends ({end}) before it starts ({start})")));
    }
    Ok((s, e))
}

fn attendees(profile: &ExecutiveProfile, required: &[String], optional: &[String]) -> Result<Vec<Attendee>> {
    let mut out: Vec<Attendee> = Vec::new();
    for (list, role) in [(required, Role::Required), (optional, Role::Optional)] {
        for raw in list {
            let address = raw.trim().trim_start_matches("mailto:").to_ascii_lowercase();
            if address.is_empty() {
                continue;
            }
            let valid = address.split_once('@').is_some_and(|(l, d)| !l.is_empty() && d.contains('.'))
                && !address.contains(char::is_whitespace);
            if !valid {
                return Err(ApiError::invalid(format!("attendee '{raw}' is not an e-mail address")));
            }
            if profile.is_self(&address) || out.iter().any(|a| a.participant.address == address) {
                continue;
            }
            out.push(Attendee {
                participant: Participant::new(address, None),
                role,
                status: ParticipationStatus::NeedsAction,
                rsvp: true,
            });
        }
    }
    Ok(out)
}
