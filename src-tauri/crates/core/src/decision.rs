//! Decisions taken on the executive's behalf, each with the reason it was taken.
//!
//! Nothing is decided silently: every accept, decline, hold or move records which rule (or
//! person) decided it and a plain-language reason the EP and the executive can read later.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionAction {
    Accept,
    Tentative,
    Decline,
    /// Written `counter` in rules.
    #[serde(alias = "counter")]
    CounterPropose,
    /// Written `hold` in rules.
    #[serde(alias = "hold")]
    HoldForReview,
    Delegate,
    SetPriority,
}

impl DecisionAction {
    pub fn as_str(&self) -> &'static str {
        match self {
            DecisionAction::Accept => "accept",
            DecisionAction::Tentative => "tentative",
            DecisionAction::Decline => "decline",
            DecisionAction::CounterPropose => "counter_propose",
            DecisionAction::HoldForReview => "hold_for_review",
            DecisionAction::Delegate => "delegate",
            DecisionAction::SetPriority => "set_priority",
        }
    }
}

/// Who took a decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Decider {
    /// A rule of the EP's, by name.
    Rule { name: String },
    /// The rules, when none of them matched (the invitation is held for review).
    NoRule,
    /// The EP, by hand.
    Person,
}

impl Decider {
    pub fn is_automatic(&self) -> bool {
        !matches!(self, Decider::Person)
    }
}

/// One entry in the audit log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    /// The UID of the meeting decided on.
    pub uid: String,
    /// The instance, for an invitation to one instance of a series (contract form).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recurrence_id: Option<String>,
    /// The meeting's title when decided, so the log reads on its own.
    #[serde(default)]
    pub summary: String,
    pub action: DecisionAction,
    pub decider: Decider,
    /// Plain language, e.g. "Declined: Friday after 13:00 is protected (rule 'Protect Friday afternoons')".
    pub reason: String,
    pub decided_at: DateTime<Utc>,
    /// The note sent with the reply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delegate_to: Option<String>,
    /// A counter-proposal's time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposed: Option<(DateTime<Utc>, DateTime<Utc>)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<crate::tier::Tier>,
}
