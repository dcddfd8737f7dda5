use tandem_api::{dto::DemoReport, ApiError};

use crate::state::{AppState, Clock};

#[tauri::command]
pub async fn load_demo(
    state: tauri::State<'_, AppState>,
    clock: tauri::State<'_, Clock>,
) -> Result<DemoReport, ApiError> {
    state.with(|t| t.load_demo(clock.now()))
}
