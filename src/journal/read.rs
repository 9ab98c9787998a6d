//! Reading entries back, for runs, resume, watching and reports. Reading
//! is lenient: a line that cannot be read is reported with its number and
//! skipped, so one bad line never hides the rest; `audit verify` is where
//! the chain is judged.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use super::JournalError;
use super::entry::Entry;
use super::verify::{Fault, Problem};

/// Where a reading of the journal stopped: after the last complete line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Position {
    /// Bytes of complete lines read.
    pub offset: u64,
    /// Lines read.
    pub line: u64,
}

/// Reads complete lines from `from`, each given to `each` with the offset
/// where it starts (without its newline), until the end or until `each`
/// breaks; a torn last line is reported and not consumed. Streams: memory
/// stays bounded whatever the journal's size. Returns where it stopped.
pub fn scan_lines(
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
    path: &Path,
    from: Position,
    mut each: impl FnMut(T),
) -> Result<(Position, Vec<Problem>), JournalError> {
    let mut unreadable = Vec::new();
    let (at, mut problems, _) = scan_lines(path, from, |_, line, number| {
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
pub fn for_each(path: &Path, each: impl FnMut(Entry)) -> Result<Vec<Problem>, JournalError> {
    for_each_as(path, each)
}

/// As `for_each`, reading each line as `T`: a caller that needs only some
/// members (replaying runs) skips the rest without allocating them.
pub fn for_each_as<T: serde::de::DeserializeOwned>(
    path: &Path,
    each: impl FnMut(T),
) -> Result<Vec<Problem>, JournalError> {
    scan(path, Position::default(), each).map(|(_, problems)| problems)
}

/// All readable entries, and the lines that were not.
pub fn read_all(path: &Path) -> Result<(Vec<Entry>, Vec<Problem>), JournalError> {
    let mut entries = Vec::new();
    let problems = for_each(path, |e| entries.push(e))?;
    Ok((entries, problems))
}

/// Follows a journal as it grows: each poll reads the complete entries
/// appended since the last one. Only whole lines are consumed, so a torn
/// line that recovery later cuts off is never half-read.
#[derive(Debug, Clone)]
pub struct Follower {
    path: std::path::PathBuf,
    at: Position,
}

impl Follower {
    /// Follows from the start of the journal.
    pub fn new(path: &Path) -> Self {
        Follower::from(path, Position::default())
    }

    /// Follows from where a previous reading stopped.
    pub fn from(path: &Path, at: Position) -> Self {
        Follower {
            path: path.to_path_buf(),
            at,
        }
    }

    pub fn position(&self) -> Position {
        self.at
    }

    pub fn poll_each(&mut self, each: impl FnMut(Entry)) -> Result<Vec<Problem>, JournalError> {
        let (at, problems) = scan(&self.path, self.at, each)?;
        self.at = at;
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
pub fn end(path: &Path) -> Result<Position, JournalError> {
    use std::io::Read;
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
