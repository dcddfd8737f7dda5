//! A real SMTP submission server on loopback for one test: aiosmtpd (PyPI, installed by
//! `make py-deps` in the venv; `$TANDEM_PYTHON` names another Python) running
//! `smtp_sink.py` beside this file, with STARTTLS or implicit TLS on a certificate made for
//! the test and AUTH required. What it accepts lands as files the test reads. Stopped on drop.

// Each harness stands alone; a test binary with both loads this twice, harmlessly.
#[allow(clippy::duplicate_mod)]
#[path = "cert.rs"]
mod cert;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

pub const SMTP_USER: &str = "ep@northwind.example";
pub const SMTP_PASSWORD: &str = "tandem outbox test";

pub struct SmtpSink {
    pub dir: tempfile::TempDir,
    pub port: u16,
    pub cert: PathBuf,
    child: Child,
}

/// One message the server accepted.
#[derive(Debug)]
#[allow(dead_code)] // not every test binary reads every field
pub struct Accepted {
    pub from: String,
    pub to: Vec<String>,
    pub user: String,
    pub raw: String,
}

fn python() -> PathBuf {
    if let Some(p) = std::env::var_os("TANDEM_PYTHON").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    let venv = PathBuf::from(std::env::var_os("HOME").expect("HOME")).join(".cache/tandem/venv/bin/python");
    assert!(venv.is_file(), "no Python with aiosmtpd: run `make py-deps` (or set TANDEM_PYTHON)");
    venv
}

impl SmtpSink {
    /// STARTTLS on a plain port (submission, 587-style); `implicit` for TLS from the first byte (465).
    pub fn start(implicit: bool) -> SmtpSink {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let cert = cert::self_signed(d);
        let out = d.join("out");
        std::fs::create_dir(&out).unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        // Beside this file, whichever crate's tests include it (sync's and api's).
        let script = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../sync/tests/servers/smtp_sink.py"));
        let mut cmd = Command::new(python());
        cmd.arg(script)
            .arg("--port")
            .arg(port.to_string())
            .arg("--cert")
            .arg(&cert)
            .arg("--key")
            .arg(d.join("key.pem"))
            .arg("--out")
            .arg(&out)
            .args(["--user", SMTP_USER, "--password", SMTP_PASSWORD])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        if implicit {
            cmd.arg("--implicit");
        }
        let mut child = cmd.spawn().expect("the SMTP sink starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        assert!(line.starts_with("ready"), "the SMTP sink did not start (is aiosmtpd installed? `make py-deps`)");
        SmtpSink { dir, port, cert, child }
    }

    /// What the server accepted, in order.
    pub fn accepted(&self) -> Vec<Accepted> {
        let out = self.dir.path().join("out");
        let mut names: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect();
        names.sort();
        names
            .into_iter()
            .map(|eml| {
                let meta: serde_json::Value =
                    serde_json::from_str(&std::fs::read_to_string(eml.with_extension("json")).unwrap()).unwrap();
                Accepted {
                    from: meta["from"].as_str().unwrap().to_string(),
                    to: meta["to"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect(),
                    user: meta["user"].as_str().unwrap_or_default().to_string(),
                    raw: std::fs::read_to_string(&eml).unwrap(),
                }
            })
            .collect()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = Command::new("kill").arg(self.child.id().to_string()).status();
        let _ = self.child.wait();
    }
}
