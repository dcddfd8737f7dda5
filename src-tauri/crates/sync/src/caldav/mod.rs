//! CalDAV (RFC 4791) over HTTP: finding the executive's calendars from an address, a user and
//! a password, and reading them incrementally.
//!
//! - **Discovery** (RFC 6764 §6): the address as given; if it is a server's root, its
//!   `/.well-known/caldav`; then `current-user-principal`, `calendar-home-set`, and the
//!   calendars in the home. An address that is itself a calendar is taken as that calendar.
//! - **Reading** a calendar: with a `sync-collection` REPORT (RFC 6578) when the server offers
//!   it (only what changed since the last token), else by its CTag, and when that moved, every
//!   member's ETag compared with the ones stored. What changed is fetched with
//!   `calendar-multiget` in batches, so 10,000 events take a few dozen requests, and an
//!   unchanged calendar costs one.
//!
//! Every failure is a [`CalDavError`] that says what to check (the address, the password, the
//! certificate, the network). Redirects are followed here, not by the HTTP client, so that a
//! PROPFIND stays a PROPFIND and the password is never sent to another host.
//! Plain `http://` is refused except on the loopback interface: Basic authentication would
//! send the password in the clear.

mod mirror;
mod push;

pub use mirror::{apply_changes, CalendarSync};
pub use push::{push, Pushed};

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue, CONTENT_TYPE, LOCATION};
use reqwest::{Method, StatusCode};

pub use reqwest::Url;
use tandem_formats::dav::{self, Multistatus, Response, XmlError, CALDAV, CALSERVER, DAV};

use crate::credentials::Credential;

/// How many members one calendar-multiget asks for.
pub const MULTIGET_BATCH: usize = 200;
/// Redirects followed in discovery before giving up.
const MAX_REDIRECTS: usize = 5;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CalDavError {
    #[error("'{0}' is not a server address: use https://host/ (or the calendar's own address)")]
    BadUrl(String),
    #[error("{0} is plain http: the password would cross the network unencrypted; use https://")]
    Insecure(String),
    #[error("cannot find the server {host}: check the address (and that this computer is online)")]
    Dns { host: String },
    #[error("cannot connect to {host}: {detail}; check the address and port, and that this computer is online")]
    Unreachable { host: String, detail: String },
    #[error("the secure connection to {host} failed ({detail}); if the server has a certificate of its own, give it with --ca-cert")]
    Tls { host: String, detail: String },
    #[error("{host} did not answer within {seconds} s; it may be overloaded, try again later")]
    Timeout { host: String, seconds: u64 },
    #[error("{host} refused the user name or password (401): check them; some providers need an app password")]
    Unauthorized { host: String },
    #[error("{host} refused access to {path} (403): the account has no rights to it")]
    Forbidden { host: String, path: String },
    #[error("{host} has nothing at {path} (404): check the address")]
    NotFound { host: String, path: String },
    #[error("{host} is not a CalDAV server: {detail}")]
    NotCalDav { host: String, detail: String },
    #[error("{host} answered {status} to {method} {path}")]
    Status { host: String, method: String, path: String, status: u16 },
    #[error("{host} sent XML that cannot be read: {detail}")]
    Xml { host: String, detail: String },
}

impl CalDavError {
    /// Whether trying again later may work (the network, the server's load), as opposed to
    /// something the EP must fix (the address, the password, the rights).
    pub fn is_transient(&self) -> bool {
        match self {
            CalDavError::Unreachable { .. } | CalDavError::Timeout { .. } | CalDavError::Dns { .. } => true,
            // 412 here is a write that lost a race twice in a row: the next push merges again.
            CalDavError::Status { status, .. } => *status >= 500 || *status == 429 || *status == 412,
            _ => false,
        }
    }
}

pub type Result<T, E = CalDavError> = std::result::Result<T, E>;

/// Where and as whom to connect.
#[derive(Clone, Debug)]
pub struct Endpoint {
    pub url: Url,
    pub username: String,
    /// A password today; the type leaves room for a token source (OAuth 2.0 for Google and
    /// Microsoft 365, a later issue).
    pub credential: Credential,
    /// A PEM certificate to trust besides the system's (a self-hosted server's).
    pub ca_pem: Option<Vec<u8>>,
    /// How long one request may take.
    pub timeout: Duration,
}

/// The address the EP typed, as a URL: `https://` added when no scheme is given; `http://`
/// only to the loopback interface.
pub fn server_url(input: &str) -> Result<Url> {
    let trimmed = input.trim();
    let with_scheme = if trimmed.contains("://") { trimmed.to_string() } else { format!("https://{trimmed}") };
    let mut url = Url::parse(&with_scheme).map_err(|_| CalDavError::BadUrl(trimmed.to_string()))?;
    let host = url.host_str().unwrap_or_default().to_string();
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&host) => {}
        "http" => return Err(CalDavError::Insecure(format!("http://{host}"))),
        _ => return Err(CalDavError::BadUrl(trimmed.to_string())),
    }
    if host.is_empty() {
        return Err(CalDavError::BadUrl(trimmed.to_string()));
    }
    if !url.path().ends_with('/') && !url.path().ends_with(".ics") {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

fn is_loopback(host: &str) -> bool {
    host == "localhost" || host.trim_matches(['[', ']']).parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// One calendar collection on the server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemoteCalendar {
    pub url: Url,
    pub name: String,
    /// `#RRGGBB` when the server keeps one (Apple's calendar-color, with its alpha dropped).
    pub color: Option<String>,
    pub ctag: Option<String>,
    pub sync_token: Option<String>,
    /// The server answers sync-collection REPORTs on it.
    pub supports_sync: bool,
    /// The account may write to it (DAV:write in the privileges, or none reported).
    pub writable: bool,
}

/// What discovery found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Discovery {
    pub principal: Option<Url>,
    pub home: Option<Url>,
    /// Calendars that hold events (task-only lists are left out).
    pub calendars: Vec<RemoteCalendar>,
}

/// What changed in a calendar since the state the caller knows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// Members fetched: their href (path), ETag and iCalendar text.
    pub changed: Vec<Member>,
    /// Members gone from the server (paths).
    pub removed: Vec<String>,
    /// To store for next time.
    pub sync_token: Option<String>,
    pub ctag: Option<String>,
    /// HTTP requests it took (the benchmark's figure).
    pub requests: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    pub href: String,
    pub etag: Option<String>,
    pub ics: String,
}

/// What the caller knows of a calendar from last time.
#[derive(Clone, Debug, Default)]
pub struct Known<'a> {
    pub sync_token: Option<&'a str>,
    pub ctag: Option<&'a str>,
    /// Each stored member's href and ETag.
    pub etags: &'a [(String, String)],
}

/// A connection to one CalDAV account.
pub struct CalDav {
    http: reqwest::Client,
    endpoint: Endpoint,
    host: String,
    /// Requests sent, for the benchmark and the progress line.
    requests: std::sync::atomic::AtomicUsize,
}

impl CalDav {
    pub fn new(endpoint: Endpoint) -> Result<CalDav> {
        let host = endpoint.url.host_str().unwrap_or_default().to_string();
        let mut builder = reqwest::Client::builder()
            .user_agent(concat!("Tandem/", env!("CARGO_PKG_VERSION"), " (CalDAV)"))
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(10))
            .timeout(endpoint.timeout);
        if let Some(pem) = &endpoint.ca_pem {
            let cert = reqwest::Certificate::from_pem(pem).map_err(|e| CalDavError::Tls {
                host: host.clone(),
                detail: format!("the certificate given cannot be read: {e}"),
            })?;
            builder = builder.add_root_certificate(cert);
        }
        let http = builder.build().map_err(|e| CalDavError::Tls { host: host.clone(), detail: e.to_string() })?;
        Ok(CalDav { http, endpoint, host, requests: Default::default() })
    }

    pub fn requests(&self) -> usize {
        self.requests.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// `request` with the account's credentials when it goes to the account's own server (a
    /// redirect or an href elsewhere never gets the password). The one place a credential
    /// becomes a header, so a token source (OAuth 2.0, a later credential kind) is added here.
    fn signed(&self, request: reqwest::RequestBuilder, url: &Url) -> reqwest::RequestBuilder {
        if !same_origin(url, &self.endpoint.url) {
            return request;
        }
        match &self.endpoint.credential {
            Credential::Password(p) => request.basic_auth(&self.endpoint.username, Some(p)),
        }
    }

    /// One request, signed by [`CalDav::signed`].
    async fn send(&self, method: &str, url: &Url, depth: Option<&str>, body: Option<String>) -> Result<Reply> {
        self.requests.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let m = Method::from_bytes(method.as_bytes()).expect("a valid method name");
        let mut request = self.signed(self.http.request(m, url.clone()), url);
        if let Some(d) = depth {
            request = request.header("Depth", d);
        }
        if let Some(b) = body {
            request = request.header(CONTENT_TYPE, "application/xml; charset=utf-8").body(b);
        }
        let response = request.send().await.map_err(|e| self.transport_error(url, e))?;
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.map_err(|e| self.transport_error(url, e))?;
        Ok(Reply { status, headers, body: bytes.to_vec() })
    }

    fn transport_error(&self, url: &Url, e: reqwest::Error) -> CalDavError {
        let host = url.host_str().unwrap_or(&self.host).to_string();
        if e.is_timeout() {
            return CalDavError::Timeout { host, seconds: self.endpoint.timeout.as_secs() };
        }
        // The cause is deep in the chain (hyper, the resolver, OpenSSL); its words tell which.
        let mut chain = Vec::new();
        let mut source: Option<&dyn std::error::Error> = Some(&e);
        while let Some(s) = source {
            chain.push(s.to_string());
            source = s.source();
        }
        let all = chain.join(": ").to_lowercase();
        if all.contains("dns error") || all.contains("failed to lookup") || all.contains("name or service not known") {
            return CalDavError::Dns { host };
        }
        if all.contains("certificate") || all.contains("ssl") || all.contains("tls") || all.contains("handshake") {
            let detail = chain.last().cloned().unwrap_or_default();
            return CalDavError::Tls { host, detail };
        }
        let detail = chain.last().cloned().unwrap_or_else(|| e.without_url().to_string());
        CalDavError::Unreachable { host, detail }
    }

    /// Maps an unwanted status to the error that says what to check.
    fn refuse(&self, method: &str, url: &Url, status: StatusCode) -> CalDavError {
        let host = url.host_str().unwrap_or(&self.host).to_string();
        let path = url.path().to_string();
        match status.as_u16() {
            401 => CalDavError::Unauthorized { host },
            403 => CalDavError::Forbidden { host, path },
            404 | 410 => CalDavError::NotFound { host, path },
            405 | 501 if method == "PROPFIND" || method == "REPORT" => {
                CalDavError::NotCalDav { host, detail: format!("it does not answer {method} at {path}") }
            }
            s => CalDavError::Status { host, method: method.into(), path, status: s },
        }
    }

    /// A PROPFIND or REPORT answered with a multistatus, following redirects on the same
    /// server (a `/.well-known/caldav` that points to the real place).
    async fn multistatus(&self, method: &str, url: &Url, depth: &str, body: &str) -> Result<(Url, Multistatus)> {
        let mut at = url.clone();
        for _ in 0..=MAX_REDIRECTS {
            let reply = self.send(method, &at, Some(depth), Some(body.to_string())).await?;
            if reply.status.is_redirection() {
                let next = reply
                    .headers
                    .get(LOCATION)
                    .and_then(|l| l.to_str().ok())
                    .and_then(|l| at.join(l).ok())
                    .ok_or_else(|| self.refuse(method, &at, reply.status))?;
                if next.scheme() == "http" && !is_loopback(next.host_str().unwrap_or_default()) {
                    return Err(CalDavError::Insecure(format!("http://{}", next.host_str().unwrap_or_default())));
                }
                at = next;
                continue;
            }
            if reply.status != StatusCode::MULTI_STATUS {
                return Err(self.refuse(method, &at, reply.status));
            }
            let parsed = dav::multistatus(&reply.body)
                .map_err(|e: XmlError| CalDavError::Xml { host: self.host.clone(), detail: e.to_string() })?;
            return Ok((at, parsed));
        }
        Err(CalDavError::NotCalDav { host: self.host.clone(), detail: format!("more than {MAX_REDIRECTS} redirects") })
    }

    /// Finds the account's calendars from the endpoint's address.
    pub async fn discover(&self) -> Result<Discovery> {
        let start = self.endpoint.url.clone();
        // The address may be a calendar itself, or anything on the way to one.
        let (at, found) = match self.multistatus("PROPFIND", &start, "0", dav::PROPFIND_PRINCIPAL).await {
            Ok(x) => x,
            Err(CalDavError::NotFound { .. }) | Err(CalDavError::NotCalDav { .. }) if start.path() == "/" => {
                self.well_known().await?
            }
            Err(e) => return Err(e),
        };
        let here = found.responses.first();
        if here.is_some_and(|r| r.is_type(CALDAV, "calendar")) {
            let calendars = self.calendars_at(&at, "0").await?;
            return Ok(Discovery { principal: None, home: None, calendars });
        }
        let mut principal =
            here.and_then(|r| r.prop_href(DAV, "current-user-principal")).and_then(|h| at.join(&h).ok());
        if principal.is_none() && start.path() == "/" {
            // A server whose root says nothing: ask where the well-known address leads.
            let (wk, found) = self.well_known().await?;
            principal = found
                .responses
                .first()
                .and_then(|r| r.prop_href(DAV, "current-user-principal"))
                .and_then(|h| wk.join(&h).ok());
        }
        let Some(principal) = principal else {
            return Err(CalDavError::NotCalDav {
                host: self.host.clone(),
                detail: format!("{} names no current-user-principal (RFC 5397)", at.path()),
            });
        };
        let (p_at, home_ms) = self.multistatus("PROPFIND", &principal, "0", dav::PROPFIND_HOME).await?;
        let home = home_ms
            .responses
            .first()
            .and_then(|r| r.prop_href(CALDAV, "calendar-home-set"))
            .and_then(|h| p_at.join(&h).ok())
            .ok_or_else(|| CalDavError::NotCalDav {
                host: self.host.clone(),
                detail: format!("the principal {} has no calendar-home-set", principal.path()),
            })?;
        let calendars = self.calendars_at(&home, "1").await?;
        Ok(Discovery { principal: Some(principal), home: Some(home), calendars })
    }

    async fn well_known(&self) -> Result<(Url, Multistatus)> {
        let wk = self.endpoint.url.join("/.well-known/caldav").expect("a fixed path joins");
        self.multistatus("PROPFIND", &wk, "0", dav::PROPFIND_PRINCIPAL).await
    }

    /// The event calendars at `url` (depth 1: the members of a home; depth 0: it alone).
    async fn calendars_at(&self, url: &Url, depth: &str) -> Result<Vec<RemoteCalendar>> {
        let (at, ms) = self.multistatus("PROPFIND", url, depth, dav::PROPFIND_CALENDARS).await?;
        Ok(ms.responses.iter().filter_map(|r| calendar_of(&at, r)).collect())
    }

    /// What changed in `calendar` since `known`; the changed members' data fetched.
    pub async fn changes(&self, calendar: &RemoteCalendar, known: &Known<'_>) -> Result<Changes> {
        self.changes_with(calendar, known, &|_, _| {}).await
    }

    /// [`CalDav::changes`], telling `progress` how many of the changed members are fetched
    /// after each batch (`done`, `total`): a first sync of a large calendar takes a while.
    pub async fn changes_with(
        &self,
        calendar: &RemoteCalendar,
        known: &Known<'_>,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<Changes> {
        let before = self.requests();
        let mut changes = if calendar.supports_sync {
            match self.sync_collection(&calendar.url, known, progress).await {
                // A token the server no longer knows (RFC 6578 §3.2: 403/409 valid-sync-token):
                // list everything again.
                Err(CalDavError::Forbidden { .. } | CalDavError::Status { status: 409, .. })
                    if known.sync_token.is_some() =>
                {
                    self.sync_collection(&calendar.url, &Known { sync_token: None, ..known.clone() }, progress).await?
                }
                other => other?,
            }
        } else {
            self.etag_scan(&calendar.url, known, progress).await?
        };
        changes.requests = self.requests() - before;
        Ok(changes)
    }

    async fn sync_collection(
        &self,
        url: &Url,
        known: &Known<'_>,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<Changes> {
        let body = dav::sync_collection(known.sync_token.unwrap_or_default());
        let (at, ms) = self.multistatus("REPORT", url, "0", &body).await?;
        let stored: std::collections::HashMap<&str, &str> =
            known.etags.iter().map(|(h, e)| (h.as_str(), e.as_str())).collect();
        let mut to_fetch = Vec::new();
        let mut removed = Vec::new();
        let mut listed = std::collections::HashSet::new();
        for r in &ms.responses {
            let Some(path) = member_path(&at, &r.href) else { continue };
            if r.status == Some(404) {
                removed.push(path);
                continue;
            }
            if r.is_type(DAV, "collection") || path == at.path() {
                continue;
            }
            let etag = r.prop_text(DAV, "getetag");
            if etag.is_none() || stored.get(path.as_str()).copied() != etag.as_deref() {
                to_fetch.push(path.clone());
            }
            listed.insert(path);
        }
        if known.sync_token.is_none() {
            // Without a token the answer lists every member: what is stored and not listed is gone.
            removed.extend(known.etags.iter().map(|(h, _)| h.clone()).filter(|h| !listed.contains(h)));
        }
        let (changed, gone) = self.fetch_with(&at, &to_fetch, progress).await?;
        removed.extend(gone);
        Ok(Changes { changed, removed, sync_token: ms.sync_token, ctag: None, requests: 0 })
    }

    /// Without sync tokens: the CTag says whether anything changed; then every member's ETag
    /// against the stored ones.
    async fn etag_scan(
        &self,
        url: &Url,
        known: &Known<'_>,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<Changes> {
        let (at, head) = self.multistatus("PROPFIND", url, "0", dav::PROPFIND_CTAG).await?;
        let ctag = head.responses.first().and_then(|r| r.prop_text(CALSERVER, "getctag"));
        if ctag.is_some() && ctag.as_deref() == known.ctag {
            return Ok(Changes { ctag, ..Default::default() });
        }
        let (_, listing) = self.multistatus("PROPFIND", &at, "1", dav::PROPFIND_ETAGS).await?;
        let stored: std::collections::HashMap<&str, &str> =
            known.etags.iter().map(|(h, e)| (h.as_str(), e.as_str())).collect();
        let mut listed = std::collections::HashSet::new();
        let mut to_fetch = Vec::new();
        for r in &listing.responses {
            let Some(path) = member_path(&at, &r.href) else { continue };
            if r.is_type(DAV, "collection") || path == at.path() {
                continue;
            }
            let etag = r.prop_text(DAV, "getetag");
            if etag.is_none() || stored.get(path.as_str()).copied() != etag.as_deref() {
                to_fetch.push(path.clone());
            }
            listed.insert(path);
        }
        let mut removed: Vec<String> =
            known.etags.iter().map(|(h, _)| h.clone()).filter(|h| !listed.contains(h)).collect();
        let (changed, gone) = self.fetch_with(&at, &to_fetch, progress).await?;
        removed.extend(gone);
        Ok(Changes { changed, removed, sync_token: None, ctag, requests: 0 })
    }

    /// The members at `paths`, with calendar-multiget in batches. A member the server no
    /// longer has (deleted meanwhile) comes back in the second list.
    pub async fn fetch(&self, calendar: &Url, paths: &[String]) -> Result<(Vec<Member>, Vec<String>)> {
        self.fetch_with(calendar, paths, &|_, _| {}).await
    }

    async fn fetch_with(
        &self,
        calendar: &Url,
        paths: &[String],
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<(Vec<Member>, Vec<String>)> {
        let mut members = Vec::with_capacity(paths.len());
        let mut gone = Vec::new();
        for batch in paths.chunks(MULTIGET_BATCH) {
            let body = dav::multiget(batch.iter().map(String::as_str));
            let (at, ms) = self.multistatus("REPORT", calendar, "1", &body).await?;
            for r in &ms.responses {
                let Some(path) = member_path(&at, &r.href) else { continue };
                match r.prop(CALDAV, "calendar-data") {
                    Some(data) if r.status.is_none_or(|s| s / 100 == 2) => {
                        members.push(Member { href: path, etag: r.prop_text(DAV, "getetag"), ics: data.text.clone() })
                    }
                    _ => gone.push(path),
                }
            }
            progress(members.len() + gone.len(), paths.len());
        }
        Ok((members, gone))
    }
}

/// How a conditional write went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Written {
    /// Stored; the server's new ETag when it sent one.
    Stored { etag: Option<String> },
    /// Someone changed (or made) it since the ETag we had: 412 Precondition Failed.
    Changed,
    /// Not there (any more).
    Gone,
}

impl CalDav {
    /// A conditional write that lost to a change made in between, once more: 412, named.
    pub fn lost_race(&self, path: &str) -> CalDavError {
        CalDavError::Status { host: self.host.clone(), method: "PUT".into(), path: path.to_string(), status: 412 }
    }

    /// An object that should be there and is not.
    pub fn missing(&self, path: &str) -> CalDavError {
        CalDavError::NotFound { host: self.host.clone(), path: path.to_string() }
    }

    fn at(&self, path: &str) -> Result<Url> {
        self.endpoint.url.join(path).map_err(|_| CalDavError::BadUrl(path.to_string()))
    }

    /// Writes one calendar object: over the version with `if_match` (its ETag), or, with none,
    /// only if nothing is there yet (`If-None-Match: *`), so a write never blindly replaces
    /// a change made elsewhere.
    pub async fn put(&self, path: &str, ics: &str, if_match: Option<&str>) -> Result<Written> {
        let url = self.at(path)?;
        self.requests.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut request =
            self.http.put(url.clone()).header(CONTENT_TYPE, "text/calendar; charset=utf-8").body(ics.to_string());
        request = match if_match {
            Some(etag) => request.header("If-Match", etag),
            None => request.header("If-None-Match", "*"),
        };
        let response = self.signed(request, &url).send().await.map_err(|e| self.transport_error(&url, e))?;
        let status = response.status();
        let etag = response.headers().get("etag").and_then(|v| v.to_str().ok()).map(str::to_string);
        match status.as_u16() {
            200 | 201 | 204 => Ok(Written::Stored { etag }),
            412 => Ok(Written::Changed),
            404 | 410 if if_match.is_some() => Ok(Written::Gone),
            _ => Err(self.refuse("PUT", &url, status)),
        }
    }

    /// Deletes one calendar object if it is still the version `if_match` names.
    pub async fn delete(&self, path: &str, if_match: Option<&str>) -> Result<Written> {
        let url = self.at(path)?;
        self.requests.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut request = self.http.delete(url.clone());
        if let Some(etag) = if_match {
            request = request.header("If-Match", etag);
        }
        let response = self.signed(request, &url).send().await.map_err(|e| self.transport_error(&url, e))?;
        match response.status().as_u16() {
            200 | 202 | 204 => Ok(Written::Stored { etag: None }),
            412 => Ok(Written::Changed),
            404 | 410 => Ok(Written::Gone),
            _ => Err(self.refuse("DELETE", &url, response.status())),
        }
    }

    /// One calendar object as the server has it now, or none.
    pub async fn get(&self, path: &str) -> Result<Option<Member>> {
        let url = self.at(path)?;
        let reply = self.send("GET", &url, None, None).await?;
        match reply.status.as_u16() {
            200 => Ok(Some(Member {
                href: url.path().to_string(),
                etag: reply.headers.get("etag").and_then(|v| v.to_str().ok()).map(str::to_string),
                ics: String::from_utf8_lossy(&reply.body).into_owned(),
            })),
            404 | 410 => Ok(None),
            _ => Err(self.refuse("GET", &url, reply.status)),
        }
    }
}

/// Where a new meeting goes in a calendar: its UID, made safe for a path, with `.ics`.
pub fn member_href(calendar_path: &str, uid: &str) -> String {
    let safe: String = uid
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '@') { c } else { '-' })
        .collect();
    format!("{}/{safe}.ics", calendar_path.trim_end_matches('/'))
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap<HeaderValue>,
    body: Vec<u8>,
}

fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme() && a.host_str() == b.host_str() && a.port_or_known_default() == b.port_or_known_default()
}

/// A member's path, from the href a server sent (a path, or a full URL on the same server).
fn member_path(base: &Url, href: &str) -> Option<String> {
    let url = base.join(href.trim()).ok()?;
    same_origin(&url, base).then(|| url.path().to_string())
}

/// A calendar from a PROPFIND response, when it is one that can hold events.
fn calendar_of(base: &Url, r: &Response) -> Option<RemoteCalendar> {
    if !r.is_type(CALDAV, "calendar") {
        return None;
    }
    let components: Vec<String> = r
        .prop(CALDAV, "supported-calendar-component-set")
        .map(|set| set.children(CALDAV, "comp").filter_map(|c| c.attribute("name").map(str::to_string)).collect())
        .unwrap_or_default();
    // No component set means any component.
    if !components.is_empty() && !components.iter().any(|c| c.eq_ignore_ascii_case("VEVENT")) {
        return None;
    }
    let url = base.join(r.href.trim()).ok()?;
    let supports_sync = r
        .prop(DAV, "supported-report-set")
        .is_some_and(|set| set.children.iter().any(|s| has_descendant(s, DAV, "sync-collection")));
    let writable = r.prop(DAV, "current-user-privilege-set").is_none_or(|set| {
        set.children(DAV, "privilege").any(|p| {
            p.child(DAV, "write").is_some() || p.child(DAV, "all").is_some() || p.child(DAV, "write-content").is_some()
        })
    });
    let name = r.prop_text(DAV, "displayname").unwrap_or_else(|| {
        url.path_segments().and_then(|mut s| s.rfind(|x| !x.is_empty())).unwrap_or("Calendar").to_string()
    });
    Some(RemoteCalendar {
        name,
        color: r.prop_text(dav::APPLE_ICAL, "calendar-color").map(|c| c.chars().take(7).collect()),
        ctag: r.prop_text(CALSERVER, "getctag"),
        sync_token: r.prop_text(DAV, "sync-token"),
        supports_sync,
        writable,
        url,
    })
}

fn has_descendant(e: &dav::Element, ns: &str, name: &str) -> bool {
    e.is(ns, name) || e.children.iter().any(|c| has_descendant(c, ns, name))
}
