//! Accounts (IMAP to read mail, SMTP to send it, CalDAV for calendars) and what IMAP sync
//! knows of each folder (CalDAV's state is in `caldav`).
//!
//! No secret is stored here: the password lives in the OS keychain under the account's id.
//! Per folder, sync keeps the UIDVALIDITY it saw, the highest UID stored and (with CONDSTORE)
//! the highest MODSEQ, so that it fetches only what is new and changed; per message, where it
//! sits on the server (folder and UID) and whether a local flag change still has to be pushed.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::{from_json, instant, to_json, Result, Store, StoreError};

pub(crate) const V9: &str = "
CREATE TABLE accounts (
    id           INTEGER PRIMARY KEY,
    executive_id TEXT NOT NULL REFERENCES executives(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    host         TEXT NOT NULL,
    port         INTEGER NOT NULL,
    security     TEXT NOT NULL,
    username     TEXT NOT NULL,
    ca_file      TEXT,
    folders      TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    synced_at    TEXT,
    last_error   TEXT,
    UNIQUE (executive_id, kind, host, port, username)
);
CREATE TABLE imap_folders (
    account_id     INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    folder         TEXT NOT NULL,
    uid_validity   INTEGER NOT NULL,
    last_uid       INTEGER NOT NULL,
    highest_modseq INTEGER,
    PRIMARY KEY (account_id, folder)
);
CREATE TABLE imap_locations (
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    folder      TEXT NOT NULL,
    uid         INTEGER NOT NULL,
    message     INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    flags_dirty INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (account_id, folder, uid)
);
CREATE INDEX imap_locations_by_message ON imap_locations (message);";

/// A bit of `flags_dirty` beside the flags: the message was archived (or unarchived) here, so
/// the next sync moves its INBOX copy to the server's archive folder.
pub const ARCHIVE_PENDING: u8 = 0x80;

/// What an account is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountKind {
    Imap,
    Smtp,
    #[serde(rename = "caldav")]
    CalDav,
}

impl AccountKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountKind::Imap => "imap",
            AccountKind::Smtp => "smtp",
            AccountKind::CalDav => "caldav",
        }
    }

    fn parse(s: &str) -> Result<Self> {
        match s {
            "imap" => Ok(AccountKind::Imap),
            "smtp" => Ok(AccountKind::Smtp),
            "caldav" => Ok(AccountKind::CalDav),
            other => Err(StoreError::Corrupt { what: "account kind".into(), detail: other.into() }),
        }
    }
}

/// How the connection is protected. There is no clear-text mode: a password never crosses the
/// network unencrypted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Security {
    /// TLS from the first byte (IMAPS 993, SMTPS 465).
    Tls,
    /// Plain connection upgraded with STARTTLS before login (IMAP 143, submission 587).
    Starttls,
}

impl Security {
    pub fn as_str(self) -> &'static str {
        match self {
            Security::Tls => "tls",
            Security::Starttls => "starttls",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "tls" | "ssl" | "imaps" => Some(Security::Tls),
            "starttls" => Some(Security::Starttls),
            _ => None,
        }
    }
}

/// A mail account as stored (the password is in the keychain).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub id: i64,
    pub executive_id: String,
    pub kind: AccountKind,
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: String,
    /// A certificate (PEM file) to trust besides the system's: a self-hosted server's own.
    pub ca_file: Option<String>,
    /// IMAP folders to sync (INBOX first).
    pub folders: Vec<String>,
    /// A CalDAV account's address as discovered from (its scheme decides TLS: https, or http
    /// on loopback only); none for mail accounts.
    pub url: Option<String>,
    /// The name its password is filed under in the OS keychain: unique to this store, since
    /// every store on the computer shares the keychain.
    pub keychain_name: String,
    pub created_at: DateTime<Utc>,
    pub synced_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}

/// An account to add.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAccount {
    pub kind: AccountKind,
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: String,
    pub ca_file: Option<String>,
    pub folders: Vec<String>,
    pub url: Option<String>,
}

/// What sync knows of one folder on the server.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FolderState {
    pub uid_validity: u32,
    pub last_uid: u32,
    pub highest_modseq: Option<u64>,
}

/// A message's place on the server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImapLocation {
    pub uid: u32,
    pub message: i64,
    /// Flags changed here and not yet pushed (a mask of `MessageFlags::SEEN`...).
    pub flags_dirty: u8,
}

const COLUMNS: &str =
    "id, executive_id, kind, host, port, security, username, ca_file, folders, created_at, synced_at, last_error, url,
     (SELECT value FROM store_meta WHERE key = 'keychain')";

fn read_account(r: &rusqlite::Row<'_>) -> rusqlite::Result<AccountRow> {
    Ok(AccountRow {
        id: r.get(0)?,
        executive_id: r.get(1)?,
        kind: r.get(2)?,
        host: r.get(3)?,
        port: r.get(4)?,
        security: r.get(5)?,
        username: r.get(6)?,
        ca_file: r.get(7)?,
        folders: r.get(8)?,
        created_at: r.get(9)?,
        synced_at: r.get(10)?,
        last_error: r.get(11)?,
        url: r.get(12)?,
        keychain: r.get(13)?,
    })
}

struct AccountRow {
    id: i64,
    executive_id: String,
    kind: String,
    host: String,
    port: i64,
    security: String,
    username: String,
    ca_file: Option<String>,
    folders: String,
    created_at: String,
    synced_at: Option<String>,
    last_error: Option<String>,
    url: Option<String>,
    keychain: Option<String>,
}

impl AccountRow {
    fn into_account(self) -> Result<Account> {
        Ok(Account {
            id: self.id,
            executive_id: self.executive_id,
            kind: AccountKind::parse(&self.kind)?,
            host: self.host,
            port: u16::try_from(self.port)
                .map_err(|_| StoreError::Corrupt { what: "account port".into(), detail: self.port.to_string() })?,
            security: Security::parse(&self.security).ok_or_else(|| StoreError::Corrupt {
                what: "account security".into(),
                detail: self.security.clone(),
            })?,
            username: self.username,
            ca_file: self.ca_file,
            folders: from_json("account folders", &self.folders)?,
            url: self.url,
            keychain_name: match self.keychain {
                Some(store) => format!("account-{}-{store}", self.id),
                None => format!("account-{}", self.id),
            },
            created_at: instant("account", &self.created_at)?,
            synced_at: self.synced_at.as_deref().map(|t| instant("account", t)).transpose()?,
            last_error: self.last_error,
        })
    }
}

impl Store {
    /// Adds an account; the same server and user twice is a conflict.
    pub fn add_account(&self, executive: &str, new: &NewAccount, at: DateTime<Utc>) -> Result<Account> {
        let inserted = self.conn.execute(
            "INSERT OR IGNORE INTO accounts (executive_id, kind, host, port, security, username, ca_file, folders, created_at, url)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                executive,
                new.kind.as_str(),
                new.host,
                new.port,
                new.security.as_str(),
                new.username,
                new.ca_file,
                to_json(&new.folders),
                at.to_rfc3339(),
                new.url
            ],
        )?;
        if inserted == 0 {
            return Err(StoreError::Conflict {
                what: format!("the {} account {}@{}:{}", new.kind.as_str(), new.username, new.host, new.port),
            });
        }
        self.account(executive, self.conn.last_insert_rowid())
    }

    pub fn account(&self, executive: &str, id: i64) -> Result<Account> {
        let sql = format!("SELECT {COLUMNS} FROM accounts WHERE executive_id = ?1 AND id = ?2");
        self.conn
            .query_row(&sql, params![executive, id], read_account)
            .optional()?
            .ok_or_else(|| StoreError::NotFound { what: format!("account {id}") })?
            .into_account()
    }

    /// The executive's accounts, oldest first.
    pub fn accounts(&self, executive: &str) -> Result<Vec<Account>> {
        let sql = format!("SELECT {COLUMNS} FROM accounts WHERE executive_id = ?1 ORDER BY id");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([executive], read_account)?;
        rows.map(|r| r?.into_account()).collect()
    }

    pub fn remove_account(&self, executive: &str, id: i64) -> Result<bool> {
        Ok(self.conn.execute("DELETE FROM accounts WHERE executive_id = ?1 AND id = ?2", params![executive, id])? > 0)
    }

    /// Records how a sync ended: its time, and the error when it failed (cleared on success).
    pub fn record_account_sync(&self, id: i64, at: DateTime<Utc>, error: Option<&str>) -> Result<()> {
        self.conn.execute(
            "UPDATE accounts SET synced_at = CASE WHEN ?3 IS NULL THEN ?2 ELSE synced_at END, last_error = ?3 WHERE id = ?1",
            params![id, at.to_rfc3339(), error],
        )?;
        Ok(())
    }

    pub fn folder_state(&self, account: i64, folder: &str) -> Result<Option<FolderState>> {
        Ok(self
            .conn
            .query_row(
                "SELECT uid_validity, last_uid, highest_modseq FROM imap_folders WHERE account_id = ?1 AND folder = ?2",
                params![account, folder],
                |r| {
                    Ok(FolderState {
                        uid_validity: r.get(0)?,
                        last_uid: r.get(1)?,
                        highest_modseq: r.get::<_, Option<i64>>(2)?.map(|m| m as u64),
                    })
                },
            )
            .optional()?)
    }

    pub fn set_folder_state(&self, account: i64, folder: &str, state: &FolderState) -> Result<()> {
        self.conn.execute(
            "INSERT INTO imap_folders (account_id, folder, uid_validity, last_uid, highest_modseq) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (account_id, folder) DO UPDATE SET uid_validity = excluded.uid_validity,
                 last_uid = excluded.last_uid, highest_modseq = excluded.highest_modseq",
            params![account, folder, state.uid_validity, state.last_uid, state.highest_modseq.map(|m| m as i64)],
        )?;
        Ok(())
    }

    /// Forgets where messages sat in a folder whose UIDs changed meaning (a new UIDVALIDITY).
    /// The messages stay; the next fetch finds them again by Message-ID.
    pub fn forget_folder_locations(&self, account: i64, folder: &str) -> Result<usize> {
        Ok(self
            .conn
            .execute("DELETE FROM imap_locations WHERE account_id = ?1 AND folder = ?2", params![account, folder])?)
    }

    /// Where a message sits: (folder, UID) → message row.
    pub fn set_location(&self, account: i64, folder: &str, uid: u32, message: i64) -> Result<()> {
        self.conn.execute(
            "INSERT INTO imap_locations (account_id, folder, uid, message) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (account_id, folder, uid) DO UPDATE SET message = excluded.message",
            params![account, folder, uid, message],
        )?;
        Ok(())
    }

    /// The messages of a folder on the server, by UID.
    pub fn locations(&self, account: i64, folder: &str) -> Result<Vec<ImapLocation>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT uid, message, flags_dirty FROM imap_locations WHERE account_id = ?1 AND folder = ?2 ORDER BY uid",
        )?;
        let rows = stmt.query_map(params![account, folder], |r| {
            Ok(ImapLocation { uid: r.get(0)?, message: r.get(1)?, flags_dirty: r.get(2)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn remove_location(&self, account: i64, folder: &str, uid: u32) -> Result<()> {
        self.conn.execute(
            "DELETE FROM imap_locations WHERE account_id = ?1 AND folder = ?2 AND uid = ?3",
            params![account, folder, uid],
        )?;
        Ok(())
    }

    /// Marks flags of a message as changed here (`mask`: `MessageFlags::changed`, and
    /// [`ARCHIVE_PENDING`]), to be pushed to every server copy of it.
    pub fn mark_flags_dirty(&self, message: i64, mask: u8) -> Result<()> {
        if mask != 0 {
            self.conn.execute(
                "UPDATE imap_locations SET flags_dirty = flags_dirty | ?2 WHERE message = ?1",
                params![message, mask],
            )?;
        }
        Ok(())
    }

    pub fn clear_flags_dirty(&self, account: i64, folder: &str, uid: u32) -> Result<()> {
        self.conn.execute(
            "UPDATE imap_locations SET flags_dirty = 0 WHERE account_id = ?1 AND folder = ?2 AND uid = ?3",
            params![account, folder, uid],
        )?;
        Ok(())
    }

    /// The row id of the executive's message with this Message-ID.
    pub fn message_row(&self, executive: &str, message_id: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM messages WHERE executive_id = ?1 AND message_id = ?2",
                params![executive, message_id],
                |r| r.get(0),
            )
            .optional()?)
    }
}
