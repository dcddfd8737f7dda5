//! Invitations waiting for (or given) the executive's answer.

use rusqlite::params;
use tandem_core::invitation::Invitation;

use crate::{from_json, to_json, Result, Store};

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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InvitationState {
    Pending,
    Answered,
}

impl InvitationState {
    fn as_str(self) -> &'static str {
        match self {
            InvitationState::Pending => "pending",
            InvitationState::Answered => "answered",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct StoredInvitation {
    pub id: i64,
    pub invitation: Invitation,
    pub received_at: chrono::DateTime<chrono::Utc>,
}

impl Store {
    /// Records an invitation; a newer SEQUENCE of the same meeting replaces the older one and
    /// makes it pending again (the organiser changed something the executive must see).
    pub fn upsert_invitation(
        &self,
        executive: &str,
        inv: &Invitation,
        received_at: chrono::DateTime<chrono::Utc>,
    ) -> Result<()> {
        let key = inv.event.recurrence_id.map(|r| r.instance_key()).unwrap_or_default();
        self.conn.execute(
            "INSERT INTO invitations (executive_id, uid, recurrence_key, sequence, state, received_at, data)
             VALUES (?1, ?2, ?3, ?4, 'pending', ?5, ?6)
             ON CONFLICT (executive_id, uid, recurrence_key) DO UPDATE
               SET sequence = excluded.sequence, state = 'pending', received_at = excluded.received_at, data = excluded.data
               WHERE excluded.sequence > invitations.sequence",
            params![executive, inv.event.uid, key, inv.event.sequence, received_at.to_rfc3339(), to_json(inv)],
        )?;
        Ok(())
    }

    pub fn invitations(&self, executive: &str, state: InvitationState) -> Result<Vec<StoredInvitation>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, data, received_at FROM invitations WHERE executive_id = ?1 AND state = ?2 ORDER BY received_at, id",
        )?;
        let rows = stmt.query_map(params![executive, state.as_str()], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, data, received) = row?;
            let received_at = chrono::DateTime::parse_from_rfc3339(&received)
                .map_err(|e| crate::StoreError::Corrupt { what: "invitation time".into(), detail: e.to_string() })?
                .with_timezone(&chrono::Utc);
            out.push(StoredInvitation { id, invitation: from_json("invitation", &data)?, received_at });
        }
        Ok(out)
    }
}
