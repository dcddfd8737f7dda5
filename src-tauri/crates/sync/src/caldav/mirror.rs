//! What a CalDAV sync found, written into the store: each changed member replaces its meeting
//! in the local calendar (the server is the truth about what it holds), each removed member
//! takes its meeting away, and meetings waiting for the executive's answer become invitations,
//! as they do from a calendar file. One transaction per calendar: a sync cut off half-way
//! leaves the calendar as it was, with the old token, and the next sync does it again.
//!
//! A member that cannot be read is reported and skipped; its previous version stays.

use chrono::{DateTime, Utc};
use tandem_core::invitation::{awaits_answer, Invitation, InvitationSource};
use tandem_core::ExecutiveProfile;
use tandem_formats::ics::parse_calendar;
use tandem_store::{CalDavMember, Store};

use super::Changes;

/// What one calendar's sync did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CalendarSync {
    pub calendar_id: i64,
    pub name: String,
    /// Members fetched and written, and removed.
    pub fetched: usize,
    pub removed: usize,
    pub invitations: usize,
    /// Changed on the server while a change of ours waits to be written: left for the write
    /// to merge.
    pub deferred: usize,
    /// HTTP requests the sync took.
    pub requests: usize,
    /// Members that could not be read, each naming the member and what was wrong.
    pub problems: Vec<String>,
    /// The sync failed; what was stored stays.
    pub error: Option<String>,
}

pub fn apply_changes(
    store: &mut Store,
    profile: &ExecutiveProfile,
    calendar_id: i64,
    changes: &Changes,
    now: DateTime<Utc>,
) -> tandem_store::Result<CalendarSync> {
    let mut report = CalendarSync { calendar_id, requests: changes.requests, ..Default::default() };
    store.transaction(|s| {
        // A meeting with a write of ours still waiting is left as it is here: the write merges
        // with the server's version when it goes (and brings that version back).
        let pending = s.pending_caldav_writes(&profile.id, calendar_id)?;
        for href in &changes.removed {
            let held = s.caldav_member(calendar_id, href)?;
            if held.is_some_and(|m| pending.contains(&m.uid)) {
                report.deferred += 1;
                continue;
            }
            if let Some(uid) = s.remove_caldav_member(calendar_id, href)? {
                if s.caldav_member_of_uid(calendar_id, &uid)?.is_none() {
                    s.replace_meeting(calendar_id, &uid, &[])?;
                }
                report.removed += 1;
            }
        }
        for m in &changes.changed {
            let parsed = match parse_calendar(&m.ics) {
                Ok(p) => p,
                Err(e) => {
                    report.problems.push(format!("{}: {e}", m.href));
                    continue;
                }
            };
            report.problems.extend(parsed.problems.iter().map(|p| format!("{}: {p}", m.href)));
            let Some(uid) = parsed.events.first().map(|e| e.event.uid.clone()) else {
                report.problems.push(format!("{}: no event in it", m.href));
                continue;
            };
            if pending.contains(&uid) {
                report.deferred += 1;
                continue;
            }
            if let Some(before) = s.caldav_member(calendar_id, &m.href)? {
                if before.uid != uid {
                    s.replace_meeting(calendar_id, &before.uid, &[])?;
                }
            }
            // One object is one meeting (RFC 4791 §4.1); anything else in it is not kept.
            let events: Vec<_> =
                parsed.events.into_iter().filter(|e| e.event.uid == uid).map(|e| (e.event, e.raw)).collect();
            s.replace_meeting(calendar_id, &uid, &events)?;
            s.put_caldav_member(
                calendar_id,
                &CalDavMember { href: m.href.clone(), etag: m.etag.clone(), uid: uid.clone(), raw: m.ics.clone() },
            )?;
            for (event, _) in events.iter().filter(|(e, _)| awaits_answer(e, profile)) {
                let inv = Invitation {
                    event: event.clone(),
                    source: InvitationSource::Calendar { calendar_id },
                    counter_from: None,
                };
                s.upsert_invitation(&profile.id, &inv, now)?;
                report.invitations += 1;
            }
            report.fetched += 1;
        }
        s.record_caldav_sync(calendar_id, Ok((changes.sync_token.as_deref(), changes.ctag.as_deref())), now)?;
        Ok(())
    })?;
    Ok(report)
}
