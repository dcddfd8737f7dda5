//! Reading and saving executive profiles as the TOML documents the EP edits.

use tandem_core::ExecutiveProfile;

use crate::dto::{ExecutiveDto, ProfileDocument, ProfileFields};
use crate::error::{ApiError, ErrorCode, Result};
use crate::session::executive_dto;
use crate::Tandem;

impl Tandem {
    pub fn profile(&self, executive: Option<&str>) -> Result<ProfileDocument> {
        let p = self.executive(executive)?;
        Ok(ProfileDocument { executive_id: p.id.clone(), toml: p.to_toml(), fields: fields_of(&p) })
    }

    /// Saves a profile edited as form fields: written as the TOML document and saved through
    /// [`Tandem::save_profile`], so both editors share one validation.
    pub fn save_profile_fields(&mut self, fields: &ProfileFields) -> Result<ExecutiveDto> {
        let toml = toml::to_string(fields)
            .map_err(|e| ApiError::new(ErrorCode::InvalidProfile, format!("profile cannot be written: {e}")))?;
        self.save_profile(&toml)
    }

    /// Validates and saves a profile document: a new id adds an executive, an existing id
    /// replaces that executive's profile. An invalid document changes nothing.
    pub fn save_profile(&mut self, toml: &str) -> Result<ExecutiveDto> {
        let profile = ExecutiveProfile::from_toml(toml)?;
        self.store.save_executive(&profile)?;
        Ok(executive_dto(&profile))
    }
}

/// The form's view of a profile: the document's own serialisation, read back as fields.
fn fields_of(p: &ExecutiveProfile) -> ProfileFields {
    toml::from_str(&p.to_toml()).expect("a profile document always reads back as form fields")
}
