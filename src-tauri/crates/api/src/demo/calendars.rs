//! The demo executive's three calendars for the week of `now`: recurring series with an
//! override, an EXDATE and a cancelled instance; a New York -> London trip; genuine double
//! bookings; and invitations still waiting for an answer.

use chrono::{Duration, NaiveDate};
use chrono_tz::{America::New_York, Europe::London, Tz};
use tandem_core::calendar::{
    Attendee, Event, EventStatus, EventTime, Participant, ParticipationStatus, Role, Transparency,
};

use super::people::*;

pub struct DemoCalendar {
    pub name: &'static str,
    pub color: &'static str,
    pub file: &'static str,
    pub events: Vec<Event>,
}

fn at(day: NaiveDate, h: u32, m: u32, zone: Tz) -> EventTime {
    EventTime::Zoned { local: day.and_hms_opt(h, m, 0).expect("valid demo time"), zone }
}

pub(super) fn uid(name: &str) -> String {
    format!("{name}@demo.northwind.example")
}

fn event(name: &str, summary: &str, start: EventTime, end: EventTime) -> Event {
    let mut e = Event::new(uid(name), summary, start);
    e.end = Some(end);
    e
}

fn person(p: &Person) -> Participant {
    Participant::new(p.address.to_string(), Some(p.name.to_string()))
}

fn attendee(p: &Person, status: ParticipationStatus) -> Attendee {
    Attendee { participant: person(p), role: Role::Required, status, rsvp: status == ParticipationStatus::NeedsAction }
}

/// Sets organiser and attendees; Dana is always among the attendees.
fn invite(mut e: Event, organizer: &Person, others: &[&Person], dana: ParticipationStatus) -> Event {
    e.organizer = Some(person(organizer));
    e.attendees.push(attendee(organizer, ParticipationStatus::Accepted));
    e.attendees.push(attendee(&DANA, dana));
    for p in others {
        e.attendees.push(attendee(p, ParticipationStatus::Accepted));
    }
    e
}

fn located(mut e: Event, location: &str) -> Event {
    e.location = Some(location.to_string());
    e
}

fn recurring(mut e: Event, rule: &str) -> Event {
    e.rrules.push(rule.to_string());
    e
}

/// A VALARM as calendar apps write it; read back from the file like any other alarm.
fn alarmed(mut e: Event, trigger: &str, note: &str) -> Event {
    e.kept_components
        .push(format!("BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:{trigger}\r\nDESCRIPTION:{note}\r\nEND:VALARM"));
    e
}

const ACCEPTED: ParticipationStatus = ParticipationStatus::Accepted;
const PENDING: ParticipationStatus = ParticipationStatus::NeedsAction;

/// `monday` is the Monday of the week of `now` in New York.
pub fn dana_calendars(monday: NaiveDate) -> Vec<DemoCalendar> {
    let d = |n: i64| monday + Duration::days(n);
    let (mon, tue, wed, thu, fri, sat) = (d(0), d(1), d(2), d(3), d(4), d(5));
    let series_start = monday - Duration::weeks(8);
    let nyc = |day, h, m| at(day, h, m, New_York);
    let ldn = |day, h, m| at(day, h, m, London);
    let all_directs: Vec<&Person> = DIRECTS.iter().collect();

    // --- Work ---
    let mut work = Vec::new();
    let staff_start = series_start; // a Monday
    work.push(located(
        recurring(
            invite(
                event("exec-staff", "Executive staff meeting", nyc(staff_start, 9, 0), nyc(staff_start, 10, 30)),
                &DANA,
                &all_directs,
                ACCEPTED,
            ),
            "FREQ=WEEKLY;BYDAY=MO",
        ),
        "HQ 12th floor, Boardroom",
    ));
    // Conflict: a press interview the comms team booked over staff meeting.
    work.push(invite(
        event("press-interview", "Interview: Business Daily (Nora Patel)", nyc(mon, 9, 30), nyc(mon, 10, 0)),
        &PRESS,
        &[CHRO],
        ACCEPTED,
    ));
    let tue0 = series_start + Duration::days(1);
    work.push(recurring(
        invite(event("cfo-1on1", "1:1 Priya / Dana", nyc(tue0, 14, 0), nyc(tue0, 14, 45)), &DANA, &[CFO], ACCEPTED),
        "FREQ=WEEKLY;BYDAY=TU",
    ));
    let wed0 = series_start + Duration::days(2);
    work.push(recurring(
        invite(event("cto-1on1", "1:1 Tomas / Dana", nyc(wed0, 11, 0), nyc(wed0, 11, 45)), &DANA, &[CTO], ACCEPTED),
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE",
    ));
    // EP check-in every weekday; Thursday's is cancelled because Dana is in London.
    work.push(recurring(
        invite(
            event("ep-checkin", "Daily check-in with Sam", nyc(series_start, 8, 30), nyc(series_start, 8, 45)),
            &SAM_EP,
            &[],
            ACCEPTED,
        ),
        "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
    ));
    let mut cancelled = invite(
        event("ep-checkin", "Daily check-in with Sam", nyc(thu, 8, 30), nyc(thu, 8, 45)),
        &SAM_EP,
        &[],
        ACCEPTED,
    );
    cancelled.recurrence_id = Some(nyc(thu, 8, 30));
    cancelled.status = EventStatus::Cancelled;
    cancelled.sequence = 1;
    work.push(cancelled);
    // Pipeline review: this week's instance moved later (an override), next week's skipped.
    let thu0 = series_start + Duration::days(3);
    let mut pipeline = recurring(
        invite(
            event("pipeline-review", "Sales pipeline review", nyc(thu0, 16, 0), nyc(thu0, 17, 0)),
            COO,
            &[CFO],
            ACCEPTED,
        ),
        "FREQ=WEEKLY;BYDAY=TH",
    );
    pipeline.exdates.push(nyc(thu + Duration::weeks(1), 16, 0));
    work.push(pipeline);
    let mut moved = invite(
        event("pipeline-review", "Sales pipeline review (moved)", nyc(thu, 16, 30), nyc(thu, 17, 30)),
        COO,
        &[CFO],
        ACCEPTED,
    );
    moved.recurrence_id = Some(nyc(thu, 16, 0));
    moved.sequence = 1;
    moved.location = Some("Video call".into());
    work.push(moved);
    work.push(located(
        invite(
            event("contoso-qbr", "Contoso quarterly business review", nyc(tue, 10, 0), nyc(tue, 10, 45)),
            &KEY_CUSTOMERS[0],
            &[COO],
            ACCEPTED,
        ),
        "Video call",
    ));
    work.push(invite(
        event("q4-forecast", "Q4 forecast review", nyc(tue, 11, 0), nyc(tue, 12, 30)),
        CFO,
        &[COO, CTO],
        ACCEPTED,
    ));
    work.push(located(
        invite(event("all-hands", "Company all-hands", nyc(wed, 12, 0), nyc(wed, 13, 0)), CHRO, &all_directs, ACCEPTED),
        "HQ Atrium + stream",
    ));
    // The trip: NYC -> London Wednesday night, back Friday.
    let mut out_flight = event("flight-out", "Flight BA 178 JFK \u{2192} LHR", nyc(wed, 19, 30), ldn(thu, 7, 35));
    out_flight.location = Some("JFK Terminal 8".into());
    out_flight.categories.push("Travel".into());
    work.push(out_flight);
    let mut hotel = Event::new(uid("hotel-london"), "Hotel: The Langham, London", EventTime::Date { date: thu });
    hotel.end = Some(EventTime::Date { date: fri });
    hotel.transparency = Transparency::Transparent;
    hotel.location = Some("1C Portland Place, London W1B 1JA".into());
    hotel.categories.push("Travel".into());
    work.push(hotel);
    work.push(located(
        invite(
            event("fabrikam-visit", "Customer visit: Fabrikam HQ", ldn(thu, 10, 0), ldn(thu, 12, 0)),
            &KEY_CUSTOMERS[1],
            &[COO],
            ACCEPTED,
        ),
        "Fabrikam, 1 Canada Square, London",
    ));
    work.push(located(
        invite(
            event("uk-lunch", "Lunch with UK country manager", ldn(thu, 13, 0), ldn(thu, 14, 0)),
            &COLLEAGUES[3],
            &[],
            ACCEPTED,
        ),
        "Dishoom, Kings Cross",
    ));
    // Conflict: the moved pipeline review (16:30 New York = 21:30 London) lands in this dinner.
    work.push(located(
        invite(
            event("fabrikam-dinner", "Dinner with Fabrikam leadership", ldn(thu, 19, 30), ldn(thu, 22, 0)),
            &KEY_CUSTOMERS[1],
            &[],
            ACCEPTED,
        ),
        "Hawksmoor Guildhall",
    ));
    let mut back = event("flight-back", "Flight BA 117 LHR \u{2192} JFK", ldn(fri, 11, 20), nyc(fri, 14, 20));
    back.location = Some("LHR Terminal 5".into());
    back.categories.push("Travel".into());
    work.push(back);
    // Invitations waiting for an answer.
    work.push(invite(
        event("partner-summit", "Partner summit planning", nyc(fri, 16, 0), nyc(fri, 17, 0)),
        &KEY_CUSTOMERS[0],
        &[COO],
        PENDING,
    ));
    // Conflict: a vendor pitch over the audit committee prep (board calendar), unanswered.
    work.push(invite(
        event("acme-pitch", "Acme Analytics: platform demo", nyc(tue, 15, 0), nyc(tue, 15, 45)),
        &VENDORS[0],
        &[CTO],
        PENDING,
    ));
    work.push(invite(
        event("budget-sync", "FY27 budget sync", nyc(d(7), 13, 0), nyc(d(7), 14, 0)),
        CFO,
        &[COO],
        PENDING,
    ));
    // The same committee call sits in the board calendar too: one meeting, two calendars.
    let comp_call = located(
        invite(
            event("comp-committee", "Compensation committee call", nyc(mon, 16, 0), nyc(mon, 17, 0)),
            &BOARD[2],
            &[CHRO],
            ACCEPTED,
        ),
        "Video call",
    );
    work.push(comp_call.clone());

    // --- Board ---
    let mut board = vec![comp_call];
    // Conflict: overlaps the 1:1 with Priya.
    board.push(alarmed(
        invite(event("audit-prep", "Audit committee prep", nyc(tue, 14, 30), nyc(tue, 15, 30)), GC, &[CFO], ACCEPTED),
        "-PT30M",
        "Bring the signed audit letter",
    ));
    board.push(alarmed(
        located(
            invite(
                event("board-q4", "Board of directors: Q4 meeting", nyc(d(8), 9, 0), nyc(d(8), 15, 0)),
                &BOARD[0],
                &BOARD[1..].iter().collect::<Vec<_>>(),
                ACCEPTED,
            ),
            "HQ 12th floor, Boardroom",
        ),
        "-P1D",
        "Board pack printed and couriered?",
    ));
    let first_friday = first_weekday_of_month(series_start, chrono::Weekday::Fri);
    board.push(recurring(
        invite(
            event("chair-checkin", "Chair check-in (Eleanor)", nyc(first_friday, 8, 0), nyc(first_friday, 8, 30)),
            &BOARD[0],
            &[],
            ACCEPTED,
        ),
        "FREQ=MONTHLY;BYDAY=1FR",
    ));
    board.push(invite(
        event("investor-call", "Investor update call", nyc(mon, 13, 0), nyc(mon, 13, 45)),
        &BOARD[1],
        &[CFO],
        ACCEPTED,
    ));

    // --- Personal ---
    let mut personal = Vec::new();
    let mut gym = event("gym", "Gym", nyc(series_start, 6, 30), nyc(series_start, 7, 30));
    gym.rrules.push("FREQ=WEEKLY;BYDAY=MO,WE,FR".into());
    gym.exdates.push(nyc(fri, 6, 30)); // in London
    personal.push(gym);
    // Floating time: school pickup is at 15:30 wherever Dana happens to be viewing from.
    let mut pickup = Event::new(
        uid("school-pickup"),
        "School pickup",
        EventTime::Floating { local: tue0.and_hms_opt(15, 30, 0).expect("valid") },
    );
    pickup.end = Some(EventTime::Floating { local: tue0.and_hms_opt(16, 0, 0).expect("valid") });
    pickup.rrules.push("FREQ=WEEKLY;BYDAY=TU".into());
    personal.push(pickup);
    // A yearly all-day series that started years ago; this year's falls on Saturday.
    let first = {
        use chrono::Datelike;
        NaiveDate::from_ymd_opt(sat.year() - 3, sat.month(), sat.day()).unwrap_or(sat - Duration::days(3 * 365))
    };
    let mut birthday = Event::new(uid("maya-birthday"), "Maya's birthday", EventTime::Date { date: first });
    birthday.end = Some(EventTime::Date { date: first + Duration::days(1) });
    birthday.rrules.push("FREQ=YEARLY".into());
    birthday.transparency = Transparency::Transparent;
    personal.push(birthday);
    personal.push(located(event("dentist", "Dentist", nyc(fri, 17, 30), nyc(fri, 18, 30)), "Dr. Lin, 240 W 35th St"));

    vec![
        DemoCalendar { name: "Work", color: "#2f6fde", file: "work.ics", events: work },
        DemoCalendar { name: "Board", color: "#8e44ad", file: "board.ics", events: board },
        DemoCalendar { name: "Personal", color: "#1e9e6a", file: "personal.ics", events: personal },
    ]
}

/// A second, smaller executive so the switcher has someone to switch to.
pub fn marcus_calendars(monday: NaiveDate) -> Vec<DemoCalendar> {
    let nyc = |day, h, m| at(day, h, m, New_York);
    let d = |n: i64| monday + Duration::days(n);
    let series_start = monday - Duration::weeks(8);
    let all_directs: Vec<&Person> = DIRECTS.iter().collect();
    // The same staff meeting Dana has: same UID, as an attendee's copy.
    let staff = located(
        recurring(
            invite(
                event("exec-staff", "Executive staff meeting", nyc(series_start, 9, 0), nyc(series_start, 10, 30)),
                &DANA,
                &all_directs,
                ACCEPTED,
            ),
            "FREQ=WEEKLY;BYDAY=MO",
        ),
        "HQ 12th floor, Boardroom",
    );
    let ops = recurring(
        invite(
            event(
                "ops-review",
                "Operations review",
                nyc(series_start + Duration::days(2), 10, 0),
                nyc(series_start + Duration::days(2), 11, 0),
            ),
            COO,
            &[CTO],
            ACCEPTED,
        ),
        "FREQ=WEEKLY;BYDAY=WE",
    );
    let plant = located(
        invite(
            event("plant-visit", "Plant visit: Dayton line 3", nyc(d(1), 8, 0), nyc(d(1), 16, 0)),
            COO,
            &[],
            ACCEPTED,
        ),
        "Dayton, OH",
    );
    vec![DemoCalendar { name: "Work", color: "#c2571a", file: "marcus-work.ics", events: vec![staff, ops, plant] }]
}

fn first_weekday_of_month(near: NaiveDate, wd: chrono::Weekday) -> NaiveDate {
    use chrono::Datelike;
    let mut day = NaiveDate::from_ymd_opt(near.year(), near.month(), 1).expect("first of month");
    while day.weekday() != wd {
        day += Duration::days(1);
    }
    day
}
