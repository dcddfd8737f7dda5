//! Mail accounts, sync, and writing mail: replies, forwards and delegations from templates.

use tandem_api::accounts;
use tandem_api::dto::{
    AccountDto, CalDavAccountDto, ClashDto, DraftDto, DraftRequest, MailSyncDto, NewAccountDto, NewCalDavAccountDto,
    RemoteCalendarDto, SentDraftDto, ServerCalendarDto, SyncDto, SyncProgressDto, SyncStatusDto, TemplatesDocument,
};
use tandem_api::ApiError;

use crate::state::{AppState, Clock};

#[tauri::command]
pub async fn accounts(state: tauri::State<'_, AppState>, executive: String) -> Result<Vec<AccountDto>, ApiError> {
    state.with(|t| t.accounts(Some(&executive)))
}

/// Adds an account once the server has accepted its login; the password goes to the OS
/// keychain and is never stored or logged.
#[tauri::command]
pub async fn add_account(
    state: tauri::State<'_, AppState>,
    clock: tauri::State<'_, Clock>,
    executive: String,
    account: NewAccountDto,
    password: String,
) -> Result<AccountDto, ApiError> {
    accounts::add_account(state.shared()?, Some(&executive), &account, &password, clock.now()).await
}

#[tauri::command]
pub async fn remove_account(state: tauri::State<'_, AppState>, executive: String, id: i64) -> Result<(), ApiError> {
    state.with(|t| t.remove_account(Some(&executive), id))
}

/// Syncs the executive's mail now (the background loop does it every few minutes); what
/// waits out a back-off is tried at once.
#[tauri::command]
pub async fn sync_mail(
    state: tauri::State<'_, AppState>,
    clock: tauri::State<'_, Clock>,
    executive: String,
) -> Result<MailSyncDto, ApiError> {
    let now = clock.now();
    state.with(|t| t.retry_now(Some(&executive), now))?;
    accounts::sync_mail(state.shared()?, Some(&executive), now).await
}

/// Adds a CalDAV account once its calendars are found with the login given; the password goes
/// to the OS keychain. The first sync fetches the calendars.
#[tauri::command]
pub async fn add_caldav_account(
    state: tauri::State<'_, AppState>,
    clock: tauri::State<'_, Clock>,
    executive: String,
    account: NewCalDavAccountDto,
    password: String,
) -> Result<CalDavAccountDto, ApiError> {
    tandem_api::caldav::add_caldav_account(state.shared()?, Some(&executive), &account, &password, clock.now()).await
}

/// Syncs the executive's CalDAV calendars now: changes made here first, then the servers'.
/// `on_progress` hears how far each calendar's fetch has got.
#[tauri::command]
pub async fn sync_calendars(
    state: tauri::State<'_, AppState>,
    clock: tauri::State<'_, Clock>,
    executive: String,
    on_progress: tauri::ipc::Channel<SyncProgressDto>,
) -> Result<SyncDto, ApiError> {
    let report = move |p: SyncProgressDto| {
        // A window closed meanwhile no longer listens; the sync goes on.
        let _ = on_progress.send(p);
    };
    let now = clock.now();
    state.with(|t| t.retry_now(Some(&executive), now))?;
    tandem_api::caldav::sync_calendars_with(state.shared()?, Some(&executive), now, &report).await
}

/// The calendars on a CalDAV account's server, and which Tandem mirrors.
#[tauri::command]
pub async fn server_calendars(
    state: tauri::State<'_, AppState>,
    executive: String,
    account: i64,
) -> Result<Vec<ServerCalendarDto>, ApiError> {
    tandem_api::caldav::server_calendars(state.shared()?, Some(&executive), account).await
}

/// Adds a server calendar to a CalDAV account's mirrored ones; the next sync fetches it.
#[tauri::command]
pub async fn mirror_calendar(
    state: tauri::State<'_, AppState>,
    executive: String,
    account: i64,
    name: String,
) -> Result<RemoteCalendarDto, ApiError> {
    tandem_api::caldav::mirror_calendar(state.shared()?, Some(&executive), account, &name).await
}

/// Takes a mirrored calendar out of Tandem (the server keeps it); its name.
#[tauri::command]
pub async fn remove_mirrored_calendar(
    state: tauri::State<'_, AppState>,
    executive: String,
    calendar: i64,
) -> Result<String, ApiError> {
    state.with(|t| t.remove_mirrored_calendar(Some(&executive), calendar))
}

/// What waits to leave, the clashes to settle and the accounts failing (the status bar).
#[tauri::command]
pub async fn sync_status(state: tauri::State<'_, AppState>, executive: String) -> Result<SyncStatusDto, ApiError> {
    state.with(|t| t.sync_status(Some(&executive)))
}

/// The clashes CalDAV sync kept for the EP.
#[tauri::command]
pub async fn clashes(state: tauri::State<'_, AppState>, executive: String) -> Result<Vec<ClashDto>, ApiError> {
    state.with(|t| t.clashes(Some(&executive)))
}

/// Keeps one side of a clash: `mine` or `theirs`.
#[tauri::command]
pub async fn resolve_clash(
    state: tauri::State<'_, AppState>,
    clock: tauri::State<'_, Clock>,
    executive: String,
    id: i64,
    keep: String,
) -> Result<(), ApiError> {
    let now = clock.now();
    state.with(|t| t.resolve_clash(Some(&executive), id, &keep, now))
}

#[tauri::command]
pub async fn templates(state: tauri::State<'_, AppState>, executive: String) -> Result<TemplatesDocument, ApiError> {
    state.with(|t| t.templates_document(Some(&executive)))
}

#[tauri::command]
pub async fn save_templates(
    state: tauri::State<'_, AppState>,
    clock: tauri::State<'_, Clock>,
    executive: String,
    toml: String,
) -> Result<TemplatesDocument, ApiError> {
    let now = clock.now();
    state.with(|t| t.save_templates(Some(&executive), &toml, now))
}

#[tauri::command]
pub async fn draft_mail(
    state: tauri::State<'_, AppState>,
    executive: String,
    request: DraftRequest,
) -> Result<DraftDto, ApiError> {
    state.with(|t| t.draft(Some(&executive), &request))
}

#[tauri::command]
pub async fn send_draft(
    state: tauri::State<'_, AppState>,
    clock: tauri::State<'_, Clock>,
    executive: String,
    draft: DraftDto,
) -> Result<SentDraftDto, ApiError> {
    let now = clock.now();
    state.with(|t| t.send_draft(Some(&executive), &draft, now))
}
