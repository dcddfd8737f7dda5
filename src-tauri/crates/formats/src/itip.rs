//! iTIP messages written out (RFC 5546) and the iMIP mail that carries them (RFC 6047).
//!
//! `core::itip` decides what a message says; this module writes it: the VCALENDAR with its
//! METHOD, and a `multipart/alternative` mail whose text part says the same in words and whose
//! `text/calendar; method=...` part is what calendar clients act on. The mail is built with
//! `mail-builder` (the companion of `mail-parser`), which encodes headers and bodies properly.

use chrono::{DateTime, Utc};
use mail_builder::headers::content_type::ContentType;
use mail_builder::mime::MimePart;
use tandem_core::itip::{Method, Outgoing};

pub use crate::outgoing::Envelope;

use crate::ics::content::escape_text;
use crate::ics::write_calendar;

/// The VCALENDAR of an outgoing message. `now` is its DTSTAMP where the component has none.
pub fn write_itip(out: &Outgoing, now: DateTime<Utc>) -> String {
    let mut event = out.event.clone();
    if let Some(c) = out.comment.as_deref().filter(|c| !c.trim().is_empty()) {
        event.kept_properties.retain(|p| !p.to_ascii_uppercase().starts_with("COMMENT"));
        event.kept_properties.push(format!("COMMENT:{}", escape_text(c)));
    }
    write_calendar(None, Some(out.method.as_str()), &[event], now)
}

/// An iMIP message: `text` for people, `calendar` (a VCALENDAR with METHOD `method`) for
/// their calendar clients.
pub fn imip_mail(envelope: &Envelope, method: Method, text: &str, calendar: &str) -> Vec<u8> {
    let b = envelope.builder();
    let calendar_type =
        ContentType::new("text/calendar").attribute("method", method.as_str()).attribute("charset", "utf-8");
    let body = MimePart::new(
        "multipart/alternative",
        vec![MimePart::new("text/plain", text), MimePart::new(calendar_type, calendar)],
    );
    b.body(body).write_to_vec().expect("writing to memory does not fail")
}

#[cfg(test)]
mod tests {
    use super::*;
    use tandem_core::calendar::{Attendee, Event, EventTime, Participant, ParticipationStatus, Role};
    use tandem_core::itip::{reply, Sender};
    use tandem_core::mail::Mailbox;

    fn now() -> DateTime<Utc> {
        "2026-11-24T14:00:00Z".parse().unwrap()
    }

    fn invite() -> Event {
        let mut e = Event::new(
            "audit@board.example",
            "Audit committee",
            EventTime::Utc { instant: "2026-12-10T15:00:00Z".parse().unwrap() },
        );
        e.duration_seconds = Some(3600);
        e.sequence = 2;
        e.organizer = Some(Participant::new("renee@board.example", Some("Renée Lambert".into())));
        e.attendees.push(Attendee {
            participant: Participant::new("dana@northwind.example", Some("Dana Okafor".into())),
            role: Role::Required,
            status: ParticipationStatus::NeedsAction,
            rsvp: true,
        });
        e
    }

    fn me() -> Sender {
        Sender {
            executive: Participant::new("dana@northwind.example", Some("Dana Okafor".into())),
            sent_by: Some("ep@northwind.example".into()),
        }
    }

    #[test]
    fn a_reply_is_written_with_its_method_comment_and_sent_by() {
        let out = reply(&invite(), &me(), ParticipationStatus::Declined, Some("Travelling; sorry, truly"), None, now());
        let text = write_itip(&out, now());
        assert!(text.contains("METHOD:REPLY\r\n"), "{text}");
        assert!(text.contains("COMMENT:Travelling\\; sorry\\, truly\r\n"), "{text}");
        let unfolded = text.replace("\r\n ", "");
        assert!(unfolded.contains("PARTSTAT=DECLINED"), "{text}");
        assert!(unfolded.contains("SENT-BY=\"mailto:ep@northwind.example\""), "{text}");
        assert!(text.contains("DTSTAMP:20261124T140000Z\r\n"));
        assert!(text.contains("SEQUENCE:2\r\n"));
        let back = crate::ics::parse_calendar(&text).unwrap();
        assert!(back.problems.is_empty(), "{:?}", back.problems);
        assert_eq!(back.method.as_deref(), Some("REPLY"));
        assert_eq!(back.events[0].event.attendees[0].status, ParticipationStatus::Declined);
    }

    #[test]
    fn an_imip_mail_reads_back_as_an_invitation_reply_from_the_executive_sent_by_the_ep() {
        let out = reply(&invite(), &me(), ParticipationStatus::Accepted, None, None, now());
        let ics = write_itip(&out, now());
        let envelope = Envelope {
            from: Mailbox { name: Some("Dana Okafor".into()), address: "dana@northwind.example".into() },
            sender: Some(Mailbox { name: Some("Sam Rivera".into()), address: "ep@northwind.example".into() }),
            to: vec![Mailbox { name: Some("Renée Lambert".into()), address: "renee@board.example".into() }],
            cc: vec![],
            subject: "Accepted: Audit committee".into(),
            message_id: "reply-1@tandem.local".into(),
            in_reply_to: Some("inv-1@board.example".into()),
            references: vec![],
            date: now(),
        };
        let raw = imip_mail(&envelope, Method::Reply, "Dana Okafor accepted.", &ics);
        let parsed = crate::mail::parse_message(&raw, now()).unwrap();
        assert_eq!(parsed.message.from.address, "dana@northwind.example");
        assert_eq!(parsed.message.to[0].name.as_deref(), Some("Renée Lambert"));
        assert_eq!(parsed.message.calendar_method.as_deref(), Some("REPLY"));
        assert_eq!(parsed.message.message_id, "reply-1@tandem.local");
        assert_eq!(parsed.message.in_reply_to.as_deref(), Some("inv-1@board.example"));
        assert_eq!(parsed.calendar_parts.len(), 1);
        assert_eq!(parsed.calendar_parts[0].replace("\r\n", "\n"), ics.replace("\r\n", "\n"));
        let head = String::from_utf8_lossy(&raw);
        assert!(head.contains("Sender: \"Sam Rivera\" <ep@northwind.example>"), "{head}");
        assert!(head.contains("method=REPLY") || head.contains("method=\"REPLY\""), "{head}");
    }
}
