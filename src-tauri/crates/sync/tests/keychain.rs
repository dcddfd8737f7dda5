//! The account password round trip through the real OS keychain.

use chrono::Utc;
use tandem_store::{AccountKind, NewAccount, Security, Store};
use tandem_sync::credentials::{credential, forget, save_password, CredentialError};
use tandem_sync::imap::Credential;

fn imap_account(host: String) -> NewAccount {
    NewAccount {
        kind: AccountKind::Imap,
        host,
        port: 993,
        security: Security::Tls,
        username: "dana".into(),
        ca_file: None,
        folders: vec!["INBOX".into()],
        url: None,
    }
}

#[test]
fn a_password_goes_into_the_keychain_and_comes_back_and_is_forgotten() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_dir(dir.path()).unwrap();
    let profile = tandem_core::ExecutiveProfile::from_toml(
        "id = \"dana\"\nname = \"Dana\"\naddresses = [\"dana@northwind.example\"]\nhome_time_zone = \"America/New_York\"\n",
    )
    .unwrap();
    store.save_executive(&profile).unwrap();
    let new = imap_account(format!("keychain-test-{}.example", std::process::id()));
    let account = store.add_account("dana", &new, Utc::now()).unwrap();
    save_password(&account, "s3cret").unwrap();
    let Credential::Password(p) = credential(&account).unwrap();
    assert_eq!(p, "s3cret");
    forget(&account).unwrap();
    assert!(matches!(credential(&account), Err(CredentialError::Missing { .. })));
}

#[test]
fn two_stores_with_the_same_account_ids_keep_their_own_passwords_and_an_old_name_moves_over() {
    let profile = tandem_core::ExecutiveProfile::from_toml(
        "id = \"dana\"\nname = \"Dana\"\naddresses = [\"dana@northwind.example\"]\nhome_time_zone = \"America/New_York\"\n",
    )
    .unwrap();
    let (a_dir, b_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (a, b) = (Store::open_dir(a_dir.path()).unwrap(), Store::open_dir(b_dir.path()).unwrap());
    for s in [&a, &b] {
        s.save_executive(&profile).unwrap();
    }
    let pid = std::process::id();
    let first = a.add_account("dana", &imap_account(format!("a-{pid}.example")), Utc::now()).unwrap();
    let second = b.add_account("dana", &imap_account(format!("b-{pid}.example")), Utc::now()).unwrap();
    assert_eq!(first.id, second.id, "both stores number their accounts from 1");
    assert_ne!(first.keychain_name, second.keychain_name);
    save_password(&first, "for a").unwrap();
    save_password(&second, "for b").unwrap();
    let Credential::Password(p) = credential(&first).unwrap();
    assert_eq!(p, "for a", "the other store's password did not overwrite this one");

    // A password filed under the name used before (`account-{id}`) is found and moved.
    forget(&first).unwrap();
    keyring::Entry::new(tandem_sync::credentials::SERVICE, &format!("account-{}", first.id))
        .unwrap()
        .set_password("filed long ago")
        .unwrap();
    let Credential::Password(p) = credential(&first).unwrap();
    assert_eq!(p, "filed long ago");
    let Credential::Password(p) = credential(&first).unwrap();
    assert_eq!(p, "filed long ago", "now under its own name");
    forget(&first).unwrap();
    forget(&second).unwrap();
}
