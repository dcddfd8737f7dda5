//! A fast path for the rules most calendars are made of: DAILY or WEEKLY with plain weekdays,
//! MONTHLY on a day of the month or an nth weekday ("the first Tuesday", "the last Friday"),
//! YEARLY on DTSTART's date or on days of given months; an INTERVAL, COUNT or UNTIL, WKST,
//! BYMONTH. Nothing else (BYSETPOS, BYWEEKNO, BYYEARDAY, sub-daily rules go to the crate).
//!
//! Why by hand: the rrule crate builds a year's worth of day sets for every period it visits and
//! resolves every candidate in its zone, which made it most of the time Tandem spent on a year
//! of an executive's calendars. These rules are arithmetic: a week is seven days from the WKST
//! before DTSTART, a month has its days, a period is INTERVAL of them. A property test checks
//! this path against the crate's on random rules, zones and windows.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Weekday};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Freq {
    Daily,
    Weekly,
    Monthly,
    Yearly,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct SimpleRule {
    freq: Freq,
    interval: i64,
    count: Option<u32>,
    /// `UNTIL` as normalised (a `...Z` value in the series' frame terms).
    pub until: Option<NaiveDateTime>,
    /// BYDAY of a DAILY or WEEKLY rule, sorted from WKST; empty when the rule has none.
    days: Vec<Weekday>,
    /// BYDAY of a MONTHLY rule: (n, weekday), n = 0 for every such weekday of the month, else
    /// the nth (negative: from the end).
    nth_days: Vec<(i32, Weekday)>,
    /// BYMONTHDAY (negative: from the end of the month).
    month_days: Vec<i32>,
    /// BYMONTH, 1..=12, sorted.
    months: Vec<u32>,
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

fn days_in_month(year: i32, month: u32) -> u32 {
    let (y, m) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    NaiveDate::from_ymd_opt(y, m, 1).and_then(|d| d.pred_opt()).map_or(28, |d| d.day())
}

impl SimpleRule {
    /// The rule when it is one this path handles (after [`super::expand`]'s normalisation).
    pub fn parse(rule: &str) -> Option<Self> {
        let mut out = Self {
            freq: Freq::Daily,
            interval: 1,
            count: None,
            until: None,
            days: Vec::new(),
            nth_days: Vec::new(),
            month_days: Vec::new(),
            months: Vec::new(),
            wkst: Weekday::Mon,
        };
        let mut freq = false;
        let mut by_day: Vec<(i32, Weekday)> = Vec::new();
        for part in rule.split(';').filter(|p| !p.is_empty()) {
            let (key, value) = part.split_once('=')?;
            match key.to_ascii_uppercase().as_str() {
                "FREQ" => {
                    out.freq = match value.to_ascii_uppercase().as_str() {
                        "DAILY" => Freq::Daily,
                        "WEEKLY" => Freq::Weekly,
                        "MONTHLY" => Freq::Monthly,
                        "YEARLY" => Freq::Yearly,
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
                        let d = d.trim().to_ascii_uppercase();
                        let (n, code) = d.split_at(d.len().checked_sub(2)?);
                        let n =
                            if n.is_empty() { 0 } else { n.parse::<i32>().ok().filter(|n| *n != 0 && n.abs() <= 5)? };
                        by_day.push((n, weekday(code)?));
                    }
                }
                "BYMONTHDAY" => {
                    for d in value.split(',') {
                        out.month_days.push(d.trim().parse::<i32>().ok().filter(|n| *n != 0 && n.abs() <= 31)?);
                    }
                }
                "BYMONTH" => {
                    for m in value.split(',') {
                        out.months.push(m.trim().parse::<u32>().ok().filter(|m| (1..=12).contains(m))?);
                    }
                }
                _ => return None,
            }
        }
        if !freq || (out.count.is_some() && out.until.is_some()) {
            return None;
        }
        out.months.sort_unstable();
        out.months.dedup();
        match out.freq {
            Freq::Daily | Freq::Weekly => {
                if !out.month_days.is_empty() || !out.months.is_empty() || by_day.iter().any(|(n, _)| *n != 0) {
                    return None;
                }
                out.days = by_day.into_iter().map(|(_, d)| d).collect();
                out.days.sort_by_key(|d| offset(*d, out.wkst));
                out.days.dedup();
            }
            // Friday the 13th (BYDAY with BYMONTHDAY) is an intersection: the crate's job.
            Freq::Monthly if !by_day.is_empty() && !out.month_days.is_empty() => return None,
            // "MO,-1MO" mixes every Monday with the last one; the crate and dateutil read it as
            // their intersection, not the union RFC 5545's wording suggests: left to the crate.
            Freq::Monthly if by_day.iter().any(|(n, _)| *n == 0) && by_day.iter().any(|(n, _)| *n != 0) => return None,
            Freq::Monthly => out.nth_days = by_day,
            // A YEARLY BYDAY counts weeks of the year (or of BYMONTH's months); a YEARLY
            // BYMONTHDAY without BYMONTH means every month: both left to the crate.
            Freq::Yearly if !by_day.is_empty() || (!out.month_days.is_empty() && out.months.is_empty()) => return None,
            Freq::Yearly => {}
        }
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
        match self.freq {
            Freq::Daily | Freq::Weekly => self.day_walls(start, after, before, within_until, limit),
            Freq::Monthly | Freq::Yearly => self.month_walls(start, after, before, within_until, limit),
        }
    }

    /// MONTHLY and YEARLY: periods of INTERVAL months (or years), each giving the days its rule
    /// picks in its month(s), in order. Days a month does not have (the 31st of April) are none.
    fn month_walls(
        &self,
        start: NaiveDateTime,
        after: NaiveDateTime,
        before: NaiveDateTime,
        within_until: impl Fn(NaiveDateTime) -> bool,
        limit: usize,
    ) -> Vec<NaiveDateTime> {
        let yearly = self.freq == Freq::Yearly;
        let month_index = |d: NaiveDate| i64::from(d.year()) * 12 + i64::from(d.month0());
        let step = self.interval * if yearly { 12 } else { 1 };
        // The first period: DTSTART's month, or DTSTART's year (from January).
        let first = if yearly { i64::from(start.year()) * 12 } else { month_index(start.date()) };
        let last = month_index(before.date());
        let mut period = 0i64;
        if self.count.is_none() && month_index(after.date()) > first {
            period = ((month_index(after.date()) - first) / step - 1).max(0);
        }
        let months_of_period: Vec<i64> = if !yearly {
            vec![0]
        } else if self.months.is_empty() {
            vec![i64::from(start.month0())]
        } else {
            self.months.iter().map(|m| i64::from(*m) - 1).collect()
        };
        let time = start.time();
        let mut out = Vec::new();
        let mut counted = 0u32;
        let mut days: Vec<u32> = Vec::with_capacity(8);
        loop {
            let base = first + period * step;
            if base > last + 1 {
                return out;
            }
            for m in &months_of_period {
                let index = base + m;
                let (year, month) = ((index.div_euclid(12)) as i32, (index.rem_euclid(12)) as u32 + 1);
                if !yearly && !self.months.is_empty() && !self.months.contains(&month) {
                    continue;
                }
                self.days_of_month(year, month, start.day(), &mut days);
                for day in &days {
                    let Some(wall) = NaiveDate::from_ymd_opt(year, month, *day).map(|d| d.and_time(time)) else {
                        continue;
                    };
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
            }
            period += 1;
        }
    }

    /// The days of one month the rule picks, ascending, into `out`.
    fn days_of_month(&self, year: i32, month: u32, dtstart_day: u32, out: &mut Vec<u32>) {
        out.clear();
        let len = days_in_month(year, month);
        if !self.month_days.is_empty() {
            for n in &self.month_days {
                let day = if *n > 0 { *n } else { len as i32 + 1 + n };
                if (1..=len as i32).contains(&day) {
                    out.push(day as u32);
                }
            }
        } else if !self.nth_days.is_empty() {
            let Some(first_weekday) = NaiveDate::from_ymd_opt(year, month, 1).map(|d| d.weekday()) else { return };
            for (n, wd) in &self.nth_days {
                // The first such weekday of the month, then every seventh day.
                let first = 1 + (wd.num_days_from_monday() + 7 - first_weekday.num_days_from_monday()) % 7;
                let all = (first..=len).step_by(7);
                match n {
                    0 => out.extend(all),
                    n if *n > 0 => out.extend(all.clone().nth(*n as usize - 1)),
                    n => {
                        let all: Vec<u32> = all.collect();
                        out.extend(all.len().checked_sub(n.unsigned_abs() as usize).map(|i| all[i]));
                    }
                }
            }
        } else if dtstart_day <= len {
            out.push(dtstart_day);
        }
        out.sort_unstable();
        out.dedup();
    }

    /// DAILY and WEEKLY.
    fn day_walls(
        &self,
        start: NaiveDateTime,
        after: NaiveDateTime,
        before: NaiveDateTime,
        within_until: impl Fn(NaiveDateTime) -> bool,
        limit: usize,
    ) -> Vec<NaiveDateTime> {
        // Days are counted as plain numbers (days from 0001-01-01, a Monday): every wall has
        // DTSTART's time of day, so comparing walls is comparing days, and a date is only
        // built for the walls kept. This loop runs for every instance of most series.
        let day = |d: NaiveDate| i64::from(d.num_days_from_ce());
        let weekday_of = |n: i64| (n - 1).rem_euclid(7);
        let time = start.time();
        let weekly = self.freq == Freq::Weekly;
        let step = if weekly { 7 * self.interval } else { self.interval };
        let start_day = day(start.date());
        // The first period: the week (from WKST) holding DTSTART, or DTSTART's day.
        let first = if weekly { start_day - offset(start.weekday(), self.wkst) } else { start_day };
        // The last day a wall may fall on, and whether a wall on it is still in (its time).
        let (last_day, last_day_in) = (day(before.date()), time <= before.time());
        let after_day = day(after.date());
        let after_day_in = time >= after.time();
        // Without COUNT nothing before the window matters: skip whole periods to just before it.
        let mut period = 0i64;
        if self.count.is_none() && after_day > first {
            period = ((after_day - first) / step - 1).max(0);
        }
        let days: Vec<i64> = match (weekly, self.days.is_empty()) {
            (true, true) => vec![offset(start.weekday(), self.wkst)],
            (true, false) => self.days.iter().map(|d| offset(*d, self.wkst)).collect(),
            (false, _) => vec![0],
        };
        let allowed: [bool; 7] = std::array::from_fn(|i| {
            weekly || self.days.is_empty() || self.days.iter().any(|d| d.num_days_from_monday() as usize == i)
        });
        let mut out = Vec::new();
        let mut counted = 0u32;
        loop {
            let base = first + period * step;
            if base > last_day + 7 {
                return out;
            }
            for d in &days {
                let n = base + d;
                if !allowed[weekday_of(n) as usize] || n < start_day {
                    continue;
                }
                if n > last_day || (n == last_day && !last_day_in) || out.len() >= limit {
                    return out;
                }
                let Some(wall) = NaiveDate::from_num_days_from_ce_opt(n as i32).map(|d| d.and_time(time)) else {
                    return out;
                };
                if !within_until(wall) {
                    return out;
                }
                counted += 1;
                if self.count.is_some_and(|c| counted > c) {
                    return out;
                }
                if n > after_day || (n == after_day && after_day_in) {
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
        assert!(SimpleRule::parse("FREQ=MONTHLY;BYDAY=1TU,-1FR").is_some());
        assert!(SimpleRule::parse("FREQ=YEARLY;BYMONTH=3,9;BYMONTHDAY=-1").is_some());
        for other in [
            "FREQ=WEEKLY;BYDAY=1MO",
            "FREQ=DAILY;BYHOUR=9",
            "FREQ=WEEKLY;BYSETPOS=1",
            "INTERVAL=2",
            "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13",
            "FREQ=YEARLY;BYDAY=1SU;BYMONTH=3",
            "FREQ=YEARLY;BYMONTHDAY=1",
            "FREQ=HOURLY",
        ] {
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

    #[test]
    fn monthly_rules_skip_months_without_the_day_and_count_nth_weekdays_from_either_end() {
        let walls = |rule: &str, from: &str| -> Vec<String> {
            SimpleRule::parse(rule)
                .unwrap()
                .walls(at(from), at("1997-01-01 00:00"), at("1998-12-31 00:00"), |_| true, 100)
                .iter()
                .map(|w| w.format("%Y-%m-%d").to_string())
                .collect()
        };
        // RFC 5545: monthly on the first Friday, ten times, from 5 Sep 1997.
        assert_eq!(walls("FREQ=MONTHLY;COUNT=10;BYDAY=1FR", "1997-09-05 09:00")[9], "1998-06-05");
        // Every other month on the first and last Sunday, ten times.
        assert_eq!(
            walls("FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU", "1997-09-07 09:00"),
            [
                "1997-09-07",
                "1997-09-28",
                "1997-11-02",
                "1997-11-30",
                "1998-01-04",
                "1998-01-25",
                "1998-03-01",
                "1998-03-29",
                "1998-05-03",
                "1998-05-31"
            ]
        );
        // The 31st only in months that have one.
        assert_eq!(
            walls("FREQ=MONTHLY;COUNT=4", "1997-10-31 09:00"),
            ["1997-10-31", "1997-12-31", "1998-01-31", "1998-03-31"]
        );
        // Yearly in June and July on DTSTART's day, ten times (RFC 5545).
        assert_eq!(
            walls("FREQ=YEARLY;COUNT=10;BYMONTH=6,7", "1997-06-10 09:00")[..4],
            ["1997-06-10", "1997-07-10", "1998-06-10", "1998-07-10"]
        );
    }
}
