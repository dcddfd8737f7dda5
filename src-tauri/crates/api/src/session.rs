//! [`Tandem`]: an open store and the use cases over it.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use tandem_core::ExecutiveProfile;
use tandem_store::Store;

use crate::dto::{ExecutiveDto, SessionDto};
use crate::error::{ApiError, ErrorCode, Result};

/// An open Tandem data directory.
pub struct Tandem {
    pub(crate) store: Store,
    pub(crate) data_dir: PathBuf,
}

impl Tandem {
    /// Opens the store in `data_dir` (explicit, else `$TANDEM_DATA_DIR`, else the OS default).
    pub fn open(data_dir: Option<PathBuf>) -> Result<Self> {
        let dir = tandem_store::resolve_data_dir(data_dir)?;
        let store = Store::open_dir(&dir)?;
        Ok(Self { store, data_dir: dir })
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn executives(&self) -> Result<Vec<ExecutiveDto>> {
        self.store
            .executives()?
            .into_iter()
            .map(|e| self.store.executive_profile(&e.id).map(|p| executive_dto(&p)).map_err(ApiError::from))
            .collect()
    }

    pub fn session(&self, now: DateTime<Utc>) -> Result<SessionDto> {
        Ok(SessionDto { executives: self.executives()?, now: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true) })
    }

    /// The executive asked for, or the first one when none is named.
    pub fn executive(&self, requested: Option<&str>) -> Result<ExecutiveProfile> {
        match requested {
            Some(id) => Ok(self.store.executive_profile(id)?),
            None => {
                let first = self.store.executives()?.into_iter().next().ok_or_else(|| {
                    ApiError::new(
                        ErrorCode::NotFound,
                        "no executive in this store yet: run `tandem demo` or add a profile",
                    )
                })?;
                Ok(self.store.executive_profile(&first.id)?)
            }
        }
    }

    /// Whether the store holds no executive yet (first launch).
    pub fn is_empty(&self) -> Result<bool> {
        Ok(self.store.executives()?.is_empty())
    }
}

pub(crate) fn executive_dto(p: &ExecutiveProfile) -> ExecutiveDto {
    ExecutiveDto {
        id: p.id.clone(),
        name: p.name.clone(),
        title: p.title.clone(),
        home_time_zone: p.home_time_zone.name().to_string(),
    }
}
