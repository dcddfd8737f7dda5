//! Tandem's file formats.
//!
//! - [`ics`]: iCalendar (RFC 5545) read and write, with line-numbered problems and partial
//!   results: one bad VEVENT never costs the rest of the file.
//! - [`mail`]: RFC 5322 / MIME messages (via `mail-parser`), including the text/calendar parts
//!   that carry invitations (iMIP, RFC 6047).
//!
//! Bad input is a value here, never a panic: parsers return what they could read plus a list of
//! problems that say what and where.

pub mod ics;
pub mod mail;
