//! Calendar subscriptions: a calendar whose events come from a published URL (webcal:/https).
//!
//! The feed's events live in `events` like any other calendar's, so a subscribed calendar keeps
//! working offline with what was last fetched. This table remembers where to fetch from, the
//! HTTP validators for a cheap conditional fetch, and when to try next (backing off while the
//! feed fails, without ever dropping the cached events).

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};
use tandem_core::{Calendar, CalendarId, Event};

use crate::{instant, Result, Store, StoreError};

pub(crate) const V3: &str = "
CREATE TABLE subscriptions (
    calendar_id   INTEGER PRIMARY KEY REFERENCES calendars(id) ON DELETE CASCADE,
    url           TEXT NOT NULL,
    refresh_secs  INTEGER NOT NULL,
    etag          TEXT,
    last_modified TEXT,
    fetched_at    TEXT,
    failures      INTEGER NOT NULL DEFAULT 0,
    error         TEXT,
    next_at       TEXT NOT NULL
);";

/// A subscribed calendar's feed and how its last fetch went.
#[derive(Clone, Debug, PartialEq)]
pub struct Subscription {
    pub calendar_id: CalendarId,
    pub executive_id: String,
    /// As the EP gave it (webcal: or https:). May carry a secret token: never log it whole.
    pub url: String,
    /// Seconds between fetches while the feed is healthy.
    pub refresh_secs: i64,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// When the feed's content was last confirmed (a 200 or a 304).
    pub fetched_at: Option<DateTime<Utc>>,
    /// Fetches failed in a row since the last success.
    pub failures: u32,
    /// Why the last fetch failed; `None` after a success.
    pub error: Option<String>,
    pub next_at: DateTime<Utc>,
}

/// What one fetch attempt found, to record.
#[derive(Clone, Debug, PartialEq)]
pub enum FeedOutcome {
    /// The feed answered (new content or "not modified"); validators and interval as now known.
    Fetched { etag: Option<String>, last_modified: Option<String>, refresh_secs: i64 },
    /// The fetch failed; the cached events stay.
    Failed { error: String },
}

/// The shortest wait before retrying a failing feed; it doubles per failure up to the
/// feed's own interval, so a dead server is not hammered and a brief outage heals quickly.
pub const FIRST_RETRY_SECS: i64 = 300;

impl Store {
    /// Creates a calendar fed from `url`, due for its first fetch at `now`. A calendar of that
    /// name already existing is refused rather than mixed with the feed's events.
    pub fn add_subscription(
        &mut self,
        executive: &str,
        name: &str,
        color: &str,
        url: &str,
        refresh_secs: i64,
        now: DateTime<Utc>,
    ) -> Result<Calendar> {
        self.transaction(|s| {
            let taken: Option<i64> = s
                .conn
                .query_row(
                    "SELECT id FROM calendars WHERE executive_id = ?1 AND name = ?2",
                    params![executive, name],
                    |r| r.get(0),
                )
                .optional()?;
            if taken.is_some() {
                return Err(StoreError::Conflict { what: format!("a calendar named '{name}'") });
            }
            s.conn.execute(
                "INSERT INTO calendars (executive_id, name, color, source) VALUES (?1, ?2, ?3, 'subscription')",
                params![executive, name, color],
            )?;
            let id = s.conn.last_insert_rowid();
            s.conn.execute(
                "INSERT INTO subscriptions (calendar_id, url, refresh_secs, next_at) VALUES (?1, ?2, ?3, ?4)",
                params![id, url, refresh_secs, now.to_rfc3339()],
            )?;
            Ok(Calendar { id, name: name.to_string(), color: color.to_string(), visible: true })
        })
    }

    /// The executive's subscriptions, by calendar.
    pub fn subscriptions(&self, executive: &str) -> Result<Vec<Subscription>> {
        self.query_subscriptions("WHERE c.executive_id = ?1", params![executive])
    }

    /// Every executive's subscriptions due for a fetch at `now`, oldest due first.
    pub fn due_subscriptions(&self, now: DateTime<Utc>) -> Result<Vec<Subscription>> {
        // RFC 3339 UTC strings written by this module compare in time order.
        self.query_subscriptions("WHERE s.next_at <= ?1", params![now.to_rfc3339()])
    }

    /// One subscription by its calendar.
    pub fn subscription(&self, calendar: CalendarId) -> Result<Subscription> {
        self.query_subscriptions("WHERE s.calendar_id = ?1", params![calendar])?
            .pop()
            .ok_or_else(|| StoreError::NotFound { what: format!("subscription of calendar {calendar}") })
    }

    fn query_subscriptions(&self, filter: &str, args: impl rusqlite::Params) -> Result<Vec<Subscription>> {
        let sql = format!(
            "SELECT s.calendar_id, c.executive_id, s.url, s.refresh_secs, s.etag, s.last_modified, s.fetched_at,
                    s.failures, s.error, s.next_at
             FROM subscriptions s JOIN calendars c ON c.id = s.calendar_id {filter} ORDER BY s.next_at, s.calendar_id"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(args, |r| {
            Ok((
                Subscription {
                    calendar_id: r.get(0)?,
                    executive_id: r.get(1)?,
                    url: r.get(2)?,
                    refresh_secs: r.get(3)?,
                    etag: r.get(4)?,
                    last_modified: r.get(5)?,
                    fetched_at: None,
                    failures: r.get(7)?,
                    error: r.get(8)?,
                    next_at: DateTime::<Utc>::MIN_UTC,
                },
                r.get::<_, Option<String>>(6)?,
                r.get::<_, String>(9)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (mut sub, fetched, next) = row?;
            sub.fetched_at = fetched.as_deref().map(|t| instant("subscription fetched_at", t)).transpose()?;
            sub.next_at = instant("subscription next_at", &next)?;
            out.push(sub);
        }
        Ok(out)
    }

    /// Records a fetch attempt and schedules the next one.
    pub fn record_feed(&self, calendar: CalendarId, outcome: &FeedOutcome, now: DateTime<Utc>) -> Result<()> {
        match outcome {
            FeedOutcome::Fetched { etag, last_modified, refresh_secs } => {
                let next = now + chrono::Duration::seconds(*refresh_secs);
                self.conn.execute(
                    "UPDATE subscriptions SET etag = ?2, last_modified = ?3, refresh_secs = ?4, fetched_at = ?5,
                         failures = 0, error = NULL, next_at = ?6 WHERE calendar_id = ?1",
                    params![calendar, etag, last_modified, refresh_secs, now.to_rfc3339(), next.to_rfc3339()],
                )?;
            }
            FeedOutcome::Failed { error } => {
                let sub = self.subscription(calendar)?;
                let failures = sub.failures.saturating_add(1);
                let backoff = FIRST_RETRY_SECS.saturating_mul(1 << failures.saturating_sub(1).min(16));
                let next = now + chrono::Duration::seconds(backoff.min(sub.refresh_secs.max(FIRST_RETRY_SECS)));
                self.conn.execute(
                    "UPDATE subscriptions SET failures = ?2, error = ?3, next_at = ?4 WHERE calendar_id = ?1",
                    params![calendar, failures, error, next.to_rfc3339()],
                )?;
            }
        }
        Ok(())
    }

    /// Makes a subscription due now (the EP asked for a refresh).
    pub fn make_due(&self, calendar: CalendarId, now: DateTime<Utc>) -> Result<()> {
        self.conn.execute(
            "UPDATE subscriptions SET next_at = ?2 WHERE calendar_id = ?1",
            params![calendar, now.to_rfc3339()],
        )?;
        Ok(())
    }

    /// Replaces every event of a calendar with `events` (a feed is the whole truth about its
    /// calendar: an event gone from it is gone). Returns how many were written.
    pub fn replace_events(&self, calendar: CalendarId, events: &[(Event, String)]) -> Result<usize> {
        self.conn.execute("DELETE FROM events WHERE calendar_id = ?1", [calendar])?;
        self.upsert_events(calendar, events)
    }
}
