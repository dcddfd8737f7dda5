//! Reading and saving executive profiles as the TOML documents the EP edits.

use tandem_core::ExecutiveProfile;

use crate::dto::{ExecutiveDto, ProfileDocument};
use crate::error::Result;
use crate::session::executive_dto;
use crate::Tandem;

impl Tandem {
    pub fn profile(&self, executive: Option<&str>) -> Result<ProfileDocument> {
        let p = self.executive(executive)?;
        Ok(ProfileDocument { executive_id: p.id.clone(), toml: p.to_toml() })
    }

    /// Validates and saves a profile document: a new id adds an executive, an existing id
    /// replaces that executive's profile. An invalid document changes nothing.
    pub fn save_profile(&mut self, toml: &str) -> Result<ExecutiveDto> {
        let profile = ExecutiveProfile::from_toml(toml)?;
        self.store.save_executive(&profile)?;
        Ok(executive_dto(&profile))
    }
}
