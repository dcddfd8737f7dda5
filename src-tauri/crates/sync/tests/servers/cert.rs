//! A certificate for a test server on loopback, made with openssl for `localhost` and
//! 127.0.0.1: the client is given it to trust, never told to stop verifying.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Writes `cert.pem` and `key.pem` into `dir`; returns the certificate's path.
pub fn self_signed(dir: &Path) -> PathBuf {
    let cert = dir.join("cert.pem");
    let ok = Command::new("openssl")
        .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost"])
        .args(["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
        .arg("-keyout")
        .arg(dir.join("key.pem"))
        .arg("-out")
        .arg(&cert)
        .output()
        .expect("openssl runs");
    assert!(ok.status.success(), "openssl: {}", String::from_utf8_lossy(&ok.stderr));
    cert
}
