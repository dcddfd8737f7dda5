use tandem_api::{dto::SessionDto, ApiError};

use crate::state::{AppState, Clock};

#[tauri::command]
pub async fn session(
    state: tauri::State<'_, AppState>,
    clock: tauri::State<'_, Clock>,
) -> Result<SessionDto, ApiError> {
    state.with(|t| t.session(clock.now()))
}
