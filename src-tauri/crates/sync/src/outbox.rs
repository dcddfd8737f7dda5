//! The outbox replay: the one loop that sends what waits in the outbox (iTIP replies and
//! requests, the EP's mail), shared by everything that sends (DESIGN.md).
//!
//! - **In order**: items leave oldest first; when the server is unreachable or refuses the
//!   login the replay stops at that item, and an item waiting for a retry holds back
//!   the later ones about the same meeting (the claim skips them), so a CANCEL never overtakes
//!   its REQUEST.
//! - **Once**: an item is claimed (`sending`) before it leaves and marked `sent` in the same
//!   lock as its copy is filed in Sent (here, and by the next IMAP sync on the server); it is never claimed again. Only a kill between the
//!   server's "250 queued" and that write can send it twice (the next replay puts an item
//!   claimed more than [`INTERRUPTED`] ago back in the queue), and its Message-ID lets the
//!   receiving server drop the copy.
//! - **Backoff**: a transient failure (unreachable, or a 4xx for this message) waits 1, 2, 4 … minutes (at most an hour) before the next
//!   try, and gives up after [`MAX_ATTEMPTS`]; a message the server refuses for good (5xx)
//!   fails at once and the rest still go.
//!
//! The store is locked per item, never across the network ([`LockedStore`]).

use chrono::{DateTime, Duration, Utc};
use mail_parser::MessageParser;
use tandem_core::mail::MessageFlags;
use tandem_core::ExecutiveProfile;
use tandem_store::{OutboxItem, StoreError, SENT};

use crate::mail::{import_messages, RawMail};
use crate::smtp::{SmtpError, Submission};
use crate::LockedStore;

/// A claim older than this with no result was cut off by a kill (a send's every step times out
/// well before it).
pub const INTERRUPTED: Duration = Duration::minutes(10);

/// Tries before an item is given up as failed.
pub const MAX_ATTEMPTS: u32 = 8;

/// What a replay did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Replay {
    pub sent: Vec<i64>,
    /// Items put back in the queue for later, with why.
    pub retrying: Vec<(i64, String)>,
    /// Items given up, with why.
    pub failed: Vec<(i64, String)>,
    /// Why the replay stopped before the queue was empty (the server or the account).
    pub stopped: Option<String>,
}

/// How long after its `attempts`-th failure an item waits.
pub fn backoff(attempts: u32) -> Duration {
    Duration::minutes(1i64 << attempts.saturating_sub(1).min(6)).min(Duration::hours(1))
}

/// Sends the executive's due items through `submission`, oldest first.
pub async fn replay(
    db: &impl LockedStore,
    profile: &ExecutiveProfile,
    submission: &Submission,
    now: DateTime<Utc>,
) -> Result<Replay, StoreError> {
    let mut report = Replay::default();
    let interrupted = db.with(|s| s.requeue_interrupted(now - INTERRUPTED))?;
    if interrupted > 0 {
        tracing::warn!(interrupted, "items left sending by a stopped run are queued again");
    }
    while let Some(item) = db.with(|s| s.claim_outbox_item(&profile.id, now, tandem_store::OutboxKind::MAILED))? {
        let from = envelope_sender(&item.payload).unwrap_or_else(|| profile.primary_address().to_string());
        match submission.send(&from, &item.recipients, &item.payload).await {
            Ok(()) => {
                db.with(|s| file_sent(s, profile, &item, now))?;
                tracing::info!(item = item.id, "sent");
                report.sent.push(item.id);
            }
            Err(e) if e.is_permanent() => {
                let why = e.to_string();
                db.with(|s| s.mark_outbox_failed(item.id, &why, None))?;
                report.failed.push((item.id, why));
            }
            Err(e) => {
                let why = e.to_string();
                let retry = (item.attempts < MAX_ATTEMPTS).then(|| now + backoff(item.attempts));
                db.with(|s| s.mark_outbox_failed(item.id, &why, retry))?;
                match retry {
                    Some(_) => report.retrying.push((item.id, why.clone())),
                    None => report.failed.push((item.id, why.clone())),
                }
                // Unreachable, or the account refused: what follows would fail the same way.
                // (A deferral is about this message; the claim keeps later messages about the
                // same meeting behind it.)
                if !matches!(e, SmtpError::Deferred { .. }) {
                    report.stopped = Some(why);
                    break;
                }
            }
        }
    }
    Ok(report)
}

/// Marks the item sent and files its copy in Sent, in one transaction.
fn file_sent(
    store: &mut tandem_store::Store,
    profile: &ExecutiveProfile,
    item: &OutboxItem,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    store.mark_outbox_sent(item.id, now)?;
    let copy = RawMail {
        label: format!("outbox item {}", item.id),
        raw: item.payload.clone(),
        folder: SENT.to_string(),
        flags: MessageFlags { seen: true, ..Default::default() },
    };
    let filed = import_messages(store, profile, &[copy], now)?;
    for p in &filed.problems {
        tracing::warn!(item = item.id, "the sent copy was not filed: {p}");
    }
    // The next IMAP sync files it in the server's Sent folder too.
    if let Some(id) = filed.message_ids.into_iter().next().flatten() {
        if let Some(row) = store.message_row(&profile.id, &id)? {
            store.queue_sent_copy(row)?;
        }
    }
    Ok(())
}

/// The envelope sender (MAIL FROM): whoever is in Sender (the EP writing on the executive's
/// behalf, whose account it is), else From.
fn envelope_sender(raw: &[u8]) -> Option<String> {
    let headers = MessageParser::default().parse_headers(raw)?;
    let first =
        |a: Option<&mail_parser::Address>| a.and_then(|a| a.first()).and_then(|a| a.address()).map(str::to_string);
    first(headers.sender()).or_else(|| first(headers.from()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_a_minute_and_stops_at_an_hour() {
        let mins: Vec<i64> = (1..=9).map(|a| backoff(a).num_minutes()).collect();
        assert_eq!(mins, [1, 2, 4, 8, 16, 32, 60, 60, 60]);
    }

    #[test]
    fn the_envelope_sender_is_the_ep_in_sender_else_the_from_address() {
        let on_behalf = b"From: Dana <dana@n.example>\r\nSender: Sam <sam@n.example>\r\n\r\nhi";
        assert_eq!(envelope_sender(on_behalf).as_deref(), Some("sam@n.example"));
        assert_eq!(envelope_sender(b"From: dana@n.example\r\n\r\nhi").as_deref(), Some("dana@n.example"));
        assert_eq!(envelope_sender(b"\r\n\r\n"), None);
    }
}
