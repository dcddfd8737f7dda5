//! The free slot a counter-proposal offers: the nearest time to the one asked for that the
//! executive's calendars leave free, within working hours, clear of focus time and buffers.
//!
//! "Nearest" is deliberately simple (the scheduler ranks slots better later): the organiser
//! asked for a time, and the least surprising answer is the closest one that works.

use chrono::{DateTime, Datelike, Duration, NaiveTime, Utc};

use super::Situation;
use crate::calendar::travel::DayPlace;
use crate::time::{local_in, resolve_local};

/// How many days after the asked-for day are searched.
pub const SLOT_SEARCH_DAYS: i64 = 10;

/// Proposals start on a quarter hour.
const STEP_MINUTES: i64 = 15;

/// The least notice a proposal gives: nobody can act on a counter for ten minutes from now.
const MIN_NOTICE_MINUTES: i64 = 60;

/// The free slot nearest to `asked` (ties: the earlier), `length` long, on the asked-for day
/// or (unless `same_day_only`) the next [`SLOT_SEARCH_DAYS`] days. Days are the executive's
/// local days, in the zone they are in that day. The invitation's own UID is not in the way.
pub fn best_free_slot(
    s: &Situation<'_>,
    asked: DateTime<Utc>,
    length: Duration,
    uid: &str,
    same_day_only: bool,
) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let profile = s.profile;
    let home = profile.home_time_zone;
    let zone_on = |date| s.places.iter().find(|p: &&DayPlace| p.date == date).map(|p| p.zone).unwrap_or(home);
    let first_day = local_in(zone_on(local_in(home, asked).date()), asked).date();
    let earliest = s.now + Duration::minutes(MIN_NOTICE_MINUTES);
    let before = Duration::minutes(profile.buffers.before_minutes.into());
    let after = Duration::minutes(profile.buffers.after_minutes.into());
    let days = if same_day_only { 1 } else { SLOT_SEARCH_DAYS + 1 };
    let mut best: Option<(Duration, DateTime<Utc>)> = None;
    for d in 0..days {
        let date = first_day + Duration::days(d);
        let zone = zone_on(date);
        let Some(hours) = profile.working_hours.on(date.weekday()) else { continue };
        let focus: Vec<(NaiveTime, NaiveTime)> = profile
            .focus_blocks
            .iter()
            .filter(|f| f.applies_on(date.weekday()))
            .map(|f| (f.time.start, f.time.end))
            .collect();
        let mut local = date.and_time(hours.start);
        let last = date.and_time(hours.end) - length;
        while local <= last {
            let start = resolve_local(zone, local);
            let end = start + length;
            let wall_end = local + length;
            let free = start >= earliest
                && start != asked
                && !focus.iter().any(|(a, b)| local.time() < *b && wall_end.time() > *a)
                && !s.commitments.iter().any(|c| c.uid != uid && start < c.end + after && end > c.start - before);
            if free {
                let distance = (start - asked).abs();
                if best.is_none_or(|(d, at)| distance < d || distance == d && start < at) {
                    best = Some((distance, start));
                }
            }
            local += Duration::minutes(STEP_MINUTES);
        }
    }
    best.map(|(_, start)| (start, start + length))
}
