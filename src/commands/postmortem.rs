//! `runbook postmortem RUN`: the post-mortem draft of a run, in Markdown
//! or JSON; with `--done`, the record that its post-mortem is written, so
//! it is owed no more.

use std::io::{self, Write};

use chrono::Utc;

use super::{Context, exit};
use crate::cli::{PostmortemArgs, ReportFormat};
use crate::journal::Record;
use crate::run::Event;

pub fn run(context: &Context, args: &PostmortemArgs, out: &mut dyn Write) -> io::Result<u8> {
    if args.done {
        return settle(context, args, out);
    }
    let now = args.at.unwrap_or_else(Utc::now);
    let markdown = matches!(args.format, ReportFormat::Md);
    let told = match super::runs::tell(context, &args.run, now, markdown) {
        Ok(told) => told,
        Err(code) => return Ok(code),
    };
    let catalog = &context.loaded.catalog;
    let draft = crate::learn::draft::draft(&told.run, told.timeline, catalog, &told.ledger, now);
    let words = context.words();
    super::write_document(
        out,
        args.out.as_deref(),
        &args.format,
        &draft,
        || crate::learn::draft::markdown(&draft, words),
        words,
    )
}

/// Records the post-mortem as written: the run must exist, be closed and
/// not have one recorded already.
fn settle(context: &Context, args: &PostmortemArgs, out: &mut dyn Write) -> io::Result<u8> {
    let words = context.words();
    let w = words.learn;
    let sha256 = match &args.document {
        Some(path) => match std::fs::read(path) {
            Ok(bytes) => Some(crate::journal::line::sha256_hex(&bytes)),
            Err(e) => {
                let shown = path.display().to_string();
                crate::say!(
                    "runbook: {}",
                    (w.unreadable_document)(&shown, &e.to_string())
                );
                return Ok(exit::USAGE);
            }
        },
        None => None,
    };
    let Some(history) = super::history(context, true) else {
        return Ok(exit::JOURNAL_FAILED);
    };
    if history.open.iter().any(|r| r.id == args.run) {
        crate::say!("runbook: {}", (w.not_closed)(&args.run));
        return Ok(exit::USAGE);
    }
    if !history.closed.iter().any(|r| r.id == args.run) {
        crate::say!("runbook: {}", (w.no_run)(&args.run));
        return Ok(exit::USAGE);
    }
    if let Some(written) = history.ledger.postmortems.get(&args.run) {
        let at = crate::text::words::run::moment(written.at, context.lang());
        crate::say!("runbook: {}", (w.already_settled)(&args.run, &at));
        return Ok(exit::USAGE);
    }
    let record = Record {
        run: None,
        event: Event::PostmortemDone {
            run: args.run.clone(),
            link: args.link.clone(),
            sha256,
        },
    };
    match super::followup::append(context, record) {
        Ok(seq) => {
            writeln!(out, "{}", (w.settled)(&args.run, seq))?;
            Ok(exit::OK)
        }
        Err(code) => Ok(code),
    }
}
