//! iCalendar (RFC 5545).
//!
//! Three layers: [`content`] reads and writes content lines (folding, parameters, escaping),
//! [`component`] builds the BEGIN/END tree and keeps each component's original text, and
//! [`event`] maps VEVENTs to and from the domain's [`tandem_core::Event`].
//!
//! Why not a ready parser crate: Tandem needs line-numbered problems, the original text of each
//! component (kept in the store, for lossless round trips and re-reading) and partial results.
//! `calcard` 0.3.14, the strongest candidate, was measured on the 561 real-world files of the
//! shared corpora (November 2026): it reads 560 (it also takes bare VTODO/VTIMEZONE files and
//! events without DTSTART, which Tandem reports and leaves out) and is about 2-3x faster at
//! plain parsing; but a bad line comes back as `InvalidLine(text)` with no line number, written
//! text is rebuilt from its typed model, and an unknown TZID with its own VTIMEZONE falls back
//! to a default zone (DESIGN.md) where Tandem matches the rules to the IANA zone meant (see
//! [`zone`]). Keeping the EP's files right outweighed the speed.

pub mod component;
pub mod content;
pub mod event;
pub mod zone;

use std::fmt;

pub use component::{parse_components, Component};
pub use event::{parse_calendar, write_back, write_calendar, write_vevent, ParsedCalendar, ParsedEvent};

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
