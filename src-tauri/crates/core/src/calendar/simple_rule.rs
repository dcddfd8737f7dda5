//! A fast path for the rules most calendars are made of: DAILY or WEEKLY, an INTERVAL, plain
//! weekdays in BYDAY, COUNT or UNTIL, WKST. Nothing else.
//!
//! Why by hand: the rrule crate builds a year's worth of day sets for every period it visits and
//! resolves every candidate in its zone, which made it most of the time Tandem spent on a year
//! of an executive's calendars. These rules are arithmetic: a week is seven days from the WKST
//! before DTSTART, a period is INTERVAL of them. Any other rule goes to the crate, and a
//! property test checks this path against the crate's on random rules, zones and windows.

use chrono::{Datelike, Duration, NaiveDateTime, Weekday};

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct SimpleRule {
    weekly: bool,
    interval: i64,
    count: Option<u32>,
    /// `UNTIL` as normalised (a `...Z` value in the series' frame terms).
    pub until: Option<NaiveDateTime>,
    /// BYDAY, sorted from WKST; empty when the rule has none.
    days: Vec<Weekday>,
    wkst: Weekday,
}

fn weekday(code: &str) -> Option<Weekday> {
    Some(match code {
        "MO" => Weekday::Mon,
        "TU" => Weekday::Tue,
        "WE" => Weekday::Wed,
        "TH" => Weekday::Thu,
        "FR" => Weekday::Fri,
        "SA" => Weekday::Sat,
        "SU" => Weekday::Sun,
        _ => return None,
    })
}

/// Days from `wkst` to `day` within a week.
fn offset(day: Weekday, wkst: Weekday) -> i64 {
    i64::from((day.num_days_from_monday() + 7 - wkst.num_days_from_monday()) % 7)
}

impl SimpleRule {
    /// The rule when it is one this path handles (after [`super::expand`]'s normalisation).
    pub fn parse(rule: &str) -> Option<Self> {
        let mut out =
            Self { weekly: false, interval: 1, count: None, until: None, days: Vec::new(), wkst: Weekday::Mon };
        let mut freq = false;
        for part in rule.split(';').filter(|p| !p.is_empty()) {
            let (key, value) = part.split_once('=')?;
            match key.to_ascii_uppercase().as_str() {
                "FREQ" => {
                    out.weekly = match value.to_ascii_uppercase().as_str() {
                        "WEEKLY" => true,
                        "DAILY" => false,
                        _ => return None,
                    };
                    freq = true;
                }
                "INTERVAL" => out.interval = value.parse::<i64>().ok().filter(|n| (1..=1000).contains(n))?,
                "COUNT" => out.count = Some(value.parse().ok().filter(|n| *n > 0)?),
                "UNTIL" => {
                    out.until = Some(NaiveDateTime::parse_from_str(value.trim_end_matches('Z'), "%Y%m%dT%H%M%S").ok()?)
                }
                "WKST" => out.wkst = weekday(&value.to_ascii_uppercase())?,
                "BYDAY" => {
                    for d in value.split(',') {
                        out.days.push(weekday(&d.trim().to_ascii_uppercase())?);
                    }
                }
                _ => return None,
            }
        }
        if !freq || (out.count.is_some() && out.until.is_some()) {
            return None;
        }
        out.days.sort_by_key(|d| offset(*d, out.wkst));
        out.days.dedup();
        Some(out)
    }

    /// The rule's instances from `start` (DTSTART's wall clock) up to `before`, leaving out
    /// those before `after` (still counted for COUNT) and those `within_until` refuses, at most
    /// `limit` of them.
    pub fn walls(
        &self,
        start: NaiveDateTime,
        after: NaiveDateTime,
        before: NaiveDateTime,
        within_until: impl Fn(NaiveDateTime) -> bool,
        limit: usize,
    ) -> Vec<NaiveDateTime> {
        let step = if self.weekly { 7 * self.interval } else { self.interval };
        // The first period: the week (from WKST) holding DTSTART, or DTSTART's day.
        let first =
            if self.weekly { start.date() - Duration::days(offset(start.weekday(), self.wkst)) } else { start.date() };
        // Without COUNT nothing before the window matters: skip whole periods to just before it.
        let mut period = 0i64;
        if self.count.is_none() && after.date() > first {
            period = ((after.date() - first).num_days() / step - 1).max(0);
        }
        let days: Vec<i64> = match (self.weekly, self.days.is_empty()) {
            (true, true) => vec![offset(start.weekday(), self.wkst)],
            (true, false) => self.days.iter().map(|d| offset(*d, self.wkst)).collect(),
            (false, _) => vec![0],
        };
        let mut out = Vec::new();
        let mut counted = 0u32;
        loop {
            let base = first + Duration::days(period * step);
            if base.and_time(start.time()) > before + Duration::days(7) {
                return out;
            }
            for d in &days {
                let date = base + Duration::days(*d);
                if !self.weekly && !self.days.is_empty() && !self.days.contains(&date.weekday()) {
                    continue;
                }
                let wall = date.and_time(start.time());
                if wall < start {
                    continue;
                }
                if wall > before || !within_until(wall) || out.len() >= limit {
                    return out;
                }
                counted += 1;
                if self.count.is_some_and(|c| counted > c) {
                    return out;
                }
                if wall >= after {
                    out.push(wall);
                }
            }
            period += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn only_the_simple_rules_take_this_path() {
        assert!(SimpleRule::parse("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;WKST=SU;COUNT=10").is_some());
        assert!(SimpleRule::parse("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;UNTIL=20261231T235959Z").is_some());
        for other in
            ["FREQ=MONTHLY", "FREQ=WEEKLY;BYDAY=1MO", "FREQ=DAILY;BYHOUR=9", "FREQ=WEEKLY;BYSETPOS=1", "INTERVAL=2"]
        {
            assert!(SimpleRule::parse(other).is_none(), "{other}");
        }
    }

    #[test]
    fn a_fortnightly_rule_keeps_its_weeks_from_wkst_and_counts_from_dtstart() {
        // RFC 5545's example: every other week on Tuesday and Thursday, from Tue 2 Sep 1997, 8 times.
        let r = SimpleRule::parse("FREQ=WEEKLY;INTERVAL=2;WKST=SU;BYDAY=TU,TH;COUNT=8").unwrap();
        let got: Vec<String> = r
            .walls(at("1997-09-02 09:00"), at("1997-01-01 00:00"), at("1998-01-01 00:00"), |_| true, 100)
            .iter()
            .map(|w| w.format("%m-%d").to_string())
            .collect();
        assert_eq!(got, ["09-02", "09-04", "09-16", "09-18", "09-30", "10-02", "10-14", "10-16"]);
    }
}
