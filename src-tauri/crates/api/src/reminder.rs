//! Reminders of the executive's meetings, for desktop notifications and the CLI.
//!
//! Which meetings ring: those in a shown calendar that the executive has not declined. A
//! reminder is delivered once ([`Tandem::due_reminders`] claims it in the store), including
//! one that came due while Tandem was closed, as long as its meeting has not been under way
//! for more than [`LATE_GRACE_MINUTES`]: an alarm about a meeting long started is noise.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use tandem_core::calendar::reminder::{reminders, Reminder};
use tandem_core::calendar::travel::{day_places, shown_zone};
use tandem_core::{ExecutiveProfile, Occurrence, ParticipationStatus, TimeWindow};

use crate::calendar::response_of;
use crate::dto::ReminderDto;
use crate::error::Result;
use crate::Tandem;

/// A reminder is still worth delivering this long after its meeting started.
pub const LATE_GRACE_MINUTES: i64 = 5;
/// How far back a missed reminder is looked for.
const LOOK_BACK_HOURS: i64 = 24;
/// How far ahead meetings are expanded to find alarms that go off before them (the profile's
/// longest default lead is a week).
const LOOK_AHEAD_DAYS: i64 = 8;

impl Tandem {
    /// Reminders of one executive going off in the `hours` from `now`, without delivering them.
    pub fn upcoming_reminders(
        &self,
        executive: Option<&str>,
        now: DateTime<Utc>,
        hours: u32,
    ) -> Result<Vec<ReminderDto>> {
        let profile = self.executive(executive)?;
        let window = TimeWindow::new(now, now + Duration::hours(i64::from(hours)));
        Ok(self.reminders_of(&profile, window)?.iter().map(|(r, zone)| reminder_dto(&profile, r, *zone, now)).collect())
    }

    /// Every executive's reminders due at `now` and not delivered yet; each is marked delivered
    /// as it is returned, so a second call (or a restart) does not repeat it.
    pub fn due_reminders(&mut self, now: DateTime<Utc>) -> Result<Vec<ReminderDto>> {
        let window = TimeWindow::new(now - Duration::hours(LOOK_BACK_HOURS), now + Duration::seconds(1));
        let mut out = Vec::new();
        for summary in self.store.executives()? {
            let profile = self.store.executive_profile(&summary.id)?;
            for (r, zone) in self.reminders_of(&profile, window)? {
                if r.starts < now - Duration::minutes(LATE_GRACE_MINUTES) {
                    continue;
                }
                if self.store.claim_reminder(&profile.id, &r.key(), r.at)? {
                    out.push(reminder_dto(&profile, &r, zone, now));
                }
            }
        }
        self.store.forget_reminders_before(now - Duration::hours(2 * LOOK_BACK_HOURS))?;
        Ok(out)
    }

    /// The reminders going off in `window`, each with the zone the executive is in when its
    /// meeting starts (travel-aware, as the calendar view shows it).
    fn reminders_of(&self, profile: &ExecutiveProfile, window: TimeWindow) -> Result<Vec<(Reminder, Tz)>> {
        let home = profile.home_time_zone;
        let calendars = self.store.calendars(&profile.id)?;
        // Back a fortnight so a trip under way is seen, as the calendar view does.
        let meetings = TimeWindow::new(window.start - Duration::days(14), window.end + Duration::days(LOOK_AHEAD_DAYS));
        let (merged, _) = self.merged(&profile.id, &calendars, meetings, home)?;
        let first_day = window.start.with_timezone(&home).date_naive() - Duration::days(1);
        let all: Vec<&Occurrence> = merged.iter().map(|m| &m.occurrence).collect();
        let places = day_places(profile, &all, first_day, LOOK_AHEAD_DAYS as u32 + 3);
        let shown: std::collections::HashSet<i64> = calendars.iter().filter(|c| c.visible).map(|c| c.id).collect();
        let ringing: Vec<&Occurrence> = merged
            .iter()
            .filter(|m| m.calendars.iter().any(|c| shown.contains(c)))
            .map(|m| &m.occurrence)
            .filter(|o| response_of(profile, o) != Some(ParticipationStatus::Declined))
            .collect();
        let lead = profile.reminder_minutes.map(|m| Duration::minutes(i64::from(m)));
        Ok(reminders(&ringing, lead, window)
            .into_iter()
            .map(|r| {
                let zone = shown_zone(&places, home, r.starts);
                (r, zone)
            })
            .collect())
    }
}

fn reminder_dto(profile: &ExecutiveProfile, r: &Reminder, zone: Tz, now: DateTime<Utc>) -> ReminderDto {
    let stamp = |t: DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    ReminderDto {
        key: r.key(),
        executive_id: profile.id.clone(),
        executive_name: profile.name.clone(),
        uid: r.uid.to_string(),
        summary: r.summary.to_string(),
        location: r.location.as_deref().map(String::from),
        starts: stamp(r.starts),
        at: stamp(r.at),
        local_start: r.starts.with_timezone(&zone).format("%H:%M").to_string(),
        zone: zone.name().to_string(),
        minutes_before: (r.starts - r.at).num_minutes(),
        minutes_until: (r.starts - now).num_minutes(),
        note: r.note.clone(),
        from_alarm: r.from_alarm,
    }
}
