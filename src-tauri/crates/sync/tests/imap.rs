//! IMAP sync against a real Dovecot on loopback (see servers/dovecot.rs): first and incremental
//! sync, flags changed on either side, STARTTLS, a wrong password and an untrusted
//! certificate, a folder whose UIDVALIDITY changes, mail removed on the server, and a server
//! connection dropped in the middle of a sync (resumed, nothing lost or doubled).

mod common;
#[path = "servers/dovecot.rs"]
mod dovecot;

use std::sync::Mutex;

use async_imap::Session;
use chrono::Utc;
use futures::StreamExt;
use tandem_core::mail::MessageFlags;
use tandem_store::{Account, AccountKind, MessageFilter, NewAccount, Security, Store};
use tandem_sync::imap::{sync_account, Credential, ImapError};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

use common::setup;
use dovecot::{Dovecot, PASSWORD, USER};

fn mail(n: usize, subject: &str) -> String {
    format!(
        "From: Raj Malhotra <raj@summitpeak.example>\r\nTo: Dana Okafor <dana@northwind.example>\r\nSubject: {subject}\r\n\
Date: Mon, 23 Nov 2026 09:{:02}:00 +0000\r\nMessage-ID: <m{n}@summitpeak.example>\r\n\r\n{}\r\n",
        n % 60,
        format!("Line {n} of a message about the renewal.\r\n").repeat(20)
    )
}

/// The test's own hands on the server: a plain-text login on loopback (Dovecot allows it here).
async fn admin(server: &Dovecot) -> Session<TcpStream> {
    let tcp = TcpStream::connect(("127.0.0.1", server.imap_port)).await.unwrap();
    let mut client = async_imap::Client::new(tcp);
    client.read_response().await.unwrap();
    client.login(USER, PASSWORD).await.map_err(|(e, _)| e).unwrap()
}

async fn append(s: &mut Session<TcpStream>, folder: &str, n: usize, flags: Option<&str>) {
    s.append(folder, flags, None, mail(n, &format!("Message {n}"))).await.unwrap();
}

async fn server_flags(s: &mut Session<TcpStream>, folder: &str, uid: u32) -> Vec<String> {
    s.select(folder).await.unwrap();
    let mut stream = s.uid_fetch(uid.to_string(), "(UID FLAGS)").await.unwrap();
    let mut out = Vec::new();
    while let Some(f) = stream.next().await {
        out.extend(f.unwrap().flags().map(|f| format!("{f:?}")));
    }
    out
}

fn account(store: &Store, server: &Dovecot, security: Security, folders: &[&str]) -> Account {
    let port = if security == Security::Tls { server.imaps_port } else { server.imap_port };
    let new = NewAccount {
        kind: AccountKind::Imap,
        host: "localhost".into(),
        port,
        security,
        username: USER.into(),
        ca_file: Some(server.cert.display().to_string()),
        folders: folders.iter().map(|f| f.to_string()).collect(),
        url: None,
    };
    store.add_account("dana", &new, Utc::now()).unwrap()
}

fn password() -> Credential {
    Credential::Password(PASSWORD.into())
}

fn all(store: &Store) -> Vec<tandem_store::StoredMessage> {
    store.messages_page("dana", &MessageFilter::default(), 0, 10_000).unwrap()
}

#[tokio::test]
async fn a_first_sync_fetches_everything_and_the_next_only_what_is_new() {
    let server = Dovecot::start();
    let (_d, mut store, profile) = setup();
    let mut a = admin(&server).await;
    append(&mut a, "INBOX", 1, Some("(\\Seen)")).await;
    append(&mut a, "INBOX", 2, None).await;
    append(&mut a, "INBOX", 3, Some("(\\Flagged)")).await;
    let acc = account(&store, &server, Security::Tls, &["INBOX"]);

    let first = sync_account(&Mutex::new(&mut store), &profile, &acc, &password(), Utc::now()).await.unwrap();
    assert_eq!((first.folders[0].fetched, first.folders[0].added), (3, 3), "{first:?}");
    let stored = all(&store);
    let by = |id: &str| stored.iter().find(|m| m.message.message_id == id).unwrap().state.flags;
    assert_eq!(by("m1@summitpeak.example"), MessageFlags { seen: true, ..Default::default() });
    assert_eq!(by("m3@summitpeak.example"), MessageFlags { flagged: true, ..Default::default() });

    append(&mut a, "INBOX", 4, None).await;
    append(&mut a, "INBOX", 5, None).await;
    let second = sync_account(&Mutex::new(&mut store), &profile, &acc, &password(), Utc::now()).await.unwrap();
    assert_eq!(second.folders[0].fetched, 2, "only the new messages: {second:?}");
    let third = sync_account(&Mutex::new(&mut store), &profile, &acc, &password(), Utc::now()).await.unwrap();
    assert_eq!(third.folders[0].fetched, 0);
    assert_eq!(store.message_count("dana").unwrap(), 5);
}

#[tokio::test]
async fn flags_changed_on_either_side_meet_and_a_local_change_not_yet_pushed_wins() {
    let server = Dovecot::start();
    let (_d, mut store, profile) = setup();
    let mut a = admin(&server).await;
    for n in 1..=3 {
        append(&mut a, "INBOX", n, None).await;
    }
    let acc = account(&store, &server, Security::Starttls, &["INBOX"]);
    sync_account(&Mutex::new(&mut store), &profile, &acc, &password(), Utc::now()).await.unwrap();

    // On the server: message 2 flagged (another client did it).
    a.select("INBOX").await.unwrap();
    a.uid_store("2", "+FLAGS (\\Flagged)").await.unwrap().collect::<Vec<_>>().await;
    // Here: message 3 read by the EP; and message 1 read here while another client flags it.
    let row = |store: &Store, id: &str| store.message_row("dana", id).unwrap().unwrap();
    for id in ["m3@summitpeak.example", "m1@summitpeak.example"] {
        let mut m = store.message("dana", row(&store, id)).unwrap();
        let before = m.state.flags;
        m.state.flags.seen = true;
        store.set_message_state("dana", m.id, &m.state).unwrap();
        store.mark_flags_dirty(m.id, before.changed(m.state.flags)).unwrap();
    }
    a.uid_store("1", "+FLAGS (\\Flagged)").await.unwrap().collect::<Vec<_>>().await;

    let r = sync_account(&Mutex::new(&mut store), &profile, &acc, &password(), Utc::now()).await.unwrap();
    assert_eq!(r.folders[0].flags_pushed, 2, "{r:?}");
    assert!(store.message("dana", row(&store, "m2@summitpeak.example")).unwrap().state.flags.flagged, "pulled");
    assert!(server_flags(&mut a, "INBOX", 3).await.contains(&"Seen".to_string()), "pushed");
    // The local change to message 1 was pushed as +Seen only: the other client's flag stays,
    // and comes back here on the pull.
    let one = server_flags(&mut a, "INBOX", 1).await;
    assert!(one.contains(&"Seen".to_string()) && one.contains(&"Flagged".to_string()), "{one:?}");
    assert_eq!(
        store.message("dana", row(&store, "m1@summitpeak.example")).unwrap().state.flags,
        MessageFlags { seen: true, flagged: true, answered: false }
    );
}

#[tokio::test]
async fn a_wrong_password_and_an_untrusted_certificate_are_refused_with_the_reason() {
    let server = Dovecot::start();
    let (_d, mut store, profile) = setup();
    let acc = account(&store, &server, Security::Tls, &["INBOX"]);
    let wrong =
        sync_account(&Mutex::new(&mut store), &profile, &acc, &Credential::Password("nope".into()), Utc::now()).await;
    assert!(matches!(wrong, Err(ImapError::Login { .. })), "{wrong:?}");
    let mut untrusted = acc.clone();
    untrusted.ca_file = None;
    let tls = sync_account(&Mutex::new(&mut store), &profile, &untrusted, &password(), Utc::now()).await;
    let Err(ImapError::Tls { detail, .. }) = tls else { panic!("{tls:?}") };
    assert!(!detail.is_empty());
    assert!(!format!("{:?}", password()).contains(PASSWORD), "a credential never prints");
}

#[tokio::test]
async fn a_new_uidvalidity_refetches_the_folder_without_doubling_anything() {
    let server = Dovecot::start();
    let (_d, mut store, profile) = setup();
    let mut a = admin(&server).await;
    a.create("Board").await.unwrap();
    append(&mut a, "Board", 1, None).await;
    append(&mut a, "Board", 2, None).await;
    let acc = account(&store, &server, Security::Tls, &["INBOX", "Board"]);
    sync_account(&Mutex::new(&mut store), &profile, &acc, &password(), Utc::now()).await.unwrap();
    assert_eq!(store.message_count("dana").unwrap(), 2);

    // The folder is deleted and made again: same name, new UIDVALIDITY, UIDs from 1 again.
    a.delete("Board").await.unwrap();
    a.create("Board").await.unwrap();
    append(&mut a, "Board", 2, None).await;
    append(&mut a, "Board", 7, None).await;
    let r = sync_account(&Mutex::new(&mut store), &profile, &acc, &password(), Utc::now()).await.unwrap();
    let board = &r.folders[1];
    assert!(board.uid_validity_reset, "{r:?}");
    assert_eq!((board.fetched, board.added), (2, 1), "message 2 is known already: {r:?}");
    assert_eq!(store.message_count("dana").unwrap(), 3);
    let places = store.locations(acc.id, "Board").unwrap();
    assert_eq!(places.iter().map(|l| l.uid).collect::<Vec<_>>(), [1, 2]);
}

#[tokio::test]
async fn mail_expunged_on_the_server_leaves_the_inbox_here() {
    let server = Dovecot::start();
    let (_d, mut store, profile) = setup();
    let mut a = admin(&server).await;
    append(&mut a, "INBOX", 1, None).await;
    append(&mut a, "INBOX", 2, None).await;
    let acc = account(&store, &server, Security::Tls, &["INBOX"]);
    sync_account(&Mutex::new(&mut store), &profile, &acc, &password(), Utc::now()).await.unwrap();
    a.select("INBOX").await.unwrap();
    a.uid_store("1", "+FLAGS (\\Deleted)").await.unwrap().collect::<Vec<_>>().await;
    a.expunge().await.unwrap().collect::<Vec<_>>().await;
    let r = sync_account(&Mutex::new(&mut store), &profile, &acc, &password(), Utc::now()).await.unwrap();
    assert_eq!(r.folders[0].gone, 1);
    let row = store.message_row("dana", "m1@summitpeak.example").unwrap().unwrap();
    assert!(store.message("dana", row).unwrap().state.archived, "kept, but out of the inbox");
}

#[tokio::test]
async fn mail_archived_here_moves_to_the_servers_archive_folder_and_is_not_fetched_again() {
    let server = Dovecot::start();
    let (_d, mut store, profile) = setup();
    let mut a = admin(&server).await;
    append(&mut a, "INBOX", 1, None).await;
    append(&mut a, "INBOX", 2, None).await;
    let acc = account(&store, &server, Security::Tls, &["INBOX"]);
    sync_account(&Mutex::new(&mut store), &profile, &acc, &password(), Utc::now()).await.unwrap();
    // The EP archives message 1 (as the api does: the state, then the pending move).
    let row = store.message_row("dana", "m1@summitpeak.example").unwrap().unwrap();
    let mut state = store.message("dana", row).unwrap().state;
    state.archived = true;
    store.set_message_state("dana", row, &state).unwrap();
    store.mark_flags_dirty(row, tandem_store::ARCHIVE_PENDING).unwrap();

    let r = sync_account(&Mutex::new(&mut store), &profile, &acc, &password(), Utc::now()).await.unwrap();
    assert_eq!((r.folders[0].archived, r.folders[0].gone, r.folders[0].fetched), (1, 0, 0), "{r:?}");
    let inbox = a.select("INBOX").await.unwrap();
    assert_eq!(inbox.exists, 1, "only message 2 is left in the server's INBOX");
    let archive = a.select("Archive").await.unwrap();
    assert_eq!(archive.exists, 1, "message 1 is in the Archive folder Tandem created");
    assert_eq!(store.locations(acc.id, "INBOX").unwrap().len(), 1);
    let again = sync_account(&Mutex::new(&mut store), &profile, &acc, &password(), Utc::now()).await.unwrap();
    assert_eq!((again.folders[0].archived, again.folders[0].gone, again.folders[0].fetched), (0, 0, 0));
    assert!(store.message("dana", row).unwrap().state.archived);
}

/// Forwards one connection to `to`, passing at most `limit` bytes from the server before it
/// cuts both sides: a server that drops the connection in the middle of a sync.
async fn cutting_proxy(to: u16, limit: usize) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let (client, _) = listener.accept().await.unwrap();
        let server = TcpStream::connect(("127.0.0.1", to)).await.unwrap();
        let (mut cr, mut cw) = client.into_split();
        let (mut sr, mut sw) = server.into_split();
        tokio::spawn(async move {
            let _ = tokio::io::copy(&mut cr, &mut sw).await;
        });
        let mut sent = 0;
        let mut buf = vec![0u8; 4096];
        loop {
            use tokio::io::AsyncReadExt;
            let n = match sr.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => n.min(limit - sent),
            };
            if cw.write_all(&buf[..n]).await.is_err() {
                break;
            }
            sent += n;
            if sent >= limit {
                break;
            }
        }
        let _ = cw.shutdown().await;
    });
    port
}

#[tokio::test]
async fn a_connection_dropped_mid_sync_resumes_with_nothing_lost_or_doubled() {
    let server = Dovecot::start();
    let (_d, mut store, profile) = setup();
    let mut a = admin(&server).await;
    const N: usize = 250;
    for n in 0..N {
        append(&mut a, "INBOX", n, None).await;
    }
    let acc = account(&store, &server, Security::Tls, &["INBOX"]);
    // About 1.2 KB a message on the wire: cut after roughly 160 of them.
    let mut through_proxy = acc.clone();
    through_proxy.port = cutting_proxy(server.imaps_port, 200_000).await;
    let dropped = sync_account(&Mutex::new(&mut store), &profile, &through_proxy, &password(), Utc::now()).await;
    assert!(dropped.is_err(), "the cut shows as an error: {dropped:?}");
    assert!(all(&store).iter().all(|m| !m.state.archived), "a cut is not read as mail deleted on the server");
    let kept = store.message_count("dana").unwrap();
    assert!((100..N).contains(&kept), "whole batches stayed: {kept}");
    let stored_uid = store.folder_state(acc.id, "INBOX").unwrap().unwrap().last_uid as usize;
    assert_eq!(stored_uid, kept, "the highest UID stored matches what was stored");

    let resumed = sync_account(&Mutex::new(&mut store), &profile, &acc, &password(), Utc::now()).await.unwrap();
    assert_eq!(resumed.folders[0].fetched, N - kept, "only the rest: {resumed:?}");
    assert_eq!(store.message_count("dana").unwrap(), N);
    assert_eq!(store.locations(acc.id, "INBOX").unwrap().len(), N);
    let mut ids: Vec<String> = all(&store).into_iter().map(|m| m.message.message_id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), N);
}
