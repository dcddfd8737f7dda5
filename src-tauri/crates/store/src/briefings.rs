//! What the briefing needs beyond the calendars and the mail: the EP's prep notes on meetings,
//! and the briefings delivered (so "changed since the last briefing" starts where the last one
//! the executive got left off).
//!
//! Prep notes stay local: they are the EP's words to the executive, not part of the meeting
//! that the organiser and the other attendees share, so they never go into an iCalendar object.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, OptionalExtension};

use crate::{instant, Result, Store};

pub(crate) const V11: &str = "
CREATE TABLE prep_notes (
    executive_id TEXT NOT NULL REFERENCES executives(id) ON DELETE CASCADE,
    uid          TEXT NOT NULL,
    -- The instance's RECURRENCE-ID (contract form), or '' for the meeting or the whole series.
    instance     TEXT NOT NULL DEFAULT '',
    note         TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (executive_id, uid, instance)
);
CREATE TABLE briefings_delivered (
    id           INTEGER PRIMARY KEY,
    executive_id TEXT NOT NULL REFERENCES executives(id) ON DELETE CASCADE,
    day          TEXT NOT NULL,
    how          TEXT NOT NULL,
    at           TEXT NOT NULL,
    -- The mail that carries it, for a briefing mailed: taking the mail back takes this back.
    outbox_id    INTEGER
);
CREATE INDEX briefings_delivered_by_executive ON briefings_delivered (executive_id, at);";

/// One briefing handed to the executive: which day, how (`email`, `html`, `pdf`, `text`), when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeliveredBriefing {
    pub day: NaiveDate,
    pub how: String,
    pub at: DateTime<Utc>,
}

impl Store {
    /// Sets the EP's prep note on a meeting (`instance` None: the meeting, or every instance
    /// of a series that has no note of its own). An empty note removes it.
    pub fn set_prep_note(
        &self,
        executive: &str,
        uid: &str,
        instance: Option<&str>,
        note: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let instance = instance.unwrap_or_default();
        if note.trim().is_empty() {
            self.conn.execute(
                "DELETE FROM prep_notes WHERE executive_id = ?1 AND uid = ?2 AND instance = ?3",
                params![executive, uid, instance],
            )?;
        } else {
            self.conn.execute(
                "INSERT INTO prep_notes (executive_id, uid, instance, note, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (executive_id, uid, instance) DO UPDATE SET note = excluded.note, updated_at = excluded.updated_at",
                params![executive, uid, instance, note.trim(), at.to_rfc3339()],
            )?;
        }
        Ok(())
    }

    /// The prep note of one meeting or instance: the instance's own, else the series'.
    pub fn prep_note(&self, executive: &str, uid: &str, instance: Option<&str>) -> Result<Option<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT note FROM prep_notes WHERE executive_id = ?1 AND uid = ?2 AND instance IN (?3, '')
             ORDER BY instance DESC LIMIT 1",
        )?;
        Ok(stmt.query_row(params![executive, uid, instance.unwrap_or_default()], |r| r.get(0)).optional()?)
    }

    /// Records a briefing handed over: exported as `how` (`pdf`, `html`, `text`) or mailed
    /// (`email`, with the outbox item that carries it).
    pub fn record_briefing_delivered(
        &self,
        executive: &str,
        day: NaiveDate,
        how: &str,
        at: DateTime<Utc>,
        outbox_id: Option<i64>,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO briefings_delivered (executive_id, day, how, at, outbox_id) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![executive, day.to_string(), how, at.to_rfc3339(), outbox_id],
        )?;
        Ok(())
    }

    /// Forgets the delivery a cancelled briefing mail stood for; `true` when there was one.
    pub fn forget_briefing_mail(&self, outbox_id: i64) -> Result<bool> {
        Ok(self.conn.execute("DELETE FROM briefings_delivered WHERE outbox_id = ?1", [outbox_id])? > 0)
    }

    /// The last briefing delivered strictly before `before` (a briefing rebuilt later in the
    /// day, or for an earlier `--now`, must not count itself or later ones).
    pub fn last_briefing_delivered(&self, executive: &str, before: DateTime<Utc>) -> Result<Option<DeliveredBriefing>> {
        // RFC 3339 UTC strings written here compare in time order.
        let row: Option<(String, String, String)> = self
            .conn
            .query_row(
                "SELECT day, how, at FROM briefings_delivered WHERE executive_id = ?1 AND at < ?2
                 ORDER BY at DESC, id DESC LIMIT 1",
                params![executive, before.to_rfc3339()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        row.map(|(day, how, at)| {
            Ok(DeliveredBriefing {
                day: day.parse().map_err(|e| crate::StoreError::Corrupt {
                    what: "briefing day".into(),
                    detail: format!("{day}: {e}"),
                })?,
                how,
                at: instant("briefing delivery time", &at)?,
            })
        })
        .transpose()
    }
}
