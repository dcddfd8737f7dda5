//! A generated year of an executive's calendars, for benchmarks: ten calendars (work, board,
//! team, travel, personal, subscriptions) with a few thousand events, most of them series
//! (weekly 1:1s, dailies, monthly reviews, open-ended and bounded), with overrides, EXDATEs,
//! cancelled instances, all-day days and six zones that change offset. Deterministic for a seed.
//! Written with Tandem's own writer, so the files are what Tandem would export.

use chrono::{Datelike, Duration, NaiveDate};
use chrono_tz::Tz;
use tandem_api::demo::rng::Rng;
use tandem_core::calendar::{Event, EventStatus, EventTime};
use tandem_formats::ics::write_calendar;

const ZONES: &[Tz] = &[
    chrono_tz::America::New_York,
    chrono_tz::Europe::London,
    chrono_tz::Europe::Berlin,
    chrono_tz::America::Los_Angeles,
    chrono_tz::Asia::Singapore,
    chrono_tz::Australia::Sydney,
];

const CALENDARS: &[(&str, usize)] = &[
    ("Work", 900),
    ("Board", 120),
    ("Leadership team", 400),
    ("Sales", 350),
    ("Product", 350),
    ("Travel", 150),
    ("Personal", 200),
    ("Family", 150),
    ("Holidays (subscribed)", 60),
    ("Conferences (subscribed)", 80),
];

/// `(file name, iCalendar text)` for each of the ten calendars, covering `year`.
pub fn executive_year(seed: u64, year: i32) -> Vec<(String, String)> {
    let mut rng = Rng::new(seed);
    let first = NaiveDate::from_ymd_opt(year, 1, 1).expect("a valid year");
    let stamp = first.and_hms_opt(0, 0, 0).expect("midnight").and_utc();
    CALENDARS
        .iter()
        .enumerate()
        .map(|(c, (name, count))| {
            let mut events = Vec::new();
            for i in 0..*count {
                events.extend(series(&mut rng, first, c, i));
            }
            (
                format!("{:02}-{}.ics", c, name.to_lowercase().replace([' ', '(', ')'], "")),
                write_calendar(Some(name), None, &events, stamp),
            )
        })
        .collect()
}

/// One event, or a series' master with its overrides.
fn series(rng: &mut Rng, first: NaiveDate, calendar: usize, i: usize) -> Vec<Event> {
    let uid = format!("bench-{calendar}-{i}@tandem.example");
    let mut day = first + Duration::days(rng.below(365) as i64);
    if rng.chance(8) {
        // All-day: a holiday, an offsite, a trip.
        let mut e = Event::new(uid, format!("All day {i}"), EventTime::Date { date: day });
        e.end = Some(EventTime::Date { date: day + Duration::days(1 + rng.below(3) as i64) });
        if rng.chance(30) {
            e.rrules.push("FREQ=YEARLY".into());
        }
        return vec![e];
    }
    let zone = *rng.pick(ZONES);
    let kind = rng.below(10);
    // Series start on a day their rule produces, as every client writes them.
    day = match kind {
        6 | 9 => day - Duration::days(day.weekday().num_days_from_monday() as i64),
        7 => {
            let first_of_month = day.with_day(1).expect("day 1");
            first_of_month + Duration::days((7 + 1 - first_of_month.weekday().num_days_from_monday() as i64) % 7)
        }
        8 => day.with_day(15).expect("day 15"),
        _ => day,
    };
    let local = day.and_hms_opt(7 + rng.below(11) as u32, [0, 15, 30, 45][rng.below(4) as usize], 0).expect("valid");
    let start =
        if rng.chance(10) { EventTime::Utc { instant: local.and_utc() } } else { EventTime::Zoned { local, zone } };
    let mut e = Event::new(uid, format!("Meeting {calendar}-{i}"), start);
    e.duration_seconds = Some([900, 1800, 2700, 3600, 5400][rng.below(5) as usize]);
    e.location = rng.chance(40).then(|| format!("Room {}", rng.below(30)));
    if rng.chance(45) {
        return vec![e]; // a one-off
    }
    let rule = match kind {
        0..=4 => "FREQ=WEEKLY".to_string(),
        5 => "FREQ=WEEKLY;INTERVAL=2".to_string(),
        6 => "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR".to_string(),
        7 => "FREQ=MONTHLY;BYDAY=1TU".to_string(),
        8 => "FREQ=MONTHLY;BYMONTHDAY=15".to_string(),
        _ => "FREQ=WEEKLY;BYDAY=MO,TH".to_string(),
    };
    // Series began up to three years ago; some end, some run on.
    let began = rng.below(3 * 365) as i64;
    e.start = shift(e.start, -began);
    let bound = match rng.below(3) {
        0 => format!(";COUNT={}", 20 + rng.below(200)),
        1 => format!(";UNTIL={}", (day + Duration::days(rng.below(400) as i64)).format("%Y%m%dT235959Z")),
        _ => String::new(),
    };
    e.rrules.push(format!("{rule}{bound}"));
    let mut out = Vec::new();
    let mut taken = Vec::new();
    for _ in 0..rng.below(3) {
        // A moved, re-titled or cancelled instance a few weeks into the year.
        let weeks = rng.below(52) as i64;
        if taken.contains(&weeks) {
            continue;
        }
        taken.push(weeks);
        let Some(original) = weekly_instance(e.start, began, weeks) else { continue };
        let mut o = Event::new(e.uid.clone(), format!("{} (moved)", e.summary), shift_hours(original, 2));
        o.recurrence_id = Some(original);
        o.duration_seconds = e.duration_seconds;
        o.sequence = 1;
        if rng.chance(25) {
            o.status = EventStatus::Cancelled;
        }
        out.push(o);
    }
    if rng.chance(30) {
        if let Some(x) = weekly_instance(e.start, began, rng.below(52) as i64) {
            e.exdates.push(x);
        }
    }
    out.insert(0, e);
    out
}

fn shift(t: EventTime, days: i64) -> EventTime {
    match t {
        EventTime::Zoned { local, zone } => EventTime::Zoned { local: local + Duration::days(days), zone },
        EventTime::Utc { instant } => EventTime::Utc { instant: instant + Duration::days(days) },
        EventTime::Floating { local } => EventTime::Floating { local: local + Duration::days(days) },
        EventTime::Date { date } => EventTime::Date { date: date + Duration::days(days) },
    }
}

fn shift_hours(t: EventTime, hours: i64) -> EventTime {
    match t {
        EventTime::Zoned { local, zone } => EventTime::Zoned { local: local + Duration::hours(hours), zone },
        EventTime::Utc { instant } => EventTime::Utc { instant: instant + Duration::hours(hours) },
        other => other,
    }
}

/// The start `weeks` weeks after the series' first start, when that is inside the year the
/// series was shifted back from (only exact for weekly rules; others get an override or EXDATE
/// that names no instance, which real files have too).
fn weekly_instance(start: EventTime, began_days_ago: i64, weeks: i64) -> Option<EventTime> {
    let days = (began_days_ago / 7 + weeks) * 7;
    Some(shift(start, days))
}
