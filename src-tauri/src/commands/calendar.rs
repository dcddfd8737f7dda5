use tandem_api::{dto::CalendarRange, ApiError};

use crate::state::AppState;

/// `from` is a local date `YYYY-MM-DD`; at most 42 days (six weeks) per call.
#[tauri::command]
pub async fn calendar_range(
    state: tauri::State<'_, AppState>,
    executive: String,
    from: String,
    days: u32,
) -> Result<CalendarRange, ApiError> {
    let from = chrono::NaiveDate::parse_from_str(&from, "%Y-%m-%d")
        .map_err(|_| ApiError::invalid(format!("'{from}' is not a date (YYYY-MM-DD)")))?;
    if !(1..=42).contains(&days) {
        return Err(ApiError::invalid(format!("{days} days is outside 1..=42")));
    }
    state.with(|t| t.calendar_range(Some(&executive), from, days))
}
