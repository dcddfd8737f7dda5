//! VEVENT <-> [`tandem_core::Event`].

use std::collections::{BTreeSet, HashMap};
use std::ops::RangeInclusive;

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Tz;
use tandem_core::calendar::{
    Alarm, AlarmTrigger, Attendee, Event, EventStatus, EventTime, KeptParams, Participant, ParticipationStatus, Role,
    Transparency,
};

use super::component::{parse_components, Component};
use super::content::{escape_text, split_text_list, unescape_text, write_line, write_logical, ContentLine};
use super::zone::{write_vtimezone, ZoneRules};
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
    /// How often the publisher asks subscribers to fetch the calendar again, in seconds:
    /// REFRESH-INTERVAL (RFC 7986), else Outlook/Google's X-PUBLISHED-TTL. Still kept as written.
    pub refresh_interval: Option<i64>,
    /// Calendar properties Tandem does not model (X-WR-TIMEZONE, X-PUBLISHED-TTL, REFRESH-INTERVAL...),
    /// as unfolded content lines, written back by [`write_back`].
    pub kept_properties: Vec<String>,
    /// Components other than VEVENT and VTIMEZONE (VTODO, VJOURNAL, VFREEBUSY, X- ones) as written.
    pub kept_components: Vec<String>,
}

/// How a TZID of the file is read.
#[derive(Clone, Debug)]
enum FileZone {
    Iana(Tz),
    /// A VTIMEZONE no IANA zone matches: its own offsets give UTC instants.
    Own(ZoneRules),
}

/// What times in one VCALENDAR are read against.
struct TimeContext {
    /// X-WR-TIMEZONE: the zone of local times without TZID (Google writes these).
    calendar_zone: Option<Tz>,
    /// TZID (as written, trimmed) -> zone, from the file's VTIMEZONEs.
    zones: HashMap<String, FileZone>,
    /// The file is an iTIP message whose components name a meeting rather than describe it
    /// (CANCEL, REPLY, REFRESH, DECLINECOUNTER): RFC 5546 lets those go without DTSTART.
    names_only: bool,
}

/// Properties read into [`Event`] fields; everything else is kept as written.
const MODELLED: &[&str] = &[
    "UID",
    "DTSTART",
    "DTEND",
    "DURATION",
    "RECURRENCE-ID",
    "RRULE",
    "RDATE",
    "EXDATE",
    "SEQUENCE",
    "DTSTAMP",
    "SUMMARY",
    "DESCRIPTION",
    "LOCATION",
    "STATUS",
    "TRANSP",
    "ORGANIZER",
    "ATTENDEE",
    "CATEGORIES",
];

/// Calendar properties Tandem writes itself.
const CALENDAR_MODELLED: &[&str] = &["VERSION", "PRODID", "CALSCALE", "METHOD", "X-WR-CALNAME"];

/// Reads an iCalendar file. Only a file with no VCALENDAR at all is an error; anything less is
/// a problem in the result and the rest is still read.
pub fn parse_calendar(text: &str) -> Result<ParsedCalendar, IcsError> {
    let (roots, mut problems) = parse_components(text.strip_prefix('\u{feff}').unwrap_or(text));
    let mut calendars: Vec<&Component> = roots.iter().filter(|c| c.name == "VCALENDAR").collect();
    // Scripts and some exports write bare VEVENTs with no VCALENDAR around them: read them as
    // one calendar rather than refuse the file.
    let wrapper;
    if calendars.is_empty() && roots.iter().any(|c| c.name == "VEVENT" || has_vevent(c)) {
        problems.push(Problem {
            line: roots[0].line,
            component: "file".into(),
            message: "no BEGIN:VCALENDAR around the components; read as one calendar".into(),
        });
        wrapper = Component {
            name: "VCALENDAR".into(),
            properties: vec![],
            children: roots.clone(),
            line: roots[0].line,
            raw: String::new(),
        };
        calendars.push(&wrapper);
    }
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
        if out.refresh_interval.is_none() {
            out.refresh_interval = ["REFRESH-INTERVAL", "X-PUBLISHED-TTL"]
                .iter()
                .filter_map(|name| cal.property(name))
                .find_map(|p| parse_duration(p.value.trim()).filter(|secs| *secs > 0));
        }
        for p in cal.properties.iter().filter(|p| !CALENDAR_MODELLED.contains(&p.name.as_ref())) {
            out.kept_properties.push(p.to_logical());
        }
        for c in cal.children.iter().filter(|c| c.name != "VEVENT" && c.name != "VTIMEZONE") {
            out.kept_components.push(kept_component(c));
        }
        let mut vevents = Vec::new();
        collect_vevents(cal, &mut vevents);
        let context = TimeContext {
            // Google and others write local times without TZID and name the zone once for the
            // whole calendar in X-WR-TIMEZONE; such times are in that zone, not floating.
            calendar_zone: cal.property("X-WR-TIMEZONE").and_then(|p| zone_named(&p.value)),
            zones: file_zones(cal, &vevents, &mut problems),
            names_only: matches!(
                cal.property("METHOD").map(|p| p.value.trim().to_ascii_uppercase()).as_deref(),
                Some("CANCEL" | "REPLY" | "REFRESH" | "DECLINECOUNTER")
            ),
        };
        for c in vevents {
            match read_event(c, &context, &mut problems) {
                Ok(event) => out.events.push(ParsedEvent { event, raw: c.raw.clone(), line: c.line }),
                Err((line, message)) => problems.push(Problem { line, component: describe(c), message }),
            }
        }
    }
    out.problems = problems;
    Ok(out)
}

/// The file's VTIMEZONEs, each read as the IANA zone its name gives, else as the IANA zone its
/// rules match over the years the file's events use, else by its own rules.
fn file_zones(cal: &Component, vevents: &[&Component], problems: &mut Vec<Problem>) -> HashMap<String, FileZone> {
    let mut zones = HashMap::new();
    let years = years_used(vevents);
    // Only zones some event refers to are worth matching (a file of VTODOs needs none).
    let referenced: BTreeSet<&str> =
        vevents.iter().flat_map(|c| c.properties.iter()).filter_map(|p| p.param("TZID")).map(str::trim).collect();
    for c in cal.children.iter().filter(|c| c.name == "VTIMEZONE") {
        // The TZID property is TEXT (Exchange escapes the commas in "Bangkok\\, Hanoi"); the
        // parameter that refers to it is not.
        let Some(tzid) = c.property("TZID").map(|p| unescape_text(&p.value).trim().to_string()) else {
            problems.push(Problem {
                line: c.line,
                component: "VTIMEZONE".into(),
                message: "VTIMEZONE has no TZID".into(),
            });
            continue;
        };
        if !referenced.contains(tzid.as_str()) {
            continue;
        }
        if let Some(zone) = zone_named(&tzid) {
            zones.insert(tzid, FileZone::Iana(zone));
            continue;
        }
        let rules = match ZoneRules::read(c, years.clone()) {
            Ok(rules) => rules,
            Err(message) => {
                problems.push(Problem { line: c.line, component: format!("VTIMEZONE {tzid}"), message });
                continue;
            }
        };
        let hint = format!("{tzid} {}", c.property("X-LIC-LOCATION").map(|p| p.value.as_str()).unwrap_or(""));
        match rules.closest_iana_zone(years.clone(), &hint) {
            Some((zone, 1.0)) => {
                zones.insert(tzid, FileZone::Iana(zone));
            }
            // Outdated rules (a pre-2007 US zone used in 2007): the zone that agrees nearly
            // everywhere is the one meant, and the one its attendees' clocks follow.
            Some((zone, agreement)) if agreement >= CLOSE_ENOUGH => {
                problems.push(Problem {
                    line: c.line,
                    component: format!("VTIMEZONE {tzid}"),
                    message: format!(
                        "rules match no IANA zone exactly; read as {} (agrees on {:.0}% of {}-{})",
                        zone.name(),
                        agreement * 100.0,
                        years.start(),
                        years.end()
                    ),
                });
                zones.insert(tzid, FileZone::Iana(zone));
            }
            _ => {
                zones.insert(tzid, FileZone::Own(rules));
            }
        }
    }
    zones
}

/// How much of a span a VTIMEZONE must agree with an IANA zone to be read as it.
const CLOSE_ENOUGH: f64 = 0.9;

/// The years the calendar's events are dated in (from their DTSTARTs), a year after the last.
fn years_used(vevents: &[&Component]) -> RangeInclusive<i32> {
    let years: BTreeSet<i32> = vevents
        .iter()
        .flat_map(|c| c.properties_named("DTSTART"))
        .filter_map(|p| p.value.trim().get(..4)?.parse::<i32>().ok())
        .filter(|y| (1900..=2200).contains(y))
        .collect();
    match (years.first(), years.last()) {
        (Some(first), Some(last)) => *first..=*last + 1,
        _ => 2000..=2037,
    }
}

/// A component kept as written, less any VEVENT inside it (read as an event, and written back
/// as one) and closed if the file never closed it, so writing it back reads back the same.
fn kept_component(c: &Component) -> String {
    let mut raw = c.raw.clone();
    let mut nested = Vec::new();
    collect_vevents(c, &mut nested);
    for e in nested {
        raw = raw.replacen(&format!("{}\r\n", e.raw), "", 1).replacen(&e.raw, "", 1);
    }
    let end = format!("END:{}", c.name);
    if !raw.trim_end().to_ascii_uppercase().ends_with(&end) {
        raw = format!("{}\r\n{end}", raw.trim_end());
    }
    raw
}

fn has_vevent(c: &Component) -> bool {
    c.children.iter().any(|child| child.name == "VEVENT" || has_vevent(child))
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
fn read_event(c: &Component, context: &TimeContext, problems: &mut Vec<Problem>) -> Result<Event, (usize, String)> {
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
    // A component that only names a meeting (an iTIP CANCEL of one instance, say) stands at its
    // RECURRENCE-ID, else at its DTSTAMP: its start is not what it is about.
    let placeholder = || context.names_only.then(|| c.property("RECURRENCE-ID").or(c.property("DTSTAMP"))).flatten();
    let start_line = c.property("DTSTART").or_else(placeholder).ok_or((c.line, "VEVENT has no DTSTART".to_string()))?;
    let mut warn = |line: &ContentLine, message: String| {
        problems.push(Problem { line: line.line, component: format!("VEVENT uid={uid}"), message });
    };
    let start = match read_time(start_line, context) {
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
        // An empty LOCATION or CATEGORIES says nothing; it is kept as written, not modelled.
        if matches!(p.name.as_ref(), "LOCATION" | "CATEGORIES" | "DESCRIPTION" | "RDATE" | "EXDATE")
            && p.value.trim().is_empty()
        {
            event.kept_properties.push(p.to_logical());
            continue;
        }
        match p.name.as_ref() {
            "DTEND" => match read_time(p, context) {
                Ok((t, _)) => event.end = Some(t),
                Err(e) => {
                    warn(p, format!("DTEND ignored: {e}"));
                    event.kept_properties.push(p.to_logical());
                }
            },
            "DURATION" => match parse_duration(&p.value) {
                Some(secs) => event.duration_seconds = Some(secs),
                None => {
                    warn(p, format!("DURATION '{}' is not an RFC 5545 duration", p.value));
                    event.kept_properties.push(p.to_logical());
                }
            },
            "RECURRENCE-ID" => match read_time(p, context) {
                Ok((t, _)) => {
                    event.recurrence_id = Some(t);
                    event.this_and_future = p.param("RANGE").is_some_and(|r| r.eq_ignore_ascii_case("THISANDFUTURE"));
                }
                Err(e) => return Err((p.line, format!("RECURRENCE-ID: {e}"))),
            },
            "DTSTAMP" => match read_time(p, context) {
                Ok((EventTime::Utc { instant }, _)) => event.stamp = Some(instant),
                // DTSTAMP must be UTC; a local one is kept as written rather than guessed at.
                _ => event.kept_properties.push(p.to_logical()),
            },
            "RRULE" if p.value.trim().is_empty() => {
                warn(p, "empty RRULE ignored: the event is read as a one-off".into());
                event.kept_properties.push(p.to_logical());
            }
            "RRULE" => {
                let (rule, dropped) = clean_rule(&p.value);
                if !dropped.is_empty() {
                    warn(p, format!("RRULE parts ignored: {}", dropped.join(", ")));
                }
                if rule.is_empty() {
                    // Nothing of the rule is left: a one-off, with the line kept as written.
                    event.kept_properties.push(p.to_logical());
                } else {
                    event.rrules.push(rule);
                }
            }
            "RDATE" | "EXDATE" => {
                for item in p.value.split(',').filter(|s| !s.trim().is_empty()) {
                    // An RDATE period (start/end or start/duration) recurs at its start.
                    let start_part = item.split('/').next().unwrap_or(item);
                    match read_time_value(start_part, p, context) {
                        Ok((t, _)) => {
                            if p.name == "RDATE" {
                                event.rdates.push(t)
                            } else {
                                event.exdates.push(t)
                            }
                        }
                        Err(e) => {
                            warn(p, format!("{} value '{item}' ignored: {e}", p.name));
                            let mut bad = p.clone();
                            bad.value = item.to_string();
                            event.kept_properties.push(bad.to_logical());
                        }
                    }
                }
            }
            "SEQUENCE" => event.sequence = p.value.trim().parse().unwrap_or(0),
            "DESCRIPTION" => event.description = Some(unescape_text(&p.value)),
            "LOCATION" => event.location = Some(unescape_text(&p.value)),
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
            "ORGANIZER" => event.organizer = Some(read_participant(p)),
            "ATTENDEE" => event.attendees.push(read_attendee(p)),
            "CATEGORIES" => event.categories.extend(split_text_list(&p.value)),
            other if !MODELLED.contains(&other) => event.kept_properties.push(p.to_logical()),
            _ => {}
        }
        if matches!(p.name.as_ref(), "SUMMARY" | "DESCRIPTION" | "LOCATION" | "STATUS" | "TRANSP" | "CATEGORIES") {
            let extra: KeptParams = p.params.clone();
            if !extra.is_empty() {
                event.kept_params.insert(p.name.to_string(), extra);
            }
        }
    }
    // A VEVENT inside a VEVENT (a file with a lost END) is read as an event of its own, so it
    // is not also kept here: writing back would double it (found by the fuzzer).
    event.kept_components = c.children.iter().filter(|child| child.name != "VEVENT").map(kept_component).collect();
    for alarm in c.children.iter().filter(|child| child.name == "VALARM") {
        match read_alarm(alarm, context) {
            Ok(Some(a)) => event.alarms.push(a),
            Ok(None) => {}
            Err(message) => problems.push(Problem {
                line: alarm.line,
                component: format!("VALARM in VEVENT uid={uid}"),
                message: format!("{message}; the alarm is kept but not used"),
            }),
        }
    }
    if let (EventTime::Floating { local }, Some(EventTime::Zoned { zone, .. })) = (event.start, event.end) {
        // A producer that zones DTEND forgot DTSTART's TZID: a meeting does not start in one
        // zone and end in another unless it is a flight, and flights carry both.
        problems.push(Problem {
            line: start_line.line,
            component: format!("VEVENT uid={uid}"),
            message: format!("DTSTART has no TZID while DTEND is in {}; read in that zone", zone.name()),
        });
        event.start = EventTime::Zoned { local, zone };
    }
    if let Some(end) = event.end {
        // Only values of one kind compare without knowing where the executive is.
        let comparable = matches!(
            (end, event.start),
            (EventTime::Date { .. }, EventTime::Date { .. })
                | (EventTime::Floating { .. }, EventTime::Floating { .. })
                | (EventTime::Zoned { .. } | EventTime::Utc { .. }, EventTime::Zoned { .. } | EventTime::Utc { .. })
        );
        if comparable && end.to_utc(chrono_tz::UTC) < event.start.to_utc(chrono_tz::UTC) {
            // Seen from several producers; the meeting meant is the span between the two.
            problems.push(Problem {
                line: start_line.line,
                component: format!("VEVENT uid={uid}"),
                message: "DTEND is before DTSTART; read with the two swapped".into(),
            });
            event.end = Some(event.start);
            event.start = end;
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
        participant: read_participant(p),
        role,
        status,
        rsvp: p.param("RSVP").is_some_and(|v| v.eq_ignore_ascii_case("TRUE")),
    }
}

/// An ORGANIZER or ATTENDEE: address and CN, other parameters kept for writing back.
fn read_participant(p: &ContentLine) -> Participant {
    let mut participant = Participant::from_cal_address(&p.value, p.param("CN").map(String::from));
    participant.kept_params =
        p.params.iter().filter(|(n, _)| !matches!(n.as_str(), "CN" | "ROLE" | "PARTSTAT" | "RSVP")).cloned().collect();
    participant
}

/// RRULE parts RFC 5545 (and RFC 7529's RSCALE/SKIP) define.
const RULE_PARTS: &[&str] = &[
    "FREQ",
    "UNTIL",
    "COUNT",
    "INTERVAL",
    "BYSECOND",
    "BYMINUTE",
    "BYHOUR",
    "BYDAY",
    "BYMONTHDAY",
    "BYYEARDAY",
    "BYWEEKNO",
    "BYMONTH",
    "BYSETPOS",
    "WKST",
    "RSCALE",
    "SKIP",
];

/// The rule without parts that are not `KEY=VALUE` with a known key (a doubled "RRULE:" prefix,
/// a trailing ';'), and the parts dropped. The rest of the rule still recurs.
/// BYDAY entries with an ordinal RFC 5545 forbids (0, or beyond the weeks of the period) are
/// dropped the same way: ical.net ignores them, the rrule crate refuses the whole rule.
fn clean_rule(value: &str) -> (String, Vec<String>) {
    let monthly = value.to_ascii_uppercase().contains("FREQ=MONTHLY");
    let mut kept: Vec<String> = Vec::new();
    let mut dropped = Vec::new();
    for part in value.trim().split(';').filter(|p| !p.trim().is_empty()) {
        match part.split_once('=') {
            _ if !part.is_ascii() => dropped.push(format!("'{part}'")),
            Some((key, days)) if key.trim().eq_ignore_ascii_case("BYDAY") => {
                let limit = if monthly { 5 } else { 53 };
                let (good, bad): (Vec<&str>, Vec<&str>) = days.split(',').map(str::trim).partition(|d| {
                    let digits = d.trim_end_matches(|c: char| c.is_ascii_alphabetic());
                    digits.is_empty() || digits.parse::<i32>().is_ok_and(|n| n != 0 && n.abs() <= limit)
                });
                dropped.extend(bad.iter().map(|d| format!("'BYDAY {d}'")));
                if !good.is_empty() {
                    kept.push(format!("BYDAY={}", good.join(",")));
                }
            }
            Some((key, _)) if RULE_PARTS.contains(&key.trim().to_ascii_uppercase().as_str()) => {
                kept.push(part.trim().to_string())
            }
            _ => dropped.push(format!("'{part}'")),
        }
    }
    (kept.join(";"), dropped)
}

/// Reads a DATE or DATE-TIME property value. The second item is a note when the value was read
/// in a degraded way (an unknown zone read as floating time).
/// Descriptions producers write when the person wrote none: not worth showing.
const PLACEHOLDER_DESCRIPTIONS: &[&str] =
    &["reminder", "event reminder", "this is an event reminder", "default mozilla description", "alarm", "alert"];

/// A VALARM that tells a person something (DISPLAY, AUDIO; a missing ACTION is read as
/// DISPLAY). EMAIL and PROCEDURE alarms are for the producer's server to act on, and Apple's
/// `ACTION:NONE` is a placeholder: those give `None`.
fn read_alarm(c: &Component, context: &TimeContext) -> Result<Option<Alarm>, String> {
    let action = c.property("ACTION").map(|p| p.value.trim().to_ascii_uppercase());
    if !matches!(action.as_deref(), None | Some("DISPLAY") | Some("AUDIO")) {
        return Ok(None);
    }
    let p = c.property("TRIGGER").ok_or("VALARM has no TRIGGER")?;
    let value = p.value.trim();
    let trigger = if p.param("VALUE").is_some_and(|v| v.eq_ignore_ascii_case("DATE-TIME")) {
        let at = match read_time_value(value, p, context)?.0 {
            EventTime::Utc { instant } => instant,
            EventTime::Zoned { local, zone } => EventTime::Zoned { local, zone }.to_utc(zone),
            _ => return Err(format!("TRIGGER '{value}' is not a UTC date-time")),
        };
        AlarmTrigger::Absolute { at }
    } else {
        let seconds = parse_duration(value).ok_or_else(|| format!("TRIGGER '{value}' is not a duration"))?;
        let from_end = p.param("RELATED").is_some_and(|r| r.eq_ignore_ascii_case("END"));
        AlarmTrigger::Relative { seconds, from_end }
    };
    let description = c
        .property("DESCRIPTION")
        .map(|d| unescape_text(&d.value).trim().to_string())
        .filter(|d| !d.is_empty() && !PLACEHOLDER_DESCRIPTIONS.contains(&d.to_lowercase().as_str()));
    let repeat = c.property("REPEAT").and_then(|r| r.value.trim().parse::<u32>().ok()).unwrap_or(0);
    let repeat_seconds = c.property("DURATION").and_then(|d| parse_duration(d.value.trim())).unwrap_or(0);
    // A repeat without a positive gap would go off many times at once: once is enough.
    let (repeat, repeat_seconds) = if repeat_seconds > 0 { (repeat.min(100), repeat_seconds) } else { (0, 0) };
    Ok(Some(Alarm { trigger, description, repeat, repeat_seconds }))
}

fn read_time(p: &ContentLine, context: &TimeContext) -> Result<(EventTime, Option<String>), String> {
    read_time_value(p.value.trim(), p, context)
}

fn read_time_value(value: &str, p: &ContentLine, context: &TimeContext) -> Result<(EventTime, Option<String>), String> {
    let value = value.trim();
    let says_date = p.param("VALUE").is_some_and(|v| v.eq_ignore_ascii_case("DATE"));
    // The value's shape decides: "VALUE=DATE:20090117T200000" is written by real producers
    // and means the time it spells out.
    let has_time = value.len() > 8 && value.as_bytes().get(8).is_some_and(|b| b.eq_ignore_ascii_case(&b'T'));
    if !has_time {
        let date = basic_date(value).ok_or_else(|| format!("'{value}' is not a date (YYYYMMDD)"))?;
        return Ok((EventTime::Date { date }, None));
    }
    let date_note = says_date.then(|| format!("VALUE=DATE but '{value}' has a time; read as a date-time"));
    let (body, utc) = match value.strip_suffix(['Z', 'z']) {
        Some(b) => (b, true),
        None => (value, false),
    };
    let local = basic_date_time(body).ok_or_else(|| format!("'{value}' is not a date-time (YYYYMMDDTHHMMSS[Z])"))?;
    let (time, note) = read_zoned(local, utc, p, context)?;
    Ok((time, note.or(date_note)))
}

/// `YYYYMMDD` (RFC 5545's basic format). By hand because chrono's general format parser is a
/// measurable share of reading a large calendar; the digits are checked all the same.
fn basic_date(v: &str) -> Option<NaiveDate> {
    let b = v.as_bytes();
    if b.len() != 8 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n = |r: std::ops::Range<usize>| v[r].parse::<u32>().ok();
    NaiveDate::from_ymd_opt(n(0..4)? as i32, n(4..6)?, n(6..8)?)
}

/// `YYYYMMDDTHHMMSS`; a leap second (`60`) is read as `59`, as chrono would not hold it.
fn basic_date_time(v: &str) -> Option<NaiveDateTime> {
    let b = v.as_bytes();
    if b.len() != 15 || !b[8].eq_ignore_ascii_case(&b'T') || !b[9..].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n = |r: std::ops::Range<usize>| v[r].parse::<u32>().ok();
    basic_date(&v[..8])?.and_hms_opt(n(9..11)?, n(11..13)?, n(13..15)?.min(59))
}

fn read_zoned(
    local: NaiveDateTime,
    utc: bool,
    p: &ContentLine,
    context: &TimeContext,
) -> Result<(EventTime, Option<String>), String> {
    if utc {
        return Ok((EventTime::Utc { instant: DateTime::<Utc>::from_naive_utc_and_offset(local, Utc) }, None));
    }
    match p.param("TZID") {
        None => match context.calendar_zone {
            Some(zone) => Ok((EventTime::Zoned { local, zone }, None)),
            None => Ok((EventTime::Floating { local }, None)),
        },
        Some(tzid) => match context.zones.get(tzid.trim()) {
            Some(FileZone::Iana(zone)) => Ok((EventTime::Zoned { local, zone: *zone }, None)),
            Some(FileZone::Own(rules)) => Ok((
                EventTime::Utc { instant: rules.to_utc(local) },
                Some(format!(
                    "time zone '{tzid}' matches no IANA zone; read with the file's VTIMEZONE as a fixed instant"
                )),
            )),
            None => match zone_named(tzid) {
                Some(zone) => Ok((EventTime::Zoned { local, zone }, None)),
                // Neither a known name nor a VTIMEZONE: the calendar's own zone when it names
                // one (as for times without TZID), else the wall-clock time is kept rather than
                // the event dropped.
                None => Ok(match context.calendar_zone {
                    Some(zone) => (
                        EventTime::Zoned { local, zone },
                        Some(format!(
                            "unknown time zone '{tzid}' (no VTIMEZONE), read in the calendar's zone {}",
                            zone.name()
                        )),
                    ),
                    None => (
                        EventTime::Floating { local },
                        Some(format!("unknown time zone '{tzid}' (no VTIMEZONE), read as floating time")),
                    ),
                }),
            },
        },
    }
}

/// The IANA zone a TZID names: an IANA name; a Windows name as Outlook and Exchange write it
/// ("W. Europe Standard Time", mapped with the CLDR windowsZones table); or an IANA name behind
/// a vendor prefix ("/mozilla.org/20050126_1/Europe/Berlin", old Thunderbird). Zones defined
/// only by the file's own VTIMEZONE are read in [`super::zone`].
pub fn zone_named(tzid: &str) -> Option<Tz> {
    let name = tzid.trim().trim_matches('"');
    if let Ok(zone) = name.trim_start_matches('/').parse::<Tz>() {
        return Some(zone);
    }
    if let Ok(windows) = name.parse::<windows_timezones::WindowsTimezone>() {
        return Some(Tz::from(windows));
    }
    if let Some(zone) = windows_display_name(name) {
        return Some(zone);
    }
    // Longest IANA-looking suffix of a path-like TZID.
    let segments: Vec<&str> = name.split('/').filter(|s| !s.is_empty()).collect();
    (1..segments.len())
        .find_map(|skip| segments[skip..].join("/").parse::<Tz>().ok())
        // A Windows name without its " Standard Time" ("Western/Central Europe", "Eastern").
        .or_else(|| {
            segments.iter().rev().find_map(|s| {
                format!("{} Standard Time", s.trim()).parse::<windows_timezones::WindowsTimezone>().ok().map(Tz::from)
            })
        })
}

/// A Windows zone by its display name, as some Exchange servers write TZIDs:
/// "(UTC-05:00) Eastern Time (US & Canada)" (also with "and" for "&").
fn windows_display_name(name: &str) -> Option<Tz> {
    use strum::IntoEnumIterator;
    // Older servers wrote "(GMT+10:00) Canberra, Melbourne, Sydney".
    let norm = |s: &str| {
        let lower = s.to_ascii_lowercase().replace('&', "and").replacen("(gmt", "(utc", 1);
        lower.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let want = norm(name);
    if !want.starts_with("(utc") {
        return None;
    }
    windows_timezones::WindowsTimezone::iter().find(|w| norm(w.description()) == want).map(Tz::from)
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

fn time_property(out: &mut String, name: &str, t: &EventTime, extra: &[(&str, &str)]) {
    let (own, value): (Option<(&str, &str)>, String) = match t {
        EventTime::Date { date } => (Some(("VALUE", "DATE")), date.format("%Y%m%d").to_string()),
        EventTime::Floating { local } => (None, local.format("%Y%m%dT%H%M%S").to_string()),
        EventTime::Zoned { local, zone } => (Some(("TZID", zone.name())), local.format("%Y%m%dT%H%M%S").to_string()),
        EventTime::Utc { instant } => (None, instant.format("%Y%m%dT%H%M%SZ").to_string()),
    };
    let params: Vec<(&str, &str)> = own.into_iter().chain(extra.iter().copied()).collect();
    write_line(out, name, &params, &value);
}

fn cal_address(p: &Participant) -> String {
    format!("mailto:{}", p.address)
}

/// Writes one property with parameters that may hold several values.
fn put(out: &mut String, name: &str, params: KeptParams, value: &str) {
    let line = ContentLine { name: name.to_string().into(), params, value: value.to_string(), line: 0 };
    write_logical(out, &line.to_logical());
}

fn one(name: &str, value: &str) -> (String, Vec<String>) {
    (name.to_string(), vec![value.to_string()])
}

/// Writes a VCALENDAR holding `events`. `dtstamp` (the caller's `now`) is the DTSTAMP of events
/// that carry none, so output is reproducible.
pub fn write_calendar(name: Option<&str>, method: Option<&str>, events: &[Event], dtstamp: DateTime<Utc>) -> String {
    let events: Vec<&Event> = events.iter().collect();
    write_document(name, method, &[], &[], &events, Some(dtstamp))
}

/// One VEVENT on its own, as the store keeps beside a changed event (an iTIP update applied):
/// the text Tandem would write for it, TZIDs naming IANA zones.
pub fn write_vevent(event: &Event) -> String {
    let mut out = String::new();
    write_event(&mut out, event, None);
    out
}

/// Writes a calendar read by [`parse_calendar`] back out, losing nothing Tandem read: unmodelled
/// properties, parameters and components are written as they were. What changes is form, not
/// meaning: TZIDs become IANA names with a VTIMEZONE generated for each, text is re-escaped and
/// lines re-folded, and addresses are lower-cased.
pub fn write_back(cal: &ParsedCalendar) -> String {
    let events: Vec<&Event> = cal.events.iter().map(|e| &e.event).collect();
    write_document(
        cal.name.as_deref(),
        cal.method.as_deref(),
        &cal.kept_properties,
        &cal.kept_components,
        &events,
        None,
    )
}

fn write_document(
    name: Option<&str>,
    method: Option<&str>,
    kept_properties: &[String],
    kept_components: &[String],
    events: &[&Event],
    dtstamp: Option<DateTime<Utc>>,
) -> String {
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
    for line in kept_properties {
        write_logical(&mut out, line);
    }
    for (zone, years) in zones_used(events) {
        write_vtimezone(&mut out, zone, years);
    }
    for e in events {
        write_event(&mut out, e, dtstamp);
    }
    for c in kept_components {
        out.push_str(c);
        out.push_str("\r\n");
    }
    write_line(&mut out, "END", &[], "VCALENDAR");
    out
}

/// Every zone a TZID will name, with the years its times fall in.
fn zones_used(events: &[&Event]) -> Vec<(Tz, RangeInclusive<i32>)> {
    let mut zones: std::collections::BTreeMap<&'static str, (Tz, i32, i32)> = Default::default();
    for e in events {
        let times = [Some(e.start), e.end, e.recurrence_id]
            .into_iter()
            .flatten()
            .chain(e.rdates.iter().copied())
            .chain(e.exdates.iter().copied());
        for t in times {
            if let EventTime::Zoned { local, zone } = t {
                let entry = zones.entry(zone.name()).or_insert((zone, local.year(), local.year()));
                entry.1 = entry.1.min(local.year());
                entry.2 = entry.2.max(local.year());
            }
        }
    }
    zones.into_values().map(|(zone, first, last)| (zone, first..=last + 1)).collect()
}

fn write_event(out: &mut String, e: &Event, dtstamp: Option<DateTime<Utc>>) {
    let kept = |name: &str| e.kept_params.get(name).cloned().unwrap_or_default();
    write_line(out, "BEGIN", &[], "VEVENT");
    write_line(out, "UID", &[], &e.uid);
    if let Some(stamp) = e.stamp.or(dtstamp) {
        write_line(out, "DTSTAMP", &[], &stamp.format("%Y%m%dT%H%M%SZ").to_string());
    }
    if let Some(r) = &e.recurrence_id {
        let range: &[(&str, &str)] = if e.this_and_future { &[("RANGE", "THISANDFUTURE")] } else { &[] };
        time_property(out, "RECURRENCE-ID", r, range);
    }
    // SEQUENCE, STATUS and TRANSP are written even at their defaults: most producers write
    // them, and a round trip must not drop what was there.
    write_line(out, "SEQUENCE", &[], &e.sequence.to_string());
    put(out, "SUMMARY", kept("SUMMARY"), &escape_text(&e.summary));
    time_property(out, "DTSTART", &e.start, &[]);
    if let Some(end) = &e.end {
        time_property(out, "DTEND", end, &[]);
    }
    // Both only when the file had both (invalid, but kept as written; DTEND wins when reading).
    if let Some(secs) = e.duration_seconds {
        write_line(out, "DURATION", &[], &format_duration(secs));
    }
    for r in &e.rrules {
        write_line(out, "RRULE", &[], r);
    }
    for x in &e.exdates {
        time_property(out, "EXDATE", x, &[]);
    }
    for r in &e.rdates {
        time_property(out, "RDATE", r, &[]);
    }
    if let Some(l) = &e.location {
        put(out, "LOCATION", kept("LOCATION"), &escape_text(l));
    }
    if let Some(d) = &e.description {
        put(out, "DESCRIPTION", kept("DESCRIPTION"), &escape_text(d));
    }
    let status = match e.status {
        EventStatus::Confirmed => "CONFIRMED",
        EventStatus::Tentative => "TENTATIVE",
        EventStatus::Cancelled => "CANCELLED",
    };
    put(out, "STATUS", kept("STATUS"), status);
    let transparency = match e.transparency {
        Transparency::Opaque => "OPAQUE",
        Transparency::Transparent => "TRANSPARENT",
    };
    put(out, "TRANSP", kept("TRANSP"), transparency);
    if !e.categories.is_empty() {
        let joined: Vec<String> = e.categories.iter().map(|c| escape_text(c)).collect();
        put(out, "CATEGORIES", kept("CATEGORIES"), &joined.join(","));
    }
    if let Some(o) = &e.organizer {
        let mut params: KeptParams = o.name.iter().map(|n| one("CN", n)).collect();
        params.extend(o.kept_params.iter().cloned());
        put(out, "ORGANIZER", params, &cal_address(o));
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
        let mut params = vec![one("ROLE", role), one("PARTSTAT", status)];
        if a.rsvp {
            params.push(one("RSVP", "TRUE"));
        }
        if let Some(n) = a.participant.name.as_deref() {
            params.push(one("CN", n));
        }
        params.extend(a.participant.kept_params.iter().cloned());
        put(out, "ATTENDEE", params, &cal_address(&a.participant));
    }
    for line in &e.kept_properties {
        write_logical(out, line);
    }
    for c in &e.kept_components {
        out.push_str(c);
        out.push_str("\r\n");
    }
    write_line(out, "END", &[], "VEVENT");
}

/// Seconds as an RFC 5545 duration in its usual form (`PT1H30M`, `P2D`, `-PT15M`).
fn format_duration(secs: i64) -> String {
    let sign = if secs < 0 { "-" } else { "" };
    let mut left = secs.unsigned_abs();
    if left == 0 {
        return "PT0S".into();
    }
    let mut out = format!("{sign}P");
    if left.is_multiple_of(604_800) {
        return format!("{out}{}W", left / 604_800);
    }
    if left >= 86_400 {
        out.push_str(&format!("{}D", left / 86_400));
        left %= 86_400;
    }
    if left > 0 {
        out.push('T');
        for (unit, size) in [('H', 3_600), ('M', 60), ('S', 1)] {
            if left >= size {
                out.push_str(&format!("{}{unit}", left / size));
                left %= size;
            }
        }
    }
    out
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
    fn an_itip_cancel_or_reply_without_dtstart_is_read_at_its_recurrence_id_or_dtstamp() {
        let cancel = "BEGIN:VCALENDAR\r\nMETHOD:CANCEL\r\nBEGIN:VEVENT\r\nUID:s@x\r\nDTSTAMP:20261124T150000Z\r\n\
RECURRENCE-ID;TZID=America/New_York:20261214T100000\r\nSEQUENCE:2\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:t@x\r\nDTSTAMP:20261124T150000Z\r\nSEQUENCE:3\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let cal = parse_calendar(cancel).unwrap();
        assert!(cal.problems.is_empty(), "{:?}", cal.problems);
        assert_eq!(cal.events[0].event.start, cal.events[0].event.recurrence_id.unwrap());
        assert_eq!(cal.events[1].event.start.to_contract_string(), "2026-11-24T15:00:00Z");
        // A calendar (or a REQUEST) still needs DTSTART: it describes meetings.
        let request = cancel.replace("METHOD:CANCEL", "METHOD:REQUEST");
        assert_eq!(parse_calendar(&request).unwrap().problems.len(), 2);
    }

    #[test]
    fn a_bad_event_is_reported_with_its_line_and_uid_and_the_others_are_read() {
        let cal = parse_calendar(FILE).unwrap();
        assert_eq!(cal.name.as_deref(), Some("Work"));
        let uids: Vec<&str> = cal.events.iter().map(|e| e.event.uid.as_str()).collect();
        assert_eq!(uids, ["ok@x", "allday@x"]);
        assert_eq!(cal.problems.len(), 1);
        let p = &cal.problems[0];
        assert_eq!((p.line, p.component.as_str()), (15, "VEVENT uid=bad@x"));
        assert!(p.message.contains("is not a date"), "{p}");
    }

    #[test]
    fn a_feed_refresh_interval_is_read_from_refresh_interval_before_published_ttl() {
        let both =
            "BEGIN:VCALENDAR\r\nX-PUBLISHED-TTL:PT1H\r\nREFRESH-INTERVAL;VALUE=DURATION:P1D\r\nEND:VCALENDAR\r\n";
        assert_eq!(parse_calendar(both).unwrap().refresh_interval, Some(86_400));
        let ttl = "BEGIN:VCALENDAR\r\nX-PUBLISHED-TTL:PT30M\r\nEND:VCALENDAR\r\n";
        let cal = parse_calendar(ttl).unwrap();
        assert_eq!(cal.refresh_interval, Some(1_800));
        assert_eq!(cal.kept_properties, ["X-PUBLISHED-TTL:PT30M"], "still written back");
        let junk = "BEGIN:VCALENDAR\r\nREFRESH-INTERVAL:soon\r\nX-PUBLISHED-TTL:-PT5M\r\nEND:VCALENDAR\r\n";
        assert_eq!(parse_calendar(junk).unwrap().refresh_interval, None);
    }

    #[test]
    fn alarms_are_read_as_each_producer_writes_them_and_placeholders_are_left_out() {
        let text = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a@x\r\nDTSTART:20261201T150000Z\r\nSUMMARY:Board\r\n\
BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:This is an event reminder\r\nTRIGGER:-P0DT0H10M0S\r\nEND:VALARM\r\n\
BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:Bring the board pack\r\nTRIGGER;RELATED=END:PT5M\r\nREPEAT:2\r\nDURATION:PT5M\r\nEND:VALARM\r\n\
BEGIN:VALARM\r\nTRIGGER;VALUE=DATE-TIME:19760401T005545Z\r\nACTION:NONE\r\nEND:VALARM\r\n\
BEGIN:VALARM\r\nACTION:AUDIO\r\nTRIGGER:-PT30M\r\nATTACH;VALUE=URI:Chord\r\nEND:VALARM\r\n\
BEGIN:VALARM\r\nACTION:EMAIL\r\nTRIGGER:-P1D\r\nSUMMARY:x\r\nDESCRIPTION:x\r\nATTENDEE:mailto:a@x\r\nEND:VALARM\r\n\
BEGIN:VALARM\r\nTRIGGER;VALUE=DATE-TIME:20261201T140000Z\r\nACTION:DISPLAY\r\nDESCRIPTION:Default Mozilla Description\r\nEND:VALARM\r\n\
BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:soon\r\nEND:VALARM\r\n\
END:VEVENT\r\nEND:VCALENDAR\r\n";
        let cal = parse_calendar(text).unwrap();
        let e = &cal.events[0].event;
        let rel = |seconds, from_end| AlarmTrigger::Relative { seconds, from_end };
        let triggers: Vec<AlarmTrigger> = e.alarms.iter().map(|a| a.trigger).collect();
        assert_eq!(
            triggers,
            [
                rel(-600, false),
                rel(300, true),
                rel(-1800, false),
                AlarmTrigger::Absolute { at: "2026-12-01T14:00:00Z".parse().unwrap() }
            ]
        );
        let descriptions: Vec<Option<&str>> = e.alarms.iter().map(|a| a.description.as_deref()).collect();
        assert_eq!(descriptions, [None, Some("Bring the board pack"), None, None]);
        assert_eq!((e.alarms[1].repeat, e.alarms[1].repeat_seconds), (2, 300));
        assert_eq!(e.kept_components.len(), 7, "every VALARM is still written back");
        assert_eq!(cal.problems.len(), 1, "{:?}", cal.problems);
        assert!(cal.problems[0].message.contains("TRIGGER 'soon' is not a duration"), "{}", cal.problems[0]);
        assert_eq!(cal.problems[0].component, "VALARM in VEVENT uid=a@x");
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
        let text = FILE.replace("TZID=Europe/London:20260302T09", "TZID=Mars Standard Time:20260302T09");
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
        assert_eq!(zone_named("(UTC-05:00) Eastern Time (US and Canada)"), Some(chrono_tz::America::New_York));
        assert_eq!(zone_named("(UTC+07:00) Bangkok, Hanoi, Jakarta"), Some(chrono_tz::Asia::Bangkok));
        assert_eq!(zone_named("(GMT+10:00) Canberra, Melbourne, Sydney"), Some(chrono_tz::Australia::Sydney));
        assert_eq!(zone_named("Western/Central Europe"), Some(chrono_tz::Europe::Budapest));
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
        assert!(matches!(parse_calendar("BEGIN:VALARM\nEND:VALARM\n"), Err(IcsError::NotICalendar(_))));
    }

    #[test]
    fn bare_events_without_a_calendar_are_read_with_a_problem() {
        let cal = parse_calendar("BEGIN:VEVENT\nUID:a\nDTSTART:20260101T090000Z\nEND:VEVENT\n").unwrap();
        assert_eq!(cal.events.len(), 1);
        assert_eq!(cal.problems[0].line, 1);
        assert!(cal.problems[0].message.contains("no BEGIN:VCALENDAR"));
    }

    #[test]
    fn written_calendars_read_back_to_the_same_events() {
        let cal = parse_calendar(FILE).unwrap();
        let events: Vec<Event> = cal.events.iter().map(|e| e.event.clone()).collect();
        let text = write_calendar(Some("Work"), None, &events, "2026-01-01T00:00:00Z".parse().unwrap());
        let again = parse_calendar(&text).unwrap();
        assert!(again.problems.is_empty(), "{:?}", again.problems);
        let back: Vec<Event> = again.events.into_iter().map(|e| e.event).collect();
        assert!(back.iter().all(|e| e.stamp == Some("2026-01-01T00:00:00Z".parse().unwrap())));
        let unstamped: Vec<Event> = back.into_iter().map(|e| Event { stamp: None, ..e }).collect();
        assert_eq!(unstamped, events);
    }

    const OUTLOOK: &str = "BEGIN:VCALENDAR\r\nPRODID:Microsoft Exchange Server 2010\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\n\
X-MS-OLK-FORCEINSPECTOROPEN:TRUE\r\nBEGIN:VTIMEZONE\r\nTZID:Customized Time Zone\r\nBEGIN:STANDARD\r\n\
DTSTART:16010101T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nRRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10\r\n\
END:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:16010101T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n\
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n\
BEGIN:VEVENT\r\nUID:040000008200E00074C5B7101A82E008\r\nDTSTAMP:20260301T100000Z\r\nSUMMARY;LANGUAGE=de-DE:Vorstandssitzung\r\n\
DTSTART;TZID=Customized Time Zone:20260330T090000\r\nDTEND;TZID=Customized Time Zone:20260330T100000\r\n\
RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=4\r\nCLASS:PUBLIC\r\nPRIORITY:5\r\nX-MICROSOFT-CDO-BUSYSTATUS:TENTATIVE\r\n\
ORGANIZER;CN=Jo Board;SENT-BY=\"mailto:ep@x.example\":mailto:jo@x.example\r\n\
ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=Dana;CUTYPE=INDIVIDUAL;X-NUM-GUESTS=0:mailto:dana@x.example\r\n\
BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:REMINDER\r\nTRIGGER;RELATED=START:-PT15M\r\nEND:VALARM\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:040000008200E00074C5B7101A82E008\r\nRECURRENCE-ID;RANGE=THISANDFUTURE;TZID=Customized Time Zone:20260413T090000\r\n\
DTSTART;TZID=Customized Time Zone:20260413T110000\r\nDTEND;TZID=Customized Time Zone:20260413T120000\r\nSUMMARY:Later\r\nEND:VEVENT\r\n\
BEGIN:VTODO\r\nUID:todo@x\r\nSUMMARY:Prepare deck\r\nEND:VTODO\r\nEND:VCALENDAR\r\n";

    #[test]
    fn an_outlook_customized_time_zone_is_read_as_the_iana_zone_it_matches() {
        let cal = parse_calendar(OUTLOOK).unwrap();
        assert!(cal.problems.is_empty(), "{:?}", cal.problems);
        let e = &cal.events[0].event;
        assert_eq!(e.start.to_contract_string(), "2026-03-30T09:00:00+02:00");
        assert!(matches!(e.start, EventTime::Zoned { zone: chrono_tz::Europe::Berlin, .. }));
        assert!(cal.events[1].event.this_and_future);
    }

    #[test]
    fn writing_back_keeps_unknown_properties_parameters_and_components() {
        let cal = parse_calendar(OUTLOOK).unwrap();
        let text = write_back(&cal);
        for kept in [
            "X-MS-OLK-FORCEINSPECTOROPEN:TRUE",
            "SUMMARY;LANGUAGE=de-DE:Vorstandssitzung",
            "CLASS:PUBLIC",
            "X-MICROSOFT-CDO-BUSYSTATUS:TENTATIVE",
            "ORGANIZER;CN=Jo Board;SENT-BY=\"mailto:ep@x.example\":mailto:jo@x.example",
            "CUTYPE=INDIVIDUAL;X-NUM-GUESTS=0:mailto:dana@x.example",
            "BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:REMINDER\r\nTRIGGER;RELATED=START:-PT15M\r\nEND:VALARM",
            "RECURRENCE-ID;TZID=Europe/Berlin;RANGE=THISANDFUTURE:20260413T090000",
            "DTSTAMP:20260301T100000Z",
            "BEGIN:VTODO\r\nUID:todo@x\r\nSUMMARY:Prepare deck\r\nEND:VTODO",
            "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin",
        ] {
            let unfolded = text.replace("\r\n ", "");
            assert!(unfolded.contains(kept), "{kept} is missing from:\n{text}");
        }
        let again = parse_calendar(&text).unwrap();
        assert!(again.problems.is_empty(), "{:?}", again.problems);
        let events = |c: &ParsedCalendar| c.events.iter().map(|e| e.event.clone()).collect::<Vec<_>>();
        assert_eq!(events(&again), events(&cal));
        assert_eq!((again.kept_properties, again.kept_components), (cal.kept_properties, cal.kept_components));
    }

    #[test]
    fn dtend_before_dtstart_is_read_swapped_with_a_problem() {
        let text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:s@x\nDTSTART:20190304T083000Z\nDTEND:20190304T080000Z\nEND:VEVENT\nEND:VCALENDAR\n";
        let cal = parse_calendar(text).unwrap();
        let e = &cal.events[0].event;
        assert_eq!(e.start.to_contract_string(), "2019-03-04T08:00:00Z");
        assert_eq!(e.end.unwrap().to_contract_string(), "2019-03-04T08:30:00Z");
        assert_eq!(cal.problems[0].line, 4);
        assert!(cal.problems[0].message.contains("swapped"));
    }

    #[test]
    fn sloppy_values_are_read_for_what_they_spell_out_with_a_problem_each() {
        let text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a@x\nDTSTART;VALUE=DATE:20090117T200000\nEND:VEVENT\n\
BEGIN:VEVENT\nUID:b@x\nDTSTART:20250814T180000\nDTEND;TZID=Europe/Brussels:20250814T190000\nEND:VEVENT\n\
BEGIN:VEVENT\nUID:c@x\nDTSTART:20200903T095000Z\nRRULE:RRULE:AnythingRandom;FREQ=WEEKLY;BYDAY=MO;\nEND:VEVENT\n\
END:VCALENDAR\n";
        let cal = parse_calendar(text).unwrap();
        let starts: Vec<String> = cal.events.iter().map(|e| e.event.start.to_contract_string()).collect();
        assert_eq!(starts, ["2009-01-17T20:00:00", "2025-08-14T18:00:00+02:00", "2020-09-03T09:50:00Z"]);
        assert_eq!(cal.events[2].event.rrules, ["FREQ=WEEKLY;BYDAY=MO"]);
        assert_eq!(
            clean_rule("FREQ=MONTHLY;BYDAY=1WE,6WE,-1SA,0MO"),
            ("FREQ=MONTHLY;BYDAY=1WE,-1SA".to_string(), vec!["'BYDAY 6WE'".to_string(), "'BYDAY 0MO'".to_string()])
        );
        let lines: Vec<usize> = cal.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [4, 8, 14], "{:?}", cal.problems);
    }

    #[test]
    fn basic_dates_and_times_are_read_strictly() {
        assert_eq!(basic_date("20260229"), None);
        assert_eq!(basic_date("2026-02-2"), None);
        assert_eq!(basic_date("20240229"), NaiveDate::from_ymd_opt(2024, 2, 29));
        assert_eq!(basic_date_time("20240229T235960").map(|t| t.to_string()), Some("2024-02-29 23:59:59".into()));
        assert_eq!(basic_date_time("20240229T246000"), None);
        assert_eq!(basic_date_time("20240229 120000"), None);
        assert_eq!(basic_date_time("2024022９T120000"), None);
    }

    #[test]
    fn a_rule_with_nothing_valid_left_is_a_one_off_kept_as_written() {
        let text =
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:r\nDTSTART:20260101T090000Z\nRRULE:X;\nEND:VEVENT\nEND:VCALENDAR\n";
        let cal = parse_calendar(text).unwrap();
        assert!(cal.events[0].event.rrules.is_empty());
        assert_eq!(cal.events[0].event.kept_properties, ["RRULE:X;"]);
        let again = parse_calendar(&write_back(&cal)).unwrap();
        assert_eq!(again.events[0].event, cal.events[0].event);
    }

    #[test]
    fn an_unknown_tzid_in_a_calendar_with_x_wr_timezone_is_read_in_that_zone() {
        let text = "BEGIN:VCALENDAR\nX-WR-TIMEZONE:America/Los_Angeles\nBEGIN:VEVENT\nUID:u\n\
DTSTART;TZID=Nowhere/Else:20261026T083000\nEND:VEVENT\nEND:VCALENDAR\n";
        let cal = parse_calendar(text).unwrap();
        assert_eq!(cal.events[0].event.start.to_contract_string(), "2026-10-26T08:30:00-07:00");
        assert!(cal.problems[0].message.contains("Nowhere/Else"));
        let again = parse_calendar(&write_back(&cal)).unwrap();
        assert_eq!(again.events[0].event, cal.events[0].event);
    }

    #[test]
    fn an_event_nested_in_an_unclosed_event_is_written_back_once() {
        let text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:outer\nDTSTART:20260101T090000Z\nBEGIN:VALARM\nTRIGGER:-PT5M\nEND:VALARM\n\
BEGIN:VEVENT\nUID:inner\nDTSTART:20260102T090000Z\nEND:VEVENT\nEND:VCALENDAR\n";
        let cal = parse_calendar(text).unwrap();
        let again = parse_calendar(&write_back(&cal)).unwrap();
        let uids = |c: &ParsedCalendar| c.events.iter().map(|e| e.event.uid.clone()).collect::<Vec<_>>();
        assert_eq!(uids(&cal), ["outer", "inner"]);
        assert_eq!(uids(&again), uids(&cal));
        assert_eq!(again.events[0].event.kept_components, cal.events[0].event.kept_components);
    }

    #[test]
    fn durations_are_written_in_their_usual_form() {
        assert_eq!(format_duration(5400), "PT1H30M");
        assert_eq!(format_duration(2 * 86_400), "P2D");
        assert_eq!(format_duration(604_800), "P1W");
        assert_eq!(format_duration(-900), "-PT15M");
        assert_eq!(format_duration(86_401), "P1DT1S");
        for secs in [0, 1, 59, 3600, 90_061, -86_400] {
            assert_eq!(parse_duration(&format_duration(secs)), Some(secs));
        }
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
