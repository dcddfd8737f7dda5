//! Tandem's use cases: the one API the desktop app and the `tandem` CLI both call.
//!
//! Each use case loads what it needs from the store, asks `core` for the answer and returns a
//! DTO from [`dto`]. DTOs derive `ts_rs::TS`; `cargo test -p tandem-api` writes their TypeScript
//! twins to `ui/src/ipc/bindings/`, and CI fails if the committed copies differ, so the UI and
//! the backend cannot drift apart.
//!
//! Errors are [`ApiError`]: a stable machine-readable [`ErrorCode`] plus a message for people.
//! Time comes in as `now`; nothing here reads the clock.

pub mod accounts;
pub mod briefing;
pub mod caldav;
pub mod calendar;
pub mod compose;
pub mod dates;
pub mod demo;
pub mod dto;
pub mod error;
pub mod expand;
pub mod inbox;
pub mod invitations;
pub mod meetings;
mod outgoing;
pub mod profile;
pub mod reminder;
pub mod rules;
pub mod schedule;
mod session;
pub mod subscription;

pub use error::{ApiError, ErrorCode};
pub use session::Tandem;
pub use tandem_core::TimeWindow;
