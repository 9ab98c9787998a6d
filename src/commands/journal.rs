//! `runbook journal init|export|import`: a database journal created, and a
//! journal moved between a file and a database line for line, so every
//! hash (and every head recorded elsewhere) stays what it was.

use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Write};
use std::ops::ControlFlow;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use super::JournalSettings;
use crate::cli::{JournalCommand, JournalFileArgs, JournalInitArgs};
use crate::exit::{DAMAGED, JOURNAL_FAILED, OK, USAGE};
use crate::journal::chain::{Head, Sealed};
use crate::journal::verify::verify;
use crate::store::file::head_of;
use crate::text::Words;

/// Lines appended per transaction by an import.
const IMPORT_BATCH: usize = 1_000;

pub fn run(
    settings: &JournalSettings,
    command: &JournalCommand,
    words: &'static Words,
    out: &mut dyn Write,
) -> io::Result<u8> {
    match command {
        JournalCommand::Init(args) => init(settings, args, words, out),
        JournalCommand::Export(args) => export(settings, args, words, out),
        JournalCommand::Import(args) => import(settings, args, words, out),
        JournalCommand::Output(args) => super::output::run(settings, args, words, out),
    }
}

fn init(
    settings: &JournalSettings,
    args: &JournalInitArgs,
    words: &Words,
    out: &mut dyn Write,
) -> io::Result<u8> {
    let w = words.commands;
    let Some(db) = &settings.database else {
        crate::say!("runbook: {}", w.j_not_database);
        return Ok(USAGE);
    };
    if let Err(e) = crate::store::pg::init(db.target(), args.grant.as_deref()) {
        crate::say!("runbook: {}", e.text(words));
        return Ok(JOURNAL_FAILED);
    }
    writeln!(out, "{}", (w.j_init_done)(db.shown()))?;
    if let Some(role) = &args.grant {
        writeln!(out, "{}", (w.j_init_granted)(role))?;
    }
    Ok(OK)
}

fn export(
    settings: &JournalSettings,
    args: &JournalFileArgs,
    words: &Words,
    out: &mut dyn Write,
) -> io::Result<u8> {
    let w = words.commands;
    let target = &args.file;
    let shown = target.display().to_string();
    let journal = settings.journal();
    let mut lines = match journal.lines() {
        Ok(lines) => lines,
        Err(e) => {
            crate::say!(
                "runbook: {}",
                (w.cannot_open)(&journal.shown(), &e.to_string())
            );
            return Ok(JOURNAL_FAILED);
        }
    };
    let mut file = match OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(target)
    {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            crate::say!("runbook: {}", (w.j_exists)(&shown));
            return Ok(USAGE);
        }
        Err(e) => {
            crate::say!("runbook: {shown}: {e}");
            return Ok(USAGE);
        }
    };
    let copied = io::copy(&mut lines, &mut file).and_then(|_| file.sync_all());
    if let Err(e) = copied {
        crate::say!(
            "runbook: {}",
            (w.cannot_read)(&journal.shown(), &e.to_string())
        );
        // A partial copy is not a journal anyone should trust.
        let _ = std::fs::remove_file(target);
        return Ok(JOURNAL_FAILED);
    }
    sync_folder(target);
    let report = match File::open(target)
        .and_then(|f| verify(BufReader::new(f), settings.key.as_deref(), None))
    {
        Ok(report) => report,
        Err(e) => {
            crate::say!("runbook: {shown}: {e}");
            return Ok(JOURNAL_FAILED);
        }
    };
    let head = report
        .head
        .as_ref()
        .map_or_else(|| "-".to_owned(), |(seq, hash)| format!("{seq}:{hash}"));
    writeln!(out, "{}", (w.j_exported)(report.lines, &shown, &head))?;
    if !report.errors.is_empty() {
        crate::say!("runbook: {}", (w.j_export_damaged)(&shown));
        return Ok(DAMAGED);
    }
    let carried = super::output::export(settings, target);
    said_carried(carried, &shown, words, out)
}

/// What became of the outputs carried with the lines; a failure to carry
/// one is the command's failure (the lines stay where they went).
fn said_carried(
    carried: io::Result<super::output::Carried>,
    shown: &str,
    words: &Words,
    out: &mut dyn Write,
) -> io::Result<u8> {
    let w = words.commands;
    let carried = match carried {
        Ok(carried) => carried,
        Err(e) => {
            crate::say!("runbook: {}", (w.cannot_read)(shown, &e.to_string()));
            return Ok(JOURNAL_FAILED);
        }
    };
    if carried.copied > 0 {
        writeln!(out, "{}", (w.j_outputs_carried)(carried.copied))?;
    }
    if carried.elsewhere > 0 {
        writeln!(out, "{}", (w.outputs_elsewhere)(carried.elsewhere))?;
    }
    for failed in &carried.failed {
        let failed = crate::text::inert(failed);
        crate::say!("runbook: {}", (w.j_output_not_carried)(&failed));
    }
    Ok(if carried.failed.is_empty() {
        OK
    } else {
        JOURNAL_FAILED
    })
}

fn sync_folder(file: &Path) {
    if let Some(folder) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
        let _ = File::open(folder).and_then(|d| d.sync_all());
    }
}

fn import(
    settings: &JournalSettings,
    args: &JournalFileArgs,
    words: &Words,
    out: &mut dyn Write,
) -> io::Result<u8> {
    let w = words.commands;
    let source = &args.file;
    let shown = source.display().to_string();
    let open = || File::open(source).map(|f| BufReader::with_capacity(1 << 20, f));
    // The whole file is checked before a line of it is appended.
    let report = match open().and_then(|f| verify(f, settings.key.as_deref(), None)) {
        Ok(report) => report,
        Err(e) => {
            crate::say!("runbook: {}", (w.cannot_read)(&shown, &e.to_string()));
            return Ok(USAGE);
        }
    };
    if let Some(first) = report.errors.first() {
        crate::say!(
            "runbook: {}",
            (w.j_import_damaged)(&shown, first.line, &first.what(words))
        );
        return Ok(DAMAGED);
    }
    let mut writer = match settings.open() {
        Ok(writer) => writer,
        Err(e) => {
            crate::say!("runbook: {}", e.text(words));
            return Ok(JOURNAL_FAILED);
        }
    };
    let mut input = match open() {
        Ok(input) => input,
        Err(e) => {
            crate::say!("runbook: {}", (w.cannot_read)(&shown, &e.to_string()));
            return Ok(USAGE);
        }
    };
    // What the journal holds already must be the file's first lines.
    let mut head: Option<Head> = None;
    let mut kept = 0u64;
    let mut diverges = None;
    let mut longer = false;
    let mut line = Vec::new();
    let compared = crate::store::read::scan_lines(
        &writer.journal(),
        crate::store::read::Position::default(),
        |_, held, _| {
            line.clear();
            if input.read_until(b'\n', &mut line).unwrap_or(0) == 0 {
                longer = true;
                return ControlFlow::Break(());
            }
            let theirs = line.strip_suffix(b"\n").and_then(head_of);
            let ours = head_of(held);
            if theirs.is_none() || theirs != ours {
                diverges = Some(kept);
                return ControlFlow::Break(());
            }
            head = ours;
            kept += 1;
            ControlFlow::Continue(())
        },
    );
    if let Err(e) = compared {
        crate::say!("runbook: {}", e.text(words));
        return Ok(JOURNAL_FAILED);
    }
    if let Some(seq) = diverges {
        crate::say!("runbook: {}", (w.j_import_diverges)(seq));
        return Ok(DAMAGED);
    }
    if longer {
        crate::say!("runbook: {}", (w.j_import_longer)(kept));
        return Ok(USAGE);
    }
    let mut added = 0u64;
    loop {
        let batch = match next_batch(&mut input) {
            Ok(batch) => batch,
            Err(e) => {
                crate::say!("runbook: {}", (w.cannot_read)(&shown, &e.to_string()));
                return Ok(JOURNAL_FAILED);
            }
        };
        let Some(last) = batch.last() else { break };
        let next_head = (last.seq, last.hash.clone());
        if let Err(e) = writer.append_sealed(head.as_ref(), &batch) {
            crate::say!("runbook: {}", e.text(words));
            return Ok(JOURNAL_FAILED);
        }
        added += batch.len() as u64;
        head = Some(next_head);
    }
    let head = head.map_or_else(|| "-".to_owned(), |(seq, hash)| format!("{seq}:{hash}"));
    writeln!(out, "{}", (w.j_imported)(added, kept, &head))?;
    let carried = super::output::import(settings, source);
    said_carried(carried, &shown, words, out)
}

/// The next lines of an import, sealed as they were (the file verified).
fn next_batch(input: &mut impl BufRead) -> io::Result<Vec<Sealed>> {
    let mut batch = Vec::with_capacity(IMPORT_BATCH);
    while batch.len() < IMPORT_BATCH {
        let mut line = Vec::new();
        if input.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        let Some((seq, hash)) = line.strip_suffix(b"\n").and_then(head_of) else {
            return Err(io::Error::other("a line changed since it was verified"));
        };
        batch.push(Sealed { seq, hash, line });
    }
    Ok(batch)
}
