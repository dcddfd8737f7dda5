//! Turning an iTIP message into the mail that carries it and the outbox entry that holds it.
//!
//! The words around the calendar part matter: an organiser on a phone reads the text part,
//! not the VCALENDAR, so it says who answered, what, when, and the EP's note.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use tandem_core::calendar::{Participant, ParticipationStatus};
use tandem_core::itip::{Method, Outgoing, Sender};
use tandem_core::mail::Mailbox;
use tandem_core::profile::SendAs;
use tandem_core::{Event, ExecutiveProfile};
use tandem_formats::itip::{imip_mail, write_itip, Envelope};
use tandem_store::{NewOutboxItem, OutboxKind, Store};

/// Who sends for the executive: the address the invitation reached (or their primary one),
/// and the EP as SENT-BY unless the account sends as the executive.
pub(crate) fn sender(profile: &ExecutiveProfile, invite: Option<&Event>) -> Sender {
    let address = invite
        .and_then(|e| e.attendee_for(&profile.addresses))
        .map(|a| a.participant.address.clone())
        .unwrap_or_else(|| profile.primary_address().to_ascii_lowercase());
    let sent_by = match profile.send_as {
        SendAs::OnBehalf => profile.assistant.as_ref().map(|a| a.address.to_ascii_lowercase()),
        SendAs::AsExecutive => None,
    };
    Sender { executive: Participant::new(address, Some(profile.name.clone())), sent_by }
}

fn mailbox(p: &Participant) -> Mailbox {
    Mailbox { name: p.name.clone(), address: p.address.clone() }
}

/// "Accepted: Audit committee", as mail clients title these.
pub(crate) fn subject(out: &Outgoing) -> String {
    let title = &out.event.summary;
    let me = out.event.attendees.first().map(|a| a.status);
    let word = match (out.method, me) {
        (Method::Reply, Some(ParticipationStatus::Accepted)) => "Accepted",
        (Method::Reply, Some(ParticipationStatus::Declined)) => "Declined",
        (Method::Reply, Some(ParticipationStatus::Tentative)) => "Tentative",
        (Method::Reply, Some(ParticipationStatus::Delegated)) => "Delegated",
        (Method::Reply, _) => "Reply",
        (Method::Counter, _) => "New time proposed",
        (Method::DeclineCounter, _) => "New time declined",
        (Method::Cancel, _) => "Cancelled",
        (Method::Request, _) if out.event.sequence > 0 => "Updated invitation",
        (Method::Request, _) => "Invitation",
        (m, _) => m.as_str(),
    };
    format!("{word}: {title}")
}

/// The text part: what happened, when, the note, and who wrote it.
fn text(out: &Outgoing, profile: &ExecutiveProfile, zone: Tz) -> String {
    let e = &out.event;
    let when = {
        let start = e.start.to_utc(zone).with_timezone(&zone);
        let end = e.end.map(|t| t.to_utc(zone).with_timezone(&zone));
        match (e.start.is_date(), end) {
            (true, _) => start.format("%A %-d %B %Y").to_string(),
            (false, Some(end)) => {
                format!("{} – {} ({})", start.format("%A %-d %B %Y, %H:%M"), end.format("%H:%M"), zone.name())
            }
            (false, None) => format!("{} ({})", start.format("%A %-d %B %Y, %H:%M"), zone.name()),
        }
    };
    let name = &profile.name;
    let head = match out.method {
        Method::Reply => {
            let status = e.attendees.first().map(|a| a.status).unwrap_or_default();
            format!("{name} {} \"{}\".", tandem_core::itip::status_word(status), e.summary)
        }
        Method::Counter => format!("{name} proposes a new time for \"{}\": {when}.", e.summary),
        Method::DeclineCounter => format!("{name} keeps \"{}\" at the time it was set.", e.summary),
        Method::Cancel => format!("\"{}\" is cancelled.", e.summary),
        _ => format!("{name} invites you to \"{}\".", e.summary),
    };
    let mut body = format!("{head}\n\nWhen: {when}\n");
    if let Some(l) = &e.location {
        body.push_str(&format!("Where: {l}\n"));
    }
    if let Some(c) = out.comment.as_deref().filter(|c| !c.trim().is_empty()) {
        body.push_str(&format!("\n{c}\n"));
    }
    if let (SendAs::OnBehalf, Some(a)) = (profile.send_as, &profile.assistant) {
        body.push_str(&format!("\n-- \nSent by {} on behalf of {name}.\n", a.name));
    }
    body
}

/// Writes `out` as an iMIP mail and queues it. `n` numbers the messages of one decision, so
/// each has its own Message-ID.
#[allow(clippy::too_many_arguments)]
pub(crate) fn enqueue(
    store: &Store,
    profile: &ExecutiveProfile,
    me: &Sender,
    out: &Outgoing,
    decision: Option<i64>,
    n: usize,
    in_reply_to: Option<&str>,
    now: DateTime<Utc>,
    send_after: DateTime<Utc>,
) -> tandem_store::Result<i64> {
    let ics = write_itip(out, now);
    let domain = me.executive.address.rsplit_once('@').map_or("localhost", |(_, d)| d);
    // Unique per message: the decision (or the meeting's SEQUENCE for the organiser's own
    // messages), the message's place in it, and the meeting and executive.
    let origin = decision.map_or_else(|| format!("s{}", out.event.sequence), |d| d.to_string());
    let message_id = format!(
        "tandem-{origin}-{n}-{:016x}@{domain}",
        tandem_formats::content_hash(format!("{}{}{}", out.event.uid, profile.id, now.timestamp_micros()).as_bytes())
    );
    let assistant = profile
        .assistant
        .as_ref()
        .map(|a| Mailbox { name: Some(a.name.clone()), address: a.address.to_ascii_lowercase() });
    let envelope = Envelope {
        from: mailbox(&me.executive),
        sender: if me.sent_by.is_some() { assistant } else { None },
        to: out.recipients.iter().map(mailbox).collect(),
        cc: vec![],
        subject: subject(out),
        message_id,
        in_reply_to: in_reply_to.map(String::from),
        references: vec![],
        date: now,
    };
    let raw = imip_mail(&envelope, out.method, &text(out, profile, profile.home_time_zone), &ics);
    let recipients: Vec<String> = out.recipients.iter().map(|p| p.address.clone()).collect();
    let to = out
        .recipients
        .iter()
        .map(|p| p.name.clone().unwrap_or_else(|| p.address.clone()))
        .collect::<Vec<_>>()
        .join(", ");
    let summary = format!("{} to {to}", envelope.subject);
    store.enqueue(
        &profile.id,
        &NewOutboxItem {
            kind: OutboxKind::Imip,
            summary: &summary,
            recipients: &recipients,
            payload: &raw,
            decision,
            uid: Some(&out.event.uid),
            created_at: now,
            send_after,
        },
    )
}
