//! Schema versions. Each step is the SQL of the tables it touches, owned by their modules; a
//! new version appends a step and never edits an old one, so any older store can be brought
//! forward with its data.

use std::path::Path;

use rusqlite::Connection;

use crate::{
    accounts, approvals, briefings, caldav, calendars, decisions, events, executives, invitations, messages, outbox,
    reminders, rules, subscriptions, tiers, Result, StoreError,
};

/// Steps in order; step `i` takes the schema from version `i` to `i + 1`.
pub const STEPS: &[&[&str]] = &[
    &[executives::V1, calendars::V1, events::V1, messages::V1, invitations::V1, decisions::V1],
    &[calendars::V2],
    &[subscriptions::V3],
    &[reminders::V4],
    &[invitations::V5, decisions::V5, outbox::V5, rules::V5, tiers::V5],
    &[approvals::V6],
    &[messages::V7],
    &[messages::V8, rules::V8],
    &[accounts::V9],
    &[messages::V10, rules::V10],
    &[briefings::V11],
    &[caldav::V12],
];

/// The schema version this build writes.
pub const LATEST: i64 = STEPS.len() as i64;

pub(crate) fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > LATEST {
        return Err(StoreError::NewerSchema { path: path.to_path_buf(), found, supported: LATEST });
    }
    for (i, step) in STEPS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction()?;
        for sql in *step {
            tx.execute_batch(sql)?;
        }
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
        tx.commit()?;
        tracing::info!(version = i + 1, "store schema migrated");
    }
    Ok(())
}
