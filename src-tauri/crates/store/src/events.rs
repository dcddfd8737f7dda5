//! Events: the parsed form (JSON) beside the VEVENT text it came from.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use rusqlite::params;
use tandem_core::{CalendarId, Event};

use crate::{from_json, to_json, Result, Store};

pub(crate) const V1: &str = "
CREATE TABLE events (
    id             INTEGER PRIMARY KEY,
    calendar_id    INTEGER NOT NULL REFERENCES calendars(id) ON DELETE CASCADE,
    uid            TEXT NOT NULL,
    recurrence_key TEXT NOT NULL DEFAULT '',
    sequence       INTEGER NOT NULL,
    data           TEXT NOT NULL,
    raw            TEXT NOT NULL,
    UNIQUE (calendar_id, uid, recurrence_key)
);
CREATE INDEX events_by_uid ON events (uid);";

/// See [`Store::events_of`]. A `RefCell`: a store is used from one thread at a time.
#[derive(Default)]
pub(crate) struct EventsCache(RefCell<HashMap<String, CachedEvents>>);

/// One executive's events and the database version they were read at.
type CachedEvents = (DatabaseVersion, Arc<Vec<StoredEvent>>);

/// This connection's total changes and SQLite's `data_version` (other connections' commits).
type DatabaseVersion = (u64, i64);

#[derive(Clone, Debug, PartialEq)]
pub struct StoredEvent {
    pub calendar_id: CalendarId,
    pub event: Event,
}

impl Store {
    /// Adds or replaces events by UID + RECURRENCE-ID in a calendar. A copy with a lower
    /// SEQUENCE than the stored one is older news and is ignored. Returns how many were written.
    pub fn upsert_events(&self, calendar: CalendarId, events: &[(Event, String)]) -> Result<usize> {
        let mut stmt = self.conn.prepare_cached(
            "INSERT INTO events (calendar_id, uid, recurrence_key, sequence, data, raw) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (calendar_id, uid, recurrence_key) DO UPDATE
               SET sequence = excluded.sequence, data = excluded.data, raw = excluded.raw
               WHERE excluded.sequence >= events.sequence",
        )?;
        let mut written = 0;
        for (event, raw) in events {
            let key = event.recurrence_id.map(|r| r.instance_key()).unwrap_or_default();
            written += stmt.execute(params![calendar, event.uid, key, event.sequence, to_json(event), raw])?;
        }
        Ok(written)
    }

    /// Every event in every calendar of the executive, by calendar then insertion order.
    ///
    /// Read from the database once and kept until it changes (a write through this store, or a
    /// commit by another process, e.g. `tandem import` while the app is open): every view of
    /// the calendar needs all of them, and reading a few thousand from JSON each time was most
    /// of what opening a day cost.
    pub fn events_of(&self, executive: &str) -> Result<Arc<Vec<StoredEvent>>> {
        let version = self.database_version()?;
        if let Some((seen, events)) = self.events_cache.0.borrow().get(executive) {
            if *seen == version {
                return Ok(events.clone());
            }
        }
        let events = Arc::new(self.read_events_of(executive)?);
        let mut cache = self.events_cache.0.borrow_mut();
        // One executive's events are kept per store; switching drops the others'.
        cache.retain(|k, _| k == executive);
        cache.insert(executive.to_string(), (version, events.clone()));
        Ok(events)
    }

    /// What identifies the database's contents: this connection's writes and other processes'
    /// commits. Any change to either may have changed events (directly or by a cascade).
    fn database_version(&self) -> Result<DatabaseVersion> {
        let others: i64 = self.conn.pragma_query_value(None, "data_version", |r| r.get(0))?;
        Ok((self.conn.total_changes(), others))
    }

    fn read_events_of(&self, executive: &str) -> Result<Vec<StoredEvent>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT e.calendar_id, e.data FROM events e JOIN calendars c ON c.id = e.calendar_id
             WHERE c.executive_id = ?1 ORDER BY e.calendar_id, e.id",
        )?;
        let rows = stmt.query_map([executive], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (calendar_id, data) = row?;
            out.push(StoredEvent { calendar_id, event: from_json("event", &data)? });
        }
        Ok(out)
    }

    /// The original VEVENT text of a stored event.
    pub fn event_raw(&self, calendar: CalendarId, uid: &str, recurrence_key: &str) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .query_row(
                "SELECT raw FROM events WHERE calendar_id = ?1 AND uid = ?2 AND recurrence_key = ?3",
                params![calendar, uid, recurrence_key],
                |r| r.get(0),
            )
            .optional()?)
    }
}

impl Store {
    /// Every stored component of one meeting across the executive's calendars.
    pub fn events_with_uid(&self, executive: &str, uid: &str) -> Result<Vec<StoredEvent>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT e.calendar_id, e.data FROM events e JOIN calendars c ON c.id = e.calendar_id
             WHERE c.executive_id = ?1 AND e.uid = ?2 ORDER BY e.calendar_id, e.id",
        )?;
        let rows = stmt.query_map(params![executive, uid], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (calendar_id, data) = row?;
            out.push(StoredEvent { calendar_id, event: from_json("event", &data)? });
        }
        Ok(out)
    }

    /// Replaces one meeting's components in a calendar (an iTIP update applied: instances
    /// the organiser withdrew go, whatever their SEQUENCE).
    pub fn replace_meeting(&self, calendar: CalendarId, uid: &str, events: &[(Event, String)]) -> Result<usize> {
        self.conn.execute("DELETE FROM events WHERE calendar_id = ?1 AND uid = ?2", params![calendar, uid])?;
        self.upsert_events(calendar, events)
    }
}
