//! `runbook exec RUN STEP`: a step's command from a script or a shell,
//! through the same decisions and journal entries as the console's `x`.
//! Its output streams to standard output (inert); the exit status is the
//! command's own.

use std::io::{self, BufRead, IsTerminal, Write};

use chrono::Utc;

use super::{Context, exit};
use crate::cli::ExecArgs;
use crate::exec::journaled::{self, Failure};
use crate::exec::plan::Plan;
use crate::live_run::{LiveRun, LiveRunError};
use crate::run::{Command, Rejection};
use crate::text::Words;

use super::walk::report_failure as fail;

pub fn run(context: &Context, args: &ExecArgs, out: &mut dyn Write) -> io::Result<u8> {
    let words = context.words();
    let policy = context.exec_policy();
    if !args.dry_run
        && !args.approve
        && let Some(refusal) = policy.refusal(words)
    {
        crate::say!("runbook: {refusal}");
        return Ok(exit::USAGE);
    }
    let writer = match context.journal.open() {
        Ok(writer) => writer,
        Err(e) => return Ok(fail(&LiveRunError::Journal(e), words)),
    };
    let mut session = match LiveRun::attach(&context.loaded.catalog, writer, Some(&args.run)) {
        Ok(session) => session,
        Err(e) => return Ok(fail(&e, words)),
    };
    session.extra_roles = context.configured_roles();
    // A request for a second operator is told before this process ends.
    let notifier = super::notify::front_service(context);
    let code = run_attached(context, args, &mut session, out);
    super::notify::settle_front(context, notifier, session.state.last_seq);
    code
}

fn run_attached(
    context: &Context,
    args: &ExecArgs,
    session: &mut LiveRun<'_>,
    out: &mut dyn Write,
) -> io::Result<u8> {
    let words = context.words();
    let policy = context.exec_policy();
    let Some(step) = session.procedure.step(&args.step) else {
        let e = LiveRunError::Rejected(Rejection::UnknownStep(args.step.clone()));
        return Ok(fail(&e, words));
    };
    if args.approve {
        let approve = Command::ApproveRun {
            step: step.id.clone(),
        };
        return Ok(match session.execute(&approve, Utc::now()) {
            Ok(_) => {
                writeln!(out, "{}", (words.exec.approved)(&step.id))?;
                exit::OK
            }
            Err(e) => fail(&e, words),
        });
    }
    let operator = session.operator().to_owned();
    let plan = match policy.plan(session.catalog, &session.state, step, &operator) {
        Ok(plan) => plan,
        Err(e) => {
            crate::say!("runbook: {}", crate::exec::plan_refusal(words, &e));
            return Ok(exit::USAGE);
        }
    };
    if args.dry_run {
        for line in crate::exec::dry_run_lines(words, &plan, session.host()) {
            writeln!(out, "{}", crate::text::inert(&line))?;
        }
        return Ok(exit::OK);
    }
    if step.two_person && !session.state.run_approved(&step.id) {
        return Ok(ask_second(session, &plan, &args.run, words));
    }
    let Some(confirmed) = confirmation(args, &plan, step.confirm, words)? else {
        return Ok(exit::USAGE);
    };
    let recorded = run_and_record(session, &plan, confirmed, words, out)?;
    if recorded.failure_note.is_some() {
        crate::say!("{}", (words.exec.failed_hint)(&args.run, &args.step));
    }
    Ok(recorded.code)
}

/// A two-person step's command waits for a second operator: asked for
/// once, then said who waits.
fn ask_second(session: &mut LiveRun<'_>, plan: &Plan, run: &str, words: &Words) -> u8 {
    if let Some(request) = session.state.requests.get(&plan.step) {
        crate::say!("runbook: {}", (words.exec.waiting_approval)(&request.by));
        return exit::USAGE;
    }
    let request = Command::RequestRun {
        step: plan.step.clone(),
        command: plan.shown.clone(),
    };
    match session.execute(&request, Utc::now()) {
        Ok(_) => {
            crate::say!("runbook: {}", (words.exec.requested)(run, &plan.step));
            exit::USAGE
        }
        Err(e) => fail(&e, words),
    }
}

/// Whether the operator confirmed: a step that cannot be undone needs its
/// id typed (by `--confirm`, or at the terminal); an ordinary one `--yes`
/// or `yes` at the terminal. `None`: not confirmed, said why.
fn confirmation(
    args: &ExecArgs,
    plan: &Plan,
    irreversible: bool,
    words: &Words,
) -> io::Result<Option<bool>> {
    let w = words.exec;
    if irreversible {
        if args.confirm.as_deref() == Some(plan.step.as_str()) {
            return Ok(Some(true));
        }
        if args.confirm.is_none() && io::stdin().is_terminal() {
            let line = crate::text::inert(&(w.would_run)(&plan.shown)).into_owned();
            let typed = ask(&line, &(w.ask_typed)(&plan.step))?;
            if typed == plan.step {
                return Ok(Some(true));
            }
            crate::say!("{}", w.cancelled);
            return Ok(None);
        }
        crate::say!("runbook: {}", (w.needs_typed)(&plan.step));
        return Ok(None);
    }
    if args.yes || args.confirm.as_deref() == Some(plan.step.as_str()) {
        return Ok(Some(false));
    }
    if io::stdin().is_terminal() {
        let line = crate::text::inert(&(w.would_run)(&plan.shown)).into_owned();
        if ask(&line, w.type_yes)? == "yes" {
            return Ok(Some(false));
        }
        crate::say!("{}", w.cancelled);
        return Ok(None);
    }
    let shown = crate::text::inert(&plan.shown).into_owned();
    crate::say!("runbook: {}", (w.needs_yes)(&shown));
    Ok(None)
}

/// Asks on standard error, reads one line from standard input.
fn ask(shown: &str, question: &str) -> io::Result<String> {
    let mut err = io::stderr().lock();
    write!(err, "{shown}\n{question}")?;
    err.flush()?;
    let mut line = String::new();
    io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim().to_owned())
}

/// What running a command left: the status for a script, and for a
/// failure the note that would record it.
#[derive(Debug)]
pub struct Recorded {
    pub code: u8,
    pub failure_note: Option<String>,
}

fn code(code: u8) -> Recorded {
    Recorded {
        code,
        failure_note: None,
    }
}

/// Records the start, runs the command with its output to `out`, records
/// its end; says each on standard error.
pub fn run_and_record(
    session: &mut LiveRun<'_>,
    plan: &Plan,
    confirmed: bool,
    words: &Words,
    out: &mut dyn Write,
) -> io::Result<Recorded> {
    let w = words.exec;
    let (tx, rx) = tokio::sync::mpsc::channel::<Vec<u8>>(16);
    let tee = Box::new(move |bytes: Vec<u8>| {
        // Nobody reading any more (standard output is gone): the output
        // file still gets it all.
        let _ = tx.blocking_send(bytes);
    });
    let begun = match journaled::begin(session, plan, confirmed, tee) {
        Ok(begun) => begun,
        Err(Failure::LiveRun(e)) => return Ok(code(fail(&e, words))),
        Err(Failure::Spawn(e)) => {
            crate::say!("runbook: {}", (w.not_started)(&e.to_string()));
            return Ok(code(127));
        }
    };
    crate::say!(
        "{}",
        crate::text::inert(&(w.started)(begun.seq, &plan.shown))
    );
    let running = stream(begun.running, rx, out)?;
    let done = match running.wait() {
        Ok(done) => done,
        Err(e) => {
            // The command's end is unknown: the journal says "started",
            // never finished, which a resume shows as such.
            crate::say!("runbook: {e}");
            return Ok(code(exit::JOURNAL_FAILED));
        }
    };
    if let Some(fault) = &done.fault {
        crate::say!("runbook: {}", (w.output_fault)(&fault.to_string()));
    }
    if let Some(why) = &done.unstored {
        let file = begun.output_file.display().to_string();
        crate::say!("runbook: {}", (w.output_not_stored)(why, &file));
    }
    let note = (w.success_note)(&plan.shown);
    let ended = match journaled::end(session, plan, begun.seq, done, confirmed, &note) {
        Ok(ended) => ended,
        Err(e) => return Ok(code(fail(&e, words))),
    };
    let outcome = crate::text::words::exec::outcome(words, &ended.done.outcome);
    let took = crate::catalog::duration::human_ms(ended.done.duration_ms);
    crate::say!(
        "{}",
        (w.finished)(&outcome, &took, &begun.output_file.display().to_string())
    );
    let mut failure_note = None;
    if ended.ticked {
        crate::say!("{}", (w.ticked)(&plan.step));
    } else if !ended.done.outcome.success() {
        failure_note = Some((w.failure_note)(
            &outcome,
            ended.done.output.tail.trim_end(),
        ));
    }
    Ok(Recorded {
        code: crate::exec::exit_code(&ended.done.outcome),
        failure_note,
    })
}

/// Copies the output to `out` as it comes, until the command is done.
/// Ctrl-C and SIGTERM interrupt the command (its group is signalled,
/// escalating); a hang-up does not: the command goes on and its end is
/// recorded.
fn stream(
    running: crate::exec::process::Running,
    mut rx: tokio::sync::mpsc::Receiver<Vec<u8>>,
    out: &mut dyn Write,
) -> io::Result<crate::exec::process::Running> {
    use tokio::signal::unix::{SignalKind, signal};
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let mut interrupt = signal(SignalKind::interrupt())?;
        let mut terminate = signal(SignalKind::terminate())?;
        let mut hangup = signal(SignalKind::hangup())?;
        let mut out_gone = false;
        loop {
            tokio::select! {
                chunk = rx.recv() => match chunk {
                    Some(chunk) if !out_gone => {
                        let written = out.write_all(&chunk).and_then(|()| out.flush());
                        if let Err(e) = written {
                            tracing::warn!("standard output is gone ({e}): the command goes on, its output into its file");
                            out_gone = true;
                        }
                    }
                    Some(_) => {}
                    None => break,
                },
                _ = interrupt.recv() => running.interrupt(),
                _ = terminate.recv() => running.interrupt(),
                _ = hangup.recv() => {
                    out_gone = true;
                    tracing::warn!("hang-up: the command goes on; its end will be recorded");
                }
            }
        }
        Ok::<_, io::Error>(())
    })?;
    Ok(running)
}
