//! The audit log: every decision taken on the executive's behalf, with its reason.

use rusqlite::params;
use tandem_core::decision::Decision;

use crate::{from_json, to_json, Result, Store};

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

impl Store {
    pub fn record_decision(&self, executive: &str, d: &Decision) -> Result<i64> {
        self.conn.execute(
            "INSERT INTO decisions (executive_id, uid, action, decided_at, data) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![executive, d.uid, d.action.as_str(), d.decided_at.to_rfc3339(), to_json(d)],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// The executive's decisions, oldest first.
    pub fn decisions(&self, executive: &str) -> Result<Vec<Decision>> {
        let mut stmt =
            self.conn.prepare_cached("SELECT data FROM decisions WHERE executive_id = ?1 ORDER BY decided_at, id")?;
        let rows = stmt.query_map([executive], |r| r.get::<_, String>(0))?;
        rows.map(|r| from_json("decision", &r?)).collect()
    }
}
