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
    /// Start and end as wall-clock times in the view's zone, `YYYY-MM-DDTHH:MM`.
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
