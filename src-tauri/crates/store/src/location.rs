//! Where the store lives: `--data-dir`, else `$TANDEM_DATA_DIR`, else the OS convention
//! (`~/.local/share/tandem` on Linux, `~/Library/Application Support/app.tandem.desktop` on macOS,
//! `%APPDATA%\tandem\desktop\data` on Windows).

use std::path::PathBuf;

use crate::{Result, StoreError};

pub const DATA_DIR_ENV: &str = "TANDEM_DATA_DIR";

pub fn default_data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("app", "tandem", "tandem").map(|d| d.data_dir().to_path_buf())
}

/// The data directory to use: the explicit one, else the environment's, else the OS default.
pub fn resolve_data_dir(explicit: Option<PathBuf>) -> Result<PathBuf> {
    explicit
        .or_else(|| std::env::var_os(DATA_DIR_ENV).filter(|v| !v.is_empty()).map(PathBuf::from))
        .or_else(default_data_dir)
        .ok_or(StoreError::NoDataDir)
}
