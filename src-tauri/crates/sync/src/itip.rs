//! Incoming iTIP messages (from iMIP mail or an invitation .ics) brought to bear on the store.
//!
//! A message about a meeting already in one of the executive's calendars changes it there
//! (every calendar that holds it); a new invitation goes into the "Invitations" calendar, so it
//! shows on the grid (tentatively) while it waits for an answer. Invitations that ask the
//! executive for an answer are recorded for the rules; a cancellation withdraws them.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use tandem_core::invitation::{awaits_answer, Invitation, InvitationSource};
use tandem_core::itip::{apply, Applied, Method};
use tandem_core::{Event, ExecutiveProfile};
use tandem_formats::ics::write_vevent;
use tandem_store::{NewCalendar, Store, StoreError};

/// The calendar new invitations land in.
pub const INVITATIONS_CALENDAR: &str = "Invitations";

const INVITATIONS_COLOR: &str = "#8a6d3b";

/// What one message did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Receipt {
    /// One line per meeting changed: "Audit committee: updated the meeting".
    pub applied: Vec<String>,
    /// One line per meeting left as it was, and why.
    pub ignored: Vec<String>,
    /// Invitations recorded for the rules (new, or changed by the organiser).
    pub invitations: usize,
}

/// Brings `events` (one iTIP message with method `method`; `raw` is each event's original
/// text) to bear on the executive's calendars and invitations, in one transaction.
pub fn receive(
    store: &mut Store,
    profile: &ExecutiveProfile,
    method: Method,
    events: &[(Event, String)],
    source: &InvitationSource,
    now: DateTime<Utc>,
) -> Result<Receipt, StoreError> {
    let mut by_uid: BTreeMap<&str, Vec<&(Event, String)>> = BTreeMap::new();
    for e in events {
        by_uid.entry(e.0.uid.as_str()).or_default().push(e);
    }
    store.transaction(|s| {
        let mut receipt = Receipt::default();
        for (uid, incoming) in by_uid {
            let title = incoming[0].0.summary.clone();
            let held = s.events_with_uid(&profile.id, uid)?;
            let mut calendars: Vec<i64> = held.iter().map(|h| h.calendar_id).collect();
            calendars.dedup();
            if calendars.is_empty() && method == Method::Request {
                let cal = s.ensure_calendar(
                    &profile.id,
                    &NewCalendar { name: INVITATIONS_CALENDAR, color: INVITATIONS_COLOR, source: None },
                )?;
                calendars.push(cal.id);
            }
            let new: Vec<Event> = incoming.iter().map(|(e, _)| e.clone()).collect();
            let mut outcome = None;
            for cal in &calendars {
                let mine: Vec<Event> = held.iter().filter(|h| h.calendar_id == *cal).map(|h| h.event.clone()).collect();
                match apply(method, &new, &mine) {
                    Applied::Changed { events, summary } => {
                        let batch: Vec<(Event, String)> = events
                            .into_iter()
                            .map(|e| {
                                // An event that arrived as it is keeps the organiser's text.
                                let raw = incoming
                                    .iter()
                                    .find(|(i, _)| *i == e)
                                    .map(|(_, r)| r.clone())
                                    .unwrap_or_else(|| write_vevent(&e));
                                (e, raw)
                            })
                            .collect();
                        s.replace_meeting(*cal, uid, &batch)?;
                        // A CalDAV calendar's server copy takes the update too (Radicale and
                        // Xandikos do no scheduling of their own).
                        s.queue_caldav_write(&profile.id, *cal, uid, &summary, now)?;
                        outcome = Some(Ok(summary));
                    }
                    Applied::Ignored { reason } => {
                        outcome.get_or_insert(Err(reason));
                    }
                }
            }
            match outcome {
                Some(Ok(summary)) => receipt.applied.push(format!("{title}: {summary}")),
                Some(Err(reason)) => receipt.ignored.push(format!("{title}: {reason}")),
                None => receipt.ignored.push(format!("{title}: {} about a meeting not held", method.as_str())),
            }
            match method {
                Method::Request | Method::Add => {
                    for (e, _) in incoming.iter().filter(|(e, _)| awaits_answer(e, profile)) {
                        let inv = Invitation { event: e.clone(), source: source.clone(), counter_from: None };
                        if s.upsert_invitation(&profile.id, &inv, now)? {
                            receipt.invitations += 1;
                        }
                    }
                }
                Method::Counter => {
                    // An attendee proposes another time for a meeting the executive organises:
                    // the EP decides, so it waits in the queue with the proposal.
                    let ours = held.iter().any(|h| {
                        h.event.recurrence_id.is_none()
                            && h.event.organizer.as_ref().is_some_and(|o| profile.is_self(&o.address))
                    });
                    let from = incoming.first().and_then(|(e, _)| e.attendees.first()).map(|a| a.participant.clone());
                    match (ours, from) {
                        (true, Some(from)) => {
                            let (e, _) = incoming[0];
                            let inv = Invitation {
                                event: e.clone(),
                                source: source.clone(),
                                counter_from: Some(from.clone()),
                            };
                            if s.upsert_invitation(&profile.id, &inv, now)? {
                                receipt.invitations += 1;
                            }
                            let who = from.name.clone().unwrap_or(from.address);
                            receipt.ignored.retain(|i| !i.starts_with(&format!("{title}: ")));
                            receipt.applied.push(format!("{title}: {who} proposes a new time"));
                        }
                        _ => receipt
                            .ignored
                            .push(format!("{title}: a COUNTER about a meeting {} does not organise", profile.name)),
                    }
                }
                Method::Cancel => {
                    for (e, _) in &incoming {
                        // An instance (or this and future ones) withdraws that instance's own
                        // invitation; the series' invitation still wants an answer for the rest.
                        let key = e.recurrence_id.map(|r| r.instance_key());
                        s.cancel_invitations(&profile.id, uid, key.as_deref())?;
                    }
                }
                _ => {}
            }
        }
        Ok(receipt)
    })
}
