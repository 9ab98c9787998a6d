//! Where journal lines live: a file (locked, fsynced, with an index beside
//! it) or a PostgreSQL database (one row per line, appends serialised in a
//! transaction, heads announced by NOTIFY). Both hold the same canonical
//! lines; the chain and its verification are the journal's and do not
//! know which store they are read from.
//!
//! It builds on the domain (`runbook-domain`) and may not import the
//! application, the console or the command line.

use runbook_domain::{catalog, journal, learn, overview, run};

pub mod file;
pub mod index;
pub mod operator_key;
pub mod pg;
pub mod read;
mod tail;
pub mod wake;
pub mod whoami;
mod writer;

use std::path::{Path, PathBuf};

use crate::journal::JournalError;

pub use crate::run::ClosedRun;
pub use file::Options;
pub use index::Checkpoint;
pub use tail::{History, load};
pub use writer::Writer;

/// A journal opened for reading.
#[derive(Debug, Clone)]
pub enum Journal {
    File(PathBuf),
    Postgres(pg::Database),
}

impl Journal {
    /// How the journal is named to a person: its path, or its URL without
    /// a password.
    pub fn shown(&self) -> String {
        match self {
            Journal::File(path) => path.display().to_string(),
            Journal::Postgres(db) => db.shown().to_owned(),
        }
    }

    /// The file, for what only a file has (its index, a torn tail).
    pub fn file(&self) -> Option<&Path> {
        match self {
            Journal::File(path) => Some(path),
            Journal::Postgres(_) => None,
        }
    }

    /// A reader of every line, each with its newline, in order: what
    /// `audit verify` and `journal export` read, from either store.
    pub fn lines(&self) -> std::io::Result<Box<dyn std::io::BufRead + Send>> {
        match self {
            Journal::File(path) => Ok(Box::new(std::io::BufReader::with_capacity(
                1 << 20,
                std::fs::File::open(path)?,
            ))),
            Journal::Postgres(db) => Ok(Box::new(std::io::BufReader::new(pg::Lines::new(
                db.clone(),
            )))),
        }
    }

    /// When the journal's first entry was written: `None` for an empty
    /// journal, or one whose first line is not an entry (which its
    /// verification reports; the log says it here).
    pub fn began(&self) -> Result<Option<chrono::DateTime<chrono::Utc>>, JournalError> {
        #[derive(serde::Deserialize)]
        struct Stamped {
            ts: chrono::DateTime<chrono::Utc>,
        }
        let line = match self {
            Journal::File(path) => {
                use std::io::{BufRead, Read};
                let file = match std::fs::File::open(path) {
                    Ok(file) => file,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
                    Err(source) => {
                        return Err(JournalError::Open {
                            path: path.clone(),
                            source,
                        });
                    }
                };
                let mut line = Vec::new();
                std::io::BufReader::new(file.take(1 << 20))
                    .read_until(b'\n', &mut line)
                    .map_err(|source| JournalError::Io {
                        path: path.clone(),
                        source,
                    })?;
                (!line.is_empty()).then_some(line)
            }
            Journal::Postgres(db) => db.first()?,
        };
        let Some(line) = line else { return Ok(None) };
        match serde_json::from_slice::<Stamped>(line.trim_ascii_end()) {
            Ok(first) => Ok(Some(first.ts)),
            Err(e) => {
                tracing::warn!("{}: its first line has no time: {e}", self.shown());
                Ok(None)
            }
        }
    }

    /// Wakes when the journal grows: a file through its inotify watch, a
    /// database when it announces a new head. `None`: no watch could be
    /// set (the log says why); the reader polls.
    pub fn changes(&self) -> Option<tokio::sync::watch::Receiver<u64>> {
        match self {
            Journal::File(path) => {
                let (tx, rx) = tokio::sync::watch::channel(0u64);
                let woken = move || {
                    tx.send_modify(|n| *n = n.wrapping_add(1));
                    !tx.is_closed()
                };
                match wake::watch(path, woken) {
                    Ok(()) => Some(rx),
                    Err(why) => {
                        tracing::info!("{why}: the journal is polled");
                        None
                    }
                }
            }
            Journal::Postgres(db) => {
                db.listen();
                Some(db.changes())
            }
        }
    }

    /// How a console learns of teammates' entries, in `runbook config`.
    pub fn woken(&self) -> wake::How {
        match self {
            Journal::File(path) => wake::how(path),
            Journal::Postgres(_) => wake::How::Announced,
        }
    }

    /// Whether a reader woken by `changes` must still poll now and then:
    /// a database's listener may be down while it reconnects.
    pub fn polled_even_when_woken(&self) -> bool {
        matches!(self, Journal::Postgres(_))
    }
}

impl From<&Path> for Journal {
    fn from(path: &Path) -> Self {
        Journal::File(path.to_path_buf())
    }
}

impl From<&PathBuf> for Journal {
    fn from(path: &PathBuf) -> Self {
        Journal::File(path.clone())
    }
}

impl From<PathBuf> for Journal {
    fn from(path: PathBuf) -> Self {
        Journal::File(path)
    }
}

impl From<&Journal> for Journal {
    fn from(journal: &Journal) -> Self {
        journal.clone()
    }
}
