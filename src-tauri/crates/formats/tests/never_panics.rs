//! Bad input is a value, never a panic: random text, random bytes, and valid files with random
//! damage all come back as a parse result or an error. (Coverage-guided fuzzing with cargo fuzz
//! comes with the calendar engine; these property tests run on every build.)

use proptest::prelude::*;
use tandem_formats::ics::parse_calendar;
use tandem_formats::mail::parse_message;

const VALID: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a@x\r\n\
DTSTART;TZID=Europe/London:20260302T090000\r\nDTEND;TZID=Europe/London:20260302T093000\r\n\
RRULE:FREQ=WEEKLY;BYDAY=MO\r\nEXDATE;TZID=Europe/London:20260309T090000\r\nSUMMARY:Standup\\, weekly\r\n\
ATTENDEE;CN=\"Okafor, Dana\";PARTSTAT=ACCEPTED:mailto:dana@n.example\r\nDURATION:PT30M\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

const MAIL: &str = "From: A <a@x.example>\r\nTo: b@y.example\r\nSubject: =?UTF-8?Q?caf=C3=A9?=\r\n\
Content-Type: multipart/alternative; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n\
--b\r\nContent-Type: text/calendar; method=REQUEST\r\n\r\nBEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n--b--\r\n";

fn damaged(base: &str, edits: Vec<(usize, u8, u8)>) -> Vec<u8> {
    let mut bytes = base.as_bytes().to_vec();
    for (pos, kind, byte) in edits {
        let at = pos % (bytes.len() + 1);
        match kind % 3 {
            0 if at < bytes.len() => bytes[at] = byte,
            1 => bytes.insert(at, byte),
            _ if at < bytes.len() => {
                bytes.remove(at);
            }
            _ => {}
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn any_text_is_read_or_refused_without_panicking(text in "\\PC{0,400}") {
        let _ = parse_calendar(&text);
    }

    #[test]
    fn a_damaged_calendar_is_read_or_refused_without_panicking(edits in prop::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 0..12)) {
        let bytes = damaged(VALID, edits);
        let text = String::from_utf8_lossy(&bytes);
        if let Ok(cal) = parse_calendar(&text) {
            for e in &cal.events {
                prop_assert!(!e.event.uid.is_empty());
            }
        }
    }

    #[test]
    fn any_bytes_are_read_as_mail_or_refused_without_panicking(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let _ = parse_message(&bytes, chrono::DateTime::UNIX_EPOCH);
    }

    #[test]
    fn a_damaged_message_is_read_or_refused_without_panicking(edits in prop::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 0..12)) {
        let _ = parse_message(&damaged(MAIL, edits), chrono::DateTime::UNIX_EPOCH);
    }
}
