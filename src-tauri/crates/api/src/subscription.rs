//! Subscribing to published calendars and keeping them fresh.
//!
//! Network waits never hold the store: the async functions here take the `Mutex<Tandem>` the
//! app and the CLI share, lock it to read what is due, fetch with it unlocked, and lock again
//! to record what came back. So the EP can keep working while a slow feed loads.

use std::sync::Mutex;

use chrono::{DateTime, Utc};
use tandem_store::Subscription;
pub use tandem_sync::feed_client;
use tandem_sync::{apply_feed, feed_url, fetch_feed, redacted, Fetched};

use crate::dto::{CalendarDto, FeedDto, FeedReportDto};
use crate::error::{ApiError, ErrorCode, Result};
use crate::Tandem;

/// Colour of a new subscribed calendar until the EP picks one.
const FEED_COLOR: &str = "#7a5cc2";

impl Tandem {
    /// Every subscription of every executive due for a fetch at `now`.
    pub fn due_feeds(&self, now: DateTime<Utc>) -> Result<Vec<Subscription>> {
        Ok(self.store.due_subscriptions(now)?)
    }

    /// Records what a fetch found (new events, "not modified", or why it failed).
    pub fn record_feed(
        &mut self,
        sub: &Subscription,
        fetched: Result<Fetched, tandem_sync::FeedError>,
        now: DateTime<Utc>,
    ) -> Result<FeedReportDto> {
        let r = apply_feed(&mut self.store, sub, fetched, now)?;
        Ok(FeedReportDto {
            calendar_id: r.calendar_id,
            source: r.source,
            changed: r.changed,
            events: r.events_written as u32,
            problems: r.problems,
            error: r.error,
        })
    }

    /// Makes a subscribed calendar due now (the EP asked for a refresh).
    pub fn refresh_calendar_soon(&mut self, executive: Option<&str>, id: i64, now: DateTime<Utc>) -> Result<()> {
        let profile = self.executive(executive)?;
        let subs = self.store.subscriptions(&profile.id)?;
        if !subs.iter().any(|s| s.calendar_id == id) {
            return Err(ApiError::new(
                ErrorCode::NotFound,
                format!("calendar {id} of {} is not a subscription", profile.id),
            ));
        }
        Ok(self.store.make_due(id, now)?)
    }
}

/// The feed part of a calendar's DTO, when it is a subscription.
pub(crate) fn feed_dto(sub: &Subscription) -> FeedDto {
    let stamp = |t: DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    FeedDto {
        source: redacted(&sub.url),
        fetched_at: sub.fetched_at.map(stamp),
        error: sub.error.clone(),
        next_at: stamp(sub.next_at),
    }
}

/// Subscribes the executive to a published calendar. The feed is fetched first, so a wrong
/// address or a login page is refused at once rather than becoming an empty calendar; the
/// calendar is named `name`, else by the feed's X-WR-CALNAME, else by its host.
pub async fn subscribe(
    tandem: &Mutex<Tandem>,
    client: &reqwest::Client,
    executive: Option<&str>,
    url: &str,
    name: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(CalendarDto, FeedReportDto)> {
    let http = feed_url(url).map_err(|e| ApiError::invalid(e.to_string()))?;
    let profile = lock(tandem).executive(executive)?;
    let probe = Subscription {
        calendar_id: 0,
        executive_id: profile.id.clone(),
        url: url.trim().to_string(),
        refresh_secs: tandem_sync::subscription::DEFAULT_REFRESH_SECS,
        etag: None,
        last_modified: None,
        fetched_at: None,
        failures: 0,
        error: None,
        next_at: now,
    };
    let fetched = fetch_feed(client, &probe).await.map_err(|e| ApiError::new(ErrorCode::Network, e.to_string()))?;
    let Fetched::Body { text, .. } = &fetched else {
        return Err(ApiError::new(ErrorCode::Network, "the server answered 'not modified' to a first fetch"));
    };
    let parsed = tandem_formats::ics::parse_calendar(text).map_err(|e| {
        ApiError::invalid(format!("{} did not send a calendar: {e}", http.host_str().unwrap_or_default()))
    })?;
    let name = name
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .or(parsed.name)
        .unwrap_or_else(|| http.host_str().unwrap_or("Subscription").to_string());
    let mut guard = lock(tandem);
    let calendar = guard.store.add_subscription(&profile.id, &name, FEED_COLOR, &probe.url, probe.refresh_secs, now)?;
    let sub = guard.store.subscription(calendar.id)?;
    let report = guard.record_feed(&sub, Ok(fetched), now)?;
    let sub = guard.store.subscription(calendar.id)?;
    tracing::info!(feed = %redacted(url), calendar = calendar.id, "subscribed");
    let dto = crate::calendar::calendar_dto(&calendar, Some(&sub), false);
    Ok((dto, report))
}

/// Fetches every due feed (of every executive) and records the results.
pub async fn refresh_due_feeds(
    tandem: &Mutex<Tandem>,
    client: &reqwest::Client,
    now: DateTime<Utc>,
) -> Result<Vec<FeedReportDto>> {
    let due = lock(tandem).due_feeds(now)?;
    let mut reports = Vec::with_capacity(due.len());
    for sub in due {
        let fetched = fetch_feed(client, &sub).await;
        reports.push(lock(tandem).record_feed(&sub, fetched, now)?);
    }
    Ok(reports)
}

fn lock(tandem: &Mutex<Tandem>) -> std::sync::MutexGuard<'_, Tandem> {
    tandem.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
