//! Approved scheduler proposals: what each one changed in the calendars and what it queued,
//! so that it can be undone while nothing of it has left.
//!
//! An approval keeps a snapshot of every meeting it touched (all of the meeting's components
//! in its calendar, as they were), because moving one instance of a series adds an override
//! that an undo must take away again, not just rewrite.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use tandem_core::{CalendarId, Event};

use crate::{from_json, instant, to_json, Result, Store, StoreError};

pub(crate) const V6: &str = "
CREATE TABLE approvals (
    id           INTEGER PRIMARY KEY,
    executive_id TEXT NOT NULL REFERENCES executives(id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    summary      TEXT NOT NULL,
    snapshots    TEXT NOT NULL,
    outbox_ids   TEXT NOT NULL,
    undone_at    TEXT
);
CREATE INDEX approvals_by_executive ON approvals (executive_id, id);";

/// One meeting's components in one calendar before an approval changed them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeetingSnapshot {
    pub calendar_id: CalendarId,
    pub uid: String,
    /// Each component with its VEVENT text.
    pub components: Vec<(Event, String)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Approval {
    pub id: i64,
    pub executive_id: String,
    pub created_at: DateTime<Utc>,
    /// What was approved, in words (one line per move).
    pub summary: String,
    pub snapshots: Vec<MeetingSnapshot>,
    pub outbox_ids: Vec<i64>,
    pub undone_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str = "id, executive_id, created_at, summary, snapshots, outbox_ids, undone_at";

type Row = (i64, String, String, String, String, String, Option<String>);

fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
}

fn approval(row: Row) -> Result<Approval> {
    let (id, executive_id, created, summary, snapshots, outbox_ids, undone) = row;
    Ok(Approval {
        id,
        executive_id,
        created_at: instant("approval time", &created)?,
        summary,
        snapshots: from_json("approval snapshots", &snapshots)?,
        outbox_ids: from_json("approval outbox ids", &outbox_ids)?,
        undone_at: undone.map(|u| instant("approval undo time", &u)).transpose()?,
    })
}

impl Store {
    pub fn record_approval(
        &self,
        executive: &str,
        summary: &str,
        snapshots: &[MeetingSnapshot],
        outbox_ids: &[i64],
        at: DateTime<Utc>,
    ) -> Result<i64> {
        self.conn.execute(
            "INSERT INTO approvals (executive_id, created_at, summary, snapshots, outbox_ids) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![executive, at.to_rfc3339(), summary, to_json(&snapshots), to_json(&outbox_ids)],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// The executive's approvals, newest first.
    pub fn approvals(&self, executive: &str) -> Result<Vec<Approval>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM approvals WHERE executive_id = ?1 ORDER BY id DESC"))?;
        let rows = stmt.query_map([executive], read)?;
        rows.map(|r| approval(r?)).collect()
    }

    pub fn approval(&self, executive: &str, id: i64) -> Result<Approval> {
        let row = self
            .conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM approvals WHERE id = ?1 AND executive_id = ?2"),
                params![id, executive],
                read,
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound { what: format!("approval {id}") })?;
        approval(row)
    }

    /// Marks an approval undone; `false` when it already was.
    pub fn mark_approval_undone(&self, id: i64, at: DateTime<Utc>) -> Result<bool> {
        Ok(self.conn.execute(
            "UPDATE approvals SET undone_at = ?2 WHERE id = ?1 AND undone_at IS NULL",
            params![id, at.to_rfc3339()],
        )? == 1)
    }
}
