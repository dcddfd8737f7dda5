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

    /// The order lanes are worked in: what needs the executive first, noise last; mail not
    /// yet triaged comes right after the executive's, so nothing new hides at the bottom.
    pub const TRIAGE_ORDER: [Lane; 6] =
        [Lane::NeedsExecutive, Lane::Untriaged, Lane::EpHandles, Lane::WaitingOnOthers, Lane::Fyi, Lane::Noise];

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

/// Who put a message in its lane: an EP's move is never undone by triage running again.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LaneSource {
    /// Not triaged yet.
    #[default]
    None,
    /// One of the EP's triage rules.
    Rule,
    /// Tandem's built-in reading of the headers and words.
    Heuristic,
    /// The EP moved it.
    Ep,
}

impl LaneSource {
    pub fn as_str(&self) -> &'static str {
        match self {
            LaneSource::None => "",
            LaneSource::Rule => "rule",
            LaneSource::Heuristic => "heuristic",
            LaneSource::Ep => "ep",
        }
    }

    pub fn parse(s: &str) -> LaneSource {
        match s {
            "rule" => LaneSource::Rule,
            "heuristic" => LaneSource::Heuristic,
            "ep" => LaneSource::Ep,
            _ => LaneSource::None,
        }
    }
}

/// Everything the EP (or triage) changes about a message, as one value, so that an action
/// can keep the state it replaced and undo can put it back exactly.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MessageState {
    pub lane: Lane,
    /// Why it is in its lane, in words ("List-Id: news.example: a mailing list").
    pub lane_reason: String,
    pub lane_by: LaneSource,
    pub flags: MessageFlags,
    /// Out of the inbox (still searchable).
    pub archived: bool,
    /// Hidden from the inbox until then.
    pub snoozed_until: Option<DateTime<Utc>>,
    /// Remind the EP then if no reply has arrived in the thread.
    pub follow_up_at: Option<DateTime<Utc>>,
    /// The meeting this thread prepares for (its UID), shown as prep in the briefing.
    pub event_uid: Option<String>,
}

/// Per-message state the EP changes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageFlags {
    pub seen: bool,
    pub flagged: bool,
    pub answered: bool,
}

impl MessageFlags {
    pub const SEEN: u8 = 1;
    pub const FLAGGED: u8 = 2;
    pub const ANSWERED: u8 = 4;

    /// Which flags differ between `self` and `other`, as a mask of the constants above: what a
    /// sync must push, and nothing else, so another client's change to the rest survives.
    pub fn changed(self, other: MessageFlags) -> u8 {
        let bit = |a: bool, b: bool, m: u8| if a != b { m } else { 0 };
        bit(self.seen, other.seen, Self::SEEN)
            | bit(self.flagged, other.flagged, Self::FLAGGED)
            | bit(self.answered, other.answered, Self::ANSWERED)
    }
}

/// A file attached to a message (its content stays in the original bytes).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub name: Option<String>,
    /// `type/subtype`, lower-cased.
    pub content_type: String,
    pub size: usize,
}

/// What the headers say about how a message was sent: through a list, by a machine, as an
/// automatic reply. Triage reads these before any words, because they are the sender's own
/// declaration (RFC 2369/2919 list headers, RFC 3834 Auto-Submitted, the de-facto Precedence).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Automation {
    /// The List-Id, without angle brackets.
    pub list_id: Option<String>,
    pub list_unsubscribe: bool,
    /// `bulk`, `list`, `junk`..., lower-cased.
    pub precedence: Option<String>,
    /// `auto-generated`, `auto-replied`... (`no` is left out), lower-cased.
    pub auto_submitted: Option<String>,
    /// An X-Autoreply or X-Autorespond header (vacation responders that predate RFC 3834).
    pub auto_reply_header: bool,
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
    /// The plain-text body (or text derived from HTML), used for the snippet and search. In a
    /// list read from the store, only its start (see the store's `LIST_BODY_CHARS`).
    #[serde(default)]
    pub body_text: String,
    /// Whether the message carries an HTML part (shown sanitised, later).
    pub has_html: bool,
    /// The iTIP method of a text/calendar part, e.g. `REQUEST`, when the message is an invitation.
    pub calendar_method: Option<String>,
    /// Header `Importance: high` / `X-Priority: 1`.
    pub marked_important: bool,
    /// Files attached; an invitation's calendar part is not one.
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    #[serde(default)]
    pub automation: Automation,
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
            attachments: vec![],
            automation: Automation::default(),
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
