//! Content lines (RFC 5545 §3.1): unfolding, `NAME;PARAM=a,"b:c":value`, text escaping, and
//! writing lines back folded at 75 octets.

use std::borrow::Cow;

/// One logical (unfolded) line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContentLine {
    /// Upper-cased property name (the common ones without an allocation: see [`KNOWN_NAMES`]).
    pub name: Cow<'static, str>,
    /// Parameters in written order; names upper-cased, values unquoted.
    pub params: Vec<(String, Vec<String>)>,
    /// The raw value, still escaped.
    pub value: String,
    /// 1-based number of the first physical line.
    pub line: usize,
}

impl ContentLine {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(n, _)| n == name).and_then(|(_, v)| v.first()).map(String::as_str)
    }

    /// The logical line again (`NAME;PARAM=v:value`), unfolded; parameter values are quoted
    /// where RFC 5545 requires it. Reading it back gives an equal line.
    pub fn to_logical(&self) -> String {
        let mut line = self.name.to_string();
        for (name, values) in &self.params {
            line.push(';');
            line.push_str(name);
            line.push('=');
            for (i, v) in values.iter().enumerate() {
                if i > 0 {
                    line.push(',');
                }
                push_param_value(&mut line, v);
            }
        }
        line.push(':');
        line.push_str(&self.value);
        line
    }
}

fn push_param_value(line: &mut String, v: &str) {
    if v.contains([':', ';', ',']) {
        line.push('"');
        line.push_str(v);
        line.push('"');
    } else {
        line.push_str(v);
    }
}

/// Logical lines with the 1-based number of their first physical line. Physical lines end in
/// CRLF or a bare LF (both are written in the wild); a line starting with a space or tab
/// continues the previous one.
/// An unfolded line borrows the text; only a folded one is copied (to join its pieces).
pub fn unfold(text: &str) -> Vec<(usize, Cow<'_, str>)> {
    unfold_lines(&physical_lines(text))
}

/// The physical lines of `text`, without their CR or LF.
pub fn physical_lines(text: &str) -> Vec<&str> {
    text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect()
}

/// [`unfold`] over lines already split.
pub fn unfold_lines<'a>(lines: &[&'a str]) -> Vec<(usize, Cow<'a, str>)> {
    let mut out: Vec<(usize, Cow<'a, str>)> = Vec::with_capacity(lines.len());
    for (i, physical) in lines.iter().copied().enumerate() {
        if let Some(rest) = physical.strip_prefix([' ', '\t']) {
            if let Some(last) = out.last_mut() {
                last.1.to_mut().push_str(rest);
                continue;
            }
        }
        if physical.is_empty() {
            continue;
        }
        out.push((i + 1, Cow::Borrowed(physical)));
    }
    out
}

/// Property, parameter and component names met in nearly every file, as `&'static str` so
/// that reading a line does not allocate its name. A `match` rather than a table search: this
/// runs for every line of every file.
fn known_name(upper: &str) -> Option<&'static str> {
    Some(match upper {
        "BEGIN" => "BEGIN",
        "END" => "END",
        "UID" => "UID",
        "DTSTART" => "DTSTART",
        "DTEND" => "DTEND",
        "DTSTAMP" => "DTSTAMP",
        "SUMMARY" => "SUMMARY",
        "DESCRIPTION" => "DESCRIPTION",
        "LOCATION" => "LOCATION",
        "RRULE" => "RRULE",
        "RDATE" => "RDATE",
        "EXDATE" => "EXDATE",
        "RECURRENCE-ID" => "RECURRENCE-ID",
        "SEQUENCE" => "SEQUENCE",
        "STATUS" => "STATUS",
        "TRANSP" => "TRANSP",
        "ORGANIZER" => "ORGANIZER",
        "ATTENDEE" => "ATTENDEE",
        "CATEGORIES" => "CATEGORIES",
        "DURATION" => "DURATION",
        "CREATED" => "CREATED",
        "LAST-MODIFIED" => "LAST-MODIFIED",
        "CLASS" => "CLASS",
        "PRIORITY" => "PRIORITY",
        "URL" => "URL",
        "TZID" => "TZID",
        "TZOFFSETFROM" => "TZOFFSETFROM",
        "TZOFFSETTO" => "TZOFFSETTO",
        "TZNAME" => "TZNAME",
        "ACTION" => "ACTION",
        "TRIGGER" => "TRIGGER",
        "VERSION" => "VERSION",
        "PRODID" => "PRODID",
        "CALSCALE" => "CALSCALE",
        "METHOD" => "METHOD",
        "X-WR-CALNAME" => "X-WR-CALNAME",
        "X-WR-TIMEZONE" => "X-WR-TIMEZONE",
        "CN" => "CN",
        "ROLE" => "ROLE",
        "PARTSTAT" => "PARTSTAT",
        "RSVP" => "RSVP",
        "CUTYPE" => "CUTYPE",
        "VALUE" => "VALUE",
        "RANGE" => "RANGE",
        "RELATED" => "RELATED",
        _ => return None,
    })
}

/// `name` upper-cased, without allocating when it is a known name.
fn upper_name(name: &str) -> Cow<'static, str> {
    if let Some(k) = known_name(name) {
        return Cow::Borrowed(k);
    }
    let upper = name.to_ascii_uppercase();
    match known_name(&upper) {
        Some(k) => Cow::Borrowed(k),
        None => Cow::Owned(upper),
    }
}

/// Parses one logical line. Errors say what is wrong without the line number (the caller has it).
pub fn parse_line(line: usize, text: &str) -> Result<ContentLine, String> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'-') {
        i += 1;
    }
    if i == 0 {
        return Err(format!("'{}' is not a content line", shorten(text)));
    }
    let name = upper_name(&text[..i]);
    let mut params = Vec::new();
    while i < bytes.len() && bytes[i] == b';' {
        i += 1;
        let start = i;
        while i < bytes.len() && bytes[i] != b'=' && bytes[i] != b':' && bytes[i] != b';' {
            i += 1;
        }
        if i >= bytes.len() || bytes[i] != b'=' {
            return Err(format!("parameter '{}' of {name} has no value", &text[start..i]));
        }
        let pname = upper_name(text[start..i].trim()).into_owned();
        i += 1;
        let mut values = Vec::new();
        loop {
            if i < bytes.len() && bytes[i] == b'"' {
                let close = text[i + 1..]
                    .find('"')
                    .ok_or_else(|| format!("parameter {pname} of {name} has an unclosed quote"))?;
                values.push(text[i + 1..i + 1 + close].to_string());
                i += close + 2;
            } else {
                let start = i;
                while i < bytes.len() && !matches!(bytes[i], b',' | b';' | b':') {
                    i += 1;
                }
                values.push(text[start..i].to_string());
            }
            if i < bytes.len() && bytes[i] == b',' {
                i += 1;
                continue;
            }
            break;
        }
        params.push((pname, values));
    }
    if i >= bytes.len() || bytes[i] != b':' {
        return Err(format!("{name} has no ':' before its value"));
    }
    Ok(ContentLine { name, params, value: text[i + 1..].to_string(), line })
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 40 {
        format!("{}...", s.chars().take(40).collect::<String>())
    } else {
        s.to_string()
    }
}

/// Reads an escaped TEXT value (`\n`, `\,`, `\;`, `\\`). A bare carriage return is not
/// TEXT (line breaks are `\n`) and is dropped, as [`escape_text`] drops it on the way out.
pub fn unescape_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\r' {
            continue;
        }
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') | Some('N') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// Splits a TEXT list value (e.g. CATEGORIES) on unescaped commas, unescaping each item.
pub fn split_text_list(value: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut current = String::new();
    let mut escaped = false;
    for c in value.chars() {
        if escaped {
            current.push('\\');
            current.push(c);
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == ',' {
            items.push(unescape_text(&current));
            current.clear();
        } else {
            current.push(c);
        }
    }
    items.push(unescape_text(&current));
    items.into_iter().filter(|s| !s.is_empty()).collect()
}

pub fn escape_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Writes one content line, folded at 75 octets without splitting a UTF-8 character, ending in CRLF.
pub fn write_line(out: &mut String, name: &str, params: &[(&str, &str)], value: &str) {
    let mut line = String::from(name);
    for (k, v) in params {
        line.push(';');
        line.push_str(k);
        line.push('=');
        push_param_value(&mut line, v);
    }
    line.push(':');
    line.push_str(value);
    write_logical(out, &line);
}

/// Writes an already composed logical line, folded at 75 octets, ending in CRLF.
pub fn write_logical(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_lines_are_joined_and_keep_their_first_line_number() {
        let lines = unfold("BEGIN:VEVENT\r\nSUMMARY:Board \r\n meeting\r\n\tpart 2\nEND:VEVENT\n");
        assert_eq!(lines[1], (2, std::borrow::Cow::Owned("SUMMARY:Board meetingpart 2".to_string())));
        assert_eq!(lines[2].0, 5);
    }

    #[test]
    fn quoted_parameter_values_may_hold_colons_and_commas() {
        let l =
            parse_line(3, r#"ATTENDEE;CN="Okafor, Dana";DELEGATED-TO="mailto:a@x","mailto:b@x":mailto:d@x"#).unwrap();
        assert_eq!(l.param("CN"), Some("Okafor, Dana"));
        assert_eq!(l.params[1].1, vec!["mailto:a@x", "mailto:b@x"]);
        assert_eq!(l.value, "mailto:d@x");
    }

    #[test]
    fn a_line_rendered_back_reads_the_same() {
        let text = r#"ATTENDEE;CN="Okafor, Dana";X-NUM-GUESTS=0;DELEGATED-TO="mailto:a@x","mailto:b@x":mailto:d@x"#;
        let l = parse_line(3, text).unwrap();
        assert_eq!(l.to_logical(), text);
        assert_eq!(parse_line(3, &l.to_logical()).unwrap(), l);
    }

    #[test]
    fn a_line_without_a_colon_is_an_error_naming_the_property() {
        assert_eq!(parse_line(1, "SUMMARY;LANGUAGE:x").unwrap_err(), "parameter 'LANGUAGE' of SUMMARY has no value");
        assert_eq!(parse_line(1, "SUMMARY").unwrap_err(), "SUMMARY has no ':' before its value");
    }

    #[test]
    fn text_escapes_round_trip() {
        let s = "Q3 review; budget, hiring\nand \\ more";
        assert_eq!(unescape_text(&escape_text(s)), s);
        assert_eq!(split_text_list(r"Board,Finance\, Audit"), ["Board", "Finance, Audit"]);
        assert_eq!(unescape_text("Weekly\rstandup"), "Weeklystandup");
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        let mut out = String::new();
        write_line(&mut out, "SUMMARY", &[], &"é".repeat(60));
        for physical in out.split("\r\n") {
            assert!(physical.len() <= 75, "{} octets", physical.len());
        }
        let back = unfold(&out);
        assert_eq!(back[0].1, format!("SUMMARY:{}", "é".repeat(60)));
    }
}
