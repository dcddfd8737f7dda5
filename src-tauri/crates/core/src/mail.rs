//! Mail messages and threads, as triage sees them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A name and address from a header such as `From: Dana Okafor <dana@northwind.example>`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mailbox {
    pub name: Option<String>,
    /// Lower-cased.
    pub address: String,
}

/// The triage lanes an EP sorts the executive's mail into. `Untriaged` until triage has run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lane {
    #[default]
    Untriaged,
    NeedsExecutive,
    EpHandles,
    WaitingOnOthers,
    Fyi,
    Noise,
}

impl Lane {
    pub const ALL: [Lane; 6] =
        [Lane::Untriaged, Lane::NeedsExecutive, Lane::EpHandles, Lane::WaitingOnOthers, Lane::Fyi, Lane::Noise];

    /// Reads a lane's name as [`Lane::as_str`] writes it.
    pub fn parse(s: &str) -> Option<Lane> {
        Lane::ALL.into_iter().find(|l| l.as_str() == s.trim().to_ascii_lowercase())
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            Lane::Untriaged => "untriaged",
            Lane::NeedsExecutive => "needs_executive",
            Lane::EpHandles => "ep_handles",
            Lane::WaitingOnOthers => "waiting_on_others",
            Lane::Fyi => "fyi",
            Lane::Noise => "noise",
        }
    }
}

/// Per-message state the EP changes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageFlags {
    pub seen: bool,
    pub flagged: bool,
    pub answered: bool,
}

/// One mail message: the headers triage needs and a plain-text view of the body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// The Message-ID without angle brackets.
    pub message_id: String,
    pub in_reply_to: Option<String>,
    pub references: Vec<String>,
    pub from: Mailbox,
    pub to: Vec<Mailbox>,
    pub cc: Vec<Mailbox>,
    pub subject: String,
    pub date: DateTime<Utc>,
    /// The plain-text body (or text derived from HTML), used for the snippet and search.
    pub body_text: String,
    /// Whether the message carries an HTML part (shown sanitised, later).
    pub has_html: bool,
    /// The iTIP method of a text/calendar part, e.g. `REQUEST`, when the message is an invitation.
    pub calendar_method: Option<String>,
    /// Header `Importance: high` / `X-Priority: 1`.
    pub marked_important: bool,
    pub lane: Lane,
    pub flags: MessageFlags,
}

impl Message {
    /// The thread a message belongs to: the root of its References chain, else what it replies
    /// to, else itself. Enough for well-behaved clients; the inbox work refines it.
    pub fn thread_key(&self) -> String {
        self.references.first().or(self.in_reply_to.as_ref()).unwrap_or(&self.message_id).clone()
    }

    /// The first `max` characters of the body with whitespace collapsed, for list rows.
    pub fn snippet(&self, max: usize) -> String {
        let mut out = String::new();
        for word in self.body_text.split_whitespace() {
            if out.chars().count() + word.chars().count() + 1 > max {
                if out.is_empty() {
                    out = word.chars().take(max).collect();
                }
                break;
            }
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(id: &str, irt: Option<&str>, refs: &[&str]) -> Message {
        Message {
            message_id: id.into(),
            in_reply_to: irt.map(String::from),
            references: refs.iter().map(|s| s.to_string()).collect(),
            from: Mailbox { name: None, address: "a@x.example".into() },
            to: vec![],
            cc: vec![],
            subject: "s".into(),
            date: "2026-01-01T00:00:00Z".parse().unwrap(),
            body_text: "Hello   there,\n\nthe board pack is attached.".into(),
            has_html: false,
            calendar_method: None,
            marked_important: false,
            lane: Lane::Untriaged,
            flags: MessageFlags::default(),
        }
    }

    #[test]
    fn a_reply_joins_the_thread_of_its_first_reference() {
        assert_eq!(msg("c", Some("b"), &["a", "b"]).thread_key(), "a");
        assert_eq!(msg("b", Some("a"), &[]).thread_key(), "a");
        assert_eq!(msg("a", None, &[]).thread_key(), "a");
    }

    #[test]
    fn a_snippet_collapses_whitespace_and_stops_at_a_word() {
        assert_eq!(msg("a", None, &[]).snippet(20), "Hello there, the");
    }
}
