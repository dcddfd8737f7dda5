//! The background refresh of subscribed calendars.
//!
//! Once a minute the due feeds are fetched (the store is locked only to read and to record);
//! when one changed or failed, the window is told through the `calendars-changed` event so it
//! reloads the view and shows the feed's state. Offline, each fetch fails fast and the feed
//! backs off; the cached events stay on screen.

use std::time::Duration;

use tauri::{AppHandle, Emitter, Manager};

use crate::reminders::ReminderBell;
use crate::state::{AppState, Clock};

/// The HTTP client every feed fetch shares (one connection pool).
pub struct FeedClient(pub reqwest::Client);

/// How often due feeds are looked for; each feed has its own, longer, interval.
const TICK: Duration = Duration::from_secs(60);

/// The event the window listens to.
pub const CALENDARS_CHANGED: &str = "calendars-changed";

pub fn start(app: AppHandle, bell: ReminderBell) {
    tauri::async_runtime::spawn(async move {
        loop {
            if refresh(&app).await {
                // New events may hold a reminder that is due already.
                bell.ring();
            }
            tokio::time::sleep(TICK).await;
        }
    });
}

/// Refreshes the due feeds; whether any calendar's events changed.
async fn refresh(app: &AppHandle) -> bool {
    let (state, clock, client) = (app.state::<AppState>(), app.state::<Clock>(), app.state::<FeedClient>());
    let Ok(shared) = state.shared() else { return false };
    match tandem_api::subscription::refresh_due_feeds(shared, &client.0, clock.now()).await {
        Ok(reports) if !reports.is_empty() => {
            if let Err(e) = app.emit(CALENDARS_CHANGED, &reports) {
                tracing::warn!("cannot tell the window about refreshed calendars: {e}");
            }
            reports.iter().any(|r| r.changed)
        }
        Ok(_) => false,
        Err(e) => {
            tracing::warn!("feed refresh: {}", e.message);
            false
        }
    }
}
