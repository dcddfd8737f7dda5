//! What crosses the IPC boundary and the CLI's `--json`. Times are strings in documented
//! formats so that no client has to guess a zone.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExecutiveDto {
    pub id: String,
    pub name: String,
    pub title: Option<String>,
    /// IANA zone name, e.g. `America/New_York`.
    pub home_time_zone: String,
}

/// What the UI needs to start: who it can show, and what "now" is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SessionDto {
    pub executives: Vec<ExecutiveDto>,
    /// RFC 3339 UTC.
    pub now: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CalendarDto {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub color: String,
    /// Shown in the views; hidden calendars still count for free/busy and travel.
    pub visible: bool,
    /// Set when the calendar is a subscription to a published feed (read-only, refreshed).
    pub feed: Option<FeedDto>,
}

/// A subscribed calendar's feed, as the EP sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FeedDto {
    /// Scheme and host only: the rest of a feed address is often a secret.
    pub source: String,
    /// When the feed's content was last confirmed (RFC 3339 UTC); `None` before the first fetch.
    pub fetched_at: Option<String>,
    /// Why the last fetch failed; the events shown are from `fetched_at`.
    pub error: Option<String>,
    /// When Tandem fetches it next (RFC 3339 UTC).
    pub next_at: String,
}

/// What one fetch of a feed did.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FeedReportDto {
    #[ts(type = "number")]
    pub calendar_id: i64,
    pub source: String,
    /// Whether the calendar's events were replaced by new content.
    pub changed: bool,
    pub events: u32,
    pub problems: Vec<String>,
    pub error: Option<String>,
}

/// One meeting on the merged timeline. `uid`, `recurrence_id`, `summary`, `start`, `end` and
/// `all_day` follow the `tandem expand` contract: RFC 3339 with the offset of the event's own
/// zone, `YYYY-MM-DDTHH:MM:SS` for floating times, `YYYY-MM-DD` for all-day values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AgendaItem {
    pub uid: String,
    pub recurrence_id: Option<String>,
    pub summary: String,
    pub start: String,
    pub end: String,
    pub all_day: bool,
    /// Names of every calendar the meeting is in.
    pub calendars: Vec<String>,
    /// Colour of the first of those calendars.
    pub color: String,
    pub location: Option<String>,
    /// `confirmed` or `tentative`.
    pub status: String,
    /// Shown as free time (TRANSP:TRANSPARENT), e.g. a hotel stay.
    pub free: bool,
    pub recurring: bool,
    pub organizer: Option<String>,
    pub attendee_count: u32,
    /// The executive's own answer: `accepted`, `declined`, `tentative`, `needs_action`, or null
    /// when the executive is not an attendee (their own blocks).
    pub response: Option<String>,
    /// Overlaps another meeting that also blocks the executive's time.
    pub conflict: bool,
    /// The titles of the meetings it overlaps, in time order.
    pub conflicts_with: Vec<String>,
    /// Start and end as wall-clock times where the executive is that day (`places`), so a
    /// meeting in London on a London day reads in London time; `YYYY-MM-DDTHH:MM`.
    pub view_start: String,
    pub view_end: String,
}

/// The merged calendars over some days, in one zone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CalendarRange {
    pub executive_id: String,
    /// The zone the days are cut in and `view_*` times are given in.
    pub zone: String,
    /// First day, `YYYY-MM-DD`.
    pub from: String,
    pub days: u32,
    pub calendars: Vec<CalendarDto>,
    /// Sorted by start instant, then UID, then recurrence instance.
    pub items: Vec<AgendaItem>,
    /// Series that could not be expanded, each naming the event.
    pub problems: Vec<String>,
    /// Where the executive is on each day of the range (travel-aware local zones).
    pub places: Vec<DayPlaceDto>,
}

/// Where the executive is on one day: the zone the day is lived in and, on a travel day, the
/// other zone to show beside it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DayPlaceDto {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub zone: String,
    pub other_zone: Option<String>,
    /// On a travel day, `other_zone`'s clock at each of the day's 24 local hours (`HH:MM`), for
    /// a second time scale beside the grid; empty otherwise.
    pub other_hours: Vec<String>,
    pub place: Option<String>,
    pub reason: String,
}

/// Busy and free time over a range, in the executive's home zone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FreeBusyDto {
    pub executive_id: String,
    pub zone: String,
    /// Merged periods; `kind` is `busy` or `tentative`.
    pub busy: Vec<BusyDto>,
    /// Free stretches at least `min_minutes` long.
    pub free: Vec<SpanDto>,
    pub min_minutes: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BusyDto {
    /// RFC 3339 in the home zone.
    pub start: String,
    pub end: String,
    pub kind: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SpanDto {
    pub start: String,
    pub end: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct InboxItem {
    #[ts(type = "number")]
    pub id: i64,
    pub thread_key: String,
    pub from_name: Option<String>,
    pub from_address: String,
    pub subject: String,
    pub snippet: String,
    /// RFC 3339 UTC.
    pub date: String,
    pub lane: String,
    /// The profile's groups the sender is in (`vip`, `board`, `directs`, `external`...).
    pub groups: Vec<String>,
    pub vip: bool,
    pub important: bool,
    /// Carries an invitation (iMIP REQUEST).
    pub invitation: bool,
    pub seen: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct InboxPage {
    pub total: u32,
    pub offset: u32,
    pub items: Vec<InboxItem>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct InvitationDto {
    pub uid: String,
    pub summary: String,
    pub start: String,
    pub end: Option<String>,
    pub organizer: Option<String>,
    /// `calendar` or `mail`.
    pub source: String,
    pub received_at: String,
}

/// The executive's profile, both as the TOML document Tandem stores and as form fields.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProfileDocument {
    pub executive_id: String,
    pub toml: String,
    pub fields: ProfileFields,
}

/// The profile as a form edits it. Same shape and names as the TOML document, so saving goes
/// through the one validation the document has (errors name the same fields).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProfileFields {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub addresses: Vec<String>,
    /// IANA zone name.
    pub home_time_zone: String,
    #[serde(default)]
    pub our_domains: Vec<String>,
    #[serde(default)]
    pub working_hours: WorkingHoursFields,
    #[serde(default)]
    pub focus_blocks: Vec<FocusBlockFields>,
    #[serde(default)]
    pub buffers: BuffersFields,
    /// Group name -> members (addresses, or `@domain`).
    #[serde(default)]
    #[ts(type = "Record<string, string[]>")]
    pub groups: std::collections::BTreeMap<String, Vec<String>>,
    /// Where the executive will be, when the calendars do not say.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub itinerary: Vec<StayFields>,
    /// Minutes before a meeting without an alarm of its own to remind the EP; null for none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminder_minutes: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StayFields {
    /// `YYYY-MM-DD`, inclusive.
    pub from: String,
    /// `YYYY-MM-DD`, inclusive.
    pub to: String,
    /// IANA zone name.
    pub time_zone: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
}

/// Per weekday `"HH:MM-HH:MM"`, or null for a day off.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WorkingHoursFields {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mon: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tue: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wed: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thu: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fri: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sat: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sun: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FocusBlockFields {
    pub label: String,
    /// `mon` ... `sun`.
    pub days: Vec<String>,
    /// `"HH:MM-HH:MM"`.
    pub time: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BuffersFields {
    pub before_minutes: u32,
    pub after_minutes: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportFileReport {
    pub source: String,
    pub calendar: Option<String>,
    pub events: u32,
    pub invitations: u32,
    pub problems: Vec<String>,
    pub error: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DemoReport {
    pub executives: Vec<ExecutiveDto>,
    pub events: u32,
    pub messages: u32,
    pub invitations: u32,
    /// Where the generated .ics files were written.
    pub files: Vec<String>,
}

/// A reminder of a meeting, going off now (or soon, when listed ahead).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReminderDto {
    /// Identifies this reminder going off (meeting instance and instant).
    pub key: String,
    pub executive_id: String,
    pub executive_name: String,
    pub uid: String,
    pub summary: String,
    pub location: Option<String>,
    /// The meeting's start and when the reminder goes off, RFC 3339 UTC.
    pub starts: String,
    pub at: String,
    /// The start as `HH:MM` in `zone`, where the executive is that day.
    pub local_start: String,
    pub zone: String,
    #[ts(type = "number")]
    pub minutes_before: i64,
    /// Minutes from now to the start (negative once it has begun).
    #[ts(type = "number")]
    pub minutes_until: i64,
    /// The alarm's own words, when it had some.
    pub note: Option<String>,
    /// Whether the calendar file asked for it (else the profile's default lead time).
    pub from_alarm: bool,
}
