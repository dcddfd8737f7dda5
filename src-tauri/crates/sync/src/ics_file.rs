//! Importing iCalendar files into an executive's calendars.

use std::path::Path;

use chrono::{DateTime, Utc};
use tandem_core::invitation::{awaits_answer, Invitation, InvitationSource};
use tandem_core::itip::Method;
use tandem_core::ExecutiveProfile;
use tandem_formats::ics::parse_calendar;
use tandem_store::{NewCalendar, Store};

/// Which calendar the events go into.
#[derive(Clone, Debug)]
pub struct CalendarTarget {
    /// The calendar's name; when `None`, the file's X-WR-CALNAME, else its file name.
    pub name: Option<String>,
    pub color: String,
}

impl Default for CalendarTarget {
    fn default() -> Self {
        Self { name: None, color: "#5b6b7f".into() }
    }
}

/// What one file import did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct IcsImport {
    pub source: String,
    /// The calendar written to; `None` when the file could not be read at all.
    pub calendar: Option<String>,
    pub events_read: usize,
    pub events_written: usize,
    pub invitations: usize,
    /// For an iTIP file, what it did to each meeting ("Audit committee: updated the meeting").
    pub changes: Vec<String>,
    /// Problems with parts of the file, each naming the line and component.
    pub problems: Vec<String>,
    /// Set when nothing could be imported from the file.
    pub error: Option<String>,
}

/// Imports one file. Never fails as a whole: an unreadable file is an [`IcsImport`] with `error` set.
pub fn import_ics_file(
    store: &mut Store,
    profile: &ExecutiveProfile,
    path: &Path,
    target: &CalendarTarget,
    now: DateTime<Utc>,
) -> IcsImport {
    let source = path.display().to_string();
    match std::fs::read(path) {
        Err(e) => {
            IcsImport { source, error: Some(format!("cannot read {}: {e}", path.display())), ..Default::default() }
        }
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes);
            let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "Imported".into());
            import_ics_text(store, profile, &text, &source, &stem, target, now)
        }
    }
}

/// Imports iCalendar text. `fallback_name` names the calendar when neither the target nor the
/// file does.
pub fn import_ics_text(
    store: &mut Store,
    profile: &ExecutiveProfile,
    text: &str,
    source: &str,
    fallback_name: &str,
    target: &CalendarTarget,
    now: DateTime<Utc>,
) -> IcsImport {
    let mut report = IcsImport { source: source.to_string(), ..Default::default() };
    let parsed = match parse_calendar(text) {
        Ok(p) => p,
        Err(e) => {
            report.error = Some(format!("{source}: {e}"));
            return report;
        }
    };
    report.problems = parsed.problems.iter().map(|p| format!("{source}: {p}")).collect();
    report.events_read = parsed.events.len();
    // An invitation saved from mail (METHOD:REQUEST, CANCEL...) is a message about meetings,
    // not a calendar of its own: it is applied where the meetings are. A file that names
    // itself (X-WR-CALNAME) is a calendar, whatever METHOD its exporter left in it (Exchange
    // exports calendars with METHOD:REQUEST).
    let method = parsed.method.as_deref().and_then(Method::parse).filter(|m| *m != Method::Publish);
    if let Some(method) = method.filter(|_| parsed.name.is_none()) {
        let events: Vec<_> = parsed.events.into_iter().map(|e| (e.event, e.raw)).collect();
        let from = InvitationSource::File { name: source.to_string() };
        match crate::itip::receive(store, profile, method, &events, &from, now) {
            Ok(receipt) => {
                report.calendar = Some(format!("iTIP {}", method.as_str()));
                report.events_written = receipt.applied.len();
                report.invitations = receipt.invitations;
                report.changes = receipt.applied;
                report.changes.extend(receipt.ignored.into_iter().map(|i| format!("not applied: {i}")));
            }
            Err(e) => report.error = Some(format!("{source}: {e}")),
        }
        return report;
    }
    let mut name = target.name.clone().or(parsed.name.clone()).unwrap_or_else(|| fallback_name.to_string());
    // A subscribed calendar's events are replaced by its feed on every refresh: a file named
    // like it goes into a calendar of its own, or the next refresh would drop what it brought.
    let feeds: Vec<i64> =
        store.subscriptions(&profile.id).map(|s| s.iter().map(|s| s.calendar_id).collect()).unwrap_or_default();
    if let Ok(calendars) = store.calendars(&profile.id) {
        if calendars.iter().any(|c| c.name == name && feeds.contains(&c.id)) {
            name = format!("{name} (imported)");
        }
    }
    let result = store.transaction(|s| {
        let calendar =
            s.ensure_calendar(&profile.id, &NewCalendar { name: &name, color: &target.color, source: Some(source) })?;
        let batch: Vec<_> = parsed.events.iter().map(|e| (e.event.clone(), e.raw.clone())).collect();
        let written = s.upsert_events(calendar.id, &batch)?;
        let mut invitations = 0;
        for e in parsed.events.iter().filter(|e| awaits_answer(&e.event, profile)) {
            let inv = Invitation {
                event: e.event.clone(),
                source: InvitationSource::Calendar { calendar_id: calendar.id },
                counter_from: None,
            };
            s.upsert_invitation(&profile.id, &inv, now)?;
            invitations += 1;
        }
        Ok((written, invitations))
    });
    match result {
        Ok((written, invitations)) => {
            report.calendar = Some(name);
            report.events_written = written;
            report.invitations = invitations;
        }
        Err(e) => report.error = Some(format!("{source}: {e}")),
    }
    tracing::info!(events = report.events_written, problems = report.problems.len(), "ics import");
    report
}
