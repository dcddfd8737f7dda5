use tandem_api::{
    dto::{ExecutiveDto, ProfileDocument},
    ApiError,
};

use crate::state::AppState;

#[tauri::command]
pub async fn profile(state: tauri::State<'_, AppState>, executive: String) -> Result<ProfileDocument, ApiError> {
    state.with(|t| t.profile(Some(&executive)))
}

#[tauri::command]
pub async fn save_profile(state: tauri::State<'_, AppState>, toml: String) -> Result<ExecutiveDto, ApiError> {
    state.with(|t| t.save_profile(&toml))
}
