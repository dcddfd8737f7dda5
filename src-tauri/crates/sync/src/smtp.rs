//! SMTP submission (RFC 6409) of messages already written: STARTTLS or implicit TLS, AUTH,
//! verified against the system's roots plus, if given, the account's own certificate. There
//! is no clear-text mode.
//!
//! lettre does the protocol; this module picks the envelope (the EP's address when the EP
//! writes on the executive's behalf, as RFC 5322's Sender says) and sorts failures into
//! "try again later" and "will never go", which is what the outbox needs to know.

use std::time::Duration;

use lettre::address::Envelope;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use tandem_store::{Account, Security};

use crate::credentials::Credential;

const TIMEOUT: Duration = Duration::from_secs(60);

#[derive(Debug, thiserror::Error)]
pub enum SmtpError {
    /// The server could not be reached or dropped the connection: send everything later.
    #[error("{host}: {detail}")]
    Unreachable { host: String, detail: String },
    /// The server answered 4xx to this message (a busy mailbox, greylisting): send it later.
    #[error("{host} deferred it: {detail}")]
    Deferred { host: String, detail: String },
    /// The server refused this message for good (5xx), or it cannot be sent as written.
    #[error("{host} refused it: {detail}")]
    Permanent { host: String, detail: String },
    /// The login or the TLS setup failed: nothing can be sent until the account is fixed.
    #[error("{host}: {detail}")]
    Account { host: String, detail: String },
}

impl SmtpError {
    pub fn is_permanent(&self) -> bool {
        matches!(self, SmtpError::Permanent { .. })
    }
}

/// A connection recipe for one account.
pub struct Submission {
    host: String,
    transport: AsyncSmtpTransport<Tokio1Executor>,
}

impl Submission {
    pub fn new(account: &Account, credential: &Credential) -> Result<Self, SmtpError> {
        let host = account.host.clone();
        let account_err = |detail: String| SmtpError::Account { host: host.clone(), detail };
        let mut tls = TlsParameters::builder(account.host.clone());
        if let Some(path) = &account.ca_file {
            let pem =
                std::fs::read(path).map_err(|e| account_err(format!("cannot read the certificate {path}: {e}")))?;
            let cert = Certificate::from_pem(&pem)
                .map_err(|e| account_err(format!("cannot read the certificate {path}: {e}")))?;
            tls = tls.add_root_certificate(cert);
        }
        let tls = tls.build_native().map_err(|e| account_err(format!("TLS: {e}")))?;
        let tls = match account.security {
            Security::Starttls => Tls::Required(tls),
            Security::Tls => Tls::Wrapper(tls),
        };
        let Credential::Password(password) = credential;
        let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(account.host.clone())
            .port(account.port)
            .tls(tls)
            .credentials(Credentials::new(account.username.clone(), password.clone()))
            .timeout(Some(TIMEOUT))
            .build();
        Ok(Submission { host, transport })
    }

    /// Connects, logs in and says goodbye: the account works.
    pub async fn verify(&self) -> Result<(), SmtpError> {
        match self.transport.test_connection().await {
            Ok(true) => Ok(()),
            Ok(false) => {
                Err(SmtpError::Unreachable { host: self.host.clone(), detail: "the server stopped answering".into() })
            }
            Err(e) => Err(self.classify(e)),
        }
    }

    /// Sends `raw` (a whole RFC 5322 message) to `recipients`, from the envelope sender `from`.
    pub async fn send(&self, from: &str, recipients: &[String], raw: &[u8]) -> Result<(), SmtpError> {
        let permanent = |detail: String| SmtpError::Permanent { host: self.host.clone(), detail };
        let from = from.parse().map_err(|e| permanent(format!("the sender '{from}' is not an address: {e}")))?;
        let to = recipients
            .iter()
            .map(|r| r.parse().map_err(|e| permanent(format!("the recipient '{r}' is not an address: {e}"))))
            .collect::<Result<Vec<_>, _>>()?;
        let envelope = Envelope::new(Some(from), to).map_err(|e| permanent(e.to_string()))?;
        self.transport.send_raw(&envelope, raw).await.map(|_| ()).map_err(|e| self.classify(e))
    }

    fn classify(&self, e: lettre::transport::smtp::Error) -> SmtpError {
        let host = self.host.clone();
        // lettre's messages for these are terse; keep its text but say what kind it is.
        let detail = e.to_string();
        if e.is_permanent() {
            // 530/535: the login itself was refused; every message would fail the same way.
            let auth = e.status().is_some_and(|c| matches!(c.to_string().as_str(), "530" | "534" | "535"));
            if auth {
                SmtpError::Account { host, detail: format!("the login was refused: {detail}") }
            } else {
                SmtpError::Permanent { host, detail }
            }
        } else if e.is_tls() {
            SmtpError::Account { host, detail: format!("TLS failed: {detail}") }
        } else if e.is_transient() {
            SmtpError::Deferred { host, detail }
        } else {
            SmtpError::Unreachable { host, detail }
        }
    }
}
