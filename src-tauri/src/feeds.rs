//! The background refresh of subscribed calendars.
//!
//! Once a minute the due feeds are fetched (the store is locked only to read and to record);
//! when one changed or failed, the window is told through the `calendars-changed` event so it
//! reloads the view and shows the feed's state. Offline, each fetch fails fast and the feed
//! backs off; the cached events stay on screen.

use std::time::Duration;

use tauri::{AppHandle, Emitter, Manager};

use crate::state::{AppState, Clock};

/// The HTTP client every feed fetch shares (one connection pool).
pub struct FeedClient(pub reqwest::Client);

/// How often due feeds are looked for; each feed has its own, longer, interval.
const TICK: Duration = Duration::from_secs(60);

/// The event the window listens to.
pub const CALENDARS_CHANGED: &str = "calendars-changed";

pub fn start(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        loop {
            refresh(&app).await;
            tokio::time::sleep(TICK).await;
        }
    });
}

async fn refresh(app: &AppHandle) {
    let (state, clock, client) = (app.state::<AppState>(), app.state::<Clock>(), app.state::<FeedClient>());
    let Ok(shared) = state.shared() else { return };
    match tandem_api::subscription::refresh_due_feeds(shared, &client.0, clock.now()).await {
        Ok(reports) if !reports.is_empty() => {
            if let Err(e) = app.emit(CALENDARS_CHANGED, &reports) {
                tracing::warn!("cannot tell the window about refreshed calendars: {e}");
            }
        }
        Ok(_) => {}
        Err(e) => tracing::warn!("feed refresh: {}", e.message),
    }
}
