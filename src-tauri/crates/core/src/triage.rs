//! Mail triage: which lane each message goes in, and why.
//!
//! Two layers, both explained in words on every message:
//! 1. **The EP's triage rules**, an ordered list, first match wins — the same style as the
//!    invitation rules (a TOML document of `[[rule]]` tables, `when` and `unless`, people by
//!    address, `@domain`, group, `internal` or `external`):
//!
//!    ```toml
//!    [[rule]]
//!    name = "Investor updates are FYI"
//!    lane = "fyi"
//!    when = { from = "@sequoia.example", words = ["investor update"] }
//!    ```
//! 2. **Heuristics** for the rest, in a fixed order an EP can predict: the executive's own mail
//!    waits on others; automatic replies are FYI; invitations are the EP's (the invitation
//!    rules answer them); lists, newsletters and machines are noise (unless a VIP sent it);
//!    VIPs, urgency, deadlines and requests for a decision need the executive; scheduling is
//!    the EP's; copies and broadcasts are FYI; anything else addressed to the executive is the
//!    EP's to screen.
//!
//! The header signals come first because they are the sender's own declaration (List-Id,
//! Auto-Submitted, Precedence); words come after, and each reason quotes the word that decided.
//! An EP's own move is never undone by triage (see [`crate::mail::LaneSource::Ep`]).

use serde::{Deserialize, Serialize};

use crate::mail::{Lane, LaneSource, Message};
use crate::profile::ExecutiveProfile;
use crate::rules::{contains_words, rule_tables, Person, RulesError};

/// The EP's triage rules for one executive.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TriageRules {
    #[serde(default, rename = "rule", skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<TriageRule>,
}

/// One rule: conditions on a message and the lane it goes to when they hold.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TriageRule {
    pub name: String,
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub enabled: bool,
    pub lane: Lane,
    /// Why, in the EP's words; else the rule's name is quoted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "MailConditions::is_empty")]
    pub when: MailConditions,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unless: Option<MailConditions>,
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

/// How the executive is addressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Addressed {
    /// In To.
    Direct,
    /// In Cc and not in To.
    Cc,
    /// Neither (Bcc, a list).
    Not,
}

impl Addressed {
    pub fn as_str(self) -> &'static str {
        match self {
            Addressed::Direct => "direct",
            Addressed::Cc => "cc",
            Addressed::Not => "not",
        }
    }
}

/// Conditions on a message; all that are set must hold.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailConditions {
    /// The sender is one of these people.
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "crate::rules::one_or_many")]
    pub from: Vec<String>,
    /// Some recipient (To or Cc) is one of these people.
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "crate::rules::one_or_many")]
    pub to: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addressed: Option<Addressed>,
    /// The subject or the body contains one of these words or phrases (whole words).
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "crate::rules::one_or_many")]
    pub words: Vec<String>,
    /// The subject contains one of these words or phrases (whole words).
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "crate::rules::one_or_many")]
    pub subject: Vec<String>,
    /// `true`: sent through a list or as bulk mail (List-Id, List-Unsubscribe, Precedence).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list: Option<bool>,
    /// The List-Id contains one of these.
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "crate::rules::one_or_many")]
    pub list_id: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invitation: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment: Option<bool>,
    /// Marked important by the sender (Importance: high, X-Priority 1-2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub important: Option<bool>,
}

impl MailConditions {
    pub fn is_empty(&self) -> bool {
        *self == MailConditions::default()
    }

    /// Whether every condition set holds, and in words what held ("from @acme.example").
    fn holds(&self, m: &Message, profile: &ExecutiveProfile) -> Option<Vec<String>> {
        let mut why = Vec::new();
        if !self.from.is_empty() {
            let p = self.from.iter().find(|p| Person::read(p).matches(&m.from.address, profile))?;
            why.push(format!("from {p}"));
        }
        if !self.to.is_empty() {
            let p = self
                .to
                .iter()
                .find(|p| m.to.iter().chain(&m.cc).any(|r| Person::read(p).matches(&r.address, profile)))?;
            why.push(format!("to {p}"));
        }
        if let Some(a) = self.addressed {
            if addressed(m, profile) != a {
                return None;
            }
            why.push(format!("addressed {}", a.as_str()));
        }
        if !self.words.is_empty() {
            let w = self.words.iter().find(|w| contains_words(&m.subject, w) || contains_words(&m.body_text, w))?;
            why.push(format!("mentions '{w}'"));
        }
        if !self.subject.is_empty() {
            let w = self.subject.iter().find(|w| contains_words(&m.subject, w))?;
            why.push(format!("'{w}' in the subject"));
        }
        if let Some(want) = self.list {
            if bulk_signal(m).is_some() != want {
                return None;
            }
            why.push(if want { "sent to a list".into() } else { "not sent to a list".into() });
        }
        if !self.list_id.is_empty() {
            let id = m.automation.list_id.as_deref()?;
            let w = self.list_id.iter().find(|w| id.contains(&w.to_ascii_lowercase()))?;
            why.push(format!("List-Id {w}"));
        }
        for (want, has, what) in [
            (self.invitation, m.calendar_method.is_some(), "an invitation"),
            (self.attachment, !m.attachments.is_empty(), "an attachment"),
            (self.important, m.marked_important, "marked important"),
        ] {
            if let Some(want) = want {
                if want != has {
                    return None;
                }
                why.push(if want { what.to_string() } else { format!("not {what}") });
            }
        }
        Some(why)
    }

    fn validate(&self, profile: &ExecutiveProfile) -> Result<(), (String, String)> {
        for (field, people) in [("from", &self.from), ("to", &self.to)] {
            for (i, p) in people.iter().enumerate() {
                crate::rules::check_person(p, profile).map_err(|reason| (format!("{field}[{i}]"), reason))?;
            }
        }
        for (field, words) in [("words", &self.words), ("subject", &self.subject), ("list_id", &self.list_id)] {
            if let Some(i) = words.iter().position(|w| w.trim().is_empty()) {
                return Err((format!("{field}[{i}]"), "an empty word matches everything".into()));
            }
        }
        Ok(())
    }
}

impl TriageRules {
    /// Reads and validates a triage rules document against the executive's profile.
    pub fn from_toml(text: &str, profile: &ExecutiveProfile) -> Result<Self, RulesError> {
        let set = TriageRules { rules: rule_tables(text, "rule")? };
        set.validate(profile)?;
        Ok(set)
    }

    pub fn to_toml(&self) -> String {
        toml::to_string(self).expect("triage rules always serialise")
    }

    pub fn validate(&self, profile: &ExecutiveProfile) -> Result<(), RulesError> {
        for (i, rule) in self.rules.iter().enumerate() {
            let bad = |field: &str, reason: String| RulesError::Invalid {
                index: i + 1,
                name: (!rule.name.trim().is_empty()).then(|| rule.name.clone()),
                field: field.to_string(),
                reason,
            };
            if rule.name.trim().is_empty() {
                return Err(bad("name", "every rule needs a name: the lane's reason quotes it".into()));
            }
            if self.rules[..i].iter().any(|r| r.name.trim().eq_ignore_ascii_case(rule.name.trim())) {
                return Err(bad("name", "another rule has this name; reasons quote it, so names must differ".into()));
            }
            if rule.lane == Lane::Untriaged {
                return Err(bad(
                    "lane",
                    "a rule puts mail in a lane: needs_executive, ep_handles, waiting_on_others, fyi or noise".into(),
                ));
            }
            for (part, conditions) in [("when", Some(&rule.when)), ("unless", rule.unless.as_ref())] {
                if let Some(c) = conditions {
                    c.validate(profile).map_err(|(field, reason)| bad(&format!("{part}.{field}"), reason))?;
                }
            }
        }
        Ok(())
    }

    /// A rule that sends mail from `address` to `lane`, named after them; what an EP's move
    /// becomes when they ask for it to stick. Its name is made unique among the rules.
    pub fn rule_for_sender(&self, address: &str, lane: Lane) -> TriageRule {
        let base = format!("Mail from {address}");
        let mut name = base.clone();
        let mut n = 2;
        while self.rules.iter().any(|r| r.name.eq_ignore_ascii_case(&name)) {
            name = format!("{base} ({n})");
            n += 1;
        }
        TriageRule {
            name,
            enabled: true,
            lane,
            reason: None,
            when: MailConditions { from: vec![address.to_ascii_lowercase()], ..Default::default() },
            unless: None,
        }
    }
}

/// Where triage put a message, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Triage {
    pub lane: Lane,
    pub reason: String,
    pub by: LaneSource,
}

/// Triages one message: the first rule that holds, else the heuristics.
pub fn triage(m: &Message, profile: &ExecutiveProfile, rules: &TriageRules) -> Triage {
    for rule in rules.rules.iter().filter(|r| r.enabled) {
        let Some(why) = rule.when.holds(m, profile) else { continue };
        if rule.unless.as_ref().is_some_and(|u| u.holds(m, profile).is_some()) {
            continue;
        }
        let reason = match &rule.reason {
            Some(r) => format!("rule '{}': {r}", rule.name),
            None if why.is_empty() => format!("rule '{}'", rule.name),
            None => format!("rule '{}': {}", rule.name, why.join(", ")),
        };
        return Triage { lane: rule.lane, reason, by: LaneSource::Rule };
    }
    let (lane, reason) = heuristic(m, profile);
    Triage { lane, reason, by: LaneSource::Heuristic }
}

/// Words that mark an ask as urgent (whole words, subject or the body's opening), unless
/// negated ("nothing urgent").
const URGENT: [&str; 9] = [
    "urgent",
    "asap",
    "as soon as possible",
    "immediately",
    "time-sensitive",
    "time sensitive",
    "eod",
    "end of day",
    "right away",
];

/// Words that, just before an urgency word, say the opposite.
const NEGATIONS: [&str; 6] = ["not", "nothing", "no", "non", "isn't", "never"];

/// A greeting to a group: the executive is one of many readers.
const GROUP_GREETINGS: [&str; 8] =
    ["hi all", "hello all", "hi everyone", "hello everyone", "hi team", "team", "all", "everyone"];

/// The sender says the next step is theirs: the thread waits on them.
const PROMISES: [&str; 8] = [
    "i'll get back to you",
    "will get back to you",
    "i will follow up",
    "i'll follow up",
    "will come back to you",
    "i'll send it",
    "will revert",
    "i'll let you know",
];

/// Words that ask the executive for a decision or a signature.
const DECISION: [&str; 10] = [
    "sign-off",
    "sign off",
    "signature",
    "your approval",
    "approve",
    "decision needed",
    "go/no-go",
    "need your decision",
    "your call",
    "for your review",
];

/// Words of scheduling, which the EP handles for the executive.
const SCHEDULING: [&str; 10] = [
    "reschedule",
    "availability",
    "find a time",
    "find time",
    "a couple of times",
    "schedule a",
    "book a",
    "calendar",
    "minutes next week",
    "20 minutes",
];

/// Local parts of senders no one reads replies at.
const MACHINE_SENDERS: [&str; 8] =
    ["noreply", "no-reply", "donotreply", "do-not-reply", "notifications", "notification", "mailer-daemon", "bounce"];

const WEEKDAYS: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/// The body's opening, where an ask is made; quoted replies further down would mislead.
const OPENING_CHARS: usize = 600;

fn heuristic(m: &Message, profile: &ExecutiveProfile) -> (Lane, String) {
    let who = profile.name.split_whitespace().next().unwrap_or(&profile.name).to_string();
    let ep = profile.assistant.as_ref().map(|a| a.address.as_str());
    if profile.is_self(&m.from.address) {
        return (Lane::WaitingOnOthers, format!("sent by {who}: waiting for a reply"));
    }
    if ep.is_some_and(|a| a.eq_ignore_ascii_case(&m.from.address)) {
        return (Lane::WaitingOnOthers, "sent by the EP on the executive's behalf: waiting for a reply".into());
    }
    if let Some(why) = auto_reply(m) {
        return (Lane::Fyi, format!("an automatic reply ({why})"));
    }
    if m.calendar_method.is_some() {
        return (Lane::EpHandles, "an invitation: the invitation rules answer it".into());
    }
    let groups = profile.groups_of(&m.from.address);
    let vip = groups.iter().find(|g| matches!(g.as_str(), "vip" | "board"));
    if vip.is_none() {
        if let Some(why) = bulk_signal(m) {
            return (Lane::Noise, why);
        }
    }
    let addressing = addressed(m, profile);
    let opening: String = m.body_text.chars().take(OPENING_CHARS).collect();
    let said = |words: &[&str]| -> Option<String> {
        words.iter().find(|w| contains_words(&m.subject, w) || contains_words(&opening, w)).map(|w| w.to_string())
    };
    let urgent = URGENT.iter().find(|w| said_plainly(&m.subject, w) || said_plainly(&opening, w));
    if let Some(g) = vip {
        let sender = m.from.name.as_deref().unwrap_or(&m.from.address);
        return (Lane::NeedsExecutive, format!("from {sender}, in the {g} group"));
    }
    if addressing == Addressed::Direct {
        if m.marked_important {
            return (Lane::NeedsExecutive, "marked important by the sender".into());
        }
        if let Some(w) = urgent {
            return (Lane::NeedsExecutive, format!("urgent: '{w}'"));
        }
        if let Some(w) = said(&DECISION) {
            return (Lane::NeedsExecutive, format!("asks {who} for a decision: '{w}'"));
        }
        if let Some(d) = deadline(&m.subject).or_else(|| deadline(&opening)) {
            return (Lane::NeedsExecutive, format!("a deadline: '{d}'"));
        }
        if let Some(w) = said(&PROMISES) {
            let sender = m.from.name.as_deref().unwrap_or(&m.from.address);
            return (Lane::WaitingOnOthers, format!("{sender} will come back: '{w}'"));
        }
        if let Some(w) = said(&SCHEDULING) {
            return (Lane::EpHandles, format!("about scheduling: '{w}'"));
        }
        if let Some(g) = greeting(&opening).filter(|g| GROUP_GREETINGS.contains(&g.as_str())) {
            return (Lane::Fyi, format!("written to a group: '{g}'"));
        }
    }
    let recipients = m.to.len() + m.cc.len();
    match addressing {
        Addressed::Cc => (Lane::Fyi, format!("{who} is only copied")),
        Addressed::Not => (Lane::Fyi, format!("not addressed to {who} (a list or Bcc)")),
        Addressed::Direct if recipients > 5 => (Lane::Fyi, format!("sent to {recipients} people")),
        Addressed::Direct => (Lane::EpHandles, format!("addressed to {who}, nothing urgent: the EP screens it")),
    }
}

/// Whether `text` says `word` without a negation just before it ("nothing urgent").
fn said_plainly(text: &str, word: &str) -> bool {
    let lower = text.to_lowercase();
    let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
    lower.match_indices(word).any(|(at, _)| {
        let before = lower[..at].chars().next_back();
        let after = lower[at + word.len()..].chars().next();
        if !(boundary(before) && boundary(after)) {
            return false;
        }
        let previous = lower[..at]
            .split_whitespace()
            .next_back()
            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\''));
        !previous.is_some_and(|p| NEGATIONS.contains(&p))
    })
}

/// The greeting line of a body ("Hi all,"), lower-cased without its punctuation.
fn greeting(opening: &str) -> Option<String> {
    let line = opening.lines().map(str::trim).find(|l| !l.is_empty())?;
    let line = line.trim_end_matches([',', '!', ':', '.']).to_lowercase();
    (line.split_whitespace().count() <= 3).then_some(line)
}

fn addressed(m: &Message, profile: &ExecutiveProfile) -> Addressed {
    if m.to.iter().any(|r| profile.is_self(&r.address)) {
        Addressed::Direct
    } else if m.cc.iter().any(|r| profile.is_self(&r.address)) {
        Addressed::Cc
    } else {
        Addressed::Not
    }
}

/// Why a message is bulk or machine mail, if it is.
fn bulk_signal(m: &Message) -> Option<String> {
    let a = &m.automation;
    if let Some(id) = &a.list_id {
        return Some(format!("a mailing list (List-Id {id})"));
    }
    if let Some(p) = a.precedence.as_deref().filter(|p| matches!(*p, "bulk" | "list" | "junk")) {
        return Some(format!("bulk mail (Precedence: {p})"));
    }
    if a.list_unsubscribe {
        return Some("a newsletter (it has List-Unsubscribe)".into());
    }
    if let Some(s) =
        a.auto_submitted.as_deref().filter(|s| s.starts_with("auto-generated") || s.starts_with("auto-notified"))
    {
        return Some(format!("sent by a machine (Auto-Submitted: {s})"));
    }
    let local = m.from.address.split('@').next().unwrap_or("");
    MACHINE_SENDERS
        .iter()
        .find(|s| local == **s || local.starts_with(&format!("{s}+")) || local.starts_with(&format!("{s}-")))
        .map(|s| format!("sent by a machine ({s}@ sender)"))
}

/// Why a message is an automatic reply (a vacation notice), if it is: it answers nothing.
pub fn auto_reply(m: &Message) -> Option<String> {
    let a = &m.automation;
    if a.auto_submitted.as_deref().is_some_and(|s| s.starts_with("auto-replied")) {
        return Some("Auto-Submitted: auto-replied".into());
    }
    if a.auto_reply_header {
        return Some("X-Autoreply".into());
    }
    let subject = m.subject.to_lowercase();
    ["automatic reply:", "auto reply:", "autoreply:", "out of office", "out of the office"]
        .iter()
        .find(|p| subject.starts_with(**p) || subject.contains(&format!(" {p}")))
        .map(|p| format!("'{}' in the subject", p.trim_end_matches(':')))
}

/// A deadline stated in `text`: "by Thursday", "by end of week", "before Friday noon",
/// "deadline", "due 3 December". Returns the words as written, for the reason.
fn deadline(text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower.split(|c: char| c.is_whitespace()).filter(|w| !w.is_empty()).collect();
    let clean = |w: &str| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string();
    for (i, w) in words.iter().enumerate() {
        let w = clean(w);
        if w == "deadline" {
            return Some("deadline".into());
        }
        if !matches!(w.as_str(), "by" | "before" | "due" | "until") {
            continue;
        }
        let next: Vec<String> = words[i + 1..].iter().take(3).map(|w| clean(w)).collect();
        let Some(first) = next.first() else { continue };
        let day = WEEKDAYS.iter().any(|d| first == d || (first.len() == 3 && d.starts_with(first.as_str())));
        let end_of = first == "end" && next.get(1).is_some_and(|x| x == "of");
        let soon =
            matches!(first.as_str(), "today" | "tomorrow" | "tonight" | "noon" | "eod" | "eow" | "cob" | "close");
        let date = first.chars().next().is_some_and(|c| c.is_ascii_digit()) && next.len() > 1;
        if day || end_of || soon || date {
            let take = if end_of {
                3
            } else if date && !day {
                2
            } else {
                1
            };
            return Some(format!("{w} {}", next.iter().take(take).cloned().collect::<Vec<_>>().join(" ")));
        }
    }
    None
}

#[cfg(test)]
mod tests;
