//! Mail written out (RFC 5322): the headers every outgoing message shares, and plain-text
//! mail (replies, forwards, delegations). Built with `mail-builder`, the companion of
//! `mail-parser`, which encodes non-ASCII names and subjects (RFC 2047) and long lines.

use chrono::{DateTime, Utc};
use mail_builder::headers::address::Address;
use mail_builder::MessageBuilder;
use tandem_core::mail::Mailbox;

use crate::mail::AttachedFile;

/// Who a mail is from and to. The executive is `from`; the EP who sends for them is `sender`
/// (RFC 5322 §3.6.2), so the recipient sees the mail as the executive's and can still see
/// who wrote it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Envelope {
    pub from: Mailbox,
    pub sender: Option<Mailbox>,
    pub to: Vec<Mailbox>,
    pub cc: Vec<Mailbox>,
    pub subject: String,
    /// Without angle brackets.
    pub message_id: String,
    pub in_reply_to: Option<String>,
    /// The thread so far, oldest first, without angle brackets (the parent last).
    pub references: Vec<String>,
    pub date: DateTime<Utc>,
}

fn address(m: &Mailbox) -> Address<'_> {
    Address::new_address(m.name.as_deref(), m.address.as_str())
}

impl Envelope {
    /// A message builder with these headers set.
    pub(crate) fn builder(&self) -> MessageBuilder<'_> {
        let mut b = MessageBuilder::new()
            .from(address(&self.from))
            .to(Address::new_list(self.to.iter().map(address).collect()))
            .subject(self.subject.as_str())
            .message_id(self.message_id.as_str())
            .date(self.date.timestamp());
        if !self.cc.is_empty() {
            b = b.cc(Address::new_list(self.cc.iter().map(address).collect()));
        }
        if let Some(s) = &self.sender {
            b = b.sender(address(s));
        }
        if let Some(r) = &self.in_reply_to {
            b = b.in_reply_to(r.as_str());
        }
        let mut refs: Vec<&str> = self.references.iter().map(String::as_str).collect();
        if let Some(r) = self.in_reply_to.as_deref().filter(|r| !refs.contains(r)) {
            refs.push(r);
        }
        if !refs.is_empty() {
            b = b.references(refs);
        }
        b
    }
}

/// A plain-text mail, with `files` attached (a forward's).
pub fn text_mail(envelope: &Envelope, text: &str, files: &[AttachedFile]) -> Vec<u8> {
    mail(envelope, text, None, files)
}

/// A mail with a text part, an HTML alternative when given (the briefing), and `files`.
pub fn mail(envelope: &Envelope, text: &str, html: Option<&str>, files: &[AttachedFile]) -> Vec<u8> {
    let mut b = envelope.builder().text_body(text);
    if let Some(h) = html {
        b = b.html_body(h);
    }
    for f in files {
        b = b.attachment(f.content_type.as_str(), f.name.as_str(), f.bytes.as_slice());
    }
    b.write_to_vec().expect("writing to memory does not fail")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reply_on_behalf_carries_sender_thread_headers_and_encoded_names() {
        let env = Envelope {
            from: Mailbox { name: Some("Dana Okafor".into()), address: "dana@n.example".into() },
            sender: Some(Mailbox { name: Some("Sam Rivera".into()), address: "sam@n.example".into() }),
            to: vec![Mailbox { name: Some("Renée Lambert".into()), address: "renee@b.example".into() }],
            cc: vec![Mailbox { name: None, address: "li@p.example".into() }],
            subject: "Re: Dîner".into(),
            message_id: "r1@n.example".into(),
            in_reply_to: Some("p2@b.example".into()),
            references: vec!["p1@b.example".into()],
            date: "2026-11-24T14:00:00Z".parse().unwrap(),
        };
        let pdf = AttachedFile {
            name: "Board pack.pdf".into(),
            content_type: "application/pdf".into(),
            bytes: b"%PDF-1.4 x".to_vec(),
        };
        let raw = text_mail(&env, "Yes, with pleasure.\n", std::slice::from_ref(&pdf));
        let parsed = crate::mail::parse_message(&raw, env.date).unwrap().message;
        assert_eq!(parsed.from.address, "dana@n.example");
        assert_eq!(parsed.to[0].name.as_deref(), Some("Renée Lambert"));
        assert_eq!(parsed.cc[0].address, "li@p.example");
        assert_eq!(parsed.subject, "Re: Dîner");
        assert_eq!(parsed.in_reply_to.as_deref(), Some("p2@b.example"));
        assert_eq!(parsed.references, ["p1@b.example", "p2@b.example"]);
        assert_eq!(parsed.body_text.trim(), "Yes, with pleasure.");
        assert_eq!(crate::mail::attached_files(&raw), [pdf], "the file goes along, byte for byte");
        let text = String::from_utf8_lossy(&raw);
        assert!(text.contains("Sender: \"Sam Rivera\" <sam@n.example>"), "{text}");
    }
}
