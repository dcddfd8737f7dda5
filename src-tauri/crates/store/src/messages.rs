//! Mail messages: the parsed form (JSON) beside the original bytes, the state triage and the
//! EP give each (lane, flags, archived, snooze, follow-up), and the EP's actions for undo.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};
use tandem_core::mail::{Lane, LaneSource, Message, MessageFlags, MessageState};
use tandem_core::search::MailQuery;

use crate::{from_json, instant, to_json, Result, Store, StoreError};

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

/// Triage and the EP's actions: each message's state in columns of its own (not the parsed
/// JSON), so that the inbox can filter on them and an action can be undone by writing back the
/// state it replaced. The folder a message was found in (INBOX, Sent, Archive...) is kept too.
/// The body text moves out of the JSON into a column of its own, so that a list (the inbox, a
/// search) reads only the start of it. The search index is keyed by date (see [`fts_key`]), so a
/// search walks its matches newest first and stops at the page it needs, instead of sorting
/// every match of a common word by date.
pub(crate) const V10: &str = "
ALTER TABLE mail_actions ADD COLUMN outbox_id INTEGER REFERENCES outbox(id) ON DELETE SET NULL;
CREATE TABLE sent_copies (
    message INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE
);";

pub(crate) const V8: &str = "
ALTER TABLE messages ADD COLUMN folder TEXT NOT NULL DEFAULT 'INBOX';
ALTER TABLE messages ADD COLUMN lane_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN lane_by TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN seen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN flagged INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN answered INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN archived INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN snoozed_until TEXT;
ALTER TABLE messages ADD COLUMN follow_up_at TEXT;
ALTER TABLE messages ADD COLUMN event_uid TEXT;
ALTER TABLE messages ADD COLUMN body TEXT NOT NULL DEFAULT '';
UPDATE messages SET body = coalesce(json_extract(data, '$.body_text'), ''), data = json_remove(data, '$.body_text');
ALTER TABLE messages ADD COLUMN fts_key INTEGER;
UPDATE messages SET fts_key = CAST(strftime('%s', date) AS INTEGER) * 1048576 + (id % 1048576);
CREATE UNIQUE INDEX messages_by_fts_key ON messages (fts_key);
DROP TABLE messages_fts;
CREATE VIRTUAL TABLE messages_fts USING fts5(
    subject, body, people, from_people, to_people,
    content = '', tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO messages_fts (rowid, subject, body, people, from_people, to_people)
SELECT fts_key, subject, body,
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
FROM messages;
UPDATE messages SET
    seen = coalesce(json_extract(data, '$.flags.seen'), 0),
    flagged = coalesce(json_extract(data, '$.flags.flagged'), 0),
    answered = coalesce(json_extract(data, '$.flags.answered'), 0);
CREATE INDEX messages_by_lane ON messages (executive_id, archived, lane, date DESC);
CREATE TABLE mail_actions (
    id           INTEGER PRIMARY KEY,
    executive_id TEXT NOT NULL REFERENCES executives(id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    summary      TEXT NOT NULL,
    before       TEXT NOT NULL,
    added_rule   TEXT,
    undone_at    TEXT
);
CREATE TABLE remote_content_senders (
    executive_id TEXT NOT NULL REFERENCES executives(id) ON DELETE CASCADE,
    sender       TEXT NOT NULL,
    allowed_at   TEXT NOT NULL,
    PRIMARY KEY (executive_id, sender)
);";

/// The folder new mail arrives in; a message found anywhere else starts archived.
pub const INBOX: &str = "INBOX";
/// The folder of mail the executive sent (what Tandem sends lands here too).
pub const SENT: &str = "Sent";

/// A message's key in the search index: its date in seconds times 2^20, plus 20 bits to keep
/// keys apart within a second (a hash of the Message-ID; the next free one if taken). FTS5
/// walks matches in key order without sorting, so keying by date makes "newest first" free.
pub(crate) fn fts_key(date: DateTime<Utc>, spread: i64) -> i64 {
    date.timestamp() * FTS_KEY_SPREAD + spread.rem_euclid(FTS_KEY_SPREAD)
}

/// How often a key taken within the same second is stepped past before giving up.
const FTS_KEY_TRIES: i64 = 64;

const FTS_KEY_SPREAD: i64 = 1 << 20;

/// The people of a message as the search index holds them: names and addresses.
fn people(list: &[tandem_core::mail::Mailbox]) -> String {
    list.iter().map(|m| format!("{} {}", m.name.as_deref().unwrap_or(""), m.address)).collect::<Vec<_>>().join(" ")
}

/// A message to store: as parsed, its original bytes, and the folder it was found in.
#[derive(Clone, Debug, PartialEq)]
pub struct NewMessage {
    pub message: Message,
    pub raw: Vec<u8>,
    pub folder: String,
}

impl NewMessage {
    /// A message that arrived in the inbox.
    pub fn inbox(message: Message, raw: Vec<u8>) -> Self {
        NewMessage { message, raw, folder: INBOX.into() }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct StoredMessage {
    pub id: i64,
    /// As parsed; its `lane` and `flags` are those of `state`.
    pub message: Message,
    pub state: MessageState,
    pub folder: String,
    /// The thread it was filed in (see [`Store::insert_messages`]).
    pub thread_key: String,
}

/// A recorded EP action on messages, with the state each had before, for undo.
#[derive(Clone, Debug, PartialEq)]
pub struct MailAction {
    pub id: i64,
    pub executive_id: String,
    pub created_at: DateTime<Utc>,
    pub summary: String,
    pub before: Vec<(i64, MessageState)>,
    /// The triage rule the action added (a move made to stick), which undo takes away.
    pub added_rule: Option<String>,
    /// The mail the action queued (a reply, a forward, a delegation), which undo takes back
    /// while it has not left.
    pub outbox_id: Option<i64>,
    pub undone_at: Option<DateTime<Utc>>,
}

/// Which of the executive's messages a listing wants.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MessageFilter {
    /// Only those in the inbox at `now`: not archived, not snoozed past `now`, not in another folder.
    pub inbox_at: Option<DateTime<Utc>>,
    pub lane: Option<Lane>,
    /// Only those never triaged (or whose triage was cleared).
    pub untriaged: bool,
    /// Order by lane (needs the executive first, noise last), then senders matching these
    /// (addresses or `@domain`s: the VIPs), then newest; without it, newest first.
    pub triage_order: Option<Vec<String>>,
    /// Read each body whole (triage reads words anywhere); lists read [`LIST_BODY_CHARS`].
    pub full_body: bool,
}

/// How much of the body a list reads: enough for the snippet and the opening of the message.
pub const LIST_BODY_CHARS: usize = 1000;

const COLUMNS: &str = "m.id, m.data, m.folder, m.thread_key, m.lane, m.lane_reason, m.lane_by, m.seen, m.flagged, \
     m.answered, m.archived, m.snoozed_until, m.follow_up_at, m.event_uid";

/// The SELECT of a stored message, with the whole body or only its start.
fn select(full_body: bool) -> String {
    let body = if full_body { "m.body".to_string() } else { format!("substr(m.body, 1, {LIST_BODY_CHARS})") };
    format!("SELECT {COLUMNS}, {body} FROM messages m")
}

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredRow> {
    Ok(StoredRow {
        id: r.get(0)?,
        data: r.get(1)?,
        folder: r.get(2)?,
        thread_key: r.get(3)?,
        lane: r.get(4)?,
        lane_reason: r.get(5)?,
        lane_by: r.get(6)?,
        flags: MessageFlags { seen: r.get(7)?, flagged: r.get(8)?, answered: r.get(9)? },
        archived: r.get(10)?,
        snoozed_until: r.get(11)?,
        follow_up_at: r.get(12)?,
        event_uid: r.get(13)?,
        body: r.get(14)?,
    })
}

struct StoredRow {
    id: i64,
    data: String,
    folder: String,
    thread_key: String,
    lane: String,
    lane_reason: String,
    lane_by: String,
    flags: MessageFlags,
    archived: bool,
    snoozed_until: Option<String>,
    follow_up_at: Option<String>,
    event_uid: Option<String>,
    body: String,
}

impl StoredRow {
    fn into_stored(self) -> Result<StoredMessage> {
        let mut message: Message = from_json("message", &self.data)?;
        message.body_text = self.body;
        let state = MessageState {
            lane: Lane::parse(&self.lane).unwrap_or_default(),
            lane_reason: self.lane_reason,
            lane_by: LaneSource::parse(&self.lane_by),
            flags: self.flags,
            archived: self.archived,
            snoozed_until: self.snoozed_until.as_deref().map(|t| instant("message snooze", t)).transpose()?,
            follow_up_at: self.follow_up_at.as_deref().map(|t| instant("message follow-up", t)).transpose()?,
            event_uid: self.event_uid,
        };
        message.lane = state.lane;
        message.flags = state.flags;
        Ok(StoredMessage { id: self.id, message, state, folder: self.folder, thread_key: self.thread_key })
    }
}

fn stamp(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn collect(rows: impl Iterator<Item = rusqlite::Result<StoredRow>>) -> Result<Vec<StoredMessage>> {
    rows.map(|r| r?.into_stored()).collect()
}

impl Store {
    /// Adds messages; one already stored (same Message-ID) keeps its local state (lane, flags,
    /// snooze...). A message found outside the inbox starts archived; its flags are those it
    /// arrived with. Returns the new messages' ids, in order.
    ///
    /// Threads: a reply is filed with the message it answers when that is stored (so a client
    /// that sends only In-Reply-To still threads), else under the root of its References.
    pub fn insert_messages(&self, executive: &str, messages: &[NewMessage]) -> Result<Vec<i64>> {
        let mut stmt = self.conn.prepare_cached(
            "INSERT INTO messages (executive_id, message_id, thread_key, date, from_address, subject, lane, data, raw,
                                   folder, archived, seen, flagged, answered, body, fts_key)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
             ON CONFLICT (executive_id, message_id) DO NOTHING
             RETURNING id",
        )?;
        let mut index = self.conn.prepare_cached(
            "INSERT INTO messages_fts (rowid, subject, body, people, from_people, to_people) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        let mut taken = self.conn.prepare_cached("SELECT 1 FROM messages WHERE fts_key = ?1")?;
        let mut parent =
            self.conn.prepare_cached("SELECT thread_key FROM messages WHERE executive_id = ?1 AND message_id = ?2")?;
        let mut added = Vec::new();
        let mut indexed = Vec::new();
        for NewMessage { message: m, raw, folder } in messages {
            let mut thread_key = m.thread_key();
            for reference in m.in_reply_to.iter().chain(m.references.first()) {
                if let Some(key) =
                    parent.query_row(params![executive, reference], |r| r.get::<_, String>(0)).optional()?
                {
                    thread_key = key;
                    break;
                }
            }
            // The body has a column of its own; the JSON holds the rest.
            let head = Message { body_text: String::new(), ..m.clone() };
            let spread = crate::fts_spread(&m.message_id);
            let mut key = fts_key(m.date, spread);
            let mut tries = 0;
            while taken.exists([key])? {
                tries += 1;
                if tries >= FTS_KEY_TRIES {
                    return Err(StoreError::Conflict { what: format!("a search key for message {}", m.message_id) });
                }
                key = fts_key(m.date, spread + tries);
            }
            let id: Option<i64> = stmt
                .query_row(
                    params![
                        executive,
                        m.message_id,
                        thread_key,
                        stamp(&m.date),
                        m.from.address,
                        m.subject,
                        m.lane.as_str(),
                        to_json(&head),
                        raw,
                        folder,
                        folder != INBOX,
                        m.flags.seen,
                        m.flags.flagged,
                        m.flags.answered,
                        m.body_text,
                        key,
                    ],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(id) = id {
                let from = people(std::slice::from_ref(&m.from));
                let to = people(&[m.to.as_slice(), m.cc.as_slice()].concat());
                indexed.push((key, &m.subject, &m.body_text, from, to));
                added.push(id);
            }
        }
        // FTS5 flushes its pending terms whenever a key is not above the last one; mail arrives
        // in no date order, so index the batch in key order (a third faster on 100k messages).
        indexed.sort_by_key(|(key, ..)| *key);
        for (key, subject, body, from, to) in indexed {
            index.execute(params![key, subject, body, format!("{from} {to}"), from, to])?;
        }
        Ok(added)
    }

    /// The executive's messages matching `query`, newest first. With words, the search index is
    /// walked newest first (it is keyed by date) and the other conditions are checked on the
    /// way, so the page comes without sorting every match.
    pub fn search_messages(&self, executive: &str, query: &MailQuery, limit: usize) -> Result<Vec<StoredMessage>> {
        let mut args: Vec<Box<dyn rusqlite::ToSql>> = vec![Box::new(executive.to_string())];
        let fts = query.fts_match();
        let day_key = |day: chrono::NaiveDate| fts_key(day.and_hms_opt(0, 0, 0).expect("midnight").and_utc(), 0);
        let mut sql = match &fts {
            Some(expr) => {
                args.push(Box::new(expr.clone()));
                let mut sql = format!(
                    "{} JOIN messages_fts f ON m.fts_key = f.rowid WHERE messages_fts MATCH ?2 AND m.executive_id = ?1",
                    select(false)
                );
                if let Some(day) = query.before {
                    args.push(Box::new(day_key(day)));
                    sql.push_str(&format!(" AND f.rowid < ?{}", args.len()));
                }
                if let Some(day) = query.after {
                    args.push(Box::new(day_key(day)));
                    sql.push_str(&format!(" AND f.rowid >= ?{}", args.len()));
                }
                sql
            }
            None => {
                let mut sql = format!("{} WHERE m.executive_id = ?1", select(false));
                if let Some(day) = query.before {
                    args.push(Box::new(day.format("%Y-%m-%d").to_string()));
                    sql.push_str(&format!(" AND m.date < ?{}", args.len()));
                }
                if let Some(day) = query.after {
                    args.push(Box::new(day.format("%Y-%m-%d").to_string()));
                    sql.push_str(&format!(" AND m.date >= ?{}", args.len()));
                }
                sql
            }
        };
        if let Some(lane) = query.lane {
            args.push(Box::new(lane.as_str()));
            sql.push_str(&format!(" AND m.lane = ?{}", args.len()));
        }
        if query.flagged {
            sql.push_str(" AND m.flagged");
        }
        if query.unread {
            sql.push_str(" AND NOT m.seen");
        }
        if query.invitation {
            sql.push_str(" AND json_extract(m.data, '$.calendar_method') IS NOT NULL");
        }
        if query.attachment {
            sql.push_str(" AND json_array_length(m.data, '$.attachments') > 0");
        }
        args.push(Box::new(limit as i64));
        let order = if fts.is_some() { "f.rowid DESC" } else { "m.date DESC, m.id DESC" };
        sql.push_str(&format!(" ORDER BY {order} LIMIT ?{}", args.len()));
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let refs: Vec<&dyn rusqlite::ToSql> = args.iter().map(|a| a.as_ref()).collect();
        let rows = stmt.query_map(refs.as_slice(), read_row)?;
        collect(rows)
    }

    /// A page of the executive's messages that pass `filter`, newest first.
    pub fn messages_page(
        &self,
        executive: &str,
        filter: &MessageFilter,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<StoredMessage>> {
        let (clause, mut args) = filter_clause(executive, filter);
        let order = match &filter.triage_order {
            None => "m.date DESC, m.id DESC".to_string(),
            Some(first) => {
                let lanes: String = Lane::TRIAGE_ORDER
                    .iter()
                    .enumerate()
                    .map(|(i, l)| format!(" WHEN '{}' THEN {i}", l.as_str()))
                    .collect();
                let mut vip = Vec::new();
                for p in first {
                    let p = p.trim().to_ascii_lowercase();
                    match p.strip_prefix('@') {
                        Some(domain) => {
                            args.push(Box::new(format!("%@{domain}")));
                            vip.push(format!("m.from_address LIKE ?{}", args.len()));
                            args.push(Box::new(format!("%.{domain}")));
                            vip.push(format!("m.from_address LIKE ?{}", args.len()));
                        }
                        None => {
                            args.push(Box::new(p));
                            vip.push(format!("m.from_address = ?{}", args.len()));
                        }
                    }
                }
                let vip = if vip.is_empty() { "0".to_string() } else { vip.join(" OR ") };
                format!("CASE m.lane{lanes} ELSE 9 END, ({vip}) DESC, m.date DESC, m.id DESC")
            }
        };
        args.push(Box::new(limit as i64));
        args.push(Box::new(offset as i64));
        let sql = format!(
            "{} WHERE {clause} ORDER BY {order} LIMIT ?{} OFFSET ?{}",
            select(filter.full_body),
            args.len() - 1,
            args.len()
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let refs: Vec<&dyn rusqlite::ToSql> = args.iter().map(|a| a.as_ref()).collect();
        let rows = stmt.query_map(refs.as_slice(), read_row)?;
        collect(rows)
    }

    /// How many of the executive's messages pass `filter`, by lane.
    pub fn lane_counts(&self, executive: &str, filter: &MessageFilter) -> Result<Vec<(Lane, usize)>> {
        let (clause, args) = filter_clause(executive, filter);
        let sql = format!("SELECT m.lane, COUNT(*) FROM messages m WHERE {clause} GROUP BY m.lane");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let refs: Vec<&dyn rusqlite::ToSql> = args.iter().map(|a| a.as_ref()).collect();
        let rows = stmt.query_map(refs.as_slice(), |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (lane, n) = row?;
            out.push((Lane::parse(&lane).unwrap_or_default(), n as usize));
        }
        out.sort_by_key(|(lane, _)| Lane::ALL.iter().position(|l| l == lane));
        Ok(out)
    }

    pub fn message_count(&self, executive: &str) -> Result<usize> {
        let n: i64 =
            self.conn.query_row("SELECT COUNT(*) FROM messages WHERE executive_id = ?1", [executive], |r| r.get(0))?;
        Ok(n as usize)
    }

    /// One message by its row id, if it is the executive's.
    pub fn message(&self, executive: &str, id: i64) -> Result<StoredMessage> {
        let sql = format!("{} WHERE m.executive_id = ?1 AND m.id = ?2", select(true));
        let row = self.conn.query_row(&sql, params![executive, id], read_row).optional()?;
        row.ok_or_else(|| StoreError::NotFound { what: format!("message {id}") })?.into_stored()
    }

    /// The messages of a thread, oldest first.
    pub fn thread(&self, executive: &str, thread_key: &str) -> Result<Vec<StoredMessage>> {
        let sql = format!("{} WHERE m.executive_id = ?1 AND m.thread_key = ?2 ORDER BY m.date, m.id", select(false));
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![executive, thread_key], read_row)?;
        collect(rows)
    }

    /// Messages whose snooze or follow-up falls due in `(after, until]`.
    pub fn mail_due(&self, executive: &str, after: DateTime<Utc>, until: DateTime<Utc>) -> Result<Vec<StoredMessage>> {
        let sql = format!(
            "{} WHERE m.executive_id = ?1 AND ((m.snoozed_until > ?2 AND m.snoozed_until <= ?3)
                 OR (m.follow_up_at > ?2 AND m.follow_up_at <= ?3)) ORDER BY m.date",
            select(false)
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![executive, stamp(&after), stamp(&until)], read_row)?;
        collect(rows)
    }

    /// Writes a message's state (lane, flags, snooze...), as triage or an action left it.
    pub fn set_message_state(&self, executive: &str, id: i64, state: &MessageState) -> Result<()> {
        let n = self
            .conn
            .prepare_cached(
                "UPDATE messages SET lane = ?3, lane_reason = ?4, lane_by = ?5, seen = ?6, flagged = ?7, answered = ?8,
                 archived = ?9, snoozed_until = ?10, follow_up_at = ?11, event_uid = ?12
             WHERE executive_id = ?1 AND id = ?2",
            )?
            .execute(params![
                executive,
                id,
                state.lane.as_str(),
                state.lane_reason,
                state.lane_by.as_str(),
                state.flags.seen,
                state.flags.flagged,
                state.flags.answered,
                state.archived,
                state.snoozed_until.as_ref().map(stamp),
                state.follow_up_at.as_ref().map(stamp),
                state.event_uid,
            ])?;
        if n == 0 {
            return Err(StoreError::NotFound { what: format!("message {id}") });
        }
        Ok(())
    }

    /// Records an action: the state each message had before it, and the rule it added or the
    /// mail it queued.
    #[allow(clippy::too_many_arguments)]
    pub fn record_mail_action(
        &self,
        executive: &str,
        summary: &str,
        before: &[(i64, MessageState)],
        added_rule: Option<&str>,
        outbox: Option<i64>,
        at: DateTime<Utc>,
    ) -> Result<i64> {
        self.conn
            .prepare_cached(
                "INSERT INTO mail_actions (executive_id, created_at, summary, before, added_rule, outbox_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![executive, stamp(&at), summary, to_json(&before), added_rule, outbox])?;
        Ok(self.conn.last_insert_rowid())
    }

    pub fn mail_action(&self, executive: &str, id: i64) -> Result<MailAction> {
        let row = self
            .conn
            .query_row(
                "SELECT id, executive_id, created_at, summary, before, added_rule, undone_at, outbox_id FROM mail_actions
                 WHERE executive_id = ?1 AND id = ?2",
                params![executive, id],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, Option<String>>(5)?,
                        r.get::<_, Option<String>>(6)?,
                        r.get::<_, Option<i64>>(7)?,
                    ))
                },
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound { what: format!("mail action {id}") })?;
        let (id, executive_id, created, summary, before, added_rule, undone, outbox_id) = row;
        Ok(MailAction {
            id,
            executive_id,
            created_at: instant("mail action", &created)?,
            summary,
            before: from_json("mail action", &before)?,
            added_rule,
            outbox_id,
            undone_at: undone.as_deref().map(|t| instant("mail action", t)).transpose()?,
        })
    }

    pub fn mark_mail_action_undone(&self, executive: &str, id: i64, at: DateTime<Utc>) -> Result<()> {
        self.conn.execute(
            "UPDATE mail_actions SET undone_at = ?3 WHERE executive_id = ?1 AND id = ?2",
            params![executive, id, stamp(&at)],
        )?;
        Ok(())
    }

    /// Whether the EP allowed remote content (images, styles) in mail from `sender`.
    pub fn remote_content_allowed(&self, executive: &str, sender: &str) -> Result<bool> {
        let n: i64 = self.conn.query_row(
            "SELECT COUNT(*) FROM remote_content_senders WHERE executive_id = ?1 AND sender = ?2",
            params![executive, sender.to_ascii_lowercase()],
            |r| r.get(0),
        )?;
        Ok(n > 0)
    }

    /// Allows (or stops allowing) remote content in mail from `sender`.
    pub fn set_remote_content(&self, executive: &str, sender: &str, allowed: bool, at: DateTime<Utc>) -> Result<()> {
        let sender = sender.to_ascii_lowercase();
        if allowed {
            self.conn.execute(
                "INSERT OR IGNORE INTO remote_content_senders (executive_id, sender, allowed_at) VALUES (?1, ?2, ?3)",
                params![executive, sender, stamp(&at)],
            )?;
        } else {
            self.conn.execute(
                "DELETE FROM remote_content_senders WHERE executive_id = ?1 AND sender = ?2",
                params![executive, sender],
            )?;
        }
        Ok(())
    }

    /// The original bytes of a message.
    /// Notes that a message Tandem sent is to be filed in the server's Sent folder (by the next
    /// IMAP sync), as a mail client does after submission.
    pub fn queue_sent_copy(&self, message: i64) -> Result<()> {
        self.conn.execute("INSERT OR IGNORE INTO sent_copies (message) VALUES (?1)", [message])?;
        Ok(())
    }

    /// The executive's sent messages waiting to be filed on the server, oldest first.
    pub fn sent_copies(&self, executive: &str) -> Result<Vec<i64>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.message FROM sent_copies c JOIN messages m ON m.id = c.message WHERE m.executive_id = ?1 ORDER BY c.message",
        )?;
        let rows = stmt.query_map([executive], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn sent_copy_filed(&self, message: i64) -> Result<()> {
        self.conn.execute("DELETE FROM sent_copies WHERE message = ?1", [message])?;
        Ok(())
    }

    /// The subjects of the threads the EP linked to a meeting, newest first (the briefing's
    /// prep for it).
    pub fn linked_subjects(&self, executive: &str, uid: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT subject FROM messages WHERE executive_id = ?1 AND event_uid = ?2 ORDER BY date DESC",
        )?;
        let rows = stmt.query_map(params![executive, uid], |r| r.get::<_, String>(0))?;
        let mut out: Vec<String> = Vec::new();
        for s in rows {
            let s = s?;
            if !out.contains(&s) {
                out.push(s);
            }
        }
        Ok(out)
    }

    pub fn message_raw(&self, id: i64) -> Result<Vec<u8>> {
        Ok(self.conn.query_row("SELECT raw FROM messages WHERE id = ?1", [id], |r| r.get(0))?)
    }
}

fn filter_clause(executive: &str, filter: &MessageFilter) -> (String, Vec<Box<dyn rusqlite::ToSql>>) {
    let mut clause = String::from("m.executive_id = ?1");
    let mut args: Vec<Box<dyn rusqlite::ToSql>> = vec![Box::new(executive.to_string())];
    if let Some(now) = filter.inbox_at {
        args.push(Box::new(stamp(&now)));
        clause.push_str(&format!(
            " AND NOT m.archived AND (m.snoozed_until IS NULL OR m.snoozed_until <= ?{})",
            args.len()
        ));
    }
    if let Some(lane) = filter.lane {
        args.push(Box::new(lane.as_str()));
        clause.push_str(&format!(" AND m.lane = ?{}", args.len()));
    }
    if filter.untriaged {
        clause.push_str(" AND m.lane_by = ''");
    }
    (clause, args)
}
