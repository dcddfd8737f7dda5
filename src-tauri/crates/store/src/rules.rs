//! Each executive's rules documents (TOML), as last saved valid: the invitation rules, the
//! mail triage rules and the mail templates, one [`RuleBook`] each.
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

pub(crate) const V8: &str = "
CREATE TABLE triage_rules (
    executive_id TEXT PRIMARY KEY REFERENCES executives(id) ON DELETE CASCADE,
    document     TEXT NOT NULL,
    saved_at     TEXT NOT NULL
);";

pub(crate) const V10: &str = "
CREATE TABLE mail_templates (
    executive_id TEXT PRIMARY KEY REFERENCES executives(id) ON DELETE CASCADE,
    document     TEXT NOT NULL,
    saved_at     TEXT NOT NULL
);";

/// Which of an executive's rules documents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleBook {
    /// What to do with invitations (accept, decline, hold...).
    Invitations,
    /// Which lane mail goes in.
    Triage,
    /// The EP's mail templates (not rules, but kept and edited the same way).
    Templates,
}

impl RuleBook {
    fn table(self) -> &'static str {
        match self {
            RuleBook::Invitations => "rules",
            RuleBook::Triage => "triage_rules",
            RuleBook::Templates => "mail_templates",
        }
    }
}

impl Store {
    /// The executive's rules document of this book, if one was ever saved.
    pub fn rules_document(&self, executive: &str, book: RuleBook) -> Result<Option<String>> {
        let sql = format!("SELECT document FROM {} WHERE executive_id = ?1", book.table());
        Ok(self.conn.query_row(&sql, [executive], |r| r.get(0)).optional()?)
    }

    /// Saves a rules document the caller has validated.
    pub fn save_rules_document(
        &self,
        executive: &str,
        book: RuleBook,
        document: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let sql = format!(
            "INSERT INTO {} (executive_id, document, saved_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (executive_id) DO UPDATE SET document = excluded.document, saved_at = excluded.saved_at",
            book.table()
        );
        self.conn.execute(&sql, params![executive, document, at.to_rfc3339()])?;
        Ok(())
    }
}
