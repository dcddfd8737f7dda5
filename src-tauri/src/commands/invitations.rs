//! The invitations queue, the rules, the audit log, the outbox, and the meetings the
//! executive organises.

use tandem_api::{
    dto::{
        Answer, DecisionDto, DryRun, InvitationQueue, MeetingChanges, MeetingDraft, MeetingDto, OutboxDto, RuleFields,
        RulesDocument,
    },
    ApiError,
};

use crate::state::{AppState, Clock};

#[tauri::command]
pub async fn invitation_queue(
    state: tauri::State<'_, AppState>,
    executive: String,
) -> Result<InvitationQueue, ApiError> {
    state.with(|t| t.invitation_queue(Some(&executive)))
}

#[tauri::command]
pub async fn answer_invitation(
    state: tauri::State<'_, AppState>,
    clock: tauri::State<'_, Clock>,
    executive: String,
    id: i64,
    answer: Answer,
) -> Result<DecisionDto, ApiError> {
    state.with(|t| t.answer_invitation(Some(&executive), id, &answer, clock.now()))
}

#[tauri::command]
pub async fn undo_decision(
    state: tauri::State<'_, AppState>,
    clock: tauri::State<'_, Clock>,
    executive: String,
    id: i64,
) -> Result<DecisionDto, ApiError> {
    state.with(|t| t.undo_decision(Some(&executive), id, clock.now()))
}

#[tauri::command]
pub async fn decisions(
    state: tauri::State<'_, AppState>,
    executive: String,
    action: Option<String>,
    rule: Option<String>,
    text: Option<String>,
) -> Result<Vec<DecisionDto>, ApiError> {
    state.with(|t| t.decisions(Some(&executive), action.as_deref(), rule.as_deref(), text.as_deref(), None))
}

#[tauri::command]
pub async fn outbox(state: tauri::State<'_, AppState>, executive: String) -> Result<Vec<OutboxDto>, ApiError> {
    state.with(|t| t.outbox(Some(&executive)))
}

#[tauri::command]
pub async fn rules_document(state: tauri::State<'_, AppState>, executive: String) -> Result<RulesDocument, ApiError> {
    state.with(|t| t.rules_document(Some(&executive)))
}

/// Saves the rules (the document, or the form's fields) and runs them over what waits.
#[tauri::command]
pub async fn save_rules(
    state: tauri::State<'_, AppState>,
    clock: tauri::State<'_, Clock>,
    executive: String,
    toml: Option<String>,
    rules: Option<Vec<RuleFields>>,
) -> Result<RulesDocument, ApiError> {
    state.with(|t| {
        let now = clock.now();
        let doc = match (toml, rules) {
            (Some(toml), _) => t.save_rules(Some(&executive), &toml, now)?,
            (None, Some(rules)) => t.save_rule_fields(Some(&executive), &rules, now)?,
            (None, None) => return Err(ApiError::invalid("save_rules needs the document or the rules")),
        };
        t.process_invitations(Some(&executive), now)?;
        Ok(doc)
    })
}

/// What rules (an unsaved document or form, else the saved rules) would have done to past
/// invitations.
#[tauri::command]
pub async fn dry_run(
    state: tauri::State<'_, AppState>,
    clock: tauri::State<'_, Clock>,
    executive: String,
    toml: Option<String>,
    rules: Option<Vec<RuleFields>>,
    days: u32,
) -> Result<DryRun, ApiError> {
    state.with(|t| {
        let toml = match (toml, rules) {
            (Some(toml), _) => Some(toml),
            (None, Some(rules)) => Some(t.rule_fields_document(Some(&executive), &rules)?),
            (None, None) => None,
        };
        t.dry_run(Some(&executive), toml.as_deref(), days, clock.now())
    })
}

#[tauri::command]
pub async fn create_meeting(
    state: tauri::State<'_, AppState>,
    clock: tauri::State<'_, Clock>,
    executive: String,
    draft: MeetingDraft,
) -> Result<MeetingDto, ApiError> {
    state.with(|t| t.create_meeting(Some(&executive), &draft, clock.now()))
}

#[tauri::command]
pub async fn edit_meeting(
    state: tauri::State<'_, AppState>,
    clock: tauri::State<'_, Clock>,
    executive: String,
    uid: String,
    changes: MeetingChanges,
) -> Result<MeetingDto, ApiError> {
    state.with(|t| t.edit_meeting(Some(&executive), &uid, &changes, clock.now()))
}

#[tauri::command]
pub async fn cancel_meeting(
    state: tauri::State<'_, AppState>,
    clock: tauri::State<'_, Clock>,
    executive: String,
    uid: String,
    instance: Option<String>,
    message: Option<String>,
) -> Result<MeetingDto, ApiError> {
    state.with(|t| t.cancel_meeting(Some(&executive), &uid, instance.as_deref(), message.as_deref(), clock.now()))
}
