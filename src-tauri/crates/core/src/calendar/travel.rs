//! Where the executive is, day by day.
//!
//! An executive partner plans the day in the executive's local time, and that moves with them.
//! The zone of a day comes from, in order: the itinerary in the profile (the EP said so); the
//! calendars (a flight lands in another zone; a hotel check-in is written in its city's zone);
//! else the home zone. A day on which the zone changes is a travel day and carries both zones,
//! so the views can show them side by side.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::{EventTime, Occurrence};
use crate::profile::ExecutiveProfile;
use crate::time::resolve_local;

/// Where the executive is on one day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayPlace {
    pub date: NaiveDate,
    /// The zone the day is shown in: where the executive is when the day ends.
    pub zone: Tz,
    /// On a travel day, the zone they were in when the day began.
    pub other_zone: Option<Tz>,
    /// A place name when the itinerary gives one.
    pub place: Option<String>,
    /// Why this zone, in words ("Flight BA 178 lands 07:35", "itinerary", "home").
    pub reason: String,
}

/// A move into a zone at an instant, seen in the calendars.
#[derive(Clone, Debug)]
struct Arrival {
    at: DateTime<Utc>,
    zone: Tz,
    reason: String,
}

/// How long a zone seen in the calendars holds without a further sign of it: a one-way flight
/// whose return is not in the calendars must not leave the executive abroad for ever.
const HOLDS_FOR_DAYS: i64 = 14;

/// Arrivals read from the executive's occurrences: flights (DTSTART and DTEND in different
/// zones) land in DTEND's zone; hotel stays written with a zone put the executive there.
fn arrivals(occurrences: &[&Occurrence]) -> Vec<Arrival> {
    let mut out = Vec::new();
    for o in occurrences {
        match (o.start, o.end) {
            (EventTime::Zoned { zone: from, .. }, EventTime::Zoned { zone: to, local }) if from != to => {
                out.push(Arrival {
                    at: o.end_utc,
                    zone: to,
                    reason: format!("{} lands {}", o.summary, local.format("%H:%M")),
                });
            }
            (EventTime::Zoned { zone, .. }, _) if is_lodging(&o.summary) => {
                out.push(Arrival { at: o.start_utc, zone, reason: o.summary.to_string() });
            }
            _ => {}
        }
    }
    out.sort_by_key(|a| a.at);
    out
}

/// Whether an item is somewhere to sleep (a hotel stay), by its title.
pub fn is_lodging(summary: &str) -> bool {
    let s = summary.trim().to_lowercase();
    // "Check-in" alone is as often a meeting ("Daily check-in with Sam") as a hotel's.
    ["hotel", "lodging", "airbnb", "stay at"].iter().any(|w| s.contains(w))
        || ["check-in:", "check in:", "check-in at", "check in at"].iter().any(|w| s.starts_with(w))
}

/// The zone in effect at `at` from the calendars, and why (home when nothing says otherwise).
fn zone_at(home: Tz, arrivals: &[Arrival], at: DateTime<Utc>) -> (Tz, String) {
    let Some(last) = arrivals.iter().rev().find(|a| a.at <= at) else { return (home, "home".into()) };
    // The zone holds while later signs keep it (a hotel after the flight), and HOLDS_FOR_DAYS
    // after the last of them.
    let last_sign =
        arrivals.iter().filter(|a| a.at <= at && a.zone == last.zone).map(|a| a.at).max().unwrap_or(last.at);
    if at - last_sign > Duration::days(HOLDS_FOR_DAYS) {
        return (home, "home".into());
    }
    // The reason is what brought the executive here: the first of the run of arrivals in this zone.
    let until = arrivals.iter().rposition(|a| a.at <= at).unwrap_or(0);
    let first_of_run = arrivals[..=until].iter().rev().take_while(|a| a.zone == last.zone).last().unwrap_or(last);
    (last.zone, first_of_run.reason.clone())
}

/// Where the executive is on each of `days` days from `first`. `occurrences` should reach back
/// a couple of weeks before `first`, so that a trip already under way is seen.
pub fn day_places(
    profile: &ExecutiveProfile,
    occurrences: &[&Occurrence],
    first: NaiveDate,
    days: u32,
) -> Vec<DayPlace> {
    let home = profile.home_time_zone;
    let arrivals = arrivals(occurrences);
    let mut out = Vec::with_capacity(days as usize);
    let mut previous = zone_at(home, &arrivals, resolve_local(home, first.and_time(NaiveTime::MIN))).0;
    for i in 0..days {
        let date = first + Duration::days(i64::from(i));
        if let Some(stay) = profile.itinerary.iter().find(|s| s.from <= date && date <= s.to) {
            let other = (previous != stay.time_zone).then_some(previous);
            out.push(DayPlace {
                date,
                zone: stay.time_zone,
                other_zone: other,
                place: stay.place.clone(),
                reason: "itinerary".into(),
            });
            previous = stay.time_zone;
            continue;
        }
        // The day is lived where it ends: a return flight that lands in the afternoon makes the
        // evening's meetings home ones, and a red-eye that has not landed by midnight leaves the
        // day where it began. The zone it began in is the other one.
        let start = resolve_local(previous, date.and_time(NaiveTime::MIN));
        let end_of_day = resolve_local(previous, (date + Duration::days(1)).and_time(NaiveTime::MIN));
        let (zone, reason) = zone_at(home, &arrivals, end_of_day - Duration::seconds(1));
        let began_in = zone_at(home, &arrivals, start).0;
        let other = (began_in != zone).then_some(began_in);
        out.push(DayPlace { date, zone, other_zone: other, place: None, reason });
        previous = zone;
    }
    out
}

/// The zone an instant is shown in: the zone of the day it falls on, where the executive is
/// that day (`home` outside the days given). The day is first found in the home zone and then
/// confirmed in the zone found, so a late evening at home that is already the next morning
/// abroad lands on the right day.
pub fn shown_zone(places: &[DayPlace], home: Tz, at: DateTime<Utc>) -> Tz {
    let zone_of = |date: NaiveDate| places.iter().find(|p| p.date == date).map(|p| p.zone);
    let first = zone_of(at.with_timezone(&home).date_naive()).unwrap_or(home);
    zone_of(at.with_timezone(&first).date_naive()).unwrap_or(first)
}

/// On a day lived in `zone`, what the clock reads in `other` at each of the day's 24 hours
/// (`HH:MM`), for a second time scale beside the grid. An hour skipped by a DST change reads
/// as the hour after it, as a wall clock would.
pub fn other_zone_hours(date: NaiveDate, zone: Tz, other: Tz) -> Vec<String> {
    (0..24)
        .map(|h| {
            let local = date.and_hms_opt(h, 0, 0).unwrap_or_default();
            resolve_local(zone, local).with_timezone(&other).format("%H:%M").to_string()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{expand::expand_series, Event};
    use crate::time::TimeWindow;

    fn profile(extra: &str) -> ExecutiveProfile {
        ExecutiveProfile::from_toml(&format!(
            "id = \"dana\"\nname = \"Dana\"\naddresses = [\"dana@n.example\"]\nhome_time_zone = \"America/New_York\"\n{extra}"
        ))
        .unwrap()
    }

    fn zoned(y: i32, m: u32, d: u32, h: u32, min: u32, zone: Tz) -> EventTime {
        EventTime::Zoned { local: NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, min, 0).unwrap(), zone }
    }

    fn occurrence(e: &Event) -> Occurrence {
        let w = TimeWindow::new("2026-01-01T00:00:00Z".parse().unwrap(), "2027-01-01T00:00:00Z".parse().unwrap());
        expand_series(Some(e), &[], w, chrono_tz::UTC).unwrap().remove(0)
    }

    fn trip() -> Vec<Occurrence> {
        let (ny, london) = (chrono_tz::America::New_York, chrono_tz::Europe::London);
        let mut out = Event::new("out", "Flight BA 178 JFK-LHR", zoned(2026, 11, 24, 19, 30, ny));
        out.end = Some(zoned(2026, 11, 25, 7, 35, london));
        let mut hotel = Event::new("hotel", "Hotel check-in: The Langham", zoned(2026, 11, 25, 14, 0, london));
        hotel.duration_seconds = Some(0);
        let mut back = Event::new("back", "Flight BA 177 LHR-JFK", zoned(2026, 11, 27, 11, 0, london));
        back.end = Some(zoned(2026, 11, 27, 14, 5, ny));
        [out, hotel, back].iter().map(occurrence).collect()
    }

    fn summary(days: &[DayPlace]) -> Vec<String> {
        days.iter()
            .map(|d| {
                format!(
                    "{} {}{}",
                    d.date.format("%d"),
                    d.zone,
                    d.other_zone.map(|z| format!(" +{z}")).unwrap_or_default()
                )
            })
            .collect()
    }

    #[test]
    fn a_trip_in_the_calendars_moves_the_days_and_marks_the_travel_days() {
        let occ = trip();
        let refs: Vec<&Occurrence> = occ.iter().collect();
        let first = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let days = day_places(&profile(""), &refs, first, 6);
        assert_eq!(
            summary(&days),
            [
                "23 America/New_York",
                // Leaves New York in the evening and is in the air at midnight: New York's day.
                "24 America/New_York",
                "25 Europe/London +America/New_York",
                "26 Europe/London",
                // Flies home at 11:00 London and lands 14:05 New York: the evening is at home.
                "27 America/New_York +Europe/London",
                "28 America/New_York",
            ]
        );
        assert_eq!(days[2].reason, "Flight BA 178 JFK-LHR lands 07:35");
    }

    #[test]
    fn an_instant_is_shown_in_the_zone_of_the_day_it_falls_on() {
        let occ = trip();
        let refs: Vec<&Occurrence> = occ.iter().collect();
        let days = day_places(&profile(""), &refs, NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(), 6);
        let home = chrono_tz::America::New_York;
        let shown = |utc: &str| {
            let t: DateTime<Utc> = utc.parse().unwrap();
            t.with_timezone(&shown_zone(&days, home, t)).format("%a %H:%M").to_string()
        };
        assert_eq!(shown("2026-11-25T00:30:00Z"), "Tue 19:30", "take-off, on a New York day");
        assert_eq!(shown("2026-11-25T07:35:00Z"), "Wed 07:35", "landing, on a London day");
        assert_eq!(shown("2026-11-26T15:00:00Z"), "Thu 15:00");
        // 21:00 at home on Wednesday is 02:00 on Thursday in London, and Thursday is a London day.
        assert_eq!(shown("2026-11-26T02:00:00Z"), "Thu 02:00");
        assert_eq!(shown("2026-11-27T22:00:00Z"), "Fri 17:00", "back home on Friday evening");
        assert_eq!(shown("2026-12-20T15:00:00Z"), "Sun 10:00", "outside the days given: home");
    }

    #[test]
    fn the_second_time_scale_follows_both_zones_dst_changes() {
        let (ny, london) = (chrono_tz::America::New_York, chrono_tz::Europe::London);
        let nov = other_zone_hours(NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(), london, ny);
        assert_eq!((nov.len(), nov[0].as_str(), nov[9].as_str()), (24, "19:00", "04:00"));
        // 2026-03-08: New York springs forward at 02:00 while London is still on GMT.
        let spring = other_zone_hours(NaiveDate::from_ymd_opt(2026, 3, 8).unwrap(), ny, london);
        assert_eq!(&spring[1..4], ["06:00", "07:00", "07:00"], "02:00 does not exist in New York: read as 03:00");
    }

    #[test]
    fn the_itinerary_wins_over_the_calendars() {
        let occ = trip();
        let refs: Vec<&Occurrence> = occ.iter().collect();
        let p = profile(
            "[[itinerary]]\nfrom = \"2026-11-26\"\nto = \"2026-11-26\"\ntime_zone = \"Europe/Paris\"\nplace = \"Paris\"\n",
        );
        let days = day_places(&p, &refs, NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(), 1);
        assert_eq!(
            (days[0].zone, days[0].place.as_deref(), days[0].reason.as_str()),
            (chrono_tz::Europe::Paris, Some("Paris"), "itinerary")
        );
    }

    #[test]
    fn a_one_way_flight_does_not_keep_the_executive_abroad_for_ever() {
        let occ = trip();
        let refs: Vec<&Occurrence> = occ[..1].iter().collect(); // the return flight is not in the calendars
        let days = day_places(&profile(""), &refs, NaiveDate::from_ymd_opt(2026, 12, 20).unwrap(), 1);
        assert_eq!(days[0].zone, chrono_tz::America::New_York);
    }
}
