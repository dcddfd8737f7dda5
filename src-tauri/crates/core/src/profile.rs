//! The executive profile: who the executive is and how their time works.
//!
//! It is a TOML document because people read and edit it (the EP in the app's editor, an admin
//! with a text editor, the CLI with `tandem profile show`). Everything the rules and the
//! scheduler need to know about the executive lives here: zones, working hours, focus time,
//! buffers, the domains that count as "us", and named groups of people.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{NaiveTime, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// What is wrong with a profile document, and where.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum ProfileError {
    #[error("profile is not valid TOML: {0}")]
    Syntax(String),
    #[error("profile field `{field}`: {reason}")]
    Invalid { field: String, reason: String },
}

fn invalid(field: impl Into<String>, reason: impl Into<String>) -> ProfileError {
    ProfileError::Invalid { field: field.into(), reason: reason.into() }
}

/// A local time range within one day, written `"09:00-17:30"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DayRange {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl TryFrom<String> for DayRange {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        let (a, b) = s.split_once('-').ok_or_else(|| format!("'{s}' is not a range like \"09:00-17:30\""))?;
        let parse = |t: &str| {
            NaiveTime::parse_from_str(t.trim(), "%H:%M")
                .map_err(|_| format!("'{}' is not a time like \"09:00\"", t.trim()))
        };
        let (start, end) = (parse(a)?, parse(b)?);
        if end <= start {
            return Err(format!("'{s}' ends before it starts"));
        }
        Ok(Self { start, end })
    }
}

impl From<DayRange> for String {
    fn from(r: DayRange) -> String {
        r.to_string()
    }
}

impl fmt::Display for DayRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.start.format("%H:%M"), self.end.format("%H:%M"))
    }
}

/// Working hours per weekday; a missing day is a day off.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkingHours {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mon: Option<DayRange>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tue: Option<DayRange>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wed: Option<DayRange>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thu: Option<DayRange>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fri: Option<DayRange>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sat: Option<DayRange>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sun: Option<DayRange>,
}

impl WorkingHours {
    pub fn on(&self, day: Weekday) -> Option<DayRange> {
        match day {
            Weekday::Mon => self.mon,
            Weekday::Tue => self.tue,
            Weekday::Wed => self.wed,
            Weekday::Thu => self.thu,
            Weekday::Fri => self.fri,
            Weekday::Sat => self.sat,
            Weekday::Sun => self.sun,
        }
    }
}

/// Protected time the executive keeps for thinking, e.g. "Deep work, Mon/Wed 07:30-09:00".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FocusBlock {
    pub label: String,
    /// Days as three-letter names: `mon` ... `sun`.
    pub days: Vec<String>,
    pub time: DayRange,
}

impl FocusBlock {
    pub fn applies_on(&self, day: Weekday) -> bool {
        self.days.iter().any(|d| parse_weekday(d) == Some(day))
    }
}

/// Minutes kept free around meetings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Buffers {
    #[serde(default)]
    pub before_minutes: u32,
    #[serde(default)]
    pub after_minutes: u32,
}

/// A stretch of days the executive spends in one zone, stated by the EP (an itinerary entry).
/// It wins over what flights and hotels in the calendars suggest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stay {
    /// First day, inclusive.
    pub from: chrono::NaiveDate,
    /// Last day, inclusive.
    pub to: chrono::NaiveDate,
    pub time_zone: Tz,
    /// Where, for the day header ("London").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
}

/// The executive partner who acts for the executive; named on what Tandem sends for them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assistant {
    pub name: String,
    pub address: String,
}

/// How mail Tandem sends for the executive is addressed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SendAs {
    /// From the executive, with the EP as Sender and as SENT-BY on the iTIP property: the
    /// usual delegate arrangement (Outlook's "on behalf of").
    #[default]
    OnBehalf,
    /// From the executive alone: the EP's account has send-as rights, and nothing names them.
    AsExecutive,
}

/// The executive profile document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExecutiveProfile {
    /// A short stable identifier: lower-case letters, digits and dashes.
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The executive's own addresses: the first is the primary one.
    pub addresses: Vec<String>,
    pub home_time_zone: Tz,
    /// Domains that count as internal; subdomains count too (`eu.northwind.example`).
    #[serde(default)]
    pub our_domains: Vec<String>,
    #[serde(default)]
    pub working_hours: WorkingHours,
    #[serde(default)]
    pub focus_blocks: Vec<FocusBlock>,
    #[serde(default)]
    pub buffers: Buffers,
    /// Named groups of people (`vip`, `board`, `directs`...). A member is an address, or
    /// `@domain` for everyone at a domain.
    #[serde(default)]
    pub groups: BTreeMap<String, Vec<String>>,
    /// The itinerary: where the executive is on which days, when the calendars do not say.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub itinerary: Vec<Stay>,
    /// Minutes before a meeting to remind the EP when its calendar file sets no alarm of its
    /// own (a VALARM always wins); none means only the files' alarms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminder_minutes: Option<u32>,
    /// The EP, when Tandem sends replies and invitations for the executive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assistant: Option<Assistant>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub send_as: SendAs,
    /// Lunch, kept free when it can be.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lunch: Option<DayRange>,
    /// Days kept free of meetings (`mon`..`sun`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub no_meeting_days: Vec<String>,
    /// The most meetings the executive wants in a day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_meetings_per_day: Option<u32>,
    /// Minutes to get between in-person meetings at different places (default 30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub travel_minutes: Option<u32>,
    /// The scheduler moves nothing that starts within this many hours (default 2): the
    /// attendees have planned around it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_moves_within_hours: Option<u32>,
}

fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

/// The longest default reminder lead: a week.
pub const MAX_REMINDER_MINUTES: u32 = 7 * 24 * 60;

pub fn parse_weekday(s: &str) -> Option<Weekday> {
    match s.to_ascii_lowercase().as_str() {
        "mon" => Some(Weekday::Mon),
        "tue" => Some(Weekday::Tue),
        "wed" => Some(Weekday::Wed),
        "thu" => Some(Weekday::Thu),
        "fri" => Some(Weekday::Fri),
        "sat" => Some(Weekday::Sat),
        "sun" => Some(Weekday::Sun),
        _ => None,
    }
}

/// "Monday".."Sunday".
pub fn weekday_name(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

fn domain_of(address: &str) -> Option<&str> {
    address.rsplit_once('@').map(|(_, d)| d)
}

/// `domain` is `base` or one of its subdomains, compared case-insensitively.
fn domain_matches(domain: &str, base: &str) -> bool {
    let (domain, base) = (domain.to_ascii_lowercase(), base.trim_start_matches('@').to_ascii_lowercase());
    domain == base || domain.ends_with(&format!(".{base}"))
}

/// `address` is at `domain` or one of its subdomains (`@domain` accepted), case-insensitively.
pub(crate) fn address_in_domain(address: &str, domain: &str) -> bool {
    domain_of(address).is_some_and(|d| domain_matches(d, domain))
}

impl ExecutiveProfile {
    /// Reads and validates a profile document.
    pub fn from_toml(text: &str) -> Result<Self, ProfileError> {
        let profile: Self = toml::from_str(text).map_err(|e| describe_toml_error(text, &e))?;
        profile.validate()?;
        Ok(profile)
    }

    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).expect("a profile always serialises")
    }

    pub fn validate(&self) -> Result<(), ProfileError> {
        if self.id.is_empty() || !self.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
            return Err(invalid("id", format!("'{}' must be lower-case letters, digits and dashes", self.id)));
        }
        if self.name.trim().is_empty() {
            return Err(invalid("name", "must not be empty"));
        }
        if self.reminder_minutes.is_some_and(|m| m > MAX_REMINDER_MINUTES) {
            return Err(invalid("reminder_minutes", format!("must be at most {MAX_REMINDER_MINUTES} (a week)")));
        }
        for (i, stay) in self.itinerary.iter().enumerate() {
            if stay.to < stay.from {
                return Err(invalid(
                    format!("itinerary[{i}]"),
                    format!("ends ({}) before it starts ({})", stay.to, stay.from),
                ));
            }
        }
        if let Some(a) = &self.assistant {
            if !looks_like_address(&a.address) {
                return Err(invalid("assistant.address", format!("'{}' is not an e-mail address", a.address)));
            }
            if a.name.trim().is_empty() {
                return Err(invalid("assistant.name", "must not be empty"));
            }
        }
        if self.addresses.is_empty() {
            return Err(invalid("addresses", "needs at least the executive's primary address"));
        }
        for (i, a) in self.addresses.iter().enumerate() {
            if !looks_like_address(a) {
                return Err(invalid(format!("addresses[{i}]"), format!("'{a}' is not an e-mail address")));
            }
        }
        for (i, d) in self.our_domains.iter().enumerate() {
            if d.is_empty() || d.contains('@') || d.contains(' ') {
                return Err(invalid(format!("our_domains[{i}]"), format!("'{d}' is not a domain name")));
            }
        }
        if let Some(bad) = self.no_meeting_days.iter().find(|d| parse_weekday(d).is_none()) {
            return Err(invalid("no_meeting_days", format!("'{bad}' is not one of mon..sun")));
        }
        if self.max_meetings_per_day == Some(0) {
            return Err(invalid("max_meetings_per_day", "must be at least 1 (use no_meeting_days for days off)"));
        }
        for (i, f) in self.focus_blocks.iter().enumerate() {
            if f.days.is_empty() {
                return Err(invalid(format!("focus_blocks[{i}].days"), "must name at least one day"));
            }
            if let Some(bad) = f.days.iter().find(|d| parse_weekday(d).is_none()) {
                return Err(invalid(format!("focus_blocks[{i}].days"), format!("'{bad}' is not one of mon..sun")));
            }
        }
        for (group, members) in &self.groups {
            for (i, m) in members.iter().enumerate() {
                let ok = match m.strip_prefix('@') {
                    Some(domain) => !domain.is_empty() && !domain.contains('@'),
                    None => looks_like_address(m),
                };
                if !ok {
                    return Err(invalid(
                        format!("groups.{group}[{i}]"),
                        format!("'{m}' is neither an address nor @domain"),
                    ));
                }
            }
        }
        Ok(())
    }

    pub fn primary_address(&self) -> &str {
        &self.addresses[0]
    }

    /// Whether `address` is one of the executive's own.
    pub fn is_self(&self, address: &str) -> bool {
        self.addresses.iter().any(|a| a.eq_ignore_ascii_case(address))
    }

    /// Internal = at one of `our_domains` or a subdomain of one.
    pub fn is_internal(&self, address: &str) -> bool {
        domain_of(address).is_some_and(|d| self.our_domains.iter().any(|base| domain_matches(d, base)))
    }

    /// The names of the groups `address` belongs to, in name order. `external` is implied for
    /// anyone not internal.
    pub fn groups_of(&self, address: &str) -> Vec<String> {
        let mut out: Vec<String> = self
            .groups
            .iter()
            .filter(|(_, members)| {
                members.iter().any(|m| match m.strip_prefix('@') {
                    Some(domain) => address_in_domain(address, domain),
                    None => m.eq_ignore_ascii_case(address),
                })
            })
            .map(|(name, _)| name.clone())
            .collect();
        if !self.our_domains.is_empty() && !self.is_internal(address) {
            out.push("external".to_string());
        }
        out
    }
}

/// Turns a TOML error into one that names the field (`working_hours.fri`) and its line, the way
/// the EP thinks of the profile, rather than a parser's caret diagram.
fn describe_toml_error(text: &str, e: &toml::de::Error) -> ProfileError {
    let message = e.message().trim().to_string();
    let Some(span) = e.span() else { return ProfileError::Syntax(message) };
    let before = &text[..span.start.min(text.len())];
    let line_no = before.matches('\n').count() + 1;
    let line = text.lines().nth(line_no - 1).unwrap_or("");
    let table = before
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('[') && l.ends_with(']'))
        .map(|l| l.trim_matches(|c| c == '[' || c == ']').to_string());
    match line.split_once('=') {
        Some((key, _)) if !line.trim_start().starts_with('[') => {
            let key = key.trim().trim_matches('"');
            let field = match table {
                Some(t) => format!("{t}.{key}"),
                None => key.to_string(),
            };
            invalid(field, format!("{message} (line {line_no})"))
        }
        _ => ProfileError::Syntax(format!("line {line_no}: {message}")),
    }
}

pub(crate) fn looks_like_address(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => !local.is_empty() && domain.contains('.') && !s.contains(char::is_whitespace),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"
id = "dana-okafor"
name = "Dana Okafor"
addresses = ["dana@northwind.example"]
home_time_zone = "America/New_York"
our_domains = ["northwind.example"]

[working_hours]
mon = "08:30-18:00"
fri = "08:30-13:00"

[[focus_blocks]]
label = "Deep work"
days = ["mon", "wed"]
time = "07:30-08:30"

[buffers]
before_minutes = 5

[groups]
vip = ["chair@board.example", "@bigcustomer.example"]
board = ["chair@board.example"]
"#;

    #[test]
    fn a_profile_document_round_trips_through_toml() {
        let p = ExecutiveProfile::from_toml(DOC).unwrap();
        assert_eq!(p.working_hours.on(Weekday::Fri).unwrap().to_string(), "08:30-13:00");
        assert_eq!(p.working_hours.on(Weekday::Sat), None);
        assert!(p.focus_blocks[0].applies_on(Weekday::Wed));
        let again = ExecutiveProfile::from_toml(&p.to_toml()).unwrap();
        assert_eq!(again, p);
    }

    #[test]
    fn groups_match_addresses_and_domains_case_insensitively_and_mark_outsiders_external() {
        let p = ExecutiveProfile::from_toml(DOC).unwrap();
        assert_eq!(p.groups_of("Chair@Board.example"), ["board", "vip", "external"]);
        assert_eq!(p.groups_of("ceo@eu.bigcustomer.example"), ["vip", "external"]);
        assert!(p.groups_of("ops@northwind.example").is_empty());
        assert!(p.is_internal("someone@EU.Northwind.example"));
        assert!(!p.is_internal("someone@northwind.example.evil.com"));
    }

    #[test]
    fn an_invalid_working_hours_range_names_the_field() {
        let bad = DOC.replace("08:30-13:00", "13:00-08:30");
        let err = ExecutiveProfile::from_toml(&bad).unwrap_err();
        assert_eq!(
            err,
            ProfileError::Invalid {
                field: "working_hours.fri".into(),
                reason: "'13:00-08:30' ends before it starts (line 10)".into()
            }
        );
    }

    #[test]
    fn a_default_reminder_longer_than_a_week_is_refused_naming_the_field() {
        let week = ExecutiveProfile::from_toml(&format!("reminder_minutes = 10080\n{DOC}")).unwrap();
        assert_eq!(week.reminder_minutes, Some(10_080));
        let err = ExecutiveProfile::from_toml(&format!("reminder_minutes = 10081\n{DOC}")).unwrap_err();
        assert!(matches!(&err, ProfileError::Invalid { field, .. } if field == "reminder_minutes"), "{err}");
    }

    #[test]
    fn an_unknown_zone_is_rejected() {
        let err = ExecutiveProfile::from_toml(&DOC.replace("America/New_York", "Mars/Olympus")).unwrap_err();
        assert!(matches!(&err, ProfileError::Invalid { field, .. } if field == "home_time_zone"), "{err}");
    }

    #[test]
    fn a_syntax_error_names_its_field_or_line() {
        let err = ExecutiveProfile::from_toml("id = \"x\"\nname = \n").unwrap_err();
        assert!(
            matches!(&err, ProfileError::Invalid { field, reason } if field == "name" && reason.ends_with("(line 2)")),
            "{err}"
        );
        let err = ExecutiveProfile::from_toml("id = \"x\"\n[[[\n").unwrap_err();
        assert!(matches!(&err, ProfileError::Syntax(m) if m.starts_with("line 2")), "{err}");
    }

    #[test]
    fn a_bad_group_member_names_the_group_and_index() {
        let err =
            ExecutiveProfile::from_toml(&DOC.replace("\"@bigcustomer.example\"", "\"not an address\"")).unwrap_err();
        assert_eq!(
            err,
            ProfileError::Invalid {
                field: "groups.vip[1]".into(),
                reason: "'not an address' is neither an address nor @domain".into()
            }
        );
    }
}
