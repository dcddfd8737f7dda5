//! Errors as the UI and the CLI receive them: a code to branch on, a message to show.

use serde::Serialize;
use ts_rs::TS;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    /// No executive with that id, or no executive at all.
    NotFound,
    /// An argument was malformed (a date, a zone, a path).
    InvalidInput,
    /// A profile document failed validation; the message names the field.
    InvalidProfile,
    /// A rules document failed validation; the message names the rule and the field. The
    /// rules in force are unchanged.
    InvalidRules,
    /// The store was written by a newer Tandem.
    NewerStore,
    /// The store could not be read or written.
    Storage,
    /// Something by that name already exists (a calendar, a subscription).
    Conflict,
    /// A server could not be reached or answered with an error; cached data is still shown.
    Network,
    /// A server refused the account's login (or its certificate is not trusted).
    Unauthorized,
    /// The OS keychain, where account passwords live, is not available or refused.
    Keychain,
    /// A file outside the store could not be written (an exported briefing).
    File,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[error("{message}")]
#[ts(export)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into() }
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidInput, message)
    }
}

impl From<tandem_store::StoreError> for ApiError {
    fn from(e: tandem_store::StoreError) -> Self {
        use tandem_store::StoreError as S;
        let code = match &e {
            S::NewerSchema { .. } => ErrorCode::NewerStore,
            S::NotFound { .. } => ErrorCode::NotFound,
            S::Conflict { .. } => ErrorCode::Conflict,
            _ => ErrorCode::Storage,
        };
        Self::new(code, e.to_string())
    }
}

impl From<tandem_core::ProfileError> for ApiError {
    fn from(e: tandem_core::ProfileError) -> Self {
        Self::new(ErrorCode::InvalidProfile, e.to_string())
    }
}

impl From<tandem_core::RulesError> for ApiError {
    fn from(e: tandem_core::RulesError) -> Self {
        Self::new(ErrorCode::InvalidRules, e.to_string())
    }
}

pub type Result<T, E = ApiError> = std::result::Result<T, E>;
