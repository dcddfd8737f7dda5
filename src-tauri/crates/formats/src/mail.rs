//! RFC 5322 / MIME messages, read with `mail-parser` (charsets, encoded words, multipart).
//!
//! A message becomes a [`tandem_core::mail::Message`] plus the text/calendar parts it carries,
//! which the invitation pipeline reads as iMIP (RFC 6047).

use chrono::{DateTime, Utc};
use mail_parser::{Address, MessageParser, MimeHeaders};
use tandem_core::mail::{Lane, Mailbox, Message, MessageFlags};

/// Why a message could not be read at all.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum MailError {
    #[error("not a mail message: no headers could be read")]
    NoHeaders,
    #[error("message has no From address")]
    NoSender,
}

/// A message and the iCalendar texts of its text/calendar parts.
#[derive(Clone, Debug, PartialEq)]
pub struct ParsedMail {
    pub message: Message,
    pub calendar_parts: Vec<String>,
}

/// Reads one message. `received` is used when the message has no usable Date header.
pub fn parse_message(raw: &[u8], received: DateTime<Utc>) -> Result<ParsedMail, MailError> {
    let parsed = MessageParser::default().parse(raw).ok_or(MailError::NoHeaders)?;
    if parsed.headers().is_empty() {
        return Err(MailError::NoHeaders);
    }
    let from = parsed.from().and_then(first_mailbox).ok_or(MailError::NoSender)?;
    let date = parsed.date().and_then(|d| DateTime::<Utc>::from_timestamp(d.to_timestamp(), 0)).unwrap_or(received);
    let message_id = parsed
        .message_id()
        .map(String::from)
        // A message without an ID still needs a stable one: derive it from its content.
        .unwrap_or_else(|| format!("tandem-{:016x}@local", crate::content_hash(raw)));
    let in_reply_to = parsed
        .in_reply_to()
        .as_text_list()
        .and_then(|l| l.first().map(|s| s.to_string()))
        .or_else(|| parsed.in_reply_to().as_text().map(String::from));
    let references: Vec<String> = match parsed.references().as_text_list() {
        Some(list) => list.iter().map(|s| s.to_string()).collect(),
        None => parsed.references().as_text().map(|s| vec![s.to_string()]).unwrap_or_default(),
    };

    let mut calendar_parts = Vec::new();
    let mut calendar_method = None;
    for part in &parsed.parts {
        let Some(ct) = part.content_type() else { continue };
        let is_calendar = ct.c_type.eq_ignore_ascii_case("text")
            && ct.c_subtype.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("calendar"));
        if is_calendar {
            if let Some(text) = part.text_contents() {
                if calendar_method.is_none() {
                    calendar_method =
                        ct.attribute("method").map(|m| m.to_ascii_uppercase()).or_else(|| method_in(text));
                }
                calendar_parts.push(text.to_string());
            }
        }
    }

    let body_text = parsed.body_text(0).map(|b| b.into_owned()).unwrap_or_default();
    let has_html = parsed.html_body_count() > 0 && parsed.html_bodies().any(|p| p.is_text_html());
    let header_text = |name: &str| parsed.header(name).and_then(|h| h.as_text()).map(|s| s.trim().to_ascii_lowercase());
    let marked_important = header_text("Importance").is_some_and(|v| v == "high")
        || header_text("X-Priority").is_some_and(|v| v.starts_with('1') || v.starts_with('2'));

    let message = Message {
        message_id,
        in_reply_to,
        references,
        from,
        to: mailboxes(parsed.to()),
        cc: mailboxes(parsed.cc()),
        subject: parsed.subject().unwrap_or("").to_string(),
        date,
        body_text,
        has_html,
        calendar_method,
        marked_important,
        lane: Lane::Untriaged,
        flags: MessageFlags::default(),
    };
    Ok(ParsedMail { message, calendar_parts })
}

fn method_in(ics: &str) -> Option<String> {
    ics.lines().find_map(|l| l.trim_end().strip_prefix("METHOD:")).map(|m| m.trim().to_ascii_uppercase())
}

fn first_mailbox(a: &Address<'_>) -> Option<Mailbox> {
    a.iter().find_map(to_mailbox)
}

fn mailboxes(a: Option<&Address<'_>>) -> Vec<Mailbox> {
    a.map(|a| a.iter().filter_map(to_mailbox).collect()).unwrap_or_default()
}

fn to_mailbox(addr: &mail_parser::Addr<'_>) -> Option<Mailbox> {
    let address = addr.address()?.trim().to_ascii_lowercase();
    if address.is_empty() {
        return None;
    }
    Some(Mailbox { name: addr.name().map(|n| n.trim().to_string()).filter(|n| !n.is_empty()), address })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn received() -> DateTime<Utc> {
        "2026-01-01T00:00:00Z".parse().unwrap()
    }

    const INVITE: &str = "From: =?UTF-8?Q?Ren=C3=A9e_Lambert?= <Renee@Board.example>\r\n\
To: Dana Okafor <dana@northwind.example>, ep@northwind.example\r\n\
Subject: Invitation: Audit committee\r\n\
Date: Tue, 03 Mar 2026 10:15:00 -0500\r\n\
Message-ID: <inv-1@board.example>\r\n\
Importance: High\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/alternative; boundary=\"b1\"\r\n\
\r\n\
--b1\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
\r\n\
You are invited.\r\n\
--b1\r\n\
Content-Type: text/calendar; charset=utf-8; method=REQUEST\r\n\
\r\n\
BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:audit@board.example\r\nDTSTART:20260310T150000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n\
--b1--\r\n";

    #[test]
    fn an_imip_invitation_yields_its_calendar_part_and_method() {
        let m = parse_message(INVITE.as_bytes(), received()).unwrap();
        assert_eq!(m.message.from.address, "renee@board.example");
        assert_eq!(m.message.from.name.as_deref(), Some("Renée Lambert"));
        assert_eq!(m.message.to.len(), 2);
        assert_eq!(m.message.calendar_method.as_deref(), Some("REQUEST"));
        assert_eq!(m.calendar_parts.len(), 1);
        assert!(m.calendar_parts[0].contains("UID:audit@board.example"));
        assert!(m.message.marked_important);
        assert_eq!(m.message.date.to_rfc3339(), "2026-03-03T15:15:00+00:00");
        assert_eq!(m.message.body_text.trim(), "You are invited.");
        assert!(!m.message.has_html);
    }

    #[test]
    fn a_message_without_a_date_or_id_gets_the_received_time_and_a_stable_id() {
        let raw = b"From: a@x.example\r\nSubject: hi\r\n\r\nbody\r\n";
        let a = parse_message(raw, received()).unwrap();
        let b = parse_message(raw, received()).unwrap();
        assert_eq!(a.message.date, received());
        assert_eq!(a.message.message_id, b.message.message_id);
    }

    #[test]
    fn an_html_alternative_is_noticed_and_its_text_part_is_the_body() {
        let raw = "From: a@x.example\r\nSubject: s\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"b\"\r\n\r\n\
--b\r\nContent-Type: text/plain\r\n\r\nplain words\r\n--b\r\nContent-Type: text/html\r\n\r\n<p>html words</p>\r\n--b--\r\n";
        let m = parse_message(raw.as_bytes(), received()).unwrap().message;
        assert!(m.has_html);
        assert_eq!(m.body_text.trim(), "plain words");
    }

    #[test]
    fn a_message_without_a_sender_is_an_error() {
        assert_eq!(parse_message(b"Subject: x\r\n\r\nbody", received()).unwrap_err(), MailError::NoSender);
        assert!(parse_message(b"", received()).is_err());
    }
}
