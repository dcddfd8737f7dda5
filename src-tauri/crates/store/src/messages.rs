//! Mail messages: the parsed form (JSON) beside the original bytes.

use rusqlite::params;
use tandem_core::mail::Message;

use crate::{from_json, to_json, Result, Store};

pub(crate) const V1: &str = "
CREATE TABLE messages (
    id           INTEGER PRIMARY KEY,
    executive_id TEXT NOT NULL REFERENCES executives(id) ON DELETE CASCADE,
    message_id   TEXT NOT NULL,
    thread_key   TEXT NOT NULL,
    date         TEXT NOT NULL,
    from_address TEXT NOT NULL,
    subject      TEXT NOT NULL,
    lane         TEXT NOT NULL,
    data         TEXT NOT NULL,
    raw          BLOB NOT NULL,
    UNIQUE (executive_id, message_id)
);
CREATE INDEX messages_by_date ON messages (executive_id, date DESC);
CREATE INDEX messages_by_thread ON messages (executive_id, thread_key);";

#[derive(Clone, Debug, PartialEq)]
pub struct StoredMessage {
    pub id: i64,
    pub message: Message,
}

impl Store {
    /// Adds messages; one already stored (same Message-ID) keeps its local state (lane, flags).
    /// Returns how many were new.
    pub fn insert_messages(&self, executive: &str, messages: &[(Message, Vec<u8>)]) -> Result<usize> {
        let mut stmt = self.conn.prepare_cached(
            "INSERT INTO messages (executive_id, message_id, thread_key, date, from_address, subject, lane, data, raw)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT (executive_id, message_id) DO NOTHING",
        )?;
        let mut added = 0;
        for (m, raw) in messages {
            added += stmt.execute(params![
                executive,
                m.message_id,
                m.thread_key(),
                m.date.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                m.from.address,
                m.subject,
                m.lane.as_str(),
                to_json(m),
                raw
            ])?;
        }
        Ok(added)
    }

    /// A page of the executive's messages, newest first.
    pub fn messages_page(&self, executive: &str, offset: usize, limit: usize) -> Result<Vec<StoredMessage>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, data FROM messages WHERE executive_id = ?1 ORDER BY date DESC, id DESC LIMIT ?2 OFFSET ?3",
        )?;
        let rows = stmt.query_map(params![executive, limit as i64, offset as i64], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, data) = row?;
            out.push(StoredMessage { id, message: from_json("message", &data)? });
        }
        Ok(out)
    }

    pub fn message_count(&self, executive: &str) -> Result<usize> {
        let n: i64 =
            self.conn.query_row("SELECT COUNT(*) FROM messages WHERE executive_id = ?1", [executive], |r| r.get(0))?;
        Ok(n as usize)
    }

    /// The original bytes of a message.
    pub fn message_raw(&self, id: i64) -> Result<Vec<u8>> {
        Ok(self.conn.query_row("SELECT raw FROM messages WHERE id = ?1", [id], |r| r.get(0))?)
    }
}
