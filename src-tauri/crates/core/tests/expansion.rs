//! Recurrence expansion on rules nobody wrote on purpose: any combination of rule parts, any
//! window, answers or a clear error, never a panic; and instances always fall in the window.

use chrono::{Duration, NaiveDate};
use proptest::prelude::*;
use tandem_core::calendar::{Event, EventTime};
use tandem_core::{expand_series, TimeWindow};

fn rule_part() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec!["SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY", "BOGUS"])
            .prop_map(|f| format!("FREQ={f}")),
        (0u32..400).prop_map(|n| format!("INTERVAL={n}")),
        (0u32..50).prop_map(|n| format!("COUNT={n}")),
        prop::sample::select(vec!["MO", "TU,TH", "1FR", "-1SU", "5WE", "XX"]).prop_map(|d| format!("BYDAY={d}")),
        (-35i32..35).prop_map(|d| format!("BYMONTHDAY={d}")),
        (0u32..14).prop_map(|m| format!("BYMONTH={m}")),
        (-400i32..400).prop_map(|n| format!("BYSETPOS={n}")),
        (0u32..25).prop_map(|h| format!("BYHOUR={h}")),
        Just("UNTIL=20270101T000000Z".to_string()),
        Just("WKST=SU".to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, ..ProptestConfig::default() })]

    #[test]
    fn any_rule_expands_inside_the_window_or_is_refused(
        parts in prop::collection::vec(rule_part(), 1..5),
        start_day in 0i64..3000,
        window_day in 0i64..3000,
        window_days in 1i64..40,
        zoned in any::<bool>(),
    ) {
        let base = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        let local = (base + Duration::days(start_day)).and_hms_opt(2, 30, 0).unwrap();
        let start = if zoned {
            EventTime::Zoned { local, zone: chrono_tz::Europe::Berlin }
        } else {
            EventTime::Floating { local }
        };
        let mut e = Event::new("p@test", "P", start);
        e.duration_seconds = Some(1800);
        e.rrules = vec![parts.join(";")];
        let from = (base + Duration::days(window_day)).and_hms_opt(0, 0, 0).unwrap().and_utc();
        let window = TimeWindow::new(from, from + Duration::days(window_days));
        if let Ok(occurrences) = expand_series(Some(&e), &[], window, chrono_tz::America::New_York) {
            for o in occurrences {
                prop_assert!(window.overlaps(o.start_utc, o.end_utc), "{:?} outside {:?}", o.start, window);
            }
        }
    }
}
