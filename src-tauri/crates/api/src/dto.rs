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
    /// New meetings can go in it: not a subscription, not where invitations from mail land,
    /// not read-only on its CalDAV server.
    pub holds_meetings: bool,
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
    /// Whether the executive organises it (so the EP can edit or cancel it, and attendees are told).
    pub own: bool,
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
    /// Why it is in its lane ("a mailing list (List-Id news.example)"), and who put it there:
    /// `rule`, `heuristic`, `ep`, or empty when not triaged yet.
    pub lane_reason: String,
    pub lane_by: String,
    /// Flagged for the executive's briefing.
    pub flagged: bool,
    pub answered: bool,
    pub archived: bool,
    /// RFC 3339 UTC, when set.
    pub snoozed_until: Option<String>,
    pub follow_up_at: Option<String>,
    /// The meeting this thread prepares for (its UID).
    pub event_uid: Option<String>,
    /// Names of the attached files.
    pub attachments: Vec<String>,
}

/// One message opened for reading.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MessageView {
    pub item: InboxItem,
    /// `Name <address>` of each.
    pub to: Vec<String>,
    pub cc: Vec<String>,
    /// The plain-text body (shown as text, never as HTML).
    pub text: String,
    /// For an HTML message: a whole document for a sandboxed iframe's `srcdoc`, sanitised and
    /// under a CSP that runs no script and loads nothing remote unless allowed.
    pub html_document: Option<String>,
    /// Remote images and styles held back; the "load remote content" bar shows when not zero.
    pub blocked_remote: u32,
    /// The EP allowed remote content for this sender.
    pub remote_allowed: bool,
    /// The other messages of the thread, oldest first.
    pub thread: Vec<InboxItem>,
}

/// How many messages a lane holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LaneCount {
    pub lane: String,
    pub count: u32,
}

/// A page of the inbox: the messages in it now (not archived, not snoozed), in the order they
/// are worked — needs the executive first, noise last, VIPs first within a lane, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct InboxPage {
    /// Messages in this view (the lane asked for, or the whole inbox).
    pub total: u32,
    pub offset: u32,
    /// The lane asked for; `None` for the whole inbox.
    pub lane: Option<String>,
    /// Every lane of the inbox with its count, in working order.
    pub lanes: Vec<LaneCount>,
    pub items: Vec<InboxItem>,
}

/// The executive's triage rules document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TriageRulesDocument {
    pub executive_id: String,
    /// The TOML document as saved; empty when none was (the heuristics alone triage).
    pub toml: String,
    pub saved: bool,
}

/// What a triage run did.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TriageReport {
    /// Messages given a lane in this run.
    pub triaged: u32,
    /// The inbox's lanes after it.
    pub lanes: Vec<LaneCount>,
    /// The messages triaged, each with its lane and reason (at most the first 500).
    pub items: Vec<InboxItem>,
}

/// Something the EP does to messages; every one is undoable.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum MailActionKind {
    Archive,
    /// Back into the inbox (also wakes a snoozed message).
    Unarchive,
    /// Flag for the executive's briefing.
    Flag,
    Unflag,
    Read,
    Unread,
    /// Out of the inbox until `until` (RFC 3339, or `YYYY-MM-DDTHH:MM` in the executive's zone).
    Snooze {
        until: String,
    },
    Unsnooze,
    /// Remind the EP after `days` if no one has replied in the thread by then.
    FollowUp {
        days: u32,
    },
    ClearFollowUp,
    /// Into `lane`; with `make_rule`, a triage rule sends the sender's later mail there too.
    Move {
        lane: String,
        make_rule: bool,
    },
    /// Link the thread to a meeting (its UID): the briefing shows it as prep.
    Link {
        uid: String,
    },
    Unlink,
}

/// A recorded action, for the undo bar and the CLI.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MailActionDto {
    #[ts(type = "number")]
    pub id: i64,
    /// What was done, in words ("Archived 3 messages").
    pub summary: String,
    pub messages: u32,
    /// The triage rule the action added, when it made a move stick.
    pub rule: Option<String>,
}

/// A snoozed message waking up, or a follow-up falling due with no reply.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MailDueDto {
    pub executive_id: String,
    pub executive_name: String,
    /// `snooze` or `follow_up`.
    pub kind: String,
    /// When it fell due, RFC 3339 UTC.
    pub at: String,
    pub message: InboxItem,
}

/// One invitation in the EP's queue, with what was decided about it and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct InvitationDto {
    #[ts(type = "number")]
    pub id: i64,
    pub uid: String,
    /// The instance, for an invitation to one instance of a series (contract form).
    pub recurrence_id: Option<String>,
    pub summary: String,
    /// Contract form (RFC 3339 with the event's own offset, or a date).
    pub start: String,
    pub end: Option<String>,
    /// `YYYY-MM-DDTHH:MM` on the executive's home clock, for the list.
    pub view_start: String,
    pub organizer: Option<String>,
    pub organizer_address: Option<String>,
    pub location: Option<String>,
    pub recurring: bool,
    pub attendee_count: u32,
    /// `calendar`, `mail` or `file`.
    pub source: String,
    pub received_at: String,
    /// `pending`, `decided` (by a rule), `held` (for the EP), `answered` (by the EP), `cancelled`.
    pub state: String,
    /// The standing decision, when there is one.
    pub decision: Option<DecisionDto>,
}

/// One entry of the audit log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DecisionDto {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number | null")]
    pub invitation_id: Option<i64>,
    pub uid: String,
    pub summary: String,
    /// `accept`, `tentative`, `decline`, `counter_propose`, `hold_for_review`, `delegate`.
    pub action: String,
    /// The rule's name; `null` when a person decided or no rule matched.
    pub rule: Option<String>,
    /// `rule`, `no_rule` or `person`.
    pub decider: String,
    pub reason: String,
    pub decided_at: String,
    pub message: Option<String>,
    pub delegate_to: Option<String>,
    /// A counter-proposal's time, RFC 3339 in the executive's zone that day.
    pub proposed_start: Option<String>,
    pub proposed_end: Option<String>,
    pub tier: Option<String>,
    /// When it was undone, if it was.
    pub undone_at: Option<String>,
    /// Whether it can still be undone: nothing it queued has left yet.
    pub undoable: bool,
    /// The outbox items it queued.
    pub outbox: Vec<OutboxDto>,
}

/// Something waiting to leave, or gone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OutboxDto {
    #[ts(type = "number")]
    pub id: i64,
    /// `imip` (an invitation or reply by mail), `mail` (a mail the EP wrote) or `caldav` (a
    /// meeting changed here, to write to its CalDAV calendar).
    pub kind: String,
    /// `queued`, `sending`, `sent`, `cancelled`, `failed`.
    pub state: String,
    pub summary: String,
    pub recipients: Vec<String>,
    pub created_at: String,
    /// Not sent before this (the undo window).
    pub send_after: String,
    pub sent_at: Option<String>,
    pub attempts: u32,
    pub last_error: Option<String>,
    #[ts(type = "number | null")]
    pub decision_id: Option<i64>,
}

/// The invitations queue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct InvitationQueue {
    /// Held for the EP's review, oldest first.
    pub held: Vec<InvitationDto>,
    /// Decided by a rule, newest first.
    pub decided: Vec<InvitationDto>,
    /// Answered by the EP, newest first.
    pub answered: Vec<InvitationDto>,
    /// Not yet run through the rules (the rules run on import, so normally empty).
    pub pending: Vec<InvitationDto>,
}

/// The executive's rules document and what it says.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RulesDocument {
    pub executive_id: String,
    /// The TOML document, as saved (a starting document with examples when none was).
    pub toml: String,
    /// Whether `toml` was ever saved (false: the starting document).
    pub saved: bool,
    pub rules: Vec<RuleFields>,
    /// The profile's group names, plus `internal` and `external`, for the editor.
    pub groups: Vec<String>,
}

/// One rule as the form edits it: the document's own shape (see `core::rules`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RuleFields {
    pub name: String,
    #[serde(default = "yes")]
    pub enabled: bool,
    /// `accept`, `tentative`, `decline`, `counter_propose`, `hold_for_review`, `delegate`, `set_priority`.
    pub action: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delegate_to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<String>,
    /// Condition name -> value, as in the document (`weekdays`: ["fri"], `time`: "13:00-24:00").
    #[serde(default)]
    #[ts(type = "Record<string, unknown>")]
    pub when: serde_json::Map<String, serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(type = "Record<string, unknown> | null")]
    pub unless: Option<serde_json::Map<String, serde_json::Value>>,
}

fn yes() -> bool {
    true
}

/// What a set of rules would have done to past invitations.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DryRun {
    pub days: u32,
    pub rows: Vec<DryRunRow>,
    /// How many rows would change.
    pub changed: u32,
    /// Action -> how many invitations the rules would give it.
    #[ts(type = "Record<string, number>")]
    pub totals: std::collections::BTreeMap<String, u32>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DryRunRow {
    #[ts(type = "number")]
    pub invitation_id: i64,
    pub summary: String,
    pub organizer: Option<String>,
    pub view_start: String,
    pub received_at: String,
    /// What stands now (`null`: nothing decided yet).
    pub current_action: Option<String>,
    pub current_reason: Option<String>,
    pub action: String,
    pub rule: Option<String>,
    pub reason: String,
    pub changed: bool,
}

/// `tandem rules check`: the decision for one invitation and the reply it would send.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RuleCheck {
    pub uid: String,
    pub summary: String,
    pub action: String,
    pub rule: Option<String>,
    pub reason: String,
    pub tier: Option<String>,
    pub proposed_start: Option<String>,
    pub proposed_end: Option<String>,
    /// The reply to the organiser that would be sent (REPLY or COUNTER), as iCalendar text;
    /// `null` when the invitation is held.
    pub reply: Option<String>,
    /// Every iTIP message that would be sent (a delegation adds the REQUEST to the delegate).
    pub replies: Vec<String>,
}

/// A new meeting the executive organises, as the EP fills it in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MeetingDraft {
    pub title: String,
    /// `YYYY-MM-DDTHH:MM` on the executive's home clock, or an RFC 3339 instant.
    pub start: String,
    pub end: String,
    /// Required attendees' addresses.
    #[serde(default)]
    pub attendees: Vec<String>,
    #[serde(default)]
    pub optional: Vec<String>,
    #[serde(default)]
    pub location: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// The calendar to put it in (default: the executive's first own calendar).
    #[serde(default)]
    pub calendar: Option<String>,
    /// An RRULE for a series, e.g. `FREQ=WEEKLY;BYDAY=MO`.
    #[serde(default)]
    pub rrule: Option<String>,
}

/// Changes to a meeting the executive organises; what is `null` stays as it is.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MeetingChanges {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub start: Option<String>,
    #[serde(default)]
    pub end: Option<String>,
    /// An empty string removes the location.
    #[serde(default)]
    pub location: Option<String>,
    /// The full list of required attendees (those left out are sent a CANCEL).
    #[serde(default)]
    pub attendees: Option<Vec<String>>,
    #[serde(default)]
    pub optional: Option<Vec<String>>,
}

/// A meeting the executive organises, and what is waiting to leave (or left) about it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MeetingDto {
    pub uid: String,
    pub summary: String,
    pub start: String,
    pub end: Option<String>,
    pub location: Option<String>,
    pub recurring: bool,
    pub sequence: u32,
    /// `confirmed`, `cancelled`, or `withdrawn` (removed before anyone was told).
    pub status: String,
    pub calendar: String,
    pub attendees: Vec<MeetingAttendeeDto>,
    /// Messages about it, newest first.
    pub outbox: Vec<OutboxDto>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MeetingAttendeeDto {
    pub address: String,
    pub name: Option<String>,
    /// `needs_action`, `accepted`, `declined`, `tentative`, `delegated`.
    pub status: String,
    pub optional: bool,
}

/// The EP's own answer to an invitation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Answer {
    Accept {
        message: Option<String>,
    },
    Tentative {
        message: Option<String>,
    },
    Decline {
        message: Option<String>,
    },
    /// Counter-propose `start`..`end` (RFC 3339); without them, the best free slot.
    CounterPropose {
        start: Option<String>,
        end: Option<String>,
        message: Option<String>,
    },
    Delegate {
        to: String,
        message: Option<String>,
    },
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
    /// The EP, named on replies and invitations Tandem sends for the executive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assistant: Option<AssistantFields>,
    /// `on_behalf` (From the executive, Sender the EP; the default) or `as_executive`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send_as: Option<String>,
    /// `HH:MM-HH:MM`, kept free when it can be.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lunch: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub no_meeting_days: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_meetings_per_day: Option<u32>,
    /// Minutes between in-person meetings at different places (default 30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub travel_minutes: Option<u32>,
    /// The scheduler moves nothing starting within this many hours (default 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_moves_within_hours: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AssistantFields {
    pub name: String,
    pub address: String,
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
    /// The calendar written to; for an invitation file, `iTIP REQUEST` (or its method); for
    /// a mail message, `mail`.
    pub calendar: Option<String>,
    pub events: u32,
    /// Invitations recorded for the rules.
    pub invitations: u32,
    /// Mail messages read, and how many of them were new.
    pub messages: u32,
    pub added: u32,
    /// Mail left out on purpose, by folder ("12 in Trash").
    pub skipped: Vec<String>,
    /// What an invitation file or mail did to meetings ("Audit committee: updated the meeting").
    pub changes: Vec<String>,
    pub problems: Vec<String>,
    pub error: Option<String>,
}

/// What an import did, file by file, and the decisions the rules then took.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportReport {
    pub files: Vec<ImportFileReport>,
    /// Decisions the rules took on the invitations the files brought.
    pub decided: Vec<DecisionDto>,
    /// Why the rules could not run, when they could not (the saved rules no longer validate).
    pub rules_error: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DemoReport {
    pub executives: Vec<ExecutiveDto>,
    pub events: u32,
    pub messages: u32,
    pub invitations: u32,
    /// Invitations the demo rules decided (the rest are held for the EP).
    pub decided: u32,
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

/// What is wrong with a stretch of the executive's calendar.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConflictsDto {
    pub executive_id: String,
    pub zone: String,
    /// `YYYY-MM-DD`.
    pub from: String,
    pub days: u32,
    /// Most severe first, then by day and start.
    pub conflicts: Vec<ConflictDto>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConflictDto {
    /// `overlap`, `travel`, `outside_working_hours`, `no_meeting_day`, `over_daily_cap`,
    /// `focus_taken`, `buffer`, `lunch_taken`.
    pub kind: String,
    /// `high` (cannot happen as planned), `medium` (breaks what the executive asked), `low`.
    pub severity: String,
    /// The local day, `YYYY-MM-DD`.
    pub date: String,
    pub reason: String,
    pub meetings: Vec<ConflictMeetingDto>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConflictMeetingDto {
    pub uid: String,
    pub recurrence_id: Option<String>,
    pub summary: String,
    /// `YYYY-MM-DDTHH:MM` where the executive is that day.
    pub view_start: String,
    pub view_end: String,
    /// `P0`..`P3`.
    pub tier: String,
    /// The executive organises it (or it is their own entry): it can be moved.
    pub own: bool,
}

/// The scheduler's proposals for a stretch of the executive's calendar.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ScheduleDto {
    pub executive_id: String,
    pub zone: String,
    /// `YYYY-MM-DD`.
    pub from: String,
    pub days: u32,
    /// Hard clashes in the calendar as it is (overlaps, journeys too short).
    pub clashes: u32,
    /// The plan's objective (smaller disturbs less) and the calendar's as it is.
    #[ts(type = "number")]
    pub objective: i64,
    #[ts(type = "number")]
    pub status_quo_objective: i64,
    /// Proven optimal by the exact search.
    pub optimal: bool,
    #[ts(type = "number")]
    pub steps: u64,
    /// Clashes between meetings that cannot move (both P0, or inside the freeze).
    pub fixed_clashes: Vec<String>,
    pub proposals: Vec<ProposalDto>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProposalDto {
    /// Stable for the same plan: `p1`, `p2` … in the order shown.
    pub id: String,
    /// The clashes it resolves, in words.
    pub resolves: Vec<String>,
    pub moves: Vec<MoveDto>,
    pub alternatives: Vec<AlternativeDto>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AlternativeDto {
    pub moves: Vec<MoveDto>,
    /// How much more it disturbs than the proposal.
    #[ts(type = "number")]
    pub extra_cost: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MoveDto {
    pub uid: String,
    pub recurrence_id: Option<String>,
    pub summary: String,
    pub tier: String,
    pub own: bool,
    /// `move` (the executive's meeting: an update goes to the attendees), `counter` (someone
    /// else's: a counter-proposal goes to the organiser), or `unresolved` (no time found).
    pub action: String,
    /// RFC 3339 instants, and how the EP reads them (their zone that day).
    pub from: String,
    pub to: Option<String>,
    pub view_from: String,
    pub view_to: Option<String>,
    pub reason: String,
}

/// An approved proposal: what moved and what waits in the outbox; undone while nothing left.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ApprovalDto {
    #[ts(type = "number")]
    pub id: i64,
    pub created_at: String,
    /// One line per move approved.
    pub summary: Vec<String>,
    /// The outbox items it queued (updates to attendees, counter-proposals to organisers).
    #[ts(type = "Array<number>")]
    pub outbox: Vec<i64>,
    pub undone: bool,
    /// Nothing of it has left yet.
    pub can_undo: bool,
}

/// Find a time: the best slots for a new meeting, best first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FindTimeDto {
    pub executive_id: String,
    pub minutes: u32,
    /// Attendees whose calendars Tandem knows (other executives here); the others count as free.
    pub known: Vec<String>,
    pub slots: Vec<SlotDto>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SlotDto {
    /// RFC 3339 instants, and the executive's wall clock that day.
    pub start: String,
    pub end: String,
    pub view_start: String,
    pub view_end: String,
    /// What holding it there costs in the scheduler's terms (0: breaks nothing).
    #[ts(type = "number")]
    pub cost: i64,
    pub reason: String,
}

/// Messages found by a search, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SearchDto {
    pub query: String,
    pub items: Vec<InboxItem>,
}

/// A mail account as the EP sees it. Its password is in the OS keychain, never here.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AccountDto {
    #[ts(type = "number")]
    pub id: i64,
    /// "imap" (reads mail), "smtp" (sends it) or "caldav" (calendars).
    pub kind: String,
    pub host: String,
    pub port: u16,
    /// "tls" (encrypted from the start) or "starttls"; for CalDAV "https", or "http" to a
    /// server on this computer (loopback) only.
    pub security: String,
    pub username: String,
    /// A certificate the account trusts besides the system's (a self-hosted server).
    pub ca_file: Option<String>,
    /// The IMAP folders synced.
    pub folders: Vec<String>,
    /// A CalDAV account's address.
    pub url: Option<String>,
    pub synced_at: Option<String>,
    /// Why the last sync or send failed, while it still does.
    pub last_error: Option<String>,
}

/// Where the executive's changes stand, for the status bar: what still waits to leave, the
/// clashes the EP has to settle, and the accounts whose last sync or send failed (offline, or
/// a login refused), each with why.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SyncStatusDto {
    /// Outbox items (mail, iMIP replies, CalDAV writes) queued or being sent.
    pub waiting: u32,
    /// When the oldest of them was made (RFC 3339 UTC): "waiting since".
    pub waiting_since: Option<String>,
    /// CalDAV clashes kept for the EP.
    pub clashes: u32,
    pub failing: Vec<AccountDto>,
}

/// A CalDAV account to add: the server's address (or one calendar's), the user, which of its
/// calendars to mirror by name (all when empty), and a certificate to trust for a self-hosted
/// server.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NewCalDavAccountDto {
    pub url: String,
    pub username: String,
    pub calendars: Vec<String>,
    pub ca_file: Option<String>,
}

/// A CalDAV account as added: the account, and the server calendars now mirrored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CalDavAccountDto {
    pub account: AccountDto,
    pub calendars: Vec<RemoteCalendarDto>,
}

/// A server calendar mirrored into a local one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RemoteCalendarDto {
    #[ts(type = "number")]
    pub calendar_id: i64,
    /// The local calendar's name.
    pub name: String,
    pub url: String,
    pub color: String,
    /// The account may change it (accept, move, new meetings).
    pub writable: bool,
}

/// A calendar on a CalDAV account's server, and whether Tandem mirrors it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ServerCalendarDto {
    /// As the server names it.
    pub name: String,
    pub url: String,
    pub color: Option<String>,
    pub writable: bool,
    /// The local calendar it is mirrored as; none when Tandem does not have it.
    pub mirrored_as: Option<String>,
    #[ts(type = "number | null")]
    pub calendar_id: Option<i64>,
    /// False for a calendar Tandem mirrors that the server no longer lists (deleted there).
    pub on_server: bool,
}

/// What a calendar sync did, calendar by calendar.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SyncDto {
    pub calendars: Vec<CalendarSyncDto>,
    /// Changes made here written to the servers, and of those, merged with a change made
    /// there meanwhile.
    pub written: u32,
    pub merged: u32,
    /// Changes that collided with one made on the server to the same properties: both are
    /// kept (the server's shows); one line each, naming the meeting and the properties.
    pub conflicts: Vec<String>,
    /// Changes the server refused, each with why.
    pub failed: Vec<String>,
    /// Changes still waiting to leave (offline, or the server refused the login).
    pub waiting: u32,
    /// HTTP requests in all (reads).
    pub requests: u32,
}

/// How far a calendar's fetch has got (objects fetched of those that changed), sent as a
/// sync goes so the EP sees a first sync of a large calendar move.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SyncProgressDto {
    pub calendar: String,
    pub fetched: u32,
    pub total: u32,
}

/// A clash kept for the EP: a change made here and one made on the server to the same
/// properties of a meeting. The calendar shows the server's version until the EP keeps ours.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ClashDto {
    #[ts(type = "number")]
    pub id: i64,
    pub uid: String,
    /// The change that clashed, as the outbox named it ("Write 'Budget review (final)'").
    pub summary: String,
    /// The properties both sides changed ("summary", "attendee li@x.example (status)").
    pub fields: Vec<String>,
    /// The meeting's title in our version and in the server's.
    pub ours: String,
    pub theirs: String,
    pub at: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CalendarSyncDto {
    #[ts(type = "number")]
    pub account_id: i64,
    #[ts(type = "number")]
    pub calendar_id: i64,
    pub name: String,
    /// Meetings fetched (new or changed on the server) and removed.
    pub fetched: u32,
    pub removed: u32,
    /// Of those fetched, invitations waiting for the executive's answer.
    pub invitations: u32,
    pub requests: u32,
    /// Objects that could not be read, each naming the object and what was wrong.
    pub problems: Vec<String>,
    /// Why the calendar did not sync, saying what to check; what was stored stays.
    pub error: Option<String>,
}

/// An account to add. Ports and security default as mail clients do: IMAP over TLS on 993
/// (STARTTLS on 143), SMTP submission with STARTTLS on 587 (TLS on 465).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NewAccountDto {
    pub kind: String,
    pub host: String,
    #[ts(optional)]
    pub port: Option<u16>,
    #[ts(optional)]
    pub security: Option<String>,
    pub username: String,
    #[ts(optional)]
    pub ca_file: Option<String>,
    /// IMAP folders to sync (default: the INBOX).
    #[serde(default)]
    pub folders: Vec<String>,
}

/// What one account did in a mail sync.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AccountSyncDto {
    #[ts(type = "number")]
    pub account_id: i64,
    pub kind: String,
    pub host: String,
    /// IMAP: messages fetched, new to the store, flags sent and received, gone from the server.
    pub fetched: u32,
    pub added: u32,
    pub flags_pushed: u32,
    pub flags_pulled: u32,
    pub gone: u32,
    /// IMAP: messages archived here moved to the server's archive folder, and copies of sent
    /// mail filed in its Sent folder.
    pub archived: u32,
    pub filed_sent: u32,
    /// SMTP: outbox items sent, put back for a retry, given up.
    pub sent: u32,
    pub retrying: u32,
    pub failed: u32,
    /// Why the account could not sync (or send) this time; its mail is still here.
    pub error: Option<String>,
}

/// A mail sync: every account of the executive, then triage of what came in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MailSyncDto {
    pub accounts: Vec<AccountSyncDto>,
    /// Messages that came in and were given a lane.
    pub triaged: u32,
    /// Messages (or parts) that could not be read, naming each.
    pub problems: Vec<String>,
}

/// One of the EP's mail templates.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TemplateDto {
    pub name: String,
    /// "reply", "forward" or "delegate": where it is offered.
    pub used_for: String,
    pub subject: Option<String>,
    pub body: String,
}

/// The executive's templates document, and the variables a template may use.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TemplatesDocument {
    pub executive_id: String,
    /// The TOML document (the defaults until the EP saves their own).
    pub toml: String,
    pub saved: bool,
    pub templates: Vec<TemplateDto>,
    /// `[name, meaning]` of every variable.
    pub variables: Vec<(String, String)>,
}

/// What the EP wants to write about a message.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DraftRequest {
    #[ts(type = "number")]
    pub message_id: i64,
    /// "reply", "reply_all", "forward" or "delegate".
    pub kind: String,
    /// A template by name (else an empty note above the quoted message).
    #[ts(optional)]
    pub template: Option<String>,
    /// Whom a forward or a delegation goes to ("Name <address>" or an address).
    #[serde(default)]
    pub to: Vec<String>,
    /// The EP's words, for the template's {note}.
    #[ts(optional)]
    pub note: Option<String>,
}

/// A mail ready for the EP to edit and send.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DraftDto {
    pub kind: String,
    #[ts(type = "number")]
    pub message_id: i64,
    /// Who it appears to be from (the executive), and who sends it (the EP), for the header line.
    pub from: String,
    pub sender: Option<String>,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub subject: String,
    pub body: String,
    /// A delegation: the days after which the EP is reminded if nobody has answered.
    pub follow_up_days: Option<u32>,
    /// The files a forward carries on (the original's attachments).
    #[serde(default)]
    pub attachments: Vec<String>,
}

/// A draft sent to the outbox: it leaves after the undo window.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SentDraftDto {
    /// The action to undo (takes the mail back while it waits, and the message's state).
    #[ts(type = "number")]
    pub action_id: i64,
    #[ts(type = "number")]
    pub outbox_id: i64,
    pub summary: String,
    pub send_after: String,
}
