//! WebDAV and CalDAV XML (RFC 4918, 4791, 6578): the bodies Tandem sends and the multistatus
//! answers it reads.
//!
//! Answers are read namespace-aware (quick-xml's `NsReader`) into a small element tree, because
//! servers pick their own prefixes (`D:`, `d:`, a default namespace) and their own order, and a
//! multistatus is easiest to read by asking for children by namespace and name. Bad XML is an
//! error value naming where it broke; anything unknown in it is ignored.

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

pub const DAV: &str = "DAV:";
pub const CALDAV: &str = "urn:ietf:params:xml:ns:caldav";
/// CalendarServer's extensions: `getctag`, the collection's change tag before sync tokens.
pub const CALSERVER: &str = "http://calendarserver.org/ns/";
/// Apple's iCal properties: `calendar-color`.
pub const APPLE_ICAL: &str = "http://apple.com/ns/ical/";

/// An element of an answer: its namespace, local name, text (concatenated, entities resolved)
/// and children.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Element {
    pub ns: String,
    pub name: String,
    /// Attributes by local name (`<C:comp name="VEVENT"/>`), values unescaped.
    pub attributes: Vec<(String, String)>,
    pub text: String,
    pub children: Vec<Element>,
}

impl Element {
    pub fn is(&self, ns: &str, name: &str) -> bool {
        self.ns == ns && self.name == name
    }

    pub fn child(&self, ns: &str, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.is(ns, name))
    }

    pub fn children<'a>(&'a self, ns: &'a str, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.is(ns, name))
    }

    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The trimmed text of the child `ns:name`, when present and not empty.
    pub fn child_text(&self, ns: &str, name: &str) -> Option<String> {
        self.child(ns, name).map(|c| c.text.trim().to_string()).filter(|t| !t.is_empty())
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("the server's XML is malformed at byte {position}: {detail}")]
pub struct XmlError {
    pub position: u64,
    pub detail: String,
}

/// How deep an answer may nest. A multistatus is about eight levels deep (calendar data is
/// text); a server sending thousands would otherwise make a tree whose recursive drop
/// overflows the stack.
pub const MAX_DEPTH: usize = 64;

/// Reads a whole XML document into its root element.
pub fn parse(body: &[u8]) -> Result<Element, XmlError> {
    let mut reader = NsReader::from_reader(body);
    let mut buf = Vec::new();
    // The open elements, innermost last; the root is what is left when the first one closes.
    let mut open: Vec<Element> = Vec::new();
    let fail = |reader: &NsReader<&[u8]>, detail: String| XmlError { position: reader.buffer_position(), detail };
    loop {
        let (namespace, event) = match reader.read_resolved_event_into(&mut buf) {
            Ok((ResolveResult::Bound(n), event)) => (n.as_ref().to_string(), event),
            Ok((_, event)) => (String::new(), event),
            Err(e) => {
                let detail = e.to_string();
                return Err(fail(&reader, detail));
            }
        };
        match event {
            Event::Start(e) => {
                if open.len() == MAX_DEPTH {
                    return Err(fail(&reader, format!("elements nested deeper than {MAX_DEPTH}")));
                }
                let name = e.local_name().as_ref().to_string();
                let attributes = attributes(&e).map_err(|d| fail(&reader, d))?;
                open.push(Element { ns: namespace, name, attributes, ..Default::default() });
            }
            Event::Empty(e) => {
                let name = e.local_name().as_ref().to_string();
                let attributes = attributes(&e).map_err(|d| fail(&reader, d))?;
                let element = Element { ns: namespace, name, attributes, ..Default::default() };
                match open.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => return Ok(element),
                }
            }
            Event::End(_) => {
                let done = open.pop().ok_or_else(|| fail(&reader, "a closing tag with nothing open".into()))?;
                match open.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => return Ok(done),
                }
            }
            Event::Text(t) => {
                if let Some(e) = open.last_mut() {
                    e.text.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some(e) = open.last_mut() {
                    e.text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref().map_err(|e| fail(&reader, e.to_string()))? {
                    Some(c) => c,
                    None => match r.xml10_content().as_ref() {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        "apos" => '\'',
                        other => return Err(fail(&reader, format!("unknown entity &{other};"))),
                    },
                };
                if let Some(e) = open.last_mut() {
                    e.text.push(resolved);
                }
            }
            Event::Eof => return Err(fail(&reader, "the document ends before its root element closes".into())),
            _ => {}
        }
        buf.clear();
    }
}

fn attributes(e: &quick_xml::events::BytesStart<'_>) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|e| e.to_string())?;
        let key = a.key.local_name();
        // Namespace declarations are the reader's business, not the element's.
        if a.key.as_ref().starts_with("xmlns") {
            continue;
        }
        let value = a.normalized_value(quick_xml::XmlVersion::Implicit1_0).map_err(|e| e.to_string())?;
        out.push((key.as_ref().to_string(), value.into_owned()));
    }
    Ok(out)
}

/// One `<response>` of a multistatus: the resource, its own status when the whole response
/// has one (a member removed, in a sync-collection answer), and the properties the server
/// found (those in a `200` propstat).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Response {
    pub href: String,
    pub status: Option<u16>,
    pub props: Vec<Element>,
}

impl Response {
    pub fn prop(&self, ns: &str, name: &str) -> Option<&Element> {
        self.props.iter().find(|p| p.is(ns, name))
    }

    pub fn prop_text(&self, ns: &str, name: &str) -> Option<String> {
        self.prop(ns, name).map(|p| p.text.trim().to_string()).filter(|t| !t.is_empty())
    }

    /// The first `<href>` inside a property (current-user-principal, calendar-home-set).
    pub fn prop_href(&self, ns: &str, name: &str) -> Option<String> {
        self.prop(ns, name)?.child_text(DAV, "href")
    }

    /// Whether `resourcetype` holds `ns:name` (a calendar collection).
    pub fn is_type(&self, ns: &str, name: &str) -> bool {
        self.prop(DAV, "resourcetype").is_some_and(|t| t.child(ns, name).is_some())
    }
}

/// A multistatus answer: its responses, and the new sync token of a sync-collection REPORT.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Multistatus {
    pub responses: Vec<Response>,
    pub sync_token: Option<String>,
}

/// `HTTP/1.1 404 Not Found` -> 404.
fn status_code(line: &str) -> Option<u16> {
    line.split_whitespace().nth(1)?.parse().ok()
}

pub fn multistatus(body: &[u8]) -> Result<Multistatus, XmlError> {
    let root = parse(body)?;
    if !root.is(DAV, "multistatus") {
        return Err(XmlError { position: 0, detail: format!("expected a DAV multistatus, got <{}>", root.name) });
    }
    let responses = root
        .children(DAV, "response")
        .map(|r| {
            let props = r
                .children(DAV, "propstat")
                .filter(|ps| ps.child_text(DAV, "status").and_then(|s| status_code(&s)).is_none_or(|c| c / 100 == 2))
                .filter_map(|ps| ps.child(DAV, "prop"))
                .flat_map(|p| p.children.iter().cloned())
                .collect();
            Response {
                href: r.child_text(DAV, "href").unwrap_or_default(),
                status: r.child_text(DAV, "status").and_then(|s| status_code(&s)),
                props,
            }
        })
        .collect();
    Ok(Multistatus { responses, sync_token: root.child_text(DAV, "sync-token") })
}

/// Escapes text for an XML body (hrefs in a multiget, a sync token).
pub fn escape(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}

/// PROPFIND for the principal: who the user is.
pub const PROPFIND_PRINCIPAL: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:"><d:prop><d:current-user-principal/><d:resourcetype/></d:prop></d:propfind>"#;

/// PROPFIND on the principal: where the calendars live.
pub const PROPFIND_HOME: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><c:calendar-home-set/><d:displayname/></d:prop></d:propfind>"#;

/// PROPFIND (depth 1) on the home: each calendar, how to show it, and how to tell it changed.
pub const PROPFIND_CALENDARS: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" xmlns:cs="http://calendarserver.org/ns/" xmlns:a="http://apple.com/ns/ical/">
<d:prop><d:resourcetype/><d:displayname/><a:calendar-color/><c:supported-calendar-component-set/><cs:getctag/><d:sync-token/><d:supported-report-set/><d:current-user-privilege-set/></d:prop></d:propfind>"#;

/// PROPFIND (depth 0) on one calendar: whether it changed at all.
pub const PROPFIND_CTAG: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:" xmlns:cs="http://calendarserver.org/ns/"><d:prop><cs:getctag/><d:sync-token/></d:prop></d:propfind>"#;

/// PROPFIND (depth 1) on one calendar: every member's ETag (the comparison without sync tokens).
pub const PROPFIND_ETAGS: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:"><d:prop><d:getetag/><d:resourcetype/></d:prop></d:propfind>"#;

/// The sync-collection REPORT (RFC 6578) from `token` (empty: everything, the first time).
pub fn sync_collection(token: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<d:sync-collection xmlns:d="DAV:"><d:sync-token>{}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>"#,
        escape(token)
    )
}

/// The calendar-multiget REPORT (RFC 4791 §7.9) of `hrefs`: their ETags and data.
pub fn multiget<'a>(hrefs: impl IntoIterator<Item = &'a str>) -> String {
    let mut body = String::from(
        r#"<?xml version="1.0" encoding="utf-8"?>
<c:calendar-multiget xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/><c:calendar-data/></d:prop>"#,
    );
    for h in hrefs {
        body.push_str("<d:href>");
        body.push_str(&escape(h));
        body.push_str("</d:href>");
    }
    body.push_str("</c:calendar-multiget>");
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_multistatus_is_read_whatever_prefixes_the_server_chose_and_failed_propstats_are_left_out() {
        let body = br#"<?xml version="1.0"?>
<multistatus xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:CS="http://calendarserver.org/ns/">
 <response><href>/dana/work/</href>
  <propstat><prop><resourcetype><collection/><C:calendar/></resourcetype><displayname>Work &amp; board</displayname>
   <CS:getctag>"c-1"</CS:getctag></prop><status>HTTP/1.1 200 OK</status></propstat>
  <propstat><prop><sync-token/></prop><status>HTTP/1.1 404 Not Found</status></propstat>
 </response>
 <response><href>/dana/work/gone.ics</href><status>HTTP/1.1 404 Not Found</status></response>
 <sync-token>http://x/sync/7</sync-token>
</multistatus>"#;
        let m = multistatus(body).unwrap();
        assert_eq!(m.responses.len(), 2);
        let work = &m.responses[0];
        assert_eq!(work.href, "/dana/work/");
        assert!(work.is_type(CALDAV, "calendar"));
        assert_eq!(work.prop_text(DAV, "displayname").as_deref(), Some("Work & board"));
        assert_eq!(work.prop_text(CALSERVER, "getctag").as_deref(), Some("\"c-1\""));
        assert!(work.prop(DAV, "sync-token").is_none(), "a 404 propstat is not a property");
        assert_eq!(m.responses[1].status, Some(404));
        assert_eq!(m.sync_token.as_deref(), Some("http://x/sync/7"));
    }

    #[test]
    fn calendar_data_keeps_its_text_from_cdata_or_escaped_text_with_line_ends_as_xml_reads_them() {
        let body = "<d:multistatus xmlns:d=\"DAV:\" xmlns:cal=\"urn:ietf:params:xml:ns:caldav\"><d:response><d:href>/a.ics</d:href>\
            <d:propstat><d:prop><d:getetag>\"1\"</d:getetag><cal:calendar-data><![CDATA[BEGIN:VCALENDAR\r\nX:a<b\r\nEND:VCALENDAR\r\n]]></cal:calendar-data></d:prop>\
            <d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>\
            <d:response><d:href>/b.ics</d:href><d:propstat><d:prop><cal:calendar-data>SUMMARY:R&amp;D &#x263A;</cal:calendar-data></d:prop></d:propstat></d:response></d:multistatus>";
        let m = multistatus(body.as_bytes()).unwrap();
        let a = m.responses[0].prop(CALDAV, "calendar-data").unwrap();
        // XML reads CRLF as LF (XML 1.0 §2.11); the iCalendar reader takes either.
        assert!(a.text.contains("X:a<b\nEND:VCALENDAR"), "{:?}", a.text);
        assert_eq!(m.responses[1].prop_text(CALDAV, "calendar-data").as_deref(), Some("SUMMARY:R&D ☺"));
    }

    #[test]
    fn broken_xml_is_an_error_that_says_where_never_a_panic() {
        for bad in [
            &b""[..],
            b"<d:multistatus xmlns:d=\"DAV:\">",
            b"<a></b>",
            b"<a>&bogus;</a>",
            b"\xff\xfe<",
            b"<html>login</html>",
        ] {
            let r = multistatus(bad);
            assert!(r.is_err(), "{:?}", String::from_utf8_lossy(bad));
        }
        assert!(multistatus(b"<a></b>").unwrap_err().to_string().contains("at byte"));
    }

    #[test]
    fn an_answer_nested_past_the_limit_is_refused_before_it_is_built() {
        let deep = |n: usize| format!("{}{}", "<a>".repeat(n), "</a>".repeat(n));
        assert!(parse(deep(MAX_DEPTH).as_bytes()).is_ok());
        let e = parse(deep(200_000).as_bytes()).unwrap_err();
        assert!(e.detail.contains("nested deeper than 64"), "{e}");
    }

    #[test]
    fn attributes_are_kept_by_local_name() {
        let set = parse(br#"<C:supported-calendar-component-set xmlns:C="urn:ietf:params:xml:ns:caldav"><C:comp name="VEVENT"/><C:comp name="V&amp;TODO"/></C:supported-calendar-component-set>"#).unwrap();
        let names: Vec<&str> = set.children(CALDAV, "comp").filter_map(|c| c.attribute("name")).collect();
        assert_eq!(names, ["VEVENT", "V&TODO"]);
        assert!(set.attributes.is_empty(), "xmlns declarations are not attributes");
    }

    #[test]
    fn request_bodies_escape_what_goes_in_them() {
        assert!(multiget(["/cal/a&b.ics"]).contains("<d:href>/cal/a&amp;b.ics</d:href>"));
        assert!(sync_collection("http://x/?a=1&b=2").contains("<d:sync-token>http://x/?a=1&amp;b=2</d:sync-token>"));
        parse(multiget(["/a.ics", "/b.ics"]).as_bytes()).unwrap();
        parse(PROPFIND_CALENDARS.as_bytes()).unwrap();
    }
}
