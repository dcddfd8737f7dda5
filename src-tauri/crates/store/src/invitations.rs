//! Invitations waiting for (or given) the executive's answer.
//!
//! An invitation moves through states as the rules and the EP act on it:
//! `pending` (new, or changed by the organiser, not yet run through the rules) ->
//! `decided` (answered by a rule; the reply is in the outbox) or `held` (waiting for the EP)
//! -> `answered` (the EP answered by hand). An undone automatic decision goes to `held`,
//! never back to `pending`, so the rules do not simply take the same decision again.
//! The organiser's cancellation makes it `cancelled`.

use rusqlite::{params, OptionalExtension};
use tandem_core::invitation::Invitation;

use crate::{from_json, instant, to_json, Result, Store, StoreError};

pub(crate) const V1: &str = "
CREATE TABLE invitations (
    id             INTEGER PRIMARY KEY,
    executive_id   TEXT NOT NULL REFERENCES executives(id) ON DELETE CASCADE,
    uid            TEXT NOT NULL,
    recurrence_key TEXT NOT NULL DEFAULT '',
    sequence       INTEGER NOT NULL,
    state          TEXT NOT NULL DEFAULT 'pending',
    received_at    TEXT NOT NULL,
    data           TEXT NOT NULL,
    UNIQUE (executive_id, uid, recurrence_key)
);";

/// DTSTAMP beside SEQUENCE: news with the same SEQUENCE and a later DTSTAMP is newer (RFC 5546
/// §2.1.5), as when an attendee sends a second counter-proposal.
pub(crate) const V5: &str = "
CREATE INDEX invitations_by_state ON invitations (executive_id, state);
ALTER TABLE invitations ADD COLUMN stamp TEXT NOT NULL DEFAULT '';";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InvitationState {
    Pending,
    Decided,
    Held,
    Answered,
    Cancelled,
}

impl InvitationState {
    pub fn as_str(self) -> &'static str {
        match self {
            InvitationState::Pending => "pending",
            InvitationState::Decided => "decided",
            InvitationState::Held => "held",
            InvitationState::Answered => "answered",
            InvitationState::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "pending" => InvitationState::Pending,
            "decided" => InvitationState::Decided,
            "held" => InvitationState::Held,
            "answered" => InvitationState::Answered,
            "cancelled" => InvitationState::Cancelled,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct StoredInvitation {
    pub id: i64,
    pub invitation: Invitation,
    pub state: InvitationState,
    pub received_at: chrono::DateTime<chrono::Utc>,
}

const COLUMNS: &str = "id, data, received_at, state";

fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<(i64, String, String, String)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
}

fn stored(row: (i64, String, String, String)) -> Result<StoredInvitation> {
    let (id, data, received, state) = row;
    Ok(StoredInvitation {
        id,
        invitation: from_json("invitation", &data)?,
        state: InvitationState::parse(&state)
            .ok_or_else(|| StoreError::Corrupt { what: "invitation state".into(), detail: state.clone() })?,
        received_at: instant("invitation time", &received)?,
    })
}

impl Store {
    /// Records an invitation; newer news of the same meeting (a higher SEQUENCE, or the same
    /// one stamped later) replaces the older and makes it pending again (the organiser changed
    /// something the executive must see).
    /// Returns whether anything was written.
    pub fn upsert_invitation(
        &self,
        executive: &str,
        inv: &Invitation,
        received_at: chrono::DateTime<chrono::Utc>,
    ) -> Result<bool> {
        let key = inv.event.recurrence_id.map(|r| r.instance_key()).unwrap_or_default();
        // RFC 3339 UTC strings compare in time order; none sorts first.
        let stamp = inv.event.stamp.map(|t| t.to_rfc3339()).unwrap_or_default();
        let written = self.conn.execute(
            "INSERT INTO invitations (executive_id, uid, recurrence_key, sequence, stamp, state, received_at, data)
             VALUES (?1, ?2, ?3, ?4, ?5, 'pending', ?6, ?7)
             ON CONFLICT (executive_id, uid, recurrence_key) DO UPDATE
               SET sequence = excluded.sequence, stamp = excluded.stamp, state = 'pending',
                   received_at = excluded.received_at, data = excluded.data
               WHERE excluded.sequence > invitations.sequence
                  OR (excluded.sequence = invitations.sequence AND excluded.stamp > invitations.stamp)",
            params![executive, inv.event.uid, key, inv.event.sequence, stamp, received_at.to_rfc3339(), to_json(inv)],
        )?;
        Ok(written == 1)
    }

    /// The executive's invitations in `state`, oldest first.
    pub fn invitations(&self, executive: &str, state: InvitationState) -> Result<Vec<StoredInvitation>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM invitations WHERE executive_id = ?1 AND state = ?2 ORDER BY received_at, id"
        ))?;
        let rows = stmt.query_map(params![executive, state.as_str()], read)?;
        rows.map(|r| stored(r?)).collect()
    }

    /// Every invitation received at or after `since`, whatever its state, oldest first.
    pub fn invitations_since(
        &self,
        executive: &str,
        since: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<StoredInvitation>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM invitations WHERE executive_id = ?1 AND received_at >= ?2 ORDER BY received_at, id"
        ))?;
        let rows = stmt.query_map(params![executive, since.to_rfc3339()], read)?;
        rows.map(|r| stored(r?)).collect()
    }

    pub fn invitation(&self, id: i64) -> Result<StoredInvitation> {
        let row = self
            .conn
            .query_row(&format!("SELECT {COLUMNS} FROM invitations WHERE id = ?1"), [id], read)
            .optional()?
            .ok_or_else(|| StoreError::NotFound { what: format!("invitation {id}") })?;
        stored(row)
    }

    pub fn set_invitation_state(&self, id: i64, state: InvitationState) -> Result<()> {
        self.conn.execute("UPDATE invitations SET state = ?2 WHERE id = ?1", params![id, state.as_str()])?;
        Ok(())
    }

    /// Marks every invitation to a meeting (or to one instance of it, `recurrence_key`)
    /// cancelled by its organiser.
    pub fn cancel_invitations(&self, executive: &str, uid: &str, recurrence_key: Option<&str>) -> Result<usize> {
        Ok(match recurrence_key {
            None => self.conn.execute(
                "UPDATE invitations SET state = 'cancelled' WHERE executive_id = ?1 AND uid = ?2",
                params![executive, uid],
            )?,
            Some(key) => self.conn.execute(
                "UPDATE invitations SET state = 'cancelled' WHERE executive_id = ?1 AND uid = ?2 AND recurrence_key = ?3",
                params![executive, uid, key],
            )?,
        })
    }
}
