//! IMAP sync (RFC 3501, with CONDSTORE RFC 7162 where the server offers it), one account at a
//! time, folder by folder:
//!
//! 1. **Push** the flags the EP changed here (read, flagged, answered) for messages still
//!    waiting to be pushed: `+FLAGS`/`-FLAGS` on just those three, so other keywords stay.
//! 2. **UIDVALIDITY**: if the server's differs from the one stored, the stored UIDs mean
//!    nothing any more: forget them (the messages stay) and fetch the folder again; each
//!    message is found again by its Message-ID, so nothing is doubled.
//! 3. **New mail**: `UID FETCH last+1:*`, in batches that each land in one transaction together
//!    with the new highest UID, so a connection dropped mid-sync resumes after the last batch
//!    stored, and a batch fetched twice is not stored twice (messages are keyed by Message-ID).
//! 4. **Flags from the server**: with CONDSTORE only what changed since the stored MODSEQ,
//!    else all flags. A message with a local change not yet pushed keeps the local flags
//!    (the EP's latest intention wins).
//! 5. **Gone from the server**: messages moved or deleted elsewhere leave the folder; one gone
//!    from the INBOX is archived here. The other way, a message the EP archived here is moved
//!    (step 1) from the server's INBOX to its archive folder, so the executive's phone agrees.
//!
//! The store is locked only for each write ([`LockedStore`]), never across a network wait, so
//! the EP keeps working while a slow server answers.
//!
//! Credentials come in as a [`Credential`] (a password today; an OAuth token source can be
//! added without touching the protocol code). The connection is always encrypted: implicit
//! TLS or STARTTLS, verified against the system's roots plus, if given, the account's own
//! certificate (a self-hosted server's). Nothing secret is logged.

use std::time::Duration;

use async_imap::types::Flag;
use chrono::{DateTime, Utc};
use futures::StreamExt;
use tandem_core::mail::MessageFlags;
use tandem_core::ExecutiveProfile;
use tandem_store::{Account, FolderState, Security, StoreError, ARCHIVE_PENDING, INBOX};
use tokio::net::TcpStream;
use tokio_native_tls::{native_tls, TlsStream};

use crate::mail::{import_messages, RawMail};
use crate::LockedStore;

/// Messages per fetch batch (and per transaction).
const BATCH: usize = 100;
/// How long any one network step may take before the sync gives up (and resumes next time).
const STEP_TIMEOUT: Duration = Duration::from_secs(60);

type Session = async_imap::Session<TlsStream<TcpStream>>;

pub use crate::credentials::Credential;

#[derive(Debug, thiserror::Error)]
pub enum ImapError {
    #[error("cannot reach {host}:{port}: {detail}")]
    Connect { host: String, port: u16, detail: String },
    #[error("TLS with {host} failed: {detail}")]
    Tls { host: String, detail: String },
    #[error("{host} refused the login for {user}: {detail}")]
    Login { host: String, user: String, detail: String },
    #[error("{host}: {what} took longer than {secs} s", secs = STEP_TIMEOUT.as_secs())]
    Timeout { host: String, what: String },
    #[error("{host}: {detail}")]
    Protocol { host: String, detail: String },
    #[error("cannot read the certificate {path}: {detail}")]
    Certificate { path: String, detail: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What a sync did in one folder.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FolderReport {
    pub folder: String,
    /// Messages fetched (new to this folder's UIDs).
    pub fetched: usize,
    /// Of those, messages new to the store.
    pub added: usize,
    pub flags_pulled: usize,
    pub flags_pushed: usize,
    /// Messages no longer in the folder on the server.
    pub gone: usize,
    /// Messages archived here and moved to the server's archive folder.
    pub archived: usize,
    /// The folder's UIDVALIDITY changed: its UIDs were forgotten and it was fetched anew.
    pub uid_validity_reset: bool,
}

/// What a sync did, folder by folder, and the messages it could not read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImapReport {
    pub folders: Vec<FolderReport>,
    /// Copies of mail Tandem sent, appended to the server's Sent folder.
    pub sent_filed: usize,
    pub problems: Vec<String>,
}

/// Syncs every folder of `account` into the executive's store.
pub async fn sync_account(
    db: &impl LockedStore,
    profile: &ExecutiveProfile,
    account: &Account,
    credential: &Credential,
    now: DateTime<Utc>,
) -> Result<ImapReport, ImapError> {
    let mut session = connect(account, credential).await?;
    let caps = {
        let caps = step(account, "CAPABILITY", session.capabilities()).await?;
        Caps { condstore: caps.has_str("CONDSTORE"), moves: caps.has_str("MOVE"), uidplus: caps.has_str("UIDPLUS") }
    };
    let mut report = ImapReport::default();
    for folder in &account.folders {
        let r = sync_folder(&mut session, db, profile, account, folder, caps, now, &mut report.problems).await?;
        report.folders.push(r);
    }
    report.sent_filed = file_sent_copies(&mut session, db, profile, account).await?;
    // A polite goodbye; the sync is done whether or not the server answers it.
    let _ = tokio::time::timeout(Duration::from_secs(5), session.logout()).await;
    Ok(report)
}

#[allow(clippy::too_many_arguments)]
async fn sync_folder(
    session: &mut Session,
    db: &impl LockedStore,
    profile: &ExecutiveProfile,
    account: &Account,
    folder: &str,
    caps: Caps,
    now: DateTime<Utc>,
    problems: &mut Vec<String>,
) -> Result<FolderReport, ImapError> {
    let condstore = caps.condstore;
    let mut report = FolderReport { folder: folder.to_string(), ..Default::default() };
    let mailbox = if condstore {
        step(account, &format!("SELECT {folder}"), session.select_condstore(folder)).await?
    } else {
        step(account, &format!("SELECT {folder}"), session.select(folder)).await?
    };
    let uid_validity = mailbox.uid_validity.ok_or_else(|| ImapError::Protocol {
        host: account.host.clone(),
        detail: format!("{folder} has no UIDVALIDITY"),
    })?;
    let stored = db.with(|s| s.folder_state(account.id, folder))?;
    let mut state = match stored {
        Some(s) if s.uid_validity == uid_validity => s,
        Some(_) => {
            report.uid_validity_reset = true;
            db.with(|s| s.forget_folder_locations(account.id, folder))?;
            FolderState { uid_validity, last_uid: 0, highest_modseq: None }
        }
        None => FolderState { uid_validity, last_uid: 0, highest_modseq: None },
    };

    // 1. Push local flag changes first, so that what is pulled next already agrees with them.
    let dirty: Vec<_> =
        db.with(|s| s.locations(account.id, folder))?.into_iter().filter(|l| l.flags_dirty != 0).collect();
    let mut archive: Option<String> = None;
    for loc in dirty {
        let message = db.with(|s| s.message(&profile.id, loc.message))?;
        let (add, remove) = split_flags(message.state.flags, loc.flags_dirty);
        for (sign, list) in [("+", add), ("-", remove)] {
            if list.is_empty() {
                continue;
            }
            let query = format!("{sign}FLAGS.SILENT ({})", list.join(" "));
            let stream = step(account, "UID STORE", session.uid_store(loc.uid.to_string(), &query)).await?;
            let mut stream = std::pin::pin!(stream);
            while let Some(item) = next_item(account, "UID STORE", &mut stream).await? {
                item.map_err(|e| protocol(account, e))?;
            }
        }
        if loc.flags_dirty & ARCHIVE_PENDING != 0 && message.state.archived && is_inbox(folder) {
            let to = match &archive {
                Some(f) => f.clone(),
                None => archive.insert(special_folder(session, account, SpecialUse::Archive).await?).clone(),
            };
            move_message(session, account, caps, loc.uid, &to).await?;
            db.with(|s| s.remove_location(account.id, folder, loc.uid))?;
            report.archived += 1;
            continue;
        }
        db.with(|s| s.clear_flags_dirty(account.id, folder, loc.uid))?;
        report.flags_pushed += 1;
    }

    // 3. New messages, in batches that land with the new highest UID.
    let uid_next = mailbox.uid_next.unwrap_or(u32::MAX);
    if mailbox.exists > 0 && uid_next > state.last_uid + 1 {
        let range = format!("{}:*", state.last_uid + 1);
        let mut fetched: Vec<(u32, RawMail)> = Vec::new();
        let mut stream =
            step(account, "UID FETCH", session.uid_fetch(&range, "(UID FLAGS INTERNALDATE BODY.PEEK[])")).await?;
        while let Some(item) = next_item(account, "UID FETCH", &mut stream).await? {
            let fetch = item.map_err(|e| protocol(account, e))?;
            let Some(uid) = fetch.uid else { continue };
            // `N:*` names the last message even when its UID is below N (RFC 3501 6.4.8).
            if uid <= state.last_uid {
                continue;
            }
            let Some(body) = fetch.body() else {
                problems.push(format!("imap:{folder}/{uid}: the server sent no body"));
                continue;
            };
            let flags = flags_of(fetch.flags());
            let label = format!("imap:{folder}/{uid}");
            let local_folder =
                if folder.eq_ignore_ascii_case("INBOX") { INBOX.to_string() } else { folder.to_string() };
            fetched.push((uid, RawMail { label, raw: body.to_vec(), folder: local_folder, flags }));
            if fetched.len() >= BATCH {
                store_batch(db, profile, account, folder, &mut state, &mut fetched, &mut report, problems, now)?;
            }
        }
        drop(stream);
        // A stream also ends when the connection does: only a live connection means the
        // fetch was complete. (What was fetched is stored either way.)
        let alive = alive(session, account).await;
        store_batch(db, profile, account, folder, &mut state, &mut fetched, &mut report, problems, now)?;
        alive?;
    }

    // 4. Flags changed on the server (with CONDSTORE, only since the MODSEQ stored).
    if state.last_uid > 0 {
        let query = match (condstore, state.highest_modseq) {
            (true, Some(modseq)) => format!("(UID FLAGS) (CHANGEDSINCE {modseq})"),
            _ => "(UID FLAGS)".to_string(),
        };
        let by_uid: std::collections::HashMap<u32, tandem_store::ImapLocation> =
            db.with(|s| s.locations(account.id, folder))?.into_iter().map(|l| (l.uid, l)).collect();
        let mut stream =
            step(account, "UID FETCH FLAGS", session.uid_fetch(format!("1:{}", state.last_uid), &query)).await?;
        let mut changes = Vec::new();
        while let Some(item) = next_item(account, "UID FETCH FLAGS", &mut stream).await? {
            let fetch = item.map_err(|e| protocol(account, e))?;
            let (Some(uid), flags) = (fetch.uid, flags_of(fetch.flags())) else { continue };
            if let Some(loc) = by_uid.get(&uid).filter(|l| l.flags_dirty == 0) {
                changes.push((loc.message, flags));
            }
        }
        drop(stream);
        alive(session, account).await?;
        db.with(|s| {
            s.transaction(|st| {
                for (message, flags) in &changes {
                    let mut m = st.message(&profile.id, *message)?;
                    if m.state.flags != *flags {
                        m.state.flags = *flags;
                        st.set_message_state(&profile.id, *message, &m.state)?;
                        report.flags_pulled += 1;
                    }
                }
                Ok(())
            })
        })?;

        // 5. Messages gone from the folder.
        let present = step(account, "UID SEARCH", session.uid_search(format!("UID 1:{}", state.last_uid))).await?;
        // An empty answer from a dead connection must not read as "everything was deleted".
        alive(session, account).await?;
        let gone: Vec<_> = by_uid.values().filter(|l| !present.contains(&l.uid)).cloned().collect();
        db.with(|s| {
            s.transaction(|st| {
                for loc in &gone {
                    st.remove_location(account.id, folder, loc.uid)?;
                    if folder.eq_ignore_ascii_case("INBOX") {
                        let mut m = st.message(&profile.id, loc.message)?;
                        if !m.state.archived {
                            m.state.archived = true;
                            st.set_message_state(&profile.id, loc.message, &m.state)?;
                        }
                    }
                }
                Ok(())
            })
        })?;
        report.gone = gone.len();
    }

    // MODSEQ last: everything up to it is now reflected here.
    let reselect = if condstore {
        step(account, &format!("SELECT {folder}"), session.select_condstore(folder)).await?.highest_modseq
    } else {
        None
    };
    state.highest_modseq = reselect.or(mailbox.highest_modseq);
    db.with(|s| s.set_folder_state(account.id, folder, &state))?;
    Ok(report)
}

/// What the server can do beyond IMAP4rev1.
#[derive(Clone, Copy, Debug)]
struct Caps {
    condstore: bool,
    /// RFC 6851 MOVE.
    moves: bool,
    /// RFC 4315 UID EXPUNGE, to expunge only what was moved.
    uidplus: bool,
}

fn is_inbox(folder: &str) -> bool {
    folder.eq_ignore_ascii_case("INBOX")
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum SpecialUse {
    Archive,
    Sent,
}

/// A special-use folder (RFC 6154) of the server: the one marked `\Archive` or `\Sent`, else
/// the one called "Archive" or "Sent", created if there is none (as Thunderbird and Apple Mail
/// do).
async fn special_folder(session: &mut Session, account: &Account, role: SpecialUse) -> Result<String, ImapError> {
    use async_imap::types::NameAttribute;
    let name = match role {
        SpecialUse::Archive => "Archive",
        SpecialUse::Sent => "Sent",
    };
    let mut found: Vec<(String, bool)> = Vec::new();
    {
        let mut stream = step(account, "LIST", session.list(Some(""), Some("*"))).await?;
        while let Some(item) = next_item(account, "LIST", &mut stream).await? {
            let n = item.map_err(|e| protocol(account, e))?;
            let marked = n.attributes().iter().any(|a| match role {
                SpecialUse::Archive => matches!(a, NameAttribute::Archive),
                SpecialUse::Sent => matches!(a, NameAttribute::Sent),
            });
            found.push((n.name().to_string(), marked));
        }
    }
    alive(session, account).await?;
    if let Some((n, _)) = found.iter().find(|(_, marked)| *marked) {
        return Ok(n.clone());
    }
    if let Some((n, _)) = found.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
        return Ok(n.clone());
    }
    step(account, &format!("CREATE {name}"), session.create(name)).await?;
    Ok(name.to_string())
}

/// Appends what Tandem sent (through SMTP) to the server's Sent folder, marked read, so the
/// executive's other clients show it as sent. Each copy is filed once; one that fails stays
/// queued for the next sync.
async fn file_sent_copies(
    session: &mut Session,
    db: &impl LockedStore,
    profile: &ExecutiveProfile,
    account: &Account,
) -> Result<usize, ImapError> {
    let pending = db.with(|s| s.sent_copies(&profile.id))?;
    if pending.is_empty() {
        return Ok(0);
    }
    let folder = special_folder(session, account, SpecialUse::Sent).await?;
    for message in &pending {
        let raw = db.with(|s| s.message_raw(*message))?;
        step(account, "APPEND", session.append(&folder, Some("(\\Seen)"), None, &raw)).await?;
        db.with(|s| s.sent_copy_filed(*message))?;
    }
    Ok(pending.len())
}

/// Moves one message of the selected folder: MOVE where offered, else COPY, mark deleted and
/// expunge (only that message with UIDPLUS).
async fn move_message(
    session: &mut Session,
    account: &Account,
    caps: Caps,
    uid: u32,
    to: &str,
) -> Result<(), ImapError> {
    let set = uid.to_string();
    if caps.moves {
        return step(account, "UID MOVE", session.uid_mv(&set, to)).await;
    }
    step(account, "UID COPY", session.uid_copy(&set, to)).await?;
    {
        let stream = step(account, "UID STORE", session.uid_store(&set, "+FLAGS.SILENT (\\Deleted)")).await?;
        let mut stream = std::pin::pin!(stream);
        while let Some(item) = next_item(account, "UID STORE", &mut stream).await? {
            item.map_err(|e| protocol(account, e))?;
        }
    }
    if caps.uidplus {
        let stream = step(account, "UID EXPUNGE", session.uid_expunge(&set)).await?;
        let mut stream = std::pin::pin!(stream);
        while next_item(account, "UID EXPUNGE", &mut stream).await?.is_some() {}
    } else {
        let stream = step(account, "EXPUNGE", session.expunge()).await?;
        let mut stream = std::pin::pin!(stream);
        while next_item(account, "EXPUNGE", &mut stream).await?.is_some() {}
    }
    alive(session, account).await
}

/// Stores a batch of fetched messages, their places and the new highest UID in one go.
#[allow(clippy::too_many_arguments)]
fn store_batch(
    db: &impl LockedStore,
    profile: &ExecutiveProfile,
    account: &Account,
    folder: &str,
    state: &mut FolderState,
    fetched: &mut Vec<(u32, RawMail)>,
    report: &mut FolderReport,
    problems: &mut Vec<String>,
    now: DateTime<Utc>,
) -> Result<(), ImapError> {
    if fetched.is_empty() {
        return Ok(());
    }
    let (uids, raws): (Vec<u32>, Vec<RawMail>) = std::mem::take(fetched).into_iter().unzip();
    // One lock for the batch: its messages, their places and the new highest UID land together.
    db.with(|store| {
        let imported = import_messages(store, profile, &raws, now)?;
        problems.extend(imported.problems);
        report.fetched += raws.len();
        report.added += imported.added;
        let max_uid = uids.iter().copied().max().unwrap_or(state.last_uid);
        let ids: Vec<(u32, Option<String>)> = uids.into_iter().zip(imported.message_ids).collect();
        store.transaction(|st| {
            for (uid, message_id) in &ids {
                if let Some(row) =
                    message_id.as_deref().map(|id| st.message_row(&profile.id, id)).transpose()?.flatten()
                {
                    st.set_location(account.id, folder, *uid, row)?;
                }
            }
            let next = FolderState { last_uid: max_uid.max(state.last_uid), ..*state };
            st.set_folder_state(account.id, folder, &next)?;
            Ok(())
        })?;
        state.last_uid = max_uid.max(state.last_uid);
        Ok(())
    })
}

/// The flags changed here (`mask`), as IMAP system flags to add and to remove.
fn split_flags(f: MessageFlags, mask: u8) -> (Vec<&'static str>, Vec<&'static str>) {
    let mut add = Vec::new();
    let mut remove = Vec::new();
    let all = [
        (f.seen, MessageFlags::SEEN, "\\Seen"),
        (f.flagged, MessageFlags::FLAGGED, "\\Flagged"),
        (f.answered, MessageFlags::ANSWERED, "\\Answered"),
    ];
    for (on, _, name) in all.into_iter().filter(|(_, bit, _)| mask & bit != 0) {
        if on {
            add.push(name);
        } else {
            remove.push(name);
        }
    }
    (add, remove)
}

fn flags_of<'a>(flags: impl Iterator<Item = Flag<'a>>) -> MessageFlags {
    let mut f = MessageFlags::default();
    for flag in flags {
        match flag {
            Flag::Seen => f.seen = true,
            Flag::Flagged => f.flagged = true,
            Flag::Answered => f.answered = true,
            _ => {}
        }
    }
    f
}

fn protocol(account: &Account, e: async_imap::error::Error) -> ImapError {
    ImapError::Protocol { host: account.host.clone(), detail: e.to_string() }
}

/// Checks that the connection still answers (a NOOP gets its tagged OK). async-imap 0.11's
/// response parsers end quietly at end of stream, so a fetch, a search (or its own `noop()`)
/// cut short by a dropped connection looks complete; `run_command_and_check_ok` does not.
async fn alive(session: &mut Session, account: &Account) -> Result<(), ImapError> {
    step(account, "NOOP", session.run_command_and_check_ok("NOOP")).await.map_err(|e| match e {
        ImapError::Protocol { host, detail } => {
            ImapError::Protocol { host, detail: format!("connection lost ({detail})") }
        }
        other => other,
    })
}

/// Runs one network step under the step timeout.
async fn step<T>(
    account: &Account,
    what: &str,
    fut: impl std::future::Future<Output = Result<T, async_imap::error::Error>>,
) -> Result<T, ImapError> {
    match tokio::time::timeout(STEP_TIMEOUT, fut).await {
        Err(_) => Err(ImapError::Timeout { host: account.host.clone(), what: what.to_string() }),
        Ok(Err(e)) => Err(ImapError::Protocol { host: account.host.clone(), detail: format!("{what}: {e}") }),
        Ok(Ok(v)) => Ok(v),
    }
}

/// The next item of a response stream, under the step timeout.
async fn next_item<S: futures::Stream + Unpin>(
    account: &Account,
    what: &str,
    stream: &mut S,
) -> Result<Option<S::Item>, ImapError> {
    tokio::time::timeout(STEP_TIMEOUT, stream.next())
        .await
        .map_err(|_| ImapError::Timeout { host: account.host.clone(), what: what.to_string() })
}

/// Connects and logs in and out: the account as given works (checked before it is added).
pub async fn verify(account: &Account, credential: &Credential) -> Result<(), ImapError> {
    let mut session = connect(account, credential).await?;
    let _ = tokio::time::timeout(Duration::from_secs(5), session.logout()).await;
    Ok(())
}

/// Opens an authenticated session: TCP, TLS (implicit or after STARTTLS), LOGIN.
pub async fn connect(account: &Account, credential: &Credential) -> Result<Session, ImapError> {
    let host = account.host.clone();
    let connect_err = |detail: String| ImapError::Connect { host: host.clone(), port: account.port, detail };
    let tcp = tokio::time::timeout(STEP_TIMEOUT, TcpStream::connect((account.host.as_str(), account.port)))
        .await
        .map_err(|_| connect_err("no answer".into()))?
        .map_err(|e| connect_err(e.to_string()))?;
    let tls = tls_connector(account)?;
    let tcp = match account.security {
        Security::Tls => tcp,
        Security::Starttls => {
            let mut plain = async_imap::Client::new(tcp);
            step(account, "greeting", async { Ok(plain.read_response().await?) }).await?;
            step(account, "STARTTLS", plain.run_command_and_check_ok("STARTTLS", None)).await?;
            plain.into_inner()
        }
    };
    let stream = tokio::time::timeout(STEP_TIMEOUT, tls.connect(&account.host, tcp))
        .await
        .map_err(|_| ImapError::Tls { host: host.clone(), detail: "handshake timed out".into() })?
        .map_err(|e| ImapError::Tls { host: host.clone(), detail: e.to_string() })?;
    let mut client = async_imap::Client::new(stream);
    if account.security == Security::Tls {
        step(account, "greeting", async { Ok(client.read_response().await?) }).await?;
    }
    let Credential::Password(password) = credential;
    let login = tokio::time::timeout(STEP_TIMEOUT, client.login(&account.username, password))
        .await
        .map_err(|_| ImapError::Timeout { host: host.clone(), what: "LOGIN".into() })?;
    login.map_err(|(e, _)| ImapError::Login { host, user: account.username.clone(), detail: e.to_string() })
}

fn tls_connector(account: &Account) -> Result<tokio_native_tls::TlsConnector, ImapError> {
    let mut builder = native_tls::TlsConnector::builder();
    if let Some(path) = &account.ca_file {
        let bad = |detail: String| ImapError::Certificate { path: path.clone(), detail };
        let pem = std::fs::read(path).map_err(|e| bad(e.to_string()))?;
        builder.add_root_certificate(native_tls::Certificate::from_pem(&pem).map_err(|e| bad(e.to_string()))?);
    }
    let connector =
        builder.build().map_err(|e| ImapError::Tls { host: account.host.clone(), detail: e.to_string() })?;
    Ok(tokio_native_tls::TlsConnector::from(connector))
}
