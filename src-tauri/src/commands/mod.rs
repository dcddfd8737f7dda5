//! IPC commands, one file per area: state -> api call -> typed result. Commands are async so
//! Tauri runs them off the main thread and the window never waits on the store.

pub mod briefing;
pub mod calendar;
pub mod demo;
pub mod inbox;
pub mod invitations;
pub mod mail;
pub mod profile;
pub mod session;
