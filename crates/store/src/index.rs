//! The index beside a journal file (`journal.jsonl.index`), or in a
//! database journal's `runbook_index` row: a cache, never the truth. It holds, up to a checkpoint (a verified entry of the chain,
//! with its place in the file), the byte offsets of every open run's
//! entries and one summary line per closed run. Deleting it changes nothing
//! but speed; a stale, truncated or edited one is detected and rebuilt.
//!
//! Layout, JSON lines: a header (version, checkpoint, open runs, digests),
//! then one closed run a line. The header's digest covers the header and
//! the closed lines' digest covers those lines, so the console reads the
//! header alone. Digests are SHA-256, or HMAC-SHA256 with the journal key
//! when it is set, so only a key holder can forge an index.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, BufReader, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::journal::line::{mac_hex, sha256_hex};
use crate::learn::Ledger;
use crate::run::ClosedRun;

// 2: closed runs keep when each step was done; the header carries the
// ledger of post-mortems and follow-ups.
const VERSION: u32 = 2;

/// Where the index stops: the entry `seq` with `hash`, the `line`-th line
/// of the journal, ending at byte `offset` (exclusive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub offset: u64,
    pub line: u64,
    pub seq: u64,
    pub hash: String,
    /// When the journal's first entry was written, so that a reader of
    /// the index need not fetch it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub began: Option<DateTime<Utc>>,
}

/// An open run: where each of its entries starts (a byte in a file, a
/// sequence number in a database).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenRun {
    pub id: String,
    pub offsets: Vec<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Header {
    version: u32,
    checkpoint: Checkpoint,
    open: Vec<OpenRun>,
    closed: u64,
    /// Post-mortems and follow-ups up to the checkpoint.
    #[serde(default)]
    ledger: Ledger,
    /// Over the header with both digests empty.
    digest: String,
    /// Over the closed lines, each with its newline.
    closed_digest: String,
}

/// An index as read: the closed runs only when asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Index {
    pub checkpoint: Checkpoint,
    pub open: Vec<OpenRun>,
    pub closed: Option<Vec<ClosedRun>>,
    pub ledger: Ledger,
}

pub fn path_for(journal: &Path) -> PathBuf {
    let mut name = journal.as_os_str().to_owned();
    name.push(".index");
    PathBuf::from(name)
}

fn digest(key: Option<&[u8]>, bytes: &[u8]) -> String {
    let hash = sha256_hex(bytes);
    match key {
        Some(key) => mac_hex(key, &hash),
        None => hash,
    }
}

fn header_digest(header: &Header, key: Option<&[u8]>) -> Result<String, String> {
    let mut blank = header.clone();
    blank.digest.clear();
    blank.closed_digest.clear();
    let bytes = serde_json::to_vec(&blank).map_err(|e| e.to_string())?;
    Ok(digest(key, &bytes))
}

/// Reads the index of `journal`. `Ok(None)`: there is none. `Err`: there
/// is one that cannot be trusted, and why (the caller rebuilds it).
pub fn read(journal: &Path, key: Option<&[u8]>, closed: bool) -> Result<Option<Index>, String> {
    let path = path_for(journal);
    let file = match File::open(&path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot open {}: {e}", path.display())),
    };
    parse(BufReader::new(file), key, closed).map(Some)
}

/// Reads an index from its bytes (a file's, or a database's row).
pub fn parse(mut input: impl BufRead, key: Option<&[u8]>, closed: bool) -> Result<Index, String> {
    let mut line = String::new();
    input.read_line(&mut line).map_err(|e| e.to_string())?;
    let header: Header =
        serde_json::from_str(line.trim_end()).map_err(|e| format!("unreadable header: {e}"))?;
    if header.version != VERSION {
        return Err(format!(
            "version {} (this runbook writes {VERSION})",
            header.version
        ));
    }
    if header_digest(&header, key)? != header.digest {
        return Err("its header does not match its digest (edited, or another key)".to_owned());
    }
    let closed = if closed {
        let mut bytes = Vec::new();
        let mut runs = Vec::new();
        for _ in 0..header.closed {
            line.clear();
            if input.read_line(&mut line).map_err(|e| e.to_string())? == 0 {
                return Err("it ends before its last closed run".to_owned());
            }
            bytes.extend_from_slice(line.as_bytes());
            runs.push(
                serde_json::from_str::<ClosedRun>(line.trim_end())
                    .map_err(|e| format!("unreadable closed run: {e}"))?,
            );
        }
        if digest(key, &bytes) != header.closed_digest {
            return Err("its closed runs do not match their digest (edited?)".to_owned());
        }
        Some(runs)
    } else {
        None
    };
    Ok(Index {
        checkpoint: header.checkpoint,
        open: header.open,
        closed,
        ledger: header.ledger,
    })
}

/// An index's bytes: its header, then one closed run a line.
pub fn encode(
    key: Option<&[u8]>,
    checkpoint: &Checkpoint,
    open: Vec<OpenRun>,
    closed: &[ClosedRun],
    ledger: &Ledger,
) -> io::Result<Vec<u8>> {
    let mut closed_bytes = Vec::new();
    for run in closed {
        serde_json::to_writer(&mut closed_bytes, run).map_err(io::Error::other)?;
        closed_bytes.push(b'\n');
    }
    let mut header = Header {
        version: VERSION,
        checkpoint: checkpoint.clone(),
        open,
        closed: closed.len() as u64,
        ledger: ledger.clone(),
        digest: String::new(),
        closed_digest: digest(key, &closed_bytes),
    };
    header.digest = header_digest(&header, key).map_err(io::Error::other)?;
    let mut bytes = serde_json::to_vec(&header).map_err(io::Error::other)?;
    bytes.push(b'\n');
    bytes.extend_from_slice(&closed_bytes);
    Ok(bytes)
}

/// Writes the index of `journal` whole, through a temporary file renamed
/// over the old one: a reader sees the old index or the new, never half.
/// The index tells what the journal tells, so it gets the journal's mode.
pub fn write(
    journal: &Path,
    key: Option<&[u8]>,
    checkpoint: &Checkpoint,
    open: Vec<OpenRun>,
    closed: &[ClosedRun],
    ledger: &Ledger,
) -> io::Result<()> {
    let bytes = encode(key, checkpoint, open, closed, ledger)?;
    let path = path_for(journal);
    let mode = fs::metadata(journal).map_or(0o600, |m| m.permissions().mode() & 0o660);
    let temporary = path.with_extension(format!("index.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(mode)
            .custom_flags(libc::O_NOFOLLOW)
            .open(&temporary)?;
        file.write_all(&bytes)?;
        file.sync_data()?;
        fs::rename(&temporary, &path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    result
}

/// Whether the journal still holds the checkpoint's entry where the index
/// says: `Err` says how it differs (truncated, rewritten).
pub fn check_checkpoint(journal: &Path, checkpoint: &Checkpoint) -> Result<(), String> {
    use std::os::unix::fs::FileExt;
    let file = File::open(journal).map_err(|e| e.to_string())?;
    let len = file.metadata().map_err(|e| e.to_string())?.len();
    if len < checkpoint.offset {
        return Err(format!(
            "the journal ({len} bytes) ends before the index's checkpoint #{} at byte {}: it was truncated",
            checkpoint.seq, checkpoint.offset
        ));
    }
    // The line ending at the checkpoint, read backwards in growing windows.
    let end = checkpoint.offset;
    let mut window: u64 = 4096;
    let line = loop {
        let start = end.saturating_sub(window);
        let mut buf = vec![0; usize::try_from(end - start).map_err(|e| e.to_string())?];
        file.read_exact_at(&mut buf, start)
            .map_err(|e| e.to_string())?;
        if buf.last() != Some(&b'\n') {
            return Err(format!(
                "byte {} of the journal does not end a line: it was rewritten before the index's checkpoint",
                checkpoint.offset
            ));
        }
        let body = &buf[..buf.len() - 1];
        match body.iter().rposition(|b| *b == b'\n') {
            Some(at) => break body[at + 1..].to_vec(),
            None if start == 0 => break body.to_vec(),
            None => window *= 2,
        }
    };
    match crate::file::head_of(&line) {
        Some((seq, hash)) if seq == checkpoint.seq && hash == checkpoint.hash => Ok(()),
        Some((seq, _)) => Err(format!(
            "the entry at the index's checkpoint is #{seq} with another hash, not #{} {}: the journal was rewritten",
            checkpoint.seq, checkpoint.hash
        )),
        None => Err(format!(
            "the line at the index's checkpoint #{} is no journal entry: the journal was rewritten",
            checkpoint.seq
        )),
    }
}
