//! Mail on disk: a Maildir (with Maildir++ sub-folders), an mbox file, one .eml message, or a
//! folder of .eml and mbox files. The readers are mail-parser's (`mailbox::maildir`,
//! `mailbox::mbox`); this module decides which one a path is, maps Maildir's flags, leaves
//! out Trash, Junk and Drafts, and imports in batches so that a 100k-message Maildir never sits
//! in memory at once and each batch lands in one transaction.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use mail_parser::mailbox::{maildir, mbox};
use tandem_core::mail::MessageFlags;
use tandem_core::ExecutiveProfile;
use tandem_store::{Store, INBOX};

use crate::mail::{import_messages, MailImport, RawMail};

/// Messages per transaction: large enough that SQLite's commit cost vanishes, small enough
/// that memory stays flat.
const BATCH: usize = 1000;

/// Folders whose mail is not the executive's correspondence.
const LEFT_OUT: [&str; 9] =
    ["trash", "deleted items", "deleted messages", "bin", "junk", "junk e-mail", "junk email", "spam", "drafts"];

/// What a path holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MailSource {
    /// A folder with `cur/` and `new/` (and Maildir++ `.Sub` folders).
    Maildir(PathBuf),
    /// A file of messages each starting with a `From ` line.
    Mbox(PathBuf),
    /// One RFC 5322 message.
    Message(PathBuf),
    /// A folder of .eml files (and mbox files).
    Folder(PathBuf),
}

#[derive(Debug, thiserror::Error)]
pub enum MailboxError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{0}: neither a Maildir (cur/ and new/), an mbox, an .eml file nor a folder of them")]
    Unknown(PathBuf),
    #[error(transparent)]
    Store(#[from] tandem_store::StoreError),
}

impl MailSource {
    /// Looks at `path`: a folder with `cur/` and `new/` is a Maildir, a folder otherwise holds
    /// messages, a file starting `From ` is an mbox, any other file is one message.
    pub fn detect(path: &Path) -> Result<MailSource, MailboxError> {
        let read = |source| MailboxError::Read { path: path.to_path_buf(), source };
        let meta = std::fs::metadata(path).map_err(read)?;
        if meta.is_dir() {
            if path.join("cur").is_dir() && path.join("new").is_dir() {
                return Ok(MailSource::Maildir(path.to_path_buf()));
            }
            return Ok(MailSource::Folder(path.to_path_buf()));
        }
        let mut head = [0u8; 5];
        let n = File::open(path).and_then(|mut f| f.read(&mut head)).map_err(read)?;
        if n == 0 {
            return Err(MailboxError::Unknown(path.to_path_buf()));
        }
        Ok(if &head[..n] == b"From " {
            MailSource::Mbox(path.to_path_buf())
        } else {
            MailSource::Message(path.to_path_buf())
        })
    }

    /// Whether `path` is mail rather than a calendar: a directory, an .eml, .mbox or .mbx
    /// file, or a file that starts like an mbox.
    pub fn is_mail(path: &Path) -> bool {
        let ext = path.extension().and_then(|e| e.to_str()).map(|e| e.to_ascii_lowercase());
        if matches!(ext.as_deref(), Some("eml" | "mbox" | "mbx")) || path.is_dir() {
            return true;
        }
        if matches!(ext.as_deref(), Some("ics" | "ical" | "ifb" | "icalendar")) {
            return false;
        }
        matches!(MailSource::detect(path), Ok(MailSource::Mbox(_)))
    }
}

/// Imports all the mail at `path` into the executive's store. Messages that cannot be read are
/// named in the report's problems; the rest are imported. `now` stands in for a missing Date.
pub fn import_mail(
    store: &mut Store,
    profile: &ExecutiveProfile,
    path: &Path,
    now: DateTime<Utc>,
) -> Result<MailImport, MailboxError> {
    let mut run = Run { store, profile, now, batch: Vec::with_capacity(BATCH), report: MailImport::default() };
    run.source(&MailSource::detect(path)?)?;
    run.flush()?;
    Ok(run.report)
}

struct Run<'a> {
    store: &'a mut Store,
    profile: &'a ExecutiveProfile,
    now: DateTime<Utc>,
    batch: Vec<RawMail>,
    report: MailImport,
}

impl Run<'_> {
    fn push(&mut self, mail: RawMail) -> Result<(), MailboxError> {
        self.batch.push(mail);
        if self.batch.len() >= BATCH {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), MailboxError> {
        if !self.batch.is_empty() {
            let batch = std::mem::take(&mut self.batch);
            let done = import_messages(self.store, self.profile, &batch, self.now)?;
            self.report.absorb(done);
        }
        Ok(())
    }

    fn skip(&mut self, folder: &str, n: usize) {
        self.report.absorb(MailImport { skipped: vec![(folder.to_string(), n)], ..Default::default() });
    }

    fn problem(&mut self, text: String) {
        self.report.problems.push(text);
    }

    fn source(&mut self, source: &MailSource) -> Result<(), MailboxError> {
        match source {
            MailSource::Maildir(path) => self.maildir(path),
            MailSource::Mbox(path) => self.mbox(path, INBOX),
            MailSource::Message(path) => match std::fs::read(path) {
                Ok(raw) => self.push(RawMail::inbox(path.display().to_string(), raw)),
                Err(e) => {
                    self.problem(format!("{}: cannot read: {e}", path.display()));
                    Ok(())
                }
            },
            MailSource::Folder(path) => self.folder(path),
        }
    }

    fn maildir(&mut self, path: &Path) -> Result<(), MailboxError> {
        let folders = maildir::FolderIterator::new(path, Some("."))
            .map_err(|source| MailboxError::Read { path: path.to_path_buf(), source })?;
        for folder in folders {
            let folder = match folder {
                Ok(f) => f,
                Err(e) => {
                    self.problem(format!("{}: a folder cannot be read: {e}", path.display()));
                    continue;
                }
            };
            let name = folder.name().unwrap_or(INBOX).to_string();
            let left_out = is_left_out(&name);
            let mut skipped = 0;
            for message in folder {
                match message {
                    Err(e) => self.problem(format!("{}/{name}: a message cannot be read: {e}", path.display())),
                    Ok(_) if left_out => skipped += 1,
                    Ok(m) => {
                        let flags = MessageFlags {
                            seen: m.flags().contains(&maildir::Flag::Seen),
                            flagged: m.flags().contains(&maildir::Flag::Flagged),
                            answered: m.flags().contains(&maildir::Flag::Replied),
                        };
                        if m.flags().contains(&maildir::Flag::Trashed) {
                            skipped += 1;
                            continue;
                        }
                        let label = m.path().display().to_string();
                        self.push(RawMail { label, raw: m.unwrap_contents(), folder: name.clone(), flags })?;
                    }
                }
            }
            if skipped > 0 {
                self.skip(&name, skipped);
            }
        }
        Ok(())
    }

    fn mbox(&mut self, path: &Path, folder: &str) -> Result<(), MailboxError> {
        let file = File::open(path).map_err(|source| MailboxError::Read { path: path.to_path_buf(), source })?;
        for (n, message) in mbox::MessageIterator::new(BufReader::new(file)).enumerate() {
            match message {
                Err(e) => {
                    // A read error mid-file ends the file: say where.
                    self.problem(format!("{}: stopped at message {}: {e}", path.display(), n + 1));
                    break;
                }
                Ok(m) => {
                    let label = format!("{} (message {})", path.display(), n + 1);
                    let raw = m.unwrap_contents();
                    let flags = mbox_flags(&raw);
                    self.push(RawMail { label, raw, folder: folder.to_string(), flags })?;
                }
            }
        }
        Ok(())
    }

    fn folder(&mut self, path: &Path) -> Result<(), MailboxError> {
        let entries =
            std::fs::read_dir(path).map_err(|source| MailboxError::Read { path: path.to_path_buf(), source })?;
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        // Files in name order, so that an import reads the same way every time.
        paths.sort();
        for p in paths {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name.starts_with('.') {
                continue;
            }
            if p.is_dir() {
                if p.join("cur").is_dir() {
                    self.maildir(&p)?;
                }
                continue;
            }
            let ext = p.extension().and_then(|e| e.to_str()).map(|e| e.to_ascii_lowercase());
            match MailSource::detect(&p) {
                Ok(MailSource::Mbox(p)) => {
                    let folder = p.file_stem().and_then(|s| s.to_str()).unwrap_or(INBOX).to_string();
                    if is_left_out(&folder) {
                        continue;
                    }
                    // Thunderbird names the inbox file "Inbox"; any other file is a folder.
                    let folder = if folder.eq_ignore_ascii_case("inbox") { INBOX.to_string() } else { folder };
                    self.mbox(&p, &folder)?
                }
                Ok(MailSource::Message(p)) if ext.as_deref() == Some("eml") => self.source(&MailSource::Message(p))?,
                Ok(_) => {}
                Err(e) => self.problem(e.to_string()),
            }
        }
        Ok(())
    }
}

fn is_left_out(folder: &str) -> bool {
    let last = folder.rsplit(['.', '/']).next().unwrap_or(folder).to_ascii_lowercase();
    LEFT_OUT.contains(&last.as_str())
}

/// The flags mbox writers keep in `Status:` (R read) and `X-Status:` (A answered, F flagged)
/// headers, read from the message's header block only.
fn mbox_flags(raw: &[u8]) -> MessageFlags {
    let mut flags = MessageFlags::default();
    let head_end = raw.windows(4).position(|w| w == b"\r\n\r\n").or_else(|| raw.windows(2).position(|w| w == b"\n\n"));
    let head = String::from_utf8_lossy(&raw[..head_end.unwrap_or(raw.len())]);
    for line in head.lines() {
        if let Some(v) = strip_header(line, "status") {
            flags.seen |= v.contains('R');
        } else if let Some(v) = strip_header(line, "x-status") {
            flags.answered |= v.contains('A');
            flags.flagged |= v.contains('F');
        }
    }
    flags
}

fn strip_header<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    let (n, v) = line.split_once(':')?;
    n.trim().eq_ignore_ascii_case(name).then_some(v.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mbox_status_headers_give_read_answered_and_flagged() {
        let f = mbox_flags(b"From: a@x\nStatus: RO\nX-Status: AF\n\nStatus: nothing\n");
        assert_eq!(f, MessageFlags { seen: true, flagged: true, answered: true });
        let f = mbox_flags(b"From: a@x\nStatus: O\n\nbody");
        assert_eq!(f, MessageFlags::default());
    }

    #[test]
    fn trash_junk_and_drafts_are_left_out_by_their_last_name() {
        assert!(is_left_out("Trash"));
        assert!(is_left_out("Archive.Junk"));
        assert!(is_left_out("Deleted Items"));
        assert!(!is_left_out("INBOX"));
        assert!(!is_left_out("Sent"));
    }
}
