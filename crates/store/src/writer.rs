//! Appending to a journal, wherever it lives: the file writer or the
//! database writer, behind one door.

use std::path::Path;

use super::Journal;
use super::file::{FileWriter, Options};
use super::pg::{Database, PgWriter};
use crate::journal::{Appended, Identity, JournalError, Record, Stamp};

#[derive(Debug)]
pub enum Writer {
    File(Box<FileWriter>),
    Postgres(Box<PgWriter>),
}

impl Writer {
    /// Opens (creating if needed) the journal file at `path`.
    pub fn open(path: &Path, identity: Identity, options: Options) -> Result<Self, JournalError> {
        FileWriter::open(path, identity, options).map(|w| Writer::File(Box::new(w)))
    }

    /// A writer to a database journal; it connects on first use. `side`
    /// is where this host keeps what lives beside a journal file (command
    /// outputs, locks).
    pub fn database(db: &Database, identity: Identity, key: Option<Vec<u8>>, side: &Path) -> Self {
        Writer::Postgres(Box::new(PgWriter::new(db.clone(), identity, key, side)))
    }

    /// Beside what command outputs and locks are kept: the journal file,
    /// or this host's stand-in for a database journal.
    pub fn path(&self) -> &Path {
        match self {
            Writer::File(w) => w.path(),
            Writer::Postgres(w) => w.side(),
        }
    }

    /// The journal this writer appends to, for reading.
    pub fn journal(&self) -> Journal {
        match self {
            Writer::File(w) => Journal::File(w.path().to_path_buf()),
            Writer::Postgres(w) => Journal::Postgres(w.database()),
        }
    }

    pub fn key(&self) -> Option<&[u8]> {
        match self {
            Writer::File(w) => w.key(),
            Writer::Postgres(w) => w.key(),
        }
    }

    pub fn identity(&self) -> &Identity {
        match self {
            Writer::File(w) => w.identity(),
            Writer::Postgres(w) => w.identity(),
        }
    }

    /// Appends `records` as one batch, durably. On success every entry is
    /// recorded; on failure nothing may be assumed recorded.
    pub fn append(
        &mut self,
        records: &[Record],
        now: impl Into<Stamp>,
    ) -> Result<Vec<Appended>, JournalError> {
        let now = now.into();
        match self {
            Writer::File(w) => w.append(records, now),
            Writer::Postgres(w) => w.append(records, now),
        }
    }

    /// Appends lines sealed elsewhere (an import) after `expected`, the
    /// head the caller read; refused if the journal's head moved.
    pub fn append_sealed(
        &mut self,
        expected: Option<&crate::journal::chain::Head>,
        sealed: &[crate::journal::chain::Sealed],
    ) -> Result<(), JournalError> {
        match self {
            Writer::File(w) => w.append_sealed(expected, sealed),
            Writer::Postgres(w) => w.append_sealed(expected, sealed),
        }
    }

    /// Asks `decide` what to append while holding the journal's lock, and
    /// appends it before letting go (see the file and database writers).
    /// `decide` is given the time the entries are dated by: a database's
    /// own, so that a gate is judged by the server's clock.
    pub fn append_decided<E: From<JournalError>>(
        &mut self,
        now: impl Into<Stamp>,
        decide: impl FnMut(chrono::DateTime<chrono::Utc>) -> Result<Vec<Record>, E>,
    ) -> Result<Vec<Appended>, E> {
        let now = now.into();
        match self {
            Writer::File(w) => w.append_decided(now, decide),
            Writer::Postgres(w) => w.append_decided(now, decide),
        }
    }

    /// How far this host's clock is from the database's, when more than a
    /// minute: the operator is told at once.
    pub fn clock_off(&self) -> Option<chrono::TimeDelta> {
        match self {
            Writer::File(_) => None,
            Writer::Postgres(w) => w.clock_off(),
        }
    }
}

impl From<Database> for Journal {
    fn from(db: Database) -> Self {
        Journal::Postgres(db)
    }
}
