//! `runbook exec RUN STEP`: a step's command from a script or a shell,
//! through the same decisions and journal entries as the console's `x`.
//! Its output streams to standard output (inert); the exit status is the
//! command's own.

use std::io::{self, BufRead, IsTerminal, Write};

use chrono::Utc;

use super::{Context, exit};
use crate::cli::ExecArgs;
use crate::exec::flow::{self, Next, Ran, Told};
use crate::exec::plan::Plan;
use crate::live_run::{LiveRun, LiveRunError};
use crate::run::Rejection;
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
    if args.approve {
        return approve(session, &args.step, words, out);
    }
    if args.dry_run {
        return Ok(match flow::dry_run(&policy, session, &args.step, words) {
            Ok((_, lines)) => {
                for line in lines {
                    writeln!(out, "{}", crate::text::inert(&line))?;
                }
                exit::OK
            }
            Err(refused) => said(&refused),
        });
    }
    let (plan, typed) = match flow::next(&policy, session, &args.step, words) {
        Err(refused) => return Ok(said(&refused)),
        Ok(Next::Confirm { plan, typed }) => (plan, typed),
        Ok(Next::Request(request)) => {
            return Ok(match session.execute(&request, Utc::now()) {
                Ok(_) => {
                    crate::say!("runbook: {}", (words.exec.requested)(&args.run, &args.step));
                    exit::USAGE
                }
                Err(e) => fail(&e, words),
            });
        }
        Ok(Next::Waiting { by }) => {
            crate::say!("runbook: {}", (words.exec.waiting_approval)(&by));
            return Ok(exit::USAGE);
        }
        Ok(Next::Approve {
            asked_by, shown, ..
        }) => {
            // An approval is given deliberately, by its own flag.
            let asked = (words.exec.needs_approve)(&asked_by, &shown, &args.run, &args.step);
            crate::say!("runbook: {}", crate::text::inert(&asked));
            return Ok(exit::USAGE);
        }
    };
    let Some(confirmed) = confirmation(args, &plan, typed, words)? else {
        return Ok(exit::USAGE);
    };
    let mut say = |line: String| crate::say!("{line}");
    Ok(
        match flow::run_and_record(session, &plan, confirmed, words, out, &mut say) {
            Ran::Refused(e) => fail(&e, words),
            Ran::NotStarted(why) => {
                crate::say!("runbook: {why}");
                127
            }
            Ran::Unrecorded(why) => {
                crate::say!("runbook: {why}");
                exit::JOURNAL_FAILED
            }
            Ran::Ended { told, code } => {
                match told {
                    Told::Ticked(said) | Told::Finished(said) => crate::say!("{said}"),
                    Told::Failed { said, .. } => {
                        crate::say!("{said}");
                        crate::say!("{}", (words.exec.failed_hint)(&args.run, &args.step));
                    }
                }
                code
            }
        },
    )
}

/// `--approve`: the second operator's approval, recorded if the rules
/// allow it.
fn approve(
    session: &mut LiveRun<'_>,
    step: &str,
    words: &Words,
    out: &mut dyn Write,
) -> io::Result<u8> {
    if session.procedure.step(step).is_none() {
        let e = LiveRunError::Rejected(Rejection::UnknownStep(step.to_owned()));
        return Ok(fail(&e, words));
    }
    Ok(match session.execute(&flow::approve(step), Utc::now()) {
        Ok(_) => {
            writeln!(out, "{}", (words.exec.approved)(step))?;
            exit::OK
        }
        Err(e) => fail(&e, words),
    })
}

fn said(refused: &flow::Refused) -> u8 {
    crate::say!("runbook: {}", refused.0);
    exit::USAGE
}

/// Whether the operator confirmed: a step that cannot be undone needs its
/// id typed (by `--confirm`, or at the terminal); an ordinary one `--yes`
/// or a yes at the terminal. `None`: not confirmed, said why.
fn confirmation(
    args: &ExecArgs,
    plan: &Plan,
    typed: bool,
    words: &Words,
) -> io::Result<Option<bool>> {
    let w = words.exec;
    let by_flag = if typed {
        args.confirm.as_deref() == Some(plan.step.as_str())
    } else {
        args.yes || args.confirm.as_deref() == Some(plan.step.as_str())
    };
    if by_flag {
        return Ok(Some(typed));
    }
    let at_terminal = io::stdin().is_terminal() && (!typed || args.confirm.is_none());
    if !at_terminal {
        let refusal = if typed {
            (w.needs_typed)(&plan.step)
        } else {
            (w.needs_yes)(&crate::text::inert(&plan.shown))
        };
        crate::say!("runbook: {refusal}");
        return Ok(None);
    }
    let line = crate::text::inert(&(w.would_run)(&plan.shown)).into_owned();
    let question = if typed {
        (w.ask_typed)(&plan.step)
    } else {
        w.type_yes.to_owned()
    };
    if flow::confirms(&ask(&line, &question)?, plan, typed) {
        return Ok(Some(typed));
    }
    crate::say!("{}", w.cancelled);
    Ok(None)
}

/// Asks on standard error, reads one line from standard input.
fn ask(shown: &str, question: &str) -> io::Result<String> {
    let mut err = io::stderr().lock();
    write!(err, "{shown}\n{question}")?;
    err.flush()?;
    let mut line = String::new();
    io::stdin().lock().read_line(&mut line)?;
    Ok(line)
}
