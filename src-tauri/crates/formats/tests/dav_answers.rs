//! Real answers from Radicale and Xandikos (tests/fixtures/dav, captured from each server on
//! loopback; named after what each shows), read as the CalDAV client reads them. The two
//! servers write the same things differently: a default namespace and CRLF-less calendar data
//! (Radicale), `ns0:` prefixes and propstat status before prop (Xandikos).

use std::path::PathBuf;

use tandem_formats::dav::{multistatus, Multistatus, CALDAV, CALSERVER, DAV};

fn answer(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../tests/fixtures/dav").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn read(name: &str) -> Multistatus {
    multistatus(&answer(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The last path segment of each response's href, sorted.
fn members(m: &Multistatus) -> Vec<String> {
    let mut names: Vec<String> = m.responses.iter().map(|r| r.href.rsplit('/').next().unwrap().to_string()).collect();
    names.sort();
    names
}

const SERVERS: [&str; 2] = ["radicale", "xandikos"];

#[test]
fn discovery_answers_name_the_principal_and_the_calendar_home() {
    for (server, home) in [("radicale", "/dana/"), ("xandikos", "/dana/calendars/")] {
        let principal = read(&format!("{server}-principal.xml"));
        assert_eq!(
            principal.responses[0].prop_href(DAV, "current-user-principal").as_deref(),
            Some("/dana/"),
            "{server}"
        );
        let found = read(&format!("{server}-calendar-home.xml"));
        assert_eq!(found.responses[0].prop_href(CALDAV, "calendar-home-set").as_deref(), Some(home), "{server}");
    }
}

#[test]
fn the_calendar_homes_listing_tells_calendars_from_other_collections_with_their_names_and_tags() {
    for (server, name) in [("radicale", "Work & Board"), ("xandikos", "calendar")] {
        let listing = read(&format!("{server}-calendars-in-the-home.xml"));
        let calendars: Vec<_> = listing.responses.iter().filter(|r| r.is_type(CALDAV, "calendar")).collect();
        assert_eq!(calendars.len(), 1, "{server}: {listing:?}");
        let c = calendars[0];
        assert_eq!(c.prop_text(DAV, "displayname").as_deref(), Some(name), "{server}");
        assert!(c.prop_text(CALSERVER, "getctag").is_some() || c.prop_text(DAV, "sync-token").is_some(), "{server}");
        assert!(c.prop(DAV, "supported-report-set").is_some(), "{server}");
        assert!(listing.responses.len() > calendars.len(), "{server}: the home itself is listed, not a calendar");
    }
}

#[test]
fn a_sync_collection_lists_members_with_their_etags_then_only_what_changed_and_what_went() {
    for server in SERVERS {
        let first = read(&format!("{server}-first-sync-collection.xml"));
        assert_eq!(members(&first), ["e0.ics", "e1.ics", "e2.ics"], "{server}");
        assert!(first.responses.iter().all(|r| r.prop_text(DAV, "getetag").is_some()), "{server}");
        assert!(first.sync_token.is_some(), "{server}");

        let next = read(&format!("{server}-sync-collection-with-a-deleted-member.xml"));
        let changed: Vec<_> = next.responses.iter().filter(|r| r.status.is_none()).collect();
        let gone: Vec<_> = next.responses.iter().filter(|r| r.status == Some(404)).collect();
        assert_eq!((changed.len(), gone.len()), (1, 1), "{server}: {next:?}");
        assert!(changed[0].href.ends_with("/e1.ics") && changed[0].prop_text(DAV, "getetag").is_some(), "{server}");
        assert!(gone[0].href.ends_with("/e2.ics"), "{server}");
        assert_ne!(next.sync_token, first.sync_token, "{server}");
    }
}

#[test]
fn a_multiget_gives_each_members_calendar_data_unescaped_and_marks_the_missing_one() {
    for server in SERVERS {
        let got = read(&format!("{server}-multiget-with-a-missing-member.xml"));
        assert_eq!(members(&got), ["e0.ics", "e1.ics", "missing.ics"], "{server}");
        let data = |file: &str| {
            let r = got.responses.iter().find(|r| r.href.ends_with(file)).unwrap();
            r.prop_text(CALDAV, "calendar-data")
        };
        assert!(data("e0.ics").is_some_and(|d| d.contains("SUMMARY:Meeting 0 <R&D>")), "{server}");
        assert!(
            data("e1.ics").is_some_and(|d| d.contains("SUMMARY:Moved") && d.starts_with("BEGIN:VCALENDAR")),
            "{server}"
        );
        assert_eq!(data("missing.ics"), None, "{server}");
        let missing = got.responses.iter().find(|r| r.href.ends_with("missing.ics")).unwrap();
        assert_eq!(missing.status, Some(404), "{server}");
    }
}

#[test]
fn a_forgotten_sync_token_is_an_error_body_not_a_multistatus() {
    for server in SERVERS {
        let e = multistatus(&answer(&format!("{server}-forgotten-sync-token.xml"))).unwrap_err();
        assert!(e.detail.contains("expected a DAV multistatus, got <error>"), "{server}: {e}");
    }
}
