//! The outbox replay against a real SMTP server (aiosmtpd) on loopback, over STARTTLS and
//! implicit TLS with a certificate the test makes and the client trusts explicitly.

#[path = "common/mod.rs"]
mod common;
#[path = "servers/smtp.rs"]
mod smtp_sink;

use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};
use tandem_core::ExecutiveProfile;
use tandem_store::{
    Account, AccountKind, MessageFilter, NewAccount, NewOutboxItem, OutboxKind, OutboxState, Security, Store,
};
use tandem_sync::credentials::Credential;
use tandem_sync::outbox::{replay, MAX_ATTEMPTS};
use tandem_sync::smtp::{SmtpError, Submission};

use smtp_sink::{SmtpSink, SMTP_PASSWORD, SMTP_USER};

fn setup() -> (tempfile::TempDir, Store, ExecutiveProfile) {
    let (dir, store, _) = common::setup();
    let profile = ExecutiveProfile::from_toml(&format!(
        "id = \"dana\"\nname = \"Dana\"\naddresses = [\"dana@northwind.example\"]\nhome_time_zone = \"America/New_York\"\n\
         [assistant]\nname = \"Sam\"\naddress = \"{SMTP_USER}\"\n"
    ))
    .unwrap();
    store.save_executive(&profile).unwrap();
    (dir, store, profile)
}

fn account(store: &Store, sink: &SmtpSink, security: Security, trusted: bool) -> Account {
    let new = NewAccount {
        kind: AccountKind::Smtp,
        host: "localhost".into(),
        port: sink.port,
        security,
        username: SMTP_USER.into(),
        ca_file: trusted.then(|| sink.cert.display().to_string()),
        folders: vec![],
        url: None,
    };
    store.add_account("dana", &new, Utc::now()).unwrap()
}

fn password() -> Credential {
    Credential::Password(SMTP_PASSWORD.into())
}

fn queue(store: &Store, n: usize, to: &str, at: DateTime<Utc>) -> i64 {
    let raw = format!(
        "From: Dana <dana@northwind.example>\r\nSender: Sam <{SMTP_USER}>\r\nTo: {to}\r\nSubject: Note {n}\r\n\
         Message-ID: <note-{n}@northwind.example>\r\nDate: Mon, 23 Nov 2026 09:00:00 +0000\r\n\r\nNote {n}.\r\n"
    );
    let to = vec![to.to_string()];
    store
        .enqueue(
            "dana",
            &NewOutboxItem {
                kind: OutboxKind::Mail,
                summary: "note",
                recipients: &to,
                payload: raw.as_bytes(),
                decision: None,
                uid: None,
                created_at: at,
                send_after: at,
            },
        )
        .unwrap()
}

fn state(store: &Store, id: i64) -> OutboxState {
    store.outbox_item(id).unwrap().state
}

#[tokio::test]
async fn each_item_leaves_once_over_starttls_from_the_ep_and_its_copy_is_filed_in_sent() {
    let sink = SmtpSink::start(false);
    let (_dir, mut store, profile) = setup();
    let acc = account(&store, &sink, Security::Starttls, true);
    let now = Utc::now();
    let a = queue(&store, 1, "renee@board.example", now);
    let b = queue(&store, 2, "li@partner.example", now);
    let submission = Submission::new(&acc, &password()).unwrap();
    submission.verify().await.unwrap();

    let first = replay(&Mutex::new(&mut store), &profile, &submission, now).await.unwrap();
    assert_eq!(first.sent, [a, b]);
    let again = replay(&Mutex::new(&mut store), &profile, &submission, now + Duration::hours(1)).await.unwrap();
    assert!(again.sent.is_empty(), "nothing is sent twice");

    let accepted = sink.accepted();
    assert_eq!(accepted.len(), 2);
    assert_eq!(
        (accepted[0].from.as_str(), accepted[0].to.as_slice()),
        (SMTP_USER, &["renee@board.example".to_string()][..])
    );
    assert_eq!(accepted[0].user, SMTP_USER);
    assert!(accepted[0].raw.contains("From: Dana <dana@northwind.example>"), "{}", accepted[0].raw);
    assert!(accepted[1].raw.contains("Subject: Note 2"));
    assert_eq!((state(&store, a), state(&store, b)), (OutboxState::Sent, OutboxState::Sent));

    let sent: Vec<_> = store.messages_page("dana", &MessageFilter::default(), 0, 10).unwrap();
    let sent: Vec<_> = sent.iter().filter(|m| m.folder == tandem_store::SENT).collect();
    assert_eq!(sent.len(), 2, "both copies are in Sent");
    assert!(sent.iter().all(|m| m.state.archived && m.state.flags.seen));
}

#[tokio::test]
async fn a_refused_recipient_fails_alone_and_a_busy_server_holds_the_rest_for_a_backed_off_retry() {
    let sink = SmtpSink::start(false);
    let (_dir, mut store, profile) = setup();
    let acc = account(&store, &sink, Security::Starttls, true);
    let now = Utc::now();
    let refused = queue(&store, 1, "ghost@nowhere.example", now);
    let fine = queue(&store, 2, "renee@board.example", now);
    let busy = queue(&store, 3, "ops@busy.example", now);
    let later = queue(&store, 4, "li@partner.example", now);
    let submission = Submission::new(&acc, &password()).unwrap();

    let r = replay(&Mutex::new(&mut store), &profile, &submission, now).await.unwrap();
    assert_eq!(r.sent, [fine, later], "a deferral is about one message: the rest go");
    assert_eq!(r.failed.iter().map(|f| f.0).collect::<Vec<_>>(), [refused]);
    assert!(r.failed[0].1.contains("550"), "{:?}", r.failed);
    assert_eq!(r.retrying.iter().map(|f| f.0).collect::<Vec<_>>(), [busy]);
    assert!(r.retrying[0].1.contains("451"), "{r:?}");
    assert_eq!(r.stopped, None);
    let waiting = store.outbox_item(busy).unwrap();
    assert_eq!(
        (waiting.state, waiting.attempts, waiting.send_after),
        (OutboxState::Queued, 1, now + Duration::minutes(1))
    );
    let early = replay(&Mutex::new(&mut store), &profile, &submission, now + Duration::seconds(30)).await.unwrap();
    assert_eq!(early, Default::default(), "the retry waits its minute");

    // Tried until MAX_ATTEMPTS, then given up.
    let mut t = now;
    for _ in 1..MAX_ATTEMPTS {
        t += Duration::hours(1);
        replay(&Mutex::new(&mut store), &profile, &submission, t).await.unwrap();
    }
    assert_eq!(state(&store, busy), OutboxState::Failed);
    assert_eq!(store.outbox_item(busy).unwrap().attempts, MAX_ATTEMPTS);
    assert_eq!(sink.accepted().len(), 2, "only the two that could go went, once each");
}

#[tokio::test]
async fn a_server_that_is_down_or_a_wrong_password_leaves_everything_queued() {
    let sink = SmtpSink::start(false);
    let (_dir, mut store, profile) = setup();
    let now = Utc::now();
    let item = queue(&store, 1, "renee@board.example", now);

    let wrong = account(&store, &sink, Security::Starttls, true);
    let submission = Submission::new(&wrong, &Credential::Password("nope".into())).unwrap();
    let refused = submission.verify().await;
    assert!(matches!(refused, Err(SmtpError::Account { .. })), "{refused:?}");
    let r = replay(&Mutex::new(&mut store), &profile, &submission, now).await.unwrap();
    assert!(r.stopped.as_deref().unwrap_or_default().contains("login"), "{r:?}");
    assert_eq!(state(&store, item), OutboxState::Queued);

    let mut down = wrong.clone();
    down.port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let submission = Submission::new(&down, &password()).unwrap();
    let unreachable = submission.verify().await;
    assert!(matches!(unreachable, Err(SmtpError::Unreachable { .. })), "{unreachable:?}");
    let r = replay(&Mutex::new(&mut store), &profile, &submission, now + Duration::hours(1)).await.unwrap();
    assert!(r.stopped.is_some() && r.sent.is_empty(), "{r:?}");
    assert_eq!(state(&store, item), OutboxState::Queued);
    assert!(sink.accepted().is_empty());
}

#[tokio::test]
async fn implicit_tls_works_and_an_untrusted_certificate_is_refused() {
    let sink = SmtpSink::start(true);
    let (_dir, store, _profile) = setup();
    let trusted = account(&store, &sink, Security::Tls, true);
    Submission::new(&trusted, &password()).unwrap().verify().await.unwrap();
    let mut untrusted = trusted.clone();
    untrusted.ca_file = None;
    let err = Submission::new(&untrusted, &password()).unwrap().verify().await.unwrap_err();
    assert!(matches!(err, SmtpError::Account { .. } | SmtpError::Unreachable { .. }), "{err:?}");
    assert!(err.to_string().to_lowercase().contains("certificate"), "{err}");
}
