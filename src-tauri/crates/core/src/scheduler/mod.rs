//! The scheduler: what is wrong with the executive's calendar, and which meetings move where,
//! and why.
//!
//! [`conflicts`] finds what is wrong in the calendar's terms. [`instance`] is the solver's
//! self-contained input (a JSON format other tools can read), [`solve`] finds the plan that
//! disturbs least, and [`check`] verifies any plan against the instance independently.
//!
//! It works on [`Meeting`]s: concrete instances with the facts the scheduler weighs (tier, who
//! organises it, where it is, how firmly it holds time), built by the caller from the merged
//! calendars, so this module stays pure and testable on plain data.

pub mod check;
pub mod conflicts;
pub mod find;
pub mod instance;
pub mod proposal;
pub mod solve;
pub mod week;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::calendar::freebusy::Busy;
use crate::tier::Tier;

/// One meeting instance as the scheduler sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Meeting {
    pub uid: String,
    /// The instance, for a member of a series (contract form).
    pub recurrence_id: Option<String>,
    pub summary: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub hold: Busy,
    pub tier: Tier,
    /// Where, when it says (a place or a call link).
    pub location: Option<String>,
    /// The executive organises it: it can be moved. Others' can only be countered or declined.
    pub own: bool,
    /// Everyone invited.
    pub attendees: u32,
}
