//! What every command shares: the open store (or why it could not be opened) and the clock.

use std::sync::Mutex;

use chrono::{DateTime, Utc};
use tandem_api::{dates, ApiError, Tandem};

/// The current time: the real clock, or a fixed instant from `TANDEM_NOW` (tests only) so
/// end-to-end tests see the same week every run.
pub struct Clock {
    fixed: Option<DateTime<Utc>>,
}

impl Clock {
    pub fn from_env() -> Self {
        let fixed = std::env::var("TANDEM_NOW").ok().and_then(|v| match dates::parse_instant(&v) {
            Ok(t) => Some(t),
            Err(e) => {
                tracing::warn!("ignoring TANDEM_NOW: {}", e.message);
                None
            }
        });
        Self { fixed }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.fixed.unwrap_or_else(Utc::now)
    }
}

pub struct AppState {
    tandem: Result<Mutex<Tandem>, ApiError>,
}

impl AppState {
    /// Opens the store and loads the demo into an empty one. Failure is kept, not fatal: the
    /// window opens and shows why (e.g. a store written by a newer Tandem).
    pub fn open(data_dir: Option<std::path::PathBuf>, clock: &Clock) -> Self {
        let tandem = Tandem::open(data_dir).and_then(|mut t| {
            if t.load_demo_if_empty(clock.now())? {
                tracing::info!(dir = %t.data_dir().display(), "first launch: demo executive loaded");
            }
            Ok(t)
        });
        if let Err(e) = &tandem {
            tracing::error!("cannot open the store: {}", e.message);
        }
        Self { tandem: tandem.map(Mutex::new) }
    }

    /// The open store for use cases that lock it themselves around network waits.
    pub fn shared(&self) -> Result<&Mutex<Tandem>, ApiError> {
        self.tandem.as_ref().map_err(Clone::clone)
    }

    /// Runs `f` with the open store.
    pub fn with<T>(&self, f: impl FnOnce(&mut Tandem) -> Result<T, ApiError>) -> Result<T, ApiError> {
        let lock = self.tandem.as_ref().map_err(Clone::clone)?;
        let mut guard = lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&mut guard)
    }
}
