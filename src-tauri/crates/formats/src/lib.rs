//! Tandem's file formats.
//!
//! - [`ics`]: iCalendar (RFC 5545) read and write, with line-numbered problems and partial
//!   results: one bad VEVENT never costs the rest of the file.
//! - [`mail`]: RFC 5322 / MIME messages (via `mail-parser`), including the text/calendar parts
//!   that carry invitations (iMIP, RFC 6047).
//! - [`html`]: HTML mail sanitised (ammonia) and wrapped under a strict CSP for a sandboxed frame.
//! - [`itip`]: outgoing iTIP messages (RFC 5546) written, and the iMIP mail that carries them.
//! - [`dav`]: WebDAV/CalDAV XML (RFC 4918, 4791, 6578): the requests the CalDAV client sends and
//!   the multistatus answers servers give it (untrusted input, so it lives here and is fuzzed).
//!
//! Bad input is a value here, never a panic: parsers return what they could read plus a list of
//! problems that say what and where.

pub mod briefing_pdf;
pub mod dav;
pub mod html;
pub mod ics;
pub mod itip;
pub mod mail;
pub mod outgoing;

/// FNV-1a: a stable content hash for identifiers Tandem must make up (a message without a
/// Message-ID, an event without a UID), so re-importing the same input gives the same id. Not
/// for security.
pub fn content_hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}
