//! The inbox: lanes, search, triage and the EP's actions on messages.

use tandem_api::dto::{
    InboxPage, MailActionDto, MailActionKind, MessageView, SearchDto, TriageReport, TriageRulesDocument,
};
use tandem_api::ApiError;

use crate::state::{AppState, Clock};

/// The inbox at the app's clock, in working order; `lane` narrows it to one lane.
#[tauri::command]
pub async fn inbox(
    state: tauri::State<'_, AppState>,
    clock: tauri::State<'_, Clock>,
    executive: String,
    lane: Option<String>,
    offset: u32,
    limit: u32,
) -> Result<InboxPage, ApiError> {
    let now = clock.now();
    state.with(|t| t.inbox(Some(&executive), lane.as_deref(), offset as usize, limit as usize, now))
}

#[tauri::command]
pub async fn search_mail(
    state: tauri::State<'_, AppState>,
    executive: String,
    query: String,
    limit: u32,
) -> Result<SearchDto, ApiError> {
    state.with(|t| t.search(Some(&executive), &query, limit as usize))
}

#[tauri::command]
pub async fn triage(
    state: tauri::State<'_, AppState>,
    clock: tauri::State<'_, Clock>,
    executive: String,
    again: bool,
) -> Result<TriageReport, ApiError> {
    let now = clock.now();
    state.with(|t| t.triage(Some(&executive), again, now))
}

#[tauri::command]
pub async fn act_on_mail(
    state: tauri::State<'_, AppState>,
    clock: tauri::State<'_, Clock>,
    executive: String,
    ids: Vec<i64>,
    action: MailActionKind,
) -> Result<MailActionDto, ApiError> {
    let now = clock.now();
    state.with(|t| t.act_on_mail(Some(&executive), &ids, &action, now))
}

#[tauri::command]
pub async fn undo_mail_action(
    state: tauri::State<'_, AppState>,
    clock: tauri::State<'_, Clock>,
    executive: String,
    id: i64,
) -> Result<MailActionDto, ApiError> {
    let now = clock.now();
    state.with(|t| t.undo_mail_action(Some(&executive), id, now))
}

#[tauri::command]
pub async fn triage_rules(
    state: tauri::State<'_, AppState>,
    executive: String,
) -> Result<TriageRulesDocument, ApiError> {
    state.with(|t| t.triage_rules_document(Some(&executive)))
}

#[tauri::command]
pub async fn save_triage_rules(
    state: tauri::State<'_, AppState>,
    clock: tauri::State<'_, Clock>,
    executive: String,
    toml: String,
) -> Result<TriageReport, ApiError> {
    let now = clock.now();
    state.with(|t| t.save_triage_rules(Some(&executive), &toml, now))
}

/// Opens a message (marking it read): its text, and its HTML sanitised for a sandboxed frame.
#[tauri::command]
pub async fn read_message(
    state: tauri::State<'_, AppState>,
    executive: String,
    id: i64,
) -> Result<MessageView, ApiError> {
    state.with(|t| t.read_message(Some(&executive), id))
}

#[tauri::command]
pub async fn allow_remote_content(
    state: tauri::State<'_, AppState>,
    clock: tauri::State<'_, Clock>,
    executive: String,
    sender: String,
    allowed: bool,
) -> Result<(), ApiError> {
    let now = clock.now();
    state.with(|t| t.allow_remote_content(Some(&executive), &sender, allowed, now))
}
