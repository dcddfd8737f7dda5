use tandem_api::{
    dto::{CalendarDto, CalendarRange, FeedReportDto, ImportReport},
    subscription, ApiError,
};

use crate::feeds::FeedClient;
use crate::reminders::ReminderBell;
use crate::state::{AppState, Clock};

/// `from` is a local date `YYYY-MM-DD`.
#[tauri::command]
pub async fn calendar_range(
    state: tauri::State<'_, AppState>,
    executive: String,
    from: String,
    days: u32,
) -> Result<CalendarRange, ApiError> {
    let from = day(&from)?;
    state.with(|t| t.calendar_range(Some(&executive), from, days))
}

/// A `YYYY-MM-DD` the UI sends.
fn day(text: &str) -> Result<chrono::NaiveDate, ApiError> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| ApiError::invalid(format!("'{text}' is not a date (YYYY-MM-DD)")))
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
    bell: tauri::State<'_, ReminderBell>,
    executive: String,
    file_name: String,
    text: String,
) -> Result<ImportReport, ApiError> {
    let report = state.with(|t| t.import_ics_text(Some(&executive), &file_name, &text, clock.now()))?;
    bell.ring();
    Ok(report)
}

/// Subscribes to a published calendar (webcal:/https); fetched before it is added.
#[tauri::command]
pub async fn subscribe_calendar(
    state: tauri::State<'_, AppState>,
    clock: tauri::State<'_, Clock>,
    client: tauri::State<'_, FeedClient>,
    bell: tauri::State<'_, ReminderBell>,
    executive: String,
    url: String,
    name: Option<String>,
) -> Result<CalendarDto, ApiError> {
    let shared = state.shared()?;
    let (calendar, _) =
        subscription::subscribe(shared, &client.0, Some(&executive), &url, name.as_deref(), clock.now()).await?;
    bell.ring();
    Ok(calendar)
}

/// Fetches a subscribed calendar now (and any other feed that is due).
#[tauri::command]
pub async fn refresh_calendar(
    state: tauri::State<'_, AppState>,
    clock: tauri::State<'_, Clock>,
    client: tauri::State<'_, FeedClient>,
    bell: tauri::State<'_, ReminderBell>,
    executive: String,
    id: i64,
) -> Result<Vec<FeedReportDto>, ApiError> {
    let now = clock.now();
    state.with(|t| t.refresh_calendar_soon(Some(&executive), id, now))?;
    let reports = subscription::refresh_due_feeds(state.shared()?, &client.0, now).await?;
    bell.ring();
    Ok(reports)
}

/// What is wrong with the days shown: overlaps, travel, hours, focus time, buffers, lunch.
#[tauri::command]
pub async fn conflicts(
    state: tauri::State<'_, AppState>,
    clock: tauri::State<'_, Clock>,
    executive: String,
    from: String,
    days: u32,
) -> Result<tandem_api::dto::ConflictsDto, ApiError> {
    let from = day(&from)?;
    state.with(|t| t.conflicts(Some(&executive), from, days, clock.now()))
}

/// The scheduler's proposals for the days shown: who moves where and why, with alternatives.
#[tauri::command]
pub async fn schedule(
    state: tauri::State<'_, AppState>,
    clock: tauri::State<'_, Clock>,
    executive: String,
    from: String,
    days: u32,
) -> Result<tandem_api::dto::ScheduleDto, ApiError> {
    let from = day(&from)?;
    state.with(|t| t.schedule(Some(&executive), from, days, clock.now()))
}

/// Approves a proposal's moves (or an alternative's): meetings move, updates and
/// counter-proposals wait in the outbox.
#[tauri::command]
pub async fn approve_moves(
    state: tauri::State<'_, AppState>,
    clock: tauri::State<'_, Clock>,
    executive: String,
    moves: Vec<tandem_api::dto::MoveDto>,
) -> Result<tandem_api::dto::ApprovalDto, ApiError> {
    state.with(|t| t.approve_moves(Some(&executive), &moves, clock.now()))
}

/// Takes an approval back while nothing of it has left.
#[tauri::command]
pub async fn undo_approval(
    state: tauri::State<'_, AppState>,
    clock: tauri::State<'_, Clock>,
    executive: String,
    id: i64,
) -> Result<tandem_api::dto::ApprovalDto, ApiError> {
    state.with(|t| t.undo_approval(Some(&executive), id, clock.now()))
}

/// The best slots for a new meeting with these attendees, ranked, with reasons.
#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub async fn find_time(
    state: tauri::State<'_, AppState>,
    clock: tauri::State<'_, Clock>,
    executive: String,
    attendees: Vec<String>,
    optional: Vec<String>,
    minutes: u32,
    from: String,
    days: u32,
) -> Result<tandem_api::dto::FindTimeDto, ApiError> {
    let from = day(&from)?;
    state.with(|t| t.find_time(Some(&executive), &attendees, &optional, minutes, from, days, 5, clock.now()))
}
