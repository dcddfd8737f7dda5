//! Real CalDAV servers on loopback for one test: Radicale (with a password, through htpasswd)
//! and Xandikos (no authentication of its own), both from PyPI in the venv that `make
//! py-deps` makes (`$TANDEM_PYTHON` names another Python). Each serves a fresh directory and
//! is stopped on drop. The helpers here write to the server as another client would (MKCALENDAR,
//! PUT, DELETE), with plain HTTP requests, so that the tests do not check Tandem against itself.

// Each test binary that includes this uses a part of it.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const USER: &str = "dana";
pub const PASSWORD: &str = "tandem caldav test";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Radicale,
    Xandikos,
}

pub struct CalDavServer {
    pub kind: Kind,
    /// Held for the server's lifetime: its storage.
    dir: tempfile::TempDir,
    pub port: u16,
    child: Child,
}

fn spawn(kind: Kind, d: &std::path::Path, port: u16) -> Child {
    let mut cmd = Command::new(python_bin());
    match kind {
        Kind::Radicale => {
            std::fs::write(d.join("users"), format!("{USER}:{PASSWORD}\n")).unwrap();
            cmd.args(["-m", "radicale", "--server-hosts"])
                .arg(format!("127.0.0.1:{port}"))
                .arg("--storage-filesystem-folder")
                .arg(d.join("collections"))
                .args(["--auth-type", "htpasswd", "--auth-htpasswd-encryption", "plain", "--auth-htpasswd-filename"])
                .arg(d.join("users"))
                .args(["--rights-type", "owner_only", "--logging-level", "warning"]);
        }
        Kind::Xandikos => {
            cmd.args(["-m", "xandikos", "serve", "--defaults", "-d"])
                .arg(d.join("data"))
                .args(["--current-user-principal", &format!("/{USER}/"), "-l", "127.0.0.1", "-p"])
                .arg(port.to_string())
                .arg("--state-dir")
                .arg(d.join("state"));
        }
    }
    let child =
        cmd.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::inherit()).spawn().expect("the server starts");
    let until = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < until, "{kind:?} did not start listening (is it installed? `make py-deps`)");
        std::thread::sleep(Duration::from_millis(100));
    }
    child
}

fn python_bin() -> PathBuf {
    if let Some(p) = std::env::var_os("TANDEM_PYTHON").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    let venv = PathBuf::from(std::env::var_os("HOME").expect("HOME")).join(".cache/tandem/venv/bin/python");
    assert!(venv.is_file(), "no Python with Radicale and Xandikos: run `make py-deps` (or set TANDEM_PYTHON)");
    venv
}

impl CalDavServer {
    pub fn start(kind: Kind) -> CalDavServer {
        let dir = tempfile::tempdir().unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = spawn(kind, dir.path(), port);
        CalDavServer { kind, dir, port, child }
    }

    /// Stops the server, keeping what it stores (the network goes away).
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Starts it again on the same port with the same calendars.
    pub fn restart(&mut self) {
        self.stop();
        self.child = spawn(self.kind, self.dir.path(), self.port);
    }

    pub fn root(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// The address of a calendar named `name` (Xandikos's `--defaults` one is `calendar`).
    pub fn calendar_url(&self, name: &str) -> String {
        match self.kind {
            Kind::Radicale => format!("{}{USER}/{name}/", self.root()),
            Kind::Xandikos => format!("{}{USER}/calendars/{name}/", self.root()),
        }
    }

    fn http(&self) -> reqwest::blocking::Client {
        reqwest::blocking::Client::builder().timeout(Duration::from_secs(20)).build().unwrap()
    }

    fn request(&self, method: &str, url: &str) -> reqwest::blocking::RequestBuilder {
        self.http()
            .request(reqwest::Method::from_bytes(method.as_bytes()).unwrap(), url)
            .basic_auth(USER, Some(PASSWORD))
    }

    /// Makes a calendar (MKCALENDAR) with a name and a colour; Xandikos's default exists already.
    pub fn make_calendar(&self, name: &str, display: &str, color: &str) -> String {
        let url = self.calendar_url(name);
        let body = format!(
            r#"<?xml version="1.0" encoding="utf-8"?>
<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:A="http://apple.com/ns/ical/">
<D:set><D:prop><D:displayname>{display}</D:displayname><A:calendar-color>{color}</A:calendar-color>
<C:supported-calendar-component-set><C:comp name="VEVENT"/></C:supported-calendar-component-set></D:prop></D:set></C:mkcalendar>"#
        );
        // Radicale makes the user's principal on first sight of the user.
        let _ = self.request("PROPFIND", &format!("{}{USER}/", self.root())).header("Depth", "0").send();
        let r = self.request("MKCALENDAR", &url).body(body).send().unwrap();
        assert!(r.status().is_success(), "MKCALENDAR {url}: {}", r.status());
        url
    }

    /// Writes `ics` as the member `file` of the calendar at `calendar`; returns its ETag.
    pub fn put(&self, calendar: &str, file: &str, ics: &str) -> Option<String> {
        let r = self
            .request("PUT", &format!("{calendar}{file}"))
            .header("Content-Type", "text/calendar; charset=utf-8")
            .body(ics.to_string())
            .send()
            .unwrap();
        assert!(r.status().is_success(), "PUT {file}: {}", r.status());
        r.headers().get("etag").and_then(|e| e.to_str().ok()).map(str::to_string)
    }

    /// The object `file` as the server has it now.
    pub fn get(&self, calendar: &str, file: &str) -> String {
        let r = self.request("GET", &format!("{calendar}{file}")).send().unwrap();
        assert!(r.status().is_success(), "GET {file}: {}", r.status());
        r.text().unwrap()
    }

    /// Another client (the python `caldav` library, see `other_client.py`) sets one property of
    /// the event `uid` in the calendar at `calendar`.
    pub fn other_client_sets(&self, calendar: &str, uid: &str, property: &str, value: &str) {
        let script =
            std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../sync/tests/servers/other_client.py"));
        let out = Command::new(python_bin())
            .arg(script)
            .args([calendar, USER, PASSWORD, uid, property, value])
            .output()
            .expect("the other client runs");
        assert!(out.status.success(), "the other client failed: {}", String::from_utf8_lossy(&out.stderr));
    }

    /// How many objects the calendar holds.
    pub fn count(&self, calendar: &str) -> usize {
        let r = self
            .request("PROPFIND", calendar)
            .header("Depth", "1")
            .body(r#"<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:getetag/></d:prop></d:propfind>"#)
            .send()
            .unwrap();
        r.text().unwrap().matches(".ics</").count()
    }

    pub fn delete(&self, calendar: &str, file: &str) {
        let r = self.request("DELETE", &format!("{calendar}{file}")).send().unwrap();
        assert!(r.status().is_success(), "DELETE {file}: {}", r.status());
    }
}

impl Drop for CalDavServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A one-event calendar object.
pub fn event_ics(uid: &str, summary: &str, start: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Tandem tests//EN\r\nBEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261101T000000Z\r\n\
         DTSTART:{start}\r\nDURATION:PT1H\r\nSUMMARY:{summary}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
}

/// `fault_proxy.py` in front of a server: passes requests through, or fails them as its mode
/// says (see the script). Stopped on drop.
pub struct FaultProxy {
    pub port: u16,
    mode: PathBuf,
    _dir: tempfile::TempDir,
    child: Child,
}

impl FaultProxy {
    pub fn start(upstream: &CalDavServer) -> FaultProxy {
        use std::io::BufRead;
        let dir = tempfile::tempdir().unwrap();
        let mode = dir.path().join("mode");
        std::fs::write(&mode, "").unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let script = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../sync/tests/servers/fault_proxy.py"));
        let mut child = Command::new(python_bin())
            .arg(script)
            .args(["--port", &port.to_string(), "--upstream", &upstream.root(), "--mode"])
            .arg(&mode)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        assert!(line.starts_with("ready"), "the fault proxy did not start");
        FaultProxy { port, mode, _dir: dir, child }
    }

    pub fn root(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// `""` passes everything; `"500 REPORT 1"` fails REPORTs after the first; see the script.
    pub fn set(&self, mode: &str) {
        std::fs::write(&self.mode, mode).unwrap();
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
