//! The journal's sending locks: one held by the process sending now, one
//! by a running `runbook watch`. For a journal file, advisory locks on
//! files beside it (`<journal>.notify.lock`, `<journal>.watch.lock`); for
//! a database journal, the database's session locks, so that they hold
//! across every host sharing it. Either way a process that dies lets go
//! of them, so a crash never leaves a journal without a sender.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

use crate::config::JournalSettings;
use crate::store::pg::SessionLock;
use crate::store::pg::schema::{NOTIFY_LOCK, WATCH_LOCK};

/// The lock of the process sending the journal's notifications.
pub fn notify(journal: &JournalSettings) -> Lock {
    Lock::for_journal(journal, "notify.lock", NOTIFY_LOCK)
}

/// The lock of the journal's `runbook watch`.
pub fn watch(journal: &JournalSettings) -> Lock {
    Lock::for_journal(journal, "watch.lock", WATCH_LOCK)
}

fn beside(journal: &Path, suffix: &str) -> PathBuf {
    let mut name = journal.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

fn open(path: &Path) -> std::io::Result<File> {
    OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
}

/// A lock this process may take and let go of.
#[derive(Debug)]
pub enum Lock {
    File { path: PathBuf, file: Option<File> },
    Database(Box<SessionLock>),
}

impl Lock {
    fn for_journal(journal: &JournalSettings, suffix: &str, key: i32) -> Lock {
        match &journal.database {
            Some(db) => Lock::Database(Box::new(SessionLock::new(db.target(), key))),
            None => Lock::File {
                path: beside(&journal.path, suffix),
                file: None,
            },
        }
    }

    /// The lock in words, for a message saying it is held.
    pub fn shown(&self) -> String {
        match self {
            Lock::File { path, .. } => path.display().to_string(),
            Lock::Database(lock) => lock.shown(),
        }
    }

    pub fn held(&self) -> bool {
        match self {
            Lock::File { file, .. } => file.is_some(),
            Lock::Database(lock) => lock.held(),
        }
    }

    /// Takes the lock unless another process holds it (or, for a
    /// database, while it cannot be reached: then nobody here sends).
    pub fn try_take(&mut self) -> bool {
        match self {
            Lock::File { file: Some(_), .. } => true,
            Lock::File { path, file } => match open(path) {
                Ok(opened) if opened.try_lock().is_ok() => {
                    *file = Some(opened);
                    true
                }
                Ok(_) => false,
                Err(e) => {
                    tracing::warn!("lock {}: {e}", path.display());
                    false
                }
            },
            Lock::Database(lock) => lock.try_take().unwrap_or_else(|e| {
                tracing::warn!("lock {}: {e}", lock.shown());
                false
            }),
        }
    }

    pub fn release(&mut self) {
        match self {
            // Closing the file lets the lock go.
            Lock::File { file, .. } => *file = None,
            Lock::Database(lock) => lock.release(),
        }
    }

    /// Whether another process holds the lock now (one this process does
    /// not take itself).
    pub fn held_by_other(&self) -> bool {
        match self {
            Lock::File { path, .. } => {
                path.exists() && open(path).is_ok_and(|file| file.try_lock().is_err())
            }
            Lock::Database(lock) => lock.held_elsewhere().unwrap_or_else(|e| {
                tracing::warn!("lock {}: {e}", lock.shown());
                false
            }),
        }
    }
}
