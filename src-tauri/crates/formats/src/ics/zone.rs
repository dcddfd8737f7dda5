//! Time zones as iCalendar writes them (VTIMEZONE, RFC 5545 §3.6.5).
//!
//! Reading: most TZIDs name an IANA zone, a Windows zone or a vendor-prefixed IANA zone
//! ([`super::event::zone_named`]). The rest ("Customized Time Zone" from Outlook, made-up names
//! from scripts) are defined only by the file's own VTIMEZONE. For those, the VTIMEZONE's
//! observances are evaluated and matched against every IANA zone over the years the file uses:
//! a matching zone gives exactly the same instants there, and keeps recurring meetings right
//! across DST changes, which a bag of fixed offsets could not. When no IANA zone matches, the
//! caller converts times with the VTIMEZONE's own offsets ([`ZoneRules::to_utc`]).
//!
//! Writing: RFC 5545 wants a VTIMEZONE for every TZID used, and Outlook will not place a TZID
//! without one. [`write_vtimezone`] derives it from the IANA data (chrono-tz does not expose
//! transitions, so they are found by scanning offsets): one observance per run of transitions
//! that follow the same "nth weekday of the month" pattern, open-ended for the current rule.
//!
//! Why by hand: no maintained crate turns a VTIMEZONE into offsets or an IANA zone into a
//! VTIMEZONE for chrono-tz.

use std::ops::RangeInclusive;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Offset, TimeZone, Timelike, Utc, Weekday};
use chrono_tz::{OffsetComponents, OffsetName, Tz};
use rrule::{RRule, RRuleSet, Unvalidated};

use super::component::Component;
use super::content::{write_line, ContentLine};

/// One STANDARD or DAYLIGHT block: from each onset (local time in `offset_from`) the offset is
/// `offset_to`.
#[derive(Clone, Debug, PartialEq)]
struct Observance {
    start: NaiveDateTime,
    offset_from: i32,
    offset_to: i32,
    rrule: Option<String>,
    rdates: Vec<NaiveDateTime>,
}

/// A VTIMEZONE's rules, evaluated to onsets over a span of years.
#[derive(Clone, Debug, PartialEq)]
pub struct ZoneRules {
    /// (onset instant, offset from then on), sorted.
    onsets: Vec<(DateTime<Utc>, i32)>,
    /// The offset before the first onset.
    initial: i32,
}

impl ZoneRules {
    /// Reads a VTIMEZONE and evaluates it for `years`. An error says what is missing.
    pub fn read(c: &Component, years: RangeInclusive<i32>) -> Result<Self, String> {
        let mut observances = Vec::new();
        for o in c.children.iter().filter(|o| o.name == "STANDARD" || o.name == "DAYLIGHT") {
            observances.push(read_observance(o)?);
        }
        if observances.is_empty() {
            return Err("VTIMEZONE has no STANDARD or DAYLIGHT".into());
        }
        let mut onsets = Vec::new();
        for o in &observances {
            for local in onsets_of(o, &years) {
                onsets.push((
                    DateTime::from_naive_utc_and_offset(local - Duration::seconds(o.offset_from.into()), Utc),
                    o.offset_to,
                ));
            }
        }
        onsets.sort_by_key(|(at, _)| *at);
        let initial = observances.iter().min_by_key(|o| o.start).map(|o| o.offset_from).unwrap_or(0);
        Ok(Self { onsets, initial })
    }

    /// The UTC offset in seconds at `at`.
    pub fn offset_at(&self, at: DateTime<Utc>) -> i32 {
        match self.onsets.partition_point(|(t, _)| *t <= at) {
            0 => self.initial,
            n => self.onsets[n - 1].1,
        }
    }

    /// The instant of a wall-clock time under these rules (a time in a gap is read with the offset
    /// before it, as RFC 5545 §3.3.5 asks; in an overlap, the first).
    pub fn to_utc(&self, local: NaiveDateTime) -> DateTime<Utc> {
        let naive_utc =
            |offset: i32| DateTime::from_naive_utc_and_offset(local - Duration::seconds(offset.into()), Utc);
        let before = self.offset_at(naive_utc(self.initial) - Duration::days(1));
        let mut candidates: Vec<DateTime<Utc>> = [before, self.offset_at(naive_utc(before))]
            .into_iter()
            .chain(self.onsets.iter().map(|(_, o)| *o))
            .map(naive_utc)
            .filter(|t| self.offset_at(*t) == (local - t.naive_utc()).num_seconds() as i32)
            .collect();
        candidates.sort();
        candidates.first().copied().unwrap_or_else(|| naive_utc(before))
    }

    /// The IANA zone that agrees with these rules on the largest share of the sampled instants,
    /// and that share (1.0: the same offsets every day and at every onset; `hint`, the TZID and
    /// X-LIC-LOCATION, picks among equals). Files carry outdated rules (a US zone with the pre-2007 dates, used for
    /// 2007 events): the zone that agrees nearly everywhere is the zone meant, and its current
    /// rules are the ones the meeting's attendees live by.
    pub fn closest_iana_zone(&self, years: RangeInclusive<i32>, hint: &str) -> Option<(Tz, f64)> {
        // Remembered per thread by what decides the answer: the same Outlook or ical.net zone
        // comes in file after file (and in every refresh of a subscription), and a search of
        // every IANA zone costs milliseconds.
        use std::hash::{Hash, Hasher};
        thread_local! {
            static SEEN: std::cell::RefCell<std::collections::HashMap<u64, Option<(Tz, f64)>>> = Default::default();
        }
        let mut key = std::collections::hash_map::DefaultHasher::new();
        (self.initial, years.clone(), hint).hash(&mut key);
        for (at, offset) in &self.onsets {
            (at.timestamp(), offset).hash(&mut key);
        }
        let key = key.finish();
        if let Some(found) = SEEN.with(|seen| seen.borrow().get(&key).copied()) {
            return found;
        }
        let found = self.search_iana_zones(years, hint);
        SEEN.with(|seen| {
            let mut seen = seen.borrow_mut();
            if seen.len() >= 256 {
                seen.clear();
            }
            seen.insert(key, found);
        });
        found
    }

    fn search_iana_zones(&self, years: RangeInclusive<i32>, hint: &str) -> Option<(Tz, f64)> {
        // Noon UTC every day of the span (the share of days agreeing is the score), and a second
        // either side of each onset (an exact match must also change offset at the same instant).
        let mut days: Vec<DateTime<Utc>> = Vec::new();
        let first = NaiveDate::from_ymd_opt(*years.start(), 1, 1)?;
        let last = NaiveDate::from_ymd_opt(*years.end(), 12, 31)?;
        let mut d = first;
        while d <= last {
            days.push(d.and_hms_opt(12, 0, 0)?.and_utc());
            d = d.succ_opt()?;
        }
        let mut edges: Vec<DateTime<Utc>> = Vec::new();
        for (at, _) in self.onsets.iter().filter(|(at, _)| years.contains(&at.year())) {
            edges.extend([*at - Duration::seconds(1), *at]);
        }
        let hint = hint.to_ascii_lowercase().replace(' ', "_");
        let hinted = geographic().filter(|z| {
            let city = z.name().rsplit('/').next().unwrap_or("").to_ascii_lowercase();
            city.len() > 2 && hint.contains(&city)
        });
        // "US-Eastern", "Pacific": a word Windows would name as "Eastern Standard Time".
        let windows_words: Vec<Tz> = hint
            .split(|c: char| !c.is_ascii_alphabetic())
            .filter(|w| w.len() > 3)
            .filter_map(|w| {
                let title: String = w[..1].to_ascii_uppercase() + &w[1..];
                format!("{title} Standard Time").parse::<windows_timezones::WindowsTimezone>().ok().map(Tz::from)
            })
            .collect();
        let candidates: Vec<Tz> =
            windows_words.into_iter().chain(hinted.chain(PREFERRED.iter()).chain(geographic()).copied()).collect();
        let same = |zone: &Tz, t: &DateTime<Utc>| offset_of(*zone, *t) == self.offset_at(*t);
        if let Some(zone) = candidates.iter().find(|z| edges.iter().chain(&days).all(|t| same(z, t))) {
            return Some((*zone, 1.0));
        }
        // Scored on a week's sample over the last four years of the span: enough to tell the
        // zone meant, cheap enough to try every zone.
        let recent_start =
            NaiveDate::from_ymd_opt((*years.end() - 3).max(*years.start()), 1, 1)?.and_hms_opt(0, 0, 0)?.and_utc();
        let weeks: Vec<DateTime<Utc>> = days.iter().filter(|t| **t >= recent_start).step_by(7).copied().collect();
        let scores: Vec<(Tz, usize)> =
            candidates.iter().map(|zone| (*zone, weeks.iter().filter(|t| same(zone, t)).count())).collect();
        let top = scores.iter().map(|(_, n)| *n).max()?;
        // A close call (within 5% of the weeks) goes to the hinted or well-known zone: outdated US
        // rules agree with Havana a week longer than with New York, but New York is meant.
        let (zone, agree) = scores.into_iter().find(|(_, n)| *n + weeks.len() / 20 >= top)?;
        // Never 1.0 here: the exact pass above found no zone.
        Some((zone, (agree as f64 / weeks.len().max(1) as f64).min(0.999)))
    }
}

/// IANA zones named Region/City, leaving out the old aliases (US/Eastern, Canada/Eastern,
/// GB) and Etc/ offsets, so a matched zone has the name people use.
fn geographic() -> impl Iterator<Item = &'static Tz> {
    const REGIONS: &[&str] =
        &["Africa/", "America/", "Antarctica/", "Asia/", "Atlantic/", "Australia/", "Europe/", "Indian/", "Pacific/"];
    chrono_tz::TZ_VARIANTS.iter().filter(|z| REGIONS.iter().any(|r| z.name().starts_with(r)))
}

/// Zones tried first when several IANA zones share a VTIMEZONE's offsets, so that a
/// "Customized Time Zone" reads as the zone people would name.
const PREFERRED: &[Tz] = &[
    Tz::Europe__London,
    Tz::Europe__Berlin,
    Tz::Europe__Paris,
    Tz::Europe__Helsinki,
    Tz::Europe__Moscow,
    Tz::America__New_York,
    Tz::America__Chicago,
    Tz::America__Denver,
    Tz::America__Phoenix,
    Tz::America__Los_Angeles,
    Tz::America__Anchorage,
    Tz::Pacific__Honolulu,
    Tz::America__Sao_Paulo,
    Tz::Asia__Dubai,
    Tz::Asia__Kolkata,
    Tz::Asia__Singapore,
    Tz::Asia__Shanghai,
    Tz::Asia__Tokyo,
    Tz::Australia__Sydney,
    Tz::Australia__Brisbane,
    Tz::Pacific__Auckland,
    Tz::Africa__Johannesburg,
    Tz::UTC,
];

fn offset_of(zone: Tz, at: DateTime<Utc>) -> i32 {
    zone.offset_from_utc_datetime(&at.naive_utc()).fix().local_minus_utc()
}

fn read_observance(o: &Component) -> Result<Observance, String> {
    let need = |name: &str| o.property(name).ok_or_else(|| format!("{} has no {name}", o.name));
    let start =
        parse_local(&need("DTSTART")?.value).ok_or_else(|| format!("{}: DTSTART is not a date-time", o.name))?;
    let offset_from = parse_offset(&need("TZOFFSETFROM")?.value)?;
    let offset_to = parse_offset(&need("TZOFFSETTO")?.value)?;
    let rdates = o
        .properties_named("RDATE")
        .flat_map(|p: &ContentLine| p.value.split(',').map(str::to_string).collect::<Vec<_>>())
        .filter_map(|v| parse_local(v.split('/').next().unwrap_or("")))
        .collect();
    Ok(Observance {
        start,
        offset_from,
        offset_to,
        rrule: o.property("RRULE").map(|p| p.value.trim().to_string()).filter(|r| !r.is_empty()),
        rdates,
    })
}

fn parse_local(value: &str) -> Option<NaiveDateTime> {
    let v = value.trim().trim_end_matches(['Z', 'z']);
    NaiveDateTime::parse_from_str(v, "%Y%m%dT%H%M%S")
        .ok()
        .or_else(|| NaiveDate::parse_from_str(v, "%Y%m%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0)))
}

/// `+0100`, `-0530`, `+013045` into seconds east of UTC.
fn parse_offset(value: &str) -> Result<i32, String> {
    let v = value.trim();
    let bad = || format!("'{v}' is not a UTC offset (+HHMM)");
    let (sign, digits) = match v.as_bytes().first() {
        Some(b'+') => (1, &v[1..]),
        Some(b'-') => (-1, &v[1..]),
        _ => return Err(bad()),
    };
    if !(digits.len() == 4 || digits.len() == 6) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let n = |r: std::ops::Range<usize>| digits.get(r).and_then(|s| s.parse::<i32>().ok()).unwrap_or(0);
    let secs = n(0..2) * 3600 + n(2..4) * 60 + n(4..6);
    if secs >= 24 * 3600 {
        return Err(bad());
    }
    Ok(sign * secs)
}

/// Onsets of one observance (local wall-clock times) within `years`, a year either side.
fn onsets_of(o: &Observance, years: &RangeInclusive<i32>) -> Vec<NaiveDateTime> {
    let (first, last) = (*years.start() - 1, *years.end() + 1);
    // Onsets from the year before the span on: the offset in force on 1 January is the last one set the year before.
    let mut out: Vec<NaiveDateTime> = o
        .rdates
        .iter()
        .chain(std::iter::once(&o.start))
        .copied()
        .filter(|d| (first..=last).contains(&d.year()))
        .collect();
    if let Some(rule) = &o.rrule {
        // Onsets are expanded as UTC wall clocks. Outlook starts its rules in 1601: a yearly
        // rule without COUNT gives the same onsets from any earlier year, so start near the span.
        let mut start = o.start;
        let upper = rule.to_ascii_uppercase();
        // (Two years before the span, so that a rule whose DTSTART day falls after that year's
        // onset still yields the onset of the year before the span.)
        if upper.contains("FREQ=YEARLY") && !upper.contains("COUNT=") && start.year() < first - 1 {
            start = start.with_year(first - 1).unwrap_or(start);
        }
        let rule = until_as_wall(rule, o.offset_from);
        let begin = wall(start);
        if let Ok(parsed) = rule.parse::<RRule<Unvalidated>>() {
            if let Ok(valid) = parsed.validate(begin) {
                let end = wall(
                    NaiveDate::from_ymd_opt(last, 12, 31).and_then(|d| d.and_hms_opt(23, 59, 59)).unwrap_or(start),
                );
                let set = RRuleSet::new(begin).rrule(valid).limit();
                for d in &set {
                    if d > end || out.len() > 1000 {
                        break;
                    }
                    if d.year() >= first {
                        out.push(d.naive_utc());
                    }
                }
            }
        }
    }
    out
}

fn wall(local: NaiveDateTime) -> DateTime<rrule::Tz> {
    rrule::Tz::UTC.from_utc_datetime(&local)
}

/// A UTC UNTIL becomes a wall-clock UNTIL in the observance's own terms (onsets are expanded as
/// wall clocks).
fn until_as_wall(rule: &str, offset_from: i32) -> String {
    rule.split(';')
        .map(|part| match part.split_once('=') {
            Some((k, v)) if k.eq_ignore_ascii_case("UNTIL") => match parse_local(v) {
                Some(local) => {
                    let wall = if v.trim().ends_with(['Z', 'z']) {
                        local + Duration::seconds(offset_from.into())
                    } else {
                        local
                    };
                    format!("UNTIL={}", wall.format("%Y%m%dT%H%M%SZ"))
                }
                None => part.to_string(),
            },
            _ => part.to_string(),
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// One change of offset in an IANA zone.
#[derive(Clone, Debug)]
struct Transition {
    at: DateTime<Utc>,
    from: i32,
    to: i32,
    daylight: bool,
    abbreviation: String,
}

fn transitions(zone: Tz, years: &RangeInclusive<i32>) -> Vec<Transition> {
    let Some(mut t) =
        NaiveDate::from_ymd_opt(*years.start(), 1, 1).map(|d| d.and_time(chrono::NaiveTime::MIN).and_utc())
    else {
        return vec![];
    };
    let Some(end) =
        NaiveDate::from_ymd_opt(*years.end() + 1, 1, 1).map(|d| d.and_time(chrono::NaiveTime::MIN).and_utc())
    else {
        return vec![];
    };
    let mut out = Vec::new();
    let mut before = offset_of(zone, t);
    while t < end {
        let next = t + Duration::days(1);
        let after = offset_of(zone, next);
        if after != before {
            // The change lies in (t, next]: narrow it to the second.
            let (mut lo, mut hi) = (t, next);
            while hi - lo > Duration::seconds(1) {
                let mid = lo + (hi - lo) / 2;
                if offset_of(zone, mid) == before {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            let offset = zone.offset_from_utc_datetime(&hi.naive_utc());
            out.push(Transition {
                at: hi,
                from: before,
                to: after,
                daylight: !offset.dst_offset().is_zero(),
                abbreviation: offset.abbreviation().unwrap_or("").to_string(),
            });
        }
        before = after;
        t = next;
    }
    out
}

fn format_offset(secs: i32) -> String {
    let sign = if secs < 0 { '-' } else { '+' };
    let a = secs.abs();
    if a % 60 == 0 {
        format!("{sign}{:02}{:02}", a / 3600, a / 60 % 60)
    } else {
        format!("{sign}{:02}{:02}{:02}", a / 3600, a / 60 % 60, a % 60)
    }
}

/// The BYDAY ordinal of a date: 1-3 for the first weeks, -1 for the last, 4 otherwise.
fn weekday_ordinal(d: NaiveDate) -> i32 {
    let nth = (d.day0() / 7 + 1) as i32;
    let next_month = match d.month() {
        12 => NaiveDate::from_ymd_opt(d.year() + 1, 1, 1),
        m => NaiveDate::from_ymd_opt(d.year(), m + 1, 1),
    };
    let days_in_month = next_month.and_then(|n| n.pred_opt()).map_or(31, |x| x.day());
    if nth <= 3 {
        nth
    } else if d.day() + 7 > days_in_month {
        -1
    } else {
        nth
    }
}

fn byday(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "MO",
        Weekday::Tue => "TU",
        Weekday::Wed => "WE",
        Weekday::Thu => "TH",
        Weekday::Fri => "FR",
        Weekday::Sat => "SA",
        Weekday::Sun => "SU",
    }
}

/// Writes a VTIMEZONE for `zone` valid over `years` (and, for the zone's current rule, after).
pub fn write_vtimezone(out: &mut String, zone: Tz, years: RangeInclusive<i32>) {
    let years = (*years.start()).clamp(1970, 2100)..=(*years.end()).clamp(1970, 2100);
    write_line(out, "BEGIN", &[], "VTIMEZONE");
    write_line(out, "TZID", &[], zone.name());
    let mut rest = transitions(zone, &years);
    if rest.is_empty() {
        let at = NaiveDate::from_ymd_opt(*years.start(), 1, 1).and_then(|d| d.and_hms_opt(0, 0, 0)).unwrap_or_default();
        let offset = zone.offset_from_utc_datetime(&at);
        let secs = offset.fix().local_minus_utc();
        write_observance(out, "STANDARD", at, secs, secs, offset.abbreviation().unwrap_or(""), None);
    }
    // The shape of a transition: kind, offsets, and where it falls as a BYDAY rule would say.
    let onset = |t: &Transition| (t.at + Duration::seconds(t.from.into())).naive_utc();
    let shape = |t: &Transition| {
        let local = onset(t);
        (t.daylight, t.from, t.to, local.month(), local.weekday(), weekday_ordinal(local.date()), local.time())
    };
    while let Some(first) = rest.first().cloned() {
        // A run: transitions of the same kind and shape in consecutive years become one yearly rule.
        let mut run = vec![0];
        let mut year = first.at.year();
        for (k, t) in rest.iter().enumerate().skip(1) {
            if t.daylight != first.daylight {
                continue;
            }
            if shape(t) != shape(&first) || t.at.year() != year + 1 {
                break;
            }
            run.push(k);
            year += 1;
        }
        let last_index = *run.last().unwrap_or(&0);
        let last = rest[last_index].clone();
        // The zone's current rule: no later change of this kind, and still in force at the end.
        let current =
            last.at.year() == *years.end() && !rest[last_index + 1..].iter().any(|t| t.daylight == first.daylight);
        let rule = (run.len() > 1 || current).then(|| {
            let (_, _, _, month, weekday, ordinal, _) = shape(&first);
            let until = if current { String::new() } else { format!(";UNTIL={}", last.at.format("%Y%m%dT%H%M%SZ")) };
            format!("FREQ=YEARLY;BYMONTH={month};BYDAY={ordinal}{}{until}", byday(weekday))
        });
        let name = if first.daylight { "DAYLIGHT" } else { "STANDARD" };
        write_observance(out, name, onset(&first), first.from, first.to, &first.abbreviation, rule.as_deref());
        for k in run.iter().rev() {
            rest.remove(*k);
        }
    }
    write_line(out, "END", &[], "VTIMEZONE");
}

fn write_observance(
    out: &mut String,
    name: &str,
    onset: NaiveDateTime,
    from: i32,
    to: i32,
    abbreviation: &str,
    rule: Option<&str>,
) {
    write_line(out, "BEGIN", &[], name);
    write_line(out, "DTSTART", &[], &onset.with_nanosecond(0).unwrap_or(onset).format("%Y%m%dT%H%M%S").to_string());
    write_line(out, "TZOFFSETFROM", &[], &format_offset(from));
    write_line(out, "TZOFFSETTO", &[], &format_offset(to));
    if !abbreviation.is_empty() && !abbreviation.starts_with(['+', '-']) {
        write_line(out, "TZNAME", &[], abbreviation);
    }
    if let Some(rule) = rule {
        write_line(out, "RRULE", &[], rule);
    }
    write_line(out, "END", &[], name);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ics::component::parse_components;

    /// The zone with exactly the rules' offsets, if any.
    fn exact(rules: &ZoneRules, years: RangeInclusive<i32>, hint: &str) -> Option<Tz> {
        rules.closest_iana_zone(years, hint).filter(|(_, agreement)| *agreement == 1.0).map(|(zone, _)| zone)
    }

    fn read_back(text: &str, years: RangeInclusive<i32>) -> ZoneRules {
        let (roots, problems) = parse_components(text);
        assert!(problems.is_empty(), "{problems:?}");
        ZoneRules::read(&roots[0], years).unwrap()
    }

    /// Every 6 hours across the span, and a second either side of each real transition.
    fn assert_same_offsets(zone: Tz, rules: &ZoneRules, years: RangeInclusive<i32>) {
        let mut instants = Vec::new();
        let mut t = NaiveDate::from_ymd_opt(*years.start(), 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap().and_utc();
        let end = NaiveDate::from_ymd_opt(*years.end() + 1, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap().and_utc();
        while t < end {
            instants.push(t);
            t += Duration::hours(6);
        }
        for tr in transitions(zone, &years) {
            instants.extend([tr.at - Duration::seconds(1), tr.at]);
        }
        for at in instants {
            assert_eq!(rules.offset_at(at), offset_of(zone, at), "{zone} at {at}");
        }
    }

    #[test]
    fn a_written_vtimezone_reads_back_to_the_iana_offsets_across_rule_changes() {
        for (zone, years) in [
            (Tz::Europe__Berlin, 2020..=2030),
            (Tz::America__New_York, 2003..=2012),
            (Tz::Australia__Lord_Howe, 2024..=2027),
            (Tz::America__Sao_Paulo, 2016..=2022),
            (Tz::Europe__Moscow, 2009..=2016),
            (Tz::Asia__Tokyo, 2026..=2026),
            (Tz::Pacific__Chatham, 2025..=2026),
        ] {
            let mut text = String::new();
            write_vtimezone(&mut text, zone, years.clone());
            let rules = read_back(&text, years.clone());
            assert_same_offsets(zone, &rules, years);
        }
    }

    #[test]
    fn the_current_rule_is_written_once_and_open_ended() {
        let mut text = String::new();
        write_vtimezone(&mut text, Tz::Europe__Berlin, 2020..=2030);
        assert_eq!(text.matches("BEGIN:DAYLIGHT").count(), 1, "{text}");
        assert!(text.contains("RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"), "{text}");
        assert!(text.contains("DTSTART:20200329T020000\r\n"), "{text}");
        assert!(text.contains("TZNAME:CEST\r\n"), "{text}");
        // Read for later years than written, the open rule still holds.
        assert_same_offsets(Tz::Europe__Berlin, &read_back(&text, 2031..=2036), 2031..=2036);
    }

    const OUTLOOK_CUSTOM: &str = "BEGIN:VTIMEZONE\r\nTZID:Customized Time Zone\r\nBEGIN:STANDARD\r\n\
DTSTART:16010101T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nRRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10\r\n\
END:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:16010101T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n\
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n";

    #[test]
    fn an_outlook_customized_time_zone_reads_as_the_iana_zone_with_its_offsets() {
        let rules = read_back(OUTLOOK_CUSTOM, 2024..=2027);
        let zone = exact(&rules, 2024..=2027, "Customized Time Zone").unwrap();
        assert_eq!(zone, Tz::Europe__Berlin);
        let hinted = exact(&rules, 2024..=2027, "Romance Standard Time (Paris)").unwrap();
        assert_eq!(hinted, Tz::Europe__Paris);
    }

    #[test]
    fn a_vtimezone_with_outdated_rules_is_closest_to_the_zone_it_was_written_for() {
        // US Eastern as files wrote it before 2007 (first Sunday in April to last in October).
        let text = "BEGIN:VTIMEZONE\r\nTZID:US-Eastern\r\nBEGIN:STANDARD\r\nDTSTART:19671029T020000\r\n\
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nEND:STANDARD\r\n\
BEGIN:DAYLIGHT\r\nDTSTART:19870405T020000\r\nRRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=4\r\nTZOFFSETFROM:-0500\r\n\
TZOFFSETTO:-0400\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n";
        let rules = read_back(text, 2007..=2008);
        assert_eq!(exact(&rules, 2007..=2008, "US-Eastern"), None);
        let (zone, agreement) = rules.closest_iana_zone(2007..=2008, "US-Eastern").unwrap();
        assert_eq!(zone, Tz::America__New_York);
        assert!((0.8..1.0).contains(&agreement), "{agreement}");
        // Asked again (the next file, the next refresh), the remembered answer is the searched one,
        // and other years or another hint are not answered from it.
        assert_eq!(
            rules.closest_iana_zone(2007..=2008, "US-Eastern"),
            rules.search_iana_zones(2007..=2008, "US-Eastern")
        );
        assert_eq!(rules.closest_iana_zone(2007..=2008, "US-Eastern").unwrap().1, agreement);
        let older = read_back(text, 1997..=2000);
        assert_eq!(older.closest_iana_zone(1997..=2000, "US-Eastern"), Some((Tz::America__New_York, 1.0)));
        // Before 2007 the same rules are exactly New York's.
        assert_eq!(exact(&read_back(text, 1997..=2000), 1997..=2000, "US-Eastern"), Some(Tz::America__New_York));
    }

    #[test]
    fn a_vtimezone_no_iana_zone_has_is_used_with_its_own_offsets() {
        let text = OUTLOOK_CUSTOM.replace("+0200", "+0223").replace("+0100", "+0123");
        let rules = read_back(&text, 2026..=2026);
        assert_eq!(exact(&rules, 2026..=2026, ""), None);
        let winter = NaiveDate::from_ymd_opt(2026, 1, 10).unwrap().and_hms_opt(9, 0, 0).unwrap();
        let summer = NaiveDate::from_ymd_opt(2026, 7, 10).unwrap().and_hms_opt(9, 0, 0).unwrap();
        assert_eq!(rules.to_utc(winter).to_rfc3339(), "2026-01-10T07:37:00+00:00");
        assert_eq!(rules.to_utc(summer).to_rfc3339(), "2026-07-10T06:37:00+00:00");
        // 02:30 on the spring-forward night does not exist: read with the offset before the gap.
        let gap = NaiveDate::from_ymd_opt(2026, 3, 29).unwrap().and_hms_opt(2, 30, 0).unwrap();
        assert_eq!(rules.to_utc(gap).to_rfc3339(), "2026-03-29T01:07:00+00:00");
    }

    #[test]
    fn offsets_are_read_with_seconds_and_bad_ones_refused() {
        assert_eq!(parse_offset("+0530"), Ok(19_800));
        assert_eq!(parse_offset("-000130"), Ok(-90));
        assert!(parse_offset("0100").is_err());
        assert!(parse_offset("+2500").is_err());
        assert!(parse_offset("+1").is_err());
    }
}
