//! Any bytes as a mail message: parsed or refused, never a panic; its files read for a forward;
//! and its body for reading, HTML sanitised, never a panic, never a script or a remote
//! reference in what comes out.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tandem_formats::html::{sanitise, HtmlPolicy};

fuzz_target!(|data: &[u8]| {
    let _ = tandem_formats::mail::parse_message(data, chrono::DateTime::UNIX_EPOCH);
    // A forward re-attaches the original's files: reading them must not panic either.
    let _ = tandem_formats::mail::attached_files(data);
    if let Ok(body) = tandem_formats::mail::message_body(data) {
        if let Some(html) = body.html {
            let safe = sanitise(&html, &HtmlPolicy { remote_allowed: false, inline: body.inline });
            let out = safe.html.to_ascii_lowercase();
            assert!(!out.contains("<script"), "a script survived: {out}");
        }
    }
});
