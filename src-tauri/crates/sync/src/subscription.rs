//! Subscribed calendars: published iCalendar feeds (webcal:, https:) fetched on a schedule.
//!
//! A fetch is conditional (If-None-Match / If-Modified-Since), so an unchanged feed costs one
//! small exchange. The feed is the whole truth about its calendar: a successful fetch replaces
//! the calendar's events in one transaction. Anything else (the network is down, the server
//! answers 500 or a login page, the text is not iCalendar) is recorded as the subscription's
//! error and the events fetched last time stay, so the executive's week still shows offline.
//!
//! Feed URLs often carry a secret (Google's "secret address", Outlook's published links), so
//! they are shown and logged only as [`redacted`]: scheme and host.
//!
//! Invitations are not taken from feeds: a published calendar is read-only, nobody is waiting
//! for the executive's answer through it.

use std::time::Duration;

use chrono::{DateTime, Utc};
use tandem_formats::ics::parse_calendar;
use tandem_store::{FeedOutcome, Store, Subscription};

/// How often a feed is fetched when it does not say (Apple and Google use about this).
pub const DEFAULT_REFRESH_SECS: i64 = 3_600;
/// Publishers asking for more often than this are not obeyed.
pub const MIN_REFRESH_SECS: i64 = 900;
/// Nor are ones asking for less often than this: the EP expects a day-old feed at worst.
pub const MAX_REFRESH_SECS: i64 = 86_400;
/// A feed larger than this is refused rather than read into memory.
pub const MAX_FEED_BYTES: usize = 64 << 20;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FeedError {
    #[error("'{0}' is not a calendar address: use webcal://, https:// or http://")]
    BadUrl(String),
    #[error("cannot reach {host}: {detail}")]
    Unreachable { host: String, detail: String },
    #[error("{host} answered HTTP {status}")]
    Status { host: String, status: u16 },
    #[error("the feed at {host} is larger than {} MB", MAX_FEED_BYTES >> 20)]
    TooLarge { host: String },
    #[error("{host} did not send a calendar: {detail}")]
    NotICalendar { host: String, detail: String },
}

/// The HTTP address to fetch for a feed address as the EP pasted it. `webcal:` is Apple's
/// scheme for "subscribe to this"; it means HTTP, and HTTPS is what every publisher serves today.
pub fn feed_url(input: &str) -> Result<reqwest::Url, FeedError> {
    let trimmed = input.trim();
    let bad = || FeedError::BadUrl(redacted(trimmed));
    let lower = trimmed.to_ascii_lowercase();
    let http = if let Some(rest) = lower.strip_prefix("webcals://").or_else(|| lower.strip_prefix("webcal://")) {
        format!("https://{}", &trimmed[trimmed.len() - rest.len()..])
    } else if lower.starts_with("https://") || lower.starts_with("http://") {
        trimmed.to_string()
    } else {
        return Err(bad());
    };
    let url = reqwest::Url::parse(&http).map_err(|_| bad())?;
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad());
    }
    Ok(url)
}

/// A feed address as it may be shown or logged: scheme and host, never the path or query
/// (where feed secrets live) or a user name and password.
pub fn redacted(input: &str) -> String {
    let trimmed = input.trim();
    let Some((scheme, rest)) = trimmed.split_once("://") else {
        return "(not a URL)".into();
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let more = rest.len() > authority.len() + 1 || authority.contains('@');
    format!("{}://{host}{}", scheme.to_ascii_lowercase(), if more { "/…" } else { "" })
}

/// What a conditional fetch found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fetched {
    /// 304: what is stored is current.
    NotModified,
    Body {
        text: String,
        etag: Option<String>,
        last_modified: Option<String>,
    },
}

/// The HTTP client for feeds: bounded waits so a hung server cannot stall the refresh loop.
pub fn feed_client() -> reqwest::Client {
    reqwest::Client::builder()
        .user_agent(concat!("Tandem/", env!("CARGO_PKG_VERSION"), " (calendar subscription)"))
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(60))
        .build()
        .expect("a client with only timeouts and a user agent always builds")
}

/// Fetches a feed, sending the validators of the last fetch.
pub async fn fetch_feed(client: &reqwest::Client, sub: &Subscription) -> Result<Fetched, FeedError> {
    let url = feed_url(&sub.url)?;
    let host = url.host_str().unwrap_or_default().to_string();
    // reqwest's errors print the whole URL; only the kind of failure is kept.
    let unreachable =
        |e: reqwest::Error| FeedError::Unreachable { host: host.clone(), detail: e.without_url().to_string() };
    let mut request = client.get(url.clone()).header("Accept", "text/calendar, */*;q=0.5");
    if let Some(etag) = &sub.etag {
        request = request.header("If-None-Match", etag);
    }
    if let Some(modified) = &sub.last_modified {
        request = request.header("If-Modified-Since", modified);
    }
    let mut response = request.send().await.map_err(unreachable)?;
    let status = response.status();
    if status == reqwest::StatusCode::NOT_MODIFIED {
        return Ok(Fetched::NotModified);
    }
    if !status.is_success() {
        return Err(FeedError::Status { host, status: status.as_u16() });
    }
    let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    let (etag, last_modified) = (header("etag"), header("last-modified"));
    if response.content_length().is_some_and(|n| n > MAX_FEED_BYTES as u64) {
        return Err(FeedError::TooLarge { host });
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(unreachable)? {
        if body.len() + chunk.len() > MAX_FEED_BYTES {
            return Err(FeedError::TooLarge { host });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Fetched::Body { text: String::from_utf8_lossy(&body).into_owned(), etag, last_modified })
}

/// What one refresh of one feed did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FeedReport {
    pub calendar_id: i64,
    /// Scheme and host only.
    pub source: String,
    /// Whether the calendar's events were replaced.
    pub changed: bool,
    pub events_written: usize,
    /// Problems with parts of the feed, each naming the line and component.
    pub problems: Vec<String>,
    /// Why the feed could not be used; the cached events stay.
    pub error: Option<String>,
}

/// Records a fetch in the store: new content replaces the calendar's events, a failure is kept
/// as the subscription's error with the events untouched.
pub fn apply_feed(
    store: &mut Store,
    sub: &Subscription,
    fetched: Result<Fetched, FeedError>,
    now: DateTime<Utc>,
) -> tandem_store::Result<FeedReport> {
    let source = redacted(&sub.url);
    let mut report = FeedReport { calendar_id: sub.calendar_id, source: source.clone(), ..Default::default() };
    let keep = FeedOutcome::Fetched {
        etag: sub.etag.clone(),
        last_modified: sub.last_modified.clone(),
        refresh_secs: sub.refresh_secs,
    };
    let outcome = match fetched {
        Ok(Fetched::NotModified) => keep,
        Ok(Fetched::Body { text, etag, last_modified }) => match parse_calendar(&text) {
            Ok(parsed) => {
                report.problems = parsed.problems.iter().map(|p| format!("{source}: {p}")).collect();
                let refresh_secs = parsed
                    .refresh_interval
                    .map_or(DEFAULT_REFRESH_SECS, |s| s.clamp(MIN_REFRESH_SECS, MAX_REFRESH_SECS));
                let batch: Vec<_> = parsed.events.into_iter().map(|e| (e.event, e.raw)).collect();
                let outcome = FeedOutcome::Fetched { etag, last_modified, refresh_secs };
                report.events_written = store.transaction(|s| {
                    let written = s.replace_events(sub.calendar_id, &batch)?;
                    s.record_feed(sub.calendar_id, &outcome, now)?;
                    Ok(written)
                })?;
                report.changed = true;
                tracing::info!(feed = %source, events = report.events_written, problems = report.problems.len(), "feed refreshed");
                return Ok(report);
            }
            Err(e) => {
                let host = feed_url(&sub.url).ok().and_then(|u| u.host_str().map(str::to_string)).unwrap_or_default();
                FeedOutcome::Failed { error: FeedError::NotICalendar { host, detail: e.to_string() }.to_string() }
            }
        },
        Err(e) => FeedOutcome::Failed { error: e.to_string() },
    };
    if let FeedOutcome::Failed { error } = &outcome {
        tracing::warn!(feed = %source, "feed not refreshed: {error}");
        report.error = Some(error.clone());
    }
    store.record_feed(sub.calendar_id, &outcome, now)?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webcal_addresses_are_fetched_over_https_and_other_schemes_are_refused() {
        assert_eq!(feed_url("webcal://p.example/cal.ics").unwrap().as_str(), "https://p.example/cal.ics");
        assert_eq!(feed_url(" WEBCALS://p.example/Cal.ics ").unwrap().as_str(), "https://p.example/Cal.ics");
        assert_eq!(feed_url("http://127.0.0.1:8080/a.ics").unwrap().as_str(), "http://127.0.0.1:8080/a.ics");
        for bad in ["ftp://p.example/x.ics", "p.example/x.ics", "webcal://", "https://", ""] {
            assert!(matches!(feed_url(bad), Err(FeedError::BadUrl(_))), "{bad}");
        }
    }

    #[test]
    fn a_shown_feed_address_keeps_only_scheme_and_host() {
        let secret = "https://calendar.example.com/calendar/ical/dana%40n.example/private-5ecret/basic.ics";
        assert_eq!(redacted(secret), "https://calendar.example.com/…");
        assert_eq!(redacted("webcal://user:pw@h.example"), "webcal://h.example/…");
        assert_eq!(redacted("https://h.example"), "https://h.example");
        assert_eq!(redacted("https://h.example/"), "https://h.example");
        assert_eq!(redacted("no scheme"), "(not a URL)");
        let err = feed_url("ftp://h.example/private-5ecret").unwrap_err().to_string();
        assert!(!err.contains("5ecret"), "{err}");
    }
}
