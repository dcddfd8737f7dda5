//! Events: the parsed form (JSON) beside the VEVENT text it came from.

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
    pub fn events_of(&self, executive: &str) -> Result<Vec<StoredEvent>> {
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
