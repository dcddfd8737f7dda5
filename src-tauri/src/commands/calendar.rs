use tandem_api::{dto::CalendarRange, ApiError};

use crate::state::AppState;

/// `from` is a local date `YYYY-MM-DD`.
#[tauri::command]
pub async fn calendar_range(
    state: tauri::State<'_, AppState>,
    executive: String,
    from: String,
    days: u32,
) -> Result<CalendarRange, ApiError> {
    let from = chrono::NaiveDate::parse_from_str(&from, "%Y-%m-%d")
        .map_err(|_| ApiError::invalid(format!("'{from}' is not a date (YYYY-MM-DD)")))?;
    state.with(|t| t.calendar_range(Some(&executive), from, days))
}
