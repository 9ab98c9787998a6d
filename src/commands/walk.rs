//! `runbook run` and `runbook resume`: open a session on the journal and
//! walk it in line mode. (The full-screen console will drive the same
//! session.)

use std::io::{self, Write};

use chrono::Utc;

use super::plain::{Walk, WalkError};
use super::{Context, JournalSettings, console, exit};
use crate::cli::{AppendArgs, ResumeArgs, RunArgs};
use crate::journal::Record;
use crate::live_run::{LiveRun, LiveRunError};
use crate::run::Event;
use crate::tui::app::Start;

/// Whether to walk in line mode: asked for, or the terminal cannot do
/// better. `None` when the console can run.
fn line_mode(plain: bool, words: &crate::text::Words) -> Option<Result<(), u8>> {
    if plain {
        return Some(Ok(()));
    }
    match console::fit() {
        console::Fit::Console => None,
        console::Fit::Dumb => {
            crate::say!("{}", words.commands.dumb_line_mode);
            Some(Ok(()))
        }
        console::Fit::NotATerminal => {
            crate::say!("{}", words.commands.not_a_terminal);
            Some(Err(exit::USAGE))
        }
    }
}

fn walk(session: &mut LiveRun<'_>, context: &Context, out: &mut dyn Write) -> io::Result<u8> {
    let words = context.words();
    let mut input = super::plain::input::Input::stdin(&session.journal());
    let result = Walk::new(session, context.lang())
        .with_exec(context.exec_policy())
        .run(&mut input, out);
    match result {
        Ok(_) => Ok(exit::OK),
        Err(WalkError::Output(e)) => Err(e),
        Err(WalkError::LiveRun(e)) => Ok(report_failure(&e, words)),
    }
}

pub(super) fn report_failure(error: &LiveRunError, words: &crate::text::Words) -> u8 {
    crate::say!("runbook: {}", error.text(words));
    match error {
        LiveRunError::Journal(_) => exit::JOURNAL_FAILED,
        _ => exit::USAGE,
    }
}

pub fn start(context: &Context, args: &RunArgs, out: &mut dyn Write) -> io::Result<u8> {
    match line_mode(args.plain, context.words()) {
        None => {
            let start = Start::New {
                procedure: args.procedure.clone(),
                severity: args.severity.clone(),
            };
            return console::open(context, start);
        }
        Some(Err(code)) => return Ok(code),
        Some(Ok(())) => {}
    }
    walk_opened(context, out, |catalog, writer| {
        LiveRun::start(
            catalog,
            writer,
            &args.procedure,
            args.severity.as_deref(),
            Utc::now(),
        )
    })
}

pub fn resume(context: &Context, args: &ResumeArgs, out: &mut dyn Write) -> io::Result<u8> {
    match line_mode(args.plain, context.words()) {
        None => return console::open(context, Start::Resume(args.run.clone())),
        Some(Err(code)) => return Ok(code),
        Some(Ok(())) => {}
    }
    walk_opened(context, out, |catalog, writer| {
        LiveRun::resume(catalog, writer, args.run.as_deref(), Utc::now())
    })
}

/// Opens the journal, opens the session with `open`, and walks it in line
/// mode with the operator's configured roles.
fn walk_opened<'c>(
    context: &'c Context,
    out: &mut dyn Write,
    open: impl FnOnce(
        &'c crate::catalog::Catalog,
        crate::store::Writer,
    ) -> Result<LiveRun<'c>, LiveRunError>,
) -> io::Result<u8> {
    let writer = match context.journal.open() {
        Ok(writer) => writer,
        Err(e) => return Ok(report_failure(&LiveRunError::Journal(e), context.words())),
    };
    match open(&context.loaded.catalog, writer) {
        Ok(mut session) => {
            // Sends what the walk journals, while it lasts; what is left
            // when it ends goes with the next process or the watch.
            let notifier = super::notify::front_service(context);
            session.extra_roles = context.configured_roles();
            let code = walk(&mut session, context, out);
            // A page for a run started and left at once goes out now.
            super::notify::settle_front(context, notifier, session.state.last_seq);
            code
        }
        Err(e) => Ok(report_failure(&e, context.words())),
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
        Err(e) => {
            return Ok(report_failure(
                &LiveRunError::Journal(e),
                &crate::text::words::EN,
            ));
        }
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
            Err(e) => {
                return Ok(report_failure(
                    &LiveRunError::Journal(e),
                    &crate::text::words::EN,
                ));
            }
        }
    }
    Ok(exit::OK)
}
