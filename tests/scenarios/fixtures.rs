//! Every fixture in `fixtures/ics/` (a file, or a folder of files for several calendars) is
//! imported into a fresh store through the same path as `tandem import`, and the merged view
//! over the window in `<name>.expected.json` must equal the occurrences listed there. The
//! expected files were worked out by hand; each says why its answer is right.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Deserialize;
use tandem_api::Tandem;
use tandem_tests::{files_with_suffix, fixtures};

#[derive(Deserialize)]
struct Expected {
    why: String,
    zone: String,
    from: NaiveDate,
    days: u32,
    occurrences: Vec<Occurrence>,
}

#[derive(Deserialize, Debug, PartialEq)]
struct Occurrence {
    summary: String,
    start: String,
    end: String,
    calendars: Vec<String>,
}

fn run_fixture(input: &Path, expected: &Expected) -> Vec<Occurrence> {
    let dir = tempfile::tempdir().unwrap();
    let mut t = Tandem::open(Some(dir.path().to_path_buf())).unwrap();
    t.save_profile(&format!(
        "id = \"fixture\"\nname = \"Fixture\"\naddresses = [\"exec@fixtures.example\"]\nhome_time_zone = \"{}\"\n",
        expected.zone
    ))
    .unwrap();
    let files: Vec<PathBuf> = if input.is_dir() { files_with_suffix(input, ".ics") } else { vec![input.to_path_buf()] };
    // Sorted file names decide calendar order, so "board.ics" comes before "work.ics".
    for r in t.import_files(None, &files, "2026-01-01T00:00:00Z".parse().unwrap()).unwrap().files {
        assert!(r.error.is_none() && r.problems.is_empty(), "{}: {:?} {:?}", input.display(), r.error, r.problems);
    }
    let range = t.calendar_range(None, expected.from, expected.days).unwrap();
    assert!(range.problems.is_empty(), "{:?}", range.problems);
    range
        .items
        .into_iter()
        .map(|i| Occurrence { summary: i.summary, start: i.start, end: i.end, calendars: i.calendars })
        .collect()
}

#[test]
fn every_calendar_fixture_expands_and_merges_to_its_expected_occurrences() {
    let dir = fixtures().join("ics");
    let expectations = files_with_suffix(&dir, ".expected.json");
    assert!(expectations.len() >= 4, "fixtures are missing from {}", dir.display());
    for expected_path in expectations {
        let name = expected_path.file_name().unwrap().to_string_lossy().replace(".expected.json", "");
        let expected: Expected = serde_json::from_str(&std::fs::read_to_string(&expected_path).unwrap()).unwrap();
        let input = if dir.join(&name).is_dir() { dir.join(&name) } else { dir.join(format!("{name}.ics")) };
        let got = run_fixture(&input, &expected);
        assert_eq!(got, expected.occurrences, "fixture '{name}': {}", expected.why);
    }
}
