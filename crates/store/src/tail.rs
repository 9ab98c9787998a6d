//! Reading a journal's history through its index: the open runs folded from
//! their own entries (found by offset), the closed runs from their summary
//! lines, and only the tail after the checkpoint read in full. The tail is
//! verified as it is read (hash, link, sequence, MAC with the key); when it
//! has grown long and verifies to its end, the index is written again with
//! a new checkpoint there.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use std::fs::File;
use std::ops::ControlFlow;
use std::os::unix::fs::FileExt;
use std::path::Path;

use super::Journal;
use super::index::{self, Checkpoint, OpenRun};
use crate::journal::JournalError;
use crate::journal::entry::Folded;
use crate::journal::line::unseal;
use crate::journal::links::Links;
use crate::journal::verify::{Fault, Problem};
use crate::read::Position;
use crate::run::ClosedRun;
use crate::run::{Event, RunState};

/// A tail this long (entries since the checkpoint) is folded into a new
/// index; a shorter one is cheaper to read than to index.
pub const REINDEX_AFTER: u64 = 1_000;

/// A journal's runs, as far as the reader needs them.
#[derive(Debug, Default)]
pub struct History {
    /// Runs neither finished nor aborted, folded from all their entries.
    pub open: Vec<RunState>,
    /// Finished and aborted runs, when asked for.
    pub closed: Vec<ClosedRun>,
    /// After the last complete line: where a follower goes on.
    pub at: Position,
    /// Lines of the tail that could not be read.
    pub problems: Vec<Problem>,
    /// The post-mortems and follow-ups recorded.
    pub ledger: crate::learn::Ledger,
    /// When the journal's first entry was written (`None`: empty), so that
    /// recurring duties owe nothing from before it.
    pub began: Option<DateTime<Utc>>,
}

impl History {
    /// What this history says stands now (open runs, duties, what is
    /// owed), kept current by pushing the entries that follow it.
    pub fn into_overview(self, catalog: &crate::catalog::Catalog) -> crate::overview::Overview {
        let seed = crate::overview::Seed {
            open: self.open,
            closed: &self.closed,
            learned: self.ledger,
            began: self.began,
        };
        crate::overview::Overview::seeded(seed, catalog)
    }
}

/// A run as a reading holds it.
struct Folding {
    /// Where its first entry is, for a second reading.
    first: Position,
    state: RunState,
    /// Where each of its entries is (a byte in a file, a sequence in a
    /// database); `None`: folded in summary, without its notes, commands
    /// or offsets, which a second reading gives if it is still open.
    offsets: Option<Vec<u64>>,
}

/// The runs being folded, in order of first appearance. A run met in the
/// tail is folded in summary and, once closed, kept as its summary alone:
/// what the reading holds grows with the open runs, not with the tail.
#[derive(Default)]
struct Runs {
    order: Vec<String>,
    folding: HashMap<String, Folding>,
    /// Runs folded in summary that closed: where they began, their summary.
    closed: HashMap<String, (Position, ClosedRun)>,
    /// Runs folded in summary that had entries after they closed: their
    /// summary cannot take them, so they are read again in full.
    again: HashMap<String, Position>,
    /// Whether runs met from now on are folded in summary.
    summary: bool,
    /// What is recorded about runs outside them.
    ledger: crate::learn::Ledger,
}

impl Runs {
    fn knows(&self, id: &str) -> bool {
        self.folding.contains_key(id) || self.closed.contains_key(id) || self.again.contains_key(id)
    }

    /// Folds one entry found at `at`, whose place is `offset`.
    fn apply(&mut self, entry: Folded, at: Position, offset: u64) {
        let meta = entry.meta();
        let Some(id) = entry.run else {
            self.ledger.apply(&meta, &entry.event);
            return;
        };
        if self.again.contains_key(&id) {
            return;
        }
        if let Some((first, _)) = self.closed.remove(&id) {
            self.again.insert(id, first);
            return;
        }
        let summary = self.summary;
        let run = self.folding.entry(id.clone()).or_insert_with(|| {
            self.order.push(id.clone());
            Folding {
                first: at,
                state: RunState::new(&id),
                offsets: (!summary).then(Vec::new),
            }
        });
        run.state.apply(&meta, &entry.event);
        if let Some(offsets) = &mut run.offsets {
            offsets.push(offset);
            return;
        }
        run.state.forget_lengthy();
        if !run.state.is_open() {
            let closed = (run.first, ClosedRun::of(&run.state));
            self.folding.remove(&id);
            self.closed.insert(id, closed);
        }
    }

    /// The second reading: every run still folded in summary, and those
    /// to read again, folded in full from the first of their entries up
    /// to `end`, where the first reading stopped.
    fn refold(&mut self, journal: &Journal, end: Position) -> Result<(), JournalError> {
        let mut wanted: HashMap<String, Position> = self
            .folding
            .iter()
            .filter(|(_, run)| run.offsets.is_none())
            .map(|(id, run)| (id.clone(), run.first))
            .collect();
        wanted.extend(self.again.drain());
        let Some(from) = wanted.values().min_by_key(|at| at.line).copied() else {
            return Ok(());
        };
        for (id, first) in &wanted {
            self.folding.insert(
                id.clone(),
                Folding {
                    first: *first,
                    state: RunState::new(id),
                    offsets: Some(Vec::new()),
                },
            );
        }
        let names = Names::of(wanted.keys());
        let folding = &mut self.folding;
        // Folds one line found at `place` (its byte, or its sequence).
        let mut fold = |place: u64, line: &[u8]| {
            let Ok(Only { run: Some(id) }) = serde_json::from_slice::<Only>(line) else {
                return;
            };
            if !wanted.contains_key(id.as_ref()) {
                return;
            }
            let Some(run) = folding.get_mut(id.as_ref()) else {
                return;
            };
            // Unreadable lines were reported by the first reading.
            if let Ok(entry) = serde_json::from_slice::<Folded>(line) {
                run.state.apply(&entry.meta(), &entry.event);
                if let Some(offsets) = &mut run.offsets {
                    offsets.push(place);
                }
            }
        };
        // A database sends only the rows that name a wanted run.
        if let (Journal::Postgres(db), Some(needles)) = (journal, names.needles()) {
            return db.scan_naming(from.line, end.line, needles, |seq, line| fold(seq, line));
        }
        let in_file = journal.file().is_some();
        crate::read::scan_lines(journal, from, |offset, line, number| {
            if number > end.line {
                return ControlFlow::Break(());
            }
            // Most lines belong to other runs: those that do not name a
            // wanted run are passed over unread.
            if names.may_be_in(line) {
                fold(if in_file { offset } else { number - 1 }, line);
            }
            ControlFlow::Continue(())
        })?;
        Ok(())
    }
}

/// The wanted runs' ids as a line holds them (a JSON string in quotes),
/// to pass over the lines that cannot belong to them without parsing.
struct Names {
    /// `None`: too many ids, or ids JSON writes escaped: every line is read.
    finders: Option<Vec<memchr::memmem::Finder<'static>>>,
}

impl Names {
    /// What is searched for: each id in quotes.
    fn needles(&self) -> Option<Vec<&[u8]>> {
        self.finders
            .as_ref()
            .map(|finders| finders.iter().map(memchr::memmem::Finder::needle).collect())
    }
}

impl Names {
    const MOST: usize = 16;

    fn of<'a>(ids: impl ExactSizeIterator<Item = &'a String>) -> Names {
        if ids.len() > Self::MOST {
            return Names { finders: None };
        }
        let finders = ids
            .map(|id| {
                let plain = id.chars().all(|c| c != '"' && c != '\\' && !c.is_control());
                plain.then(|| memchr::memmem::Finder::new(&format!("\"{id}\"")).into_owned())
            })
            .collect();
        Names { finders }
    }

    fn may_be_in(&self, line: &[u8]) -> bool {
        self.finders
            .as_ref()
            .is_none_or(|finders| finders.iter().any(|f| f.find(line).is_some()))
    }
}

/// An entry's run, read without the rest of it.
#[derive(serde::Deserialize)]
struct Only<'a> {
    #[serde(borrow)]
    run: Option<std::borrow::Cow<'a, str>>,
}

/// A reading stopped because a run the index holds as closed has entries
/// after the checkpoint: the index cannot say what it was before them.
struct Reopened(&'static str);

/// Loads the history of the journal at `path`. `closed`: also the closed
/// runs' summaries (for `runbook runs`; the console needs only the open).
pub fn load(
    journal: impl Into<Journal>,
    key: Option<&[u8]>,
    closed: bool,
) -> Result<History, JournalError> {
    let journal = journal.into();
    let mut history = load_runs(&journal, key, closed)?;
    // A first line that is not an entry: the earliest run read is the
    // best witness of when the journal began.
    let earliest = || {
        let open = history.open.iter().filter_map(|r| r.started_at);
        let closed = history.closed.iter().filter_map(|r| r.started_at);
        open.chain(closed).min()
    };
    if history.began.is_none() {
        history.began = match journal.began()? {
            Some(at) => Some(at),
            None => earliest(),
        };
    }
    Ok(history)
}

fn load_runs(journal: &Journal, key: Option<&[u8]>, closed: bool) -> Result<History, JournalError> {
    let index = match stored::read(journal, key, closed) {
        // A file's checkpoint is checked here; a database's with the open
        // runs' rows, in the same round trip (`from_index`).
        Ok(Some(index)) => match journal.file() {
            Some(path) => match index::check_checkpoint(path, &index.checkpoint) {
                Ok(()) => Some(index),
                Err(why) => {
                    tracing::warn!("rebuilding the journal's index: {why}");
                    None
                }
            },
            None => Some(index),
        },
        Ok(None) => None,
        Err(why) => {
            tracing::warn!("rebuilding the journal's index: {why}");
            None
        }
    };
    if let Some(index) = index {
        match from_index(journal, key, index, closed)? {
            Ok(history) => return Ok(history),
            Err(Reopened(why)) => {
                tracing::warn!("rebuilding the journal's index: {why}");
            }
        }
    }
    match read_tail(journal, key, Start::default(), Vec::new(), closed)? {
        Ok(history) => Ok(history),
        // From the start, nothing is closed before it is read.
        Err(Reopened(_)) => Ok(History::default()),
    }
}

/// The index where the journal keeps it: beside a file, in a database's
/// `runbook_index` row.
mod stored {
    use super::{Checkpoint, ClosedRun, Journal, OpenRun, index};
    use crate::learn::Ledger;

    pub fn read(
        journal: &Journal,
        key: Option<&[u8]>,
        closed: bool,
    ) -> Result<Option<index::Index>, String> {
        match journal {
            Journal::File(path) => index::read(path, key, closed),
            Journal::Postgres(db) => match db.index().map_err(|e| e.to_string())? {
                Some(body) => index::parse(body.as_slice(), key, closed).map(Some),
                None => Ok(None),
            },
        }
    }

    pub fn write(
        journal: &Journal,
        key: Option<&[u8]>,
        checkpoint: &Checkpoint,
        open: Vec<OpenRun>,
        closed: &[ClosedRun],
        ledger: &Ledger,
    ) -> Result<(), String> {
        match journal {
            Journal::File(path) => {
                index::write(path, key, checkpoint, open, closed, ledger).map_err(|e| e.to_string())
            }
            Journal::Postgres(db) => {
                let body = index::encode(key, checkpoint, open, closed, ledger)
                    .map_err(|e| e.to_string())?;
                db.write_index(body).map_err(|e| e.to_string())
            }
        }
    }
}

/// Where a reading of the tail starts, and what came before it.
#[derive(Default)]
struct Start {
    checkpoint: Option<Checkpoint>,
    runs: Runs,
}

fn from_index(
    journal: &Journal,
    key: Option<&[u8]>,
    index: index::Index,
    closed: bool,
) -> Result<Result<History, Reopened>, JournalError> {
    let mut runs = Runs {
        ledger: index.ledger.clone(),
        ..Runs::default()
    };
    // An open run's entries: by byte offset in a file, by sequence in a
    // database.
    let lines: Vec<(u64, Vec<u8>)> = match journal {
        Journal::File(path) => {
            let io = |source| JournalError::Io {
                path: path.clone(),
                source,
            };
            let file = File::open(path).map_err(|source| JournalError::Open {
                path: path.clone(),
                source,
            })?;
            let mut lines = Vec::new();
            for &offset in index.open.iter().flat_map(|o| &o.offsets) {
                lines.push((offset, line_at(&file, offset).map_err(io)?));
            }
            lines
        }
        Journal::Postgres(db) => {
            let mut seqs: Vec<u64> = index
                .open
                .iter()
                .flat_map(|o| o.offsets.iter().copied())
                .collect();
            let at = index.checkpoint.seq;
            let along = !seqs.contains(&at);
            if along {
                seqs.push(at);
            }
            let mut lines = db.lines_at(&seqs)?;
            let found = lines.iter().position(|(seq, _)| *seq == at);
            let holds = found
                .and_then(|i| crate::file::head_of(&lines[i].1))
                .is_some_and(|(_, hash)| hash == index.checkpoint.hash);
            if !holds {
                return Ok(Err(Reopened(
                    "the journal does not hold the index's checkpoint: it was rewritten",
                )));
            }
            if let Some(i) = found.filter(|_| along) {
                lines.remove(i);
            }
            lines
        }
    };
    for (at, line) in lines {
        match serde_json::from_slice::<Folded>(&line) {
            Ok(entry) => runs.apply(entry, Position::default(), at),
            Err(e) => {
                return Err(JournalError::Damaged {
                    path: journal.file().map(Path::to_path_buf).unwrap_or_default(),
                    detail: format!("the index points at {at}, which holds no entry ({e})"),
                });
            }
        }
    }
    let closed_runs = index.closed.unwrap_or_default();
    let start = Start {
        checkpoint: Some(index.checkpoint),
        runs,
    };
    read_tail(journal, key, start, closed_runs, closed)
}

/// The complete line starting at `offset`, without its newline.
fn line_at(file: &File, offset: u64) -> std::io::Result<Vec<u8>> {
    let mut size = 1024;
    loop {
        let mut buf = vec![0; size];
        let read = file.read_at(&mut buf, offset)?;
        buf.truncate(read);
        if let Some(end) = buf.iter().position(|b| *b == b'\n') {
            buf.truncate(end);
            return Ok(buf);
        }
        if read < size {
            return Err(std::io::Error::other(format!(
                "no complete line at byte {offset}"
            )));
        }
        size *= 4;
    }
}

/// The hash a sealed body names as its predecessor: its last member.
fn prev_of(body: &[u8]) -> Option<&str> {
    const OPEN: &[u8] = b",\"prev\":\"";
    let hash = body.strip_suffix(b"\"")?;
    let start = hash.len().checked_sub(64)?;
    let prev = hash[..start].ends_with(OPEN).then(|| &hash[start..])?;
    std::str::from_utf8(prev).ok()
}

/// The chain as checked along the tail: the journal's own rule
/// (`journal::links`), trusted up to the first line that breaks it.
struct Chain<'k> {
    links: Links<'k>,
    intact: bool,
}

impl Chain<'_> {
    /// Checks one line against the chain so far; false once anything fails.
    fn check(&mut self, line: &[u8], seq: Option<u64>) -> bool {
        if !self.intact {
            return false;
        }
        let links = &mut self.links;
        self.intact = (|| {
            let sealed = unseal(line)?;
            let prev = prev_of(sealed.body)?;
            let sealed_ok = links.seal(&sealed).is_empty();
            let linked = links.link(seq?, prev, sealed.hash).is_none();
            Some(sealed_ok && linked)
        })()
        .unwrap_or(false);
        self.intact
    }

    fn head(&self) -> Option<(u64, &str)> {
        self.links.head()
    }
}

/// What a reading of the tail found.
struct Scan {
    runs: Runs,
    at: Position,
    /// The last entry that verified with everything before it.
    checkpoint: Option<Checkpoint>,
    /// Whether the chain verified to the end.
    intact: bool,
    entries: u64,
    problems: Vec<Problem>,
    /// When the journal's first entry was written, when read or known.
    began: Option<DateTime<Utc>>,
}

fn read_tail(
    journal: &Journal,
    key: Option<&[u8]>,
    start: Start,
    mut closed_runs: Vec<ClosedRun>,
    closed: bool,
) -> Result<Result<History, Reopened>, JournalError> {
    let from_index = start.checkpoint.is_some();
    let scan = match scan(journal, key, start)? {
        Ok(scan) => scan,
        Err(reopened) => return Ok(Err(reopened)),
    };
    let mut runs = scan.runs;
    runs.refold(journal, scan.at)?;
    let Runs {
        order,
        mut folding,
        closed: mut summaries,
        ledger,
        ..
    } = runs;
    let mut open = Vec::new();
    let mut open_offsets = Vec::new();
    let mut newly_closed = Vec::new();
    for id in order {
        if let Some(run) = folding.remove(&id) {
            if run.state.is_open() {
                open_offsets.push(OpenRun {
                    id,
                    offsets: run.offsets.unwrap_or_default(),
                });
                open.push(run.state);
            } else {
                newly_closed.push(ClosedRun::of(&run.state));
            }
        } else if let Some((_, summary)) = summaries.remove(&id) {
            newly_closed.push(summary);
        }
    }
    // A new checkpoint only where the chain verified to the very end: the
    // index must describe exactly the journal up to it.
    let verified_end = scan
        .checkpoint
        .as_ref()
        .filter(|c| scan.intact && c.offset == scan.at.offset && c.line == scan.at.line);
    if scan.entries >= REINDEX_AFTER
        && let Some(checkpoint) = verified_end
    {
        // The closed runs before the checkpoint: none when read from the
        // start, those already read, or the index's own.
        let before = if !from_index || closed {
            Some(closed_runs.clone())
        } else {
            stored::read(journal, key, true)
                .ok()
                .flatten()
                .and_then(|index| index.closed)
        };
        if let Some(mut all) = before {
            all.extend(newly_closed.iter().cloned());
            if let Err(e) = stored::write(journal, key, checkpoint, open_offsets, &all, &ledger) {
                tracing::warn!("could not write the journal's index: {e}");
            }
        } else {
            tracing::warn!("the index was not extended: its closed runs are unreadable");
        }
    }
    if closed {
        closed_runs.extend(newly_closed);
    } else {
        closed_runs.clear();
    }
    Ok(Ok(History {
        open,
        closed: closed_runs,
        at: scan.at,
        problems: scan.problems,
        began: scan.began,
        ledger,
    }))
}

/// Reads every complete line after the start, verifying and folding it.
fn scan(
    journal: &Journal,
    key: Option<&[u8]>,
    start: Start,
) -> Result<Result<Scan, Reopened>, JournalError> {
    let from_index = start.checkpoint.is_some();
    let start_began = start.checkpoint.as_ref().and_then(|c| c.began);
    let mut runs = start.runs;
    runs.summary = true;
    let mut found = Scan {
        runs,
        at: start
            .checkpoint
            .as_ref()
            .map_or_else(Position::default, |c| Position {
                offset: c.offset,
                line: c.line,
            }),
        checkpoint: start.checkpoint.clone(),
        intact: true,
        entries: 0,
        problems: Vec::new(),
        began: None,
    };
    let links = match start.checkpoint {
        Some(c) => Links::from_head(key, c.seq, c.hash),
        None => Links::from_genesis(key),
    };
    let mut chain = Chain {
        links,
        intact: true,
    };
    let mut reopened = false;
    let mut began = start_began;
    let in_file = journal.file().is_some();
    let (at, problems, _) = crate::read::scan_lines(journal, found.at, |offset, line, number| {
        found.entries += 1;
        let entry = serde_json::from_slice::<Folded>(line);
        let seq = entry.as_ref().ok().map(|e| e.seq);
        if number == 1 {
            began = entry.as_ref().ok().map(|e| e.meta().at);
        }
        // Where an entry is: its byte in a file, its sequence in a
        // database (whose positions count rows only).
        let here = Position {
            offset,
            line: number - 1,
        };
        let (offset, end) = if in_file {
            (offset, offset + line.len() as u64 + 1)
        } else {
            (number - 1, 0)
        };
        if chain.check(line, seq)
            && let Some((seq, hash)) = chain.head()
        {
            found.checkpoint = Some(Checkpoint {
                offset: end,
                line: number,
                seq,
                hash: hash.to_owned(),
                began,
            });
        }
        match entry {
            Ok(entry) => {
                // A run met first after the checkpoint, other than by
                // its start, began before it: the index has it closed.
                let before = from_index
                    && !matches!(entry.event, Event::RunStarted { .. })
                    && entry.run.as_ref().is_some_and(|r| !found.runs.knows(r));
                if before {
                    reopened = true;
                    return ControlFlow::Break(());
                }
                found.runs.apply(entry, here, offset);
            }
            Err(e) => found.problems.push(Problem {
                line: number,
                fault: Fault::Unreadable {
                    detail: e.to_string(),
                },
            }),
        }
        ControlFlow::Continue(())
    })?;
    if reopened {
        return Ok(Err(Reopened("a closed run has new entries")));
    }
    found.at = at;
    found.began = began;
    found.problems.extend(problems);
    found.intact = chain.intact;
    Ok(Ok(found))
}

#[cfg(test)]
mod tests {
    #[test]
    fn prev_is_the_last_member_of_a_body() {
        let hash = "a".repeat(64);
        let body = format!("{{\"seq\":1,\"prev\":\"{hash}\"");
        assert_eq!(super::prev_of(body.as_bytes()), Some(hash.as_str()));
        assert_eq!(super::prev_of(b"{\"seq\":1}"), None);
    }
}
