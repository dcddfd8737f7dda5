//! The executive's daily briefing: what the EP hands them each morning (and the evening
//! before). This module holds the content, built from data the api loads, and its plain-text
//! rendering (an email body); the HTML and PDF renderings read the same [`Briefing`].
//!
//! Everything is in the local time of where the executive is that day, so a London day reads
//! in London time with New York's beside it. Nothing here reads the clock: the day, the zone
//! and `generated_at` come in.
//!
//! The text and HTML renderings are here; the PDF is `formats::briefing_pdf`. Still to come
//! (issue 7): travel legs before each meeting and the EP's prep notes.

use std::fmt::Write as _;

use chrono::{DateTime, NaiveDate, Utc};

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
    pub title: String,
    pub place: Option<String>,
    pub dial_in: Option<String>,
    pub attendees: Vec<BriefingPerson>,
    pub purpose: Option<String>,
    /// The EP's prep notes, and the threads linked to the meeting (their subjects).
    pub prep: Vec<String>,
    pub threads: Vec<String>,
    /// Travel before it, in words ("35 min from the office").
    pub travel_before: Option<String>,
    /// Other meetings it overlaps, when it is still in conflict.
    pub conflicts_with: Vec<String>,
}

impl BriefingMeeting {
    /// Its time as every rendering shows it: `10:00–11:00`, or "all day".
    pub fn when(&self) -> String {
        if self.all_day {
            "all day".to_string()
        } else {
            format!("{}–{}", self.start, self.end)
        }
    }

    /// The lines under its title, in the order every rendering shows them: `(label, text)`.
    pub fn details(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(p) = &self.place {
            out.push(("Where", p.clone()));
        }
        if let Some(d) = &self.dial_in {
            out.push(("Dial-in", d.clone()));
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

/// The whole briefing of one day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Briefing {
    pub executive: String,
    pub date: NaiveDate,
    /// The zone the day is lived in (IANA name), and on a travel day the one left behind.
    pub zone: String,
    pub other_zone: Option<String>,
    pub generated_at: DateTime<Utc>,
    pub meetings: Vec<BriefingMeeting>,
    /// Threads waiting on the executive's decision: "From — subject".
    pub decisions: Vec<String>,
    /// What the EP changed since the last briefing, and why.
    pub changes: Vec<String>,
    pub conflicts: Vec<String>,
    pub proposals: Vec<String>,
    pub tomorrow: Vec<BriefingMeeting>,
}

impl Briefing {
    /// The briefing as plain text, for an email body: short lines, no markup, sections in the
    /// order the executive reads them.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let day = self.date.format("%A %-d %B %Y");
        let _ = writeln!(out, "Briefing for {}: {day}", self.executive);
        match &self.other_zone {
            Some(other) => {
                let _ = writeln!(out, "Times are in {} (travelling from {other}).", self.zone);
            }
            None => {
                let _ = writeln!(out, "Times are in {}.", self.zone);
            }
        }
        section(&mut out, "Today", self.meetings.is_empty().then_some("No meetings."));
        for m in &self.meetings {
            meeting_text(&mut out, m);
        }
        list(&mut out, "Decisions needed", &self.decisions);
        list(&mut out, "Changed since the last briefing", &self.changes);
        list(&mut out, "Open conflicts", &self.conflicts);
        list(&mut out, "Proposals awaiting approval", &self.proposals);
        section(&mut out, "Tomorrow", self.tomorrow.is_empty().then_some("No meetings."));
        for m in &self.tomorrow {
            let _ = writeln!(out, "{}  {}", when(m), m.title);
        }
        out
    }
}

impl Briefing {
    /// The briefing as one self-contained HTML document: no script, nothing remote (so it
    /// opens the same offline, on a phone, or printed), calm type that prints on A4 and Letter.
    pub fn to_html(&self) -> String {
        let mut h = String::with_capacity(16 * 1024);
        let day = self.date.format("%A %-d %B %Y").to_string();
        let _ = write!(
            h,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
             <title>Briefing for {}: {}</title><style>{STYLE}</style></head><body><main>",
            esc(&self.executive),
            esc(&day)
        );
        let _ = write!(
            h,
            "<header><h1>{}</h1><p class=\"day\">{}</p><p class=\"zone\">Times are in {}{}.</p></header>",
            esc(&self.executive),
            esc(&day),
            esc(&self.zone),
            self.other_zone.as_deref().map(|z| format!(" (travelling from {})", esc(z))).unwrap_or_default()
        );
        h.push_str("<section><h2>Today</h2>");
        if self.meetings.is_empty() {
            h.push_str("<p class=\"empty\">No meetings.</p>");
        }
        for m in &self.meetings {
            meeting_html(&mut h, m);
        }
        h.push_str("</section>");
        list_html(&mut h, "Decisions needed", &self.decisions);
        list_html(&mut h, "Changed since the last briefing", &self.changes);
        list_html(&mut h, "Open conflicts", &self.conflicts);
        list_html(&mut h, "Proposals awaiting approval", &self.proposals);
        h.push_str("<section><h2>Tomorrow</h2>");
        if self.tomorrow.is_empty() {
            h.push_str("<p class=\"empty\">No meetings.</p>");
        } else {
            h.push_str("<ul class=\"tomorrow\">");
            for m in &self.tomorrow {
                let _ = write!(h, "<li><span class=\"time\">{}</span> {}</li>", esc(&m.when()), esc(&m.title));
            }
            h.push_str("</ul>");
        }
        let _ = writeln!(
            h,
            "</section><footer>Prepared {} UTC</footer></main></body></html>",
            self.generated_at.format("%-d %b %Y %H:%M")
        );
        h
    }
}

/// Georgia for reading, the system sans for times and labels; nothing to download.
const STYLE: &str = "body{margin:0;background:#fbfaf7;color:#1f2328;font:16px/1.5 Georgia,'Times New Roman',serif}\
main{max-width:720px;margin:0 auto;padding:28px 20px 40px}\
h1{font-size:26px;margin:0;font-weight:normal}h2{font:600 12px/1.4 system-ui,sans-serif;letter-spacing:.08em;text-transform:uppercase;color:#6b6459;border-bottom:1px solid #e4ded3;padding-bottom:4px;margin:28px 0 10px}\
.day{font-size:18px;margin:2px 0 0}.zone,footer,.empty{color:#6b6459;font-size:14px}\
.meeting{display:grid;grid-template-columns:110px 1fr;gap:2px 14px;margin:0 0 14px;break-inside:avoid}\
.time{font:14px/1.6 system-ui,sans-serif;color:#3d5a80;font-variant-numeric:tabular-nums}\
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

fn list_html(h: &mut String, title: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    let _ = write!(h, "<section><h2>{}</h2><ul>", esc(title));
    for i in items {
        let _ = write!(h, "<li>{}</li>", esc(i));
    }
    h.push_str("</ul></section>");
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

/// The time column of the text rendering (an all-day item padded to the column's width).
fn when(m: &BriefingMeeting) -> String {
    if m.all_day {
        "all day    ".to_string()
    } else {
        m.when()
    }
}

fn section(out: &mut String, title: &str, empty: Option<&str>) {
    let _ = writeln!(out, "\n{title}\n{}", "-".repeat(title.chars().count()));
    if let Some(e) = empty {
        let _ = writeln!(out, "{e}");
    }
}

fn list(out: &mut String, title: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    section(out, title, None);
    for i in items {
        let _ = writeln!(out, "- {i}");
    }
}

fn meeting_text(out: &mut String, m: &BriefingMeeting) {
    if let Some(t) = &m.travel_before {
        let _ = writeln!(out, "            travel: {t}");
    }
    let _ = writeln!(out, "{}  {}", when(m), m.title);
    let indent = "            ";
    for (label, text) in m.details() {
        let _ = writeln!(out, "{indent}{}: {text}", label.to_lowercase());
    }
    if !m.conflicts_with.is_empty() {
        let _ = writeln!(out, "{indent}CONFLICT with {}", m.conflicts_with.join(", "));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> Briefing {
        Briefing {
            executive: "Dana Okafor".into(),
            date: "2026-11-26".parse().unwrap(),
            zone: "Europe/London".into(),
            other_zone: Some("America/New_York".into()),
            generated_at: "2026-11-25T22:00:00Z".parse().unwrap(),
            meetings: vec![BriefingMeeting {
                start: "10:00".into(),
                end: "11:00".into(),
                title: "Board dinner prep".into(),
                place: Some("The Langham, London".into()),
                attendees: vec![BriefingPerson { name: "Eleanor Vance".into(), who: Some("board".into()) }],
                threads: vec!["Q4 board pack (final)".into()],
                travel_before: Some("20 min from the hotel".into()),
                ..Default::default()
            }],
            decisions: vec!["Eleanor Vance: CFO succession paper".into()],
            changes: vec![],
            conflicts: vec![],
            proposals: vec![],
            tomorrow: vec![],
        }
    }

    #[test]
    fn the_text_briefing_reads_in_the_days_zone_with_each_meeting_and_only_the_sections_that_have_something() {
        let text = day().to_text();
        assert!(text.starts_with("Briefing for Dana Okafor: Thursday 26 November 2026\nTimes are in Europe/London (travelling from America/New_York).\n"), "{text}");
        assert!(text.contains("            travel: 20 min from the hotel\n10:00–11:00  Board dinner prep\n            where: The Langham, London\n            with: Eleanor Vance (board)\n            thread: Q4 board pack (final)\n"), "{text}");
        assert!(text.contains("Decisions needed\n----------------\n- Eleanor Vance: CFO succession paper\n"));
        assert!(!text.contains("Open conflicts"), "an empty section is left out");
        assert!(text.ends_with("Tomorrow\n--------\nNo meetings.\n"), "{text}");
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
        assert!(!html.contains("Open conflicts"));
    }
}
