//! The demo executive: Dana Okafor, CEO of Northwind Robotics, and her COO Marcus Bell as a
//! second executive for the switcher.
//!
//! Deterministic for a given `now`: everything is placed relative to the Monday of `now`'s week
//! in New York, and the inbox comes from a seeded generator. The calendars are written as .ics
//! files under `<data dir>/demo/` and imported through the same path as `tandem import`, so
//! the demo exercises the real import, recurrence expansion and merge.

mod calendars;
mod mail;
mod people;
pub mod rng;

use chrono::{DateTime, Utc};
use tandem_core::ExecutiveProfile;
use tandem_formats::ics::write_calendar;
use tandem_sync::{import_ics_file, import_messages, CalendarTarget};

use crate::dates::week_start;
use crate::dto::DemoReport;
use crate::error::{ApiError, ErrorCode, Result};
use crate::session::executive_dto;
use crate::Tandem;

/// The demo's first executive, the one the app opens on.
pub const DEMO_EXECUTIVE: &str = "dana-okafor";

/// How many ordinary messages the demo inbox holds (replies and invitations come on top).
const INBOX_SIZE: usize = 300;

const DANA_PROFILE: &str = r#"id = "dana-okafor"
name = "Dana Okafor"
title = "Chief Executive Officer, Northwind Robotics"
addresses = ["dana.okafor@northwind.example", "dana@northwind.example"]
home_time_zone = "America/New_York"
our_domains = ["northwind.example"]
reminder_minutes = 10

[assistant]
name = "Sam Rivera"
address = "sam.rivera@northwind.example"

[working_hours]
mon = "08:00-18:30"
tue = "08:00-18:30"
wed = "08:00-18:30"
thu = "08:00-18:30"
fri = "08:00-16:00"

[[focus_blocks]]
label = "Strategy time"
days = ["tue", "thu"]
time = "07:00-08:00"

[buffers]
before_minutes = 5
after_minutes = 10

[groups]
vip = ["eleanor@vanceholdings.example", "raj@summitpeak.example", "hbrooks@brooksadvisory.example", "ava.thompson@contoso.example", "henrik.larsen@fabrikam.example"]
board = ["eleanor@vanceholdings.example", "raj@summitpeak.example", "hbrooks@brooksadvisory.example"]
directs = ["priya.shah@northwind.example", "tomas.alvarez@northwind.example", "marcus.bell@northwind.example", "grace.kim@northwind.example", "daniel.osei@northwind.example"]
key_customers = ["@contoso.example", "@fabrikam.example"]
"#;

/// The rules Sam keeps for Dana: what an EP says out loud, written down.
const DANA_RULES: &str = r#"# Dana's invitation rules, kept by Sam. The first rule that matches decides;
# with none, the invitation waits for Sam.

[[rule]]
name = "Board is P0"
action = "set_priority"
tier = "P0"
when = { organizer = ["board"] }

[[rule]]
name = "The board always gets a yes"
action = "accept"
message = "Dana will be there."
when = { organizer = ["board"] }

[[rule]]
name = "Protect Friday afternoons"
action = "decline"
reason = "Friday after 13:00 is protected"
message = "Dana keeps Friday afternoons for planning. Sam will suggest another time."
when = { weekdays = ["fri"], time = "13:00-24:00" }
unless = { organizer = ["vip"] }

[[rule]]
name = "Clashes come to Sam"
action = "hold"
when = { conflicts_with = ["busy"] }

[[rule]]
name = "Vendor pitches go to Marcus"
action = "delegate"
delegate_to = "marcus.bell@northwind.example"
message = "Marcus Bell runs vendor evaluations and will join instead of Dana."
when = { organizer = ["external"], title = ["demo", "pitch", "renewal"] }
unless = { organizer = ["vip"] }

[[rule]]
name = "Late asks from outside get another time"
action = "counter"
message = "Dana is not available then; would this time work?"
when = { organizer = ["external"], outside_working_hours = true }

[[rule]]
name = "Directs' short meetings are a yes"
action = "accept"
when = { organizer = ["directs"], duration_minutes = { max = 60 } }
"#;

const MARCUS_PROFILE: &str = r#"id = "marcus-bell"
name = "Marcus Bell"
title = "Chief Operating Officer, Northwind Robotics"
addresses = ["marcus.bell@northwind.example"]
home_time_zone = "America/New_York"
our_domains = ["northwind.example"]

[working_hours]
mon = "07:30-17:30"
tue = "07:30-17:30"
wed = "07:30-17:30"
thu = "07:30-17:30"
fri = "07:30-15:00"

[groups]
vip = ["dana.okafor@northwind.example"]
"#;

impl Tandem {
    /// (Re)creates the demo executives for the week of `now`, replacing any earlier demo data
    /// for them, and runs Dana's rules over the invitations waiting. Other executives in the
    /// store are left alone.
    pub fn load_demo(&mut self, now: DateTime<Utc>) -> Result<DemoReport> {
        let monday = week_start(now.with_timezone(&chrono_tz::America::New_York).date_naive());
        let demo_dir = self.data_dir.join("demo");
        std::fs::create_dir_all(&demo_dir)
            .map_err(|e| ApiError::new(ErrorCode::Storage, format!("cannot create {}: {e}", demo_dir.display())))?;
        let mut report =
            DemoReport { executives: vec![], events: 0, messages: 0, invitations: 0, decided: 0, files: vec![] };
        let plan = [
            (
                DANA_PROFILE,
                Some(DANA_RULES),
                calendars::dana_calendars(monday),
                mail::dana_inbox(now, monday, INBOX_SIZE),
            ),
            (MARCUS_PROFILE, None, calendars::marcus_calendars(monday), mail::marcus_inbox(now)),
        ];
        for (doc, rules, cals, inbox) in plan {
            let profile = ExecutiveProfile::from_toml(doc).expect("the demo profiles are valid");
            self.store.delete_executive(&profile.id)?;
            self.store.save_executive(&profile)?;
            if let Some(rules) = rules {
                self.save_rules(Some(&profile.id), rules, now)?;
            }
            for cal in cals {
                let path = demo_dir.join(cal.file);
                let text = write_calendar(Some(cal.name), None, &cal.events, now);
                std::fs::write(&path, text)
                    .map_err(|e| ApiError::new(ErrorCode::Storage, format!("cannot write {}: {e}", path.display())))?;
                let target = CalendarTarget { name: Some(cal.name.to_string()), color: cal.color.to_string() };
                let r = import_ics_file(&mut self.store, &profile, &path, &target, now);
                if let Some(e) = r.error.or_else(|| r.problems.first().cloned()) {
                    return Err(ApiError::new(
                        ErrorCode::Storage,
                        format!("demo calendar did not import cleanly: {e}"),
                    ));
                }
                report.events += r.events_written as u32;
                report.invitations += r.invitations as u32;
                report.files.push(path.display().to_string());
            }
            let m = import_messages(&mut self.store, &profile, &inbox, now)?;
            if let Some(p) = m.problems.first() {
                return Err(ApiError::new(ErrorCode::Storage, format!("demo mail did not import cleanly: {p}")));
            }
            report.messages += m.added as u32;
            report.invitations += m.invitations as u32;
            report.decided += self.process_invitations(Some(&profile.id), now)?.len() as u32;
            self.triage(Some(&profile.id), false, now)?;
            if profile.id == DEMO_EXECUTIVE {
                self.prepare_briefing(&profile.id, now)?;
            }
            report.executives.push(executive_dto(&profile));
        }
        tracing::info!(events = report.events, messages = report.messages, "demo loaded");
        Ok(report)
    }

    /// What the EP has prepared for Dana's week: prep notes on the meetings that need them, the
    /// MSA thread linked to the Fabrikam visit, a message flagged for the briefing, and last
    /// night's evening briefing delivered, so "changed since the last briefing" starts there.
    fn prepare_briefing(&mut self, exec: &str, now: DateTime<Utc>) -> Result<()> {
        let notes = [
            ("q4-forecast", "Priya's deck v3 is final. Push on EMEA, 8% under plan."),
            ("fabrikam-visit", "Henrik wants a yes on the pilot scope. Legal cleared the MSA (liability cap 2x fees)."),
            ("fabrikam-dinner", "Henrik's team opens the Oslo plant in March; he will ask about our timeline."),
            ("audit-prep", "Bring the signed audit letter."),
        ];
        for (name, note) in notes {
            self.store.set_prep_note(exec, &calendars::uid(name), None, note, now)?;
        }
        // The newest message of each: the one the EP would act on.
        let change = |query: &str, apply: &dyn Fn(&mut tandem_core::mail::MessageState)| -> Result<()> {
            for item in self.search(Some(exec), query, 1)?.items {
                let mut state = self.store.message(exec, item.id)?.state;
                apply(&mut state);
                self.store.set_message_state(exec, item.id, &state)?;
            }
            Ok(())
        };
        let visit = calendars::uid("fabrikam-visit");
        change("\"Fabrikam MSA\"", &|s| s.event_uid = Some(visit.clone()))?;
        change("\"Contoso expansion\"", &|s| s.flags.flagged = true)?;
        let home = chrono_tz::America::New_York;
        let today = now.with_timezone(&home).date_naive();
        let last_evening = (today - chrono::Duration::days(1)).and_hms_opt(19, 0, 0).expect("19:00 exists");
        let at = tandem_core::time::resolve_local(home, last_evening);
        self.store.record_briefing_delivered(exec, today, "email", at, None)?;
        Ok(())
    }

    /// Loads the demo when the store has no executive yet (first launch). Returns whether it did.
    pub fn load_demo_if_empty(&mut self, now: DateTime<Utc>) -> Result<bool> {
        if self.is_empty()? {
            self.load_demo(now)?;
            return Ok(true);
        }
        Ok(false)
    }
}
