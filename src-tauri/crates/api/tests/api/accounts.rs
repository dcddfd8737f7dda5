//! Mail accounts end to end: added against a real Dovecot and a real SMTP server on loopback,
//! their passwords in the OS keychain (the test runs inside `tests/with-keychain.sh`), mail
//! synced in and triaged, the outbox sent.

#[path = "../../../sync/tests/servers/dovecot.rs"]
mod dovecot;
#[path = "../../../sync/tests/servers/smtp.rs"]
mod smtp;

use std::sync::Mutex;

use chrono::Utc;
use tandem_api::accounts::{add_account, send_outbox, sync_mail};
use tandem_api::dto::NewAccountDto;
use tandem_api::ErrorCode;

use super::open_demo;

fn imap(server: &dovecot::Dovecot) -> NewAccountDto {
    NewAccountDto {
        kind: "imap".into(),
        host: "localhost".into(),
        port: Some(server.imap_port),
        security: Some("starttls".into()),
        username: dovecot::USER.into(),
        ca_file: Some(server.cert.display().to_string()),
        folders: vec![],
    }
}

fn smtp(sink: &smtp::SmtpSink) -> NewAccountDto {
    NewAccountDto {
        kind: "smtp".into(),
        host: "localhost".into(),
        port: Some(sink.port),
        security: Some("starttls".into()),
        username: smtp::SMTP_USER.into(),
        ca_file: Some(sink.cert.display().to_string()),
        folders: vec![],
    }
}

fn mail(n: usize, from: &str, subject: &str) -> String {
    format!(
        "From: {from}\r\nTo: Dana Okafor <dana.okafor@northwind.example>\r\nSubject: {subject}\r\n\
         Message-ID: <dovecot-{n}@example.org>\r\nDate: Tue, 24 Nov 2026 13:0{n}:00 +0000\r\n\r\nMessage {n}.\r\n"
    )
}

/// Every file of the data directory, as bytes: where a leaked password would be.
fn stored_bytes(dir: &std::path::Path) -> Vec<u8> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        if entry.path().is_file() {
            all.extend(std::fs::read(entry.path()).unwrap());
        }
    }
    all
}

#[tokio::test(flavor = "multi_thread")]
async fn accounts_are_checked_against_the_server_keep_their_password_in_the_keychain_and_sync_mail_both_ways() {
    let server = dovecot::Dovecot::start();
    let sink = smtp::SmtpSink::start(false);
    let (dir, t) = open_demo();
    let t = Mutex::new(t);
    let now = Utc::now();
    server.deliver("1", &mail(1, "Eleanor Vance <eleanor@vanceholdings.example>", "Board dinner: your seat"));
    server.deliver("2", &mail(2, "Weekly <news@list.example>", "This week in robots"));

    // A wrong password, a closed port and a bad kind are refused and nothing is added.
    let wrong = add_account(&t, None, &imap(&server), "not it", now).await.unwrap_err();
    assert_eq!(wrong.code, ErrorCode::Unauthorized, "{wrong:?}");
    let closed = NewAccountDto { port: Some(1), ..imap(&server) };
    assert_eq!(add_account(&t, None, &closed, dovecot::PASSWORD, now).await.unwrap_err().code, ErrorCode::Network);
    let odd = NewAccountDto { kind: "pop3".into(), ..imap(&server) };
    assert_eq!(add_account(&t, None, &odd, dovecot::PASSWORD, now).await.unwrap_err().code, ErrorCode::InvalidInput);
    assert!(t.lock().unwrap().accounts(None).unwrap().is_empty());

    let inbox = add_account(&t, None, &imap(&server), dovecot::PASSWORD, now).await.unwrap();
    assert_eq!((inbox.kind.as_str(), inbox.folders.as_slice()), ("imap", &["INBOX".to_string()][..]));
    let outgoing = add_account(&t, None, &smtp(&sink), smtp::SMTP_PASSWORD, now).await.unwrap();
    assert_eq!(outgoing.security, "starttls");
    let again = add_account(&t, None, &imap(&server), dovecot::PASSWORD, now).await.unwrap_err();
    assert_eq!(again.code, ErrorCode::Conflict);
    let bytes = stored_bytes(dir.path());
    for secret in [dovecot::PASSWORD, smtp::SMTP_PASSWORD] {
        assert!(!bytes.windows(secret.len()).any(|w| w == secret.as_bytes()), "a password is in the store");
    }

    // The demo's replies wait in the outbox; a sync sends them after fetching.
    let queued = t.lock().unwrap().outbox(None).unwrap().iter().filter(|o| o.state == "queued").count();
    assert!(queued > 0);
    let synced = sync_mail(&t, None, now).await.unwrap();
    let imap_row = synced.accounts.iter().find(|a| a.kind == "imap").unwrap();
    assert_eq!((imap_row.fetched, imap_row.added, imap_row.error.as_deref()), (2, 2, None), "{synced:?}");
    assert_eq!(synced.triaged, 2);
    let page = t.lock().unwrap().inbox(None, None, 0, 500, now).unwrap();
    let dinner = page.items.iter().find(|m| m.subject == "Board dinner: your seat").expect("synced in");
    assert_eq!(dinner.lane, "needs_executive", "{}", dinner.lane_reason);
    assert!(page.items.iter().any(|m| m.subject == "This week in robots"));

    let smtp_row = synced.accounts.iter().find(|a| a.kind == "smtp").unwrap();
    assert_eq!((smtp_row.sent as usize, smtp_row.error.as_deref()), (queued, None), "{synced:?}");
    let accepted = sink.accepted();
    assert_eq!(accepted.len(), queued, "each once");
    assert!(accepted.iter().all(|m| m.from == "sam.rivera@northwind.example"), "the EP is the envelope sender");
    assert!(accepted[0].raw.contains("Sender: \"Sam Rivera\" <sam.rivera@northwind.example>"), "{}", accepted[0].raw);
    let again = send_outbox(&t, None, now + chrono::Duration::days(1)).await.unwrap().unwrap();
    assert_eq!(again.sent, 0, "nothing twice");
    assert!(t.lock().unwrap().outbox(None).unwrap().iter().all(|o| o.state != "queued"));

    // The next sync files what was sent in the server's Sent folder (created, as there was
    // none), once.
    let next = sync_mail(&t, None, now).await.unwrap();
    let imap_row = next.accounts.iter().find(|a| a.kind == "imap").unwrap();
    assert_eq!((imap_row.filed_sent as usize, imap_row.fetched), (queued, 0), "{next:?}");
    let on_server =
        |sub: &str| std::fs::read_dir(server.dir.path().join("home/Maildir/.Sent").join(sub)).map_or(0, |d| d.count());
    assert_eq!(on_server("cur") + on_server("new"), queued);
    let third = sync_mail(&t, None, now).await.unwrap();
    assert_eq!(third.accounts.iter().find(|a| a.kind == "imap").unwrap().filed_sent, 0);

    // Removing the accounts forgets their passwords; the mail stays.
    let accounts = t.lock().unwrap().accounts(None).unwrap();
    for a in accounts {
        t.lock().unwrap().remove_account(None, a.id).unwrap();
    }
    assert!(t.lock().unwrap().accounts(None).unwrap().is_empty());
    assert!(t
        .lock()
        .unwrap()
        .inbox(None, None, 0, 500, now)
        .unwrap()
        .items
        .iter()
        .any(|m| m.subject == "This week in robots"));
}
