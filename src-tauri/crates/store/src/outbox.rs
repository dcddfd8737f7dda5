//! The outbox: everything waiting to leave (iTIP replies and requests as iMIP mail, mail the
//! EP wrote, and writes to CalDAV calendars), in one table. Mail and CalDAV writes are claimed
//! by their own replays (`claim_outbox_item` takes the kinds), each in its own order.
//!
//! An item is written in the same transaction as the change that caused it, so a change and
//! its message are never half there. Until `send_after` (the undo window) and while still
//! `queued`, the EP can take it back. The replay in `sync` claims items oldest first: a claim
//! moves the item to `sending` (stamped with the claim time) before anything leaves, and the
//! result moves it to `sent`, back to `queued` for a retry, or to `failed`. An item found
//! `sending` long after its claim was interrupted by a kill; it goes back to the queue (at
//! least once: a receiving mail server drops a second copy with the same Message-ID).

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};

use crate::{instant, Result, Store, StoreError};

pub(crate) const V5: &str = "
CREATE TABLE outbox (
    id           INTEGER PRIMARY KEY,
    executive_id TEXT NOT NULL REFERENCES executives(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'queued',
    summary      TEXT NOT NULL,
    recipients   TEXT NOT NULL,
    payload      BLOB NOT NULL,
    decision_id  INTEGER REFERENCES decisions(id) ON DELETE SET NULL,
    uid          TEXT,
    created_at   TEXT NOT NULL,
    send_after   TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT,
    sent_at      TEXT
);
CREATE INDEX outbox_queue ON outbox (state, send_after, id);
CREATE INDEX outbox_by_decision ON outbox (decision_id);
CREATE INDEX outbox_by_meeting ON outbox (executive_id, uid);";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutboxState {
    Queued,
    Sending,
    Sent,
    Cancelled,
    Failed,
}

impl OutboxState {
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxState::Queued => "queued",
            OutboxState::Sending => "sending",
            OutboxState::Sent => "sent",
            OutboxState::Cancelled => "cancelled",
            OutboxState::Failed => "failed",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "queued" => OutboxState::Queued,
            "sending" => OutboxState::Sending,
            "sent" => OutboxState::Sent,
            "cancelled" => OutboxState::Cancelled,
            "failed" => OutboxState::Failed,
            _ => return None,
        })
    }
}

/// What kind of thing leaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutboxKind {
    /// An RFC 5322 message carrying an iTIP message (RFC 6047).
    Imip,
    /// A mail the EP wrote: a reply, a forward, a delegation.
    Mail,
    /// A meeting changed here, to write to the CalDAV calendar it is in. The payload is the
    /// local calendar's id; what is written is the meeting as it is when the item leaves, so
    /// several changes in a row are one write.
    CalDav,
}

impl OutboxKind {
    /// What leaves by mail (the SMTP replay claims these).
    pub const MAILED: &'static [OutboxKind] = &[OutboxKind::Imip, OutboxKind::Mail];

    pub fn as_str(self) -> &'static str {
        match self {
            OutboxKind::Imip => "imip",
            OutboxKind::Mail => "mail",
            OutboxKind::CalDav => "caldav",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "imip" => Some(OutboxKind::Imip),
            "mail" => Some(OutboxKind::Mail),
            "caldav" => Some(OutboxKind::CalDav),
            _ => None,
        }
    }
}

/// An item to queue.
#[derive(Clone, Debug, PartialEq)]
pub struct NewOutboxItem<'a> {
    pub kind: OutboxKind,
    /// One line for the outbox list: "Reply (accepted) to Renée Lambert: Audit committee".
    pub summary: &'a str,
    pub recipients: &'a [String],
    pub payload: &'a [u8],
    pub decision: Option<i64>,
    /// The meeting it is about, when it is an iTIP message.
    pub uid: Option<&'a str>,
    pub created_at: DateTime<Utc>,
    /// Not sent before this: the window in which the EP can undo.
    pub send_after: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct OutboxItem {
    pub id: i64,
    pub executive_id: String,
    pub kind: OutboxKind,
    pub state: OutboxState,
    pub summary: String,
    pub recipients: Vec<String>,
    pub payload: Vec<u8>,
    pub decision_id: Option<i64>,
    pub uid: Option<String>,
    pub created_at: DateTime<Utc>,
    pub send_after: DateTime<Utc>,
    pub attempts: u32,
    pub last_error: Option<String>,
    pub sent_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str = "id, executive_id, kind, state, summary, recipients, payload, decision_id, uid, created_at, send_after, attempts, last_error, sent_at";

type Row = (
    i64,
    String,
    String,
    String,
    String,
    String,
    Vec<u8>,
    Option<i64>,
    Option<String>,
    String,
    String,
    u32,
    Option<String>,
    Option<String>,
);

fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
        r.get(8)?,
        r.get(9)?,
        r.get(10)?,
        r.get(11)?,
        r.get(12)?,
        r.get(13)?,
    ))
}

fn item(row: Row) -> Result<OutboxItem> {
    let (
        id,
        executive_id,
        kind,
        state,
        summary,
        recipients,
        payload,
        decision_id,
        uid,
        created,
        after,
        attempts,
        last_error,
        sent,
    ) = row;
    let corrupt = |what: &str, v: &str| StoreError::Corrupt {
        what: format!("outbox {what}"),
        detail: format!("'{v}' (item {id})"),
    };
    Ok(OutboxItem {
        id,
        executive_id,
        kind: OutboxKind::parse(&kind).ok_or_else(|| corrupt("kind", &kind))?,
        state: OutboxState::parse(&state).ok_or_else(|| corrupt("state", &state))?,
        summary,
        recipients: crate::from_json("outbox recipients", &recipients)?,
        payload,
        decision_id,
        uid,
        created_at: instant("outbox time", &created)?,
        send_after: instant("outbox time", &after)?,
        attempts,
        last_error,
        sent_at: sent.map(|s| instant("outbox time", &s)).transpose()?,
    })
}

impl Store {
    pub fn enqueue(&self, executive: &str, new: &NewOutboxItem<'_>) -> Result<i64> {
        self.conn.execute(
            "INSERT INTO outbox (executive_id, kind, summary, recipients, payload, decision_id, uid, created_at, send_after)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                executive,
                new.kind.as_str(),
                new.summary,
                crate::to_json(&new.recipients),
                new.payload,
                new.decision,
                new.uid,
                new.created_at.to_rfc3339(),
                new.send_after.to_rfc3339()
            ],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// The executive's outbox, oldest first.
    pub fn outbox(&self, executive: &str) -> Result<Vec<OutboxItem>> {
        let mut stmt =
            self.conn.prepare_cached(&format!("SELECT {COLUMNS} FROM outbox WHERE executive_id = ?1 ORDER BY id"))?;
        let rows = stmt.query_map([executive], read)?;
        rows.map(|r| item(r?)).collect()
    }

    pub fn outbox_item(&self, id: i64) -> Result<OutboxItem> {
        let row = self
            .conn
            .query_row(&format!("SELECT {COLUMNS} FROM outbox WHERE id = ?1"), [id], read)
            .optional()?
            .ok_or_else(|| StoreError::NotFound { what: format!("outbox item {id}") })?;
        item(row)
    }

    /// The items a decision queued.
    pub fn outbox_of_decision(&self, decision: i64) -> Result<Vec<OutboxItem>> {
        let mut stmt =
            self.conn.prepare_cached(&format!("SELECT {COLUMNS} FROM outbox WHERE decision_id = ?1 ORDER BY id"))?;
        let rows = stmt.query_map([decision], read)?;
        rows.map(|r| item(r?)).collect()
    }

    /// The items about one meeting still waiting to leave, oldest first.
    pub fn queued_for_meeting(&self, executive: &str, uid: &str) -> Result<Vec<OutboxItem>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM outbox WHERE executive_id = ?1 AND uid = ?2 AND state = 'queued' ORDER BY id"
        ))?;
        let rows = stmt.query_map(params![executive, uid], read)?;
        rows.map(|r| item(r?)).collect()
    }

    /// Whether anything about the meeting has left (or is leaving): its attendees know of it.
    pub fn meeting_announced(&self, executive: &str, uid: &str) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM outbox WHERE executive_id = ?1 AND uid = ?2 AND state IN ('sending', 'sent'))",
            params![executive, uid],
            |r| r.get(0),
        )?)
    }

    /// Takes an item back: `true` when it was still queued (nothing has left), `false` when it
    /// is already being sent or gone.
    pub fn cancel_outbox_item(&self, id: i64) -> Result<bool> {
        Ok(self.conn.execute("UPDATE outbox SET state = 'cancelled' WHERE id = ?1 AND state = 'queued'", [id])? == 1)
    }

    /// Claims the executive's oldest item due at `now` for sending, moving it to `sending`. An
    /// item about a meeting waits while an older one about the same meeting is still queued
    /// (in its undo window or waiting for a retry): messages about a meeting leave in order.
    pub fn claim_outbox_item(
        &self,
        executive: &str,
        now: DateTime<Utc>,
        kinds: &[OutboxKind],
    ) -> Result<Option<OutboxItem>> {
        let kinds: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
        let id: Option<i64> = self
            .conn
            .query_row(
                "UPDATE outbox SET state = 'sending', attempts = attempts + 1, send_after = ?1
                 WHERE id = (SELECT id FROM outbox o
                             WHERE executive_id = ?2 AND state = 'queued' AND send_after <= ?1
                               AND o.kind IN (SELECT value FROM json_each(?3))
                               AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.executive_id = o.executive_id
                                               AND p.uid = o.uid AND p.kind = o.kind AND p.state = 'queued'
                                               AND p.id < o.id)
                             ORDER BY id LIMIT 1)
                 RETURNING id",
                params![now.to_rfc3339(), executive, crate::to_json(&kinds)],
                |r| r.get(0),
            )
            .optional()?;
        id.map(|id| self.outbox_item(id)).transpose()
    }

    pub fn mark_outbox_sent(&self, id: i64, at: DateTime<Utc>) -> Result<()> {
        self.conn.execute(
            "UPDATE outbox SET state = 'sent', sent_at = ?2, last_error = NULL WHERE id = ?1",
            params![id, at.to_rfc3339()],
        )?;
        Ok(())
    }

    /// Makes the executive's items waiting out a back-off after a failed attempt due at `now`;
    /// items never tried (a mail in its undo minute) keep their time. How many.
    pub fn retry_now(&self, executive: &str, now: DateTime<Utc>) -> Result<usize> {
        Ok(self.conn.execute(
            "UPDATE outbox SET send_after = ?2
             WHERE executive_id = ?1 AND state = 'queued' AND attempts > 0 AND send_after > ?2",
            params![executive, now.to_rfc3339()],
        )?)
    }

    /// Records a failed attempt: queued again from `retry_at`, or failed for good when `None`.
    pub fn mark_outbox_failed(&self, id: i64, error: &str, retry_at: Option<DateTime<Utc>>) -> Result<()> {
        match retry_at {
            Some(at) => self.conn.execute(
                "UPDATE outbox SET state = 'queued', last_error = ?2, send_after = ?3 WHERE id = ?1",
                params![id, error, at.to_rfc3339()],
            )?,
            None => self
                .conn
                .execute("UPDATE outbox SET state = 'failed', last_error = ?2 WHERE id = ?1", params![id, error])?,
        };
        Ok(())
    }

    /// Queues a write of the meeting `uid` to the CalDAV calendar that `calendar_id` mirrors,
    /// when it mirrors one the account may write to; one queued write per meeting is enough
    /// (it writes the meeting as it is then). Returns whether a write is queued.
    pub fn queue_caldav_write(
        &self,
        executive: &str,
        calendar_id: i64,
        uid: &str,
        summary: &str,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let Some(mirror) = self.caldav_calendar(calendar_id)? else { return Ok(false) };
        if !mirror.writable {
            return Ok(false);
        }
        let payload = calendar_id.to_string();
        let queued: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM outbox WHERE executive_id = ?1 AND kind = 'caldav' AND uid = ?2
                            AND payload = CAST(?3 AS BLOB) AND state = 'queued')",
            params![executive, uid, payload],
            |r| r.get(0),
        )?;
        if !queued {
            self.enqueue(
                executive,
                &NewOutboxItem {
                    kind: OutboxKind::CalDav,
                    summary,
                    recipients: &[],
                    payload: payload.as_bytes(),
                    decision: None,
                    uid: Some(uid),
                    created_at: now,
                    send_after: now,
                },
            )?;
        }
        Ok(true)
    }

    /// The meetings of a calendar with a CalDAV write waiting: a sync must not overwrite them
    /// with the server's version before the write has been merged with it.
    pub fn pending_caldav_writes(&self, executive: &str, calendar_id: i64) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT uid FROM outbox WHERE executive_id = ?1 AND kind = 'caldav'
             AND payload = CAST(?2 AS BLOB) AND state IN ('queued', 'sending')",
        )?;
        let rows = stmt.query_map(params![executive, calendar_id.to_string()], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Changes waiting to leave (the offline indicator's count), queued or being sent, and
    /// when the oldest of them was made.
    pub fn outbox_waiting(&self, executive: &str) -> Result<(u32, Option<DateTime<Utc>>)> {
        let (count, oldest): (u32, Option<String>) = self.conn.query_row(
            "SELECT COUNT(*), MIN(created_at) FROM outbox WHERE executive_id = ?1 AND state IN ('queued', 'sending')",
            [executive],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok((count, oldest.map(|t| instant("outbox time", &t)).transpose()?))
    }

    /// Puts items left `sending` by a process that was killed back in the queue: those claimed
    /// before `claimed_before` (a claim stamps `send_after`). A send in progress in another
    /// process (the app and the CLI at once) is younger than that and is left alone.
    pub fn requeue_interrupted(&self, claimed_before: DateTime<Utc>) -> Result<usize> {
        Ok(self.conn.execute(
            "UPDATE outbox SET state = 'queued' WHERE state = 'sending' AND send_after < ?1",
            [claimed_before.to_rfc3339()],
        )?)
    }
}
