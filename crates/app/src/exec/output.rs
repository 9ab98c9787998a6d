//! Where a command's whole output goes: a file beside the journal, named
//! by run and sequence, readable by its owner only, whose SHA-256 the
//! journal holds. A failing disk is remembered and said, never fatal to
//! the command: the journal still records how it ended.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use ring::digest::{Context, SHA256};

use crate::journal::line::hex;
use crate::store::pg::Database;

use crate::run::command::Output;

/// How much of the end of the output the journal keeps.
pub const TAIL: usize = 4096;

/// The folder of output files for `journal`: `<journal>.outputs`.
pub fn folder(journal: &Path) -> PathBuf {
    let mut name = journal.file_name().unwrap_or_default().to_os_string();
    name.push(".outputs");
    journal.with_file_name(name)
}

/// Where an output file named in the journal is, relative to the journal.
pub fn resolve(journal: &Path, file: &str) -> PathBuf {
    journal
        .parent()
        .map_or_else(|| PathBuf::from(file), |dir| dir.join(file))
}

/// The file's name for run `run`'s command started at `seq`; what the
/// run id holds beyond a safe file name is replaced.
fn file_name(run: &str, seq: u64) -> String {
    let safe: String = run
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{safe}-{seq}.log")
}

pub struct Sink {
    file: Option<File>,
    /// As the journal names it: relative to the journal's folder.
    name: String,
    path: PathBuf,
    hasher: Context,
    bytes: u64,
    tail: Vec<u8>,
    fault: Option<io::Error>,
    /// Bytes the file holds.
    in_file: u64,
    /// A database journal's copy, sent while the command runs.
    upload: Option<super::upload::Upload>,
}

/// What a finished sink leaves: what the journal records, the file's
/// failure, and why the database does not hold the output, if it should.
#[derive(Debug)]
pub struct Kept {
    pub output: Output,
    pub fault: Option<io::Error>,
    pub unstored: Option<String>,
}

impl std::fmt::Debug for Sink {
    // The hasher's state is neither readable nor worth showing.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sink")
            .field("path", &self.path)
            .field("bytes", &self.bytes)
            .field("fault", &self.fault)
            .finish_non_exhaustive()
    }
}

impl Sink {
    /// Creates the output file of run `run`'s command `seq` (it must not
    /// exist already). A file that cannot be created is a fault the sink
    /// carries: the command still runs, and its hash and tail are kept.
    /// `db`: a database journal, which gets the output too.
    pub fn open(journal: &Path, run: &str, seq: u64, db: Option<Database>) -> Sink {
        let dir = folder(journal);
        let name = file_name(run, seq);
        let path = dir.join(&name);
        let folder_name = dir.file_name().unwrap_or_default().to_string_lossy();
        let opened = create_private(&path);
        let (file, fault) = match opened {
            Ok(file) => (Some(file), None),
            Err(e) => (None, Some(e)),
        };
        // The file is the spool the database is fed from.
        let upload = db
            .filter(|_| file.is_some())
            .map(|db| super::upload::Upload::start(db, seq, path.clone()));
        Sink {
            file,
            name: format!("{folder_name}/{name}"),
            path,
            hasher: Context::new(&SHA256),
            bytes: 0,
            tail: Vec::with_capacity(TAIL * 2),
            fault,
            in_file: 0,
            upload,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn write(&mut self, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        self.hasher.update(bytes);
        self.bytes += bytes.len() as u64;
        self.tail.extend_from_slice(bytes);
        if self.tail.len() > TAIL * 2 {
            self.tail.drain(..self.tail.len() - TAIL);
        }
        if let Some(file) = self.file.as_mut() {
            match file.write_all(bytes) {
                Ok(()) => {
                    self.in_file += bytes.len() as u64;
                    if let Some(upload) = &self.upload {
                        upload.written(self.in_file);
                    }
                }
                Err(e) => {
                    // Keep hashing what the command printed; the file is
                    // now short of it, which the journal's size and hash
                    // will show.
                    self.fault = Some(e);
                    self.file = None;
                }
            }
        }
    }

    /// Flushes the file to disk and waits for the database's copy; returns
    /// what the journal records and what failed.
    pub fn finish(mut self) -> Kept {
        if let Some(file) = self.file.take()
            && let Err(e) = file.sync_all()
        {
            self.fault.get_or_insert(e);
        }
        let (parts, unstored) = match self.upload.take() {
            // A short file cannot be the whole output.
            Some(_) if self.in_file != self.bytes => {
                (None, Some("the output file is short of it".to_owned()))
            }
            Some(upload) => match upload.finish(self.in_file) {
                Ok(parts) => (Some(parts), None),
                Err(why) => (None, Some(why)),
            },
            None => (None, None),
        };
        let start = self.tail.len().saturating_sub(TAIL);
        let output = Output {
            file: self.name,
            bytes: self.bytes,
            sha256: hex(self.hasher.finish().as_ref()),
            tail: plain_tail(&self.tail[start..]),
            parts,
        };
        Kept {
            output,
            fault: self.fault,
            unstored,
        }
    }
}

/// A new file at `path`, readable by its owner only, in a folder made
/// (readable by its owner only) if missing; never an existing one.
pub fn create_private(path: &Path) -> io::Result<File> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
    }
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

/// The SHA-256 and size of an output file, to compare with the journal.
pub fn digest(path: &Path) -> io::Result<(String, u64)> {
    use std::io::Read;
    let mut file = File::open(path)?;
    let mut hasher = Context::new(&SHA256);
    let mut buf = vec![0; 64 * 1024];
    let mut bytes = 0;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok((hex(hasher.finish().as_ref()), bytes));
        }
        hasher.update(&buf[..n]);
        bytes += n as u64;
    }
}

/// The tail as text for a note or a report: terminal sequences (colours,
/// cursor moves, titles) taken out, a character cut by the 4 KiB edge
/// dropped. Whatever else remains is made inert where it is shown.
pub fn plain_tail(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim_start_matches('\u{fffd}');
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\x1b' {
            out.push(c);
            continue;
        }
        match chars.next() {
            // CSI: parameters, then one final byte in @..~.
            Some('[') => {
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
            // OSC, DCS and the like: to BEL or ESC \.
            Some(']' | 'P' | '_' | '^' | 'X') => {
                while let Some(c) = chars.next() {
                    if c == '\x07' || (c == '\x1b' && chars.next_if_eq(&'\\').is_some()) {
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tail_loses_colours_and_titles_but_keeps_the_text() {
        assert_eq!(
            plain_tail(b"\x1b[1;31merror\x1b[0m: \x1b]0;title\x07disk full\n"),
            "error: disk full\n"
        );
        // Cut inside a two-byte character: the stray half is dropped.
        assert_eq!(plain_tail(&"é ok".as_bytes()[1..]), " ok");
    }

    #[test]
    fn the_file_is_private_and_pinned_by_its_hash() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let journal = dir.path().join("journal.jsonl");
        let mut sink = Sink::open(&journal, "run/1", 7, None);
        sink.write(b"hello ");
        sink.write(&vec![b'x'; TAIL * 3]);
        let path = sink.path().to_owned();
        let Kept {
            output,
            fault,
            unstored,
        } = sink.finish();
        assert!(fault.is_none() && unstored.is_none());
        assert_eq!(output.parts, None);
        assert_eq!(output.file, "journal.jsonl.outputs/run_1-7.log");
        assert_eq!(resolve(&journal, &output.file), path);
        assert_eq!(output.bytes, 6 + TAIL as u64 * 3);
        assert_eq!(output.tail.len(), TAIL);
        assert_eq!(
            digest(&path).unwrap(),
            (output.sha256.clone(), output.bytes)
        );
        let mode = fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let again = Sink::open(&journal, "run/1", 7, None);
        assert!(again.finish().fault.is_some(), "never overwritten");
        assert_eq!(digest(&path).unwrap().1, 6 + TAIL as u64 * 3);
    }
}
