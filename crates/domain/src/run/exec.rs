//! Decisions about a step's command: whether it may be asked for,
//! approved, started; and how its end is recorded. The same rules as
//! doing the step by hand (its gate, its role, its confirmation), plus a
//! two-person step's approval before the command runs, not after.

use super::command::{Outcome, Output};
use super::event::Event;
use super::rejection::Rejection;
use super::rules::{Context, already, may_act, second_person};
use super::state::RunState;
use crate::catalog::Step;

/// What the shell says of a command about to start.
#[derive(Debug, Clone, Copy)]
pub struct Start<'a> {
    pub command: &'a str,
    pub host: &'a str,
    pub cwd: &'a str,
    pub confirmed: bool,
}

fn runnable<'s>(
    state: &RunState,
    step: &'s Step,
) -> Result<&'s crate::catalog::exec::Runnable, Rejection> {
    let run = step
        .run
        .as_ref()
        .ok_or_else(|| Rejection::NotRunnable(step.id.clone()))?;
    if !state.status(&step.id).is_open() {
        return Err(already(state, step));
    }
    Ok(run)
}

pub fn request(
    state: &RunState,
    ctx: &Context<'_>,
    step: &Step,
    command: &str,
) -> Result<Vec<Event>, Rejection> {
    runnable(state, step)?;
    may_act(state, ctx, step)?;
    Ok(vec![Event::CommandRequested {
        step: step.id.clone(),
        command: command.to_owned(),
    }])
}

pub fn approve(state: &RunState, ctx: &Context<'_>, step: &Step) -> Result<Vec<Event>, Rejection> {
    runnable(state, step)?;
    match state.requests.get(&step.id) {
        Some(request) if request.approved_by.is_none() => {
            second_person(ctx, &step.id, &request.by, &request.proof)?;
            Ok(vec![Event::CommandApproved {
                step: step.id.clone(),
                command: request.command.clone(),
            }])
        }
        _ => Err(Rejection::NothingToApprove(step.id.clone())),
    }
}

pub fn start(
    state: &RunState,
    ctx: &Context<'_>,
    step: &Step,
    start: Start<'_>,
) -> Result<Vec<Event>, Rejection> {
    let run = runnable(state, step)?;
    may_act(state, ctx, step)?;
    if step.confirm && !start.confirmed {
        return Err(Rejection::ConfirmationRequired {
            step: step.id.clone(),
            command: Some(start.command.to_owned()),
        });
    }
    if step.two_person {
        let approved = state
            .requests
            .get(&step.id)
            .filter(|r| r.approved_by.is_some())
            .ok_or_else(|| Rejection::ApprovalRequired(step.id.clone()))?;
        // The approval covers the line as shown, variables in place: one
        // resolved otherwise since is another command. A secret's value is
        // masked in both and never compared: it never reaches the journal.
        if approved.command != start.command {
            return Err(Rejection::NotApproved {
                step: step.id.clone(),
                approved: approved.command.clone(),
                started: start.command.to_owned(),
            });
        }
    }
    Ok(vec![Event::CommandStarted {
        step: step.id.clone(),
        command: start.command.to_owned(),
        host: start.host.to_owned(),
        cwd: start.cwd.to_owned(),
        timeout_secs: run.timeout.as_secs(),
    }])
}

pub fn finish(
    state: &RunState,
    step: &str,
    started: u64,
    outcome: &Outcome,
    duration_ms: u64,
    output: &Output,
) -> Result<Vec<Event>, Rejection> {
    if state
        .commands
        .iter()
        .any(|r| r.seq == started && r.finished.is_some())
    {
        return Err(Rejection::AlreadyFinished(started));
    }
    Ok(vec![Event::CommandFinished {
        step: step.to_owned(),
        started,
        outcome: outcome.clone(),
        duration_ms,
        output: output.clone(),
    }])
}
