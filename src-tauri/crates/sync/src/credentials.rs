//! The secrets of mail accounts, kept only in the OS keychain (the Secret Service on Linux, with
//! the kernel keyring in front; the Keychain on macOS; the Credential Manager on Windows). The
//! store holds the account; the keychain holds its password under a name unique to the account
//! and the store (`Account::keychain_name`). Nothing
//! here logs or prints a secret.

use tandem_store::Account;

/// How the account proves who it is. A password (or app password) today; Google and Microsoft
/// 365 need OAuth 2.0, which will be a variant holding a token source, so clients match on this
/// rather than take a string (the CalDAV client turns it into a header in one place,
/// `CalDav::signed`).
#[derive(Clone)]
pub enum Credential {
    Password(String),
}

impl std::fmt::Debug for Credential {
    // Never print a secret, even in a debug dump.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Credential(…)")
    }
}

/// The keychain service all of Tandem's secrets are filed under.
pub const SERVICE: &str = "tandem";

#[derive(Debug, thiserror::Error)]
pub enum CredentialError {
    #[error("the keychain is not available: {0}")]
    Keychain(String),
    #[error("no password for {user}@{host} in the keychain: add the account again")]
    Missing { user: String, host: String },
}

fn entry(account: &Account) -> Result<keyring::Entry, CredentialError> {
    named(&account.keychain_name)
}

fn named(name: &str) -> Result<keyring::Entry, CredentialError> {
    keyring::Entry::new(SERVICE, name).map_err(|e| CredentialError::Keychain(e.to_string()))
}

/// Files the account's password in the keychain.
pub fn save_password(account: &Account, password: &str) -> Result<(), CredentialError> {
    entry(account)?.set_password(password).map_err(|e| CredentialError::Keychain(e.to_string()))
}

/// The account's credential, from the keychain.
pub fn credential(account: &Account) -> Result<Credential, CredentialError> {
    match entry(account)?.get_password() {
        Ok(p) => Ok(Credential::Password(p)),
        // Filed before keychain names were per store (`account-{id}`): moved to its own name.
        Err(keyring::Error::NoEntry) if account.keychain_name != format!("account-{}", account.id) => {
            let old = named(&format!("account-{}", account.id))?;
            match old.get_password() {
                Ok(p) => {
                    save_password(account, &p)?;
                    let _ = old.delete_credential();
                    Ok(Credential::Password(p))
                }
                Err(keyring::Error::NoEntry) => {
                    Err(CredentialError::Missing { user: account.username.clone(), host: account.host.clone() })
                }
                Err(e) => Err(CredentialError::Keychain(e.to_string())),
            }
        }
        Err(keyring::Error::NoEntry) => {
            Err(CredentialError::Missing { user: account.username.clone(), host: account.host.clone() })
        }
        Err(e) => Err(CredentialError::Keychain(e.to_string())),
    }
}

/// Removes the account's password (the account is being removed).
pub fn forget(account: &Account) -> Result<(), CredentialError> {
    match entry(account)?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(CredentialError::Keychain(e.to_string())),
    }
}
