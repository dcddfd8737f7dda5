//! Any bytes as a CalDAV server's answer: read as a multistatus (and as any XML) without a
//! panic or a stack overflow, every property lookup answering. And any href the answer names
//! goes back in a calendar-multiget body that is well-formed XML naming the same href.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tandem_formats::dav::{self, CALDAV, DAV};

fuzz_target!(|data: &[u8]| {
    let _ = dav::parse(data);
    let Ok(m) = dav::multistatus(data) else { return };
    for r in &m.responses {
        let _ = (r.prop_text(DAV, "getetag"), r.prop_href(DAV, "current-user-principal"), r.is_type(CALDAV, "calendar"));
        // XML reads "\r" as a line end, so only hrefs without one can come back unchanged.
        if r.href.contains('\r') {
            continue;
        }
        let body = dav::multiget([r.href.as_str()]);
        let again = dav::parse(body.as_bytes()).expect("a multiget body Tandem wrote is well-formed");
        assert_eq!(again.child_text(DAV, "href").as_deref(), Some(r.href.as_str()).filter(|h| !h.is_empty()));
    }
});
