//! Recurrence expansion: a series' master plus its overrides, turned into the occurrences that
//! overlap a window.
//!
//! Rules are expanded with the `rrule` crate. What it needs from us: DTSTART as a zoned
//! date-time (dates and floating times are expanded as if in UTC and read back as wall-clock
//! values, which is exact because they carry no zone), EXDATE/RDATE in the same form, and a
//! window so that only the instances asked for are produced.

use std::collections::HashSet;
use std::sync::Arc;

use chrono::{DateTime, Datelike, Duration, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use rrule::{RRule, RRuleSet, Unvalidated};
use thiserror::Error;

use super::{Alarm, Attendee, Event, EventStatus, EventTime, Occurrence, Participant};
use crate::time::{local_in, TimeWindow};

/// Why a series could not be expanded. The series is skipped; the rest of the calendar is not.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum ExpandError {
    #[error("event {uid}: RRULE '{rule}' is not valid: {reason}")]
    InvalidRule { uid: String, rule: String, reason: String },
}

/// The most instances one series may yield for one window; a guard against rules such as
/// `FREQ=SECONDLY` asked about a year.
const MAX_INSTANCES_PER_WINDOW: usize = 10_000;

/// Expands one UID's master (if any) and overrides into the occurrences overlapping `window`.
/// Cancelled instances are left out. `placement` is the zone in which dates and floating
/// times are placed to decide overlap.
///
/// Overrides are applied as real clients write them, not only as RFC 5545 draws them:
/// - an override the organiser has since withdrawn is dropped: its SEQUENCE is lower than the
///   master's and the newer master no longer has that instance (EXDATE, or a shortened rule);
/// - in an all-day series a RECURRENCE-ID written as a date-time (Exchange writes local
///   midnight) names the instance on that date;
/// - `RANGE=THISANDFUTURE` reshapes every later instance: shifted by the override's own shift,
///   with its length and details, until a later such override takes over.
pub fn expand_series(
    master: Option<&Event>,
    overrides: &[&Event],
    window: TimeWindow,
    placement: Tz,
) -> Result<Vec<Occurrence>, ExpandError> {
    let mut out = Vec::new();
    expand_series_into(&mut out, master, overrides, window, placement)?;
    Ok(out)
}

/// [`expand_series`] appending to `out` (sorted among themselves), so that a whole calendar's
/// occurrences are written once into one vector rather than copied from one per series.
fn expand_series_into(
    out: &mut Vec<Occurrence>,
    master: Option<&Event>,
    overrides: &[&Event],
    window: TimeWindow,
    placement: Tz,
) -> Result<(), ExpandError> {
    let first = out.len();
    let series_dates = master.is_some_and(|m| m.start.is_date());
    let live: Vec<&Event> = overrides.iter().copied().filter(|o| !withdrawn(master, o, placement)).collect();
    // A sorted vector: looked up for every instance, and hashing each was measurable.
    let mut overridden: Vec<SeriesKey> =
        live.iter().filter_map(|o| o.recurrence_id.map(|r| series_key(r, series_dates))).collect();
    overridden.sort_unstable();

    if let Some(master) = master {
        let length = nominal_length(master, placement);
        if master.is_recurring() {
            let frame = Frame::of(master.start);
            let mut ranges: Vec<(DateTime<Utc>, &Event, Duration)> = live
                .iter()
                .filter(|o| o.this_and_future)
                .filter_map(|o| o.recurrence_id.map(|r| (r.to_utc(placement), *o, frame.wall_shift(r, o.start))))
                .collect();
            ranges.sort_by_key(|r| r.0);
            // A shifted instance may come into the window from outside it.
            let reach = ranges
                .iter()
                .map(|(_, o, shift)| shift.abs() + as_duration(nominal_length(o, placement)))
                .max()
                .unwrap_or_else(Duration::zero);
            let wide = TimeWindow::new(window.start - reach, window.end + reach);
            let master_shared = Shared::of(master);
            let range_shared: Vec<Shared> = ranges.iter().map(|(_, o, _)| Shared::of(o)).collect();
            let starts = instance_starts(master, wide, length, placement)?;
            out.reserve(starts.len());
            for Start { time: start, at } in starts {
                if !overridden.is_empty() && overridden.binary_search(&series_key_at(start, at, series_dates)).is_ok() {
                    continue;
                }
                match ranges.iter().rposition(|(from, _, _)| *from <= at) {
                    Some(i) => {
                        let (_, o, shift) = &ranges[i];
                        let moved = frame.shifted(start, *shift);
                        push_if_overlapping(
                            out,
                            o,
                            &range_shared[i],
                            Start { time: moved, at: moved.to_utc(placement) },
                            Some(start),
                            nominal_length(o, placement),
                            window,
                            placement,
                        )
                    }
                    None => push_if_overlapping(
                        out,
                        master,
                        &master_shared,
                        Start { time: start, at },
                        Some(start),
                        length,
                        window,
                        placement,
                    ),
                }
            }
        } else {
            let start = Start::of(master.start, placement);
            push_if_overlapping(out, master, &Shared::of(master), start, None, length, window, placement);
        }
    }
    for o in live {
        let length = nominal_length(o, placement);
        let start = Start::of(o.start, placement);
        push_if_overlapping(out, o, &Shared::of(o), start, o.recurrence_id, length, window, placement);
    }
    out[first..].sort_by(|a, b| (a.start_utc, &a.uid).cmp(&(b.start_utc, &b.uid)));
    Ok(())
}

/// The key under which an instance and the RECURRENCE-ID naming it compare equal. In an all-day
/// series that is the date alone, whatever form the RECURRENCE-ID was written in. Typed rather
/// than a formatted string: it is computed for every instance of every series.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum SeriesKey {
    Day(chrono::NaiveDate),
    Wall(NaiveDateTime),
    At(DateTime<Utc>),
}

fn series_key(t: EventTime, series_dates: bool) -> SeriesKey {
    match (t, series_dates) {
        (EventTime::Zoned { .. } | EventTime::Utc { .. }, false) => SeriesKey::At(t.to_utc(chrono_tz::UTC)),
        _ => series_key_at(t, DateTime::<Utc>::MIN_UTC, series_dates),
    }
}

/// [`series_key`] of an instance whose instant (`t.to_utc(..)`, the same for zoned and UTC
/// values whatever the placement) is known already.
fn series_key_at(t: EventTime, at: DateTime<Utc>, series_dates: bool) -> SeriesKey {
    match (t, series_dates) {
        (EventTime::Date { date }, _) => SeriesKey::Day(date),
        (EventTime::Floating { local } | EventTime::Zoned { local, .. }, true) => SeriesKey::Day(local.date()),
        (EventTime::Utc { instant }, true) => SeriesKey::Day(instant.date_naive()),
        (EventTime::Floating { local }, false) => SeriesKey::Wall(local),
        (EventTime::Zoned { .. } | EventTime::Utc { .. }, false) => SeriesKey::At(at),
    }
}

/// The local date of a RECURRENCE-ID as written.
fn rid_date(t: EventTime) -> Option<chrono::NaiveDate> {
    match t {
        EventTime::Date { date } => Some(date),
        EventTime::Floating { local } | EventTime::Zoned { local, .. } => Some(local.date()),
        EventTime::Utc { instant } => Some(instant.date_naive()),
    }
}

/// Whether `o` is an override of an instance that is gone: the master's EXDATE names it (an
/// EXDATE deletes the instance, moved or not, as iTIP cancellations leave it), or it is older
/// (lower SEQUENCE) than a recurring master whose rule no longer produces it. A newer or equally
/// new override of an instance the rule does not produce stands (an added instance).
fn withdrawn(master: Option<&Event>, o: &Event, placement: Tz) -> bool {
    let (Some(master), Some(rid)) = (master, o.recurrence_id) else { return false };
    let series_dates = master.start.is_date();
    let key = series_key(rid, series_dates);
    if master
        .exdates
        .iter()
        .any(|x| series_key(*x, series_dates) == key || (x.is_date() && rid_date(rid) == rid_date(*x)))
    {
        return true;
    }
    if !master.is_recurring() || o.sequence >= master.sequence {
        return false;
    }
    let at = rid.to_utc(placement);
    let around = TimeWindow::new(at - Duration::days(2), at + Duration::days(2));
    match instance_starts(master, around, Length::Exact(Duration::zero()), placement) {
        Ok(starts) => !starts.iter().any(|s| series_key_at(s.time, s.at, series_dates) == key),
        // A master that cannot be expanded is reported by the caller; keep the override.
        Err(_) => false,
    }
}

/// Expands every series in one calendar's worth of events: events are grouped by UID so a
/// master and its overrides expand together. A series that cannot be expanded is reported with
/// the index (in `events`) of its first event and skipped; the others are still expanded.
pub fn expand_calendar(
    events: &[&Event],
    window: TimeWindow,
    placement: Tz,
) -> (Vec<Occurrence>, Vec<(usize, ExpandError)>) {
    let mut series: std::collections::HashMap<&str, (usize, Option<&Event>, Vec<&Event>)> = Default::default();
    let mut order: Vec<&str> = Vec::new();
    for (i, e) in events.iter().enumerate() {
        let entry = series.entry(e.uid.as_str()).or_insert_with(|| {
            order.push(e.uid.as_str());
            (i, None, Vec::new())
        });
        if let Some(rid) = e.recurrence_id {
            // Two overrides of one instance: as with masters, the higher SEQUENCE wins, on a
            // tie the later one.
            let key = rid.instance_key();
            match entry.2.iter().position(|o: &&Event| o.recurrence_id.map(|r| r.instance_key()) == Some(key.clone())) {
                Some(i) if e.sequence >= entry.2[i].sequence => entry.2[i] = e,
                Some(_) => {}
                None => entry.2.push(e),
            }
        } else if entry.1.is_none_or(|kept| e.sequence >= kept.sequence) {
            // Two masters with one UID (an update appended to the file): the organiser's
            // latest, by SEQUENCE, wins; on a tie the later one.
            entry.1 = Some(e);
        }
    }
    let mut occurrences = Vec::new();
    let mut failures = Vec::new();
    for uid in order {
        let (first, master, overrides) = &series[uid];
        let before = occurrences.len();
        if let Err(e) = expand_series_into(&mut occurrences, *master, overrides, window, placement) {
            // Nothing half-expanded is kept of a series that failed.
            occurrences.truncate(before);
            failures.push((*first, e));
        }
    }
    (occurrences, failures)
}

/// An event's length: DTEND - DTSTART, else DURATION, else RFC 5545's default (one day for a
/// date, zero for a date-time).
#[derive(Clone, Copy, Debug)]
enum Length {
    Days(i64),
    Exact(Duration),
}

fn nominal_length(event: &Event, placement: Tz) -> Length {
    // An all-day event covers whole days: through the day a date-time DTEND or an hours
    // DURATION reaches into (RFC 5545 wants DTEND to be a date too; Outlook and scripts differ).
    let whole_days = |secs: i64| Length::Days(((secs + 86_399).div_euclid(86_400)).max(1));
    match (event.start, event.end) {
        (EventTime::Date { date: s }, Some(EventTime::Date { date: e })) => Length::Days((e - s).num_days().max(1)),
        (start @ EventTime::Date { .. }, Some(end)) => {
            whole_days((end.to_utc(placement) - start.to_utc(placement)).num_seconds())
        }
        (EventTime::Date { .. }, None) => match event.duration_seconds {
            Some(secs) => whole_days(secs),
            None => Length::Days(1),
        },
        (start, Some(end)) => {
            let d = end.to_utc(placement) - start.to_utc(placement);
            Length::Exact(if d < Duration::zero() { Duration::zero() } else { d })
        }
        (_, None) => Length::Exact(Duration::seconds(event.duration_seconds.unwrap_or(0).max(0))),
    }
}

fn end_of(start: EventTime, length: Length) -> EventTime {
    match (start, length) {
        (EventTime::Date { date }, Length::Days(n)) => EventTime::Date { date: date + Duration::days(n) },
        (EventTime::Date { date }, Length::Exact(d)) => {
            EventTime::Date { date: date + Duration::days(d.num_days().max(1)) }
        }
        (EventTime::Floating { local }, l) => EventTime::Floating { local: local + as_duration(l) },
        (EventTime::Zoned { zone, .. }, l) => {
            // Exact duration: a 1-hour meeting at 01:30 on a fall-back night ends at 02:30 the first time round.
            let end_utc = start.to_utc(zone) + as_duration(l);
            EventTime::Zoned { local: local_in(zone, end_utc), zone }
        }
        (EventTime::Utc { instant }, l) => EventTime::Utc { instant: instant + as_duration(l) },
    }
}

/// DTEND may be written in another zone than DTSTART (a flight leaves in New York time and lands
/// in London time); each instance's end is given in DTEND's zone, as written.
fn in_zone_of(end: EventTime, written: Option<EventTime>) -> EventTime {
    let instant = match end {
        EventTime::Zoned { .. } | EventTime::Utc { .. } => end.to_utc(chrono_tz::UTC),
        _ => return end,
    };
    match written {
        Some(EventTime::Zoned { zone, .. }) => EventTime::Zoned { local: local_in(zone, instant), zone },
        Some(EventTime::Utc { .. }) => EventTime::Utc { instant },
        _ => end,
    }
}

fn as_duration(l: Length) -> Duration {
    match l {
        Length::Days(n) => Duration::days(n),
        Length::Exact(d) => d,
    }
}

/// What every instance of one VEVENT shares, made once per event rather than per instance.
struct Shared {
    uid: Arc<str>,
    summary: Arc<str>,
    location: Option<Arc<str>>,
    organizer: Option<Arc<Participant>>,
    attendees: Arc<[Attendee]>,
    alarms: Arc<[Alarm]>,
}

impl Shared {
    fn of(e: &Event) -> Self {
        Self {
            uid: Arc::from(e.uid.as_str()),
            summary: Arc::from(e.summary.as_str()),
            location: e.location.as_deref().map(Arc::from),
            organizer: e.organizer.clone().map(Arc::new),
            attendees: Arc::from(e.attendees.as_slice()),
            alarms: Arc::from(e.alarms.as_slice()),
        }
    }
}

/// An instance's start with its instant (`time.to_utc(placement)`), found together so that the
/// wall clock is resolved in its zone once per instance, not at every step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Start {
    time: EventTime,
    at: DateTime<Utc>,
}

impl Start {
    fn of(time: EventTime, placement: Tz) -> Self {
        Self { time, at: time.to_utc(placement) }
    }
}

#[allow(clippy::too_many_arguments)]
fn push_if_overlapping(
    out: &mut Vec<Occurrence>,
    event: &Event,
    shared: &Shared,
    start: Start,
    recurrence_id: Option<EventTime>,
    length: Length,
    window: TimeWindow,
    placement: Tz,
) {
    if event.status == EventStatus::Cancelled {
        return;
    }
    let Start { time: start, at: start_utc } = start;
    // A cheap test first: an instance that starts after the window cannot overlap it.
    if start_utc >= window.end {
        return;
    }
    let (end, end_utc) = match (start, length) {
        // Exact lengths from an absolute start: the end instant is start + length; only its
        // wall-clock form needs a conversion (one, not two).
        (EventTime::Zoned { .. } | EventTime::Utc { .. }, Length::Exact(d)) => {
            let end_utc = start_utc + d;
            let end = match event.end {
                Some(EventTime::Zoned { zone, .. }) => EventTime::Zoned { local: local_in(zone, end_utc), zone },
                Some(EventTime::Utc { .. }) => EventTime::Utc { instant: end_utc },
                _ => match start {
                    EventTime::Zoned { zone, .. } => EventTime::Zoned { local: local_in(zone, end_utc), zone },
                    _ => EventTime::Utc { instant: end_utc },
                },
            };
            (end, end_utc)
        }
        _ => {
            let end = in_zone_of(end_of(start, length), event.end);
            (end, end.to_utc(placement))
        }
    };
    if !window.overlaps(start_utc, end_utc) {
        return;
    }
    out.push(Occurrence {
        uid: shared.uid.clone(),
        recurrence_id,
        sequence: event.sequence,
        summary: shared.summary.clone(),
        location: shared.location.clone(),
        start,
        end,
        start_utc,
        end_utc,
        all_day: start.is_date(),
        recurring: recurrence_id.is_some(),
        status: event.status,
        transparency: event.transparency,
        organizer: shared.organizer.clone(),
        attendees: shared.attendees.clone(),
        alarms: shared.alarms.clone(),
    });
}

/// The zone the rule is expanded in, and how to read an expanded instant back as an [`EventTime`].
#[derive(Clone, Copy)]
enum Frame {
    /// Dates and floating times: expanded as UTC wall-clock values.
    Wall {
        dates: bool,
    },
    Zoned(Tz),
    Utc,
}

impl Frame {
    fn of(start: EventTime) -> Self {
        match start {
            EventTime::Date { .. } => Frame::Wall { dates: true },
            EventTime::Floating { .. } => Frame::Wall { dates: false },
            EventTime::Zoned { zone, .. } => Frame::Zoned(zone),
            EventTime::Utc { .. } => Frame::Utc,
        }
    }

    fn rrule_tz(self) -> rrule::Tz {
        match self {
            Frame::Zoned(zone) => rrule::Tz::Tz(zone),
            _ => rrule::Tz::UTC,
        }
    }

    /// `value` in this frame's terms, as the rrule crate wants it.
    fn to_rrule(self, value: EventTime) -> DateTime<rrule::Tz> {
        let tz = self.rrule_tz();
        match (self, value) {
            (Frame::Wall { .. }, EventTime::Date { date }) => wall(tz, date.and_time(chrono::NaiveTime::MIN)),
            (Frame::Wall { .. }, EventTime::Floating { local }) => wall(tz, local),
            // A zoned or UTC value in a floating series (unusual, but written): keep its wall clock.
            (Frame::Wall { .. }, other) => wall(tz, other.to_utc(chrono_tz::UTC).naive_utc()),
            // A date or floating EXDATE/RDATE in a zoned series means that wall-clock time
            // where the series is (Thunderbird and Radicale users write these).
            (Frame::Zoned(zone), v @ (EventTime::Date { .. } | EventTime::Floating { .. })) => {
                v.to_utc(zone).with_timezone(&tz)
            }
            (_, v) => v.to_utc(chrono_tz::UTC).with_timezone(&tz),
        }
    }

    /// How far `to` lies from `from` on this frame's wall clock (a moved 09:00 meeting keeps
    /// moving 09:00 meetings after a DST change, as the organiser sees it).
    fn wall_shift(self, from: EventTime, to: EventTime) -> Duration {
        self.to_rrule(to).naive_local() - self.to_rrule(from).naive_local()
    }

    fn shifted(self, start: EventTime, shift: Duration) -> EventTime {
        if shift.is_zero() {
            return start;
        }
        self.read_back(wall_in(self, self.to_rrule(start).naive_local() + shift))
    }

    /// An instance at `wall`, its wall clock where it happens (for a zoned series: as the
    /// instant reads in the zone, past a gap), and `instant`, what it resolved to.
    fn at_wall(self, wall: NaiveDateTime, instant: DateTime<Utc>) -> EventTime {
        match self {
            Frame::Wall { dates: true } => EventTime::Date { date: wall.date() },
            Frame::Wall { dates: false } => EventTime::Floating { local: wall },
            Frame::Zoned(zone) => EventTime::Zoned { local: wall, zone },
            Frame::Utc => EventTime::Utc { instant },
        }
    }

    /// An instance with its instant in `placement`: `found` is the instant the rule resolved it
    /// to, exact for zoned and UTC series; dates and floating times are placed in `placement`.
    fn start(self, time: EventTime, found: DateTime<Utc>, placement: Tz) -> Start {
        match self {
            Frame::Wall { .. } => Start::of(time, placement),
            Frame::Zoned(_) | Frame::Utc => Start { time, at: found },
        }
    }

    fn read_back(self, value: DateTime<rrule::Tz>) -> EventTime {
        match self {
            Frame::Wall { dates: true } => EventTime::Date { date: value.naive_local().date() },
            Frame::Wall { dates: false } => EventTime::Floating { local: value.naive_local() },
            Frame::Zoned(zone) => EventTime::Zoned { local: value.naive_local(), zone },
            Frame::Utc => EventTime::Utc { instant: value.with_timezone(&Utc) },
        }
    }
}

fn wall(tz: rrule::Tz, local: NaiveDateTime) -> DateTime<rrule::Tz> {
    tz.from_utc_datetime(&local)
}

fn instance_starts(
    master: &Event,
    window: TimeWindow,
    length: Length,
    placement: Tz,
) -> Result<Vec<Start>, ExpandError> {
    if let Some(starts) = simple_instance_starts(master, window, length, placement) {
        return Ok(starts);
    }
    instance_starts_by_crate(master, window, length, placement)
}

/// The window `[after, before]` in which instances are looked for: widened by the event's
/// length, and by a day for dates and floating times, which are placed in `placement` later and
/// can move by up to 14 hours. Zoned and UTC instances are exact.
fn search_bounds(
    frame: Frame,
    window: TimeWindow,
    length: Length,
    placement: Tz,
) -> (DateTime<rrule::Tz>, DateTime<rrule::Tz>) {
    let placement_slack = match frame {
        Frame::Wall { .. } => Duration::days(1),
        _ => Duration::zero(),
    };
    let after = window.start - placement_slack - as_duration(length);
    let before = window.end + placement_slack;
    let tz = frame.rrule_tz();
    match frame {
        Frame::Wall { .. } => (wall(tz, local_in(placement, after)), wall(tz, local_in(placement, before))),
        _ => (after.with_timezone(&tz), before.with_timezone(&tz)),
    }
}

/// Instances of a series whose one rule is simple (see [`super::simple_rule`]), without the
/// rrule crate: `None` when the rule is not simple. Same answers as
/// [`instance_starts_by_crate`], checked by a property test.
fn simple_instance_starts(master: &Event, window: TimeWindow, length: Length, placement: Tz) -> Option<Vec<Start>> {
    let [rule] = master.rrules.as_slice() else { return None };
    if !rule.is_ascii() {
        return None;
    }
    let frame = Frame::of(master.start);
    let start = frame.to_rrule(master.start);
    let simple = super::simple_rule::SimpleRule::parse(&normalise_rule(rule, frame, start.naive_local().weekday()))?;
    // Every comparison is on instants, as the crate's are: a wall clock is resolved in the
    // series' zone (RFC 5545's reading of gaps and overlaps), or read as UTC in the other frames.
    let instant = |wall: NaiveDateTime| -> DateTime<Utc> {
        match frame {
            Frame::Zoned(zone) => crate::time::resolve_local(zone, wall),
            _ => wall.and_utc(),
        }
    };
    // An instance's instant and its wall clock: the one written unless it falls in a gap.
    let instance = |wall: NaiveDateTime| -> (DateTime<Utc>, NaiveDateTime) {
        match frame {
            Frame::Zoned(zone) => match crate::time::resolve_local_exact(zone, wall) {
                (t, true) => (t, wall),
                (t, false) => (t, local_in(zone, t)),
            },
            _ => (wall.and_utc(), wall),
        }
    };
    let (after, before) = search_bounds(frame, window, length, placement);
    let (after, before) = (after.with_timezone(&Utc), before.with_timezone(&Utc));
    let until = simple.until.map(|u| u.and_utc());
    // Walls a day either side of the instants: the rule's arithmetic is on wall clocks.
    let wall_of = |t: DateTime<Utc>| match frame {
        Frame::Zoned(zone) => local_in(zone, t),
        _ => t.naive_utc(),
    };
    let walls = simple.walls(
        start.naive_local(),
        wall_of(after) - Duration::days(1),
        wall_of(before) + Duration::days(1),
        |w| until.is_none_or(|u| instant(w) <= u),
        MAX_INSTANCES_PER_WINDOW + 2,
    );
    // Sorted vectors, not hash sets: most series have no EXDATE or a few, and hashing every
    // instance against an empty set was a measurable share of a year's expansion.
    let mut excluded_days: Vec<chrono::NaiveDate> = match frame {
        Frame::Wall { dates: true } => Vec::new(),
        _ => master
            .exdates
            .iter()
            .filter_map(|x| if let EventTime::Date { date } = x { Some(*date) } else { None })
            .collect(),
    };
    excluded_days.sort_unstable();
    let mut excluded: Vec<DateTime<Utc>> = master
        .exdates
        .iter()
        .filter(|x| excluded_days.is_empty() || !x.is_date())
        .map(|x| frame.to_rrule(*x).with_timezone(&Utc))
        .collect();
    excluded.sort_unstable();
    let mut found: Vec<(DateTime<Utc>, NaiveDateTime)> = walls
        .into_iter()
        .chain(std::iter::once(start.naive_local()))
        .chain(master.rdates.iter().map(|r| frame.to_rrule(*r).naive_local()))
        .map(instance)
        .filter(|(t, w)| {
            *t >= after
                && *t <= before
                && (excluded.is_empty() || excluded.binary_search(t).is_err())
                && (excluded_days.is_empty() || excluded_days.binary_search(&w.date()).is_err())
        })
        .collect();
    found.sort();
    found.dedup_by_key(|(t, _)| *t);
    found.truncate(MAX_INSTANCES_PER_WINDOW);
    Some(found.into_iter().map(|(t, w)| frame.start(frame.at_wall(w, t), t, placement)).collect())
}

fn instance_starts_by_crate(
    master: &Event,
    window: TimeWindow,
    length: Length,
    placement: Tz,
) -> Result<Vec<Start>, ExpandError> {
    let frame = Frame::of(master.start);
    let original_start = frame.to_rrule(master.start);
    // The rule is run from a later start when that cannot change its instances (see
    // `fast_forward`), so an open-ended series from 1990 costs the same as one from last week.
    let target = window.start - Duration::days(1) - as_duration(length);
    let target_wall = match frame {
        Frame::Wall { .. } => local_in(placement, target),
        Frame::Zoned(zone) => local_in(zone, target),
        Frame::Utc => target.naive_utc(),
    };
    let (dtstart, rules) = match fast_forward(&master.rrules, original_start.naive_local(), target_wall) {
        FastForward::Keep => (original_start, master.rrules.as_slice()),
        FastForward::StartAt(local) => (wall_in(frame, local), master.rrules.as_slice()),
        FastForward::EndedBefore => (original_start, &[][..]),
    };
    let mut set = RRuleSet::new(dtstart);
    for rule in rules {
        if !rule.is_ascii() {
            // The rrule crate slices BYDAY values by bytes and panics on other characters;
            // RFC 5545 rules are ASCII, so anything else is refused here.
            return Err(ExpandError::InvalidRule {
                uid: master.uid.clone(),
                rule: rule.clone(),
                reason: "a rule is ASCII only".into(),
            });
        }
        let rule = &normalise_rule(rule, frame, original_start.naive_local().weekday());
        if ends_before(rule, original_start) {
            // UNTIL before DTSTART: the rule adds nothing, DTSTART is still the one instance
            // (RFC 5545 counts it). The crate would refuse the whole series.
            continue;
        }
        let parsed: RRule<Unvalidated> = rule.parse().map_err(|e: rrule::RRuleError| ExpandError::InvalidRule {
            uid: master.uid.clone(),
            rule: rule.clone(),
            reason: e.to_string(),
        })?;
        let valid = parsed.validate(dtstart).map_err(|e| ExpandError::InvalidRule {
            uid: master.uid.clone(),
            rule: rule.clone(),
            reason: e.to_string(),
        })?;
        set = set.rrule(valid);
    }
    // RFC 5545: DTSTART is the first instance even when the rule would not produce it.
    set = set.rdate(original_start);
    for r in &master.rdates {
        set = set.rdate(frame.to_rrule(*r));
    }
    // An EXDATE written as a date in a timed series removes that day's instances.
    let excluded_days: HashSet<chrono::NaiveDate> = match frame {
        Frame::Wall { dates: true } => HashSet::new(),
        _ => master
            .exdates
            .iter()
            .filter_map(|x| match x {
                EventTime::Date { date } => Some(*date),
                _ => None,
            })
            .collect(),
    };
    for x in master.exdates.iter().filter(|x| excluded_days.is_empty() || !x.is_date()) {
        set = set.exdate(frame.to_rrule(*x));
    }
    let (after, before) = search_bounds(frame, window, length, placement);
    // Walk the instances in order rather than asking the crate for "the first N after": a
    // count limit would be spent on instances before the window for sub-daily rules.
    // `limit` stops a rule that can never match (BYMONTHDAY=30;BYMONTH=2) after the crate's
    // 100,000 empty periods instead of looping for ever.
    let set = set.limit();
    let mut starts: Vec<Start> = Vec::new();
    for d in &set {
        if d > before || starts.len() >= MAX_INSTANCES_PER_WINDOW {
            break;
        }
        if d >= after && !excluded_days.contains(&d.naive_local().date()) {
            starts.push(frame.start(frame.read_back(d), d.with_timezone(&Utc), placement));
        }
    }
    starts.dedup();
    Ok(starts)
}

/// Rewrites a rule into what the rrule crate expands the way RFC 5545 reads it:
/// - a COUNT of zero or less is dropped (some servers write COUNT=-1 for "no count");
/// - UNTIL becomes a `Z` value in the frame's terms. Real files write UNTIL as a date, as a
///   floating time, or in UTC, whatever DTSTART is; RFC 5545 reads a date or floating UNTIL in
///   DTSTART's own terms. The crate wants UTC for zoned and UTC starts and reads our
///   date/floating frames as UTC wall clocks;
/// - an all-day series ignores BYHOUR/BYMINUTE/BYSECOND (a date has no time to expand);
/// - YEARLY with BYWEEKNO but no BYDAY/BYMONTHDAY/BYYEARDAY takes DTSTART's weekday, as RFC
///   5545 derives missing parts from DTSTART; the crate (like python-dateutil) would yield all
///   seven days of the week, libical and ical.net one.
fn normalise_rule(rule: &str, frame: Frame, start_weekday: chrono::Weekday) -> String {
    let key_of = |part: &str| part.split_once('=').map(|(k, _)| k.trim().to_ascii_uppercase()).unwrap_or_default();
    let keys: Vec<String> = rule.split(';').map(key_of).collect();
    let has = |k: &str| keys.iter().any(|x| x == k);
    let yearly = rule.to_ascii_uppercase().contains("FREQ=YEARLY");
    let mut parts: Vec<String> = rule
        .split(';')
        .filter(|part| match part.split_once('=') {
            Some((key, value)) if key.trim().eq_ignore_ascii_case("COUNT") => {
                value.trim().parse::<i64>().map_or(true, |n| n > 0)
            }
            Some((key, _)) if matches!(frame, Frame::Wall { dates: true }) => {
                !matches!(key.trim().to_ascii_uppercase().as_str(), "BYHOUR" | "BYMINUTE" | "BYSECOND")
            }
            _ => true,
        })
        .map(|part| {
            let Some((key, value)) = part.split_once('=') else { return part.to_string() };
            if !key.trim().eq_ignore_ascii_case("UNTIL") {
                return part.to_string();
            }
            let v = value.trim();
            let (body, is_utc) = match v.strip_suffix(['Z', 'z']) {
                Some(b) => (b, true),
                None => (v, false),
            };
            let local = NaiveDateTime::parse_from_str(body, "%Y%m%dT%H%M%S").ok().or_else(|| {
                // A date UNTIL includes that whole day.
                chrono::NaiveDate::parse_from_str(body, "%Y%m%d").ok().and_then(|d| d.and_hms_opt(23, 59, 59))
            });
            let Some(local) = local else { return part.to_string() };
            let utc = match frame {
                Frame::Wall { .. } => local,
                Frame::Zoned(zone) if !is_utc => crate::time::resolve_local(zone, local).naive_utc(),
                _ => local,
            };
            format!("UNTIL={}", utc.format("%Y%m%dT%H%M%SZ"))
        })
        .collect();
    if yearly && has("BYWEEKNO") && !has("BYDAY") && !has("BYMONTHDAY") && !has("BYYEARDAY") {
        let day = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][start_weekday.num_days_from_monday() as usize];
        parts.push(format!("BYDAY={day}"));
    }
    parts.join(";")
}

/// Whether a normalised rule's UNTIL (a `Z` value in the frame's terms) lies before `start`.
fn ends_before(rule: &str, start: DateTime<rrule::Tz>) -> bool {
    rule.split(';')
        .find_map(|p| p.strip_prefix("UNTIL="))
        .and_then(|u| NaiveDateTime::parse_from_str(u.trim_end_matches('Z'), "%Y%m%dT%H%M%S").ok())
        .is_some_and(|until| until.and_utc() < start.with_timezone(&Utc))
}

/// A local wall-clock value in the frame's terms.
fn wall_in(frame: Frame, local: NaiveDateTime) -> DateTime<rrule::Tz> {
    match frame {
        Frame::Zoned(zone) => {
            let utc = crate::time::resolve_local(zone, local);
            utc.with_timezone(&rrule::Tz::Tz(zone))
        }
        _ => wall(rrule::Tz::UTC, local),
    }
}

#[derive(Debug, PartialEq, Eq)]
enum FastForward {
    Keep,
    StartAt(NaiveDateTime),
    /// The rule's UNTIL lies before the window: the rule adds nothing to it.
    EndedBefore,
}

/// Where a single RRULE may start instead of DTSTART without changing any instance at or after
/// `target`: a whole number of periods (`INTERVAL` x the frequency's unit) later. Only for rules
/// without COUNT (COUNT counts from the real start). MONTHLY and YEARLY rules move by whole
/// months or years, and only from a day of the month every month has (the 29th to 31st would
/// land on days some months lack); the fuzzer found a yearly rule from the year 1013 that took
/// the crate seconds to walk to this week.
/// Why by hand: the rrule crate always iterates from DTSTART, so asking a daily series from 1990
/// about next week walks 13,000 days, and a SECONDLY one never finishes.
fn fast_forward(rules: &[String], start: NaiveDateTime, target: NaiveDateTime) -> FastForward {
    let [rule] = rules else { return FastForward::Keep };
    if target <= start {
        return FastForward::Keep;
    }
    let mut unit = None;
    let mut months: Option<i64> = None;
    let mut interval: i64 = 1;
    let mut limit = target;
    for part in rule.split(';') {
        let (key, value) = part.split_once('=').unwrap_or((part, ""));
        match key.trim().to_ascii_uppercase().as_str() {
            "FREQ" => {
                unit = match value.trim().to_ascii_uppercase().as_str() {
                    "SECONDLY" => Some(1),
                    "MINUTELY" => Some(60),
                    "HOURLY" => Some(3_600),
                    "DAILY" => Some(86_400),
                    "WEEKLY" => Some(7 * 86_400),
                    _ => None,
                };
                months = match value.trim().to_ascii_uppercase().as_str() {
                    "MONTHLY" => Some(1),
                    "YEARLY" => Some(12),
                    _ => None,
                };
            }
            "INTERVAL" => interval = value.trim().parse().unwrap_or(1).max(1),
            "COUNT" => return FastForward::Keep,
            "UNTIL" => {
                let v = value.trim().trim_end_matches(['Z', 'z']);
                let until = NaiveDateTime::parse_from_str(v, "%Y%m%dT%H%M%S").ok().or_else(|| {
                    chrono::NaiveDate::parse_from_str(v, "%Y%m%d").ok().map(|d| d.and_time(chrono::NaiveTime::MIN))
                });
                // A day's slack covers UNTIL being in UTC while the rule runs in local time.
                if until.is_some_and(|u| u + Duration::days(1) < target) {
                    return FastForward::EndedBefore;
                }
                // The new start must not pass UNTIL (the crate refuses such a rule): stay a day
                // short of it, which is before it in any zone.
                if let Some(u) = until {
                    limit = limit.min(u - Duration::days(1));
                }
            }
            _ => {}
        }
    }
    if let Some(months) = months {
        if start.day() > 28 {
            return FastForward::Keep;
        }
        let step = months * interval;
        let between = i64::from(limit.year() - start.year()) * 12 + i64::from(limit.month()) - i64::from(start.month());
        // One period short of the limit: the limit's own month may start after the instance.
        let periods = between / step - 1;
        if periods <= 0 {
            return FastForward::Keep;
        }
        return match u32::try_from(periods * step).ok().and_then(|m| start.checked_add_months(chrono::Months::new(m))) {
            Some(later) => FastForward::StartAt(later),
            None => FastForward::Keep,
        };
    }
    let Some(unit) = unit else { return FastForward::Keep };
    let period = unit * interval;
    let periods = (limit - start).num_seconds() / period;
    if periods <= 0 {
        return FastForward::Keep;
    }
    FastForward::StartAt(start + Duration::seconds(periods * period))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use chrono_tz::{America::New_York, Europe::London};

    fn zoned(y: i32, m: u32, d: u32, h: u32, min: u32, zone: Tz) -> EventTime {
        EventTime::Zoned { local: NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, min, 0).unwrap(), zone }
    }

    fn weekly_standup() -> Event {
        let mut e = Event::new("standup@test", "Standup", zoned(2026, 3, 2, 9, 0, New_York));
        e.end = Some(zoned(2026, 3, 2, 9, 30, New_York));
        e.rrules = vec!["FREQ=WEEKLY;BYDAY=MO".into()];
        e
    }

    fn window(from: &str, to: &str) -> TimeWindow {
        TimeWindow::new(from.parse().unwrap(), to.parse().unwrap())
    }

    #[test]
    fn a_window_opening_the_day_after_a_series_until_finds_nothing_rather_than_failing() {
        // Found by the property test: the fast-forward moved DTSTART (15:30) past UNTIL (12:00
        // the same day) and the crate refused the whole series.
        let start: DateTime<Utc> = "2026-03-02T15:30:00Z".parse().unwrap();
        let mut e = Event::new("daily@test", "Daily", EventTime::Utc { instant: start });
        // BYHOUR keeps the rule off the fast path: this is the crate's path.
        e.rrules = vec!["FREQ=DAILY;BYHOUR=15;UNTIL=20260614T120000Z".into()];
        let after = window("2026-06-15T21:00:00Z", "2026-06-17T00:00:00Z");
        assert_eq!(expand_series(Some(&e), &[], after, New_York).unwrap(), vec![]);
        let last = window("2026-06-13T00:00:00Z", "2026-06-17T00:00:00Z");
        let starts: Vec<String> = expand_series(Some(&e), &[], last, New_York)
            .unwrap()
            .iter()
            .map(|o| o.start.to_contract_string())
            .collect();
        assert_eq!(starts, ["2026-06-13T15:30:00Z"], "the 14th's 15:30 is after UNTIL");
    }

    #[test]
    fn a_yearly_rule_from_a_thousand_years_ago_is_asked_about_this_week_without_walking_the_millennium() {
        // Found by the fuzzer (seconds under its instrumentation): BYDAY keeps it on the crate's path.
        let local = NaiveDate::from_ymd_opt(1013, 6, 1).unwrap().and_hms_opt(15, 0, 0).unwrap();
        let mut e = Event::new("old@test", "Old", EventTime::Floating { local });
        e.rrules = vec!["FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU".into()];
        let w = window("2026-03-23T00:00:00Z", "2026-03-30T00:00:00Z");
        let got: Vec<String> =
            expand_series(Some(&e), &[], w, London).unwrap().iter().map(|o| o.start.to_contract_string()).collect();
        assert_eq!(got, ["2026-03-29T15:00:00"], "the last Sunday of March");
        // Moved by whole years, and every other year stays on its own years.
        e.rrules = vec!["FREQ=YEARLY;INTERVAL=2;BYMONTH=3;BYDAY=-1SU".into()];
        assert!(expand_series(Some(&e), &[], w, London).unwrap().is_empty(), "1013 + 2k is never 2026");
        let w = window("2027-03-22T00:00:00Z", "2027-03-29T00:00:00Z");
        assert_eq!(expand_series(Some(&e), &[], w, London).unwrap().len(), 1, "but 2027 is");
        // A monthly rule from the 31st is not moved (months without one), and still right.
        let local = NaiveDate::from_ymd_opt(1990, 1, 31).unwrap().and_hms_opt(9, 0, 0).unwrap();
        let mut m = Event::new("m@test", "M", EventTime::Floating { local });
        m.rrules = vec!["FREQ=MONTHLY;BYDAY=MO;BYSETPOS=-1".into()];
        let w = window("2026-03-23T00:00:00Z", "2026-04-01T00:00:00Z");
        assert_eq!(expand_series(Some(&m), &[], w, London).unwrap().len(), 1, "the last Monday of March 2026");
    }

    #[test]
    fn a_weekly_series_keeps_its_wall_clock_time_across_the_dst_change() {
        let e = weekly_standup();
        let occ =
            expand_series(Some(&e), &[], window("2026-03-01T00:00:00Z", "2026-03-17T00:00:00Z"), New_York).unwrap();
        let starts: Vec<String> = occ.iter().map(|o| o.start.to_contract_string()).collect();
        assert_eq!(starts, ["2026-03-02T09:00:00-05:00", "2026-03-09T09:00:00-04:00", "2026-03-16T09:00:00-04:00"]);
        assert_eq!(occ[1].end.to_contract_string(), "2026-03-09T09:30:00-04:00");
    }

    #[test]
    fn an_override_replaces_its_instance_and_an_exdate_removes_one() {
        let mut master = weekly_standup();
        master.exdates = vec![zoned(2026, 3, 16, 9, 0, New_York)];
        let mut moved = Event::new("standup@test", "Standup (moved)", zoned(2026, 3, 10, 14, 0, New_York));
        moved.recurrence_id = Some(EventTime::Utc { instant: "2026-03-09T13:00:00Z".parse().unwrap() });
        moved.end = Some(zoned(2026, 3, 10, 14, 30, New_York));
        let occ =
            expand_series(Some(&master), &[&moved], window("2026-03-01T00:00:00Z", "2026-03-20T00:00:00Z"), New_York)
                .unwrap();
        let got: Vec<(String, String)> =
            occ.iter().map(|o| (o.summary.to_string(), o.start.to_contract_string())).collect();
        assert_eq!(
            got,
            [
                ("Standup".to_string(), "2026-03-02T09:00:00-05:00".to_string()),
                ("Standup (moved)".to_string(), "2026-03-10T14:00:00-04:00".to_string()),
            ]
        );
    }

    #[test]
    fn a_this_and_future_override_moves_every_later_instance_until_the_next_one() {
        // Daily 12:00-14:00 UTC; from the 13th everything moves to 09:00 for 7 hours; from the
        // 21st it moves +2h22m instead. The 15th has its own override, which wins.
        let utc = |s: &str| EventTime::Utc { instant: s.parse().unwrap() };
        let mut master = Event::new("210", "Original", utc("2024-09-01T12:00:00Z"));
        master.end = Some(utc("2024-09-01T14:00:00Z"));
        master.rrules = vec!["FREQ=DAILY;INTERVAL=2;UNTIL=20250920".into()];
        let mut from_13 = Event::new("210", "Modified", utc("2024-09-13T09:00:00Z"));
        from_13.end = Some(utc("2024-09-13T16:00:00Z"));
        from_13.recurrence_id = Some(utc("2024-09-13T12:00:00Z"));
        from_13.this_and_future = true;
        let mut only_15 = Event::new("210", "Single", utc("2024-09-15T17:00:00Z"));
        only_15.end = Some(utc("2024-09-15T19:00:00Z"));
        only_15.recurrence_id = Some(utc("2024-09-15T12:00:00Z"));
        let mut from_21 = Event::new("210", "Edited", utc("2024-09-22T14:22:00Z"));
        from_21.end = Some(utc("2024-09-22T16:13:00Z"));
        from_21.recurrence_id = Some(utc("2024-09-21T12:00:00Z"));
        from_21.this_and_future = true;
        let occ = expand_series(
            Some(&master),
            &[&from_13, &only_15, &from_21],
            window("2024-09-11T00:00:00Z", "2024-09-25T00:00:00Z"),
            chrono_tz::UTC,
        )
        .unwrap();
        let got: Vec<String> = occ
            .iter()
            .map(|o| format!("{} {}..{}", o.summary, o.start.to_contract_string(), o.end.to_contract_string()))
            .collect();
        assert_eq!(
            got,
            [
                "Original 2024-09-11T12:00:00Z..2024-09-11T14:00:00Z",
                "Modified 2024-09-13T09:00:00Z..2024-09-13T16:00:00Z",
                "Single 2024-09-15T17:00:00Z..2024-09-15T19:00:00Z",
                "Modified 2024-09-17T09:00:00Z..2024-09-17T16:00:00Z",
                "Modified 2024-09-19T09:00:00Z..2024-09-19T16:00:00Z",
                "Edited 2024-09-22T14:22:00Z..2024-09-22T16:13:00Z",
                "Edited 2024-09-24T14:22:00Z..2024-09-24T16:13:00Z",
            ]
        );
        assert_eq!(occ[3].recurrence_id.unwrap().to_contract_string(), "2024-09-17T12:00:00Z");
    }

    #[test]
    fn an_override_of_an_excluded_or_withdrawn_instance_is_dropped() {
        let d = |day: u32| EventTime::Date { date: NaiveDate::from_ymd_opt(2024, 7, day).unwrap() };
        let mut master = Event::new("111", "Trip", d(1));
        master.rrules = vec!["FREQ=WEEKLY;INTERVAL=2;BYDAY=MO".into()];
        master.exdates = vec![d(15)];
        master.sequence = 3;
        let mut moved = Event::new("111", "Trip (moved)", d(16));
        moved.recurrence_id = Some(d(15));
        moved.sequence = 2;
        let w = window("2024-07-01T00:00:00Z", "2024-08-01T00:00:00Z");
        let summaries = |occ: Vec<Occurrence>| occ.iter().map(|o| o.summary.to_string()).collect::<Vec<_>>();
        assert_eq!(summaries(expand_series(Some(&master), &[&moved], w, chrono_tz::UTC).unwrap()), ["Trip", "Trip"]);
        // An EXDATE deletes the instance whatever the override's SEQUENCE.
        moved.sequence = 4;
        assert_eq!(summaries(expand_series(Some(&master), &[&moved], w, chrono_tz::UTC).unwrap()), ["Trip", "Trip"]);
        // Without the EXDATE, an override older than a master whose rule no longer has the
        // instance is dropped, and a newer one stands (an added instance).
        master.exdates.clear();
        master.rrules = vec!["FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;UNTIL=20240710".into()];
        moved.recurrence_id = Some(d(15));
        moved.sequence = 2;
        assert_eq!(summaries(expand_series(Some(&master), &[&moved], w, chrono_tz::UTC).unwrap()), ["Trip"]);
        moved.sequence = 3;
        assert_eq!(
            summaries(expand_series(Some(&master), &[&moved], w, chrono_tz::UTC).unwrap()),
            ["Trip", "Trip (moved)"]
        );
    }

    #[test]
    fn an_all_day_override_named_by_a_local_midnight_replaces_that_days_instance() {
        let d = |m: u32, day: u32| EventTime::Date { date: NaiveDate::from_ymd_opt(2020, m, day).unwrap() };
        let mut master = Event::new("bin", "Refuse bin", d(4, 2));
        master.rrules = vec!["FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;COUNT=3".into()];
        let mut moved = Event::new("bin", "Refuse bin (Friday)", d(4, 17));
        moved.recurrence_id = Some(zoned(2020, 4, 16, 0, 0, London));
        let occ =
            expand_series(Some(&master), &[&moved], window("2020-04-01T00:00:00Z", "2020-05-01T00:00:00Z"), London)
                .unwrap();
        let got: Vec<String> = occ.iter().map(|o| o.start.to_contract_string()).collect();
        assert_eq!(got, ["2020-04-02", "2020-04-17", "2020-04-30"]);
    }

    #[test]
    fn a_cancelled_override_hides_its_instance() {
        let master = weekly_standup();
        let mut cancelled = Event::new("standup@test", "Standup", zoned(2026, 3, 9, 9, 0, New_York));
        cancelled.recurrence_id = Some(zoned(2026, 3, 9, 9, 0, New_York));
        cancelled.status = EventStatus::Cancelled;
        let occ = expand_series(
            Some(&master),
            &[&cancelled],
            window("2026-03-08T00:00:00Z", "2026-03-10T00:00:00Z"),
            New_York,
        )
        .unwrap();
        assert!(occ.is_empty(), "{occ:?}");
    }

    #[test]
    fn an_open_ended_daily_series_from_1990_answers_for_one_week() {
        let mut e = Event::new("daily@test", "Daily", zoned(1990, 1, 1, 8, 0, London));
        e.duration_seconds = Some(900);
        e.rrules = vec!["FREQ=DAILY".into()];
        let occ = expand_series(Some(&e), &[], window("2026-06-01T00:00:00Z", "2026-06-08T00:00:00Z"), London).unwrap();
        assert_eq!(occ.len(), 7);
        assert_eq!(occ[0].start.to_contract_string(), "2026-06-01T08:00:00+01:00");
    }

    #[test]
    fn a_secondly_series_from_1997_answers_for_one_minute_without_walking_thirty_years() {
        let mut e =
            Event::new("tick@test", "Tick", EventTime::Utc { instant: "1997-09-02T09:00:00Z".parse().unwrap() });
        e.rrules = vec!["FREQ=SECONDLY;INTERVAL=7".into()];
        let occ = expand_series(Some(&e), &[], window("2026-06-01T00:00:00Z", "2026-06-01T00:01:00Z"), London).unwrap();
        // Instances fall every 7 s from 1997-09-02T09:00:00Z; count those in the minute exactly.
        let first = "1997-09-02T09:00:00Z".parse::<DateTime<Utc>>().unwrap();
        let from = "2026-06-01T00:00:00Z".parse::<DateTime<Utc>>().unwrap();
        let offset = (from - first).num_seconds().rem_euclid(7);
        let expected = (0..60).filter(|s| (s + offset) % 7 == 0).count();
        assert_eq!(occ.len(), expected);
        assert!(occ.iter().all(|o| (o.start_utc - first).num_seconds() % 7 == 0));
    }

    #[test]
    fn fast_forwarding_keeps_the_weekday_pattern_of_a_fortnightly_series() {
        // Every other Tuesday and Thursday from 2001: the window must see the right fortnight.
        let mut e = Event::new("fortnight@test", "F", zoned(2001, 1, 2, 10, 0, New_York));
        e.duration_seconds = Some(3600);
        e.rrules = vec!["FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH".into()];
        let occ =
            expand_series(Some(&e), &[], window("2026-03-01T00:00:00Z", "2026-03-29T00:00:00Z"), New_York).unwrap();
        let start = NaiveDate::from_ymd_opt(2001, 1, 2).unwrap();
        let got: Vec<String> = occ.iter().map(|o| o.start.to_contract_string()[..10].to_string()).collect();
        assert_eq!(got.len(), 4, "{got:?}");
        for d in &got {
            let day: NaiveDate = d.parse().unwrap();
            assert_eq!(((day - start).num_days().div_euclid(7)) % 2, 0, "{d} is in an off week");
        }
    }

    #[test]
    fn a_rule_that_ended_before_the_window_yields_nothing_there() {
        let mut e = Event::new("old@test", "Old", zoned(1999, 1, 1, 9, 0, London));
        e.duration_seconds = Some(60);
        e.rrules = vec!["FREQ=MINUTELY;UNTIL=19990201T000000Z".into()];
        let occ = expand_series(Some(&e), &[], window("2026-06-01T00:00:00Z", "2026-06-02T00:00:00Z"), London).unwrap();
        assert!(occ.is_empty());
    }

    #[test]
    fn until_written_as_a_date_or_floating_time_is_read_in_the_series_own_terms() {
        assert_eq!(
            normalise_rule("FREQ=WEEKLY;UNTIL=20240801;BYDAY=MO", Frame::Wall { dates: true }, chrono::Weekday::Mon),
            "FREQ=WEEKLY;UNTIL=20240801T235959Z;BYDAY=MO"
        );
        // 09:00 in New York on 1 Aug is 13:00Z.
        assert_eq!(
            normalise_rule("FREQ=DAILY;UNTIL=20240801T090000", Frame::Zoned(New_York), chrono::Weekday::Mon),
            "FREQ=DAILY;UNTIL=20240801T130000Z"
        );
        assert_eq!(
            normalise_rule("FREQ=DAILY;UNTIL=20240801T090000Z", Frame::Zoned(New_York), chrono::Weekday::Mon),
            "FREQ=DAILY;UNTIL=20240801T090000Z"
        );
        let d = NaiveDate::from_ymd_opt(2024, 7, 1).unwrap();
        let mut e = Event::new("u@test", "U", EventTime::Date { date: d });
        e.rrules = vec!["FREQ=WEEKLY;UNTIL=20240801;INTERVAL=2;BYDAY=MO".into()];
        let occ = expand_series(Some(&e), &[], window("2024-07-01T00:00:00Z", "2024-09-01T00:00:00Z"), chrono_tz::UTC)
            .unwrap();
        let got: Vec<String> = occ.iter().map(|o| o.start.to_contract_string()).collect();
        assert_eq!(got, ["2024-07-01", "2024-07-15", "2024-07-29"]);
    }

    #[test]
    fn a_week_number_rule_without_a_weekday_takes_dtstarts_and_dates_ignore_times() {
        assert_eq!(
            normalise_rule("FREQ=YEARLY;BYWEEKNO=1,2", Frame::Zoned(New_York), chrono::Weekday::Tue),
            "FREQ=YEARLY;BYWEEKNO=1,2;BYDAY=TU"
        );
        assert_eq!(
            normalise_rule("FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO", Frame::Zoned(New_York), chrono::Weekday::Tue),
            "FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO"
        );
        assert_eq!(
            normalise_rule(
                "FREQ=DAILY;BYMINUTE=1,2;INTERVAL=2;COUNT=3",
                Frame::Wall { dates: true },
                chrono::Weekday::Fri
            ),
            "FREQ=DAILY;INTERVAL=2;COUNT=3"
        );
    }

    #[test]
    fn of_two_masters_with_one_uid_the_higher_sequence_is_expanded() {
        let mut old = Event::new("m@test", "Old", zoned(2026, 3, 2, 9, 0, New_York));
        old.sequence = 2;
        let mut new = Event::new("m@test", "New", zoned(2026, 3, 2, 9, 0, New_York));
        new.sequence = 1;
        let w = window("2026-03-01T00:00:00Z", "2026-03-05T00:00:00Z");
        let (occ, _) = expand_calendar(&[&old, &new], w, New_York);
        assert_eq!(occ.iter().map(|o| &*o.summary).collect::<Vec<_>>(), ["Old"]);
    }

    #[test]
    fn of_two_overrides_of_one_instance_the_later_of_the_highest_sequence_is_used() {
        let master = weekly_standup();
        let mut cancelled = Event::new("standup@test", "Standup", zoned(2026, 3, 9, 11, 0, New_York));
        cancelled.recurrence_id = Some(zoned(2026, 3, 9, 9, 0, New_York));
        cancelled.status = EventStatus::Cancelled;
        cancelled.sequence = 1;
        let mut moved = cancelled.clone();
        moved.status = EventStatus::Confirmed;
        moved.summary = "Standup (11:00)".into();
        let w = window("2026-03-08T00:00:00Z", "2026-03-10T00:00:00Z");
        let (occ, _) = expand_calendar(&[&master, &cancelled, &moved], w, New_York);
        assert_eq!(occ.iter().map(|o| &*o.summary).collect::<Vec<_>>(), ["Standup (11:00)"]);
        moved.sequence = 0;
        let (occ, _) = expand_calendar(&[&master, &cancelled, &moved], w, New_York);
        assert!(occ.is_empty(), "{occ:?}");
    }

    #[test]
    fn a_rule_that_never_matches_yields_nothing_instead_of_hanging() {
        let mut e = Event::new("never@test", "Never", zoned(2026, 1, 1, 9, 0, London));
        e.rrules = vec!["FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30".into()];
        let occ = expand_series(Some(&e), &[], window("2026-06-01T00:00:00Z", "2026-06-08T00:00:00Z"), London).unwrap();
        assert!(occ.is_empty());
    }

    #[test]
    fn an_all_day_series_yields_dates_placed_in_the_viewing_zone() {
        let d = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
        let mut e = Event::new("gym@test", "Gym", EventTime::Date { date: d });
        e.end = Some(EventTime::Date { date: d.succ_opt().unwrap() });
        e.rrules = vec!["FREQ=WEEKLY;COUNT=3".into()];
        let occ =
            expand_series(Some(&e), &[], window("2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z"), New_York).unwrap();
        let got: Vec<String> =
            occ.iter().map(|o| format!("{}..{}", o.start.to_contract_string(), o.end.to_contract_string())).collect();
        assert_eq!(got, ["2026-01-05..2026-01-06", "2026-01-12..2026-01-13", "2026-01-19..2026-01-20"]);
        assert!(occ.iter().all(|o| o.all_day));
        assert_eq!(occ[0].start_utc.to_rfc3339(), "2026-01-05T05:00:00+00:00");
    }

    #[test]
    fn an_all_day_event_ending_in_a_date_time_covers_the_days_up_to_it() {
        let d = |m: u32, day: u32| NaiveDate::from_ymd_opt(2023, m, day).unwrap();
        let mut leave = Event::new("leave@test", "Leave", EventTime::Date { date: d(7, 24) });
        leave.end = Some(EventTime::Utc { instant: "2023-08-17T00:00:00Z".parse().unwrap() });
        let mut half = Event::new("half@test", "Half day", EventTime::Date { date: d(7, 24) });
        half.duration_seconds = Some(10 * 3600);
        let w = window("2023-07-01T00:00:00Z", "2023-09-01T00:00:00Z");
        let ends: Vec<String> = [&leave, &half]
            .iter()
            .map(|e| expand_series(Some(e), &[], w, chrono_tz::UTC).unwrap()[0].end.to_contract_string())
            .collect();
        assert_eq!(ends, ["2023-08-17", "2023-07-25"]);
    }

    #[test]
    fn date_and_floating_exceptions_in_a_zoned_series_name_wall_clock_times_there() {
        let paris = chrono_tz::Europe::Paris;
        let mut e = Event::new("x@test", "Daily", zoned(2013, 9, 1, 18, 0, paris));
        e.duration_seconds = Some(3600);
        e.rrules = vec!["FREQ=DAILY;COUNT=4".into()];
        e.exdates = vec![
            EventTime::Date { date: NaiveDate::from_ymd_opt(2013, 9, 2).unwrap() },
            EventTime::Floating { local: NaiveDate::from_ymd_opt(2013, 9, 3).unwrap().and_hms_opt(18, 0, 0).unwrap() },
        ];
        e.rdates = vec![EventTime::Floating {
            local: NaiveDate::from_ymd_opt(2013, 9, 10).unwrap().and_hms_opt(9, 0, 0).unwrap(),
        }];
        let occ = expand_series(Some(&e), &[], window("2013-09-01T00:00:00Z", "2013-09-30T00:00:00Z"), paris).unwrap();
        let got: Vec<String> = occ.iter().map(|o| o.start.to_contract_string()).collect();
        assert_eq!(got, ["2013-09-01T18:00:00+02:00", "2013-09-04T18:00:00+02:00", "2013-09-10T09:00:00+02:00"]);
        // The date EXDATE also deletes an override of that day's instance.
        let mut moved = Event::new("x@test", "Moved", zoned(2013, 9, 2, 20, 0, paris));
        moved.recurrence_id = Some(zoned(2013, 9, 2, 18, 0, paris));
        moved.sequence = 5;
        let occ =
            expand_series(Some(&e), &[&moved], window("2013-09-01T00:00:00Z", "2013-09-30T00:00:00Z"), paris).unwrap();
        assert!(occ.iter().all(|o| &*o.summary != "Moved"), "{occ:?}");
    }

    #[test]
    fn a_rule_with_other_than_ascii_is_refused_not_a_panic_in_the_rrule_crate() {
        let mut e = weekly_standup();
        e.rrules = vec!["FREQ=WEEKLY;BYDAY=éMO".into()];
        let err =
            expand_series(Some(&e), &[], window("2026-03-01T00:00:00Z", "2026-03-17T00:00:00Z"), New_York).unwrap_err();
        assert!(err.to_string().contains("ASCII"), "{err}");
    }

    #[test]
    fn a_rule_that_ends_before_dtstart_leaves_dtstart_as_the_one_instance_on_both_paths() {
        for rule in ["FREQ=DAILY;UNTIL=20250101T000000Z", "FREQ=MONTHLY;BYDAY=1MO;UNTIL=20250101T000000Z"] {
            let mut e = weekly_standup();
            e.rrules = vec![rule.into()];
            let occ =
                expand_series(Some(&e), &[], window("2026-03-01T00:00:00Z", "2026-03-17T00:00:00Z"), New_York).unwrap();
            assert_eq!(occ.len(), 1, "{rule}");
            assert_eq!(occ[0].start, e.start);
        }
    }

    #[test]
    fn a_bad_rule_is_an_error_naming_the_event_and_rule() {
        let mut e = weekly_standup();
        e.rrules = vec!["FREQ=FORTNIGHTLY".into()];
        let err =
            expand_series(Some(&e), &[], window("2026-03-01T00:00:00Z", "2026-03-17T00:00:00Z"), New_York).unwrap_err();
        assert!(err.to_string().contains("standup@test") && err.to_string().contains("FORTNIGHTLY"), "{err}");
    }

    #[test]
    fn an_end_written_in_another_zone_is_kept_in_that_zone() {
        let mut e = Event::new("flight@test", "Flight", zoned(2026, 11, 25, 19, 30, New_York));
        e.end = Some(zoned(2026, 11, 26, 7, 35, London));
        let occ =
            expand_series(Some(&e), &[], window("2026-11-25T00:00:00Z", "2026-11-27T00:00:00Z"), New_York).unwrap();
        assert_eq!(occ[0].end.to_contract_string(), "2026-11-26T07:35:00+00:00");
        assert_eq!(occ[0].end_utc - occ[0].start_utc, Duration::minutes(7 * 60 + 5));
    }

    #[test]
    fn a_one_off_outside_the_window_is_not_returned() {
        let mut e = Event::new("once@test", "Once", zoned(2026, 3, 2, 9, 0, New_York));
        e.end = Some(zoned(2026, 3, 2, 10, 0, New_York));
        assert!(expand_series(Some(&e), &[], window("2026-03-03T00:00:00Z", "2026-03-04T00:00:00Z"), New_York)
            .unwrap()
            .is_empty());
        assert_eq!(
            expand_series(Some(&e), &[], window("2026-03-02T00:00:00Z", "2026-03-03T00:00:00Z"), New_York)
                .unwrap()
                .len(),
            1
        );
    }

    mod simple_path {
        use super::*;
        use proptest::prelude::*;

        const DAYS: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
        const ZONES: [Tz; 4] =
            [chrono_tz::America::New_York, chrono_tz::Europe::Berlin, chrono_tz::Australia::Sydney, chrono_tz::UTC];

        fn rule() -> impl Strategy<Value = String> {
            (
                any::<bool>(),
                1u32..4,
                proptest::collection::vec(0usize..7, 0..4),
                0usize..7,
                // UNTIL is written as days after DTSTART (UNTIL_n), filled in by the test.
                prop_oneof![
                    Just(None),
                    (1u32..40).prop_map(|c| Some(format!("COUNT={c}"))),
                    (0i64..400).prop_map(|d| Some(format!("UNTIL_{d}")))
                ],
            )
                .prop_map(|(weekly, interval, days, wkst, bound)| {
                    let mut parts = vec![format!("FREQ={}", if weekly { "WEEKLY" } else { "DAILY" })];
                    if interval > 1 {
                        parts.push(format!("INTERVAL={interval}"));
                    }
                    if !days.is_empty() {
                        parts.push(format!("BYDAY={}", days.iter().map(|d| DAYS[*d]).collect::<Vec<_>>().join(",")));
                    }
                    parts.push(format!("WKST={}", DAYS[wkst]));
                    parts.extend(bound);
                    parts.join(";")
                })
        }

        /// MONTHLY and YEARLY rules of the kinds the fast path takes.
        fn month_rule() -> impl Strategy<Value = String> {
            (
                any::<bool>(),
                1u32..4,
                prop_oneof![
                    Just(String::new()),
                    proptest::collection::vec((-4i32..6, 0usize..7), 1..3).prop_map(|v| {
                        let days: Vec<String> = v
                            .iter()
                            .map(|(n, d)| if *n == 0 { DAYS[*d].to_string() } else { format!("{n}{}", DAYS[*d]) })
                            .collect();
                        format!(";BYDAY={}", days.join(","))
                    }),
                    proptest::collection::vec(prop_oneof![1i32..32, -31i32..0], 1..3).prop_map(|v| {
                        format!(";BYMONTHDAY={}", v.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(","))
                    }),
                ],
                proptest::collection::vec(1u32..13, 0..3),
                prop_oneof![
                    Just(None),
                    (1u32..20).prop_map(|c| Some(format!("COUNT={c}"))),
                    (0i64..800).prop_map(|d| Some(format!("UNTIL_{d}")))
                ],
            )
                .prop_map(|(yearly, interval, by_day, months, bound)| {
                    let mut rule = format!("FREQ={}", if yearly { "YEARLY" } else { "MONTHLY" });
                    if interval > 1 {
                        rule.push_str(&format!(";INTERVAL={interval}"));
                    }
                    // What the fast path takes of YEARLY: BYMONTH with or without BYMONTHDAY.
                    let by_day = if yearly && (by_day.starts_with(";BYDAY") || months.is_empty()) {
                        String::new()
                    } else {
                        by_day
                    };
                    rule.push_str(&by_day);
                    if !months.is_empty() {
                        let months: Vec<String> = months.iter().map(|m| m.to_string()).collect();
                        rule.push_str(&format!(";BYMONTH={}", months.join(",")));
                    }
                    if let Some(bound) = bound {
                        rule.push_str(&format!(";{bound}"));
                    }
                    rule
                })
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(800))]
            #[test]
            fn the_fast_path_finds_the_same_instants_as_the_rrule_crate(
                rule in prop_oneof![rule(), month_rule()],
                kind in 0usize..4,
                zone in 0usize..4,
                // Up to 33 years back, so that the crate path fast-forwards (MONTHLY and YEARLY too).
                start_day in -12_000i64..300,
                hour in 0u32..24,
                from_day in -30i64..400,
                days in 1i64..120,
                exdate in 0i64..60,
            ) {
                let local = (NaiveDate::from_ymd_opt(2025, 10, 1).unwrap() + Duration::days(start_day)).and_hms_opt(hour, 30, 0).unwrap();
                let start = match kind {
                    0 => EventTime::Zoned { local, zone: ZONES[zone] },
                    1 => EventTime::Utc { instant: local.and_utc() },
                    2 => EventTime::Floating { local },
                    _ => EventTime::Date { date: local.date() },
                };
                let mut e = Event::new("p@test", "P", start);
                e.duration_seconds = Some(1800);
                // The crate refuses an UNTIL before DTSTART outright, so UNTIL is set after it.
                let rule = match rule.split_once("UNTIL_") {
                    Some((head, days)) => {
                        let u = local.date() + Duration::days(days.parse::<i64>().unwrap());
                        format!("{head}UNTIL={}T120000Z", u.format("%Y%m%d"))
                    }
                    None => rule,
                };
                e.rrules = vec![rule.clone()];
                let shift = |t: EventTime, d: i64| match t {
                    EventTime::Zoned { local, zone } => EventTime::Zoned { local: local + Duration::days(d), zone },
                    EventTime::Utc { instant } => EventTime::Utc { instant: instant + Duration::days(d) },
                    EventTime::Floating { local } => EventTime::Floating { local: local + Duration::days(d) },
                    EventTime::Date { date } => EventTime::Date { date: date + Duration::days(d) },
                };
                e.exdates = vec![shift(start, exdate), shift(start, exdate + 7)];
                e.rdates = vec![shift(start, exdate + 3)];
                let from = NaiveDate::from_ymd_opt(2025, 10, 1).unwrap() + Duration::days(from_day);
                let w = TimeWindow::days(from, days as u32, chrono_tz::Europe::London);
                let placement = chrono_tz::Europe::London;
                let length = nominal_length(&e, placement);
                let fast = simple_instance_starts(&e, w, length, placement);
                // Generated MONTHLY rules that mix "MO" and "-1MO" are the crate's alone.
                prop_assume!(fast.is_some() || rule.contains("MONTHLY"));
                let Some(fast) = fast else { return Ok(()) };
                let slow = instance_starts_by_crate(&e, w, length, placement).unwrap();
                let instants = |v: &[Start]| v.iter().map(|s| s.time.to_utc(placement)).collect::<Vec<_>>();
                prop_assert_eq!(instants(&fast), instants(&slow), "rule {} from {:?}", rule, start);
                // The instant found with each start is the one its time denotes.
                for s in fast.iter().chain(&slow) {
                    prop_assert_eq!(s.at, s.time.to_utc(placement));
                }
            }
        }
    }
}
