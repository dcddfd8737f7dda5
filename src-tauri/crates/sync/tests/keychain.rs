//! The account password round trip through the real OS keychain.

use chrono::Utc;
use tandem_store::{AccountKind, NewAccount, Security, Store};
use tandem_sync::credentials::{credential, forget, save_password, CredentialError};
use tandem_sync::imap::Credential;

#[test]
fn a_password_goes_into_the_keychain_and_comes_back_and_is_forgotten() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_dir(dir.path()).unwrap();
    let profile = tandem_core::ExecutiveProfile::from_toml(
        "id = \"dana\"\nname = \"Dana\"\naddresses = [\"dana@northwind.example\"]\nhome_time_zone = \"America/New_York\"\n",
    )
    .unwrap();
    store.save_executive(&profile).unwrap();
    let new = NewAccount {
        kind: AccountKind::Imap,
        host: format!("keychain-test-{}.example", std::process::id()),
        port: 993,
        security: Security::Tls,
        username: "dana".into(),
        ca_file: None,
        folders: vec!["INBOX".into()],
        url: None,
    };
    let account = store.add_account("dana", &new, Utc::now()).unwrap();
    save_password(&account, "s3cret").unwrap();
    let Credential::Password(p) = credential(&account).unwrap();
    assert_eq!(p, "s3cret");
    forget(&account).unwrap();
    assert!(matches!(credential(&account), Err(CredentialError::Missing { .. })));
}
