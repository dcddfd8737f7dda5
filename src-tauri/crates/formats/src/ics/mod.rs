//! iCalendar (RFC 5545).
//!
//! Three layers: [`content`] reads and writes content lines (folding, parameters, escaping),
//! [`component`] builds the BEGIN/END tree and keeps each component's original text, and
//! [`event`] maps VEVENTs to and from the domain's [`tandem_core::Event`].
//!
//! Why not a ready parser crate: the spine needs line-numbered problems, the original text of
//! each component (for lossless round trips) and partial results; `calcard` (the strongest
//! candidate) reports bad lines without their numbers and rebuilds text from its typed model.
//! The calendar-engine issue evaluates it against the real-world corpus.

pub mod component;
pub mod content;
pub mod event;
pub mod zone;

use std::fmt;

pub use component::{parse_components, Component};
pub use event::{parse_calendar, write_back, write_calendar, ParsedCalendar, ParsedEvent};

/// Something wrong in an iCalendar file, and where. The rest of the file is still read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line number in the file (of the first physical line of a folded line).
    pub line: usize,
    /// The component the problem is in, e.g. `VEVENT` or `VEVENT uid=abc@x`.
    pub component: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {} ({}): {}", self.line, self.component, self.message)
    }
}

/// A file that is not iCalendar at all.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum IcsError {
    #[error("not an iCalendar file: {0}")]
    NotICalendar(String),
}
