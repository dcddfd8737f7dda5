//! The executive's briefing of one day, assembled from the store for `core::briefing`: the
//! day's meetings in the day's local time (with journeys across zones, the travel between
//! places, the EP's prep notes and linked threads), the threads waiting on the executive, what
//! the EP changed since the last briefing delivered, the open conflicts and the proposals, and
//! the next day. Exporting or mailing a briefing records it as delivered.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
pub use tandem_core::briefing::{Briefing, Edition};
use tandem_core::briefing::{BriefingMeeting, BriefingPerson, Stop};
use tandem_core::calendar::{in_person, travel::is_lodging, EventTime};
use tandem_core::decision::DecisionAction;
use tandem_core::scheduler::conflicts::DEFAULT_TRAVEL_MINUTES;

use crate::dto::AgendaItem;
use crate::error::Result;
use crate::Tandem;

/// Subjects listed under "decisions needed" (the rest are counted).
const MAX_DECISIONS: usize = 12;
/// Changes listed (the rest are counted): the executive reads the gist, the EP has the log.
const MAX_CHANGES: usize = 15;
/// How far back "changed" looks when no briefing was delivered before.
const CHANGES_SINCE_HOURS: i64 = 24;

/// One item of the agenda with its instants, for the parts of the briefing that count time.
struct Item<'a> {
    agenda: &'a AgendaItem,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

impl Tandem {
    /// The briefing of `date`: the morning edition, or the evening one read the night before
    /// (which adds what is left of that evening).
    pub fn briefing(
        &self,
        executive: Option<&str>,
        date: NaiveDate,
        edition: Edition,
        now: DateTime<Utc>,
    ) -> Result<Briefing> {
        let profile = self.executive(executive)?;
        let exec = Some(profile.id.as_str());
        let eve = date - Duration::days(1);
        let range = self.calendar_range(exec, eve, 4)?;
        let zone_of = |d: NaiveDate| -> (Tz, Option<Tz>, Option<String>) {
            let day = d.to_string();
            match range.places.iter().find(|p| p.date == day) {
                Some(p) => (
                    p.zone.parse().unwrap_or(profile.home_time_zone),
                    p.other_zone.as_deref().and_then(|z| z.parse().ok()),
                    Some(p.reason.clone()).filter(|r| r != "home"),
                ),
                None => (profile.home_time_zone, None, None),
            }
        };
        let (zone, other_zone, zone_reason) = zone_of(date);
        // Instants: a zoned or UTC time carries its offset; a floating one is read where the
        // executive is that day.
        let instant = |contract: &str, view: &str| -> DateTime<Utc> {
            DateTime::parse_from_rfc3339(contract).map(|t| t.with_timezone(&Utc)).unwrap_or_else(|_| {
                let local = chrono::NaiveDateTime::parse_from_str(view, "%Y-%m-%dT%H:%M").unwrap_or_default();
                tandem_core::time::resolve_local(zone_of(local.date()).0, local)
            })
        };
        let items: Vec<Item> = range
            .items
            .iter()
            .map(|a| Item { agenda: a, start: instant(&a.start, &a.view_start), end: instant(&a.end, &a.view_end) })
            .collect();
        let on = |d: NaiveDate| -> Vec<&Item> {
            let (from, to) = day_bounds(d);
            items
                .iter()
                .filter(|i| i.agenda.view_start < to && i.agenda.view_end > from)
                .filter(|i| !i.agenda.free && i.agenda.response.as_deref() != Some("declined"))
                .collect()
        };
        let glance = |d: NaiveDate, i: &Item| {
            let mut m = meeting(i.agenda, d);
            m.journey = None;
            m
        };

        let today = on(date);
        let mut meetings = Vec::with_capacity(today.len());
        let mut stops = Vec::with_capacity(today.len());
        for item in &today {
            let a = item.agenda;
            let mut m = meeting(a, date);
            // A thread once, under what it is about rather than a reply's "Re: …".
            for subject in self.store.linked_subjects(&profile.id, &a.uid)? {
                let bare = tandem_core::briefing::bare_subject(&subject);
                if !m.threads.iter().any(|t| t.eq_ignore_ascii_case(bare)) {
                    m.threads.push(bare.to_string());
                }
            }
            m.prep.extend(self.store.prep_note(&profile.id, &a.uid, a.recurrence_id.as_deref())?);
            let stored = self.store.events_with_uid(&profile.id, &a.uid)?;
            let event = stored
                .iter()
                .find(|s| s.event.recurrence_id.map(|r| r.to_contract_string()) == a.recurrence_id)
                .or(stored.first())
                .map(|s| &s.event);
            let mut journey = false;
            if let Some(e) = event {
                let text = e.description.as_deref().unwrap_or_default();
                m.dial_in = tandem_core::briefing::dial_in(a.location.as_deref(), text);
                m.purpose = tandem_core::briefing::purpose(text);
                // Who is there, and who they are to the executive (the profile's groups).
                m.attendees = e
                    .organizer
                    .iter()
                    .chain(e.attendees.iter().map(|a| &a.participant))
                    .filter(|p| !profile.is_self(&p.address))
                    .fold(Vec::<BriefingPerson>::new(), |mut people, p| {
                        let name = p.name.clone().unwrap_or_else(|| p.address.clone());
                        if !people.iter().any(|x| x.name == name) {
                            let groups = profile.groups_of(&p.address);
                            people.push(BriefingPerson { name, who: (!groups.is_empty()).then(|| groups.join(", ")) });
                        }
                        people
                    });
                if let (EventTime::Zoned { zone: from, .. }, Some(EventTime::Zoned { zone: to, .. })) = (e.start, e.end)
                {
                    if from != to {
                        m.journey = Some(tandem_core::briefing::journey(item.start, item.end, from, to));
                        journey = true;
                    }
                }
            }
            stops.push(Stop {
                title: &a.summary,
                // Under way since before the day: there is no getting to it today.
                place: a.location.as_deref().filter(|_| !m.began_before),
                start: item.start,
                end: item.end,
                journey,
            });
            meetings.push(m);
        }
        // Where the executive sleeps: a hotel in the calendars over the night of the day, or
        // the night before (the morning starts from there).
        let lodging = |d: NaiveDate| {
            let (from, to) = day_bounds(d);
            items.iter().find(|i| {
                is_lodging(&i.agenda.summary)
                    && (i.agenda.free || i.agenda.all_day)
                    && i.agenda.view_start < to
                    && i.agenda.view_end > from
            })
        };
        let stay = lodging(date).map(|i| match &i.agenda.location {
            Some(l) => format!("{} ({l})", i.agenda.summary),
            None => i.agenda.summary.clone(),
        });
        let base = lodging(date).or_else(|| lodging(eve)).map(|_| "the hotel");
        let allowance = Duration::minutes(i64::from(profile.travel_minutes.unwrap_or(DEFAULT_TRAVEL_MINUTES)));
        for (m, line) in meetings.iter_mut().zip(tandem_core::briefing::travel_before(&stops, base, allowance, zone)) {
            m.travel_before = line;
        }

        let this_evening = match edition {
            Edition::Morning => Vec::new(),
            Edition::Evening => on(eve).into_iter().filter(|i| i.end > now).map(|i| glance(eve, i)).collect(),
        };
        let next = date + Duration::days(1);
        let tomorrow = on(next).into_iter().map(|i| glance(next, i)).collect();
        let (decisions, decided_subjects) = self.decisions_needed(exec, now)?;
        let last = self.store.last_briefing_delivered(&profile.id, now)?;
        let since = last.as_ref().map_or(now - Duration::hours(CHANGES_SINCE_HOURS), |l| l.at);
        Ok(Briefing {
            executive: profile.name.clone(),
            date,
            edition,
            zone,
            other_zone,
            zone_reason,
            stay,
            generated_at: now,
            this_evening,
            meetings,
            flagged: self.flagged_for_briefing(exec, &decided_subjects)?,
            decisions,
            changes: self.changes_between(exec, since, now)?,
            changes_since: last.map(|l| l.at),
            conflicts: self.conflicts(exec, date, 1, now)?.conflicts.into_iter().map(|c| c.reason).collect(),
            proposals: self
                .schedule(exec, date, 1, now)?
                .proposals
                .iter()
                .flat_map(|p| p.moves.iter().map(|m| m.reason.clone()))
                .collect(),
            tomorrow,
        })
    }

    /// One line per subject waiting on the executive, in the lane's order (VIPs first), with
    /// who wrote: several people writing about one thing is one decision. With the lines, the
    /// subjects they list (`subject_key`), so that other sections do not repeat them.
    fn decisions_needed(&self, exec: Option<&str>, now: DateTime<Utc>) -> Result<(Vec<String>, Vec<String>)> {
        let page = self.inbox(exec, Some("needs_executive"), 0, 500, now)?;
        let mut order: Vec<String> = Vec::new();
        let mut by_subject: HashMap<String, (String, Vec<String>)> = HashMap::new();
        for m in &page.items {
            let key = tandem_core::briefing::subject_key(&m.subject);
            let who = m.from_name.clone().unwrap_or_else(|| m.from_address.clone());
            let entry = by_subject.entry(key.clone()).or_insert_with(|| {
                order.push(key);
                (tandem_core::briefing::bare_subject(&m.subject).to_string(), Vec::new())
            });
            if !entry.1.contains(&who) {
                entry.1.push(who);
            }
        }
        let mut out: Vec<String> = order
            .iter()
            .take(MAX_DECISIONS)
            .map(|k| {
                let (subject, people) = &by_subject[k];
                format!("{subject} (from {})", tandem_core::briefing::names(people, 3))
            })
            .collect();
        if order.len() > MAX_DECISIONS {
            out.push(format!("and {} more in the inbox", order.len() - MAX_DECISIONS));
        }
        order.truncate(MAX_DECISIONS);
        Ok((out, order))
    }

    /// The messages the EP flagged for the briefing and has not archived, newest first, each
    /// once (a subject already among the decisions is not repeated).
    fn flagged_for_briefing(&self, exec: Option<&str>, listed: &[String]) -> Result<Vec<String>> {
        let found = self.search(exec, "is:flagged", 200)?;
        let mut seen: Vec<String> = Vec::new();
        let mut out = Vec::new();
        for m in found.items.iter().filter(|m| !m.archived) {
            let key = tandem_core::briefing::subject_key(&m.subject);
            let subject = tandem_core::briefing::bare_subject(&m.subject);
            let line = format!("{subject} (from {})", m.from_name.as_deref().unwrap_or(&m.from_address));
            if !listed.contains(&key) && !seen.contains(&key) && out.len() < MAX_DECISIONS {
                seen.push(key);
                out.push(line);
            }
        }
        Ok(out)
    }

    /// What the EP changed in the calendars between `since` and `now`, oldest first: answers
    /// sent (accepted, declined, another time proposed, delegated) and moves approved, each
    /// with its reason. Holds changed nothing and undone changes are gone, so neither shows.
    fn changes_between(&self, exec: Option<&str>, since: DateTime<Utc>, now: DateTime<Utc>) -> Result<Vec<String>> {
        let profile = self.executive(exec)?;
        let mut dated: Vec<(DateTime<Utc>, String)> = self
            .store
            .decisions(&profile.id)?
            .into_iter()
            .filter(|d| d.undone_at.is_none())
            .map(|d| d.decision)
            .filter(|x| x.action != DecisionAction::HoldForReview && x.decided_at > since && x.decided_at <= now)
            .map(|x| (x.decided_at, format!("{}: {}", x.summary, x.reason)))
            .collect();
        for a in self.store.approvals(&profile.id)? {
            if a.undone_at.is_none() && a.created_at > since && a.created_at <= now {
                dated.extend(a.summary.lines().filter(|l| !l.trim().is_empty()).map(|l| (a.created_at, l.to_string())));
            }
        }
        dated.sort_by_key(|d| d.0);
        let count = dated.len();
        let mut out: Vec<String> = dated.into_iter().take(MAX_CHANGES).map(|d| d.1).collect();
        if count > MAX_CHANGES {
            out.push(format!("and {} more in the decision log", count - MAX_CHANGES));
        }
        Ok(out)
    }
}

impl Tandem {
    /// Takes back a mail still in its undo window (a briefing mailed, say); refused once it is
    /// being sent or gone. A briefing mail taken back no longer counts as delivered.
    pub fn cancel_outbox(&mut self, executive: Option<&str>, id: i64) -> Result<()> {
        let profile = self.executive(executive)?;
        let item = self.store.outbox_item(id)?;
        if item.executive_id != profile.id {
            return Err(crate::ApiError::new(
                crate::ErrorCode::NotFound,
                format!("no outbox item {id} for {}", profile.id),
            ));
        }
        if !self.store.cancel_outbox_item(id)? {
            return Err(crate::ApiError::new(
                crate::ErrorCode::Conflict,
                format!("'{}' has already left (or is leaving): it cannot be taken back", item.summary),
            ));
        }
        self.store.forget_briefing_mail(id)?;
        Ok(())
    }
}

/// The longest prep note kept: a briefing line, not a document (link the thread for that).
const MAX_PREP_NOTE_CHARS: usize = 1000;

impl Tandem {
    /// Sets the EP's prep note on a meeting, shown under it in the briefing: on one instance of
    /// a series with `recurrence_id`, else on the meeting (every instance without its own). An
    /// empty note removes it. The note stays in Tandem: it is not part of the shared meeting.
    pub fn set_prep_note(
        &mut self,
        executive: Option<&str>,
        uid: &str,
        recurrence_id: Option<&str>,
        note: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let profile = self.executive(executive)?;
        if self.store.events_with_uid(&profile.id, uid)?.is_empty() {
            return Err(crate::ApiError::new(crate::ErrorCode::NotFound, format!("no meeting with UID {uid}")));
        }
        let length = note.trim().chars().count();
        if length > MAX_PREP_NOTE_CHARS {
            return Err(crate::ApiError::invalid(format!(
                "the prep note is {length} characters; at most {MAX_PREP_NOTE_CHARS} fit in a briefing (link the thread instead)"
            )));
        }
        Ok(self.store.set_prep_note(&profile.id, uid, recurrence_id, note, now)?)
    }

    pub fn prep_note(&self, executive: Option<&str>, uid: &str, recurrence_id: Option<&str>) -> Result<Option<String>> {
        let profile = self.executive(executive)?;
        Ok(self.store.prep_note(&profile.id, uid, recurrence_id)?)
    }
}

/// The day `d` as the agenda's wall-clock strings bound it (`YYYY-MM-DDTHH:MM` compare in time
/// order): an item is on the day when it starts before the second and ends after the first.
fn day_bounds(d: NaiveDate) -> (String, String) {
    (format!("{d}T00:00"), format!("{}T00:00", d + Duration::days(1)))
}

/// A meeting as the day `d` shows it: its clock times there, and whether it began before the
/// day or runs past it.
fn meeting(item: &AgendaItem, d: NaiveDate) -> BriefingMeeting {
    let (from, to) = day_bounds(d);
    let clock = |view: &str| view.get(11..16).unwrap_or_default().to_string();
    BriefingMeeting {
        start: clock(&item.view_start),
        end: clock(&item.view_end),
        all_day: item.all_day,
        began_before: !item.all_day && item.view_start < from,
        ends_after: !item.all_day && item.view_end > to,
        title: item.summary.clone(),
        place: item.location.clone().filter(|l| in_person(l)),
        conflicts_with: item.conflicts_with.clone(),
        ..Default::default()
    }
}

/// The briefing as a PDF (fonts embedded), for the CLI and the app's Export.
pub fn pdf(briefing: &Briefing) -> Vec<u8> {
    tandem_formats::briefing_pdf::briefing_pdf(briefing)
}

/// The three files a briefing exports to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BriefingFormat {
    Html,
    Pdf,
    Text,
}

impl BriefingFormat {
    pub fn parse(name: &str) -> Result<Self> {
        match name {
            "html" => Ok(Self::Html),
            "pdf" => Ok(Self::Pdf),
            "text" | "txt" => Ok(Self::Text),
            other => Err(crate::ApiError::invalid(format!("'{other}' is not a briefing format: html, pdf or text"))),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Html => "html",
            Self::Pdf => "pdf",
            Self::Text => "text",
        }
    }

    /// The file name extension.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Html => "html",
            Self::Pdf => "pdf",
            Self::Text => "txt",
        }
    }

    pub fn render(self, briefing: &Briefing) -> Vec<u8> {
        match self {
            Self::Html => briefing.to_html().into_bytes(),
            Self::Pdf => pdf(briefing),
            Self::Text => briefing.to_text().into_bytes(),
        }
    }
}

/// `morning` or `evening`.
pub fn parse_edition(name: &str) -> Result<Edition> {
    match name {
        "morning" => Ok(Edition::Morning),
        "evening" => Ok(Edition::Evening),
        other => Err(crate::ApiError::invalid(format!("'{other}' is not a briefing edition: morning or evening"))),
    }
}

impl Tandem {
    /// Writes the briefing to `path` to hand to the executive, and records it as delivered
    /// once written: the next briefing's "changed since" starts here.
    pub fn export_briefing(
        &mut self,
        executive: Option<&str>,
        date: NaiveDate,
        edition: Edition,
        format: BriefingFormat,
        path: &std::path::Path,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let profile = self.executive(executive)?;
        let bytes = format.render(&self.briefing(Some(&profile.id), date, edition, now)?);
        std::fs::write(path, bytes).map_err(|e| {
            crate::ApiError::new(
                crate::ErrorCode::File,
                format!("cannot write the briefing to {}: {e}", path.display()),
            )
        })?;
        self.store.record_briefing_delivered(&profile.id, date, format.name(), now, None)?;
        Ok(())
    }

    /// A file name for an exported briefing: `Briefing Dana Okafor 2026-11-26.pdf`.
    pub fn briefing_file_name(
        &self,
        executive: Option<&str>,
        date: NaiveDate,
        edition: Edition,
        format: BriefingFormat,
    ) -> Result<String> {
        let profile = self.executive(executive)?;
        let name: String = profile.name.chars().filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-').collect();
        let evening = if edition == Edition::Evening { " (evening)" } else { "" };
        Ok(format!("Briefing {} {date}{evening}.{}", name.trim(), format.extension()))
    }
}

impl Tandem {
    /// Queues the briefing of `date` as a mail to the executive (their first address), from
    /// the EP: the text as the body, the HTML as its alternative, the PDF attached. It waits
    /// the usual minute in the outbox and leaves through the executive's SMTP account.
    pub fn email_briefing(
        &mut self,
        executive: Option<&str>,
        date: NaiveDate,
        edition: Edition,
        now: DateTime<Utc>,
    ) -> Result<crate::dto::OutboxDto> {
        let profile = self.executive(executive)?;
        let briefing = self.briefing(Some(&profile.id), date, edition, now)?;
        let exec = tandem_core::mail::Mailbox {
            name: Some(profile.name.clone()),
            address: profile.primary_address().to_ascii_lowercase(),
        };
        let from = profile
            .assistant
            .as_ref()
            .map(|a| tandem_core::mail::Mailbox { name: Some(a.name.clone()), address: a.address.to_ascii_lowercase() })
            .unwrap_or_else(|| exec.clone());
        let domain = from.address.rsplit_once('@').map_or("localhost", |(_, d)| d).to_string();
        let subject = match edition {
            Edition::Morning => format!("Briefing: {}", date.format("%A %-d %B")),
            Edition::Evening => format!("Briefing for tomorrow: {}", date.format("%A %-d %B")),
        };
        let envelope = tandem_formats::outgoing::Envelope {
            from,
            sender: None,
            to: vec![exec.clone()],
            cc: vec![],
            subject: subject.clone(),
            message_id: format!("tandem-briefing-{date}-{:x}@{domain}", now.timestamp()),
            in_reply_to: None,
            references: vec![],
            date: now,
        };
        let pdf = tandem_formats::mail::AttachedFile {
            name: self.briefing_file_name(Some(&profile.id), date, edition, BriefingFormat::Pdf)?,
            content_type: "application/pdf".into(),
            bytes: pdf(&briefing),
        };
        let raw = tandem_formats::outgoing::mail(&envelope, &briefing.to_text(), Some(&briefing.to_html()), &[pdf]);
        let recipients = vec![exec.address.clone()];
        let summary = format!("{subject} to {}", profile.name);
        // The mail and its record as a delivery go together or not at all.
        let id = self.store.transaction(|s| {
            let id = s.enqueue(
                &profile.id,
                &tandem_store::NewOutboxItem {
                    kind: tandem_store::OutboxKind::Mail,
                    summary: &summary,
                    recipients: &recipients,
                    payload: &raw,
                    decision: None,
                    uid: None,
                    created_at: now,
                    send_after: now + Duration::seconds(crate::invitations::MANUAL_HOLD_SECONDS),
                },
            )?;
            s.record_briefing_delivered(&profile.id, date, "email", now, Some(id))?;
            Ok(id)
        })?;
        Ok(crate::invitations::outbox_dto(&self.store.outbox_item(id)?))
    }
}
