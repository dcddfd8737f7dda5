//! Meeting reminders, snoozed mail waking and follow-ups falling due, as desktop notifications.
//!
//! Every [`TICK`] (and at once when the calendars change: an imported meeting may already be
//! due) the due reminders of every executive are claimed in the store, shown as a desktop
//! notification, and sent to the window as a `reminder` event so it can show them too (the EP
//! may have notifications turned off). A claimed reminder is never shown twice, even after a
//! restart; one missed while Tandem was closed is shown if its meeting has not long begun.

use std::sync::Arc;
use std::time::Duration;

use tandem_api::dto::ReminderDto;
use tauri::{AppHandle, Emitter, Manager};
use tauri_plugin_notification::NotificationExt;
use tokio::sync::Notify;

use crate::state::{AppState, Clock};

const TICK: Duration = Duration::from_secs(20);

/// The event the window listens to.
pub const REMINDER: &str = "reminder";
/// The event for snoozed mail waking and follow-ups due: the window reloads its inbox.
pub const MAIL_DUE: &str = "mail-due";

/// Wakes the reminder loop before its next tick.
#[derive(Clone, Default)]
pub struct ReminderBell(Arc<Notify>);

impl ReminderBell {
    pub fn ring(&self) {
        self.0.notify_one();
    }
}

pub fn start(app: AppHandle, bell: ReminderBell) {
    tauri::async_runtime::spawn(async move {
        loop {
            deliver(&app);
            tokio::select! {
                _ = tokio::time::sleep(TICK) => {}
                _ = bell.0.notified() => {}
            }
        }
    });
}

fn deliver(app: &AppHandle) {
    deliver_meetings(app);
    deliver_mail(app);
}

/// Snoozed messages back in the inbox and follow-ups with no reply, each notified once.
fn deliver_mail(app: &AppHandle) {
    let (state, clock) = (app.state::<AppState>(), app.state::<Clock>());
    let due = match state.with(|t| t.due_mail(clock.now())) {
        Ok(due) => due,
        Err(e) => {
            tracing::warn!("mail wake-ups: {}", e.message);
            return;
        }
    };
    if due.is_empty() {
        return;
    }
    for d in &due {
        let title = if d.kind == "snooze" { "Back from snooze" } else { "No reply yet" };
        let from = d.message.from_name.as_deref().unwrap_or(&d.message.from_address);
        let body = format!("{} — {from}: {}", d.executive_name, d.message.subject);
        if let Err(e) = app.notification().builder().title(title).body(body).show() {
            tracing::warn!("desktop notification not shown: {e}");
        }
    }
    if let Err(e) = app.emit(MAIL_DUE, &due) {
        tracing::warn!("cannot send mail wake-ups to the window: {e}");
    }
}

fn deliver_meetings(app: &AppHandle) {
    let (state, clock) = (app.state::<AppState>(), app.state::<Clock>());
    let due = match state.with(|t| t.due_reminders(clock.now())) {
        Ok(due) => due,
        Err(e) => {
            tracing::warn!("reminders: {}", e.message);
            return;
        }
    };
    if due.is_empty() {
        return;
    }
    for r in &due {
        let shown = app.notification().builder().title(&r.summary).body(body(r)).show();
        if let Err(e) = shown {
            // No notification service (a bare session, or the EP turned them off): the window
            // still shows the reminder.
            tracing::warn!("desktop notification not shown: {e}");
        }
    }
    if let Err(e) = app.emit(REMINDER, &due) {
        tracing::warn!("cannot send reminders to the window: {e}");
    }
}

/// "14:30 (in 30 min) · HQ 12th floor · Bring the signed audit letter".
fn body(r: &ReminderDto) -> String {
    let when = match r.minutes_until {
        m if m > 0 => format!("{} (in {m} min)", r.local_start),
        0 => format!("{} (now)", r.local_start),
        m => format!("{} (began {} min ago)", r.local_start, -m),
    };
    let mut parts = vec![when];
    parts.extend(r.location.clone());
    parts.extend(r.note.clone());
    if r.executive_name.is_empty() {
        return parts.join(" · ");
    }
    format!("{} — {}", r.executive_name, parts.join(" · "))
}
