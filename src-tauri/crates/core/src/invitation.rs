//! Invitations waiting for the executive's answer.
//!
//! An invitation is a meeting someone else organises that lists one of the executive's
//! addresses as an attendee who has not answered yet. It reaches Tandem as an iMIP mail
//! (text/calendar, METHOD:REQUEST) or already sitting in a calendar with PARTSTAT=NEEDS-ACTION.

use serde::{Deserialize, Serialize};

use crate::calendar::{Event, Participant, ParticipationStatus};
use crate::profile::ExecutiveProfile;

/// Where an invitation was found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum InvitationSource {
    Calendar {
        calendar_id: i64,
    },
    Mail {
        message_id: String,
    },
    /// An invitation file (.ics with METHOD:REQUEST) imported by name.
    File {
        name: String,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Invitation {
    /// The meeting as proposed: for a counter, with the new time the attendee proposes.
    pub event: Event,
    pub source: InvitationSource,
    /// Set when this is an attendee's counter-proposal (iTIP COUNTER) to a meeting the
    /// executive organises, rather than an invitation to the executive: the EP accepts the new
    /// time (an update to everyone) or declines it (DECLINECOUNTER to them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counter_from: Option<Participant>,
}

/// Whether `event` asks the executive for an answer: organised by someone else, with one of the
/// executive's addresses as an attendee whose status is NEEDS-ACTION.
pub fn awaits_answer(event: &Event, profile: &ExecutiveProfile) -> bool {
    let organised_by_us = event.organizer.as_ref().is_some_and(|o| profile.is_self(&o.address));
    !organised_by_us
        && event.attendee_for(&profile.addresses).is_some_and(|a| a.status == ParticipationStatus::NeedsAction)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{Attendee, EventTime, Participant, Role};

    fn profile() -> ExecutiveProfile {
        ExecutiveProfile::from_toml(
            "id = \"d\"\nname = \"D\"\naddresses = [\"d@n.example\"]\nhome_time_zone = \"UTC\"\n",
        )
        .unwrap()
    }

    fn invite(status: ParticipationStatus, organizer: &str) -> Event {
        let mut e = Event::new("u", "Sync", EventTime::Utc { instant: "2026-01-01T10:00:00Z".parse().unwrap() });
        e.organizer = Some(Participant::from_cal_address(organizer, None));
        e.attendees.push(Attendee {
            participant: Participant::from_cal_address("mailto:D@N.example", None),
            role: Role::Required,
            status,
            rsvp: true,
        });
        e
    }

    #[test]
    fn an_unanswered_invitation_from_someone_else_awaits_an_answer() {
        assert!(awaits_answer(&invite(ParticipationStatus::NeedsAction, "mailto:x@y.example"), &profile()));
        assert!(!awaits_answer(&invite(ParticipationStatus::Accepted, "mailto:x@y.example"), &profile()));
        assert!(!awaits_answer(&invite(ParticipationStatus::NeedsAction, "mailto:d@n.example"), &profile()));
    }
}
