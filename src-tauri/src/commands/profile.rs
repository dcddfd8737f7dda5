use tandem_api::{
    dto::{ExecutiveDto, ProfileDocument, ProfileFields},
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

#[tauri::command]
pub async fn save_profile_fields(
    state: tauri::State<'_, AppState>,
    fields: ProfileFields,
) -> Result<ExecutiveDto, ApiError> {
    state.with(|t| t.save_profile_fields(&fields))
}
