//! The journal's sending locks, beside it: `<journal>.notify.lock` is held
//! by the process sending now, `<journal>.watch.lock` by a running
//! `runbook watch`. Advisory locks on open files: a process that dies
//! lets go of them with its last descriptor, so a crash never leaves a
//! journal without a sender.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

pub fn notify_path(journal: &Path) -> PathBuf {
    beside(journal, "notify.lock")
}

pub fn watch_path(journal: &Path) -> PathBuf {
    beside(journal, "watch.lock")
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
pub struct Lock {
    path: PathBuf,
    file: Option<File>,
}

impl Lock {
    pub fn new(path: PathBuf) -> Self {
        Lock { path, file: None }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn held(&self) -> bool {
        self.file.is_some()
    }

    /// Takes the lock unless another process holds it.
    pub fn try_take(&mut self) -> bool {
        if self.file.is_some() {
            return true;
        }
        match open(&self.path) {
            Ok(file) if file.try_lock().is_ok() => {
                self.file = Some(file);
                true
            }
            Ok(_) => false,
            Err(e) => {
                tracing::warn!("lock {}: {e}", self.path.display());
                false
            }
        }
    }

    pub fn release(&mut self) {
        // Closing the file lets the lock go.
        self.file = None;
    }
}

/// Whether another process holds the lock at `path` now.
pub fn held_by_other(path: &Path) -> bool {
    if !path.exists() {
        return false;
    }
    match open(path) {
        Ok(file) => file.try_lock().is_err(),
        Err(_) => false,
    }
}
