//! Importing mail messages into an executive's inbox, from wherever they were read (files,
//! Maildir, mbox, IMAP). iTIP messages carried as iMIP (a text/calendar part with a METHOD) are
//! brought to bear on the calendars and invitations (see [`crate::itip`]).

use chrono::{DateTime, Utc};
use tandem_core::invitation::InvitationSource;
use tandem_core::itip::Method;
use tandem_core::mail::MessageFlags;
use tandem_core::ExecutiveProfile;
use tandem_formats::ics::parse_calendar;
use tandem_formats::mail::parse_message;
use tandem_store::{NewMessage, Store, INBOX};

/// One message as read from a source, before it is parsed.
#[derive(Clone, Debug, PartialEq)]
pub struct RawMail {
    /// Where it came from, for problems: a path, `mbox:LINE`, `imap:INBOX/UID`.
    pub label: String,
    pub raw: Vec<u8>,
    /// The folder it was found in; anything but [`INBOX`] starts archived.
    pub folder: String,
    /// Flags the source keeps outside the message (Maildir file names, IMAP flags).
    pub flags: MessageFlags,
}

impl RawMail {
    /// A message that arrived in the inbox, with no flags.
    pub fn inbox(label: impl Into<String>, raw: Vec<u8>) -> Self {
        RawMail { label: label.into(), raw, folder: INBOX.into(), flags: MessageFlags::default() }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct MailImport {
    pub read: usize,
    pub added: usize,
    /// Messages left out on purpose (in Trash, Junk or Drafts), by folder.
    pub skipped: Vec<(String, usize)>,
    pub invitations: usize,
    /// What the iTIP messages among them did to the calendars, one line per meeting (and
    /// why one was left as it was: "not applied: older than the copy held").
    pub calendar_changes: Vec<String>,
    /// One line per message (or part of one) that could not be read or applied, naming it.
    pub problems: Vec<String>,
    /// The Message-ID of each message given, in order (`None`: it could not be read), so that
    /// a caller can say where each one sits (IMAP) without parsing it again.
    pub message_ids: Vec<Option<String>>,
}

/// An iTIP message found in a mail: which mail, its method, its events with their text, and where it came from.
type ItipPart = (String, Method, Vec<(tandem_core::Event, String)>, InvitationSource);

impl MailImport {
    /// Adds what another batch of the same import did.
    pub fn absorb(&mut self, other: MailImport) {
        self.read += other.read;
        self.added += other.added;
        for (folder, n) in other.skipped {
            match self.skipped.iter_mut().find(|(f, _)| *f == folder) {
                Some((_, m)) => *m += n,
                None => self.skipped.push((folder, n)),
            }
        }
        self.invitations += other.invitations;
        self.calendar_changes.extend(other.calendar_changes);
        self.problems.extend(other.problems);
        self.message_ids.extend(other.message_ids);
    }
}

/// Imports raw RFC 5322 messages in one transaction. `now` stands in for a missing Date header.
pub fn import_messages(
    store: &mut Store,
    profile: &ExecutiveProfile,
    raws: &[RawMail],
    now: DateTime<Utc>,
) -> Result<MailImport, tandem_store::StoreError> {
    let mut report = MailImport::default();
    let mut batch = Vec::new();
    let mut itip: Vec<ItipPart> = Vec::new();
    for RawMail { label, raw, folder, flags } in raws {
        match parse_message(raw, now) {
            Err(e) => {
                report.problems.push(format!("{label}: {e}"));
                report.message_ids.push(None);
            }
            Ok(mut parsed) => {
                report.message_ids.push(Some(parsed.message.message_id.clone()));
                let f = &mut parsed.message.flags;
                f.seen |= flags.seen;
                f.flagged |= flags.flagged;
                f.answered |= flags.answered;
                report.read += 1;
                // What the executive sent is not news to their calendar (their own replies and
                // invitations are already applied where they were written).
                let sent = folder.as_str() == tandem_store::SENT;
                let method = parsed.message.calendar_method.as_deref().and_then(Method::parse).filter(|_| !sent);
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
                batch.push(NewMessage { message: parsed.message, raw: raw.clone(), folder: folder.clone() });
            }
        }
    }
    report.added = store.transaction(|s| s.insert_messages(&profile.id, &batch))?.len();
    for (label, method, events, source) in itip {
        let receipt = crate::itip::receive(store, profile, method, &events, &source, now)?;
        report.invitations += receipt.invitations;
        report.calendar_changes.extend(receipt.applied);
        report.calendar_changes.extend(receipt.ignored.into_iter().map(|i| format!("{label}: not applied: {i}")));
    }
    Ok(report)
}
