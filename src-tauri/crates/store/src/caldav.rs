//! What CalDAV sync knows of each server calendar: which local calendar mirrors it, the sync
//! token or CTag of the last sync, and per member (one object on the server, one meeting
//! with its overrides) its href, ETag, UID and the text as the server last sent it. That text
//! is the base a later merge of two changes starts from.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};

use crate::{instant, Result, Store};

pub(crate) const V12: &str = "
ALTER TABLE accounts ADD COLUMN url TEXT;
-- This store's own name in the OS keychain, which all stores on the computer share: account
-- ids start at 1 in every store, so a key made of the id alone would be another store's too.
CREATE TABLE store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO store_meta (key, value) VALUES ('keychain', lower(hex(randomblob(8))));
CREATE TABLE caldav_calendars (
    calendar_id   INTEGER PRIMARY KEY REFERENCES calendars(id) ON DELETE CASCADE,
    account_id    INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    url           TEXT NOT NULL,
    ctag          TEXT,
    sync_token    TEXT,
    supports_sync INTEGER NOT NULL,
    writable      INTEGER NOT NULL,
    synced_at     TEXT,
    last_error    TEXT,
    UNIQUE (account_id, url)
);
CREATE TABLE caldav_members (
    calendar_id INTEGER NOT NULL REFERENCES calendars(id) ON DELETE CASCADE,
    href        TEXT NOT NULL,
    etag        TEXT,
    uid         TEXT NOT NULL,
    raw         TEXT NOT NULL,
    PRIMARY KEY (calendar_id, href)
);
CREATE INDEX caldav_members_by_uid ON caldav_members (calendar_id, uid);
CREATE TABLE caldav_conflicts (
    id          INTEGER PRIMARY KEY,
    calendar_id INTEGER NOT NULL REFERENCES calendars(id) ON DELETE CASCADE,
    uid         TEXT NOT NULL,
    summary     TEXT NOT NULL,
    fields      TEXT NOT NULL,
    local_raw   TEXT NOT NULL,
    remote_raw  TEXT NOT NULL,
    at          TEXT NOT NULL,
    resolved_at TEXT
);";

/// A change made here that collided with one made on the server to the same properties of a
/// meeting: both versions are kept, the server's in the calendar and ours here, for the EP.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalDavConflict {
    pub id: i64,
    pub calendar_id: i64,
    pub uid: String,
    pub summary: String,
    /// The properties both sides changed ("summary", "start").
    pub fields: Vec<String>,
    pub local_raw: String,
    pub remote_raw: String,
    pub at: DateTime<Utc>,
}

/// A server calendar mirrored into a local one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalDavCalendar {
    pub calendar_id: i64,
    pub account_id: i64,
    pub url: String,
    pub ctag: Option<String>,
    pub sync_token: Option<String>,
    pub supports_sync: bool,
    pub writable: bool,
    pub synced_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}

/// One object of a server calendar as last fetched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalDavMember {
    pub href: String,
    pub etag: Option<String>,
    pub uid: String,
    pub raw: String,
}

const COLUMNS: &str = "calendar_id, account_id, url, ctag, sync_token, supports_sync, writable, synced_at, last_error";

fn calendar_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(CalDavCalendar, Option<String>)> {
    Ok((
        CalDavCalendar {
            calendar_id: r.get(0)?,
            account_id: r.get(1)?,
            url: r.get(2)?,
            ctag: r.get(3)?,
            sync_token: r.get(4)?,
            supports_sync: r.get(5)?,
            writable: r.get(6)?,
            synced_at: None,
            last_error: r.get(8)?,
        },
        r.get(7)?,
    ))
}

fn with_time((mut c, synced): (CalDavCalendar, Option<String>)) -> Result<CalDavCalendar> {
    c.synced_at = synced.map(|s| instant("calendar sync time", &s)).transpose()?;
    Ok(c)
}

impl Store {
    /// Mirrors the server calendar at `url` into the local calendar `calendar_id`.
    pub fn link_caldav_calendar(
        &self,
        calendar_id: i64,
        account_id: i64,
        url: &str,
        supports_sync: bool,
        writable: bool,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO caldav_calendars (calendar_id, account_id, url, supports_sync, writable) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (calendar_id) DO UPDATE SET account_id = excluded.account_id, url = excluded.url,
               supports_sync = excluded.supports_sync, writable = excluded.writable",
            params![calendar_id, account_id, url, supports_sync, writable],
        )?;
        Ok(())
    }

    /// The server calendars of an account.
    pub fn caldav_calendars(&self, account_id: i64) -> Result<Vec<CalDavCalendar>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM caldav_calendars WHERE account_id = ?1 ORDER BY calendar_id"
        ))?;
        let rows = stmt.query_map([account_id], calendar_row)?;
        rows.map(|r| with_time(r?)).collect()
    }

    /// The server calendar a local calendar mirrors, if it mirrors one.
    pub fn caldav_calendar(&self, calendar_id: i64) -> Result<Option<CalDavCalendar>> {
        let row = self
            .conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM caldav_calendars WHERE calendar_id = ?1"),
                [calendar_id],
                calendar_row,
            )
            .optional()?;
        row.map(with_time).transpose()
    }

    /// Each member's href and ETag, for the next comparison with the server.
    pub fn caldav_etags(&self, calendar_id: i64) -> Result<Vec<(String, String)>> {
        let mut stmt =
            self.conn.prepare_cached("SELECT href, COALESCE(etag, '') FROM caldav_members WHERE calendar_id = ?1")?;
        let rows = stmt.query_map([calendar_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn caldav_member(&self, calendar_id: i64, href: &str) -> Result<Option<CalDavMember>> {
        Ok(self
            .conn
            .query_row(
                "SELECT href, etag, uid, raw FROM caldav_members WHERE calendar_id = ?1 AND href = ?2",
                params![calendar_id, href],
                |r| Ok(CalDavMember { href: r.get(0)?, etag: r.get(1)?, uid: r.get(2)?, raw: r.get(3)? }),
            )
            .optional()?)
    }

    /// The member holding the meeting `uid`, if the server has it.
    pub fn caldav_member_of_uid(&self, calendar_id: i64, uid: &str) -> Result<Option<CalDavMember>> {
        Ok(self
            .conn
            .query_row(
                "SELECT href, etag, uid, raw FROM caldav_members WHERE calendar_id = ?1 AND uid = ?2",
                params![calendar_id, uid],
                |r| Ok(CalDavMember { href: r.get(0)?, etag: r.get(1)?, uid: r.get(2)?, raw: r.get(3)? }),
            )
            .optional()?)
    }

    pub fn put_caldav_member(&self, calendar_id: i64, member: &CalDavMember) -> Result<()> {
        self.conn.execute(
            "INSERT INTO caldav_members (calendar_id, href, etag, uid, raw) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (calendar_id, href) DO UPDATE SET etag = excluded.etag, uid = excluded.uid, raw = excluded.raw",
            params![calendar_id, member.href, member.etag, member.uid, member.raw],
        )?;
        Ok(())
    }

    /// Forgets a member; returns the UID it held.
    pub fn remove_caldav_member(&self, calendar_id: i64, href: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "DELETE FROM caldav_members WHERE calendar_id = ?1 AND href = ?2 RETURNING uid",
                params![calendar_id, href],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Keeps both sides of a clash (the conflict's `id` is the store's; the one given is ignored).
    pub fn record_caldav_conflict(&self, conflict: &CalDavConflict) -> Result<i64> {
        let c = conflict;
        self.conn.execute(
            "INSERT INTO caldav_conflicts (calendar_id, uid, summary, fields, local_raw, remote_raw, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                c.calendar_id,
                c.uid,
                c.summary,
                crate::to_json(&c.fields),
                c.local_raw,
                c.remote_raw,
                c.at.to_rfc3339()
            ],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// The executive's conflicts not yet resolved, oldest first.
    pub fn caldav_conflicts(&self, executive: &str) -> Result<Vec<CalDavConflict>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT k.id, k.calendar_id, k.uid, k.summary, k.fields, k.local_raw, k.remote_raw, k.at
             FROM caldav_conflicts k JOIN calendars c ON c.id = k.calendar_id
             WHERE c.executive_id = ?1 AND k.resolved_at IS NULL ORDER BY k.id",
        )?;
        let rows = stmt.query_map([executive], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, calendar_id, uid, summary, fields, local_raw, remote_raw, at) = row?;
            out.push(CalDavConflict {
                id,
                calendar_id,
                uid,
                summary,
                fields: crate::from_json("conflict fields", &fields)?,
                local_raw,
                remote_raw,
                at: instant("conflict time", &at)?,
            });
        }
        Ok(out)
    }

    pub fn caldav_conflict(&self, executive: &str, id: i64) -> Result<CalDavConflict> {
        self.caldav_conflicts(executive)?
            .into_iter()
            .find(|c| c.id == id)
            .ok_or_else(|| crate::StoreError::NotFound { what: format!("clash {id}") })
    }

    pub fn resolve_caldav_conflict(&self, id: i64, at: DateTime<Utc>) -> Result<()> {
        self.conn
            .execute("UPDATE caldav_conflicts SET resolved_at = ?2 WHERE id = ?1", params![id, at.to_rfc3339()])?;
        Ok(())
    }

    /// Records a sync of the calendar: its new token or CTag, or the error that stopped it
    /// (what was stored before stays).
    pub fn record_caldav_sync(
        &self,
        calendar_id: i64,
        outcome: std::result::Result<(Option<&str>, Option<&str>), &str>,
        at: DateTime<Utc>,
    ) -> Result<()> {
        match outcome {
            Ok((token, ctag)) => self.conn.execute(
                "UPDATE caldav_calendars SET sync_token = ?2, ctag = ?3, synced_at = ?4, last_error = NULL WHERE calendar_id = ?1",
                params![calendar_id, token, ctag, at.to_rfc3339()],
            )?,
            Err(error) => self
                .conn
                .execute("UPDATE caldav_calendars SET last_error = ?2 WHERE calendar_id = ?1", params![calendar_id, error])?,
        };
        Ok(())
    }
}
