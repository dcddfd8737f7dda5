//! Any text as a rules document: read or refused with the rule and field named, never a panic;
//! rules that read are run over an invitation (every condition, the slot search) without one
//! either, and a document they write back reads as the same rules.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tandem_core::calendar::{Attendee, Event, EventTime, Participant, ParticipationStatus, Role};
use tandem_core::rules::{evaluate, RuleSet, Situation};
use tandem_core::ExecutiveProfile;

const PROFILE: &str = "id = \"d\"\nname = \"Dana\"\naddresses = [\"d@n.example\"]\nhome_time_zone = \"America/New_York\"\n\
our_domains = [\"n.example\"]\n[working_hours]\nmon = \"09:00-17:00\"\nfri = \"09:00-13:00\"\n\
[[focus_blocks]]\nlabel = \"Deep\"\ndays = [\"mon\"]\ntime = \"09:00-10:00\"\n[groups]\nvip = [\"c@b.example\"]\nboard = [\"@b.example\"]\n";

fuzz_target!(|data: &[u8]| {
    let profile = ExecutiveProfile::from_toml(PROFILE).expect("the fuzz profile is valid");
    let text = String::from_utf8_lossy(data);
    let Ok(rules) = RuleSet::from_toml(&text, &profile) else { return };
    let again = RuleSet::from_toml(&rules.to_toml(), &profile).expect("written rules read back");
    assert_eq!(again, rules, "to_toml lost something");
    let start = EventTime::Utc { instant: "2026-11-27T18:00:00Z".parse().unwrap() };
    let mut invite = Event::new("u@x", "Board pitch 1:1", start);
    invite.duration_seconds = Some(3600);
    invite.rrules.push("FREQ=WEEKLY;COUNT=3".into());
    invite.location = Some("London".into());
    invite.organizer = Some(Participant::new("c@b.example", None));
    invite.attendees.push(Attendee {
        participant: Participant::new("d@n.example", None),
        role: Role::Optional,
        status: ParticipationStatus::NeedsAction,
        rsvp: true,
    });
    let s = Situation {
        profile: &profile,
        now: "2026-11-24T14:00:00Z".parse().unwrap(),
        calendars: &[],
        commitments: &[],
        places: &[],
    };
    let _ = evaluate(&rules, &invite, &s);
});
