//! Reading entries back, from a file or a database, for runs, resume,
//! watching and reports. Reading
//! is lenient: a line that cannot be read is reported with its number and
//! skipped, so one bad line never hides the rest; `audit verify` is where
//! the chain is judged.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use super::Journal;
use crate::journal::JournalError;
use crate::journal::entry::Entry;
use crate::journal::verify::{Fault, Problem};

/// Where a reading of the journal stopped: after the last complete line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Position {
    /// Bytes of complete lines read.
    pub offset: u64,
    /// Lines read.
    pub line: u64,
}

/// Reads complete lines from `from`, each given to `each` with the offset
/// where it starts (a file's byte; 0 in a database), the line without its
/// newline and its number, until the end or until `each` breaks; a torn
/// last line is reported and not consumed. Streams: memory stays bounded
/// whatever the journal's size. Returns where it stopped.
pub fn scan_lines(
    journal: &Journal,
    from: Position,
    mut each: impl FnMut(u64, &[u8], u64) -> std::ops::ControlFlow<()>,
) -> Result<(Position, Vec<Problem>, bool), JournalError> {
    match journal {
        Journal::File(path) => scan_file_lines(path, from, each),
        Journal::Postgres(db) => {
            // A row is a line: its number is its sequence plus one.
            let (next, broke) = db.scan(from.line, |seq, line| each(0, line, seq + 1))?;
            Ok((
                Position {
                    offset: 0,
                    line: next.max(from.line),
                },
                Vec::new(),
                broke,
            ))
        }
    }
}

fn scan_file_lines(
    path: &Path,
    from: Position,
    mut each: impl FnMut(u64, &[u8], u64) -> std::ops::ControlFlow<()>,
) -> Result<(Position, Vec<Problem>, bool), JournalError> {
    use std::io::{Seek, SeekFrom};
    let io_err = |source| JournalError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok((from, Vec::new(), false));
        }
        Err(source) => {
            return Err(JournalError::Open {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    file.seek(SeekFrom::Start(from.offset)).map_err(io_err)?;
    let mut input = BufReader::with_capacity(256 * 1024, file);
    let mut at = from;
    let mut problems = Vec::new();
    let mut buf = Vec::with_capacity(1024);
    loop {
        buf.clear();
        let read = input.read_until(b'\n', &mut buf).map_err(io_err)?;
        if read == 0 {
            break;
        }
        let Some(line) = buf.strip_suffix(b"\n") else {
            problems.push(Problem {
                line: at.line + 1,
                fault: Fault::TornIgnored { bytes: read as u64 },
            });
            break;
        };
        let offset = at.offset;
        at.line += 1;
        at.offset += read as u64;
        if each(offset, line, at.line).is_break() {
            return Ok((at, problems, true));
        }
    }
    Ok((at, problems, false))
}

/// Reads complete lines from `from`, each parsed as `T` and given to
/// `each`; a line that cannot be read is reported with its number and
/// skipped; a torn last line is reported and not consumed.
pub fn scan<T: serde::de::DeserializeOwned>(
    journal: &Journal,
    from: Position,
    mut each: impl FnMut(T),
) -> Result<(Position, Vec<Problem>), JournalError> {
    let mut unreadable = Vec::new();
    let (at, mut problems, _) = scan_lines(journal, from, |_, line, number| {
        match serde_json::from_slice::<T>(line) {
            Ok(entry) => each(entry),
            Err(e) => unreadable.push(Problem {
                line: number,
                fault: Fault::Unreadable {
                    detail: e.to_string(),
                },
            }),
        }
        std::ops::ControlFlow::Continue(())
    })?;
    // In file order: the unreadable lines, then a torn tail.
    unreadable.append(&mut problems);
    Ok((at, unreadable))
}

/// Calls `each` with every readable entry in file order; returns the lines
/// that could not be read.
pub fn for_each(
    journal: impl Into<Journal>,
    each: impl FnMut(Entry),
) -> Result<Vec<Problem>, JournalError> {
    for_each_as(journal, each)
}

/// As `for_each`, reading each line as `T`: a caller that needs only some
/// members (replaying runs) skips the rest without allocating them.
pub fn for_each_as<T: serde::de::DeserializeOwned>(
    journal: impl Into<Journal>,
    each: impl FnMut(T),
) -> Result<Vec<Problem>, JournalError> {
    scan(&journal.into(), Position::default(), each).map(|(_, problems)| problems)
}

/// All readable entries, and the lines that were not.
pub fn read_all(journal: impl Into<Journal>) -> Result<(Vec<Entry>, Vec<Problem>), JournalError> {
    let mut entries = Vec::new();
    let problems = for_each(journal, |e| entries.push(e))?;
    Ok((entries, problems))
}

/// Follows a journal as it grows: each poll reads the complete entries
/// appended since the last one. Only whole lines are consumed, so a torn
/// line that recovery later cuts off is never half-read. On a database
/// that announces its heads, a poll with nothing announced since the last
/// look costs no query; the slow poll behind it catches what a lost
/// announcement would hide.
#[derive(Debug, Clone)]
pub struct Follower {
    journal: Journal,
    at: Position,
    /// What the database's listener had heard at the last query, and when.
    looked: Option<(u64, std::time::Instant)>,
}

/// However quiet the announcements, a database follower queries this
/// often.
const SLOW_POLL: std::time::Duration = std::time::Duration::from_secs(5);

impl Follower {
    /// Follows from the start of the journal.
    pub fn new(journal: impl Into<Journal>) -> Self {
        Follower::from(journal, Position::default())
    }

    /// Follows from where a previous reading stopped.
    pub fn from(journal: impl Into<Journal>, at: Position) -> Self {
        let journal = journal.into();
        if let Journal::Postgres(db) = &journal {
            db.listen();
        }
        Follower {
            journal,
            at,
            looked: None,
        }
    }

    pub fn position(&self) -> Position {
        self.at
    }

    pub fn poll_each(&mut self, each: impl FnMut(Entry)) -> Result<Vec<Problem>, JournalError> {
        let heard = self.heard();
        if let (Some(now), Some((then, at))) = (heard, self.looked)
            && now == then
            && at.elapsed() < SLOW_POLL
        {
            return Ok(Vec::new());
        }
        self.read_each(heard, each)
    }

    /// Reads up to the head whatever was announced: after this process's
    /// own append, or under the lock where a decision needs every entry,
    /// the announcement may not have arrived yet.
    pub fn refresh(&mut self) -> Result<(Vec<Entry>, Vec<Problem>), JournalError> {
        let mut entries = Vec::new();
        let problems = self.refresh_each(|e| entries.push(e))?;
        Ok((entries, problems))
    }

    /// `refresh`, each entry given to `each`.
    pub fn refresh_each(&mut self, each: impl FnMut(Entry)) -> Result<Vec<Problem>, JournalError> {
        let heard = self.heard();
        self.read_each(heard, each)
    }

    fn heard(&self) -> Option<u64> {
        match &self.journal {
            Journal::Postgres(db) => db.generation(),
            Journal::File(_) => None,
        }
    }

    fn read_each(
        &mut self,
        heard: Option<u64>,
        each: impl FnMut(Entry),
    ) -> Result<Vec<Problem>, JournalError> {
        let (at, problems) = scan(&self.journal, self.at, each)?;
        self.at = at;
        self.looked = heard.map(|h| (h, std::time::Instant::now()));
        Ok(problems)
    }

    pub fn poll(&mut self) -> Result<(Vec<Entry>, Vec<Problem>), JournalError> {
        let mut entries = Vec::new();
        let problems = self.poll_each(|e| entries.push(e))?;
        Ok((entries, problems))
    }
}

/// The position after the last complete line, found by counting lines
/// without parsing them: where a new reader starts to see only what comes
/// next.
pub fn end(journal: impl Into<Journal>) -> Result<Position, JournalError> {
    use std::io::Read;
    let path = match journal.into() {
        Journal::File(path) => path,
        Journal::Postgres(db) => {
            let next = db.head()?.map_or(0, |(seq, _)| seq + 1);
            return Ok(Position {
                offset: 0,
                line: next,
            });
        }
    };
    let path = path.as_path();
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Position::default()),
        Err(source) => {
            return Err(JournalError::Open {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    let mut buf = vec![0u8; 256 * 1024];
    let mut at = Position::default();
    let mut since_newline = 0u64;
    loop {
        let read = file.read(&mut buf).map_err(|source| JournalError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        if read == 0 {
            break;
        }
        for byte in &buf[..read] {
            since_newline += 1;
            if *byte == b'\n' {
                at.line += 1;
                at.offset += since_newline;
                since_newline = 0;
            }
        }
    }
    Ok(at)
}
