//! Appending to a journal file: lock, read the tail, recover a torn line,
//! write the whole batch in one `write` with `O_APPEND`, `fsync`, and only
//! then report success. A failed write or fsync poisons the writer: after a
//! failed fsync the kernel may already have dropped the data, so nothing is
//! retried as if all were well.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, FileExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use crate::journal::chain::{self, Head};
use crate::journal::line::{sha256_hex, unseal};
use crate::journal::{Appended, Identity, JournalError, Record, Stamp};
use crate::run::Event;

/// How a journal is opened.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `RUNBOOK_JOURNAL_KEY`: each entry also carries an HMAC.
    pub key: Option<Vec<u8>>,
    /// A team group: a new journal is created 0640 and given to it.
    pub group: Option<u32>,
}

#[derive(Debug)]
pub struct FileWriter {
    path: PathBuf,
    file: File,
    key: Option<Vec<u8>>,
    identity: Identity,
    poisoned: bool,
}

/// The end of the file as found under the lock.
struct Tail {
    /// The last complete line, without its newline.
    last: Option<Vec<u8>>,
    /// Bytes after the last newline: a line torn by a crash.
    torn: Option<(u64, Vec<u8>)>,
}

impl FileWriter {
    /// Opens (creating if needed) the journal at `path`. A symbolic link is
    /// refused, so a journal cannot be redirected to another file.
    pub fn open(path: &Path, identity: Identity, options: Options) -> Result<Self, JournalError> {
        let err = |source: io::Error| JournalError::Open {
            path: path.to_path_buf(),
            source,
        };
        match fs::symlink_metadata(path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(JournalError::Symlink(path.to_path_buf()));
            }
            Ok(meta) if !meta.is_file() => return Err(JournalError::NotAFile(path.to_path_buf())),
            _ => {}
        }
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
        if let Some(parent) = parent {
            fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(parent)
                .map_err(err)?;
        }
        let mode = if options.group.is_some() {
            0o640
        } else {
            0o600
        };
        let mut open = OpenOptions::new();
        open.read(true)
            .append(true)
            .mode(mode)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC);
        let (file, created) = match open.clone().create_new(true).open(path) {
            Ok(file) => (file, true),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                (open.open(path).map_err(err)?, false)
            }
            Err(e) => return Err(err(e)),
        };
        if created {
            if let Some(gid) = options.group {
                std::os::unix::fs::fchown(&file, None, Some(gid)).map_err(err)?;
            }
            // The new name must survive a crash too.
            if let Some(parent) = parent {
                File::open(parent).and_then(|d| d.sync_all()).map_err(err)?;
            }
        }
        Ok(FileWriter {
            path: path.to_path_buf(),
            file,
            key: options.key,
            identity,
            poisoned: false,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The journal key, for what is sealed beside the journal (its index).
    pub fn key(&self) -> Option<&[u8]> {
        self.key.as_deref()
    }

    pub fn identity(&self) -> &Identity {
        &self.identity
    }

    /// Appends `records` as one batch, durably. On success every entry is
    /// on disk; on failure nothing may be assumed recorded.
    pub fn append(
        &mut self,
        records: &[Record],
        now: Stamp,
    ) -> Result<Vec<Appended>, JournalError> {
        self.append_decided(now, |_| Ok::<_, JournalError>(records.to_vec()))
    }

    /// Takes the journal's lock, asks `decide` what to append, and appends
    /// it before letting go: whatever `decide` read of the journal is still
    /// its head when the entries land, so no other writer can slip an entry
    /// in between a decision and its record. Nothing is written when
    /// `decide` refuses or has nothing to say.
    pub fn append_decided<E: From<JournalError>>(
        &mut self,
        now: Stamp,
        decide: impl FnOnce(chrono::DateTime<chrono::Utc>) -> Result<Vec<Record>, E>,
    ) -> Result<Vec<Appended>, E> {
        if self.poisoned {
            return Err(JournalError::Poisoned(self.path.clone()).into());
        }
        self.file.lock().map_err(|source| JournalError::Io {
            path: self.path.clone(),
            source,
        })?;
        let result = match decide(now.run_time()) {
            Ok(records) if records.is_empty() => Ok(Vec::new()),
            Ok(records) => self.append_locked(&records, now).map_err(E::from),
            Err(refused) => Err(refused),
        };
        // Closing the file would release the lock too; a failed unlock
        // changes nothing that was written.
        let _ = self.file.unlock();
        result
    }

    fn append_locked(
        &mut self,
        records: &[Record],
        now: Stamp,
    ) -> Result<Vec<Appended>, JournalError> {
        let len = self
            .file
            .metadata()
            .map_err(|e| JournalError::Io {
                path: self.path.clone(),
                source: e,
            })?
            .len();
        let tail = read_tail(&self.file, len).map_err(|e| JournalError::Io {
            path: self.path.clone(),
            source: e,
        })?;

        let mut batch: Vec<Record> = Vec::with_capacity(records.len() + 2);
        if let Some((offset, torn)) = &tail.torn {
            // Cut the torn bytes off and say so in the chain before anything
            // else: their length and hash stay on record.
            self.file.set_len(*offset).map_err(|e| self.fail_write(e))?;
            batch.push(Record {
                run: None,
                event: Event::TailRecovered {
                    torn_bytes: torn.len() as u64,
                    torn_sha256: sha256_hex(torn),
                },
            });
        }
        let head: Option<Head> = match &tail.last {
            None => None,
            Some(line) => Some(head_of(line).ok_or_else(|| JournalError::Damaged {
                path: self.path.clone(),
                detail: "its last line is not a journal entry".to_owned(),
            })?),
        };
        if let Some(genesis) = chain::genesis(head.as_ref(), self.key.is_some()) {
            batch.insert(0, genesis);
        }
        batch.extend_from_slice(records);
        let now = now.not_before(tail.last.as_deref().and_then(chain::time_of));
        let sealed = chain::seal_batch(
            head.as_ref(),
            &batch,
            &self.identity,
            self.key.as_deref(),
            now,
        )
        .map_err(|e| JournalError::Io {
            path: self.path.clone(),
            source: io::Error::other(e),
        })?;
        self.write_synced(&sealed)?;
        // The caller asked for `records`; the genesis and recovery entries
        // written before them are the journal's own.
        Ok(chain::appended(&sealed, records.len(), now.real))
    }

    /// Appends lines sealed elsewhere (an import) after `expected`, the
    /// head the caller read: refused when the file's head is another, or
    /// its tail is torn.
    pub fn append_sealed(
        &mut self,
        expected: Option<&Head>,
        sealed: &[chain::Sealed],
    ) -> Result<(), JournalError> {
        if self.poisoned {
            return Err(JournalError::Poisoned(self.path.clone()));
        }
        let io_err = |path: &Path, source| JournalError::Io {
            path: path.to_path_buf(),
            source,
        };
        self.file.lock().map_err(|e| io_err(&self.path, e))?;
        let result = (|| {
            let len = self
                .file
                .metadata()
                .map_err(|e| io_err(&self.path, e))?
                .len();
            let tail = read_tail(&self.file, len).map_err(|e| io_err(&self.path, e))?;
            let head = tail.last.as_deref().and_then(head_of);
            if tail.torn.is_some() || head.as_ref() != expected {
                return Err(JournalError::Damaged {
                    path: self.path.clone(),
                    detail: "it changed during the import".to_owned(),
                });
            }
            self.write_synced(sealed)
        })();
        let _ = self.file.unlock();
        result
    }

    /// Writes the lines in one `write` (with `O_APPEND` the batch lands
    /// whole at the end) and syncs them. A failed write or sync (a full
    /// disk, an I/O error, a short write) cuts what it wrote off again, so
    /// that the journal ends on a whole entry and verifies: nothing is
    /// recorded, and the writer may try again. Only when even that fails
    /// is the writer poisoned.
    fn write_synced(&mut self, sealed: &[chain::Sealed]) -> Result<(), JournalError> {
        let bytes: Vec<u8> = sealed.iter().flat_map(|s| s.line.iter().copied()).collect();
        let start = self.file.metadata().map_err(|e| self.fail_write(e))?.len();
        let failed = match (&self.file).write_all(&bytes) {
            Err(e) => e,
            Ok(()) => match self.file.sync_data() {
                Ok(()) => return Ok(()),
                Err(e) => e,
            },
        };
        let restored = self
            .file
            .set_len(start)
            .and_then(|()| self.file.sync_data());
        match restored {
            Ok(()) => {
                tracing::warn!(
                    "journal {}: an append failed ({failed}); cut back to {start} bytes",
                    self.path.display()
                );
                Err(JournalError::NotRecorded {
                    path: self.path.clone(),
                    source: failed,
                })
            }
            Err(e) => {
                tracing::error!(
                    "journal {}: an append failed ({failed}) and could not be cut back ({e})",
                    self.path.display()
                );
                Err(self.fail_write(failed))
            }
        }
    }

    fn fail_write(&mut self, source: io::Error) -> JournalError {
        self.poisoned = true;
        JournalError::Write {
            path: self.path.clone(),
            source,
        }
    }
}

/// The sequence number and hash of a complete line.
pub fn head_of(line: &[u8]) -> Option<(u64, String)> {
    #[derive(serde::Deserialize)]
    struct Seq {
        seq: u64,
    }
    let sealed = unseal(line)?;
    let seq: Seq = serde_json::from_slice(line).ok()?;
    Some((seq.seq, sealed.hash.to_owned()))
}

/// Reads backwards from the end, in growing windows, until the last
/// complete line and any torn bytes after it are found.
fn read_tail(file: &File, len: u64) -> io::Result<Tail> {
    // Most lines are a few hundred bytes: start small, grow when needed.
    let mut window: u64 = 4 * 1024;
    loop {
        let start = len.saturating_sub(window);
        let size = usize::try_from(len - start).map_err(io::Error::other)?;
        let mut buf = vec![0; size];
        file.read_exact_at(&mut buf, start)?;
        let Some(last_newline) = buf.iter().rposition(|b| *b == b'\n') else {
            if start == 0 {
                let torn = (!buf.is_empty()).then_some((0, buf));
                return Ok(Tail { last: None, torn });
            }
            window *= 2;
            continue;
        };
        let torn = (last_newline + 1 < buf.len()).then(|| {
            (
                start + last_newline as u64 + 1,
                buf[last_newline + 1..].to_vec(),
            )
        });
        match buf[..last_newline].iter().rposition(|b| *b == b'\n') {
            Some(previous) => {
                return Ok(Tail {
                    last: Some(buf[previous + 1..last_newline].to_vec()),
                    torn,
                });
            }
            None if start == 0 => {
                return Ok(Tail {
                    last: Some(buf[..last_newline].to_vec()),
                    torn,
                });
            }
            None => window *= 2,
        }
    }
}
