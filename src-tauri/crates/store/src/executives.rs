//! Executives and their profile documents (TOML, as the executive partner edits them).

use rusqlite::{params, OptionalExtension};
use tandem_core::ExecutiveProfile;

use crate::{Result, Store, StoreError};

pub(crate) const V1: &str = "
CREATE TABLE executives (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    profile_toml TEXT NOT NULL,
    position     INTEGER NOT NULL
);";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecutiveSummary {
    pub id: String,
    pub name: String,
}

impl Store {
    /// Adds the executive, or replaces the profile of the one with the same id.
    pub fn save_executive(&self, profile: &ExecutiveProfile) -> Result<()> {
        self.conn.execute(
            "INSERT INTO executives (id, name, profile_toml, position)
             VALUES (?1, ?2, ?3, (SELECT COALESCE(MAX(position), 0) + 1 FROM executives))
             ON CONFLICT(id) DO UPDATE SET name = excluded.name, profile_toml = excluded.profile_toml",
            params![profile.id, profile.name, profile.to_toml()],
        )?;
        Ok(())
    }

    /// Executives in the order they were added.
    pub fn executives(&self) -> Result<Vec<ExecutiveSummary>> {
        let mut stmt = self.conn.prepare("SELECT id, name FROM executives ORDER BY position")?;
        let rows = stmt.query_map([], |r| Ok(ExecutiveSummary { id: r.get(0)?, name: r.get(1)? }))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn executive_profile(&self, id: &str) -> Result<ExecutiveProfile> {
        let toml: Option<String> =
            self.conn.query_row("SELECT profile_toml FROM executives WHERE id = ?1", [id], |r| r.get(0)).optional()?;
        let toml = toml.ok_or_else(|| StoreError::NotFound { what: format!("executive '{id}'") })?;
        ExecutiveProfile::from_toml(&toml)
            .map_err(|e| StoreError::Corrupt { what: format!("profile of executive '{id}'"), detail: e.to_string() })
    }

    /// Deletes the executive and everything stored for them.
    pub fn delete_executive(&self, id: &str) -> Result<bool> {
        Ok(self.conn.execute("DELETE FROM executives WHERE id = ?1", [id])? > 0)
    }
}
