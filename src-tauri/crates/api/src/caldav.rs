//! CalDAV accounts: adding one from an address, a user and a password (the server's calendars
//! found first, so a wrong address or password is refused at once; the password then filed in
//! the OS keychain), one local calendar per server calendar the EP takes, and syncing them.
//!
//! Like mail sync, network waits never hold the store: the async functions take the shared
//! `Mutex<Tandem>` and lock it for each read of what is known and each write of what changed.

use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tandem_core::ExecutiveProfile;
use tandem_store::{Account, AccountKind, NewAccount, NewCalendar, Security};
use tandem_sync::caldav::{self, server_url, CalDav, CalDavError, Endpoint, Known, RemoteCalendar};
use tandem_sync::credentials::{self, Credential};

use crate::accounts::{account_dto, keychain, lock, Shared};
use crate::dto::{
    CalDavAccountDto, CalendarSyncDto, ClashDto, NewCalDavAccountDto, RemoteCalendarDto, ServerCalendarDto, SyncDto,
    SyncProgressDto,
};
use crate::error::{ApiError, ErrorCode, Result};
use crate::Tandem;

/// How long one CalDAV request may take before the server counts as not answering.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Colours for server calendars that keep none, in turn.
const PALETTE: &[&str] = &["#2f7d6d", "#8a5cc2", "#c2762f", "#3d7fc2", "#b84a6e"];

pub(crate) fn caldav_error(e: CalDavError) -> ApiError {
    let code = match &e {
        CalDavError::Unauthorized { .. } | CalDavError::Forbidden { .. } | CalDavError::Tls { .. } => {
            ErrorCode::Unauthorized
        }
        CalDavError::BadUrl(_)
        | CalDavError::Insecure(_)
        | CalDavError::NotFound { .. }
        | CalDavError::NotCalDav { .. } => ErrorCode::InvalidInput,
        _ => ErrorCode::Network,
    };
    ApiError::new(code, e.to_string())
}

fn client(url: &str, username: &str, credential: Credential, ca_file: Option<&str>) -> Result<CalDav> {
    let ca_pem = match ca_file {
        Some(path) => Some(
            std::fs::read(path).map_err(|e| ApiError::invalid(format!("cannot read the certificate {path}: {e}")))?,
        ),
        None => None,
    };
    let endpoint = Endpoint {
        url: server_url(url).map_err(caldav_error)?,
        username: username.to_string(),
        credential,
        ca_pem,
        timeout: REQUEST_TIMEOUT,
    };
    CalDav::new(endpoint).map_err(caldav_error)
}

/// Adds a CalDAV account for the executive. `take` names the server calendars to mirror (all
/// of them when empty); each becomes a local calendar, named as on the server (with the host
/// after it when the executive has a calendar by that name already). Nothing is fetched yet:
/// the first sync does that.
pub async fn add_caldav_account(
    tandem: &Mutex<Tandem>,
    executive: Option<&str>,
    new: &NewCalDavAccountDto,
    password: &str,
    now: DateTime<Utc>,
) -> Result<CalDavAccountDto> {
    let (url, username, take) = (new.url.as_str(), new.username.as_str(), new.calendars.as_slice());
    let ca_file = new.ca_file.as_deref().filter(|p| !p.is_empty());
    if username.trim().is_empty() {
        return Err(ApiError::invalid("the user name is empty"));
    }
    let profile = lock(tandem).executive(executive)?;
    let credential = Credential::Password(password.to_string());
    let found = client(url, username.trim(), credential, ca_file)?.discover().await.map_err(caldav_error)?;
    if found.calendars.is_empty() {
        return Err(ApiError::invalid(format!(
            "{url} has no calendar for {username} (only address books or task lists)"
        )));
    }
    let chosen: Vec<&RemoteCalendar> = if take.is_empty() {
        found.calendars.iter().collect()
    } else {
        take.iter().map(|name| named(&found.calendars, name)).collect::<Result<Vec<_>>>()?
    };
    // A server calendar mirrored twice would show each meeting twice and write it twice.
    let chosen = {
        let mirrored = mirrored(&lock(tandem), &profile.id)?;
        let already = |c: &RemoteCalendar| local_name(&mirrored, c).map(|(_, name)| name);
        let (fresh, known): (Vec<&RemoteCalendar>, Vec<&RemoteCalendar>) =
            chosen.into_iter().partition(|c| already(c).is_none());
        // Asked for by name, a calendar Tandem has is a mistake to say; "all" takes the rest.
        if let Some(c) = known.first().filter(|_| !take.is_empty() || fresh.is_empty()) {
            return Err(already_there(c, url, &already(c).unwrap_or_default()));
        }
        fresh
    };
    let base = server_url(url).map_err(caldav_error)?;
    let host = base.host_str().unwrap_or_default().to_string();
    let account = NewAccount {
        kind: AccountKind::CalDav,
        host: host.clone(),
        port: base.port_or_known_default().unwrap_or(443),
        security: Security::Tls,
        username: username.trim().to_string(),
        ca_file: ca_file.map(str::to_string),
        folders: vec![],
        url: Some(base.to_string()),
    };
    let mut t = lock(tandem);
    // The account and its calendars are stored together, or none of them.
    let stored = t.store.transaction(|s| {
        let account = s.add_account(&profile.id, &account, now)?;
        let calendars = chosen
            .iter()
            .enumerate()
            .map(|(i, remote)| mirror(s, &profile.id, &account, remote, i))
            .collect::<tandem_store::Result<Vec<_>>>()?;
        Ok((account, calendars))
    })?;
    let (account, calendars) = stored;
    if let Err(e) = credentials::save_password(&account, password) {
        // Nothing is kept without its password: the account and its (empty) calendars go.
        t.store.transaction(|s| {
            for c in &calendars {
                s.delete_calendar(&profile.id, c.calendar_id)?;
            }
            s.remove_account(&profile.id, account.id).map(|_| ())
        })?;
        return Err(keychain(e));
    }
    tracing::info!(account = account.id, host = %host, calendars = calendars.len(), "CalDAV account added");
    Ok(CalDavAccountDto { account: account_dto(&account), calendars })
}

/// The server calendars the executive's CalDAV accounts mirror: each one's address and the
/// local calendar it became (id and name).
fn mirrored(t: &Tandem, executive: &str) -> Result<Vec<(String, (i64, String))>> {
    let names = t.store.calendars(executive)?;
    let mut mirrored = Vec::new();
    for a in t.store.accounts(executive)?.iter().filter(|a| a.kind == AccountKind::CalDav) {
        for m in t.store.caldav_calendars(a.id)? {
            let name = names.iter().find(|n| n.id == m.calendar_id).map(|n| n.name.clone()).unwrap_or_default();
            mirrored.push((m.url, (m.calendar_id, name)));
        }
    }
    Ok(mirrored)
}

/// The server calendar the EP named (case aside); not found names the ones there are.
fn named<'a>(found: &'a [RemoteCalendar], name: &str) -> Result<&'a RemoteCalendar> {
    found.iter().find(|c| c.name.eq_ignore_ascii_case(name.trim())).ok_or_else(|| {
        let names: Vec<&str> = found.iter().map(|c| c.name.as_str()).collect();
        ApiError::new(ErrorCode::NotFound, format!("no calendar '{name}' on the server; it has {}", names.join(", ")))
    })
}

fn local_name(mirrored: &[(String, (i64, String))], remote: &RemoteCalendar) -> Option<(i64, String)> {
    mirrored.iter().find(|(url, _)| url == remote.url.as_str()).map(|(_, local)| local.clone())
}

fn already_there(remote: &RemoteCalendar, server: &str, local: &str) -> ApiError {
    ApiError::new(ErrorCode::Conflict, format!("{} at {server} is in Tandem already, as '{local}'", remote.name))
}

/// Makes `remote` a local calendar of the account's executive, linked for sync; nothing is
/// fetched yet. It gets a name of its own (mirroring into a calendar the executive has would
/// mix the two): the server's, then with the host after it, then numbered. `index` picks a
/// colour when the server keeps none.
fn mirror(
    s: &tandem_store::Store,
    executive: &str,
    account: &Account,
    remote: &RemoteCalendar,
    index: usize,
) -> tandem_store::Result<RemoteCalendarDto> {
    let taken: Vec<String> = s.calendars(executive)?.into_iter().map(|c| c.name).collect();
    let host = &account.host;
    let mut name = remote.name.clone();
    for n in 1.. {
        if !taken.contains(&name) {
            break;
        }
        name = if n == 1 { format!("{} ({host})", remote.name) } else { format!("{} ({host} {n})", remote.name) };
    }
    let color = remote.color.clone().unwrap_or_else(|| PALETTE[index % PALETTE.len()].to_string());
    let source = format!("{}{}", remote.url.origin().ascii_serialization(), remote.url.path());
    let calendar = s.ensure_calendar(executive, &NewCalendar { name: &name, color: &color, source: Some(&source) })?;
    s.link_caldav_calendar(calendar.id, account.id, remote.url.as_str(), remote.supports_sync, remote.writable)?;
    Ok(RemoteCalendarDto {
        calendar_id: calendar.id,
        name,
        url: remote.url.to_string(),
        color,
        writable: remote.writable,
    })
}

/// A stored account's connection, its password from the keychain.
fn connect(account: &Account) -> Result<CalDav> {
    let credential = credentials::credential(account).map_err(keychain)?;
    client(account.url.as_deref().unwrap_or_default(), &account.username, credential, account.ca_file.as_deref())
}

/// The executive, one of their CalDAV accounts, and the server's calendars as it lists them now.
async fn server_listing(
    tandem: &Mutex<Tandem>,
    executive: Option<&str>,
    id: i64,
) -> Result<(ExecutiveProfile, Account, Vec<RemoteCalendar>)> {
    let (profile, account) = {
        let t = lock(tandem);
        let profile = t.executive(executive)?;
        let account = t.store.account(&profile.id, id)?;
        (profile, account)
    };
    if account.kind != AccountKind::CalDav {
        return Err(ApiError::invalid(format!("account {id} is not a CalDAV account")));
    }
    let found = connect(&account)?.discover().await.map_err(caldav_error)?;
    Ok((profile, account, found.calendars))
}

/// The calendars on a CalDAV account's server now, each with the local calendar it is mirrored
/// as, if any: the server may have gained calendars since the account was added (one made on
/// the executive's phone), and the EP picks which to add.
pub async fn server_calendars(
    tandem: &Mutex<Tandem>,
    executive: Option<&str>,
    account: i64,
) -> Result<Vec<ServerCalendarDto>> {
    let (profile, account, found) = server_listing(tandem, executive, account).await?;
    let (mirrored, gone) = {
        let t = lock(tandem);
        let names = t.store.calendars(&profile.id)?;
        let gone: Vec<ServerCalendarDto> = t
            .store
            .caldav_calendars(account.id)?
            .into_iter()
            .filter(|m| found.iter().all(|c| c.url.as_str() != m.url))
            .filter_map(|m| names.iter().find(|n| n.id == m.calendar_id).map(|n| (m, n)))
            .map(|(m, n)| ServerCalendarDto {
                name: n.name.clone(),
                url: m.url,
                color: Some(n.color.clone()),
                writable: m.writable,
                mirrored_as: Some(n.name.clone()),
                calendar_id: Some(n.id),
                on_server: false,
            })
            .collect();
        (mirrored(&t, &profile.id)?, gone)
    };
    let mut listed: Vec<ServerCalendarDto> = found
        .iter()
        .map(|c| {
            let local = local_name(&mirrored, c);
            ServerCalendarDto {
                name: c.name.clone(),
                url: c.url.to_string(),
                color: c.color.clone(),
                writable: c.writable,
                calendar_id: local.as_ref().map(|(id, _)| *id),
                mirrored_as: local.map(|(_, name)| name),
                on_server: true,
            }
        })
        .collect();
    listed.extend(gone);
    Ok(listed)
}

/// Adds the server calendar called `name` to a CalDAV account's mirrored calendars; the next
/// sync fetches it.
pub async fn mirror_calendar(
    tandem: &Mutex<Tandem>,
    executive: Option<&str>,
    account: i64,
    name: &str,
) -> Result<RemoteCalendarDto> {
    let (profile, account, found) = server_listing(tandem, executive, account).await?;
    let remote = named(&found, name)?;
    let mut t = lock(tandem);
    if let Some((_, local)) = local_name(&mirrored(&t, &profile.id)?, remote) {
        return Err(already_there(remote, &account.host, &local));
    }
    let index = t.store.caldav_calendars(account.id)?.len();
    let added = t.store.transaction(|s| mirror(s, &profile.id, &account, remote, index))?;
    tracing::info!(account = account.id, calendar = added.calendar_id, "server calendar added");
    Ok(added)
}

/// Syncs every CalDAV calendar of the executive. A calendar that fails is reported with what to
/// check and keeps what it had; an account whose server cannot be reached or refuses the login
/// stops there, and the other accounts still sync.
pub async fn sync_calendars(tandem: &Mutex<Tandem>, executive: Option<&str>, now: DateTime<Utc>) -> Result<SyncDto> {
    sync_calendars_with(tandem, executive, now, &|_| {}).await
}

/// [`sync_calendars`], telling `progress` how far each calendar's fetch has got.
pub async fn sync_calendars_with(
    tandem: &Mutex<Tandem>,
    executive: Option<&str>,
    now: DateTime<Utc>,
    progress: &(dyn Fn(SyncProgressDto) + Sync),
) -> Result<SyncDto> {
    let (profile, accounts) = {
        let t = lock(tandem);
        let profile = t.executive(executive)?;
        let accounts: Vec<Account> =
            t.store.accounts(&profile.id)?.into_iter().filter(|a| a.kind == AccountKind::CalDav).collect();
        (profile, accounts)
    };
    let mut out = SyncDto::default();
    let connections: Vec<std::result::Result<CalDav, String>> =
        accounts.iter().map(|account| connect(account).map_err(|e| e.message)).collect();
    // Ours first: what changed here is written (merged with the server's changes where both
    // touched a meeting) before the server's changes are read.
    let by_account = |id: i64| accounts.iter().position(|a| a.id == id).and_then(|i| connections[i].as_ref().ok());
    let pushed = caldav::push(&Shared(tandem), &profile, by_account, now).await?;
    out.written = (pushed.written.len() + pushed.merged.len()) as u32;
    out.merged = pushed.merged.len() as u32;
    out.conflicts = pushed.conflicts;
    out.failed = pushed.failed;
    for (account, connection) in accounts.iter().zip(&connections) {
        let (mirrored, names) = {
            let t = lock(tandem);
            let mirrored = t.store.caldav_calendars(account.id)?;
            let names: Vec<(i64, String)> =
                t.store.calendars(&profile.id)?.into_iter().map(|c| (c.id, c.name)).collect();
            (mirrored, names)
        };
        let name_of = |id: i64| names.iter().find(|(i, _)| *i == id).map(|(_, n)| n.clone()).unwrap_or_default();
        let mut account_error: Option<String> = None;
        for m in &mirrored {
            let mut row = CalendarSyncDto {
                account_id: account.id,
                calendar_id: m.calendar_id,
                name: name_of(m.calendar_id),
                ..Default::default()
            };
            let result = match (&connection, &account_error) {
                (Err(e), _) | (_, Some(e)) => Err(e.clone()),
                (Ok(dav), None) => {
                    let remote = RemoteCalendar {
                        url: reqwest_url(&m.url)?,
                        name: row.name.clone(),
                        color: None,
                        ctag: m.ctag.clone(),
                        sync_token: m.sync_token.clone(),
                        supports_sync: m.supports_sync,
                        writable: m.writable,
                    };
                    let etags = lock(tandem).store.caldav_etags(m.calendar_id)?;
                    let known = Known { sync_token: m.sync_token.as_deref(), ctag: m.ctag.as_deref(), etags: &etags };
                    let name = row.name.clone();
                    let report = move |fetched: usize, total: usize| {
                        progress(SyncProgressDto {
                            calendar: name.clone(),
                            fetched: fetched as u32,
                            total: total as u32,
                        })
                    };
                    match dav.changes_with(&remote, &known, &report).await {
                        Ok(changes) => {
                            let mut t = lock(tandem);
                            let applied = caldav::apply_changes(&mut t.store, &profile, m.calendar_id, &changes, now)?;
                            row.fetched = applied.fetched as u32;
                            row.removed = applied.removed as u32;
                            row.invitations = applied.invitations as u32;
                            row.requests = applied.requests as u32;
                            row.problems = applied.problems;
                            Ok(())
                        }
                        Err(e) => {
                            // The server, the network or the login: the account's other
                            // calendars would fail the same way.
                            if e.is_transient()
                                || matches!(e, CalDavError::Unauthorized { .. } | CalDavError::Tls { .. })
                            {
                                account_error = Some(e.to_string());
                            }
                            Err(match e {
                                // The calendar went from the server (deleted there, or moved):
                                // "check the address" would send the EP looking for a typo.
                                CalDavError::NotFound { host, .. } => format!(
                                    "no longer on {host} (deleted or moved there); its meetings stay here until it \
                                     is removed from Tandem (Accounts, Calendars…)"
                                ),
                                e => e.to_string(),
                            })
                        }
                    }
                }
            };
            if let Err(e) = result {
                tracing::warn!(calendar = m.calendar_id, "calendar sync failed: {e}");
                lock(tandem).store.record_caldav_sync(m.calendar_id, Err(&e), now)?;
                row.error = Some(e);
            }
            out.requests += row.requests;
            out.calendars.push(row);
        }
        let error = connection.as_ref().err().cloned().or(account_error);
        lock(tandem).store.record_account_sync(account.id, now, error.as_deref())?;
    }
    out.waiting = lock(tandem).store.outbox_waiting(&profile.id)?.0;
    // Meetings waiting for the executive's answer go through the EP's rules, as on import.
    if out.calendars.iter().any(|c| c.invitations > 0) {
        lock(tandem).process_invitations(Some(&profile.id), now)?;
    }
    Ok(out)
}

fn reqwest_url(text: &str) -> Result<caldav::Url> {
    caldav::Url::parse(text)
        .map_err(|_| ApiError::new(ErrorCode::Storage, format!("a stored calendar address is not a URL: {text}")))
}

fn title_of(ics: &str) -> String {
    tandem_formats::ics::parse_calendar(ics)
        .ok()
        .and_then(|p| p.events.into_iter().find(|e| e.event.recurrence_id.is_none()).map(|e| e.event.summary))
        .unwrap_or_else(|| "(deleted)".to_string())
}

impl Tandem {
    /// Takes a mirrored calendar out of Tandem (its local copy; the server keeps it), as when
    /// it was deleted on the server, or the EP no longer wants it; `mirror_calendar` brings it
    /// back. Refused while a change made here still waits to reach it, or a clash on it is
    /// unsettled.
    pub fn remove_mirrored_calendar(&mut self, executive: Option<&str>, calendar_id: i64) -> Result<String> {
        let profile = self.executive(executive)?;
        let calendar = self.store.calendars(&profile.id)?.into_iter().find(|c| c.id == calendar_id);
        let (Some(calendar), Some(_)) = (calendar, self.store.caldav_calendar(calendar_id)?) else {
            return Err(ApiError::new(
                ErrorCode::NotFound,
                format!("no calendar {calendar_id} of a CalDAV account for {}", profile.id),
            ));
        };
        self.refuse_unsettled(&profile.id, &[calendar_id], &format!("'{}'", calendar.name))?;
        self.store.delete_calendar(&profile.id, calendar_id)?;
        tracing::info!(calendar = calendar_id, "mirrored calendar removed");
        Ok(calendar.name)
    }

    /// The clashes kept for the EP, oldest first.
    pub fn clashes(&self, executive: Option<&str>) -> Result<Vec<ClashDto>> {
        let profile = self.executive(executive)?;
        Ok(self
            .store
            .caldav_conflicts(&profile.id)?
            .into_iter()
            .map(|c| ClashDto {
                id: c.id,
                ours: title_of(&c.local_raw),
                theirs: title_of(&c.remote_raw),
                uid: c.uid,
                summary: c.summary,
                fields: c.fields,
                at: c.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            })
            .collect())
    }

    /// Settles a clash: `theirs` keeps the server's version (already in the calendar); `mine`
    /// puts ours back here and queues it to be written over the server's (conditionally, on
    /// the version the clash saw, so a newer change there is merged or kept in turn).
    pub fn resolve_clash(&mut self, executive: Option<&str>, id: i64, keep: &str, now: DateTime<Utc>) -> Result<()> {
        let profile = self.executive(executive)?;
        let clash = self.store.caldav_conflict(&profile.id, id)?;
        match keep {
            "theirs" => self.store.resolve_caldav_conflict(id, now)?,
            "mine" => {
                let ours: Vec<_> = tandem_formats::ics::parse_calendar(&clash.local_raw)
                    .map(|p| p.events)
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|e| e.event.uid == clash.uid)
                    .map(|e| (e.event, e.raw))
                    .collect();
                let summary = format!("Keep ours: {}", clash.summary);
                self.store.transaction(|s| {
                    s.replace_meeting(clash.calendar_id, &clash.uid, &ours)?;
                    s.queue_caldav_write(&profile.id, clash.calendar_id, &clash.uid, &summary, now)?;
                    s.resolve_caldav_conflict(id, now)
                })?;
            }
            other => return Err(ApiError::invalid(format!("keep '{other}': mine or theirs"))),
        }
        Ok(())
    }
}
