use tandem_api::{dto::InboxPage, ApiError};

use crate::state::AppState;

#[tauri::command]
pub async fn inbox(
    state: tauri::State<'_, AppState>,
    executive: String,
    offset: u32,
    limit: u32,
) -> Result<InboxPage, ApiError> {
    state.with(|t| t.inbox(Some(&executive), offset as usize, limit as usize))
}
