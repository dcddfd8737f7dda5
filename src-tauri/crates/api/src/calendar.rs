//! The merged calendar view: expand every calendar's events over the days asked, merge and
//! de-duplicate them, flag double bookings, and present times where the executive is each day
//! (their home zone, or the zone a trip takes them to).

use std::collections::HashMap;
use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use tandem_core::calendar::conflict::{blocks_time, overlapping_pairs};
use tandem_core::calendar::freebusy::{busy_periods, free_slots, Busy};
use tandem_core::calendar::travel::DayPlace;
use tandem_core::calendar::travel::{day_places, other_zone_hours, shown_zone};
use tandem_core::{
    expand_calendar, merge_occurrences, Event, EventStatus, EventTime, Occurrence, ParticipationStatus, TimeWindow,
    Transparency,
};
use tandem_sync::CalendarTarget;

use crate::dto::{
    AgendaItem, BusyDto, CalendarDto, CalendarRange, DayPlaceDto, FreeBusyDto, ImportFileReport, ImportReport, SpanDto,
};
use crate::error::Result;
use crate::Tandem;

/// The longest range one call may ask for: a year and a day.
pub const MAX_RANGE_DAYS: u32 = 366;

impl Tandem {
    /// `days` local days from `from` for the executive, in their home zone.
    pub fn calendar_range(&self, executive: Option<&str>, from: NaiveDate, days: u32) -> Result<CalendarRange> {
        if !(1..=MAX_RANGE_DAYS).contains(&days) {
            return Err(crate::ApiError::invalid(format!("{days} days is outside 1..={MAX_RANGE_DAYS}")));
        }
        let profile = self.executive(executive)?;
        let zone = profile.home_time_zone;
        let window = TimeWindow::days(from, days, zone);
        let calendars = self.store.calendars(&profile.id)?;
        // A trip under way shows in the fortnight before the range.
        let lookback = TimeWindow::new(window.start - chrono::Duration::days(14), window.end);
        let (all, problems) = self.merged(&profile.id, &calendars, lookback, zone)?;
        let travel: Vec<&Occurrence> = all.iter().map(|m| &m.occurrence).collect();
        let day_zones = day_places(&profile, &travel, from, days);
        let places = day_zones
            .iter()
            .map(|p| DayPlaceDto {
                date: p.date.format("%Y-%m-%d").to_string(),
                zone: p.zone.name().to_string(),
                other_zone: p.other_zone.map(|z| z.name().to_string()),
                other_hours: p.other_zone.map(|o| other_zone_hours(p.date, p.zone, o)).unwrap_or_default(),
                place: p.place.clone(),
                reason: p.reason.clone(),
            })
            .collect();
        // Hidden calendars leave the view (a meeting also in a shown calendar stays, under it).
        let shown: std::collections::HashSet<i64> = calendars.iter().filter(|c| c.visible).map(|c| c.id).collect();
        let merged: Vec<_> = all
            .into_iter()
            .filter(|m| window.overlaps(m.occurrence.start_utc, m.occurrence.end_utc))
            .filter_map(|mut m| {
                m.calendars.retain(|c| shown.contains(c));
                (!m.calendars.is_empty()).then_some(m)
            })
            .collect();

        let names: HashMap<i64, (&str, &str)> =
            calendars.iter().map(|c| (c.id, (c.name.as_str(), c.color.as_str()))).collect();
        let responses: Vec<Option<ParticipationStatus>> =
            merged.iter().map(|m| response_of(&profile, &m.occurrence)).collect();
        let occurrences: Vec<&Occurrence> = merged.iter().map(|m| &m.occurrence).collect();
        let blocking: Vec<bool> = occurrences
            .iter()
            .zip(&responses)
            .map(|(o, r)| blocks_time(o, *r == Some(ParticipationStatus::Declined)))
            .collect();
        // Names enough to explain a conflict; a pathological calendar (a MINUTELY series) must
        // not make every item carry thousands.
        const NAMED_CONFLICTS: usize = 8;
        let mut conflicts_with: Vec<Vec<String>> = vec![Vec::new(); merged.len()];
        for (i, j) in overlapping_pairs(&occurrences, &blocking) {
            if conflicts_with[i].len() < NAMED_CONFLICTS {
                conflicts_with[i].push(occurrences[j].summary.to_string());
            }
            if conflicts_with[j].len() < NAMED_CONFLICTS {
                conflicts_with[j].push(occurrences[i].summary.to_string());
            }
        }

        let items: Vec<AgendaItem> = merged
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let o = &m.occurrence;
                let cal_names: Vec<String> =
                    m.calendars.iter().filter_map(|c| names.get(c).map(|n| n.0.to_string())).collect();
                let color = m.calendars.first().and_then(|c| names.get(c)).map(|n| n.1.to_string()).unwrap_or_default();
                AgendaItem {
                    uid: o.uid.to_string(),
                    recurrence_id: o.recurrence_id.map(|r| r.to_contract_string()),
                    summary: o.summary.to_string(),
                    start: o.start.to_contract_string(),
                    end: o.end.to_contract_string(),
                    all_day: o.all_day,
                    calendars: cal_names,
                    color,
                    location: o.location.as_deref().map(String::from),
                    status: if o.status == EventStatus::Tentative { "tentative" } else { "confirmed" }.into(),
                    free: o.transparency == Transparency::Transparent,
                    recurring: o.recurring,
                    organizer: o.organizer.as_ref().map(|p| p.name.clone().unwrap_or_else(|| p.address.clone())),
                    own: o.organizer.as_ref().is_some_and(|p| profile.is_self(&p.address)),
                    attendee_count: o.attendees.len() as u32,
                    response: responses[i].map(response_name),
                    conflict: !conflicts_with[i].is_empty(),
                    conflicts_with: std::mem::take(&mut conflicts_with[i]),
                    view_start: view_time(&o.start, o.start_utc, &day_zones, zone),
                    view_end: view_time(&o.end, o.end_utc, &day_zones, zone),
                }
            })
            .collect();

        Ok(CalendarRange {
            executive_id: profile.id.clone(),
            zone: zone.name().to_string(),
            from: from.format("%Y-%m-%d").to_string(),
            days,
            calendars: self.calendar_dtos(&profile.id, &calendars)?,
            items,
            problems,
            places,
        })
    }

    /// Every calendar of the executive expanded over `window` and merged, with the series that
    /// could not be expanded named.
    pub(crate) fn merged(
        &self,
        executive: &str,
        calendars: &[tandem_core::Calendar],
        window: TimeWindow,
        zone: Tz,
    ) -> Result<(Vec<tandem_core::MergedOccurrence>, Vec<String>)> {
        let events = self.store.events_of(executive)?;
        let mut by_calendar: Vec<(i64, Vec<Occurrence>)> = Vec::new();
        let mut problems = Vec::new();
        for cal in calendars {
            let mine: Vec<&Event> = events.iter().filter(|e| e.calendar_id == cal.id).map(|e| &e.event).collect();
            let (occurrences, failures) = expand_calendar(&mine, window, zone);
            problems.extend(failures.into_iter().map(|(_, e)| format!("{}: {e}", cal.name)));
            by_calendar.push((cal.id, occurrences));
        }
        Ok((merge_occurrences(by_calendar), problems))
    }

    /// Busy and free time over `days` local days from `from`: what the executive's calendars
    /// hold (their answers respected) and the free stretches of at least `min_minutes`.
    pub fn free_busy(
        &self,
        executive: Option<&str>,
        from: NaiveDate,
        days: u32,
        min_minutes: u32,
    ) -> Result<FreeBusyDto> {
        if !(1..=MAX_RANGE_DAYS).contains(&days) {
            return Err(crate::ApiError::invalid(format!("{days} days is outside 1..={MAX_RANGE_DAYS}")));
        }
        let profile = self.executive(executive)?;
        let zone = profile.home_time_zone;
        let window = TimeWindow::days(from, days, zone);
        let calendars = self.store.calendars(&profile.id)?;
        let (merged, _) = self.merged(&profile.id, &calendars, window, zone)?;
        let items: Vec<(&Occurrence, Option<ParticipationStatus>)> =
            merged.iter().map(|m| (&m.occurrence, response_of(&profile, &m.occurrence))).collect();
        let busy = busy_periods(&items, window);
        let free = free_slots(&busy, window, chrono::Duration::minutes(i64::from(min_minutes)));
        let at = |t: DateTime<Utc>| t.with_timezone(&zone).to_rfc3339();
        Ok(FreeBusyDto {
            executive_id: profile.id.clone(),
            zone: zone.name().to_string(),
            busy: busy
                .iter()
                .map(|b| BusyDto {
                    start: at(b.start),
                    end: at(b.end),
                    kind: match b.kind {
                        Busy::Busy => "busy",
                        Busy::Tentative => "tentative",
                    }
                    .into(),
                })
                .collect(),
            free: free.iter().map(|w| SpanDto { start: at(w.start), end: at(w.end) }).collect(),
            min_minutes,
        })
    }

    /// Imports .ics files into the executive's calendars (one calendar per file, named by the
    /// file's X-WR-CALNAME or its file name). Each file is reported on its own.
    /// The executive's calendars, subscriptions with their feed's state.
    pub fn calendars(&self, executive: Option<&str>) -> Result<Vec<CalendarDto>> {
        let profile = self.executive(executive)?;
        let calendars = self.store.calendars(&profile.id)?;
        self.calendar_dtos(&profile.id, &calendars)
    }

    /// What the EP sees of each calendar: its feed when it is a subscription, and whether new
    /// meetings can go in it.
    pub(crate) fn calendar_dtos(
        &self,
        executive: &str,
        calendars: &[tandem_core::Calendar],
    ) -> Result<Vec<CalendarDto>> {
        let feeds = self.store.subscriptions(executive)?;
        let holding = self.meeting_calendars(executive)?;
        Ok(calendars
            .iter()
            .map(|c| calendar_dto(c, feeds.iter().find(|f| f.calendar_id == c.id), holding.contains(&c.id)))
            .collect())
    }

    /// Sets a calendar's colour (`#rrggbb`) and whether the views show it.
    pub fn update_calendar(
        &mut self,
        executive: Option<&str>,
        id: i64,
        color: &str,
        visible: bool,
    ) -> Result<CalendarDto> {
        let profile = self.executive(executive)?;
        let valid = color.len() == 7 && color.starts_with('#') && color[1..].chars().all(|c| c.is_ascii_hexdigit());
        if !valid {
            return Err(crate::ApiError::invalid(format!("colour '{color}' is not #rrggbb")));
        }
        let Some(calendar) = self.store.calendars(&profile.id)?.into_iter().find(|c| c.id == id) else {
            return Err(crate::ApiError::new(
                crate::ErrorCode::NotFound,
                format!("no calendar {id} for {}", profile.id),
            ));
        };
        self.store.set_calendar_look(&profile.id, id, color, visible)?;
        let changed = tandem_core::Calendar { color: color.to_string(), visible, ..calendar };
        let mut dto = self.calendar_dtos(&profile.id, &[changed])?;
        Ok(dto.remove(0))
    }

    /// Imports iCalendar text the EP picked or dropped in the app (the webview has the file's
    /// contents, not its path). The calendar is named by the file's X-WR-CALNAME, else by
    /// `file_name` without its extension. The rules then run over the invitations it brought.
    pub fn import_ics_text(
        &mut self,
        executive: Option<&str>,
        file_name: &str,
        text: &str,
        now: DateTime<Utc>,
    ) -> Result<ImportReport> {
        let profile = self.executive(executive)?;
        let stem = file_name.rsplit_once('.').map_or(file_name, |(s, _)| s);
        let r = tandem_sync::import_ics_text(
            &mut self.store,
            &profile,
            text,
            file_name,
            stem,
            &CalendarTarget::default(),
            now,
        );
        self.decide_after_import(&profile.id, vec![report_of(r)], now)
    }

    /// Imports files into the executive's store: `.eml` files as mail (an invitation in one is
    /// applied to the calendars), anything else as iCalendar. The rules then run over the
    /// invitations they brought.
    pub fn import_files(
        &mut self,
        executive: Option<&str>,
        paths: &[PathBuf],
        now: DateTime<Utc>,
    ) -> Result<ImportReport> {
        let profile = self.executive(executive)?;
        let mut files = Vec::new();
        for p in paths {
            if !tandem_sync::MailSource::is_mail(p) {
                files.push(report_of(tandem_sync::import_ics_file(
                    &mut self.store,
                    &profile,
                    p,
                    &CalendarTarget::default(),
                    now,
                )));
                continue;
            }
            let source = p.display().to_string();
            let report = match tandem_sync::import_mail(&mut self.store, &profile, p, now) {
                Err(e) => ImportFileReport { error: Some(e.to_string()), ..empty_report(&source) },
                Ok(m) if m.read == 0 && !m.problems.is_empty() => {
                    ImportFileReport { error: m.problems.first().cloned(), ..empty_report(&source) }
                }
                Ok(m) => ImportFileReport {
                    calendar: Some("mail".into()),
                    messages: m.read as u32,
                    added: m.added as u32,
                    skipped: m.skipped.iter().map(|(folder, n)| format!("{n} in {folder}")).collect(),
                    invitations: m.invitations as u32,
                    changes: m.calendar_changes,
                    problems: m.problems,
                    ..empty_report(&source)
                },
            };
            files.push(report);
        }
        self.decide_after_import(&profile.id, files, now)
    }

    fn decide_after_import(
        &mut self,
        executive: &str,
        files: Vec<ImportFileReport>,
        now: DateTime<Utc>,
    ) -> Result<ImportReport> {
        let mut triage_error = None;
        if files.iter().any(|f| f.added > 0) {
            match self.triage(Some(executive), false, now) {
                Ok(_) => {}
                Err(e) if e.code == crate::ErrorCode::InvalidRules => triage_error = Some(e.message),
                Err(e) => return Err(e),
            }
        }
        let (decided, rules_error) = match self.process_invitations(Some(executive), now) {
            Ok(d) => (d, None),
            Err(e) if e.code == crate::ErrorCode::InvalidRules => (Vec::new(), Some(e.message)),
            Err(e) => return Err(e),
        };
        Ok(ImportReport { files, decided, rules_error: rules_error.or(triage_error) })
    }
}

fn empty_report(source: &str) -> ImportFileReport {
    ImportFileReport {
        source: source.to_string(),
        calendar: None,
        events: 0,
        invitations: 0,
        messages: 0,
        added: 0,
        skipped: vec![],
        changes: vec![],
        problems: vec![],
        error: None,
    }
}

pub(crate) fn calendar_dto(
    c: &tandem_core::Calendar,
    feed: Option<&tandem_store::Subscription>,
    holds_meetings: bool,
) -> CalendarDto {
    CalendarDto {
        id: c.id,
        name: c.name.clone(),
        color: c.color.clone(),
        visible: c.visible,
        feed: feed.map(crate::subscription::feed_dto),
        holds_meetings,
    }
}

pub(crate) fn response_name(s: ParticipationStatus) -> String {
    match s {
        ParticipationStatus::NeedsAction => "needs_action",
        ParticipationStatus::Accepted => "accepted",
        ParticipationStatus::Declined => "declined",
        ParticipationStatus::Tentative => "tentative",
        ParticipationStatus::Delegated => "delegated",
    }
    .to_string()
}

fn report_of(r: tandem_sync::IcsImport) -> ImportFileReport {
    ImportFileReport {
        source: r.source,
        calendar: r.calendar,
        events: r.events_written as u32,
        invitations: r.invitations as u32,
        changes: r.changes,
        problems: r.problems,
        error: r.error,
        ..empty_report("")
    }
}

/// The executive's answer to an occurrence: accepted when they organise it, their PARTSTAT when
/// invited, `None` when they are neither (their own event).
pub(crate) fn response_of(profile: &tandem_core::ExecutiveProfile, o: &Occurrence) -> Option<ParticipationStatus> {
    if o.organizer.as_ref().is_some_and(|p| profile.is_self(&p.address)) {
        return Some(ParticipationStatus::Accepted);
    }
    o.attendees.iter().find(|a| profile.is_self(&a.participant.address)).map(|a| a.status)
}

/// A time as the grid shows it (`YYYY-MM-DDTHH:MM`): where the executive is that day. Dates
/// are the same everywhere (they were placed in the home zone); a floating time is the same
/// wall clock wherever the executive is, so it is shown as written.
fn view_time(value: &EventTime, t: DateTime<Utc>, places: &[DayPlace], home: Tz) -> String {
    use tandem_core::calendar::wall_string;
    use tandem_core::time::local_in;
    match value {
        EventTime::Date { .. } => wall_string(local_in(home, t), false),
        EventTime::Floating { local } => wall_string(*local, false),
        EventTime::Zoned { .. } | EventTime::Utc { .. } => wall_string(local_in(shown_zone(places, home, t), t), false),
    }
}
