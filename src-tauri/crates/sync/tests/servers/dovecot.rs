//! A real Dovecot (Debian's `dovecot-imapd`) on loopback for one test: its own config, state,
//! log and mail in a temporary folder, a self-signed certificate made for the test (which the
//! client trusts explicitly, never by turning verification off), one user. Stopped on drop.
//!
//! As root (CI), mail belongs to the system user `vmail` (imap-login refuses root; `make deps`
//! creates the user); otherwise everything runs as the current user.

// Each harness stands alone; a test binary with both loads this twice, harmlessly.
#[allow(clippy::duplicate_mod)]
#[path = "cert.rs"]
mod cert;

use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub const USER: &str = "dana";
pub const PASSWORD: &str = "correct horse battery staple";

pub struct Dovecot {
    pub dir: tempfile::TempDir,
    pub imap_port: u16,
    #[allow(dead_code)] // not every test binary uses implicit TLS
    pub imaps_port: u16,
    pub cert: PathBuf,
    /// Who owns the mail (the `vmail` user as root, else the current user).
    owner: (u32, u32),
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn id(flag: &str, user: Option<&str>) -> u32 {
    let mut cmd = Command::new("id");
    cmd.arg(flag);
    if let Some(u) = user {
        cmd.arg(u);
    }
    let out = cmd.output().expect("id runs");
    assert!(out.status.success(), "`id {flag} {user:?}` failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
}

impl Dovecot {
    pub fn start() -> Dovecot {
        assert!(
            Path::new("/usr/sbin/dovecot").exists(),
            "Dovecot is not installed: `make deps` installs dovecot-imapd (apt-get install dovecot-imapd)"
        );
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        // Login processes run as another user and must reach the sockets under here.
        std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o755)).unwrap();
        let root = id("-u", None) == 0;
        let (uid, gid) =
            if root { (id("-u", Some("vmail")), id("-g", Some("vmail"))) } else { (id("-u", None), id("-g", None)) };
        let home = d.join("home");
        std::fs::create_dir_all(&home).unwrap();
        if root {
            let ok = Command::new("chown").arg(format!("{uid}:{gid}")).arg(&home).status().unwrap();
            assert!(ok.success());
        }
        let cert = cert::self_signed(d);
        std::fs::write(d.join("passwd"), format!("{USER}:{{PLAIN}}{PASSWORD}:{uid}:{gid}::{}\n", home.display()))
            .unwrap();
        let (imap_port, imaps_port) = (free_port(), free_port());
        let users = if root {
            String::new()
        } else {
            let me = std::env::var("USER").unwrap_or_else(|_| "nobody".into());
            format!("default_login_user = {me}\ndefault_internal_user = {me}\n")
        };
        let conf = format!(
            "protocols = imap\nlisten = 127.0.0.1\nbase_dir = {d}/run\nstate_dir = {d}/state\nlog_path = {d}/dovecot.log\n\
ssl = yes\nssl_cert = <{d}/cert.pem\nssl_key = <{d}/key.pem\ndisable_plaintext_auth = no\nauth_mechanisms = plain login\n\
passdb {{\n  driver = passwd-file\n  args = {d}/passwd\n}}\nuserdb {{\n  driver = passwd-file\n  args = {d}/passwd\n}}\n\
mail_location = maildir:~/Maildir\nfirst_valid_uid = {uid}\n{users}\
service imap-login {{\n  inet_listener imap {{\n    address = 127.0.0.1\n    port = {imap_port}\n  }}\n\
  inet_listener imaps {{\n    address = 127.0.0.1\n    port = {imaps_port}\n    ssl = yes\n  }}\n}}\n",
            d = d.display()
        );
        std::fs::write(d.join("dovecot.conf"), conf).unwrap();
        // Dovecot daemonises: its master keeps any pipe it inherits open, so give it none.
        let status = Command::new("/usr/sbin/dovecot")
            .arg("-c")
            .arg(d.join("dovecot.conf"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        let server = Dovecot { dir, imap_port, imaps_port, cert, owner: (uid, gid) };
        assert!(status.success(), "dovecot did not start: {}", server.log());
        let until = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", imaps_port)).is_err() {
            assert!(Instant::now() < until, "dovecot does not listen: {}", server.log());
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    /// Delivers a message into the user's INBOX the way a local delivery agent does: a file
    /// in Maildir/new, owned by the mail user.
    #[allow(dead_code)] // not every test binary delivers this way
    pub fn deliver(&self, name: &str, raw: &str) {
        let maildir = self.dir.path().join("home/Maildir");
        for sub in ["cur", "new", "tmp"] {
            std::fs::create_dir_all(maildir.join(sub)).unwrap();
        }
        std::fs::write(maildir.join("new").join(format!("{name}.tandem-test")), raw).unwrap();
        let (uid, gid) = self.owner;
        let ok = Command::new("chown").arg("-R").arg(format!("{uid}:{gid}")).arg(&maildir).status().unwrap();
        assert!(ok.success(), "chown of the test Maildir failed");
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("dovecot.log")).unwrap_or_default()
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        let _ = Command::new("/usr/sbin/dovecot")
            .arg("-c")
            .arg(self.dir.path().join("dovecot.conf"))
            .arg("stop")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}
