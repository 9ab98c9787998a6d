//! One flow for running a step's command, whatever the front end (the
//! console's `x`, line mode's `exec`, `runbook exec`): what pressing
//! "run" leads to (a refusal, a request for a second operator, an
//! approval, a wait, a confirmation), which answers confirm, and how the
//! end is told. The front ends only ask and show; each asks in its own way
//! (a key, a typed line, a flag) and shows in its own place.

use std::io::Write;

use super::journaled::{self, Ended, Failure};
use super::plan::Plan;
use super::{Policy, dry_run_lines, plan_refusal};
use crate::live_run::{LiveRun, LiveRunError};
use crate::run::{Command, Rejection};
use crate::text::Words;

/// What pressing "run" on a step leads to.
#[derive(Debug)]
pub enum Next {
    /// A two-person step not asked for yet: record the request.
    Request(Command),
    /// Someone else asked for it: the operator pressing "run" is the
    /// second, and approves once they said so.
    Approve {
        command: Command,
        asked_by: String,
        shown: String,
    },
    /// Asked by this operator: a second one must approve first.
    Waiting { by: String },
    /// Ready to run once confirmed: by the step's id typed when it cannot
    /// be undone (`typed`), else by a yes.
    Confirm { plan: Plan, typed: bool },
}

/// Why the command cannot go ahead, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused(pub String);

/// The plan for `step` in the open run, or why there is none.
pub fn plan(
    policy: &Policy,
    session: &LiveRun<'_>,
    step: &str,
    words: &Words,
) -> Result<Plan, Refused> {
    planned(policy, session, step, words).map(|(_, plan)| plan)
}

/// The step of the procedure and its plan.
fn planned<'c>(
    policy: &Policy,
    session: &LiveRun<'c>,
    step: &str,
    words: &Words,
) -> Result<(&'c crate::catalog::Step, Plan), Refused> {
    let Some(found) = session.procedure.step(step) else {
        let rejection = Rejection::UnknownStep(step.to_owned());
        return Err(Refused(rejection.text(words)));
    };
    policy
        .plan(session.catalog, &session.state, found, session.operator())
        .map(|plan| (found, plan))
        .map_err(|e| Refused(plan_refusal(words, &e)))
}

/// What "run" on `step` leads to now.
pub fn next(
    policy: &Policy,
    session: &LiveRun<'_>,
    step: &str,
    words: &Words,
) -> Result<Next, Refused> {
    if let Some(refusal) = policy.refusal(words) {
        return Err(Refused(refusal));
    }
    let (found, plan) = planned(policy, session, step, words)?;
    if !found.two_person || session.state.run_approved(step) {
        return Ok(Next::Confirm {
            plan,
            typed: found.confirm,
        });
    }
    Ok(match session.state.requests.get(step) {
        None => Next::Request(Command::RequestRun {
            step: step.to_owned(),
            command: plan.shown,
        }),
        Some(request) if request.by == session.operator() => Next::Waiting {
            by: request.by.clone(),
        },
        Some(request) => Next::Approve {
            command: approve(step),
            asked_by: request.by.clone(),
            shown: request.command.clone(),
        },
    })
}

/// The approval of `step`'s command asked for by someone else; whether
/// the one giving it may is the decision's, when it is recorded.
pub fn approve(step: &str) -> Command {
    Command::ApproveRun {
        step: step.to_owned(),
    }
}

/// The dry run for `step`: the plan, and in lines what would run, where,
/// with what.
pub fn dry_run(
    policy: &Policy,
    session: &LiveRun<'_>,
    step: &str,
    words: &Words,
) -> Result<(Plan, Vec<String>), Refused> {
    let plan = plan(policy, session, step, words)?;
    let lines = dry_run_lines(words, &plan, session.host());
    Ok((plan, lines))
}

/// Whether `answer` confirms running `plan`: the step's id for one that
/// cannot be undone (a yes is not enough), else a yes.
pub fn confirms(answer: &str, plan: &Plan, typed: bool) -> bool {
    if typed {
        names(answer, &plan.step)
    } else {
        crate::text::is_yes(answer)
    }
}

/// Whether `answer` is the step's id, as a step that cannot be undone
/// wants it typed.
pub fn names(answer: &str, step: &str) -> bool {
    answer.trim() == step
}

/// How a command's end is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Told {
    /// It succeeded and the catalog says that is enough: the step is done.
    Ticked(String),
    /// It succeeded.
    Finished(String),
    /// It failed: said, and the note that would record the step failed.
    Failed { said: String, note: String },
}

pub fn told(words: &Words, plan: &Plan, ended: &Ended) -> Told {
    let w = words.exec;
    let outcome = crate::run::said::outcome(words, &ended.done.outcome);
    if ended.ticked {
        return Told::Ticked((w.ticked)(&plan.step));
    }
    if ended.done.outcome.success() {
        let took = crate::catalog::duration::human_ms(ended.done.duration_ms);
        return Told::Finished((w.finished)(&outcome, &took, &ended.done.output.file));
    }
    let tail = ended.done.output.tail.trim_end();
    Told::Failed {
        note: (w.failure_note)(&outcome, tail),
        said: outcome,
    }
}

/// What running a command left, for a front end that waits for it.
#[derive(Debug)]
pub enum Ran {
    /// Refused or not recorded: nothing ran.
    Refused(LiveRunError),
    /// The program could not start (its end is recorded): why.
    NotStarted(String),
    /// The journal failed while it ran: its end is not recorded.
    Unrecorded(String),
    /// It ran and its end is recorded.
    Ended { told: Told, code: u8 },
}

/// Records the start, runs the command with its output copied to `out`
/// as it comes, and records its end: the whole flow for a front end that
/// waits (line mode, `runbook exec`). `say` hears each step in words.
pub fn run_and_record(
    session: &mut LiveRun<'_>,
    plan: &Plan,
    confirmed: bool,
    words: &Words,
    out: &mut dyn Write,
    say: &mut dyn FnMut(String),
) -> Ran {
    let w = words.exec;
    let (tx, rx) = tokio::sync::mpsc::channel::<Vec<u8>>(16);
    let tee = Box::new(move |bytes: Vec<u8>| {
        // Nobody reading any more (the writer is gone): the output file
        // still gets it all.
        let _ = tx.blocking_send(bytes);
    });
    let begun = match journaled::begin(session, plan, confirmed, tee) {
        Ok(begun) => begun,
        Err(Failure::LiveRun(e)) => return Ran::Refused(e),
        Err(Failure::Spawn(e)) => return Ran::NotStarted((w.not_started)(&e.to_string())),
    };
    say(crate::text::inert(&(w.started)(begun.seq, &plan.shown)).into_owned());
    let running = match super::stream::stream(begun.running, rx, out) {
        Ok(running) => running,
        Err(e) => return Ran::Unrecorded(e.to_string()),
    };
    let done = match running.wait() {
        Ok(done) => done,
        // The command's end is unknown: the journal says "started", never
        // finished, which a resume shows as such.
        Err(e) => return Ran::Unrecorded(e.to_string()),
    };
    if let Some(fault) = &done.fault {
        say((w.output_fault)(&fault.to_string()));
    }
    if let Some(why) = &done.unstored {
        let file = begun.output_file.display().to_string();
        say((w.output_not_stored)(why, &file));
    }
    let note = (w.success_note)(&plan.shown);
    match journaled::end(session, plan, begun.seq, done, confirmed, &note) {
        Ok(ended) => Ran::Ended {
            code: super::exit_code(&ended.done.outcome),
            told: told(words, plan, &ended),
        },
        Err(e) => Ran::Refused(e),
    }
}
