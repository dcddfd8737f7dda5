//! The executive's briefing: the read-only window's one data command, and the EP's commands
//! that open that window, export the briefing, mail it, and write prep notes.

use std::path::{Path, PathBuf};

use tandem_api::briefing::{parse_edition, BriefingFormat};
use tandem_api::dto::OutboxDto;
use tandem_api::{ApiError, ErrorCode};
use tauri::{AppHandle, Manager, WebviewUrl, WebviewWindowBuilder};

use crate::state::{AppState, Clock};

/// The label of the executive's window; `capabilities/briefing.json` grants it read commands
/// only, and nothing that makes windows (one it made under the EP's label would get the EP's
/// commands).
pub const BRIEFING_WINDOW: &str = "briefing";

/// The briefing of `date` (`YYYY-MM-DD`, `today`, `tomorrow`), `morning` or `evening` edition,
/// as one self-contained HTML document, shown in a sandboxed frame. Reads only: showing a
/// briefing does not count as delivering it.
#[tauri::command]
pub async fn briefing_html(
    state: tauri::State<'_, AppState>,
    clock: tauri::State<'_, Clock>,
    executive: Option<String>,
    date: String,
    edition: Option<String>,
) -> Result<String, ApiError> {
    let now = clock.now();
    let edition = parse_edition(edition.as_deref().unwrap_or("morning"))?;
    state.with(|t| {
        let profile = t.executive(executive.as_deref())?;
        let day = tandem_api::dates::parse_day(&date, now, profile.home_time_zone)?;
        Ok(t.briefing(Some(&profile.id), day, edition, now)?.to_html())
    })
}

/// Where exports go: `TANDEM_EXPORT_DIR` when set (scripts, tests), else the user's Downloads
/// folder, else their home. There is no save dialog: the EP exports with one key and the toast
/// says where the file is.
fn export_dir(app: &AppHandle) -> Result<PathBuf, ApiError> {
    if let Some(dir) = std::env::var_os("TANDEM_EXPORT_DIR") {
        return Ok(PathBuf::from(dir));
    }
    let paths = app.path();
    paths.download_dir().or_else(|_| paths.home_dir()).map_err(|e| {
        ApiError::new(ErrorCode::File, format!("no Downloads or home folder to export the briefing to: {e}"))
    })
}

/// `name.ext`, or `name (2).ext` and so on when a file by that name is there already: an
/// export never overwrites an earlier one.
fn free_path(dir: &Path, name: &str) -> PathBuf {
    let first = dir.join(name);
    if !first.exists() {
        return first;
    }
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    (2..).map(|n| dir.join(format!("{stem} ({n}).{ext}"))).find(|p| !p.exists()).expect("some numbered name is free")
}

/// Writes the briefing as `format` (`pdf`, `html`, `text`) into the export folder and records
/// it as delivered; returns the file's path.
#[tauri::command]
pub async fn export_briefing(
    app: AppHandle,
    state: tauri::State<'_, AppState>,
    clock: tauri::State<'_, Clock>,
    executive: String,
    date: String,
    edition: String,
    format: String,
) -> Result<String, ApiError> {
    let now = clock.now();
    let edition = parse_edition(&edition)?;
    let format = BriefingFormat::parse(&format)?;
    let dir = export_dir(&app)?;
    std::fs::create_dir_all(&dir)
        .map_err(|e| ApiError::new(ErrorCode::File, format!("cannot create {}: {e}", dir.display())))?;
    state.with(|t| {
        let profile = t.executive(Some(&executive))?;
        let day = tandem_api::dates::parse_day(&date, now, profile.home_time_zone)?;
        let path = free_path(&dir, &t.briefing_file_name(Some(&profile.id), day, edition, format)?);
        t.export_briefing(Some(&profile.id), day, edition, format, &path, now)?;
        Ok(path.display().to_string())
    })
}

/// Queues the briefing as a mail to the executive (text and HTML, the PDF attached).
#[tauri::command]
pub async fn email_briefing(
    state: tauri::State<'_, AppState>,
    clock: tauri::State<'_, Clock>,
    executive: String,
    date: String,
    edition: String,
) -> Result<OutboxDto, ApiError> {
    let now = clock.now();
    let edition = parse_edition(&edition)?;
    state.with(|t| {
        let profile = t.executive(Some(&executive))?;
        let day = tandem_api::dates::parse_day(&date, now, profile.home_time_zone)?;
        t.email_briefing(Some(&profile.id), day, edition, now)
    })
}

/// Takes back a queued mail (the briefing mail's undo).
#[tauri::command]
pub async fn cancel_outbox(state: tauri::State<'_, AppState>, executive: String, id: i64) -> Result<(), ApiError> {
    state.with(|t| t.cancel_outbox(Some(&executive), id))
}

#[tauri::command]
pub async fn prep_note(
    state: tauri::State<'_, AppState>,
    executive: String,
    uid: String,
    recurrence_id: Option<String>,
) -> Result<Option<String>, ApiError> {
    state.with(|t| t.prep_note(Some(&executive), &uid, recurrence_id.as_deref()))
}

/// Sets (or, empty, removes) the EP's prep note on a meeting or one instance of a series.
#[tauri::command]
pub async fn set_prep_note(
    state: tauri::State<'_, AppState>,
    clock: tauri::State<'_, Clock>,
    executive: String,
    uid: String,
    recurrence_id: Option<String>,
    note: String,
) -> Result<(), ApiError> {
    let now = clock.now();
    state.with(|t| t.set_prep_note(Some(&executive), &uid, recurrence_id.as_deref(), &note, now))
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
