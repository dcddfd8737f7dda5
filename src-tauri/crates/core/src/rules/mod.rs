//! The EP's invitation rules: an ordered list, first match wins.
//!
//! Rules are a TOML document per executive, written by hand or by the rules editor (which
//! writes the same document), so they read the way an EP says them:
//!
//! ```toml
//! [[rule]]
//! name = "Protect Friday afternoons"
//! action = "decline"
//! message = "Dana keeps Friday afternoons for planning; could we find another time?"
//! reason = "Friday after 13:00 is protected"
//! when = { weekdays = ["fri"], time = "13:00-24:00" }
//! unless = { organizer = ["vip"] }
//! ```
//!
//! - `when` holds when every condition in it holds (an empty `when` always holds);
//!   `unless` (same conditions) stops the rule when every condition in it holds.
//! - `set_priority` is not final: it sets the invitation's tier and evaluation goes on.
//! - No rule matches: the invitation is held for the EP's review.
//!
//! People are named by address (`ceo@acme.example`), domain (`@acme.example`, subdomains
//! included), a group of the profile (`vip`, `board`...), or `internal` / `external` (at one
//! of the profile's domains or not).
//!
//! A document that does not validate is refused as a whole with an error naming the rule and
//! the field; the caller keeps the rules in force (see [`RulesError`]).

mod evaluate;
mod slot;

use std::fmt;

use chrono::Weekday;
use serde::{Deserialize, Serialize};

pub use evaluate::{evaluate, tier_of, Commitment, Situation, Verdict, CONFLICT_HORIZON_DAYS};
pub use slot::{best_free_slot, SLOT_SEARCH_DAYS};

use crate::decision::DecisionAction;
use crate::profile::{parse_weekday, ExecutiveProfile};
use crate::tier::Tier;

/// What is wrong with a rules document, and where.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RulesError {
    /// Not TOML at all; names the line.
    #[error("rules are not valid TOML: {0}")]
    Syntax(String),
    /// One rule is wrong: which (by position, 1-based, and name when it has one) and which field.
    #[error("rule {index}{}: `{field}`: {reason}", name.as_ref().map(|n| format!(" '{n}'")).unwrap_or_default())]
    Invalid { index: usize, name: Option<String>, field: String, reason: String },
    /// Something outside any one rule (an unknown top-level key).
    #[error("rules: `{field}`: {reason}")]
    Document { field: String, reason: String },
}

/// The ordered rules of one executive.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSet {
    #[serde(default, rename = "rule", skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<Rule>,
}

/// One rule: conditions and what to do when they hold.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub name: String,
    /// A rule can be switched off without losing it.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub enabled: bool,
    pub action: DecisionAction,
    /// Why, in the EP's words ("Friday after 13:00 is protected"); without it the reason is
    /// built from the conditions that held.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The note sent with the reply (decline, counter, delegate, accept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// `delegate`: who attends instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delegate_to: Option<String>,
    /// `set_priority`: the tier given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<Tier>,
    #[serde(default, skip_serializing_if = "Conditions::is_empty")]
    pub when: Conditions,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unless: Option<Conditions>,
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

/// Conditions on an invitation; all that are set must hold.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Conditions {
    /// The organizer is one of these people.
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "one_or_many")]
    pub organizer: Vec<String>,
    /// Some other attendee is one of these people.
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "one_or_many")]
    pub attendee: Vec<String>,
    /// The title contains one of these words or phrases (case-insensitive, whole words).
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "one_or_many")]
    pub title: Vec<String>,
    /// The invitation sits in one of these calendars (mail invitations are in "Invitations").
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "one_or_many")]
    pub calendar: Vec<String>,
    /// It is on one of these days (`mon`..`sun`), in the zone the executive is in that day.
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "one_or_many")]
    pub weekdays: Vec<String>,
    /// It overlaps this local time of day (`"13:00-24:00"`), where the executive is that day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<ClockRange>,
    /// `true`: some of it falls outside the day's working hours (or on a day off).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outside_working_hours: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_minutes: Option<Bounds>,
    /// Hours between now and the start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead_hours: Option<Bounds>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recurring: Option<bool>,
    /// Everyone invited, the executive and organizer included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attendee_count: Option<Bounds>,
    /// The executive's role in the invitation.
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "one_or_many")]
    pub role: Vec<InviteeRole>,
    /// It clashes with one of these: `anything`, `busy` (firmly), a tier (`P0`..`P3`),
    /// `focus` (a focus block), `buffers` (the profile's buffer around a meeting).
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "one_or_many")]
    pub conflicts_with: Vec<ConflictWith>,
    /// `true`: it is in person (a place, not a video link) in a different zone from where the
    /// executive is that day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_person_elsewhere: Option<bool>,
}

impl Conditions {
    pub fn is_empty(&self) -> bool {
        *self == Conditions::default()
    }
}

/// The executive's role among the attendees.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InviteeRole {
    Required,
    Optional,
    Chair,
}

impl InviteeRole {
    fn as_str(self) -> &'static str {
        match self {
            InviteeRole::Required => "required",
            InviteeRole::Optional => "optional",
            InviteeRole::Chair => "chair",
        }
    }
}

/// What an invitation may clash with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum ConflictWith {
    /// Anything that holds time, firmly or tentatively.
    Anything,
    /// A meeting that holds time firmly.
    Busy,
    /// A meeting of this tier.
    Tier(Tier),
    Focus,
    Buffers,
}

impl TryFrom<String> for ConflictWith {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "anything" => Ok(ConflictWith::Anything),
            "busy" => Ok(ConflictWith::Busy),
            "focus" => Ok(ConflictWith::Focus),
            "buffers" => Ok(ConflictWith::Buffers),
            other => Tier::parse(other)
                .map(ConflictWith::Tier)
                .ok_or_else(|| format!("'{s}' is not one of anything, busy, focus, buffers, P0, P1, P2, P3")),
        }
    }
}

impl From<ConflictWith> for String {
    fn from(c: ConflictWith) -> String {
        match c {
            ConflictWith::Anything => "anything".into(),
            ConflictWith::Busy => "busy".into(),
            ConflictWith::Tier(t) => t.as_str().into(),
            ConflictWith::Focus => "focus".into(),
            ConflictWith::Buffers => "buffers".into(),
        }
    }
}

/// A local time range within a day, `"13:00-24:00"`: minutes from midnight, end exclusive.
/// Unlike the profile's working hours it may end at 24:00, because "Friday afternoon" runs
/// to the end of the day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ClockRange {
    pub start_minute: u32,
    pub end_minute: u32,
}

impl TryFrom<String> for ClockRange {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        let (a, b) = s.split_once('-').ok_or_else(|| format!("'{s}' is not a range like \"13:00-24:00\""))?;
        let parse = |t: &str| -> Result<u32, String> {
            let t = t.trim();
            let bad = || format!("'{t}' is not a time like \"13:00\"");
            let (h, m) = t.split_once(':').ok_or_else(bad)?;
            let (h, m): (u32, u32) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
            if m >= 60 || h * 60 + m > 24 * 60 || m > 0 && h == 24 {
                return Err(bad());
            }
            Ok(h * 60 + m)
        };
        let (start_minute, end_minute) = (parse(a)?, parse(b)?);
        if end_minute <= start_minute {
            return Err(format!("'{s}' ends before it starts"));
        }
        Ok(Self { start_minute, end_minute })
    }
}

impl From<ClockRange> for String {
    fn from(r: ClockRange) -> String {
        r.to_string()
    }
}

impl fmt::Display for ClockRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hm = |m: u32| format!("{:02}:{:02}", m / 60, m % 60);
        write!(f, "{}-{}", hm(self.start_minute), hm(self.end_minute))
    }
}

/// Inclusive bounds on a number: `{ min = 10 }`, `{ max = 24 }`, or both.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bounds {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
}

impl Bounds {
    pub fn holds(&self, value: f64) -> bool {
        self.min.is_none_or(|m| value >= f64::from(m)) && self.max.is_none_or(|m| value <= f64::from(m))
    }
}

/// Lets a one-item list be written as the item: `weekdays = "fri"`. Every list condition
/// holds strings, so a single value is a string; a visitor (rather than an untagged enum)
/// keeps the item's own error ("'P9' is not one of ...") and its index in the path.
pub(crate) fn one_or_many<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct OneOrMany<T>(std::marker::PhantomData<T>);
    impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for OneOrMany<T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string or a list of strings")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Vec<T>, E> {
            use serde::de::IntoDeserializer;
            Ok(vec![T::deserialize(v.into_deserializer())?])
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let mut out = Vec::new();
            while let Some(item) = seq.next_element()? {
                out.push(item);
            }
            Ok(out)
        }
    }
    d.deserialize_any(OneOrMany(std::marker::PhantomData))
}

/// A person pattern as written in a rule, resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Person {
    Address(String),
    Domain(String),
    Group(String),
    Internal,
    External,
}

impl Person {
    pub(crate) fn read(s: &str) -> Person {
        let s = s.trim();
        match s.to_ascii_lowercase().as_str() {
            "internal" => Person::Internal,
            "external" => Person::External,
            lower if lower.starts_with('@') => Person::Domain(lower[1..].to_string()),
            lower if lower.contains('@') => Person::Address(lower.trim_start_matches("mailto:").to_string()),
            lower => Person::Group(lower.to_string()),
        }
    }

    pub(crate) fn matches(&self, address: &str, profile: &ExecutiveProfile) -> bool {
        match self {
            Person::Address(a) => a.eq_ignore_ascii_case(address),
            Person::Domain(d) => crate::profile::address_in_domain(address, d),
            Person::Group(g) => profile.groups_of(address).iter().any(|x| x.eq_ignore_ascii_case(g)),
            Person::Internal => profile.is_internal(address),
            Person::External => !profile.is_internal(address),
        }
    }
}

impl RuleSet {
    /// Reads and validates a rules document against the executive's profile (group names
    /// must exist in it).
    pub fn from_toml(text: &str, profile: &ExecutiveProfile) -> Result<Self, RulesError> {
        let set = RuleSet { rules: rule_tables(text, "rule")? };
        set.validate(profile)?;
        Ok(set)
    }

    /// The document the rules editor saves: the same shape an EP writes by hand.
    pub fn to_toml(&self) -> String {
        toml::to_string(self).expect("rules always serialise")
    }

    /// Checks what the types cannot: names, groups, addresses, what each action needs.
    pub fn validate(&self, profile: &ExecutiveProfile) -> Result<(), RulesError> {
        for (i, rule) in self.rules.iter().enumerate() {
            let bad = |field: &str, reason: String| RulesError::Invalid {
                index: i + 1,
                name: (!rule.name.trim().is_empty()).then(|| rule.name.clone()),
                field: field.to_string(),
                reason,
            };
            if rule.name.trim().is_empty() {
                return Err(bad("name", "every rule needs a name: decisions quote it".into()));
            }
            if self.rules[..i].iter().any(|r| r.name.trim().eq_ignore_ascii_case(rule.name.trim())) {
                return Err(bad("name", "another rule has this name; decisions quote it, so names must differ".into()));
            }
            match rule.action {
                DecisionAction::Delegate => match rule.delegate_to.as_deref() {
                    None => return Err(bad("delegate_to", "a delegate rule needs the address to delegate to".into())),
                    Some(a) if !crate::profile::looks_like_address(a) => {
                        return Err(bad("delegate_to", format!("'{a}' is not an e-mail address")))
                    }
                    Some(_) => {}
                },
                DecisionAction::SetPriority if rule.tier.is_none() => {
                    return Err(bad("tier", "a set_priority rule needs the tier to set (P0..P3)".into()))
                }
                _ => {}
            }
            if rule.delegate_to.is_some() && rule.action != DecisionAction::Delegate {
                return Err(bad(
                    "delegate_to",
                    format!("only a delegate rule delegates; this one is {}", rule.action.as_str()),
                ));
            }
            if rule.tier.is_some() && rule.action != DecisionAction::SetPriority {
                return Err(bad(
                    "tier",
                    format!("only a set_priority rule sets a tier; this one is {}", rule.action.as_str()),
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
}

/// Reads a document that holds only `[[key]]` tables, each a rule of type `R`; an error names
/// the line (TOML syntax) or the rule and the field. Shared by the invitation rules and the
/// mail triage rules, so both report mistakes the same way.
pub(crate) fn rule_tables<R: serde::de::DeserializeOwned>(text: &str, key: &str) -> Result<Vec<R>, RulesError> {
    let doc: toml::Table = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
        RulesError::Syntax(match line {
            Some(l) => format!("line {l}: {}", e.message().trim()),
            None => e.message().trim().to_string(),
        })
    })?;
    if let Some(other) = doc.keys().find(|k| *k != key) {
        return Err(RulesError::Document {
            field: other.clone(),
            reason: format!("unknown key: this document holds only [[{key}]] tables"),
        });
    }
    let mut rules = Vec::new();
    if let Some(list) = doc.get(key) {
        let toml::Value::Array(items) = list else {
            return Err(RulesError::Document {
                field: key.into(),
                reason: format!("must be a list of tables, written [[{key}]]"),
            });
        };
        for (i, item) in items.iter().enumerate() {
            let name = item.get("name").and_then(|n| n.as_str()).map(String::from);
            let rule: R = serde_path_to_error::deserialize(item.clone()).map_err(|e| {
                let path = e.path().to_string();
                let reason = e.into_inner().message().trim().to_string();
                RulesError::Invalid { index: i + 1, name: name.clone(), field: field_of(&path, &reason), reason }
            })?;
            rules.push(rule);
        }
    }
    Ok(rules)
}

/// Whether `text` contains `phrase` as whole words, case-insensitively ("1:1" in "Dana / Lee 1:1").
pub(crate) fn contains_words(text: &str, phrase: &str) -> bool {
    let (title, phrase) = (text.to_lowercase(), phrase.trim().to_lowercase());
    if phrase.is_empty() {
        return false;
    }
    let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
    title
        .match_indices(&phrase)
        .any(|(at, _)| boundary(title[..at].chars().next_back()) && boundary(title[at + phrase.len()..].chars().next()))
}

/// The field an error is about: the path, and for an unknown or missing field that serde
/// reports at the table holding it, the field's own name too.
fn field_of(path: &str, reason: &str) -> String {
    let named = ["unknown field `", "missing field `"]
        .iter()
        .find_map(|p| reason.strip_prefix(p))
        .and_then(|rest| rest.split_once('`'))
        .map(|(name, _)| name);
    match (path, named) {
        (".", Some(name)) => name.to_string(),
        (".", None) => "rule".to_string(),
        (path, Some(name)) if !path.ends_with(name) => format!("{path}.{name}"),
        (path, _) => path.to_string(),
    }
}

/// Checks a person pattern as written in a rule: an address, an @domain, `internal`,
/// `external`, or a group the profile has.
pub(crate) fn check_person(p: &str, profile: &ExecutiveProfile) -> Result<(), String> {
    match Person::read(p) {
        Person::Group(g) if !profile.groups.keys().any(|k| k.eq_ignore_ascii_case(&g)) => {
            let known: Vec<&str> = profile.groups.keys().map(String::as_str).collect();
            Err(format!(
                "'{p}' is not an address, an @domain, internal, external or a group of the profile ({})",
                if known.is_empty() { "it has none".to_string() } else { known.join(", ") }
            ))
        }
        Person::Address(a) if !crate::profile::looks_like_address(&a) => Err(format!("'{p}' is not an e-mail address")),
        Person::Domain(d) if d.is_empty() || d.contains('@') || !d.contains('.') => {
            Err(format!("'{p}' is not @ and a domain name"))
        }
        _ => Ok(()),
    }
}

impl Conditions {
    fn validate(&self, profile: &ExecutiveProfile) -> Result<(), (String, String)> {
        for (field, people) in [("organizer", &self.organizer), ("attendee", &self.attendee)] {
            for (i, p) in people.iter().enumerate() {
                check_person(p, profile).map_err(|reason| (format!("{field}[{i}]"), reason))?;
            }
        }
        for (i, w) in self.title.iter().enumerate() {
            if w.trim().is_empty() {
                return Err((format!("title[{i}]"), "an empty word matches every title".into()));
            }
        }
        for (i, d) in self.weekdays.iter().enumerate() {
            if parse_weekday(d.trim()).is_none() {
                return Err((
                    format!("weekdays[{i}]"),
                    format!("'{d}' is not one of mon, tue, wed, thu, fri, sat, sun"),
                ));
            }
        }
        for (field, b) in [
            ("duration_minutes", self.duration_minutes),
            ("lead_hours", self.lead_hours),
            ("attendee_count", self.attendee_count),
        ] {
            if let Some(Bounds { min: Some(lo), max: Some(hi) }) = b {
                if lo > hi {
                    return Err((field.into(), format!("min {lo} is above max {hi}: nothing can match")));
                }
            }
            if b == Some(Bounds::default()) {
                return Err((field.into(), "give min, max or both".into()));
            }
        }
        Ok(())
    }

    pub(crate) fn weekday_set(&self) -> Vec<Weekday> {
        self.weekdays.iter().filter_map(|d| parse_weekday(d.trim())).collect()
    }
}

#[cfg(test)]
mod tests;
