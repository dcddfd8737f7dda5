//! Tandem's pure domain.
//!
//! Everything an executive partner reasons about lives here as plain data: the executive's profile
//! (zones, working hours, focus time, groups of people), calendars, events and their occurrences,
//! mail messages, invitations and the decisions taken on them.
//!
//! Two rules keep this crate testable and reproducible:
//! - **no I/O**: callers load data (from the store, files, servers) and pass it in;
//! - **no clock**: `now` and time zones are always arguments, so the CLI's `--now` and the app's
//!   `TANDEM_NOW` make every answer repeatable.

pub mod briefing;
pub mod calendar;
pub mod decision;
pub mod invitation;
pub mod itip;
pub mod mail;
pub mod profile;
pub mod rules;
pub mod scheduler;
pub mod search;
pub mod template;
pub mod tier;
pub mod time;
pub mod triage;

pub use calendar::{
    expand::{expand_calendar, expand_series, ExpandError},
    merge::{merge_occurrences, MergedOccurrence},
    Attendee, Calendar, CalendarId, Event, EventStatus, EventTime, Occurrence, Participant, ParticipationStatus, Role,
    Transparency,
};
pub use profile::{ExecutiveProfile, ProfileError};
pub use rules::{RuleSet, RulesError};
pub use tier::Tier;
pub use time::TimeWindow;
