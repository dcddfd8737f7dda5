//! The executive's briefing of one day, assembled from the store for `core::briefing`: the
//! day's meetings in the day's local time, the threads waiting on the executive, what the EP
//! decided since the last briefing, the open conflicts and the proposals, and tomorrow.
//!
//! Work in progress (issue 7): travel legs before each meeting, and "since the last briefing"
//! from the last one sent rather than a fixed 24 hours.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use tandem_core::briefing::{Briefing, BriefingMeeting, BriefingPerson};

use crate::dto::AgendaItem;
use crate::error::Result;
use crate::Tandem;

/// Threads listed under "decisions needed" (the rest are counted).
const MAX_DECISIONS: usize = 12;

/// How far back "changed since the last briefing" looks when no briefing was sent before.
const CHANGES_SINCE_HOURS: i64 = 24;

impl Tandem {
    pub fn briefing(&self, executive: Option<&str>, date: NaiveDate, now: DateTime<Utc>) -> Result<Briefing> {
        let profile = self.executive(executive)?;
        let exec = Some(profile.id.as_str());
        let range = self.calendar_range(exec, date, 2)?;
        let day = date.to_string();
        let tomorrow_day = (date + Duration::days(1)).to_string();
        let place = range.places.iter().find(|p| p.date == day);
        let on = |d: &str| -> Vec<&AgendaItem> {
            range
                .items
                .iter()
                .filter(|i| !i.free && i.response.as_deref() != Some("declined") && i.view_start.starts_with(d))
                .collect()
        };
        let mut meetings = Vec::new();
        for item in on(&day) {
            let mut m = meeting(item);
            m.threads = self.store.linked_subjects(&profile.id, &item.uid)?;
            // Who is there, and who they are to the executive (the profile's groups).
            if let Some(stored) = self.store.events_with_uid(&profile.id, &item.uid)?.into_iter().next() {
                let e = &stored.event;
                m.purpose = e.description.as_deref().map(str::trim).filter(|d| !d.is_empty()).map(|d| {
                    let first = d.lines().next().unwrap_or(d);
                    first.chars().take(200).collect()
                });
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
            }
            meetings.push(m);
        }
        // One line per thread waiting on the executive, VIPs first as the lane orders them.
        let mut threads = std::collections::HashSet::new();
        let waiting: Vec<String> = self
            .inbox(exec, Some("needs_executive"), 0, 200, now)?
            .items
            .iter()
            .filter(|m| threads.insert(m.thread_key.clone()))
            .map(|m| format!("{}: {}", m.from_name.clone().unwrap_or_else(|| m.from_address.clone()), m.subject))
            .collect();
        let mut decisions: Vec<String> = waiting.iter().take(MAX_DECISIONS).cloned().collect();
        if waiting.len() > MAX_DECISIONS {
            decisions.push(format!("and {} more in the inbox", waiting.len() - MAX_DECISIONS));
        }
        let changes = self
            .decisions(exec, None, None, None, Some(now - Duration::hours(CHANGES_SINCE_HOURS)))?
            .iter()
            .filter(|d| d.undone_at.is_none())
            .map(|d| format!("{}: {}", d.summary, d.reason))
            .collect();
        let conflicts = self.conflicts(exec, date, 1, now)?.conflicts.into_iter().map(|c| c.reason).collect();
        let proposals = self
            .schedule(exec, date, 1, now)?
            .proposals
            .iter()
            .flat_map(|p| p.moves.iter().map(|m| m.reason.clone()))
            .collect();
        Ok(Briefing {
            executive: profile.name.clone(),
            date,
            zone: place.map_or_else(|| range.zone.clone(), |p| p.zone.clone()),
            other_zone: place.and_then(|p| p.other_zone.clone()),
            generated_at: now,
            meetings,
            decisions,
            changes,
            conflicts,
            proposals,
            tomorrow: on(&tomorrow_day).into_iter().map(meeting).collect(),
        })
    }
}

fn meeting(item: &AgendaItem) -> BriefingMeeting {
    BriefingMeeting {
        start: if item.all_day { String::new() } else { item.view_start.get(11..16).unwrap_or_default().to_string() },
        end: if item.all_day { String::new() } else { item.view_end.get(11..16).unwrap_or_default().to_string() },
        all_day: item.all_day,
        title: item.summary.clone(),
        place: item.location.clone(),
        conflicts_with: item.conflicts_with.clone(),
        ..Default::default()
    }
}

/// The briefing as a PDF (fonts embedded), for the CLI and the app's Export.
pub fn pdf(briefing: &Briefing) -> Vec<u8> {
    tandem_formats::briefing_pdf::briefing_pdf(briefing)
}

impl Tandem {
    /// Queues the briefing of `date` as a mail to the executive (their first address), from
    /// the EP: the text as the body, the HTML as its alternative, the PDF attached. It waits
    /// the usual minute in the outbox and leaves through the executive's SMTP account.
    pub fn email_briefing(
        &mut self,
        executive: Option<&str>,
        date: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<crate::dto::OutboxDto> {
        let profile = self.executive(executive)?;
        let briefing = self.briefing(Some(&profile.id), date, now)?;
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
        let subject = format!("Briefing: {}", date.format("%A %-d %B"));
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
            name: format!("Briefing {date}.pdf"),
            content_type: "application/pdf".into(),
            bytes: pdf(&briefing),
        };
        let raw = tandem_formats::outgoing::mail(&envelope, &briefing.to_text(), Some(&briefing.to_html()), &[pdf]);
        let recipients = vec![exec.address.clone()];
        let summary = format!("{subject} to {}", profile.name);
        let id = self.store.enqueue(
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
        Ok(crate::invitations::outbox_dto(&self.store.outbox_item(id)?))
    }
}
