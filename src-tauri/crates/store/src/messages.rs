//! Mail messages: the parsed form (JSON) beside the original bytes.

use rusqlite::params;
use tandem_core::mail::Message;
use tandem_core::search::MailQuery;

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

/// Full-text search over the messages (SQLite FTS5): subject, body and people, with the
/// sender and the recipients also apart for `from:` and `to:`. Contentless (the text lives in
/// `messages`), keyed by the message's rowid; existing messages are indexed on migration.
pub(crate) const V7: &str = "
CREATE VIRTUAL TABLE messages_fts USING fts5(
    subject, body, people, from_people, to_people,
    content = '', tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO messages_fts (rowid, subject, body, people, from_people, to_people)
SELECT id, subject, coalesce(json_extract(data, '$.body_text'), ''),
       coalesce(json_extract(data, '$.from.name'), '') || ' ' || from_address || ' ' ||
         coalesce((SELECT group_concat(coalesce(json_extract(value, '$.name'), '') || ' ' || json_extract(value, '$.address'), ' ')
                   FROM json_each(data, '$.to')), '') || ' ' ||
         coalesce((SELECT group_concat(coalesce(json_extract(value, '$.name'), '') || ' ' || json_extract(value, '$.address'), ' ')
                   FROM json_each(data, '$.cc')), ''),
       coalesce(json_extract(data, '$.from.name'), '') || ' ' || from_address,
       coalesce((SELECT group_concat(coalesce(json_extract(value, '$.name'), '') || ' ' || json_extract(value, '$.address'), ' ')
                 FROM json_each(data, '$.to')), '') || ' ' ||
         coalesce((SELECT group_concat(coalesce(json_extract(value, '$.name'), '') || ' ' || json_extract(value, '$.address'), ' ')
                   FROM json_each(data, '$.cc')), '')
FROM messages;";

/// The people of a message as the search index holds them: names and addresses.
fn people(list: &[tandem_core::mail::Mailbox]) -> String {
    list.iter().map(|m| format!("{} {}", m.name.as_deref().unwrap_or(""), m.address)).collect::<Vec<_>>().join(" ")
}

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
        let mut index = self.conn.prepare_cached(
            "INSERT INTO messages_fts (rowid, subject, body, people, from_people, to_people) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        let mut added = 0;
        for (m, raw) in messages {
            let new = stmt.execute(params![
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
            if new == 1 {
                let from = people(std::slice::from_ref(&m.from));
                let to = people(&[m.to.as_slice(), m.cc.as_slice()].concat());
                let id = self.conn.last_insert_rowid();
                index.execute(params![id, m.subject, m.body_text, format!("{from} {to}"), from, to])?;
            }
            added += new;
        }
        Ok(added)
    }

    /// The executive's messages matching `query`, newest first.
    pub fn search_messages(&self, executive: &str, query: &MailQuery, limit: usize) -> Result<Vec<StoredMessage>> {
        let mut sql = String::from("SELECT m.id, m.data FROM messages m");
        let mut args: Vec<Box<dyn rusqlite::ToSql>> = vec![Box::new(executive.to_string())];
        let fts = query.fts_match();
        if fts.is_some() {
            sql.push_str(" JOIN messages_fts f ON f.rowid = m.id");
        }
        sql.push_str(" WHERE m.executive_id = ?1");
        if let Some(expr) = fts {
            args.push(Box::new(expr));
            sql.push_str(&format!(" AND messages_fts MATCH ?{}", args.len()));
        }
        if let Some(lane) = query.lane {
            args.push(Box::new(lane.as_str()));
            sql.push_str(&format!(" AND m.lane = ?{}", args.len()));
        }
        if let Some(day) = query.before {
            args.push(Box::new(day.format("%Y-%m-%d").to_string()));
            sql.push_str(&format!(" AND m.date < ?{}", args.len()));
        }
        if let Some(day) = query.after {
            args.push(Box::new(day.format("%Y-%m-%d").to_string()));
            sql.push_str(&format!(" AND m.date >= ?{}", args.len()));
        }
        if query.flagged {
            sql.push_str(" AND json_extract(m.data, '$.flags.flagged')");
        }
        if query.unread {
            sql.push_str(" AND NOT json_extract(m.data, '$.flags.seen')");
        }
        if query.invitation {
            sql.push_str(" AND json_extract(m.data, '$.calendar_method') IS NOT NULL");
        }
        args.push(Box::new(limit as i64));
        sql.push_str(&format!(" ORDER BY m.date DESC, m.id DESC LIMIT ?{}", args.len()));
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let refs: Vec<&dyn rusqlite::ToSql> = args.iter().map(|a| a.as_ref()).collect();
        let rows = stmt.query_map(refs.as_slice(), |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, data) = row?;
            out.push(StoredMessage { id, message: from_json("message", &data)? });
        }
        Ok(out)
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
