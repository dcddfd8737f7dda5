//! Writing what changed here to the CalDAV servers: the outbox's `caldav` items, oldest first.
//!
//! Each item names a meeting and the local calendar it is in; what is written is the meeting
//! as it is now (a meeting deleted here is deleted there). Writes are conditional:
//! `If-Match` the ETag last seen, or `If-None-Match: *` for a new meeting. When the server
//! says someone changed it meanwhile (412), its version is fetched and merged with ours
//! against the version both started from (`core::calendar::merge3`):
//! - different properties changed: the merge is written (conditional again) and kept here;
//! - the same properties changed differently: both are kept. The calendar shows the server's
//!   version, ours is recorded as a conflict for the EP, and the item fails with the
//!   properties named. Nothing is overwritten either way.
//!
//! Exactly once: the claim, the write and its record are ordered so that a kill at any point
//! loses nothing, and a write repeated after a kill finds the server already holding it (412,
//! then a merge of identical changes) and writes nothing twice.

use chrono::{DateTime, Duration, Utc};
use tandem_core::calendar::merge3::{merge3, Merged};
use tandem_core::{Event, ExecutiveProfile};
use tandem_formats::ics::{parse_calendar, write_calendar};
use tandem_store::{CalDavMember, OutboxKind};

use super::{member_href, CalDav, CalDavError, Written};
use crate::LockedStore;

/// What a push did, one line per meeting.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pushed {
    pub written: Vec<String>,
    /// Written after merging with a change made on the server.
    pub merged: Vec<String>,
    /// Kept both: the server's version shows, ours waits for the EP.
    pub conflicts: Vec<String>,
    pub retrying: Vec<String>,
    pub failed: Vec<String>,
    /// Why the push stopped early (the server cannot be reached, the login is refused);
    /// everything not written stays queued.
    pub stopped: Option<String>,
}

enum Outcome {
    Written { href: String, etag: Option<String>, raw: String, merged: Option<Vec<Event>> },
    Deleted,
    Conflict { fields: Vec<String>, remote: super::Member, local_raw: String },
}

/// Tries again after 1, 2, 4 … 60 minutes.
fn backoff(attempts: u32) -> Duration {
    Duration::minutes(1i64 << attempts.saturating_sub(1).min(6)).min(Duration::minutes(60))
}

fn events_of(ics: &str) -> Vec<Event> {
    parse_calendar(ics).map(|p| p.events.into_iter().map(|e| e.event).collect()).unwrap_or_default()
}

/// Writes the executive's queued calendar changes. `client` gives the connection of an
/// account (none when its password is missing; those items wait).
pub async fn push<'c>(
    db: &impl LockedStore,
    profile: &ExecutiveProfile,
    client: impl Fn(i64) -> Option<&'c CalDav>,
    now: DateTime<Utc>,
) -> tandem_store::Result<Pushed> {
    let mut out = Pushed::default();
    // Writes a killed process left half-done go again (the server's answer decides the rest).
    db.with(|s| s.requeue_interrupted(now - Duration::minutes(10)))?;
    while let Some(item) = db.with(|s| s.claim_outbox_item(&profile.id, now, &[OutboxKind::CalDav]))? {
        let calendar_id: i64 = String::from_utf8_lossy(&item.payload).parse().unwrap_or_default();
        let uid = item.uid.clone().unwrap_or_default();
        let (mirror, member, local) = db.with(|s| {
            let mirror = s.caldav_calendar(calendar_id)?;
            let member = s.caldav_member_of_uid(calendar_id, &uid)?;
            let local: Vec<Event> = s
                .events_with_uid(&profile.id, &uid)?
                .into_iter()
                .filter(|e| e.calendar_id == calendar_id)
                .map(|e| e.event)
                .collect();
            Ok::<_, tandem_store::StoreError>((mirror, member, local))
        })?;
        let Some(mirror) = mirror else {
            db.with(|s| s.mark_outbox_failed(item.id, "the calendar no longer syncs with a server", None))?;
            out.failed.push(item.summary);
            continue;
        };
        let Some(dav) = client(mirror.account_id) else {
            let why = "the calendar's account cannot be used now (see its error in the accounts list)";
            db.with(|s| s.mark_outbox_failed(item.id, why, Some(now + backoff(1))))?;
            out.retrying.push(item.summary);
            continue;
        };
        let calendar_path = reqwest::Url::parse(&mirror.url).map(|u| u.path().to_string()).unwrap_or_default();
        match write(dav, &calendar_path, &uid, member.as_ref(), &local, now).await {
            Ok(Outcome::Written { href, etag, raw, merged }) => {
                db.with(|s| {
                    s.transaction(|s| {
                        if let Some(events) = &merged {
                            let batch: Vec<_> =
                                events.iter().map(|e| (e.clone(), tandem_formats::ics::write_vevent(e))).collect();
                            s.replace_meeting(calendar_id, &uid, &batch)?;
                        }
                        s.put_caldav_member(calendar_id, &CalDavMember { href, etag, uid: uid.clone(), raw })?;
                        s.mark_outbox_sent(item.id, now)
                    })
                })?;
                if merged.is_some() { &mut out.merged } else { &mut out.written }.push(item.summary);
            }
            Ok(Outcome::Deleted) => {
                db.with(|s| {
                    s.transaction(|s| {
                        if let Some(m) = &member {
                            s.remove_caldav_member(calendar_id, &m.href)?;
                        }
                        s.mark_outbox_sent(item.id, now)
                    })
                })?;
                out.written.push(item.summary);
            }
            Ok(Outcome::Conflict { fields, remote, local_raw }) => {
                let what = format!("changed on the server too ({}); both versions kept", fields.join(", "));
                db.with(|s| {
                    s.transaction(|s| {
                        s.record_caldav_conflict(&tandem_store::CalDavConflict {
                            id: 0,
                            calendar_id,
                            uid: uid.clone(),
                            summary: item.summary.clone(),
                            fields: fields.clone(),
                            local_raw: local_raw.clone(),
                            remote_raw: remote.ics.clone(),
                            at: now,
                        })?;
                        let parsed = parse_calendar(&remote.ics).map(|p| p.events).unwrap_or_default();
                        let batch: Vec<_> =
                            parsed.into_iter().filter(|e| e.event.uid == uid).map(|e| (e.event, e.raw)).collect();
                        s.replace_meeting(calendar_id, &uid, &batch)?;
                        s.put_caldav_member(
                            calendar_id,
                            &CalDavMember {
                                href: remote.href.clone(),
                                etag: remote.etag.clone(),
                                uid: uid.clone(),
                                raw: remote.ics.clone(),
                            },
                        )?;
                        s.mark_outbox_failed(item.id, &what, None)
                    })
                })?;
                out.conflicts.push(format!("{}: {what}", item.summary));
            }
            Err(e) => {
                let stop = e.is_transient() || matches!(e, CalDavError::Unauthorized { .. } | CalDavError::Tls { .. });
                let retry = stop.then(|| now + backoff(item.attempts));
                db.with(|s| s.mark_outbox_failed(item.id, &e.to_string(), retry))?;
                if stop {
                    out.retrying.push(item.summary);
                    out.stopped = Some(e.to_string());
                    break;
                }
                out.failed.push(format!("{}: {e}", item.summary));
            }
        }
    }
    Ok(out)
}

async fn write(
    dav: &CalDav,
    calendar_path: &str,
    uid: &str,
    member: Option<&CalDavMember>,
    local: &[Event],
    now: DateTime<Utc>,
) -> Result<Outcome, CalDavError> {
    let href = member.map_or_else(|| member_href(calendar_path, uid), |m| m.href.clone());
    let etag = member.and_then(|m| m.etag.as_deref());
    if local.is_empty() {
        // Deleted here. A version changed on the server meanwhile is not deleted blindly.
        return match member {
            None => Ok(Outcome::Deleted),
            Some(_) => match dav.delete(&href, etag).await? {
                Written::Stored { .. } | Written::Gone => Ok(Outcome::Deleted),
                Written::Changed => {
                    let remote = dav.get(&href).await?.ok_or_else(|| dav.missing(&href))?;
                    Ok(Outcome::Conflict {
                        fields: vec!["the meeting (deleted here, changed on the server)".into()],
                        remote,
                        local_raw: String::new(),
                    })
                }
            },
        };
    }
    let ics = write_calendar(None, None, local, now);
    match dav.put(&href, &ics, etag).await? {
        Written::Stored { etag } => return Ok(Outcome::Written { href, etag, raw: ics, merged: None }),
        Written::Changed | Written::Gone => {}
    }
    // Someone else changed it (or it is gone): merge with what the server has now.
    let Some(remote) = dav.get(&href).await? else {
        // Deleted on the server while changed here: ours is the only version; write it anew.
        return match dav.put(&href, &ics, None).await? {
            Written::Stored { etag } => Ok(Outcome::Written { href, etag, raw: ics, merged: None }),
            _ => Err(dav.lost_race(&href)),
        };
    };
    let base = member.map(|m| events_of(&m.raw)).unwrap_or_default();
    let theirs: Vec<Event> = events_of(&remote.ics).into_iter().filter(|e| e.uid == uid).collect();
    match merge3(&base, local, &theirs) {
        Merged::Clean(merged) => {
            let text = write_calendar(None, None, &merged, now);
            match dav.put(&href, &text, remote.etag.as_deref()).await? {
                Written::Stored { etag } => Ok(Outcome::Written { href, etag, raw: text, merged: Some(merged) }),
                // Changed again in between: the next push merges again.
                _ => Err(dav.lost_race(&href)),
            }
        }
        Merged::Conflict(fields) => Ok(Outcome::Conflict { fields, remote, local_raw: ics }),
    }
}
