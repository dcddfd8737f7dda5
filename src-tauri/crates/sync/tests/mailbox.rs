//! Importing mail from disk — a Maildir with sub-folders, an mbox, a folder of .eml files —
//! into a real store.

mod common;

use std::path::Path;

use tandem_core::mail::MessageFlags;
use tandem_store::MessageFilter;
use tandem_sync::{import_mail, MailSource};

use common::setup;

fn now() -> chrono::DateTime<chrono::Utc> {
    "2026-03-01T12:00:00Z".parse().unwrap()
}

fn mail(id: &str, subject: &str) -> String {
    format!(
        "From: Raj <raj@summitpeak.example>\r\nTo: dana@northwind.example\r\nSubject: {subject}\r\n\
Date: Sun, 01 Feb 2026 09:00:00 +0000\r\nMessage-ID: <{id}>\r\n\r\nAbout {subject}.\r\n"
    )
}

fn maildir(root: &Path, folder: &str, files: &[(&str, &str, String)]) {
    let base = if folder.is_empty() { root.to_path_buf() } else { root.join(folder) };
    for sub in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(base.join(sub)).unwrap();
    }
    for (sub, name, text) in files {
        std::fs::write(base.join(sub).join(name), text).unwrap();
    }
}

#[test]
fn a_maildir_imports_its_folders_with_their_flags_and_leaves_out_trash() {
    let (dir, mut store, profile) = setup();
    let root = dir.path().join("Maildir");
    maildir(
        &root,
        "",
        &[
            ("cur", "1.host:2,FS", mail("seen-flagged@x", "Seen and flagged")),
            ("cur", "2.host:2,RS", mail("answered@x", "Answered")),
            ("new", "3.host", mail("new@x", "Brand new")),
            ("cur", "4.host:2,ST", mail("trashed@x", "Marked deleted")),
            ("new", "5.host", "not a message at all".into()),
        ],
    );
    maildir(&root, ".Sent", &[("cur", "6.host:2,S", mail("sent@x", "From Dana"))]);
    maildir(&root, ".Trash", &[("cur", "7.host:2,S", mail("bin@x", "Thrown away"))]);
    assert_eq!(MailSource::detect(&root).unwrap(), MailSource::Maildir(root.clone()));

    let report = import_mail(&mut store, &profile, &root, now()).unwrap();
    assert_eq!((report.read, report.added), (4, 4), "{report:?}");
    assert_eq!(report.problems.len(), 1, "the file that is not mail is named: {:?}", report.problems);
    assert!(report.problems[0].contains("5.host"));
    let mut skipped = report.skipped.clone();
    skipped.sort();
    assert_eq!(skipped, [("INBOX".to_string(), 1), ("Trash".to_string(), 1)]);

    let all = store.messages_page("dana", &MessageFilter::default(), 0, 10).unwrap();
    let by_id = |id: &str| all.iter().find(|m| m.message.message_id == id).unwrap();
    assert_eq!(by_id("seen-flagged@x").state.flags, MessageFlags { seen: true, flagged: true, answered: false });
    assert_eq!(by_id("answered@x").state.flags, MessageFlags { seen: true, flagged: false, answered: true });
    assert_eq!(by_id("new@x").state.flags, MessageFlags::default());
    assert_eq!(by_id("sent@x").folder, "Sent");
    assert!(by_id("sent@x").state.archived);
    assert!(!by_id("new@x").state.archived);

    let again = import_mail(&mut store, &profile, &root, now()).unwrap();
    assert_eq!((again.read, again.added), (4, 0), "a second import adds nothing");
    assert_eq!(store.message_count("dana").unwrap(), 4);
}

#[test]
fn an_mbox_unquotes_from_lines_and_reads_status_flags() {
    let (dir, mut store, profile) = setup();
    let path = dir.path().join("archive.mbox");
    let text = format!(
        "From raj@summitpeak.example Sun Feb  1 09:00:00 2026\n{}Status: RO\n\n>From the top, please.\n\n\
From raj@summitpeak.example Sun Feb  1 10:00:00 2026\n{}X-Status: F\n\nsecond\n",
        mail("m1@x", "One").replace("\r\n\r\nAbout One.\r\n", "\n"),
        mail("m2@x", "Two").replace("\r\n\r\nAbout Two.\r\n", "\n"),
    )
    .replace("\r\n", "\n");
    std::fs::write(&path, text).unwrap();
    assert!(MailSource::is_mail(&path));
    let report = import_mail(&mut store, &profile, &path, now()).unwrap();
    assert_eq!((report.read, report.added), (2, 2), "{report:?}");
    let all = store.messages_page("dana", &MessageFilter::default(), 0, 10).unwrap();
    let one = all.iter().find(|m| m.message.message_id == "m1@x").unwrap();
    assert!(one.state.flags.seen);
    assert_eq!(one.message.body_text.trim(), "From the top, please.");
    let two = all.iter().find(|m| m.message.message_id == "m2@x").unwrap();
    assert!(two.state.flags.flagged && !two.state.flags.seen);
}

#[test]
fn a_folder_of_eml_files_imports_each_and_names_the_unreadable_one() {
    let (dir, mut store, profile) = setup();
    let folder = dir.path().join("export");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("a.eml"), mail("a@x", "A")).unwrap();
    std::fs::write(folder.join("b.eml"), mail("b@x", "B")).unwrap();
    std::fs::write(folder.join("broken.eml"), "Subject: no sender\r\n\r\nx").unwrap();
    std::fs::write(folder.join("notes.txt"), "not mail, not read").unwrap();
    let report = import_mail(&mut store, &profile, &folder, now()).unwrap();
    assert_eq!((report.read, report.added), (2, 2));
    assert_eq!(report.problems.len(), 1);
    assert!(
        report.problems[0].contains("broken.eml") && report.problems[0].contains("no From"),
        "{:?}",
        report.problems
    );
    let one = dir.path().join("export/a.eml");
    assert_eq!(MailSource::detect(&one).unwrap(), MailSource::Message(one.clone()));
    assert!(import_mail(&mut store, &profile, &dir.path().join("missing"), now()).is_err());
}
