//! Any bytes as a mail message: parsed or refused, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = tandem_formats::mail::parse_message(data, chrono::DateTime::UNIX_EPOCH);
});
