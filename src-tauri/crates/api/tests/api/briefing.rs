//! The demo executive's briefing against golden files: the text and the HTML of Tuesday 24
//! and Thursday 26 November 2026 (a London day) at the fixed `now`. A difference fails with
//! both versions shown; `TANDEM_BLESS=1` rewrites the files, on purpose and never silently.

use std::path::PathBuf;

use super::{day, now, open_demo};

fn golden(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(name);
    if std::env::var_os("TANDEM_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("no golden file {}: run with TANDEM_BLESS=1 once, then read it", path.display()));
    if expected != actual {
        let first = expected.lines().zip(actual.lines()).position(|(a, b)| a != b).unwrap_or(0);
        panic!(
            "{} differs from the briefing now made, first at line {}:\n  golden: {:?}\n  now:    {:?}\n(TANDEM_BLESS=1 rewrites it)",
            path.display(),
            first + 1,
            expected.lines().nth(first),
            actual.lines().nth(first)
        );
    }
}

#[test]
fn the_demo_briefings_match_their_golden_text_and_html() {
    let (_d, t) = open_demo();
    for date in ["2026-11-24", "2026-11-26"] {
        let b = t.briefing(None, day(date), now()).unwrap();
        golden(&format!("briefing-{date}.txt"), &b.to_text());
        golden(&format!("briefing-{date}.html"), &b.to_html());
    }
}

#[test]
fn the_briefing_pdf_holds_the_days_text() {
    let (_d, t) = open_demo();
    let pdf = tandem_api::briefing::pdf(&t.briefing(None, day("2026-11-26"), now()).unwrap());
    assert!(pdf.starts_with(b"%PDF-"));
    // The text is checked by extracting it (pdftotext) where poppler-utils is installed.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("b.pdf");
    std::fs::write(&file, &pdf).unwrap();
    match std::process::Command::new("pdftotext").arg(&file).arg("-").output() {
        Ok(out) if out.status.success() => {
            let text = String::from_utf8_lossy(&out.stdout);
            for expected in ["Dana Okafor", "Thursday 26 November 2026", "Customer visit: Fabrikam HQ", "Europe/London"]
            {
                assert!(text.contains(expected), "'{expected}' is not in the PDF's text:\n{text}");
            }
        }
        _ => panic!("pdftotext (poppler-utils) is needed to read the PDF back: `make deps` installs it"),
    }
}

#[test]
fn the_briefing_is_queued_as_a_mail_to_the_executive_with_the_pdf_attached() {
    let (_d, mut t) = open_demo();
    let item = t.email_briefing(None, day("2026-11-24"), now()).unwrap();
    assert_eq!(
        (item.state.as_str(), item.recipients.as_slice()),
        ("queued", &["dana.okafor@northwind.example".to_string()][..])
    );
    let raw = t.outbox_message(None, item.id).unwrap();
    let parsed = tandem_formats::mail::parse_message(&raw, now()).unwrap().message;
    assert_eq!(parsed.subject, "Briefing: Tuesday 24 November");
    assert_eq!(parsed.from.address, "sam.rivera@northwind.example");
    assert!(parsed.has_html);
    assert!(parsed.body_text.starts_with("Briefing for Dana Okafor: Tuesday 24 November 2026"), "{}", parsed.body_text);
    let files = tandem_formats::mail::attached_files(&raw);
    assert_eq!(files.len(), 1);
    assert!(files[0].bytes.starts_with(b"%PDF-") && files[0].name == "Briefing 2026-11-24.pdf");
}
