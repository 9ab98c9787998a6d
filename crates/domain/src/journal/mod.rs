//! The journal: an append-only, hash-chained sequence of JSON lines. It is
//! the truth: a run's state is rebuilt from it, and nothing is shown as
//! done that it does not durably hold.
//!
//! `line` owns the byte layout and the seal, `chain` the sealing of a batch
//! onto a head, `verify` the judgement of the whole chain. None of it knows
//! where lines are kept: a file or a database is the store's (`crate::store`).
//! The format is in `docs/journal-format.md`.

pub mod chain;
pub mod entry;
pub mod fault;
pub mod identity;
pub mod instant;
pub mod line;
pub mod links;
pub mod policy;
pub mod registry;
pub mod sign;
pub mod verify;

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

pub use entry::{Appended, Entry, Identity, Record, Stamp};

#[derive(Debug)]
pub enum JournalError {
    Symlink(PathBuf),
    NotAFile(PathBuf),
    Open {
        path: PathBuf,
        source: io::Error,
    },
    Io {
        path: PathBuf,
        source: io::Error,
    },
    Damaged {
        path: PathBuf,
        detail: String,
    },
    Write {
        path: PathBuf,
        source: io::Error,
    },
    Poisoned(PathBuf),
    /// An append failed (a full disk, an I/O error, a short write) and
    /// what it wrote was cut off again: the journal is whole, nothing was
    /// recorded, and trying again once the cause is fixed may work.
    NotRecorded {
        path: PathBuf,
        source: io::Error,
    },
    /// A database journal could not be reached, or lost the connection
    /// before an answer: nothing was recorded, and trying again may work.
    Unreachable {
        at: String,
        detail: String,
    },
    /// A database journal answered no (read-only, permissions, schema).
    Refused {
        at: String,
        detail: String,
    },
}

impl fmt::Display for JournalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(&crate::text::words::EN))
    }
}

impl JournalError {
    /// The failure in the operator's words.
    pub fn text(&self, words: &crate::text::Words) -> String {
        let w = words.run;
        match self {
            JournalError::Symlink(p) => (w.j_symlink)(&p.display().to_string()),
            JournalError::NotAFile(p) => (w.j_not_a_file)(&p.display().to_string()),
            JournalError::Open { path, source } => {
                (w.j_open)(&path.display().to_string(), &source.to_string())
            }
            JournalError::Io { path, source } => {
                (w.j_io)(&path.display().to_string(), &source.to_string())
            }
            JournalError::Damaged { path, detail } => {
                (w.j_damaged)(&path.display().to_string(), detail)
            }
            JournalError::Write { path, source } => {
                (w.j_write)(&path.display().to_string(), &source.to_string())
            }
            JournalError::Poisoned(p) => (w.j_poisoned)(&p.display().to_string()),
            JournalError::NotRecorded { path, source } => {
                let path = path.display().to_string();
                if is_full(source) {
                    (w.j_full)(&path)
                } else {
                    (w.j_not_recorded)(&path, &source.to_string())
                }
            }
            JournalError::Unreachable { at, detail } => (w.j_unreachable)(at, detail),
            JournalError::Refused { at, detail } => (w.j_refused)(at, detail),
        }
    }
}

impl std::error::Error for JournalError {}

impl JournalError {
    /// Whether trying again later may succeed (a database coming back),
    /// rather than the journal being unusable for this session.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            JournalError::Unreachable { .. } | JournalError::NotRecorded { .. }
        )
    }
}

/// A write refused for want of room: no space left, or over a quota or
/// the process's file-size limit.
fn is_full(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded | io::ErrorKind::FileTooLarge
    )
}

/// Where the journal is: `--journal`, then `RUNBOOK_JOURNAL`, then the XDG
/// state folder (`~/.local/state/runbook/journal.jsonl`).
pub fn location(flag: Option<&Path>, env: impl Fn(&str) -> Option<String>) -> Option<PathBuf> {
    if let Some(path) = flag {
        return Some(path.to_path_buf());
    }
    if let Some(path) = env("RUNBOOK_JOURNAL").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    Some(state_dir(env)?.join("journal.jsonl"))
}

/// This host's state folder for runbook (`$XDG_STATE_HOME/runbook`, else
/// `~/.local/state/runbook`), wherever the journal itself is.
pub fn state_dir(env: impl Fn(&str) -> Option<String>) -> Option<PathBuf> {
    let state = env("XDG_STATE_HOME")
        .filter(|p| Path::new(p).is_absolute())
        .map(PathBuf::from)
        .or_else(|| env("HOME").map(|h| Path::new(&h).join(".local/state")))?;
    Some(state.join("runbook"))
}

/// The journal key from `RUNBOOK_JOURNAL_KEY`, never written anywhere.
pub fn key_from(env: impl Fn(&str) -> Option<String>) -> Option<Vec<u8>> {
    env("RUNBOOK_JOURNAL_KEY")
        .filter(|k| !k.is_empty())
        .map(String::into_bytes)
}

/// A group name from `RUNBOOK_JOURNAL_GROUP`, looked up in `/etc/group`.
pub fn group_from(env: impl Fn(&str) -> Option<String>) -> Result<Option<u32>, String> {
    let Some(name) = env("RUNBOOK_JOURNAL_GROUP").filter(|g| !g.is_empty()) else {
        return Ok(None);
    };
    let groups = std::fs::read_to_string("/etc/group").unwrap_or_default();
    groups
        .lines()
        .find_map(|line| {
            let mut fields = line.split(':');
            (fields.next() == Some(name.as_str()))
                .then(|| fields.nth(1)?.parse().ok())
                .flatten()
        })
        .map(Some)
        .ok_or_else(|| format!("RUNBOOK_JOURNAL_GROUP: no group `{name}` on this machine"))
}
