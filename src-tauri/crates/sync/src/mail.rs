//! Importing mail messages (from files today, IMAP later) into an executive's inbox.
//! Invitations carried as iMIP (text/calendar; method=REQUEST) are recorded as pending.

use chrono::{DateTime, Utc};
use tandem_core::invitation::{awaits_answer, Invitation, InvitationSource};
use tandem_core::ExecutiveProfile;
use tandem_formats::ics::parse_calendar;
use tandem_formats::mail::parse_message;
use tandem_store::Store;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct MailImport {
    pub read: usize,
    pub added: usize,
    pub invitations: usize,
    /// One line per message that could not be read, naming it by position.
    pub problems: Vec<String>,
}

/// Imports raw RFC 5322 messages. `now` stands in for a missing Date header.
pub fn import_messages(
    store: &mut Store,
    profile: &ExecutiveProfile,
    raws: &[(String, Vec<u8>)],
    now: DateTime<Utc>,
) -> Result<MailImport, tandem_store::StoreError> {
    let mut report = MailImport::default();
    let mut batch = Vec::new();
    let mut invitations = Vec::new();
    for (label, raw) in raws {
        match parse_message(raw, now) {
            Err(e) => report.problems.push(format!("{label}: {e}")),
            Ok(parsed) => {
                report.read += 1;
                if parsed.message.calendar_method.as_deref() == Some("REQUEST") {
                    for part in &parsed.calendar_parts {
                        match parse_calendar(part) {
                            Ok(cal) => {
                                for p in &cal.problems {
                                    report.problems.push(format!("{label}: calendar part: {p}"));
                                }
                                for e in cal.events.into_iter().filter(|e| awaits_answer(&e.event, profile)) {
                                    invitations.push(Invitation {
                                        event: e.event,
                                        source: InvitationSource::Mail {
                                            message_id: parsed.message.message_id.clone(),
                                        },
                                    });
                                }
                            }
                            Err(e) => report.problems.push(format!("{label}: calendar part: {e}")),
                        }
                    }
                }
                batch.push((parsed.message, raw.clone()));
            }
        }
    }
    let (added, invs) = store.transaction(|s| {
        let added = s.insert_messages(&profile.id, &batch)?;
        for inv in &invitations {
            s.upsert_invitation(&profile.id, inv, now)?;
        }
        Ok((added, invitations.len()))
    })?;
    report.added = added;
    report.invitations = invs;
    Ok(report)
}
