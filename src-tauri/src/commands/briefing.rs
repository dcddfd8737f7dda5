//! The executive's briefing: the read-only window's one data command, and the EP's command
//! that opens that window.

use tandem_api::ApiError;
use tauri::{AppHandle, Manager, WebviewUrl, WebviewWindowBuilder};

use crate::state::{AppState, Clock};

/// The label of the executive's window; `capabilities/briefing.json` grants it read commands
/// only, and nothing that makes windows (one it made under the EP's label would get the EP's
/// commands).
pub const BRIEFING_WINDOW: &str = "briefing";

/// The briefing of `date` (`YYYY-MM-DD`, `today`, `tomorrow`) as one self-contained HTML
/// document, shown in a sandboxed frame. Reads only.
#[tauri::command]
pub async fn briefing_html(
    state: tauri::State<'_, AppState>,
    clock: tauri::State<'_, Clock>,
    executive: Option<String>,
    date: String,
) -> Result<String, ApiError> {
    let now = clock.now();
    state.with(|t| {
        let profile = t.executive(executive.as_deref())?;
        let day = tandem_api::dates::parse_day(&date, now, profile.home_time_zone)?;
        Ok(t.briefing(Some(&profile.id), day, now)?.to_html())
    })
}

/// Opens (or brings forward) the executive's read-only briefing window.
#[tauri::command]
pub async fn open_briefing(app: AppHandle, executive: String) -> Result<(), ApiError> {
    if let Some(w) = app.get_webview_window(BRIEFING_WINDOW) {
        return w.set_focus().map_err(|e| ApiError::invalid(e.to_string()));
    }
    briefing_window(&app, Some(&executive)).map_err(|e| ApiError::invalid(format!("cannot open the briefing: {e}")))
}

/// Builds the briefing window (also the whole app with `--briefing`).
pub fn briefing_window(app: &AppHandle, executive: Option<&str>) -> tauri::Result<()> {
    let query = executive.map(|e| format!("?briefing&executive={e}")).unwrap_or_else(|| "?briefing".into());
    WebviewWindowBuilder::new(app, BRIEFING_WINDOW, WebviewUrl::App(format!("index.html{query}").into()))
        .title("Briefing")
        .inner_size(860.0, 1000.0)
        .build()?;
    Ok(())
}
