//! Importing mail messages (from files today, IMAP later) into an executive's inbox.
//! iTIP messages carried as iMIP (a text/calendar part with a METHOD) are brought to bear on
//! the calendars and invitations (see [`crate::itip`]).

use chrono::{DateTime, Utc};
use tandem_core::invitation::InvitationSource;
use tandem_core::itip::Method;
use tandem_core::ExecutiveProfile;
use tandem_formats::ics::parse_calendar;
use tandem_formats::mail::parse_message;
use tandem_store::Store;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct MailImport {
    pub read: usize,
    pub added: usize,
    pub invitations: usize,
    /// What the iTIP messages among them did to the calendars, one line per meeting (and
    /// why one was left as it was: "not applied: older than the copy held").
    pub calendar_changes: Vec<String>,
    /// One line per message (or part of one) that could not be read or applied, naming it.
    pub problems: Vec<String>,
}

/// An iTIP message found in a mail: which mail, its method, its events with their text, and where it came from.
type ItipPart = (String, Method, Vec<(tandem_core::Event, String)>, InvitationSource);

/// Imports raw RFC 5322 messages. `now` stands in for a missing Date header.
pub fn import_messages(
    store: &mut Store,
    profile: &ExecutiveProfile,
    raws: &[(String, Vec<u8>)],
    now: DateTime<Utc>,
) -> Result<MailImport, tandem_store::StoreError> {
    let mut report = MailImport::default();
    let mut batch = Vec::new();
    let mut itip: Vec<ItipPart> = Vec::new();
    for (label, raw) in raws {
        match parse_message(raw, now) {
            Err(e) => report.problems.push(format!("{label}: {e}")),
            Ok(parsed) => {
                report.read += 1;
                let method = parsed.message.calendar_method.as_deref().and_then(Method::parse);
                if let Some(method) = method {
                    let source = InvitationSource::Mail { message_id: parsed.message.message_id.clone() };
                    for part in &parsed.calendar_parts {
                        match parse_calendar(part) {
                            Ok(cal) => {
                                for p in &cal.problems {
                                    report.problems.push(format!("{label}: calendar part: {p}"));
                                }
                                // The part's own METHOD wins over the MIME parameter.
                                let method = cal.method.as_deref().and_then(Method::parse).unwrap_or(method);
                                let events = cal.events.into_iter().map(|e| (e.event, e.raw)).collect();
                                itip.push((label.clone(), method, events, source.clone()));
                            }
                            Err(e) => report.problems.push(format!("{label}: calendar part: {e}")),
                        }
                    }
                }
                batch.push((parsed.message, raw.clone()));
            }
        }
    }
    report.added = store.transaction(|s| s.insert_messages(&profile.id, &batch))?;
    for (label, method, events, source) in itip {
        let receipt = crate::itip::receive(store, profile, method, &events, &source, now)?;
        report.invitations += receipt.invitations;
        report.calendar_changes.extend(receipt.applied);
        report.calendar_changes.extend(receipt.ignored.into_iter().map(|i| format!("{label}: not applied: {i}")));
    }
    Ok(report)
}
