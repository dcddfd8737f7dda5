//! Tandem's desktop app: a Tauri v2 shell around the `tandem_api` use cases.
//!
//! This crate holds no domain logic. Each command in [`commands`] takes the shared state, calls
//! one `api` function and returns its typed result or its `ApiError` (`{code, message}`).
//! The store is opened once at start; on first launch with an empty store the demo executive
//! is loaded, so a newcomer sees a real week straight away.

mod commands;
mod feeds;
mod mailer;
mod reminders;
mod state;

use state::{AppState, Clock};

pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("TANDEM_LOG").unwrap_or_else(|_| "info".into()))
        .init();
    let clock = Clock::from_env();
    let state = AppState::open(data_dir_from_args(), &clock);
    let bell = reminders::ReminderBell::default();
    tauri::Builder::default()
        .plugin(tauri_plugin_notification::init())
        .manage(clock)
        .manage(bell.clone())
        .manage(state)
        .manage(feeds::FeedClient(tandem_api::subscription::feed_client()))
        .setup(move |app| {
            // `--briefing` opens the executive's read-only window alone; otherwise the EP's.
            if std::env::args().any(|a| a == "--briefing") {
                commands::briefing::briefing_window(app.handle(), None)?;
            } else {
                let ep = app.config().app.windows.first().cloned().expect("tauri.conf.json declares the EP window");
                tauri::WebviewWindowBuilder::from_config(app.handle(), &ep)?.build()?;
            }
            feeds::start(app.handle().clone(), bell.clone());
            reminders::start(app.handle().clone(), bell);
            mailer::start(app.handle().clone());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::session::session,
            commands::briefing::briefing_html,
            commands::briefing::open_briefing,
            commands::briefing::export_briefing,
            commands::briefing::email_briefing,
            commands::briefing::cancel_outbox,
            commands::briefing::prep_note,
            commands::briefing::set_prep_note,
            commands::mail::accounts,
            commands::mail::add_account,
            commands::mail::remove_account,
            commands::mail::sync_mail,
            commands::mail::add_caldav_account,
            commands::mail::sync_calendars,
            commands::mail::clashes,
            commands::mail::sync_status,
            commands::mail::server_calendars,
            commands::mail::mirror_calendar,
            commands::mail::remove_mirrored_calendar,
            commands::mail::resolve_clash,
            commands::mail::templates,
            commands::mail::save_templates,
            commands::mail::draft_mail,
            commands::mail::send_draft,
            commands::calendar::calendar_range,
            commands::calendar::conflicts,
            commands::calendar::schedule,
            commands::calendar::approve_moves,
            commands::calendar::undo_approval,
            commands::calendar::find_time,
            commands::calendar::update_calendar,
            commands::calendar::import_ics_text,
            commands::calendar::subscribe_calendar,
            commands::calendar::refresh_calendar,
            commands::inbox::inbox,
            commands::inbox::search_mail,
            commands::inbox::triage,
            commands::inbox::act_on_mail,
            commands::inbox::undo_mail_action,
            commands::inbox::triage_rules,
            commands::inbox::save_triage_rules,
            commands::inbox::read_message,
            commands::inbox::allow_remote_content,
            commands::invitations::invitation_queue,
            commands::invitations::answer_invitation,
            commands::invitations::undo_decision,
            commands::invitations::decisions,
            commands::invitations::outbox,
            commands::invitations::rules_document,
            commands::invitations::save_rules,
            commands::invitations::dry_run,
            commands::invitations::create_meeting,
            commands::invitations::edit_meeting,
            commands::invitations::cancel_meeting,
            commands::profile::profile,
            commands::profile::save_profile,
            commands::profile::save_profile_fields,
            commands::demo::load_demo,
        ])
        .run(tauri::generate_context!())
        .expect("Tauri failed to start the Tandem window");
}

/// `--data-dir DIR` on the command line (else `TANDEM_DATA_DIR`, else the OS default).
fn data_dir_from_args() -> Option<std::path::PathBuf> {
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--data-dir" {
            return args.next().map(Into::into);
        }
        if let Some(v) = a.strip_prefix("--data-dir=") {
            return Some(v.into());
        }
    }
    None
}
