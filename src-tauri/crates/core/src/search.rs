//! The inbox search language, as an EP types it: words and "quoted phrases" (every one must
//! match, words as prefixes), and operators `from:`, `to:`, `lane:`, `before:`, `after:`,
//! `is:flagged`, `is:unread`, `has:invitation`, `has:attachment`. A bad operator is an error that names it, so a
//! typo never silently searches for the literal text.
//!
//! The store turns a [`MailQuery`] into an SQLite FTS5 match plus column filters; the FTS5
//! expression is built here (quoted, so no user text is ever read as FTS5 syntax).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::mail::Lane;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum QueryError {
    #[error(
        "search: '{0}' is not an operator (from:, to:, lane:, before:, after:, is:flagged, is:unread, has:invitation, has:attachment)"
    )]
    UnknownOperator(String),
    #[error("search: '{value}' after {operator}: is not a date like 2026-11-24")]
    BadDate { operator: String, value: String },
    #[error("search: '{0}' is not a lane (needs_executive, ep_handles, waiting_on_others, fyi, noise, untriaged)")]
    UnknownLane(String),
    #[error("search: {0}: is empty")]
    Empty(String),
    #[error("search: a quote is not closed")]
    OpenQuote,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailQuery {
    /// Words and phrases anywhere in the subject, the body or the people.
    pub text: Vec<String>,
    pub from: Vec<String>,
    pub to: Vec<String>,
    pub lane: Option<Lane>,
    /// Before this day (exclusive) and on or after that one, in UTC days.
    pub before: Option<NaiveDate>,
    pub after: Option<NaiveDate>,
    pub flagged: bool,
    pub unread: bool,
    pub invitation: bool,
    pub attachment: bool,
}

/// Reads a query.
pub fn parse(text: &str) -> Result<MailQuery, QueryError> {
    let mut q = MailQuery::default();
    for token in tokens(text)? {
        let Token { operator, value } = token;
        let Some(op) = operator else {
            q.text.push(value);
            continue;
        };
        if value.is_empty() {
            return Err(QueryError::Empty(op));
        }
        let date = |v: &str| {
            NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .map_err(|_| QueryError::BadDate { operator: op.clone(), value: v.to_string() })
        };
        match (op.as_str(), value.as_str()) {
            ("from", v) => q.from.push(v.to_lowercase()),
            ("to", v) => q.to.push(v.to_lowercase()),
            ("lane", v) => q.lane = Some(Lane::parse(v).ok_or_else(|| QueryError::UnknownLane(v.to_string()))?),
            ("before", v) => q.before = Some(date(v)?),
            ("after", v) => q.after = Some(date(v)?),
            ("is", "flagged") => q.flagged = true,
            ("is", "unread") => q.unread = true,
            ("has", "invitation") => q.invitation = true,
            ("has", "attachment") => q.attachment = true,
            _ => return Err(QueryError::UnknownOperator(format!("{op}:{value}"))),
        }
    }
    Ok(q)
}

struct Token {
    operator: Option<String>,
    value: String,
}

/// Splits on whitespace, keeping "quoted phrases" (also after an operator) together. A colon
/// inside a word that is not a known operator name (a time, a URL) keeps the word as text.
fn tokens(text: &str) -> Result<Vec<Token>, QueryError> {
    const OPERATORS: [&str; 7] = ["from", "to", "lane", "before", "after", "is", "has"];
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut word = String::new();
        let mut quoted = false;
        while let Some(&c) = chars.peek() {
            if c == '"' {
                chars.next();
                quoted = true;
                let mut closed = false;
                for c in chars.by_ref() {
                    if c == '"' {
                        closed = true;
                        break;
                    }
                    word.push(c);
                }
                if !closed {
                    return Err(QueryError::OpenQuote);
                }
            } else if c.is_whitespace() {
                break;
            } else {
                word.push(c);
                chars.next();
            }
        }
        match word.split_once(':') {
            Some((op, value)) if !quoted || word.starts_with(&format!("{op}:")) => {
                let op_lower = op.to_ascii_lowercase();
                if OPERATORS.contains(&op_lower.as_str()) {
                    out.push(Token { operator: Some(op_lower), value: value.to_string() });
                } else if op.chars().all(|c| c.is_ascii_alphabetic()) && !op.is_empty() && !value.starts_with("//") {
                    return Err(QueryError::UnknownOperator(word));
                } else {
                    out.push(Token { operator: None, value: word });
                }
            }
            _ if !word.trim().is_empty() => out.push(Token { operator: None, value: word }),
            _ => {}
        }
    }
    Ok(out)
}

impl MailQuery {
    /// The FTS5 match expression for the text and people parts, or none when the query has
    /// none (only filters). Columns: `subject`, `body`, `people`, `from_people`, `to_people`.
    pub fn fts_match(&self) -> Option<String> {
        let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
        let mut parts: Vec<String> = Vec::new();
        for t in &self.text {
            // A single word matches as a prefix ("budg" finds "budget"); a phrase exactly.
            if t.split_whitespace().count() == 1 && t.chars().all(|c| c.is_alphanumeric()) {
                parts.push(format!("{}*", quote(t)));
            } else {
                parts.push(quote(t));
            }
        }
        for f in &self.from {
            parts.push(format!("from_people : {}*", quote(f)));
        }
        for t in &self.to {
            parts.push(format!("to_people : {}*", quote(t)));
        }
        (!parts.is_empty()).then(|| parts.join(" AND "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_phrases_and_operators_are_read_apart() {
        let q = parse(r#"budget "board pack" from:eleanor to:Dana@Northwind.example lane:needs_executive after:2026-11-01 is:flagged"#)
            .unwrap();
        assert_eq!(q.text, ["budget", "board pack"]);
        assert_eq!(q.from, ["eleanor"]);
        assert_eq!(q.to, ["dana@northwind.example"]);
        assert_eq!(q.lane, Some(Lane::NeedsExecutive));
        assert_eq!(q.after, NaiveDate::from_ymd_opt(2026, 11, 1));
        assert!(q.flagged && !q.unread);
        assert_eq!(
            q.fts_match().unwrap(),
            r#""budget"* AND "board pack" AND from_people : "eleanor"* AND to_people : "dana@northwind.example"*"#
        );
    }

    #[test]
    fn a_typo_in_an_operator_is_an_error_that_names_it() {
        assert_eq!(parse("frm:eleanor"), Err(QueryError::UnknownOperator("frm:eleanor".into())));
        assert_eq!(parse("is:starred"), Err(QueryError::UnknownOperator("is:starred".into())));
        assert!(matches!(parse("before:yesterday"), Err(QueryError::BadDate { .. })));
        assert_eq!(parse("lane:urgent"), Err(QueryError::UnknownLane("urgent".into())));
        assert_eq!(parse("\"open"), Err(QueryError::OpenQuote));
        assert_eq!(parse("from:"), Err(QueryError::Empty("from".into())));
    }

    #[test]
    fn times_and_links_are_words_and_quotes_cannot_escape_the_match() {
        let q = parse(r#"10:30 https://x.example/a "say ""hi"" AND NEAR""#).unwrap();
        assert_eq!(q.text[0], "10:30");
        assert_eq!(q.text[1], "https://x.example/a");
        let m = q.fts_match().unwrap();
        assert!(m.starts_with(r#""10:30" AND "https://x.example/a""#), "{m}");
    }

    #[test]
    fn filters_alone_need_no_text_match() {
        let q = parse("lane:noise before:2026-01-01").unwrap();
        assert_eq!(q.fts_match(), None);
    }
}
