//! The executive's daily briefing: what the EP hands them each morning (and the evening
//! before). This module holds the content, built from data the api loads, the pure pieces of
//! that content that need thought (a journey across zones, the travel between places), and the
//! plain-text and HTML renderings; the PDF is `formats::briefing_pdf`. All three renderings
//! walk the same [`Briefing::header`] and [`Briefing::sections`], so they say the same thing.
//!
//! Everything is in the local time of where the executive is that day, so a London day reads
//! in London time, and a day on which the clocks change says so at the top. Nothing here reads
//! the clock: the day, the zones and `generated_at` come in.

use std::fmt::Write as _;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::calendar::{in_person, place_key};
use crate::time::{local_in, minutes_text};

/// One person at a meeting, with who they are when the profile knows (a group, a title).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BriefingPerson {
    pub name: String,
    pub who: Option<String>,
}

/// One meeting of the day, with what the executive needs to walk in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BriefingMeeting {
    /// `HH:MM` on the day's local clock (empty for an all-day item).
    pub start: String,
    pub end: String,
    pub all_day: bool,
    /// It began the day before (an overnight flight landing this morning), or runs into the
    /// next day: its clock time on the other day means nothing on this day's clock.
    pub began_before: bool,
    pub ends_after: bool,
    pub title: String,
    pub place: Option<String>,
    pub dial_in: Option<String>,
    pub attendees: Vec<BriefingPerson>,
    pub purpose: Option<String>,
    /// The EP's prep notes, and the threads linked to the meeting (their subjects).
    pub prep: Vec<String>,
    pub threads: Vec<String>,
    /// A journey across time zones: when it leaves and lands on each clock ([`journey`]).
    pub journey: Option<String>,
    /// Getting there from the place before ([`travel_before`]).
    pub travel_before: Option<String>,
    /// Other meetings it overlaps, when it is still in conflict.
    pub conflicts_with: Vec<String>,
}

impl BriefingMeeting {
    /// Its time as every rendering shows it: `10:00–11:00`, `→ 07:35` for what began the day
    /// before, `19:30 →` for what ends the next day, or "all day".
    pub fn when(&self) -> String {
        match (self.all_day, self.began_before, self.ends_after) {
            (true, ..) | (false, true, true) => "all day".to_string(),
            (false, true, false) => format!("→ {}", self.end),
            (false, false, true) => format!("{} →", self.start),
            (false, false, false) => format!("{}–{}", self.start, self.end),
        }
    }

    /// The lines under its title, in the order every rendering shows them: `(label, text)`.
    pub fn details(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(j) = &self.journey {
            out.push(("Journey", j.clone()));
        }
        if let Some(p) = &self.place {
            out.push(("Where", p.clone()));
        }
        if let Some(d) = &self.dial_in {
            out.push(("Join", d.clone()));
        }
        if !self.attendees.is_empty() {
            let people: Vec<String> = self
                .attendees
                .iter()
                .map(|p| match &p.who {
                    Some(w) => format!("{} ({w})", p.name),
                    None => p.name.clone(),
                })
                .collect();
            out.push(("With", people.join(", ")));
        }
        if let Some(p) = &self.purpose {
            out.push(("Purpose", p.clone()));
        }
        out.extend(self.prep.iter().map(|p| ("Prep", p.clone())));
        out.extend(self.threads.iter().map(|t| ("Thread", t.clone())));
        out
    }
}

/// The morning briefing is of the day it is read; the evening one is read the night before,
/// so it also lists what is left of this evening.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Edition {
    #[default]
    Morning,
    Evening,
}

/// The whole briefing of one day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Briefing {
    pub executive: String,
    pub date: NaiveDate,
    pub edition: Edition,
    /// The zone the day is lived in, and on a travel day the one it began in.
    pub zone: Tz,
    pub other_zone: Option<Tz>,
    /// What took the executive into the day's zone ("Flight BA 178 JFK → LHR lands 07:35").
    pub zone_reason: Option<String>,
    /// Where the executive stays that night, when the calendars have a hotel.
    pub stay: Option<String>,
    pub generated_at: DateTime<Utc>,
    /// The evening edition only: what is still to come tonight.
    pub this_evening: Vec<BriefingMeeting>,
    pub meetings: Vec<BriefingMeeting>,
    /// Threads waiting on the executive's decision, one line per subject with who wrote.
    pub decisions: Vec<String>,
    /// Messages the EP flagged for the executive to see.
    pub flagged: Vec<String>,
    /// What the EP changed since the last briefing, and why.
    pub changes: Vec<String>,
    /// When the last briefing was delivered (the changes are those since); none: the last day.
    pub changes_since: Option<DateTime<Utc>>,
    pub conflicts: Vec<String>,
    pub proposals: Vec<String>,
    /// The next day at a glance.
    pub tomorrow: Vec<BriefingMeeting>,
}

/// What a section holds: meetings in full, meetings at a glance (time and title), or lines.
#[derive(Clone, Copy, Debug)]
pub enum SectionBody<'a> {
    Meetings(&'a [BriefingMeeting]),
    Glance(&'a [BriefingMeeting]),
    Lines(&'a [String]),
}

#[derive(Clone, Debug)]
pub struct Section<'a> {
    pub title: String,
    pub body: SectionBody<'a>,
}

impl Section<'_> {
    /// What an empty section says (only the day and the next day show when empty).
    pub fn empty(&self) -> Option<&'static str> {
        match self.body {
            SectionBody::Meetings(m) | SectionBody::Glance(m) if m.is_empty() => Some("No meetings."),
            _ => None,
        }
    }
}

/// The top of the briefing: who and which day, then notes on time (zone, a change of clocks,
/// where the executive sleeps).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    pub title: String,
    pub day: String,
    pub notes: Vec<String>,
}

impl Briefing {
    pub fn header(&self) -> Header {
        let day = self.date.format("%A %-d %B %Y").to_string();
        let (title, day) = match self.edition {
            Edition::Morning => (self.executive.clone(), day),
            Edition::Evening => (format!("{}: evening briefing", self.executive), format!("For tomorrow, {day}")),
        };
        let mut notes = vec![format!("Times are {} ({}).", zone_name(self.zone), self.zone.name())];
        if let Some(other) = self.other_zone {
            let noon = self.date.and_hms_opt(12, 0, 0).expect("noon exists").and_utc();
            let change = format!(
                "The day begins on {} and ends on {} ({})",
                zone_name(other),
                zone_name(self.zone),
                zone_difference(other, self.zone, noon)
            );
            notes.push(match &self.zone_reason {
                Some(r) => format!("{change}: {r}."),
                None => format!("{change}."),
            });
        }
        if let Some(s) = &self.stay {
            notes.push(format!("Staying at {s}."));
        }
        Header { title, day, notes }
    }

    /// The sections in reading order. The day and the next day always show; lists show only
    /// when they have something in them.
    pub fn sections(&self) -> Vec<Section<'_>> {
        let mut out = Vec::new();
        let (day, next) = match self.edition {
            Edition::Morning => ("Today", "Tomorrow"),
            Edition::Evening => ("Tomorrow", "The day after"),
        };
        if !self.this_evening.is_empty() {
            out.push(Section {
                title: "Still to come this evening".into(),
                body: SectionBody::Glance(&self.this_evening),
            });
        }
        out.push(Section { title: day.into(), body: SectionBody::Meetings(&self.meetings) });
        let changed = match self.changes_since {
            Some(t) => {
                format!("Changed since the last briefing ({})", local_in(self.zone_at(t), t).format("%a %-d %b %H:%M"))
            }
            None => "Changed in the last day".to_string(),
        };
        for (title, lines) in [
            ("Decisions needed".to_string(), &self.decisions),
            ("Flagged for you".to_string(), &self.flagged),
            (changed, &self.changes),
            ("Open conflicts".to_string(), &self.conflicts),
            ("Proposals awaiting approval".to_string(), &self.proposals),
        ] {
            if !lines.is_empty() {
                out.push(Section { title, body: SectionBody::Lines(lines) });
            }
        }
        out.push(Section { title: next.into(), body: SectionBody::Glance(&self.tomorrow) });
        out
    }

    /// The footer line: when it was prepared, on the clock where the executive was then.
    pub fn prepared(&self) -> String {
        let zone = self.zone_at(self.generated_at);
        format!("Prepared {} {}", local_in(zone, self.generated_at).format("%a %-d %b %Y %H:%M"), zone_name(zone))
    }

    /// The zone to read an instant around the day in: before a travel day begins the executive
    /// is still where it begins (the evening before a flight out is a New York evening).
    fn zone_at(&self, t: DateTime<Utc>) -> Tz {
        match self.other_zone {
            Some(other) => {
                let midnight = self.date.and_hms_opt(0, 0, 0).expect("midnight exists");
                if t < crate::time::resolve_local(other, midnight) {
                    other
                } else {
                    self.zone
                }
            }
            None => self.zone,
        }
    }
}

/// A zone as people say it: "London time", "New York time" (the IANA name's last part).
pub fn zone_name(zone: Tz) -> String {
    match zone.name() {
        "UTC" | "Etc/UTC" | "Etc/GMT" | "GMT" => "UTC".to_string(),
        name => format!("{} time", name.rsplit('/').next().unwrap_or(name).replace('_', " ")),
    }
}

/// How `to`'s clock stands to `from`'s at `at`: "London is 5 h ahead of New York".
pub fn zone_difference(from: Tz, to: Tz, at: DateTime<Utc>) -> String {
    let place = |z: Tz| zone_name(z).trim_end_matches(" time").to_string();
    let minutes = (local_in(to, at) - local_in(from, at)).num_minutes();
    match minutes {
        0 => format!("{} keeps the same time as {}", place(to), place(from)),
        m if m > 0 => format!("{} is {} ahead of {}", place(to), minutes_text(m), place(from)),
        m => format!("{} is {} behind {}", place(to), minutes_text(-m), place(from)),
    }
}

/// A journey from one zone to another (a flight), as the executive needs it: when it leaves and
/// lands on each clock, and what that does to the clocks.
pub fn journey(start: DateTime<Utc>, end: DateTime<Utc>, from: Tz, to: Tz) -> String {
    let leaves = local_in(from, start);
    let lands = local_in(to, end);
    format!(
        "leaves {} {} ({}), lands {} {} ({}); {}",
        leaves.format("%H:%M"),
        zone_name(from),
        leaves.format("%a"),
        lands.format("%H:%M"),
        zone_name(to),
        lands.format("%a"),
        zone_difference(from, to, end),
    )
}

/// Hosts whose links are a meeting to join.
const CONFERENCE_HOSTS: &[&str] =
    &["zoom.us", "teams.microsoft.com", "teams.live.com", "meet.google.com", "webex.com", "whereby.com", "chime.aws"];

/// How to join a call: the first conference link in the location or the description (any
/// link in the location), else a location that names a call ("Video call"). None for a meeting
/// at a place without a link.
pub fn dial_in(location: Option<&str>, description: &str) -> Option<String> {
    let links = |text: &str| -> Vec<String> {
        text.split(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '(' | ')'))
            .filter(|w| w.starts_with("https://") || w.starts_with("http://"))
            .map(|w| w.trim_end_matches(['.', ',', ';']).to_string())
            .collect()
    };
    let conference = |l: &&String| CONFERENCE_HOSTS.iter().any(|h| l.to_lowercase().contains(h));
    let location = location.map(str::trim).filter(|l| !l.is_empty());
    let in_location = location.map(links).unwrap_or_default();
    in_location
        .iter()
        .find(conference)
        .or(links(description).iter().find(conference))
        .or(in_location.first())
        .cloned()
        .or_else(|| location.filter(|l| !in_person(l)).map(String::from))
}

/// The purpose of a meeting for the briefing: the first line of its description that is prose
/// (not a link, not a dial-in boilerplate line), at most 200 characters.
pub fn purpose(description: &str) -> Option<String> {
    description
        .lines()
        .map(str::trim)
        .find(|l| {
            let lower = l.to_lowercase();
            !l.is_empty()
                && !lower.contains("http://")
                && !lower.contains("https://")
                && !lower.starts_with("join")
                && !lower.starts_with("meeting id")
                && !lower.starts_with("passcode")
                && !l.chars().all(|c| matches!(c, '-' | '_' | '=' | '~' | '*' | ' '))
        })
        .map(|l| l.chars().take(200).collect())
}

/// A subject without the "Re: " and "FW: " (and other languages' ones) that replies and
/// forwards put in front: what the thread is about.
pub fn bare_subject(subject: &str) -> &str {
    let mut s = subject.trim();
    loop {
        let lower = s.get(..5).unwrap_or(s).to_ascii_lowercase();
        match ["re:", "fw:", "fwd:", "aw:", "wg:", "sv:", "tr:"].iter().find(|p| lower.starts_with(**p)) {
            Some(p) => s = s[p.len()..].trim_start(),
            None => return s,
        }
    }
}

/// A subject as one decision: replies and forwards of it are the same one.
pub fn subject_key(subject: &str) -> String {
    bare_subject(subject).to_lowercase()
}

/// Names as a sentence lists them: "A", "A and B", "A, B and C", "A, B, C and 2 others".
pub fn names(people: &[String], at_most: usize) -> String {
    let at_most = at_most.max(1);
    match people {
        [] => String::new(),
        [one] => one.clone(),
        _ if people.len() <= at_most => {
            let (last, rest) = people.split_last().expect("two or more");
            format!("{} and {last}", rest.join(", "))
        }
        _ => format!("{} and {} others", people[..at_most].join(", "), people.len() - at_most),
    }
}

/// After this long at or since the place before, it is no longer where the executive leaves from.
const LONG_GAP: Duration = Duration::hours(2);

/// One item of the day for [`travel_before`]: where it is (none for a call), when, and whether
/// it is a journey (after which the executive is wherever it landed).
#[derive(Clone, Copy, Debug)]
pub struct Stop<'a> {
    pub title: &'a str,
    pub place: Option<&'a str>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub journey: bool,
}

/// For each stop, how the executive gets there from where they were before, when that is a
/// different place: the meeting before at another place, the arrival of a journey, or the
/// hotel (`base`) for the first one. `allowance` is the profile's travel time between places;
/// when the gap is shorter the line says so (it is also a conflict). Calls need no travel and
/// leave the executive where they were.
pub fn travel_before(stops: &[Stop<'_>], base: Option<&str>, allowance: Duration, zone: Tz) -> Vec<Option<String>> {
    enum Was<'a> {
        Nowhere,
        Base(&'a str),
        At(&'a str, DateTime<Utc>),
        Landed(&'a str, DateTime<Utc>),
    }
    let mut was = base.map_or(Was::Nowhere, Was::Base);
    let clock = |t: DateTime<Utc>| local_in(zone, t).format("%H:%M").to_string();
    let mut out = Vec::with_capacity(stops.len());
    for s in stops {
        let here = s.place.filter(|p| in_person(p));
        let line = here.and_then(|here| {
            let (from, ended) = match was {
                Was::Nowhere => return None,
                Was::Base(b) => (b, None),
                Was::At(p, _) if place_key(p) == place_key(here) => return None,
                Was::At(p, t) => (p, Some(t)),
                Was::Landed(title, t) => {
                    let gap = (s.start - t).num_minutes().max(0);
                    return Some(format!("{} after {title} lands", minutes_text(gap)));
                }
            };
            let leave = s.start - allowance;
            let allowed = minutes_text(allowance.num_minutes());
            Some(match ended {
                Some(t) if leave < t => format!(
                    "only {} to get here from {from}; {allowed} needed",
                    minutes_text((s.start - t).num_minutes().max(0)),
                ),
                // Hours after the place before, the executive may be anywhere: say only when.
                Some(t) if s.start - t > LONG_GAP => format!("leave by {} ({allowed} allowed)", clock(leave)),
                _ => format!("leave {from} by {} ({allowed} allowed)", clock(leave)),
            })
        });
        out.push(line);
        if s.journey {
            was = Was::Landed(s.title, s.end);
        } else if let Some(here) = here {
            was = Was::At(here, s.end);
        }
    }
    out
}

impl Briefing {
    /// The briefing as plain text, for an email body: short lines, no markup, sections in the
    /// order the executive reads them.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let header = self.header();
        let _ = writeln!(out, "{}: {}", header.title, header.day);
        for n in &header.notes {
            let _ = writeln!(out, "{n}");
        }
        for s in self.sections() {
            let _ = writeln!(out, "\n{}\n{}", s.title, "-".repeat(s.title.chars().count()));
            if let Some(e) = s.empty() {
                let _ = writeln!(out, "{e}");
            }
            match s.body {
                SectionBody::Meetings(ms) => ms.iter().for_each(|m| meeting_text(&mut out, m)),
                SectionBody::Glance(ms) => {
                    for m in ms {
                        let _ = writeln!(out, "{}  {}", when(m), m.title);
                    }
                }
                SectionBody::Lines(lines) => {
                    for l in lines {
                        let _ = writeln!(out, "- {l}");
                    }
                }
            }
        }
        let _ = writeln!(out, "\n{}", self.prepared());
        out
    }

    /// The briefing as one self-contained HTML document: no script, nothing remote (so it
    /// opens the same offline, on a phone, or printed), calm type that prints on A4 and Letter.
    pub fn to_html(&self) -> String {
        let mut h = String::with_capacity(16 * 1024);
        let header = self.header();
        let _ = write!(
            h,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
             <title>{}: {}</title><style>{STYLE}</style></head><body><main>",
            esc(&header.title),
            esc(&header.day)
        );
        let _ = write!(h, "<header><h1>{}</h1><p class=\"day\">{}</p>", esc(&header.title), esc(&header.day));
        for n in &header.notes {
            let _ = write!(h, "<p class=\"zone\">{}</p>", esc(n));
        }
        h.push_str("</header>");
        for s in self.sections() {
            let _ = write!(h, "<section><h2>{}</h2>", esc(&s.title));
            if let Some(e) = s.empty() {
                let _ = write!(h, "<p class=\"empty\">{e}</p>");
            }
            match s.body {
                SectionBody::Meetings(ms) => ms.iter().for_each(|m| meeting_html(&mut h, m)),
                SectionBody::Glance(ms) if !ms.is_empty() => {
                    h.push_str("<ul class=\"glance\">");
                    for m in ms {
                        let _ = write!(h, "<li><span class=\"time\">{}</span> {}</li>", esc(&m.when()), esc(&m.title));
                    }
                    h.push_str("</ul>");
                }
                SectionBody::Glance(_) => {}
                SectionBody::Lines(lines) => {
                    h.push_str("<ul>");
                    for l in lines {
                        let _ = write!(h, "<li>{}</li>", esc(l));
                    }
                    h.push_str("</ul>");
                }
            }
            h.push_str("</section>");
        }
        let _ = writeln!(h, "<footer>{}</footer></main></body></html>", esc(&self.prepared()));
        h
    }
}

/// Georgia for reading, the system sans for times and labels; nothing to download.
const STYLE: &str = "body{margin:0;background:#fbfaf7;color:#1f2328;font:16px/1.5 Georgia,'Times New Roman',serif}\
main{max-width:720px;margin:0 auto;padding:28px 20px 40px}\
h1{font-size:26px;margin:0;font-weight:normal}h2{font:600 12px/1.4 system-ui,sans-serif;letter-spacing:.08em;text-transform:uppercase;color:#6b6459;border-bottom:1px solid #e4ded3;padding-bottom:4px;margin:28px 0 10px}\
.day{font-size:18px;margin:2px 0 6px}.zone{margin:0}.zone,footer,.empty{color:#6b6459;font-size:14px}\
.meeting{display:grid;grid-template-columns:110px 1fr;gap:2px 14px;margin:0 0 14px;break-inside:avoid}\
.time{font:14px/1.6 system-ui,sans-serif;color:#3d5a80;font-variant-numeric:tabular-nums}\
.glance .time{display:inline-block;min-width:96px}.glance{list-style:none;padding:0}\
.title{font-weight:bold}.detail{grid-column:2;font-size:14px;color:#3b3a36}.conflict{grid-column:2;font:600 13px system-ui,sans-serif;color:#a4262c}\
.travel{grid-column:2;font:13px system-ui,sans-serif;color:#6b6459}ul{padding-left:18px;margin:0}li{margin:3px 0}\
footer{margin-top:32px}@media print{body{background:#fff}main{padding:0}}";

fn esc(s: &str) -> String {
    // The five characters that matter in text and attribute values; everything else is text.
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn meeting_html(h: &mut String, m: &BriefingMeeting) {
    h.push_str("<div class=\"meeting\">");
    if let Some(t) = &m.travel_before {
        let _ = write!(h, "<div class=\"travel\">Travel: {}</div>", esc(t));
    }
    let _ = write!(h, "<div class=\"time\">{}</div><div class=\"title\">{}</div>", esc(&m.when()), esc(&m.title));
    for (label, text) in m.details() {
        let _ = write!(h, "<div class=\"detail\">{label}: {}</div>", esc(&text));
    }
    if !m.conflicts_with.is_empty() {
        let _ = write!(h, "<div class=\"conflict\">Conflicts with {}</div>", esc(&m.conflicts_with.join(", ")));
    }
    h.push_str("</div>");
}

/// The time column of the text rendering, padded to one width.
fn when(m: &BriefingMeeting) -> String {
    format!("{:<11}", m.when())
}

fn meeting_text(out: &mut String, m: &BriefingMeeting) {
    let indent = "             ";
    if let Some(t) = &m.travel_before {
        let _ = writeln!(out, "{indent}travel: {t}");
    }
    let _ = writeln!(out, "{}  {}", when(m), m.title);
    for (label, text) in m.details() {
        let _ = writeln!(out, "{indent}{}: {text}", label.to_lowercase());
    }
    if !m.conflicts_with.is_empty() {
        let _ = writeln!(out, "{indent}CONFLICT with {}", m.conflicts_with.join(", "));
    }
}

#[cfg(test)]
mod tests {
    use chrono_tz::{America::New_York, Asia::Kolkata, Europe::London};

    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn day() -> Briefing {
        Briefing {
            executive: "Dana Okafor".into(),
            date: "2026-11-26".parse().unwrap(),
            edition: Edition::Morning,
            zone: London,
            other_zone: Some(New_York),
            zone_reason: Some("Flight BA 178 JFK → LHR lands 07:35".into()),
            stay: Some("The Langham, London".into()),
            generated_at: t("2026-11-26T06:00:00Z"),
            this_evening: vec![],
            meetings: vec![BriefingMeeting {
                start: "10:00".into(),
                end: "11:00".into(),
                title: "Board dinner prep".into(),
                place: Some("The Langham, London".into()),
                attendees: vec![BriefingPerson { name: "Eleanor Vance".into(), who: Some("board".into()) }],
                prep: vec!["Bring the signed audit letter".into()],
                threads: vec!["Q4 board pack (final)".into()],
                travel_before: Some("leave the hotel by 09:30 (30 min allowed)".into()),
                ..Default::default()
            }],
            decisions: vec!["CFO succession paper (Eleanor Vance)".into()],
            flagged: vec![],
            changes: vec![],
            changes_since: Some(t("2026-11-25T22:00:00Z")),
            conflicts: vec![],
            proposals: vec![],
            tomorrow: vec![],
        }
    }

    #[test]
    fn the_text_briefing_reads_in_the_days_zone_with_each_meeting_and_only_the_sections_that_have_something() {
        let text = day().to_text();
        assert!(
            text.starts_with(
                "Dana Okafor: Thursday 26 November 2026\nTimes are London time (Europe/London).\n\
                 The day begins on New York time and ends on London time (London is 5 h ahead of New York): Flight BA 178 JFK → LHR lands 07:35.\n\
                 Staying at The Langham, London.\n"
            ),
            "{text}"
        );
        assert!(text.contains("             travel: leave the hotel by 09:30 (30 min allowed)\n10:00–11:00  Board dinner prep\n             where: The Langham, London\n             with: Eleanor Vance (board)\n             prep: Bring the signed audit letter\n             thread: Q4 board pack (final)\n"), "{text}");
        assert!(text.contains("Decisions needed\n----------------\n- CFO succession paper (Eleanor Vance)\n"));
        assert!(!text.contains("Open conflicts"), "an empty section is left out");
        assert!(!text.contains("Changed since"), "no changes, no section");
        assert!(text.contains("Tomorrow\n--------\nNo meetings.\n"), "{text}");
        assert!(text.ends_with("Prepared Thu 26 Nov 2026 06:00 London time\n"), "{text}");
        let mut before = day();
        before.generated_at = t("2026-11-25T23:00:00Z");
        assert!(before.to_text().ends_with("Prepared Wed 25 Nov 2026 18:00 New York time\n"), "still in New York then");
    }

    #[test]
    fn the_evening_edition_is_of_the_next_day_and_lists_what_is_left_of_this_evening() {
        let mut b = day();
        b.edition = Edition::Evening;
        b.this_evening = vec![BriefingMeeting {
            start: "19:30".into(),
            end: "07:35".into(),
            ends_after: true,
            title: "Flight BA 178".into(),
            ..Default::default()
        }];
        b.changes = vec!["Team drinks: Declined".into()];
        let text = b.to_text();
        assert!(text.starts_with("Dana Okafor: evening briefing: For tomorrow, Thursday 26 November 2026\n"), "{text}");
        let order: Vec<usize> = [
            "Still to come this evening",
            "\nTomorrow\n",
            "Changed since the last briefing (Wed 25 Nov 17:00)",
            "The day after",
        ]
        .iter()
        .map(|s| text.find(s).unwrap_or_else(|| panic!("{s} in {text}")))
        .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{text}");
        assert!(text.contains("19:30 →      Flight BA 178\n"), "{text}");
        b.changes_since = None;
        assert!(b.to_text().contains("Changed in the last day\n"));
    }

    #[test]
    fn the_html_briefing_is_self_contained_and_escapes_what_it_is_given() {
        let mut b = day();
        b.meetings[0].title = "Q&A <prep> \"board\"".into();
        let html = b.to_html();
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains("Q&amp;A &lt;prep&gt; &quot;board&quot;"), "{html}");
        assert!(
            !html.contains("<script")
                && !html.contains("http://")
                && !html.contains("https://")
                && !html.contains("src=")
        );
        assert!(html.contains("default-src 'none'"), "a CSP that loads nothing");
        assert!(html.contains("<div class=\"detail\">With: Eleanor Vance (board)</div>"));
        assert!(html.contains("<p class=\"zone\">Staying at The Langham, London.</p>"));
        assert!(!html.contains("Open conflicts"));
    }

    #[test]
    fn a_journey_gives_both_clocks_and_how_far_apart_they_are() {
        assert_eq!(
            journey(t("2026-11-26T00:30:00Z"), t("2026-11-26T07:35:00Z"), New_York, London),
            "leaves 19:30 New York time (Wed), lands 07:35 London time (Thu); London is 5 h ahead of New York"
        );
        assert_eq!(
            journey(t("2026-11-27T11:20:00Z"), t("2026-11-27T19:20:00Z"), London, New_York),
            "leaves 11:20 London time (Fri), lands 14:20 New York time (Fri); New York is 5 h behind London"
        );
        assert_eq!(
            zone_difference(London, Kolkata, t("2026-07-01T12:00:00Z")),
            "Kolkata is 4 h 30 min ahead of London",
            "summer time counts"
        );
        assert_eq!(
            zone_difference(London, Kolkata, t("2026-12-01T12:00:00Z")),
            "Kolkata is 5 h 30 min ahead of London"
        );
        assert_eq!(
            zone_difference(London, chrono_tz::Europe::Lisbon, t("2026-12-01T12:00:00Z")),
            "Lisbon keeps the same time as London"
        );
        assert_eq!(zone_name(chrono_tz::America::Los_Angeles), "Los Angeles time");
        assert_eq!(zone_name(chrono_tz::UTC), "UTC");
    }

    #[test]
    fn travel_is_counted_from_the_hotel_the_place_before_or_a_landing_and_calls_need_none() {
        let stop = |title, place, start: &str, end: &str, journey| Stop {
            title,
            place,
            start: t(start),
            end: t(end),
            journey,
        };
        let stops = [
            stop(
                "Fabrikam visit",
                Some("Fabrikam, 1 Canada Square"),
                "2026-11-26T10:00:00Z",
                "2026-11-26T12:00:00Z",
                false,
            ),
            stop("Sync", Some("Video call"), "2026-11-26T12:00:00Z", "2026-11-26T12:30:00Z", false),
            stop("Lunch", Some("Dishoom, Kings Cross"), "2026-11-26T13:00:00Z", "2026-11-26T14:00:00Z", false),
            stop("Coffee", Some("dishoom,  kings cross"), "2026-11-26T14:00:00Z", "2026-11-26T14:30:00Z", false),
            stop("Dinner", Some("Hawksmoor Guildhall"), "2026-11-26T14:45:00Z", "2026-11-26T16:00:00Z", false),
            stop("Flight BA 117", Some("LHR Terminal 5"), "2026-11-26T18:00:00Z", "2026-11-27T02:00:00Z", true),
            stop("Breakfast", Some("The Odeon"), "2026-11-27T04:00:00Z", "2026-11-27T05:00:00Z", false),
        ];
        let lines = travel_before(&stops, Some("the hotel"), Duration::minutes(30), London);
        assert_eq!(
            lines,
            [
                Some("leave the hotel by 09:30 (30 min allowed)".to_string()),
                None,
                Some("leave Fabrikam, 1 Canada Square by 12:30 (30 min allowed)".into()),
                None,
                Some("only 15 min to get here from dishoom,  kings cross; 30 min needed".into()),
                Some("leave Hawksmoor Guildhall by 17:30 (30 min allowed)".into()),
                Some("2 h after Flight BA 117 lands".into()),
            ]
        );
        assert_eq!(travel_before(&stops[..1], None, Duration::minutes(30), London), [None], "nowhere known before");
        let later = [stops[0], stop("Drinks", Some("The Ivy"), "2026-11-26T18:00:00Z", "2026-11-26T19:00:00Z", false)];
        assert_eq!(
            travel_before(&later, None, Duration::minutes(30), London)[1].as_deref(),
            Some("leave by 17:30 (30 min allowed)"),
            "six hours after the visit, the executive may be anywhere"
        );
    }

    #[test]
    fn the_way_to_join_is_a_conference_link_before_any_other_link_or_the_calls_name() {
        let zoom = "Agenda attached.\nJoin: https://acme.zoom.us/j/123?pwd=x.\nhttps://example.com/doc";
        assert_eq!(dial_in(Some("Board room"), zoom).as_deref(), Some("https://acme.zoom.us/j/123?pwd=x"));
        assert_eq!(
            dial_in(Some("https://meet.google.com/abc-defg-hij"), "").as_deref(),
            Some("https://meet.google.com/abc-defg-hij")
        );
        assert_eq!(dial_in(Some("Video call"), "no link here").as_deref(), Some("Video call"));
        assert_eq!(
            dial_in(Some("Hawksmoor Guildhall"), "See https://example.com/menu").as_deref(),
            None,
            "a menu is not a call"
        );
        assert_eq!(dial_in(None, ""), None);
    }

    #[test]
    fn the_purpose_is_the_first_line_of_prose_in_the_description() {
        assert_eq!(
            purpose("https://zoom.us/j/1\n-----\n  Agree the Q4 numbers before the board.\nMore"),
            Some("Agree the Q4 numbers before the board.".into())
        );
        assert_eq!(purpose("Join Zoom Meeting\nMeeting ID: 1\nPasscode: 2"), None);
        assert_eq!(purpose(&"x".repeat(500)).map(|p| p.chars().count()), Some(200));
    }

    #[test]
    fn replies_and_forwards_of_a_subject_are_one_decision_and_names_read_as_a_sentence() {
        assert_eq!(subject_key("RE: Fwd:  Renewal terms"), subject_key("Renewal terms"));
        assert_eq!(bare_subject("Re: AW: Q4 board pack"), "Q4 board pack");
        assert_eq!(
            bare_subject("Réponse: über"),
            "Réponse: über",
            "only known prefixes, and no panic inside a character"
        );
        assert_ne!(subject_key("Renewal terms v2"), subject_key("Renewal terms"));
        let people: Vec<String> = ["Ava", "Raj", "Helen", "Henrik", "Li"].map(String::from).to_vec();
        assert_eq!(names(&people[..1], 3), "Ava");
        assert_eq!(names(&people[..2], 3), "Ava and Raj");
        assert_eq!(names(&people[..3], 3), "Ava, Raj and Helen");
        assert_eq!(names(&people, 3), "Ava, Raj, Helen and 2 others");
    }
}
