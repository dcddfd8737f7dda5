use tandem_api::{
    dto::{CalendarDto, CalendarRange, ImportFileReport},
    ApiError,
};

use crate::state::{AppState, Clock};

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

/// Colour (`#rrggbb`) and visibility of one of the executive's calendars.
#[tauri::command]
pub async fn update_calendar(
    state: tauri::State<'_, AppState>,
    executive: String,
    id: i64,
    color: String,
    visible: bool,
) -> Result<CalendarDto, ApiError> {
    state.with(|t| t.update_calendar(Some(&executive), id, &color, visible))
}

/// An .ics file the EP picked or dropped: the webview sends its name and contents.
#[tauri::command]
pub async fn import_ics_text(
    state: tauri::State<'_, AppState>,
    clock: tauri::State<'_, Clock>,
    executive: String,
    file_name: String,
    text: String,
) -> Result<ImportFileReport, ApiError> {
    state.with(|t| t.import_ics_text(Some(&executive), &file_name, &text, clock.now()))
}
