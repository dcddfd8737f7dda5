//! Priority tiers given to meetings (by rules or by the EP), by UID.

use std::collections::HashMap;

use rusqlite::params;
use tandem_core::Tier;

use crate::{Result, Store, StoreError};

pub(crate) const V5: &str = "
CREATE TABLE tiers (
    executive_id TEXT NOT NULL REFERENCES executives(id) ON DELETE CASCADE,
    uid          TEXT NOT NULL,
    tier         TEXT NOT NULL,
    PRIMARY KEY (executive_id, uid)
);";

impl Store {
    pub fn set_tier(&self, executive: &str, uid: &str, tier: Tier) -> Result<()> {
        self.conn.execute(
            "INSERT INTO tiers (executive_id, uid, tier) VALUES (?1, ?2, ?3)
             ON CONFLICT (executive_id, uid) DO UPDATE SET tier = excluded.tier",
            params![executive, uid, tier.as_str()],
        )?;
        Ok(())
    }

    /// Every meeting of the executive that has a tier, by UID.
    pub fn tiers(&self, executive: &str) -> Result<HashMap<String, Tier>> {
        let mut stmt = self.conn.prepare_cached("SELECT uid, tier FROM tiers WHERE executive_id = ?1")?;
        let rows = stmt.query_map([executive], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = HashMap::new();
        for row in rows {
            let (uid, tier) = row?;
            let tier = Tier::parse(&tier)
                .ok_or_else(|| StoreError::Corrupt { what: "tier".into(), detail: format!("'{tier}' for {uid}") })?;
            out.insert(uid, tier);
        }
        Ok(out)
    }
}
