//! The audit log: every decision taken on the executive's behalf, with its reason.
//!
//! Decisions are never deleted or edited: an undone decision keeps its entry, marked with
//! when it was undone, and the undo is itself a decision (by a person) in the log.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};
use tandem_core::decision::Decision;

use crate::{from_json, instant, to_json, Result, Store, StoreError};

pub(crate) const V1: &str = "
CREATE TABLE decisions (
    id           INTEGER PRIMARY KEY,
    executive_id TEXT NOT NULL REFERENCES executives(id) ON DELETE CASCADE,
    uid          TEXT NOT NULL,
    action       TEXT NOT NULL,
    decided_at   TEXT NOT NULL,
    data         TEXT NOT NULL
);
CREATE INDEX decisions_by_time ON decisions (executive_id, decided_at);";

/// Which invitation a decision answered, and whether it was undone.
pub(crate) const V5: &str = "
ALTER TABLE decisions ADD COLUMN invitation_id INTEGER REFERENCES invitations(id) ON DELETE SET NULL;
ALTER TABLE decisions ADD COLUMN undone_at TEXT;
CREATE INDEX decisions_by_invitation ON decisions (invitation_id);";

#[derive(Clone, Debug, PartialEq)]
pub struct StoredDecision {
    pub id: i64,
    pub decision: Decision,
    pub invitation_id: Option<i64>,
    pub undone_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str = "id, data, invitation_id, undone_at";

fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<(i64, String, Option<i64>, Option<String>)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
}

fn stored(row: (i64, String, Option<i64>, Option<String>)) -> Result<StoredDecision> {
    let (id, data, invitation_id, undone) = row;
    Ok(StoredDecision {
        id,
        decision: from_json("decision", &data)?,
        invitation_id,
        undone_at: undone.map(|u| instant("decision undo time", &u)).transpose()?,
    })
}

impl Store {
    /// Adds a decision to the log, about `invitation` when it answers one.
    pub fn record_decision(&self, executive: &str, d: &Decision, invitation: Option<i64>) -> Result<i64> {
        self.conn.execute(
            "INSERT INTO decisions (executive_id, uid, action, decided_at, data, invitation_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![executive, d.uid, d.action.as_str(), d.decided_at.to_rfc3339(), to_json(d), invitation],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// The executive's decisions, oldest first.
    pub fn decisions(&self, executive: &str) -> Result<Vec<StoredDecision>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM decisions WHERE executive_id = ?1 ORDER BY decided_at, id"
        ))?;
        let rows = stmt.query_map([executive], read)?;
        rows.map(|r| stored(r?)).collect()
    }

    pub fn decision(&self, id: i64) -> Result<StoredDecision> {
        let row = self
            .conn
            .query_row(&format!("SELECT {COLUMNS} FROM decisions WHERE id = ?1"), [id], read)
            .optional()?
            .ok_or_else(|| StoreError::NotFound { what: format!("decision {id}") })?;
        stored(row)
    }

    /// The latest decision on an invitation that was not undone.
    pub fn standing_decision(&self, invitation: i64) -> Result<Option<StoredDecision>> {
        let row = self
            .conn
            .query_row(
                &format!(
                    "SELECT {COLUMNS} FROM decisions WHERE invitation_id = ?1 AND undone_at IS NULL ORDER BY id DESC LIMIT 1"
                ),
                [invitation],
                read,
            )
            .optional()?;
        row.map(stored).transpose()
    }

    pub fn mark_decision_undone(&self, id: i64, at: DateTime<Utc>) -> Result<()> {
        self.conn.execute("UPDATE decisions SET undone_at = ?2 WHERE id = ?1", params![id, at.to_rfc3339()])?;
        Ok(())
    }
}
