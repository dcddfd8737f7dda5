//! The background refresh of calendars from servers: subscribed feeds and CalDAV accounts.
//!
//! Once a minute the due feeds are fetched and every CalDAV account is synced (changes made
//! here written first; an unchanged calendar costs one request). The store is locked only to
//! read and to record. When a calendar changed or failed, the window is told through the
//! `calendars-changed` event so it reloads the view; `calendars-synced` carries each CalDAV
//! sync's report (what waits to leave, conflicts, errors) for the status bar. Offline, each
//! try fails fast, writes wait in the outbox with their back-off, and the cached events stay.

use std::time::Duration;

use tauri::{AppHandle, Emitter, Manager};

use crate::reminders::ReminderBell;
use crate::state::{AppState, Clock};

/// The HTTP client every feed fetch shares (one connection pool).
pub struct FeedClient(pub reqwest::Client);

/// How often due feeds are looked for; each feed has its own, longer, interval.
const TICK: Duration = Duration::from_secs(60);

/// The events the window listens to.
pub const CALENDARS_CHANGED: &str = "calendars-changed";
pub const CALENDARS_SYNCED: &str = "calendars-synced";

pub fn start(app: AppHandle, bell: ReminderBell) {
    tauri::async_runtime::spawn(async move {
        loop {
            let synced = sync_caldav(&app).await;
            if refresh(&app).await || synced {
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

/// Syncs every executive's CalDAV calendars; whether any calendar's events changed.
async fn sync_caldav(app: &AppHandle) -> bool {
    let (state, clock) = (app.state::<AppState>(), app.state::<Clock>());
    let Ok(shared) = state.shared() else { return false };
    let executives = {
        let t = shared.lock().unwrap_or_else(|p| p.into_inner());
        t.executives().unwrap_or_default()
    };
    let mut changed = false;
    for exec in executives {
        let has_caldav = {
            let t = shared.lock().unwrap_or_else(|p| p.into_inner());
            t.accounts(Some(&exec.id)).map(|a| a.iter().any(|a| a.kind == "caldav")).unwrap_or(false)
        };
        if !has_caldav {
            continue;
        }
        match tandem_api::caldav::sync_calendars(shared, Some(&exec.id), clock.now()).await {
            Ok(report) => {
                let moved = report.written > 0 || report.calendars.iter().any(|c| c.fetched > 0 || c.removed > 0);
                changed |= moved;
                if moved {
                    let _ = app.emit(CALENDARS_CHANGED, Vec::<tandem_api::dto::FeedReportDto>::new());
                }
                if let Err(e) = app.emit(CALENDARS_SYNCED, (&exec.id, &report)) {
                    tracing::warn!("cannot tell the window about the calendar sync: {e}");
                }
            }
            Err(e) => tracing::warn!(executive = %exec.id, "calendar sync: {}", e.message),
        }
    }
    changed
}
