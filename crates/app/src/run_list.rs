//! All runs in a journal, each folded from its events (through the one
//! fold, `run::Folder`), read from a file or a database for `runbook runs`.

use crate::journal::entry::Folded;
use crate::journal::verify::Problem;
use crate::journal::{Entry, JournalError};
pub use crate::overview::{Summary, summarise, summarise_closed};
use crate::run::{Folder, RunState};

/// Every run in `entries`, in order of start.
pub fn fold_all(entries: &[Entry]) -> Vec<RunState> {
    let mut folder = Folder::default();
    for entry in entries {
        folder.push(entry);
    }
    folder.finish()
}

/// Every run in the journal at `path`, read as a stream: a journal of
/// millions of entries is never held in memory at once. Also returns the
/// lines that could not be read.
pub fn fold_file(
    journal: impl Into<crate::store::Journal>,
) -> Result<(Vec<RunState>, Vec<Problem>), JournalError> {
    let (runs, _, problems) = fold_file_at(journal)?;
    Ok((runs, problems))
}

/// As `fold_file`, also saying where the reading stopped, so a follower can
/// go on from there without reading the journal twice.
pub fn fold_file_at(
    journal: impl Into<crate::store::Journal>,
) -> Result<(Vec<RunState>, crate::store::read::Position, Vec<Problem>), JournalError> {
    let mut folder = Folder::default();
    let start = crate::store::read::Position::default();
    let (at, problems) = crate::store::read::scan(&journal.into(), start, |entry: Folded| {
        let meta = entry.meta();
        folder.apply(entry.run.as_deref(), &meta, &entry.event);
    })?;
    Ok((folder.finish(), at, problems))
}
