//! The background mail loop: the outbox is sent as soon as items leave their undo window, and
//! the executives' IMAP accounts are synced every few minutes. The store is locked only for
//! each write (see `tandem_sync::LockedStore`), so the EP keeps working during a slow sync.
//! Offline, each try fails fast, the outbox keeps everything queued with its backoff, and the
//! window is told (the `mail-synced` event carries each account's error) so it can say so.

use std::time::Duration;

use tauri::{AppHandle, Emitter, Manager};

use crate::state::{AppState, Clock};

/// How often the outbox is looked at (the undo window is a minute).
const TICK: Duration = Duration::from_secs(20);
/// How many ticks between IMAP syncs.
const SYNC_EVERY: u32 = 9;

/// The event the window listens to.
pub const MAIL_SYNCED: &str = "mail-synced";

pub fn start(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let mut tick = 0u32;
        loop {
            run(&app, tick.is_multiple_of(SYNC_EVERY)).await;
            tick = tick.wrapping_add(1);
            tokio::time::sleep(TICK).await;
        }
    });
}

async fn run(app: &AppHandle, full: bool) {
    let (state, clock) = (app.state::<AppState>(), app.state::<Clock>());
    let Ok(shared) = state.shared() else { return };
    let executives = {
        let t = shared.lock().unwrap_or_else(|p| p.into_inner());
        match t.executives() {
            Ok(list) => list,
            Err(e) => return tracing::warn!("mail loop: {}", e.message),
        }
    };
    for exec in executives {
        let has_accounts = {
            let t = shared.lock().unwrap_or_else(|p| p.into_inner());
            t.accounts(Some(&exec.id)).map(|a| !a.is_empty()).unwrap_or(false)
        };
        if !has_accounts {
            continue;
        }
        let report = if full {
            tandem_api::accounts::sync_mail(shared, Some(&exec.id), clock.now()).await
        } else {
            tandem_api::accounts::send_outbox(shared, Some(&exec.id), clock.now()).await.map(|row| {
                tandem_api::dto::MailSyncDto { accounts: row.into_iter().collect(), triaged: 0, problems: vec![] }
            })
        };
        match report {
            Ok(r) => {
                let changed = r.triaged > 0
                    || r.accounts
                        .iter()
                        .any(|a| a.added > 0 || a.sent > 0 || a.flags_pulled > 0 || a.gone > 0 || a.error.is_some());
                if changed || full {
                    if let Err(e) = app.emit(MAIL_SYNCED, (&exec.id, &r)) {
                        tracing::warn!("cannot tell the window about the mail sync: {e}");
                    }
                }
            }
            Err(e) => tracing::warn!(executive = %exec.id, "mail loop: {}", e.message),
        }
    }
}
