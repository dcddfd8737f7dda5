//! Reminders already delivered, so each goes off once, even across a restart.

use chrono::{DateTime, Utc};
use rusqlite::params;

use crate::{Result, Store};

pub(crate) const V4: &str = "
CREATE TABLE reminders_delivered (
    executive_id TEXT NOT NULL REFERENCES executives(id) ON DELETE CASCADE,
    key          TEXT NOT NULL,
    at           TEXT NOT NULL,
    PRIMARY KEY (executive_id, key)
);";

impl Store {
    /// Marks a reminder delivered; `true` when it was not before (so the caller delivers it).
    pub fn claim_reminder(&self, executive: &str, key: &str, at: DateTime<Utc>) -> Result<bool> {
        let inserted = self.conn.execute(
            "INSERT OR IGNORE INTO reminders_delivered (executive_id, key, at) VALUES (?1, ?2, ?3)",
            params![executive, key, at.to_rfc3339()],
        )?;
        Ok(inserted == 1)
    }

    /// Forgets deliveries of reminders that went off before `before` (they cannot come back).
    pub fn forget_reminders_before(&self, before: DateTime<Utc>) -> Result<usize> {
        // RFC 3339 UTC strings written by this module compare in time order.
        Ok(self.conn.execute("DELETE FROM reminders_delivered WHERE at < ?1", [before.to_rfc3339()])?)
    }
}
