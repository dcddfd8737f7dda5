//! Calendars, events and occurrences.
//!
//! An [`Event`] is what a calendar file says (a VEVENT: a single meeting, a recurring series'
//! master, or an override of one instance). An [`Occurrence`] is one concrete meeting on the
//! timeline, produced by [`expand`] for a window and de-duplicated across calendars by [`merge`].

pub mod conflict;
pub mod expand;
pub mod freebusy;
pub mod merge;
pub mod merge3;
pub mod reminder;
mod simple_rule;
pub mod travel;

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::time::resolve_local;

/// The store's identifier of a calendar.
pub type CalendarId = i64;

/// One of an executive's calendars (work, board, personal, a subscription...).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Calendar {
    pub id: CalendarId,
    pub name: String,
    /// A CSS colour, e.g. `#2f6fde`.
    pub color: String,
    /// Shown in the views. A hidden calendar still counts for travel and free/busy: hiding
    /// declutters the view, it does not make the executive free.
    pub visible: bool,
}

/// A date or date-time value as iCalendar writes it. The four forms behave differently and are
/// kept apart rather than normalised, because normalising loses what the organiser meant: a
/// floating 09:00 is 09:00 wherever the executive is, a zoned 09:00 is not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventTime {
    /// `VALUE=DATE`: an all-day value.
    Date { date: NaiveDate },
    /// No zone at all: the same wall-clock time in whatever zone it is viewed from.
    Floating { local: NaiveDateTime },
    /// A wall-clock time in a named IANA zone (`TZID=`).
    Zoned { local: NaiveDateTime, zone: Tz },
    /// An absolute instant (`...Z`).
    Utc { instant: DateTime<Utc> },
}

impl EventTime {
    /// The instant this value denotes. Dates and floating times have no zone of their own, so they
    /// are placed in `placement` (the zone the executive views the calendar from).
    pub fn to_utc(&self, placement: Tz) -> DateTime<Utc> {
        match *self {
            EventTime::Date { date } => resolve_local(placement, date.and_time(chrono::NaiveTime::MIN)),
            EventTime::Floating { local } => resolve_local(placement, local),
            EventTime::Zoned { local, zone } => resolve_local(zone, local),
            EventTime::Utc { instant } => instant,
        }
    }

    /// The same kind of value at the instant `t`: a zoned time keeps its zone (and reads `t`'s
    /// wall clock there), UTC stays UTC, a floating time or a date takes what `t` reads in
    /// `placement`. How a meeting moved by the scheduler keeps the form its organiser wrote.
    pub fn at_instant(&self, t: DateTime<Utc>, placement: Tz) -> EventTime {
        match *self {
            EventTime::Date { .. } => EventTime::Date { date: crate::time::local_in(placement, t).date() },
            EventTime::Floating { .. } => EventTime::Floating { local: crate::time::local_in(placement, t) },
            EventTime::Zoned { zone, .. } => EventTime::Zoned { local: crate::time::local_in(zone, t), zone },
            EventTime::Utc { .. } => EventTime::Utc { instant: t },
        }
    }

    pub fn is_date(&self) -> bool {
        matches!(self, EventTime::Date { .. })
    }

    /// The value as the `tandem expand` / `tandem agenda` contract prints it: RFC 3339 with the
    /// offset of the event's own zone (`Z` for UTC), `YYYY-MM-DDTHH:MM:SS` for floating times and
    /// `YYYY-MM-DD` for dates.
    pub fn to_contract_string(&self) -> String {
        match *self {
            EventTime::Date { date } => date_string(date),
            EventTime::Floating { local } => wall_string(local, true),
            EventTime::Zoned { local, zone } => {
                let at = resolve_local(zone, local);
                let wall = crate::time::local_in(zone, at);
                let offset = (wall - at.naive_utc()).num_seconds();
                if offset % 60 != 0 {
                    // A local mean time of old (-04:56:02): chrono writes its seconds.
                    return at.with_timezone(&zone).to_rfc3339_opts(SecondsFormat::Secs, false);
                }
                let (sign, minutes) = (if offset < 0 { '-' } else { '+' }, offset.abs() / 60);
                format!("{}{sign}{:02}:{:02}", wall_string(wall, true), minutes / 60, minutes % 60)
            }
            EventTime::Utc { instant } => format!("{}Z", wall_string(instant.naive_utc(), true)),
        }
    }

    /// An instance's identity, typed: equal exactly when [`EventTime::instance_key`]s are, and
    /// cheap enough to compute for every occurrence of a merged year.
    pub fn instance(&self) -> InstanceKey {
        match *self {
            EventTime::Date { date } => InstanceKey::Date(date),
            EventTime::Floating { local } => InstanceKey::Floating(local),
            EventTime::Zoned { .. } | EventTime::Utc { .. } => InstanceKey::At(self.to_utc(chrono_tz::UTC)),
        }
    }

    /// A key under which two values that denote the same recurrence instance compare equal
    /// (a RECURRENCE-ID may be written in UTC while the series' DTSTART is zoned).
    pub fn instance_key(&self) -> String {
        match *self {
            EventTime::Date { date } => date.format("%Y%m%d").to_string(),
            EventTime::Floating { local } => local.format("%Y%m%dT%H%M%S").to_string(),
            EventTime::Zoned { .. } | EventTime::Utc { .. } => {
                self.to_utc(chrono_tz::UTC).format("%Y%m%dT%H%M%SZ").to_string()
            }
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventStatus {
    #[default]
    Confirmed,
    Tentative,
    Cancelled,
}

/// Whether an event blocks time (`TRANSP:OPAQUE`) or not (`TRANSPARENT`, e.g. "working from Paris").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Transparency {
    #[default]
    Opaque,
    Transparent,
}

/// An attendee's role (RFC 5545 §3.2.16).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Chair,
    #[default]
    Required,
    Optional,
    NonParticipant,
}

/// An attendee's answer (RFC 5545 §3.2.12).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParticipationStatus {
    #[default]
    NeedsAction,
    Accepted,
    Declined,
    Tentative,
    Delegated,
}

/// Parameters of a property that Tandem does not model (`CUTYPE=INDIVIDUAL`,
/// `X-NUM-GUESTS=0`, `LANGUAGE=de`), kept in written order so they are written back.
pub type KeptParams = Vec<(String, Vec<String>)>;

/// A calendar user: an address and, when known, a display name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    /// The bare address, lower-cased, without `mailto:`.
    pub address: String,
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kept_params: KeptParams,
}

impl Participant {
    pub fn new(address: impl Into<String>, name: Option<String>) -> Self {
        Self { address: address.into(), name, kept_params: Vec::new() }
    }

    /// Reads a CAL-ADDRESS such as `mailto:Dana@Example.com`.
    pub fn from_cal_address(value: &str, name: Option<String>) -> Self {
        let trimmed = value.trim();
        let bare = trimmed.strip_prefix("mailto:").or_else(|| trimmed.strip_prefix("MAILTO:")).unwrap_or(trimmed);
        Self::new(bare.to_ascii_lowercase(), name)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendee {
    pub participant: Participant,
    pub role: Role,
    pub status: ParticipationStatus,
    pub rsvp: bool,
}

/// One VEVENT as a calendar file states it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub uid: String,
    /// Set on an override of one instance of a series.
    pub recurrence_id: Option<EventTime>,
    /// `RECURRENCE-ID;RANGE=THISANDFUTURE`: the override also reshapes every later instance
    /// (shifted by the same amount, with its length and details).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub this_and_future: bool,
    pub sequence: u32,
    /// DTSTAMP: when the organiser's copy was written; orders iTIP updates with equal SEQUENCE.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stamp: Option<DateTime<Utc>>,
    pub summary: String,
    pub description: Option<String>,
    pub location: Option<String>,
    pub start: EventTime,
    /// DTEND, when given.
    pub end: Option<EventTime>,
    /// DURATION in seconds, when given instead of DTEND.
    pub duration_seconds: Option<i64>,
    /// RRULE values as written (e.g. `FREQ=WEEKLY;BYDAY=MO`).
    pub rrules: Vec<String>,
    pub rdates: Vec<EventTime>,
    pub exdates: Vec<EventTime>,
    pub status: EventStatus,
    pub transparency: Transparency,
    pub organizer: Option<Participant>,
    pub attendees: Vec<Attendee>,
    pub categories: Vec<String>,
    /// Properties Tandem does not model (CLASS, URL, X-MICROSOFT-..., X-GOOGLE-...), as
    /// unfolded content lines in the order written, so that writing the event back loses nothing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kept_properties: Vec<String>,
    /// Sub-components (VALARM and any unknown ones) as written, for the same reason.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kept_components: Vec<String>,
    /// Unmodelled parameters of modelled properties (`SUMMARY;LANGUAGE=de`), by property name.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub kept_params: std::collections::BTreeMap<String, KeptParams>,
    /// Reminders read from the VALARMs that tell a person something (DISPLAY, AUDIO). The
    /// VALARM text itself stays in `kept_components`, which is what is written back.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alarms: Vec<Alarm>,
}

/// A reminder a calendar file asks for (VALARM).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alarm {
    pub trigger: AlarmTrigger,
    /// DESCRIPTION, when the producer wrote a useful one (not the placeholder "Reminder").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// REPEAT: how many more times it goes off after the first, `repeat_seconds` apart.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub repeat: u32,
    #[serde(default, skip_serializing_if = "is_zero_i64")]
    pub repeat_seconds: i64,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

fn is_zero_i64(n: &i64) -> bool {
    *n == 0
}

/// When an alarm goes off.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum AlarmTrigger {
    /// Seconds from each instance's start (or end, `RELATED=END`); negative is before.
    Relative { seconds: i64, from_end: bool },
    /// An absolute instant (`TRIGGER;VALUE=DATE-TIME`): once, not per instance.
    Absolute { at: DateTime<Utc> },
}

impl Event {
    /// A minimal event; the rest is filled in by the caller.
    pub fn new(uid: impl Into<String>, summary: impl Into<String>, start: EventTime) -> Self {
        Self {
            uid: uid.into(),
            recurrence_id: None,
            this_and_future: false,
            sequence: 0,
            stamp: None,
            summary: summary.into(),
            description: None,
            location: None,
            start,
            end: None,
            duration_seconds: None,
            rrules: Vec::new(),
            alarms: Vec::new(),
            rdates: Vec::new(),
            exdates: Vec::new(),
            status: EventStatus::Confirmed,
            transparency: Transparency::Opaque,
            organizer: None,
            attendees: Vec::new(),
            categories: Vec::new(),
            kept_properties: Vec::new(),
            kept_components: Vec::new(),
            kept_params: Default::default(),
        }
    }

    pub fn is_recurring(&self) -> bool {
        !self.rrules.is_empty() || !self.rdates.is_empty()
    }

    /// The attendee entry of any of `addresses` (the executive's own addresses), if invited.
    pub fn attendee_for<'a>(&'a self, addresses: &[String]) -> Option<&'a Attendee> {
        self.attendees.iter().find(|a| addresses.iter().any(|x| x.eq_ignore_ascii_case(&a.participant.address)))
    }
}

/// One concrete meeting on the timeline. The text and people are shared with the other
/// instances of the series (`Arc`), not copied into each: a year of calendars is tens of
/// thousands of occurrences, and copying was most of the time spent making them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Occurrence {
    pub uid: Arc<str>,
    /// The instance's original start for members of a recurring series; `None` for a one-off.
    pub recurrence_id: Option<EventTime>,
    pub sequence: u32,
    pub summary: Arc<str>,
    pub location: Option<Arc<str>>,
    pub start: EventTime,
    pub end: EventTime,
    pub start_utc: DateTime<Utc>,
    pub end_utc: DateTime<Utc>,
    pub all_day: bool,
    pub recurring: bool,
    pub status: EventStatus,
    pub transparency: Transparency,
    pub organizer: Option<Arc<Participant>>,
    pub attendees: Arc<[Attendee]>,
    /// The event's reminders, shared by all its instances.
    pub alarms: Arc<[Alarm]>,
}

impl Occurrence {
    /// The identity under which the same meeting found in several calendars is shown once.
    pub fn identity(&self) -> (String, String) {
        (self.uid.to_string(), self.recurrence_id.map(|r| r.instance_key()).unwrap_or_default())
    }

    /// [`Occurrence::identity`] without formatting anything.
    pub fn identity_key(&self) -> (Arc<str>, Option<InstanceKey>) {
        (self.uid.clone(), self.recurrence_id.map(|r| r.instance()))
    }
}

/// See [`EventTime::instance`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum InstanceKey {
    Date(NaiveDate),
    Floating(NaiveDateTime),
    At(DateTime<Utc>),
}

/// Words that say a location is a call, not a place.
const VIRTUAL_PLACES: &[&str] = &[
    "zoom",
    "teams",
    "meet.google",
    "google meet",
    "webex",
    "video",
    "online",
    "virtual",
    "phone",
    "dial-in",
    "call",
    "http://",
    "https://",
];

/// Whether a LOCATION names a place to be at, rather than a call or a link.
pub fn in_person(location: &str) -> bool {
    let lower = location.trim().to_lowercase();
    !lower.is_empty() && !VIRTUAL_PLACES.iter().any(|w| lower.contains(w))
}

/// A place as compared with another: case and spacing do not make two places.
pub fn place_key(place: &str) -> String {
    place.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// `YYYY-MM-DD`. Written by hand: chrono's `format` parses its pattern on every call, and a
/// week's view prints thousands of these.
pub fn date_string(date: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

/// `YYYY-MM-DDTHH:MM:SS`, or without the seconds (see [`date_string`] for why by hand).
pub fn wall_string(t: NaiveDateTime, seconds: bool) -> String {
    use chrono::Timelike;
    let date = date_string(t.date());
    if seconds {
        format!("{date}T{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second())
    } else {
        format!("{date}T{:02}:{:02}", t.hour(), t.minute())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn a_zoned_time_prints_with_its_own_zones_offset() {
        let local = NaiveDate::from_ymd_opt(2026, 7, 1).unwrap().and_hms_opt(9, 0, 0).unwrap();
        let t = EventTime::Zoned { local, zone: chrono_tz::Europe::Berlin };
        assert_eq!(t.to_contract_string(), "2026-07-01T09:00:00+02:00");
        assert_eq!(t.instance_key(), "20260701T070000Z");
    }

    proptest::proptest! {
        /// The hand-written contract strings are what chrono's RFC 3339 writer gives, in zones
        /// with half-hour, negative and historical (seconds) offsets.
        #[test]
        fn contract_strings_match_chronos_rfc_3339(secs in -3_000_000_000i64..4_000_000_000i64, z in 0usize..6) {
            let zone = [chrono_tz::America::St_Johns, chrono_tz::Asia::Kolkata, chrono_tz::America::New_York,
                chrono_tz::Africa::Monrovia, chrono_tz::Europe::Amsterdam, chrono_tz::UTC][z];
            let at = DateTime::from_timestamp(secs, 0).unwrap();
            let local = at.with_timezone(&zone).naive_local();
            let expected = resolve_local(zone, local).with_timezone(&zone).to_rfc3339_opts(SecondsFormat::Secs, false);
            proptest::prop_assert_eq!(EventTime::Zoned { local, zone }.to_contract_string(), expected);
            proptest::prop_assert_eq!(
                EventTime::Utc { instant: at }.to_contract_string(),
                at.to_rfc3339_opts(SecondsFormat::Secs, true)
            );
            proptest::prop_assert_eq!(EventTime::Floating { local }.to_contract_string(), local.format("%Y-%m-%dT%H:%M:%S").to_string());
        }
    }

    #[test]
    fn floating_and_date_values_print_without_an_offset() {
        let d = NaiveDate::from_ymd_opt(2026, 7, 1).unwrap();
        assert_eq!(EventTime::Date { date: d }.to_contract_string(), "2026-07-01");
        let f = EventTime::Floating { local: d.and_hms_opt(9, 30, 0).unwrap() };
        assert_eq!(f.to_contract_string(), "2026-07-01T09:30:00");
        assert_eq!(f.to_utc(chrono_tz::Asia::Tokyo).to_rfc3339(), "2026-07-01T00:30:00+00:00");
    }

    #[test]
    fn a_cal_address_is_read_without_mailto_and_lower_cased() {
        let p = Participant::from_cal_address("MAILTO:Dana.Okafor@Northwind.Example", None);
        assert_eq!(p.address, "dana.okafor@northwind.example");
    }
}
