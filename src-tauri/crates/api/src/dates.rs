//! Reading the dates and instants people type: `today`, `2026-03-02`, RFC 3339.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::error::{ApiError, Result};

/// A local date, where `today`, `tomorrow` and `yesterday` are relative to `now` in `zone`.
pub fn parse_day(text: &str, now: DateTime<Utc>, zone: Tz) -> Result<NaiveDate> {
    let today = now.with_timezone(&zone).date_naive();
    match text.trim().to_ascii_lowercase().as_str() {
        "today" => Ok(today),
        "tomorrow" => Ok(today + Duration::days(1)),
        "yesterday" => Ok(today - Duration::days(1)),
        other => NaiveDate::parse_from_str(other, "%Y-%m-%d").map_err(|_| {
            ApiError::invalid(format!("'{text}' is not a date: use YYYY-MM-DD, today, tomorrow or yesterday"))
        }),
    }
}

/// An instant: RFC 3339 (`2026-03-02T09:00:00-05:00`), or a date meaning its UTC midnight.
pub fn parse_instant(text: &str) -> Result<DateTime<Utc>> {
    let t = text.trim();
    if let Ok(i) = DateTime::parse_from_rfc3339(t) {
        return Ok(i.with_timezone(&Utc));
    }
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Ok(d.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc());
    }
    Err(ApiError::invalid(format!("'{text}' is not an instant: use RFC 3339, e.g. 2026-03-02T09:00:00Z")))
}

/// The Monday of the week holding `date`.
pub fn week_start(date: NaiveDate) -> NaiveDate {
    use chrono::Datelike;
    date - Duration::days(i64::from(date.weekday().num_days_from_monday()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_is_the_date_in_the_executives_zone_not_in_utc() {
        let now: DateTime<Utc> = "2026-03-03T02:00:00Z".parse().unwrap();
        assert_eq!(parse_day("today", now, chrono_tz::America::New_York).unwrap().to_string(), "2026-03-02");
        assert_eq!(parse_day("today", now, chrono_tz::Asia::Tokyo).unwrap().to_string(), "2026-03-03");
        assert_eq!(parse_day("Tomorrow", now, chrono_tz::UTC).unwrap().to_string(), "2026-03-04");
    }

    #[test]
    fn a_bad_date_says_what_it_expected() {
        let err = parse_day("next tuesday", DateTime::UNIX_EPOCH, chrono_tz::UTC).unwrap_err();
        assert!(err.message.contains("YYYY-MM-DD"), "{err}");
    }

    #[test]
    fn instants_accept_rfc3339_and_dates() {
        assert_eq!(parse_instant("2026-03-02T09:00:00-05:00").unwrap().to_rfc3339(), "2026-03-02T14:00:00+00:00");
        assert_eq!(parse_instant("2026-03-02").unwrap().to_rfc3339(), "2026-03-02T00:00:00+00:00");
        assert!(parse_instant("soon").is_err());
    }

    #[test]
    fn weeks_start_on_monday() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(); // a Saturday
        assert_eq!(week_start(d).to_string(), "2026-11-23");
        assert_eq!(week_start(week_start(d)), week_start(d));
    }
}
