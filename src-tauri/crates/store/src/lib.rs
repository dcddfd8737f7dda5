//! Tandem's local store: one SQLite file per data directory, the source of truth that makes
//! everything work offline.
//!
//! - WAL journal, foreign keys on, `synchronous = NORMAL` (durable across a process kill).
//! - Schema versions live in `PRAGMA user_version`; each table's module owns its migration steps
//!   and [`migrations`] runs the missing ones on open, in one transaction each, keeping data.
//! - A store written by a newer Tandem is refused with a clear error rather than mangled.
//! - Many executives share one store; every row hangs off an executive and goes with it.
//!
//! Parsed forms (events, messages) are stored as JSON beside the original text they came from,
//! so a better parser later can re-read the originals without losing anything.

mod accounts;
mod approvals;
mod briefings;
mod caldav;
mod calendars;
mod decisions;
mod events;
mod executives;
mod invitations;
mod location;
mod messages;
pub mod migrations;
mod outbox;
mod reminders;
mod rules;
mod subscriptions;
mod tiers;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use rusqlite::Connection;

pub use accounts::{Account, AccountKind, FolderState, ImapLocation, NewAccount, Security, ARCHIVE_PENDING};
pub use approvals::{Approval, MeetingSnapshot};
pub use briefings::DeliveredBriefing;
pub use caldav::{CalDavCalendar, CalDavConflict, CalDavMember};
pub use calendars::NewCalendar;
pub use decisions::StoredDecision;
pub use events::StoredEvent;
pub use executives::ExecutiveSummary;
pub use invitations::{InvitationState, StoredInvitation};
pub use location::{default_data_dir, resolve_data_dir, DATA_DIR_ENV};
pub use messages::{MailAction, MessageFilter, NewMessage, StoredMessage, INBOX, LIST_BODY_CHARS, SENT};
pub use outbox::{NewOutboxItem, OutboxItem, OutboxKind, OutboxState};
pub use rules::RuleBook;
pub use subscriptions::{FeedOutcome, Subscription, FIRST_RETRY_SECS};

/// The file name of the database inside a data directory.
pub const DATABASE_FILE: &str = "tandem.sqlite3";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot create the data directory {path}: {source}")]
    DataDir { path: PathBuf, source: std::io::Error },
    #[error("the store at {path} was written by a newer Tandem (schema {found}; this version reads up to {supported}); upgrade Tandem to open it")]
    NewerSchema { path: PathBuf, found: i64, supported: i64 },
    #[error("no data directory: set {} or pass --data-dir", DATA_DIR_ENV)]
    NoDataDir,
    #[error("{what} not found")]
    NotFound { what: String },
    #[error("{what} already exists")]
    Conflict { what: String },
    #[error("stored {what} cannot be read: {detail}")]
    Corrupt { what: String, detail: String },
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An open store.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// Each executive's events as last read, with the state of the database they were read at.
    events_cache: events::EventsCache,
}

impl Store {
    /// Opens (creating if needed) the store in `data_dir`.
    pub fn open_dir(data_dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(data_dir)
            .map_err(|source| StoreError::DataDir { path: data_dir.to_path_buf(), source })?;
        Self::open(&data_dir.join(DATABASE_FILE))
    }

    /// Opens (creating if needed) the database file at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Self> {
        let mut conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrations::migrate(&mut conn, path)?;
        Ok(Self { conn, path: path.to_path_buf(), events_cache: Default::default() })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version this store is at.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// Runs `f` in one transaction: all of it lands or none of it does.
    pub fn transaction<T>(&mut self, f: impl FnOnce(&Store) -> Result<T>) -> Result<T> {
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        match f(self) {
            Ok(v) => {
                self.conn.execute_batch("COMMIT")?;
                Ok(v)
            }
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    }
}

/// 20 bits from a Message-ID (FNV-1a), to keep apart messages of the same second in the
/// search index's date-ordered keys.
fn fts_spread(message_id: &str) -> i64 {
    let h = message_id.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    (h & 0xF_FFFF) as i64
}

fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("domain values always serialise")
}

fn from_json<T: serde::de::DeserializeOwned>(what: &str, text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt { what: what.to_string(), detail: e.to_string() })
}

/// Reads an RFC 3339 instant this store wrote.
pub(crate) fn instant(what: &str, text: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::Corrupt { what: what.to_string(), detail: format!("'{text}': {e}") })
}
