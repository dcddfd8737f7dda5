//! Sources into the local store.
//!
//! Every source (an .ics file, a subscribed feed, a Maildir, mbox or .eml message, a CalDAV collection or an IMAP folder) goes
//! the same way: read with `formats`, write to the `store`, and report what was read and what
//! was wrong with the rest. A bad item never stops the others, and nothing already stored is
//! lost: events upsert by UID + RECURRENCE-ID + SEQUENCE, messages by Message-ID.

pub mod caldav;
pub mod credentials;
pub mod ics_file;
pub mod imap;
pub mod itip;
mod locked;
pub mod mail;
pub mod mailbox;
pub mod outbox;
pub mod smtp;
pub mod subscription;

pub use ics_file::{import_ics_file, import_ics_text, CalendarTarget, IcsImport};
pub use itip::{receive, Receipt, INVITATIONS_CALENDAR};
pub use locked::LockedStore;
pub use mail::{import_messages, MailImport, RawMail};
pub use mailbox::{import_mail, MailSource, MailboxError};
pub use subscription::{apply_feed, feed_client, feed_url, fetch_feed, redacted, FeedError, FeedReport, Fetched};
