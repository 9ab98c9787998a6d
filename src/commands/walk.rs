//! `runbook run` and `runbook resume`: open a session on the journal and
//! walk it in line mode. (The full-screen console will drive the same
//! session.)

use std::io::{self, IsTerminal, Write};

use chrono::Utc;

use super::plain::{Walk, WalkError};
use super::{Context, JournalSettings, exit};
use crate::cli::{AppendArgs, ResumeArgs, RunArgs};
use crate::journal::Record;
use crate::run::Event;
use crate::session::{Session, SessionError};

/// A journal that fails is fatal: the operator is told, and nothing more is
/// shown as done.
pub const JOURNAL_FAILED: u8 = 1;

fn console_notice(plain: bool) {
    if !plain {
        let why = if io::stdout().is_terminal() {
            "the full-screen console is not built yet"
        } else {
            "standard output is not a terminal"
        };
        eprintln!("runbook: {why}; walking in line mode (--plain)");
    }
}

fn walk(session: &mut Session<'_>, context: &Context, out: &mut dyn Write) -> io::Result<u8> {
    let stdin = io::stdin();
    let mut input = stdin.lock();
    let result = Walk::new(session, &context.lang).run(&mut input, out);
    match result {
        Ok(_) => Ok(exit::OK),
        Err(WalkError::Output(e)) => Err(e),
        Err(WalkError::Session(e)) => Ok(report_failure(&e)),
    }
}

fn report_failure(error: &SessionError) -> u8 {
    eprintln!("runbook: {error}");
    match error {
        SessionError::Journal(_) => JOURNAL_FAILED,
        _ => exit::USAGE,
    }
}

pub fn start(context: &Context, args: &RunArgs, out: &mut dyn Write) -> io::Result<u8> {
    console_notice(args.plain);
    let writer = match context.journal.open() {
        Ok(writer) => writer,
        Err(e) => return Ok(report_failure(&SessionError::Journal(e))),
    };
    let catalog = &context.loaded.catalog;
    match Session::start(
        catalog,
        writer,
        &args.procedure,
        args.severity.as_deref(),
        Utc::now(),
    ) {
        Ok(mut session) => walk(&mut session, context, out),
        Err(e) => Ok(report_failure(&e)),
    }
}

pub fn resume(context: &Context, args: &ResumeArgs, out: &mut dyn Write) -> io::Result<u8> {
    console_notice(args.plain);
    let writer = match context.journal.open() {
        Ok(writer) => writer,
        Err(e) => return Ok(report_failure(&SessionError::Journal(e))),
    };
    let catalog = &context.loaded.catalog;
    match Session::resume(catalog, writer, args.run.as_deref(), Utc::now()) {
        Ok(mut session) => walk(&mut session, context, out),
        Err(e) => Ok(report_failure(&e)),
    }
}

/// The crash harness's writer: appends notes one at a time and prints each
/// head only once it is durable, so a test that kills this process knows
/// exactly which entries were promised.
pub fn append(
    settings: &JournalSettings,
    args: &AppendArgs,
    out: &mut dyn Write,
) -> io::Result<u8> {
    let mut writer = match settings.open() {
        Ok(writer) => writer,
        Err(e) => return Ok(report_failure(&SessionError::Journal(e))),
    };
    for n in 0..args.count {
        let record = Record {
            run: args.run.clone(),
            event: Event::NoteAdded {
                step: None,
                text: format!("note {n} from pid {}", std::process::id()),
            },
        };
        match writer.append(&[record], Utc::now()) {
            Ok(appended) => {
                for a in appended {
                    writeln!(out, "durable {} {}", a.seq, a.hash)?;
                }
                out.flush()?;
            }
            Err(e) => return Ok(report_failure(&SessionError::Journal(e))),
        }
    }
    Ok(exit::OK)
}
