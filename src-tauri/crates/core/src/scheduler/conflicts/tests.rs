use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::America::New_York;

use super::*;
use crate::calendar::EventTime;
use crate::tier::Tier;

const PROFILE: &str = r#"
id = "dana"
name = "Dana Okafor"
addresses = ["dana@northwind.example"]
home_time_zone = "America/New_York"
lunch = "12:00-13:00"
no_meeting_days = ["fri"]
max_meetings_per_day = 3
travel_minutes = 45

[working_hours]
mon = "09:00-17:00"
tue = "09:00-17:00"
wed = "09:00-17:00"
thu = "09:00-17:00"

[[focus_blocks]]
label = "Deep work"
days = ["wed"]
time = "09:00-10:30"

[buffers]
before_minutes = 5
after_minutes = 10
"#;

fn profile() -> ExecutiveProfile {
    ExecutiveProfile::from_toml(PROFILE).unwrap()
}

fn at(day: u32, h: u32, m: u32) -> DateTime<Utc> {
    EventTime::Zoned {
        local: NaiveDate::from_ymd_opt(2026, 11, day).unwrap().and_hms_opt(h, m, 0).unwrap(),
        zone: New_York,
    }
    .to_utc(New_York)
}

fn meeting(summary: &str, day: u32, h: u32, m: u32, minutes: i64) -> Meeting {
    Meeting {
        uid: format!("{summary}@x"),
        recurrence_id: None,
        summary: summary.into(),
        start: at(day, h, m),
        end: at(day, h, m) + chrono::Duration::minutes(minutes),
        hold: Busy::Busy,
        tier: Tier::P2,
        location: None,
        own: false,
        attendees: 2,
    }
}

fn kinds(found: &[Conflict]) -> Vec<(ConflictKind, Severity)> {
    found.iter().map(|c| (c.kind, c.severity)).collect()
}

#[test]
fn a_clean_day_has_no_conflicts() {
    let day = [meeting("Standup", 24, 9, 0, 15), meeting("Review", 24, 10, 0, 60), meeting("1:1", 24, 14, 0, 30)];
    assert_eq!(find_conflicts(&day, &profile(), &[]), vec![]);
}

#[test]
fn firm_meetings_that_overlap_are_severe_and_a_tentative_one_less_so() {
    let mut day = vec![meeting("1:1 Priya", 24, 14, 0, 45), meeting("Audit prep", 24, 14, 30, 60)];
    day[1].tier = Tier::P0;
    let found = find_conflicts(&day, &profile(), &[]);
    assert_eq!(kinds(&found), [(ConflictKind::Overlap, Severity::High)]);
    assert_eq!(found[0].reason, "'1:1 Priya' (P2, 14:00–14:45) and 'Audit prep' (P0, 14:30–15:30) overlap by 15 min");
    assert_eq!(found[0].meetings, [0, 1]);
    day[0].hold = Busy::Tentative;
    let found = find_conflicts(&day, &profile(), &[]);
    assert_eq!(kinds(&found), [(ConflictKind::Overlap, Severity::Medium)]);
    assert!(found[0].reason.ends_with("(one is only tentative)"));
}

#[test]
fn too_little_time_between_meetings_breaks_the_buffer_or_the_journey() {
    let mut day = vec![meeting("Board prep", 24, 10, 0, 60), meeting("Call", 24, 11, 5, 30)];
    let found = find_conflicts(&day, &profile(), &[]);
    assert_eq!(kinds(&found), [(ConflictKind::Buffer, Severity::Low)]);
    assert_eq!(found[0].reason, "'Board prep' ends 11:00 and 'Call' starts 11:05: 5 min between them, 10 min wanted");
    // In person at two places: the journey, not the buffer, is the problem.
    day[0].location = Some("Claridge's, Brook Street".into());
    day[1].location = Some("Northwind HQ".into());
    day[1].start = at(24, 11, 30);
    day[1].end = at(24, 12, 0) - chrono::Duration::minutes(1);
    let found = find_conflicts(&day, &profile(), &[]);
    assert_eq!(kinds(&found), [(ConflictKind::Travel, Severity::High)]);
    assert_eq!(
        found[0].reason,
        "'Board prep' at Claridge's, Brook Street ends 11:00 and 'Call' at Northwind HQ starts 11:30: 30 min to get there, 45 min needed"
    );
    // A call is not a place: no journey.
    day[1].location = Some("Zoom https://zoom.example/j/1".into());
    assert!(find_conflicts(&day, &profile(), &[]).is_empty());
}

#[test]
fn the_shape_of_the_day_is_kept_working_hours_focus_lunch_and_no_meeting_days() {
    let day = [
        meeting("Early", 25, 8, 30, 60), // before hours and into focus time (Wed 09:00-10:30)
        meeting("Lunch meeting", 25, 12, 30, 60), // takes lunch
        meeting("Friday sync", 27, 10, 0, 30), // a no-meeting day (and no working hours: not also "a day off")
        meeting("Saturday brunch", 28, 11, 0, 60), // a day off
    ];
    let found = find_conflicts(&day, &profile(), &[]);
    let mut got: Vec<(ConflictKind, usize)> = found.iter().map(|c| (c.kind, c.meetings[0])).collect();
    got.sort();
    assert_eq!(
        got,
        [
            (ConflictKind::OutsideWorkingHours, 0),
            (ConflictKind::OutsideWorkingHours, 3),
            (ConflictKind::NoMeetingDay, 2),
            (ConflictKind::FocusTaken, 0),
            (ConflictKind::LunchTaken, 1),
        ]
    );
    let reason =
        |k: ConflictKind, m: usize| found.iter().find(|c| c.kind == k && c.meetings[0] == m).unwrap().reason.clone();
    assert_eq!(reason(ConflictKind::FocusTaken, 0), "'Early' (08:30–09:30) takes focus time 'Deep work' (09:00-10:30)");
    assert_eq!(
        reason(ConflictKind::OutsideWorkingHours, 3),
        "'Saturday brunch' (11:00–12:00) is on Saturday, a day off"
    );
    assert_eq!(reason(ConflictKind::NoMeetingDay, 2), "'Friday sync' is on Friday, a no-meeting day");
    // Most severe first.
    assert!(found.windows(2).all(|w| w[0].severity >= w[1].severity));
}

#[test]
fn more_meetings_than_the_daily_cap_is_one_conflict_naming_them_all() {
    let day: Vec<Meeting> = (0..4).map(|i| meeting(&format!("M{i}"), 24, 9 + 2 * i, 0, 30)).collect();
    let found = find_conflicts(&day, &profile(), &[]);
    assert_eq!(kinds(&found), [(ConflictKind::OverDailyCap, Severity::Medium)]);
    assert_eq!(found[0].meetings, [0, 1, 2, 3]);
    assert_eq!(found[0].reason, "4 meetings on Tue 24 Nov, 3 at most");
}

#[test]
fn days_are_read_where_the_executive_is() {
    // 16:30 New York on a Tuesday is 21:30 in London: outside hours there.
    let day = [meeting("Late call", 24, 16, 30, 30)];
    assert!(find_conflicts(&day, &profile(), &[]).is_empty());
    let london = [DayPlace {
        date: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
        zone: chrono_tz::Europe::London,
        other_zone: None,
        place: None,
        reason: "itinerary".into(),
    }];
    let found = find_conflicts(&day, &profile(), &london);
    assert_eq!(kinds(&found), [(ConflictKind::OutsideWorkingHours, Severity::Low)]);
    assert_eq!(found[0].reason, "'Late call' (21:30–22:00) runs outside working hours (09:00-17:00)");
}

#[test]
fn a_personal_entry_outside_hours_is_not_a_conflict_but_still_clashes() {
    let mut gym = meeting("Gym", 24, 6, 30, 60);
    gym.attendees = 0;
    assert!(find_conflicts(std::slice::from_ref(&gym), &profile(), &[]).is_empty());
    let mut early_call = meeting("Early call", 24, 7, 0, 30);
    early_call.attendees = 3;
    let found = find_conflicts(&[gym, early_call], &profile(), &[]);
    assert_eq!(
        kinds(&found),
        [(ConflictKind::Overlap, Severity::High), (ConflictKind::OutsideWorkingHours, Severity::Low)]
    );
}
