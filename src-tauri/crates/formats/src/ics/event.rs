//! VEVENT <-> [`tandem_core::Event`].

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Tz;
use tandem_core::calendar::{
    Attendee, Event, EventStatus, EventTime, Participant, ParticipationStatus, Role, Transparency,
};

use super::component::{parse_components, Component};
use super::content::{escape_text, split_text_list, unescape_text, write_line, ContentLine};
use super::{IcsError, Problem};

/// One event read from a file, with the component's original text.
#[derive(Clone, Debug, PartialEq)]
pub struct ParsedEvent {
    pub event: Event,
    pub raw: String,
    pub line: usize,
}

/// What a file yielded: the events that could be read and the problems with the rest.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ParsedCalendar {
    /// `X-WR-CALNAME`, when the producer named the calendar.
    pub name: Option<String>,
    /// `METHOD` (iTIP), e.g. `REQUEST` for an invitation.
    pub method: Option<String>,
    pub events: Vec<ParsedEvent>,
    pub problems: Vec<Problem>,
}

/// Reads an iCalendar file. Only a file with no VCALENDAR at all is an error; anything less is
/// a problem in the result and the rest is still read.
pub fn parse_calendar(text: &str) -> Result<ParsedCalendar, IcsError> {
    let (roots, mut problems) = parse_components(text.strip_prefix('\u{feff}').unwrap_or(text));
    let calendars: Vec<&Component> = roots.iter().filter(|c| c.name == "VCALENDAR").collect();
    if calendars.is_empty() {
        let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("").chars().take(40).collect::<String>();
        return Err(IcsError::NotICalendar(format!("no BEGIN:VCALENDAR (first line: '{first}')")));
    }
    let mut out = ParsedCalendar::default();
    for cal in calendars {
        if out.name.is_none() {
            out.name = cal.property("X-WR-CALNAME").map(|p| unescape_text(&p.value));
        }
        if out.method.is_none() {
            out.method = cal.property("METHOD").map(|p| p.value.trim().to_ascii_uppercase());
        }
        // Google and others write local times without TZID and name the zone once for the
        // whole calendar in X-WR-TIMEZONE; such times are in that zone, not floating.
        let calendar_zone = cal.property("X-WR-TIMEZONE").and_then(|p| zone_named(&p.value));
        let mut vevents = Vec::new();
        collect_vevents(cal, &mut vevents);
        for c in vevents {
            match read_event(c, calendar_zone, &mut problems) {
                Ok(event) => out.events.push(ParsedEvent { event, raw: c.raw.clone(), line: c.line }),
                Err((line, message)) => problems.push(Problem { line, component: describe(c), message }),
            }
        }
    }
    out.problems = problems;
    Ok(out)
}

fn collect_vevents<'a>(c: &'a Component, out: &mut Vec<&'a Component>) {
    for child in &c.children {
        if child.name == "VEVENT" {
            out.push(child);
        }
        collect_vevents(child, out);
    }
}

fn describe(c: &Component) -> String {
    match c.property("UID") {
        Some(uid) => format!("{} uid={}", c.name, uid.value.trim()),
        None => c.name.clone(),
    }
}

/// Reads one VEVENT. A missing UID or DTSTART makes the event unusable (an error); a bad
/// optional property is a problem and is left out.
/// Errors carry the line of the offending property (or of the BEGIN when one is missing).
fn read_event(c: &Component, calendar_zone: Option<Tz>, problems: &mut Vec<Problem>) -> Result<Event, (usize, String)> {
    let uid = match c.property("UID").map(|p| p.value.trim().to_string()).filter(|u| !u.is_empty()) {
        Some(uid) => uid,
        None => {
            // RFC 5545 requires a UID, but real files (and other readers) go without: keep the
            // event under a stable made-up one and say so.
            let made_up = format!("tandem-no-uid-{:016x}@local", crate::content_hash(c.raw.as_bytes()));
            problems.push(Problem {
                line: c.line,
                component: "VEVENT".into(),
                message: format!("VEVENT has no UID; kept as {made_up}"),
            });
            made_up
        }
    };
    let start_line = c.property("DTSTART").ok_or((c.line, "VEVENT has no DTSTART".to_string()))?;
    let mut warn = |line: &ContentLine, message: String| {
        problems.push(Problem { line: line.line, component: format!("VEVENT uid={uid}"), message });
    };
    let start = match read_time(start_line, calendar_zone) {
        Ok((t, note)) => {
            if let Some(note) = note {
                warn(start_line, note);
            }
            t
        }
        Err(e) => return Err((start_line.line, format!("DTSTART: {e}"))),
    };
    let mut event =
        Event::new(uid.clone(), c.property("SUMMARY").map(|p| unescape_text(&p.value)).unwrap_or_default(), start);
    for p in &c.properties {
        match p.name.as_str() {
            "DTEND" => match read_time(p, calendar_zone) {
                Ok((t, _)) => event.end = Some(t),
                Err(e) => warn(p, format!("DTEND ignored: {e}")),
            },
            "DURATION" => match parse_duration(&p.value) {
                Some(secs) => event.duration_seconds = Some(secs),
                None => warn(p, format!("DURATION '{}' is not an RFC 5545 duration", p.value)),
            },
            "RECURRENCE-ID" => match read_time(p, calendar_zone) {
                Ok((t, _)) => event.recurrence_id = Some(t),
                Err(e) => return Err((p.line, format!("RECURRENCE-ID: {e}"))),
            },
            "RRULE" if p.value.trim().is_empty() => {
                warn(p, "empty RRULE ignored: the event is read as a one-off".into())
            }
            "RRULE" => event.rrules.push(p.value.trim().to_string()),
            "RDATE" | "EXDATE" => {
                for item in p.value.split(',').filter(|s| !s.trim().is_empty()) {
                    // An RDATE period (start/end or start/duration) recurs at its start.
                    let start_part = item.split('/').next().unwrap_or(item);
                    match read_time_value(start_part, p, calendar_zone) {
                        Ok((t, _)) => {
                            if p.name == "RDATE" {
                                event.rdates.push(t)
                            } else {
                                event.exdates.push(t)
                            }
                        }
                        Err(e) => warn(p, format!("{} value '{item}' ignored: {e}", p.name)),
                    }
                }
            }
            "SEQUENCE" => event.sequence = p.value.trim().parse().unwrap_or(0),
            "DESCRIPTION" => event.description = Some(unescape_text(&p.value)),
            "LOCATION" => event.location = Some(unescape_text(&p.value)).filter(|l| !l.is_empty()),
            "STATUS" => {
                event.status = match p.value.trim().to_ascii_uppercase().as_str() {
                    "TENTATIVE" => EventStatus::Tentative,
                    "CANCELLED" => EventStatus::Cancelled,
                    _ => EventStatus::Confirmed,
                }
            }
            "TRANSP" if p.value.trim().eq_ignore_ascii_case("TRANSPARENT") => {
                event.transparency = Transparency::Transparent;
            }
            "ORGANIZER" => {
                event.organizer = Some(Participant::from_cal_address(&p.value, p.param("CN").map(String::from)))
            }
            "ATTENDEE" => event.attendees.push(read_attendee(p)),
            "CATEGORIES" => event.categories.extend(split_text_list(&p.value)),
            _ => {}
        }
    }
    Ok(event)
}

fn read_attendee(p: &ContentLine) -> Attendee {
    let role = match p.param("ROLE").map(|r| r.to_ascii_uppercase()).as_deref() {
        Some("CHAIR") => Role::Chair,
        Some("OPT-PARTICIPANT") => Role::Optional,
        Some("NON-PARTICIPANT") => Role::NonParticipant,
        _ => Role::Required,
    };
    let status = match p.param("PARTSTAT").map(|r| r.to_ascii_uppercase()).as_deref() {
        Some("ACCEPTED") => ParticipationStatus::Accepted,
        Some("DECLINED") => ParticipationStatus::Declined,
        Some("TENTATIVE") => ParticipationStatus::Tentative,
        Some("DELEGATED") => ParticipationStatus::Delegated,
        _ => ParticipationStatus::NeedsAction,
    };
    Attendee {
        participant: Participant::from_cal_address(&p.value, p.param("CN").map(String::from)),
        role,
        status,
        rsvp: p.param("RSVP").is_some_and(|v| v.eq_ignore_ascii_case("TRUE")),
    }
}

/// Reads a DATE or DATE-TIME property value. The second item is a note when the value was read
/// in a degraded way (an unknown zone read as floating time).
fn read_time(p: &ContentLine, calendar_zone: Option<Tz>) -> Result<(EventTime, Option<String>), String> {
    read_time_value(p.value.trim(), p, calendar_zone)
}

fn read_time_value(
    value: &str,
    p: &ContentLine,
    calendar_zone: Option<Tz>,
) -> Result<(EventTime, Option<String>), String> {
    let value = value.trim();
    let is_date =
        p.param("VALUE").is_some_and(|v| v.eq_ignore_ascii_case("DATE")) || (value.len() == 8 && !value.contains('T'));
    if is_date {
        let date = NaiveDate::parse_from_str(value.get(..8).unwrap_or(value), "%Y%m%d")
            .map_err(|_| format!("'{value}' is not a date (YYYYMMDD)"))?;
        return Ok((EventTime::Date { date }, None));
    }
    let (body, utc) = match value.strip_suffix(['Z', 'z']) {
        Some(b) => (b, true),
        None => (value, false),
    };
    let local = NaiveDateTime::parse_from_str(body, "%Y%m%dT%H%M%S")
        .map_err(|_| format!("'{value}' is not a date-time (YYYYMMDDTHHMMSS[Z])"))?;
    if utc {
        return Ok((EventTime::Utc { instant: DateTime::<Utc>::from_naive_utc_and_offset(local, Utc) }, None));
    }
    match p.param("TZID") {
        None => match calendar_zone {
            Some(zone) => Ok((EventTime::Zoned { local, zone }, None)),
            None => Ok((EventTime::Floating { local }, None)),
        },
        Some(tzid) => {
            match zone_named(tzid) {
                Some(zone) => Ok((EventTime::Zoned { local, zone }, None)),
                // A zone defined only by the file's VTIMEZONE is the calendar engine's next step;
                // until then the wall-clock time is kept rather than the event dropped.
                None => Ok((
                    EventTime::Floating { local },
                    Some(format!("unknown time zone '{tzid}', read as floating time")),
                )),
            }
        }
    }
}

/// The IANA zone a TZID names: an IANA name; a Windows name as Outlook and Exchange write it
/// ("W. Europe Standard Time", mapped with the CLDR windowsZones table); or an IANA name behind
/// a vendor prefix ("/mozilla.org/20050126_1/Europe/Berlin", old Thunderbird). Zones defined
/// only by the file's own VTIMEZONE are the calendar engine's next step.
pub fn zone_named(tzid: &str) -> Option<Tz> {
    let name = tzid.trim().trim_matches('"');
    if let Ok(zone) = name.trim_start_matches('/').parse::<Tz>() {
        return Some(zone);
    }
    if let Ok(windows) = name.parse::<windows_timezones::WindowsTimezone>() {
        return Some(Tz::from(windows));
    }
    // Longest IANA-looking suffix of a path-like TZID.
    let segments: Vec<&str> = name.split('/').filter(|s| !s.is_empty()).collect();
    (1..segments.len()).find_map(|skip| segments[skip..].join("/").parse::<Tz>().ok())
}

/// Parses an RFC 5545 DURATION (`P1W`, `PT1H30M`, `-P1D`, `P1DT2H`) into seconds.
pub fn parse_duration(value: &str) -> Option<i64> {
    let v = value.trim();
    let (sign, v) = match v.as_bytes().first()? {
        b'-' => (-1, &v[1..]),
        b'+' => (1, &v[1..]),
        _ => (1, v),
    };
    let v = v.strip_prefix(['P', 'p'])?;
    let mut total: i64 = 0;
    let mut number = String::new();
    let mut in_time = false;
    let mut any = false;
    for c in v.chars() {
        match c.to_ascii_uppercase() {
            '0'..='9' => number.push(c),
            'T' if number.is_empty() => in_time = true,
            unit => {
                let n: i64 = number.parse().ok()?;
                number.clear();
                any = true;
                let unit_seconds = match (unit, in_time) {
                    ('W', false) => 7 * 86_400,
                    ('D', false) => 86_400,
                    ('H', true) => 3_600,
                    ('M', true) => 60,
                    ('S', true) => 1,
                    _ => return None,
                };
                // Absurd durations (real files have P99999999999W) are refused, not wrapped.
                total = total.checked_add(n.checked_mul(unit_seconds)?)?;
            }
        }
    }
    (any && number.is_empty()).then_some(sign * total)
}

fn time_property(out: &mut String, name: &str, t: &EventTime) {
    match t {
        EventTime::Date { date } => write_line(out, name, &[("VALUE", "DATE")], &date.format("%Y%m%d").to_string()),
        EventTime::Floating { local } => write_line(out, name, &[], &local.format("%Y%m%dT%H%M%S").to_string()),
        EventTime::Zoned { local, zone } => {
            write_line(out, name, &[("TZID", zone.name())], &local.format("%Y%m%dT%H%M%S").to_string())
        }
        EventTime::Utc { instant } => write_line(out, name, &[], &instant.format("%Y%m%dT%H%M%SZ").to_string()),
    }
}

fn cal_address(p: &Participant) -> String {
    format!("mailto:{}", p.address)
}

/// Writes a VCALENDAR holding `events`. `dtstamp` is passed in (the caller's `now`) so output is
/// reproducible.
pub fn write_calendar(name: Option<&str>, method: Option<&str>, events: &[Event], dtstamp: DateTime<Utc>) -> String {
    let mut out = String::new();
    write_line(&mut out, "BEGIN", &[], "VCALENDAR");
    write_line(&mut out, "VERSION", &[], "2.0");
    write_line(&mut out, "PRODID", &[], "-//Tandem//Tandem 0.1//EN");
    write_line(&mut out, "CALSCALE", &[], "GREGORIAN");
    if let Some(m) = method {
        write_line(&mut out, "METHOD", &[], m);
    }
    if let Some(n) = name {
        write_line(&mut out, "X-WR-CALNAME", &[], &escape_text(n));
    }
    for e in events {
        write_event(&mut out, e, dtstamp);
    }
    write_line(&mut out, "END", &[], "VCALENDAR");
    out
}

fn write_event(out: &mut String, e: &Event, dtstamp: DateTime<Utc>) {
    write_line(out, "BEGIN", &[], "VEVENT");
    write_line(out, "UID", &[], &e.uid);
    write_line(out, "DTSTAMP", &[], &dtstamp.format("%Y%m%dT%H%M%SZ").to_string());
    if let Some(r) = &e.recurrence_id {
        time_property(out, "RECURRENCE-ID", r);
    }
    if e.sequence > 0 {
        write_line(out, "SEQUENCE", &[], &e.sequence.to_string());
    }
    write_line(out, "SUMMARY", &[], &escape_text(&e.summary));
    time_property(out, "DTSTART", &e.start);
    if let Some(end) = &e.end {
        time_property(out, "DTEND", end);
    } else if let Some(secs) = e.duration_seconds {
        write_line(out, "DURATION", &[], &format!("PT{secs}S"));
    }
    for r in &e.rrules {
        write_line(out, "RRULE", &[], r);
    }
    for x in &e.exdates {
        time_property(out, "EXDATE", x);
    }
    for r in &e.rdates {
        time_property(out, "RDATE", r);
    }
    if let Some(l) = &e.location {
        write_line(out, "LOCATION", &[], &escape_text(l));
    }
    if let Some(d) = &e.description {
        write_line(out, "DESCRIPTION", &[], &escape_text(d));
    }
    match e.status {
        EventStatus::Confirmed => {}
        EventStatus::Tentative => write_line(out, "STATUS", &[], "TENTATIVE"),
        EventStatus::Cancelled => write_line(out, "STATUS", &[], "CANCELLED"),
    }
    if e.transparency == Transparency::Transparent {
        write_line(out, "TRANSP", &[], "TRANSPARENT");
    }
    if !e.categories.is_empty() {
        let joined: Vec<String> = e.categories.iter().map(|c| escape_text(c)).collect();
        write_line(out, "CATEGORIES", &[], &joined.join(","));
    }
    if let Some(o) = &e.organizer {
        let params: Vec<(&str, &str)> = o.name.as_deref().map(|n| vec![("CN", n)]).unwrap_or_default();
        write_line(out, "ORGANIZER", &params, &cal_address(o));
    }
    for a in &e.attendees {
        let role = match a.role {
            Role::Chair => "CHAIR",
            Role::Required => "REQ-PARTICIPANT",
            Role::Optional => "OPT-PARTICIPANT",
            Role::NonParticipant => "NON-PARTICIPANT",
        };
        let status = match a.status {
            ParticipationStatus::NeedsAction => "NEEDS-ACTION",
            ParticipationStatus::Accepted => "ACCEPTED",
            ParticipationStatus::Declined => "DECLINED",
            ParticipationStatus::Tentative => "TENTATIVE",
            ParticipationStatus::Delegated => "DELEGATED",
        };
        let mut params = vec![("ROLE", role), ("PARTSTAT", status)];
        if a.rsvp {
            params.push(("RSVP", "TRUE"));
        }
        if let Some(n) = a.participant.name.as_deref() {
            params.push(("CN", n));
        }
        write_line(out, "ATTENDEE", &params, &cal_address(&a.participant));
    }
    write_line(out, "END", &[], "VEVENT");
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX-WR-CALNAME:Work\r\n\
BEGIN:VEVENT\r\nUID:ok@x\r\nDTSTART;TZID=Europe/London:20260302T090000\r\nDTEND;TZID=Europe/London:20260302T093000\r\n\
RRULE:FREQ=WEEKLY;BYDAY=MO\r\nEXDATE;TZID=Europe/London:20260309T090000,20260316T090000\r\nSUMMARY:Standup\\, weekly\r\n\
ATTENDEE;CN=\"Okafor, Dana\";ROLE=OPT-PARTICIPANT;PARTSTAT=ACCEPTED:mailto:dana@n.example\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:bad@x\r\nDTSTART:2026-03-02\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:allday@x\r\nDTSTART;VALUE=DATE:20260305\r\nDURATION:P2D\r\nSUMMARY:Offsite\r\nEND:VEVENT\r\n\
END:VCALENDAR\r\n";

    #[test]
    fn a_bad_event_is_reported_with_its_line_and_uid_and_the_others_are_read() {
        let cal = parse_calendar(FILE).unwrap();
        assert_eq!(cal.name.as_deref(), Some("Work"));
        let uids: Vec<&str> = cal.events.iter().map(|e| e.event.uid.as_str()).collect();
        assert_eq!(uids, ["ok@x", "allday@x"]);
        assert_eq!(cal.problems.len(), 1);
        let p = &cal.problems[0];
        assert_eq!((p.line, p.component.as_str()), (15, "VEVENT uid=bad@x"));
        assert!(p.message.contains("not a date-time"), "{p}");
    }

    #[test]
    fn properties_are_read_into_the_event() {
        let cal = parse_calendar(FILE).unwrap();
        let e = &cal.events[0].event;
        assert_eq!(e.summary, "Standup, weekly");
        assert_eq!(e.exdates.len(), 2);
        assert_eq!(e.attendees[0].participant.name.as_deref(), Some("Okafor, Dana"));
        assert_eq!(e.attendees[0].role, Role::Optional);
        assert_eq!(cal.events[1].event.duration_seconds, Some(2 * 86_400));
        assert!(cal.events[0].raw.starts_with("BEGIN:VEVENT\r\nUID:ok@x"));
    }

    #[test]
    fn an_unknown_zone_keeps_the_event_as_floating_time_with_a_problem() {
        let text = FILE
            .replace("TZID=Europe/London:20260302T090000\r\nDTEND", "TZID=Mars Standard Time:20260302T090000\r\nDTEND");
        let cal = parse_calendar(&text).unwrap();
        assert!(matches!(cal.events[0].event.start, EventTime::Floating { .. }));
        assert!(cal.problems.iter().any(|p| p.message.contains("Mars Standard Time")));
    }

    #[test]
    fn tzids_from_outlook_and_old_thunderbird_name_their_iana_zones() {
        assert_eq!(zone_named("W. Europe Standard Time"), Some(chrono_tz::Europe::Berlin));
        assert_eq!(zone_named("Eastern Standard Time"), Some(chrono_tz::America::New_York));
        assert_eq!(zone_named("\"Tokyo Standard Time\""), Some(chrono_tz::Asia::Tokyo));
        assert_eq!(zone_named("/mozilla.org/20050126_1/Europe/Berlin"), Some(chrono_tz::Europe::Berlin));
        assert_eq!(zone_named("/America/New_York"), Some(chrono_tz::America::New_York));
        assert_eq!(zone_named("Customized Time Zone"), None);
    }

    #[test]
    fn times_without_tzid_are_in_the_calendars_x_wr_timezone_when_it_names_one() {
        let text =
            "BEGIN:VCALENDAR\r\nX-WR-TIMEZONE:Europe/Paris\r\nBEGIN:VEVENT\r\nUID:g@x\r\nDTSTART:20260610T090000\r\n\
DTEND:20260610T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let e = &parse_calendar(text).unwrap().events[0].event;
        assert_eq!(e.start.to_contract_string(), "2026-06-10T09:00:00+02:00");
        assert_eq!(e.end.unwrap().to_contract_string(), "2026-06-10T10:00:00Z");
        let floating = parse_calendar(&text.replace("X-WR-TIMEZONE:Europe/Paris\r\n", "")).unwrap();
        assert!(matches!(floating.events[0].event.start, EventTime::Floating { .. }));
    }

    #[test]
    fn an_empty_rrule_is_a_problem_and_the_event_a_one_off() {
        let text =
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:h@x\nDTSTART;VALUE=DATE:20190101\nRRULE:\nEND:VEVENT\nEND:VCALENDAR\n";
        let cal = parse_calendar(text).unwrap();
        assert!(cal.events[0].event.rrules.is_empty());
        assert_eq!(
            (cal.problems[0].line, cal.problems[0].message.as_str()),
            (5, "empty RRULE ignored: the event is read as a one-off")
        );
    }

    #[test]
    fn a_file_without_a_calendar_is_an_error() {
        assert!(matches!(parse_calendar("hello\nworld"), Err(IcsError::NotICalendar(_))));
    }

    #[test]
    fn written_calendars_read_back_to_the_same_events() {
        let cal = parse_calendar(FILE).unwrap();
        let events: Vec<Event> = cal.events.iter().map(|e| e.event.clone()).collect();
        let text = write_calendar(Some("Work"), None, &events, "2026-01-01T00:00:00Z".parse().unwrap());
        let again = parse_calendar(&text).unwrap();
        assert!(again.problems.is_empty(), "{:?}", again.problems);
        let back: Vec<Event> = again.events.into_iter().map(|e| e.event).collect();
        assert_eq!(back, events);
    }

    #[test]
    fn durations_parse_weeks_days_and_times() {
        assert_eq!(parse_duration("PT1H30M"), Some(5400));
        assert_eq!(parse_duration("P1W"), Some(604_800));
        assert_eq!(parse_duration("-P1DT1S"), Some(-86_401));
        assert_eq!(parse_duration("P"), None);
        assert_eq!(parse_duration("PT5"), None);
        assert_eq!(parse_duration("P1H"), None);
        assert_eq!(parse_duration("P99999999999999999W"), None);
    }
}
