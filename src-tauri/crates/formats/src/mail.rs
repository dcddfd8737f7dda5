//! RFC 5322 / MIME messages, read with `mail-parser` (charsets, encoded words, multipart).
//!
//! A message becomes a [`tandem_core::mail::Message`] plus the text/calendar parts it carries,
//! which the invitation pipeline reads as iMIP (RFC 6047).

use chrono::{DateTime, Utc};
use mail_parser::{Address, MessageParser, MimeHeaders};
use tandem_core::mail::{Attachment, Automation, Lane, Mailbox, Message, MessageFlags};

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

    let attachments = files(&parsed)
        .map(|(part, content_type)| Attachment {
            name: part.attachment_name().map(String::from),
            content_type,
            size: part.contents().len(),
        })
        .collect();

    let body_text = parsed.body_text(0).map(|b| b.into_owned()).unwrap_or_default();
    let has_html = parsed.html_body_count() > 0 && parsed.html_bodies().any(|p| p.is_text_html());
    let header_text = |name: &str| parsed.header(name).and_then(|h| h.as_text()).map(|s| s.trim().to_ascii_lowercase());
    let automation = Automation {
        // The raw header: mail-parser may read `Name <id>` as an address; the id is what is
        // inside the angle brackets (RFC 2919), else the whole value.
        list_id: parsed.header_raw("List-Id").map(list_id).filter(|s| !s.is_empty()),
        list_unsubscribe: !parsed.list_unsubscribe().is_empty(),
        precedence: header_text("Precedence").filter(|s| !s.is_empty()),
        auto_submitted: header_text("Auto-Submitted")
            .map(|s| s.split(';').next().unwrap_or("").trim().to_string())
            .filter(|s| !s.is_empty() && s != "no"),
        auto_reply_header: ["X-Autoreply", "X-Autorespond"].iter().any(|h| parsed.header(*h).is_some()),
    };
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
        attachments,
        automation,
        lane: Lane::Untriaged,
        flags: MessageFlags::default(),
    };
    Ok(ParsedMail { message, calendar_parts })
}

/// A message's body for reading: the text, the HTML part when it has one, and the parts it
/// carries by Content-ID (inline images) as `data:` URLs for the sanitiser.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MessageBody {
    pub text: String,
    pub html: Option<String>,
    pub inline: std::collections::HashMap<String, String>,
}

/// The files attached to a message, each with its `type/subtype` (lower-cased). An
/// invitation's calendar part is read as one (`calendar_parts`), not listed as a file.
fn files<'a>(parsed: &'a mail_parser::Message<'a>) -> impl Iterator<Item = (&'a mail_parser::MessagePart<'a>, String)> {
    parsed.attachments().filter_map(|part| {
        let content_type = part
            .content_type()
            .map(|ct| match ct.c_subtype.as_deref() {
                Some(sub) => format!("{}/{}", ct.c_type, sub),
                None => ct.c_type.to_string(),
            })
            .unwrap_or_else(|| "application/octet-stream".into())
            .to_ascii_lowercase();
        (content_type != "text/calendar").then_some((part, content_type))
    })
}

/// A file to send on (a forward carries the original's attachments).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttachedFile {
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// The files attached to a stored message's original bytes, decoded.
pub fn attached_files(raw: &[u8]) -> Vec<AttachedFile> {
    let Some(parsed) = MessageParser::default().parse(raw) else { return Vec::new() };
    files(&parsed)
        .enumerate()
        .map(|(i, (part, content_type))| AttachedFile {
            name: part.attachment_name().map_or_else(|| format!("attachment-{}", i + 1), String::from),
            content_type,
            bytes: part.contents().to_vec(),
        })
        .collect()
}

/// Reads the body of a stored message's original bytes.
pub fn message_body(raw: &[u8]) -> Result<MessageBody, MailError> {
    let parsed = MessageParser::default().parse(raw).ok_or(MailError::NoHeaders)?;
    let text = parsed.body_text(0).map(|b| b.into_owned()).unwrap_or_default();
    let html = parsed.html_bodies().find(|p| p.is_text_html()).and_then(|p| p.text_contents()).map(String::from);
    let mut inline = std::collections::HashMap::new();
    for part in &parsed.parts {
        let (Some(id), Some(ct)) = (part.content_id(), part.content_type()) else { continue };
        if !ct.c_type.eq_ignore_ascii_case("image") {
            continue;
        }
        let content_type = format!("image/{}", ct.c_subtype.as_deref().unwrap_or("png")).to_ascii_lowercase();
        let id = id.trim().trim_matches(['<', '>']).to_string();
        inline.insert(id, crate::html::data_url(&content_type, part.contents()));
    }
    Ok(MessageBody { text, html, inline })
}

fn list_id(raw: &str) -> String {
    let raw = raw.trim();
    let inner = match (raw.rfind('<'), raw.rfind('>')) {
        (Some(a), Some(b)) if a < b => &raw[a + 1..b],
        _ => raw,
    };
    inner.trim().to_ascii_lowercase()
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

    #[test]
    fn attachments_are_listed_but_an_invitation_part_is_not_one() {
        let raw = "From: a@x.example\r\nSubject: pack\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"m\"\r\n\r\n\
--m\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n\
--m\r\nContent-Type: application/pdf; name=\"Board pack.pdf\"\r\nContent-Disposition: attachment; filename=\"Board pack.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n\
--m\r\nContent-Type: text/calendar; method=REQUEST\r\nContent-Disposition: attachment; filename=invite.ics\r\n\r\nBEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n\
--m--\r\n";
        let m = parse_message(raw.as_bytes(), received()).unwrap();
        assert_eq!(
            m.message.attachments,
            [Attachment { name: Some("Board pack.pdf".into()), content_type: "application/pdf".into(), size: 9 }]
        );
        assert_eq!(m.calendar_parts.len(), 1);
        assert_eq!(m.message.body_text.trim(), "see attached");
    }

    #[test]
    fn list_and_auto_submitted_headers_are_kept_for_triage() {
        let raw = "From: news@list.example\r\nSubject: issue 4\r\nList-Id: Robotics Weekly <weekly.robotics.example>\r\n\
List-Unsubscribe: <mailto:u@list.example>\r\nPrecedence: Bulk\r\nAuto-Submitted: auto-generated; type=digest\r\n\r\nnews\r\n";
        let a = parse_message(raw.as_bytes(), received()).unwrap().message.automation;
        assert_eq!(a.list_id.as_deref(), Some("weekly.robotics.example"));
        assert!(a.list_unsubscribe);
        assert_eq!(a.precedence.as_deref(), Some("bulk"));
        assert_eq!(a.auto_submitted.as_deref(), Some("auto-generated"));
        let plain = parse_message(b"From: a@x.example\r\nAuto-Submitted: no\r\n\r\nhi", received()).unwrap();
        assert_eq!(plain.message.automation, Automation::default());
    }

    #[test]
    fn legacy_charsets_and_encoded_words_are_decoded() {
        // ISO-8859-1 quoted-printable body, an RFC 2047 B-encoded ISO-2022-JP subject and a
        // Shift_JIS display name, as old Japanese and European clients still send them.
        let raw = b"From: =?Shift_JIS?B?k2OShg==?= <tanaka@example.jp>\r\n\
Subject: =?ISO-2022-JP?B?GyRCJTAlbSE8JVAlaxsoQg==?= / =?ISO-8859-1?Q?caf=E9?=\r\n\
MIME-Version: 1.0\r\nContent-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n\
R=E9sum=E9 de la r=E9union\r\n";
        let m = parse_message(raw, received()).unwrap().message;
        assert_eq!(m.from.name.as_deref(), Some("田中"));
        assert_eq!(m.subject, "グローバル / café");
        assert_eq!(m.body_text.trim(), "Résumé de la réunion");
    }

    #[test]
    fn the_body_for_reading_has_the_html_and_its_inline_images() {
        let raw = "From: a@x.example\r\nSubject: s\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"r\"\r\n\r\n\
--r\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Hi <img src=\"cid:logo\"></p>\r\n\
--r\r\nContent-Type: image/png\r\nContent-ID: <logo>\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--r--\r\n";
        let body = message_body(raw.as_bytes()).unwrap();
        assert!(body.html.as_deref().unwrap().contains("cid:logo"));
        assert_eq!(body.inline.get("logo").map(String::as_str), Some("data:image/png;base64,iVBORw0KGgo="));
        let plain = message_body(b"From: a@x.example\r\n\r\njust text").unwrap();
        assert_eq!((plain.text.trim(), plain.html), ("just text", None));
    }

    #[test]
    fn an_html_only_message_with_related_images_reads_as_text() {
        let raw = "From: a@x.example\r\nSubject: s\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"r\"\r\n\r\n\
--r\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>Quarterly <b>results</b></p><img src=\"cid:logo\"></body></html>\r\n\
--r\r\nContent-Type: image/png\r\nContent-ID: <logo>\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--r--\r\n";
        let m = parse_message(raw.as_bytes(), received()).unwrap().message;
        assert!(m.has_html);
        assert!(m.body_text.contains("Quarterly") && m.body_text.contains("results"), "{:?}", m.body_text);
        assert!(!m.body_text.contains("<b>"));
    }
}
