//! Reading entries back, for runs, resume, watching and reports. Reading
//! is lenient: a line that cannot be read is reported with its number and
//! skipped, so one bad line never hides the rest; `audit verify` is where
//! the chain is judged.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use super::JournalError;
use super::entry::Entry;
use super::verify::Problem;

/// Calls `each` with every readable entry in file order; returns the lines
/// that could not be read.
pub fn for_each(path: &Path, each: impl FnMut(Entry)) -> Result<Vec<Problem>, JournalError> {
    for_each_as(path, each)
}

/// As `for_each`, reading each line as `T`: a caller that needs only some
/// members (replaying runs) skips the rest without allocating them.
pub fn for_each_as<T: serde::de::DeserializeOwned>(
    path: &Path,
    mut each: impl FnMut(T),
) -> Result<Vec<Problem>, JournalError> {
    let file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(JournalError::Open {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    let mut input = BufReader::with_capacity(256 * 1024, file);
    let mut problems = Vec::new();
    let mut buf = Vec::with_capacity(1024);
    let mut number = 0u64;
    loop {
        buf.clear();
        let read = input
            .read_until(b'\n', &mut buf)
            .map_err(|source| JournalError::Io {
                path: path.to_path_buf(),
                source,
            })?;
        if read == 0 {
            break;
        }
        number += 1;
        let Some(line) = buf.strip_suffix(b"\n") else {
            problems.push(Problem {
                line: number,
                what: format!(
                    "torn last line ({read} bytes): ignored until the next append records it"
                ),
            });
            break;
        };
        match serde_json::from_slice::<T>(line) {
            Ok(entry) => each(entry),
            Err(e) => problems.push(Problem {
                line: number,
                what: format!("unreadable entry: {e}"),
            }),
        }
    }
    Ok(problems)
}

/// All readable entries, and the lines that were not.
pub fn read_all(path: &Path) -> Result<(Vec<Entry>, Vec<Problem>), JournalError> {
    let mut entries = Vec::new();
    let problems = for_each(path, |e| entries.push(e))?;
    Ok((entries, problems))
}

/// Follows a journal as it grows: each `poll` returns the complete entries
/// appended since the last one. Only whole lines are consumed, so a torn
/// line that recovery later cuts off is never half-read.
#[derive(Debug, Clone)]
pub struct Follower {
    path: std::path::PathBuf,
    offset: u64,
    line: u64,
}

impl Follower {
    pub fn new(path: &Path) -> Self {
        Follower {
            path: path.to_path_buf(),
            offset: 0,
            line: 0,
        }
    }

    pub fn poll(&mut self) -> Result<(Vec<Entry>, Vec<Problem>), JournalError> {
        use std::io::{Read, Seek, SeekFrom};
        let io_err = |source| JournalError::Io {
            path: self.path.clone(),
            source,
        };
        let mut file = match File::open(&self.path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok((Vec::new(), Vec::new()));
            }
            Err(source) => {
                return Err(JournalError::Open {
                    path: self.path.clone(),
                    source,
                });
            }
        };
        file.seek(SeekFrom::Start(self.offset)).map_err(io_err)?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).map_err(io_err)?;
        let complete = bytes.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        let mut entries = Vec::new();
        let mut problems = Vec::new();
        for line in bytes[..complete]
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
        {
            self.line += 1;
            match serde_json::from_slice::<Entry>(line) {
                Ok(entry) => entries.push(entry),
                Err(e) => problems.push(Problem {
                    line: self.line,
                    what: format!("unreadable entry: {e}"),
                }),
            }
        }
        self.offset += complete as u64;
        Ok((entries, problems))
    }
}
