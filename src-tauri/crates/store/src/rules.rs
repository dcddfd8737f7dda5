//! Each executive's rules document (TOML), as last saved valid.
//!
//! The document is kept as the EP wrote it (comments and order included), not as parsed
//! data: it is theirs to read and edit, and a later Tandem may read more of it.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};

use crate::{Result, Store};

pub(crate) const V5: &str = "
CREATE TABLE rules (
    executive_id TEXT PRIMARY KEY REFERENCES executives(id) ON DELETE CASCADE,
    document     TEXT NOT NULL,
    saved_at     TEXT NOT NULL
);";

impl Store {
    /// The executive's rules document, if one was ever saved.
    pub fn rules_document(&self, executive: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT document FROM rules WHERE executive_id = ?1", [executive], |r| r.get(0))
            .optional()?)
    }

    /// Saves a rules document the caller has validated.
    pub fn save_rules_document(&self, executive: &str, document: &str, at: DateTime<Utc>) -> Result<()> {
        self.conn.execute(
            "INSERT INTO rules (executive_id, document, saved_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (executive_id) DO UPDATE SET document = excluded.document, saved_at = excluded.saved_at",
            params![executive, document, at.to_rfc3339()],
        )?;
        Ok(())
    }
}
