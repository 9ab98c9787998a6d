//! `runbook journal output SEQ`: a command's whole output, from a database
//! journal's output table or from the file beside the journal, streamed
//! and checked against the size and SHA-256 its entry recorded.

use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, IsTerminal, Read, Write};
use std::os::unix::fs::OpenOptionsExt;

use ring::digest::{Context, SHA256};

use super::JournalSettings;
use crate::cli::JournalOutputArgs;
use crate::exec::output::create_private;
use crate::exec::verify::{Finished, each_finished};
use crate::exit::{DAMAGED, JOURNAL_FAILED, OK, USAGE};
use crate::text::Words;

pub fn run(
    settings: &JournalSettings,
    args: &JournalOutputArgs,
    words: &Words,
    out: &mut dyn Write,
) -> io::Result<u8> {
    let w = words.commands;
    let found = settings
        .journal()
        .lines()
        .and_then(|lines| find(lines, args.seq));
    let finished = match found {
        Ok(Some(finished)) => finished,
        Ok(None) => {
            crate::say!("runbook: {}", (w.out_none)(args.seq));
            return Ok(USAGE);
        }
        Err(e) => {
            crate::say!(
                "runbook: {}",
                (w.cannot_read)(&settings.shown(), &e.to_string())
            );
            return Ok(JOURNAL_FAILED);
        }
    };
    let mut target: Box<dyn Write> = match &args.out {
        Some(path) => match OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
        {
            Ok(file) => Box::new(io::BufWriter::new(file)),
            Err(e) => {
                crate::say!("runbook: {}: {e}", path.display());
                return Ok(USAGE);
            }
        },
        None => Box::new(out),
    };
    // Command output reaches a terminal inert; a file or a pipe gets it
    // byte for byte.
    let terminal = args.out.is_none() && io::stdout().is_terminal();
    let mut copy = Copy {
        target: &mut *target,
        terminal,
        hasher: Context::new(&SHA256),
        bytes: 0,
    };
    let read = copy_output(settings, args.seq, &finished, &mut copy);
    let (bytes, sha256) = (
        copy.bytes,
        crate::journal::line::hex(copy.hasher.finish().as_ref()),
    );
    target.flush()?;
    match read {
        Ok(()) => {}
        Err(Missing::Elsewhere) => {
            let file = crate::text::inert(&finished.output.file).into_owned();
            let host = crate::text::inert(&finished.host).into_owned();
            crate::say!("runbook: {}", (w.out_elsewhere)(args.seq, &host, &file));
            return Ok(USAGE);
        }
        Err(Missing::Failed(e)) => {
            crate::say!("runbook: {}", (w.cannot_read)(&settings.shown(), &e));
            return Ok(JOURNAL_FAILED);
        }
    }
    if bytes != finished.output.bytes || sha256 != finished.output.sha256 {
        crate::say!(
            "runbook: {}",
            (w.out_mismatch)(args.seq, finished.output.bytes, bytes)
        );
        return Ok(DAMAGED);
    }
    Ok(OK)
}

/// The last `command_finished` of the command started at `seq`.
fn find(lines: impl BufRead, seq: u64) -> io::Result<Option<Finished>> {
    let mut found = None;
    each_finished(lines, |finished| {
        if finished.started == seq {
            found = Some(finished);
        }
    })?;
    Ok(found)
}

/// Every `command_finished` of the journal file at `path`.
fn finished_in(path: &std::path::Path) -> io::Result<Vec<Finished>> {
    let mut all = Vec::new();
    each_finished(io::BufReader::new(File::open(path)?), |f| all.push(f))?;
    Ok(all)
}

/// What carrying outputs along with a journal's lines did.
#[derive(Debug, Default)]
pub struct Carried {
    pub copied: usize,
    /// Kept only by the host that ran them.
    pub elsewhere: usize,
    /// Could not be carried, and why.
    pub failed: Vec<String>,
}

/// Copies the outputs the journal `settings` names into files beside
/// the journal file `to`, where its entries name them; each checked
/// against its entry on the way.
pub fn export(settings: &JournalSettings, to: &std::path::Path) -> io::Result<Carried> {
    let mut carried = Carried::default();
    for finished in finished_in(to)? {
        let seq = finished.started;
        if finished.output.file.is_empty() {
            continue;
        }
        let path = crate::exec::output::resolve(to, &finished.output.file);
        let mut file = match create_private(&path) {
            Ok(file) => io::BufWriter::new(file),
            Err(e) => {
                carried
                    .failed
                    .push(format!("#{seq}: {}: {e}", path.display()));
                continue;
            }
        };
        let mut copy = Copy {
            target: &mut file,
            terminal: false,
            hasher: Context::new(&SHA256),
            bytes: 0,
        };
        let read = copy_output(settings, seq, &finished, &mut copy);
        let sha256 = crate::journal::line::hex(copy.hasher.finish().as_ref());
        let bytes = copy.bytes;
        let written = file.flush().and_then(|()| {
            file.into_inner()
                .map_err(io::IntoInnerError::into_error)?
                .sync_all()
        });
        let outcome = match (read, written) {
            (Err(Missing::Elsewhere), _) => {
                carried.elsewhere += 1;
                let _ = std::fs::remove_file(&path);
                continue;
            }
            (Err(Missing::Failed(e)), _) => Err(e),
            (Ok(()), Err(e)) => Err(e.to_string()),
            (Ok(()), Ok(()))
                if bytes != finished.output.bytes || sha256 != finished.output.sha256 =>
            {
                Err(format!(
                    "{bytes} bytes read, {} recorded, or another SHA-256",
                    finished.output.bytes
                ))
            }
            (Ok(()), Ok(())) => Ok(()),
        };
        match outcome {
            Ok(()) => carried.copied += 1,
            Err(e) => carried.failed.push(format!("#{seq}: {e}")),
        }
    }
    Ok(carried)
}

/// Brings the outputs of the journal file `from` into the journal of
/// `settings`: a database's table (unless it holds them already), or
/// files beside a journal file; each checked against its entry first.
pub fn import(settings: &JournalSettings, from: &std::path::Path) -> io::Result<Carried> {
    let mut carried = Carried::default();
    for finished in finished_in(from)? {
        let seq = finished.started;
        if finished.output.file.is_empty() {
            continue;
        }
        let source = crate::exec::output::resolve(from, &finished.output.file);
        match crate::exec::output::digest(&source) {
            Ok((sha256, bytes))
                if sha256 == finished.output.sha256 && bytes == finished.output.bytes => {}
            Ok((_, bytes)) => {
                let recorded = finished.output.bytes;
                carried.failed.push(format!(
                    "#{seq}: {}: {bytes} bytes, {recorded} recorded, or another SHA-256",
                    source.display()
                ));
                continue;
            }
            Err(e) => {
                carried
                    .failed
                    .push(format!("#{seq}: {}: {e}", source.display()));
                continue;
            }
        }
        let stored = if let Some(db) = &settings.database {
            to_database(db, seq, &source)
        } else {
            let to = crate::exec::output::resolve(&settings.path, &finished.output.file);
            copy_file(&source, &to)
        };
        match stored {
            Ok(()) => carried.copied += 1,
            Err(e) => carried.failed.push(format!("#{seq}: {e}")),
        }
    }
    Ok(carried)
}

/// The file's bytes as the parts of output `seq`, unless the database
/// holds them already (an import that goes on).
fn to_database(
    db: &crate::store::pg::Database,
    seq: u64,
    source: &std::path::Path,
) -> Result<(), String> {
    let held = crate::exec::verify::from_database(db, seq)?;
    if held.parts > 0 {
        return Ok(());
    }
    let mut file = File::open(source).map_err(|e| format!("{}: {e}", source.display()))?;
    let size = usize::try_from(crate::exec::upload::PART).unwrap_or(usize::MAX);
    let mut part = 0u32;
    loop {
        let mut chunk = Vec::with_capacity(size);
        (&mut file)
            .take(crate::exec::upload::PART)
            .read_to_end(&mut chunk)
            .map_err(|e| format!("{}: {e}", source.display()))?;
        if chunk.is_empty() {
            return Ok(());
        }
        db.write_output_part(seq, part, chunk)
            .map_err(|e| e.to_string())?;
        part += 1;
    }
}

/// A copy of `from` at the new file `to`.
fn copy_file(from: &std::path::Path, to: &std::path::Path) -> Result<(), String> {
    if to.exists() {
        return Ok(());
    }
    let mut source = File::open(from).map_err(|e| format!("{}: {e}", from.display()))?;
    let mut target = create_private(to).map_err(|e| format!("{}: {e}", to.display()))?;
    io::copy(&mut source, &mut target)
        .and_then(|_| target.sync_all())
        .map_err(|e| format!("{}: {e}", to.display()))
}

struct Copy<'a> {
    target: &'a mut dyn Write,
    terminal: bool,
    hasher: Context,
    bytes: u64,
}

impl Copy<'_> {
    fn take(&mut self, chunk: &[u8]) -> io::Result<()> {
        self.hasher.update(chunk);
        self.bytes += chunk.len() as u64;
        if self.terminal {
            let text = String::from_utf8_lossy(chunk);
            self.target
                .write_all(crate::text::inert_lines(&text).as_bytes())
        } else {
            self.target.write_all(chunk)
        }
    }
}

enum Missing {
    /// Kept only by the host that ran it.
    Elsewhere,
    Failed(String),
}

/// The output from where it is kept: the database when it holds it, else
/// the file (beside the journal, or this host's for a database journal).
fn copy_output(
    settings: &JournalSettings,
    seq: u64,
    finished: &Finished,
    copy: &mut Copy<'_>,
) -> Result<(), Missing> {
    if let Some(db) = &settings.database {
        let parts = db
            .read_output(seq, |chunk| copy.take(chunk))
            .map_err(|e| Missing::Failed(e.to_string()))?;
        if parts > 0 || finished.output.parts.is_some() {
            return Ok(());
        }
        let host = crate::store::whoami::detect(|n| std::env::var(n).ok()).host;
        if host != finished.host {
            return Err(Missing::Elsewhere);
        }
    }
    let path = crate::exec::output::resolve(&settings.path, &finished.output.file);
    let mut file =
        File::open(&path).map_err(|e| Missing::Failed(format!("{}: {e}", path.display())))?;
    let mut buf = vec![0; 256 * 1024];
    loop {
        let n = file
            .read(&mut buf)
            .map_err(|e| Missing::Failed(format!("{}: {e}", path.display())))?;
        if n == 0 {
            return Ok(());
        }
        copy.take(&buf[..n])
            .map_err(|e| Missing::Failed(e.to_string()))?;
    }
}
