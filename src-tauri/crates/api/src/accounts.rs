//! Mail accounts and mail sync: adding an IMAP or SMTP account (checked against the server
//! first, its password filed in the OS keychain), syncing the executive's mail, and sending
//! what waits in the outbox.
//!
//! Network waits never hold the store: the async functions take the `Mutex<Tandem>` the app
//! and the CLI share and lock it only for each write (see `tandem_sync::LockedStore`).

use std::sync::Mutex;

use chrono::{DateTime, Utc};
use tandem_store::{Account, AccountKind, NewAccount, Security, Store};
use tandem_sync::credentials::{self, Credential, CredentialError};
use tandem_sync::imap::{self, ImapError};
use tandem_sync::outbox::replay;
use tandem_sync::smtp::{SmtpError, Submission};
use tandem_sync::LockedStore;

use crate::dto::{AccountDto, AccountSyncDto, MailSyncDto, NewAccountDto, SyncStatusDto};
use crate::error::{ApiError, ErrorCode, Result};
use crate::Tandem;

/// The shared app state as the sync engine borrows the store: one lock per write.
pub(crate) struct Shared<'a>(pub(crate) &'a Mutex<Tandem>);

impl LockedStore for Shared<'_> {
    fn with<R>(&self, f: impl FnOnce(&mut Store) -> R) -> R {
        f(&mut lock(self.0).store)
    }
}

pub(crate) fn lock(tandem: &Mutex<Tandem>) -> std::sync::MutexGuard<'_, Tandem> {
    tandem.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Tandem {
    /// The executive's mail accounts, oldest first.
    pub fn accounts(&self, executive: Option<&str>) -> Result<Vec<AccountDto>> {
        let profile = self.executive(executive)?;
        Ok(self.store.accounts(&profile.id)?.iter().map(account_dto).collect())
    }

    /// What waits to leave, the clashes to settle and the accounts failing: the status bar's
    /// offline indicator, read from the store so it is right the moment a change is made (and
    /// after a restart), not only after the next sync.
    pub fn sync_status(&self, executive: Option<&str>) -> Result<SyncStatusDto> {
        let profile = self.executive(executive)?;
        let (waiting, since) = self.store.outbox_waiting(&profile.id)?;
        Ok(SyncStatusDto {
            waiting,
            waiting_since: since.map(crate::invitations::rfc3339),
            clashes: self.store.caldav_conflicts(&profile.id)?.len() as u32,
            failing: self
                .store
                .accounts(&profile.id)?
                .iter()
                .filter(|a| a.last_error.is_some())
                .map(account_dto)
                .collect(),
        })
    }

    /// Refuses to remove mirrored `calendars` (what `what` names) while a change made here
    /// still waits to reach their server or a clash on them is unsettled: removing would lose it.
    pub(crate) fn refuse_unsettled(&self, executive: &str, calendars: &[i64], what: &str) -> Result<()> {
        let waiting: usize = calendars
            .iter()
            .map(|&id| self.store.pending_caldav_writes(executive, id).map(|w| w.len()))
            .sum::<std::result::Result<_, _>>()?;
        let clashes =
            self.store.caldav_conflicts(executive)?.iter().filter(|c| calendars.contains(&c.calendar_id)).count();
        if waiting + clashes == 0 {
            return Ok(());
        }
        let mut held = Vec::new();
        if waiting > 0 {
            held.push(format!("{waiting} change{} made here waiting to reach it", if waiting == 1 { "" } else { "s" }));
        }
        if clashes > 0 {
            held.push(format!("{clashes} clash{} to settle", if clashes == 1 { "" } else { "es" }));
        }
        Err(ApiError::new(
            ErrorCode::Conflict,
            format!(
                "{what} still has {}: sync when it can be reached (or cancel them in the outbox), then remove it",
                held.join(" and ")
            ),
        ))
    }

    /// A sync the EP asks for means now: changes waiting out a back-off after a failed attempt
    /// (the server was down a minute ago) are tried at once rather than in up to an hour.
    /// The minutely background sync keeps the back-off. How many were waiting.
    pub fn retry_now(&mut self, executive: Option<&str>, now: DateTime<Utc>) -> Result<u32> {
        let profile = self.executive(executive)?;
        Ok(self.store.retry_now(&profile.id, now)? as u32)
    }

    /// Removes an account, what sync knew of its folders, and its password from the keychain.
    /// The mail a mail account brought stays: it is the executive's record. A CalDAV account's
    /// calendars go with it, since they are copies of the server's, and adding the account
    /// again fetches them; so it is refused while a change made here still waits to reach that
    /// server, or a clash on it waits for the EP, which removing would lose.
    pub fn remove_account(&mut self, executive: Option<&str>, id: i64) -> Result<()> {
        let profile = self.executive(executive)?;
        let account = self.store.account(&profile.id, id)?;
        let mirrored = match account.kind {
            AccountKind::CalDav => self.store.caldav_calendars(id)?,
            AccountKind::Imap | AccountKind::Smtp => Vec::new(),
        };
        let ids: Vec<i64> = mirrored.iter().map(|m| m.calendar_id).collect();
        self.refuse_unsettled(&profile.id, &ids, &format!("{} at {}", account.username, account.host))?;
        credentials::forget(&account).map_err(keychain)?;
        self.store.transaction(|s| {
            for m in &mirrored {
                s.delete_calendar(&profile.id, m.calendar_id)?;
            }
            s.remove_account(&profile.id, id).map(|_| ())
        })?;
        tracing::info!(account = id, calendars = mirrored.len(), "account removed");
        Ok(())
    }
}

/// What the EP typed, checked: the kind, security and port (with the usual defaults).
fn new_account(dto: &NewAccountDto) -> Result<NewAccount> {
    let kind = match dto.kind.trim().to_ascii_lowercase().as_str() {
        "imap" => AccountKind::Imap,
        "smtp" => AccountKind::Smtp,
        "caldav" => return Err(ApiError::invalid("a CalDAV account is added with its address (add_caldav_account)")),
        other => return Err(ApiError::invalid(format!("account kind '{other}': expected imap or smtp"))),
    };
    let security = match dto.security.as_deref().map(|s| s.trim().to_ascii_lowercase()) {
        None => match kind {
            AccountKind::Smtp => Security::Starttls,
            AccountKind::Imap | AccountKind::CalDav => Security::Tls,
        },
        Some(s) => Security::parse(&s).ok_or_else(|| {
            ApiError::invalid(format!("security '{s}': expected tls or starttls (there is no clear-text mode)"))
        })?,
    };
    let port = dto.port.unwrap_or(match (kind, security) {
        (AccountKind::Imap, Security::Tls) => 993,
        (AccountKind::Imap, Security::Starttls) => 143,
        (AccountKind::Smtp, Security::Tls) => 465,
        (AccountKind::Smtp, Security::Starttls) => 587,
        (AccountKind::CalDav, _) => 443,
    });
    let host = dto.host.trim().to_ascii_lowercase();
    if host.is_empty() || host.contains(char::is_whitespace) || host.contains('/') {
        return Err(ApiError::invalid(format!("'{}' is not a server name", dto.host)));
    }
    if dto.username.trim().is_empty() {
        return Err(ApiError::invalid("the user name is empty"));
    }
    if let Some(path) = dto.ca_file.as_deref().filter(|p| !std::path::Path::new(p).is_file()) {
        return Err(ApiError::invalid(format!("the certificate file {path} does not exist")));
    }
    let mut folders: Vec<String> = dto.folders.iter().map(|f| f.trim().to_string()).filter(|f| !f.is_empty()).collect();
    if kind == AccountKind::Imap && folders.is_empty() {
        folders.push(tandem_store::INBOX.to_string());
    }
    if kind == AccountKind::Smtp {
        folders.clear();
    }
    Ok(NewAccount {
        kind,
        host,
        port,
        security,
        username: dto.username.trim().to_string(),
        ca_file: dto.ca_file.clone().filter(|p| !p.is_empty()),
        folders,
        url: None,
    })
}

/// Adds an account: the server is asked first (TLS, the login), so a wrong host, port or
/// password is refused at once; then the account is stored and its password filed in the OS
/// keychain (never in the store). If the keychain refuses, nothing is added.
pub async fn add_account(
    tandem: &Mutex<Tandem>,
    executive: Option<&str>,
    dto: &NewAccountDto,
    password: &str,
    now: DateTime<Utc>,
) -> Result<AccountDto> {
    let new = new_account(dto)?;
    let profile = lock(tandem).executive(executive)?;
    let probe = Account {
        id: 0,
        executive_id: profile.id.clone(),
        kind: new.kind,
        host: new.host.clone(),
        port: new.port,
        security: new.security,
        username: new.username.clone(),
        ca_file: new.ca_file.clone(),
        folders: new.folders.clone(),
        url: None,
        keychain_name: String::new(),
        created_at: now,
        synced_at: None,
        last_error: None,
    };
    let credential = Credential::Password(password.to_string());
    match new.kind {
        AccountKind::Imap => imap::verify(&probe, &credential).await.map_err(imap_error)?,
        AccountKind::Smtp => {
            Submission::new(&probe, &credential).map_err(smtp_error)?.verify().await.map_err(smtp_error)?
        }
        AccountKind::CalDav => return Err(ApiError::invalid("a CalDAV account is added with its address")),
    }
    let account = lock(tandem).store.add_account(&profile.id, &new, now)?;
    if let Err(e) = credentials::save_password(&account, password) {
        lock(tandem).store.remove_account(&profile.id, account.id)?;
        return Err(keychain(e));
    }
    tracing::info!(account = account.id, kind = account.kind.as_str(), host = %account.host, "account added");
    Ok(account_dto(&account))
}

/// Syncs every IMAP account of the executive, triages what came in, then sends what is due in
/// the outbox. An account that fails is reported (and remembered on the account); the others
/// still sync.
pub async fn sync_mail(tandem: &Mutex<Tandem>, executive: Option<&str>, now: DateTime<Utc>) -> Result<MailSyncDto> {
    let (profile, accounts) = {
        let t = lock(tandem);
        let profile = t.executive(executive)?;
        let accounts = t.store.accounts(&profile.id)?;
        (profile, accounts)
    };
    let mut out = MailSyncDto { accounts: Vec::new(), triaged: 0, problems: Vec::new() };
    for account in accounts.iter().filter(|a| a.kind == AccountKind::Imap) {
        let mut row = sync_row(account);
        let result = match credentials::credential(account) {
            Err(e) => Err(e.to_string()),
            Ok(credential) => imap::sync_account(&Shared(tandem), &profile, account, &credential, now)
                .await
                .map_err(|e| e.to_string()),
        };
        match result {
            Ok(report) => {
                for f in &report.folders {
                    row.fetched += f.fetched as u32;
                    row.added += f.added as u32;
                    row.flags_pushed += f.flags_pushed as u32;
                    row.flags_pulled += f.flags_pulled as u32;
                    row.gone += f.gone as u32;
                    row.archived += f.archived as u32;
                }
                row.filed_sent = report.sent_filed as u32;
                out.problems.extend(report.problems);
            }
            Err(e) => {
                tracing::warn!(account = account.id, "mail sync failed: {e}");
                row.error = Some(e);
            }
        }
        lock(tandem).store.record_account_sync(account.id, now, row.error.as_deref())?;
        out.accounts.push(row);
    }
    out.triaged = lock(tandem).triage(Some(&profile.id), false, now)?.triaged;
    out.accounts.extend(send_outbox(tandem, Some(&profile.id), now).await?);
    Ok(out)
}

/// Sends what is due in the executive's outbox through their SMTP account (the first one).
/// Without one, everything stays queued: nothing is lost, and the outbox says why.
pub async fn send_outbox(
    tandem: &Mutex<Tandem>,
    executive: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Option<AccountSyncDto>> {
    let (profile, account) = {
        let t = lock(tandem);
        let profile = t.executive(executive)?;
        let account = t.store.accounts(&profile.id)?.into_iter().find(|a| a.kind == AccountKind::Smtp);
        (profile, account)
    };
    let Some(account) = account else { return Ok(None) };
    let mut row = sync_row(&account);
    let submission = credentials::credential(&account)
        .map_err(|e| e.to_string())
        .and_then(|c| Submission::new(&account, &c).map_err(|e| e.to_string()));
    match submission {
        Err(e) => row.error = Some(e),
        Ok(submission) => {
            let r = replay(&Shared(tandem), &profile, &submission, now).await?;
            row.sent = r.sent.len() as u32;
            row.retrying = r.retrying.len() as u32;
            row.failed = r.failed.len() as u32;
            row.error = r.stopped;
        }
    }
    lock(tandem).store.record_account_sync(account.id, now, row.error.as_deref())?;
    Ok(Some(row))
}

fn sync_row(a: &Account) -> AccountSyncDto {
    AccountSyncDto {
        account_id: a.id,
        kind: a.kind.as_str().to_string(),
        host: a.host.clone(),
        fetched: 0,
        added: 0,
        flags_pushed: 0,
        flags_pulled: 0,
        gone: 0,
        archived: 0,
        filed_sent: 0,
        sent: 0,
        retrying: 0,
        failed: 0,
        error: None,
    }
}

pub(crate) fn account_dto(a: &Account) -> AccountDto {
    AccountDto {
        id: a.id,
        kind: a.kind.as_str().to_string(),
        host: a.host.clone(),
        port: a.port,
        security: match (&a.kind, a.url.as_deref()) {
            (AccountKind::CalDav, Some(url)) if url.starts_with("http://") => "http".into(),
            (AccountKind::CalDav, _) => "https".into(),
            _ => a.security.as_str().to_string(),
        },
        username: a.username.clone(),
        ca_file: a.ca_file.clone(),
        folders: a.folders.clone(),
        url: a.url.clone(),
        synced_at: a.synced_at.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        last_error: a.last_error.clone(),
    }
}

pub(crate) fn keychain(e: CredentialError) -> ApiError {
    ApiError::new(ErrorCode::Keychain, e.to_string())
}

fn imap_error(e: ImapError) -> ApiError {
    let code = match &e {
        ImapError::Login { .. } | ImapError::Tls { .. } => ErrorCode::Unauthorized,
        ImapError::Certificate { .. } => ErrorCode::InvalidInput,
        ImapError::Store(_) => ErrorCode::Storage,
        _ => ErrorCode::Network,
    };
    ApiError::new(code, e.to_string())
}

fn smtp_error(e: SmtpError) -> ApiError {
    let code = match &e {
        SmtpError::Account { .. } => ErrorCode::Unauthorized,
        _ => ErrorCode::Network,
    };
    ApiError::new(code, e.to_string())
}
