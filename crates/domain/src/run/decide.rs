//! Commands, checked against the run's state and the catalog before they
//! become events. A refused command changes nothing and says why.

use super::complete::{complete, trimmed};
use super::event::Event;
use super::rejection::Rejection;
use super::rules::{Context, already, second_person, signs_off};
use super::state::{RunState, StepStatus};
use crate::catalog::{Catalog, Step};

/// What an operator asks for, in the imperative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `confirmed` is the operator's explicit yes for a step marked
    /// `confirm` (a destructive command).
    Complete {
        step: String,
        note: Option<String>,
        confirmed: bool,
        /// Done without the readings its hold asks for: why (recorded).
        override_hold: Option<String>,
    },
    /// The second operator's confirmation of a two-person step.
    Confirm {
        step: String,
    },
    /// Take a step in hand, so teammates see it is being done.
    Claim {
        step: String,
    },
    Skip {
        step: String,
        reason: String,
    },
    Fail {
        step: String,
        note: String,
    },
    Reopen {
        step: String,
        reason: Option<String>,
    },
    Note {
        step: Option<String>,
        text: String,
    },
    ChangeSeverity {
        to: String,
    },
    /// Tell the people outside the terminal where things stand.
    Update(crate::status::Update),
    Detach {
        reason: Option<String>,
    },
    Resume,
    Abort {
        reason: String,
    },
    Finish,
    /// Ask for a two-person step's command to run.
    RequestRun {
        step: String,
        command: String,
    },
    /// The second operator's approval of a requested command.
    ApproveRun {
        step: String,
    },
    /// Record that a step's command is about to start. `confirmed` is the
    /// operator's typed confirmation for a step marked `confirm`.
    StartRun {
        step: String,
        command: String,
        host: String,
        cwd: String,
        confirmed: bool,
    },
    /// Record how a started command ended: taken even when the run was
    /// closed meanwhile, since the command did run.
    FinishRun {
        step: String,
        started: u64,
        outcome: super::command::Outcome,
        duration_ms: u64,
        output: super::command::Output,
    },
}

impl Command {
    /// Tick `step`, with its note, not yet confirmed.
    pub fn tick(step: String, note: Option<String>) -> Command {
        Command::Complete {
            step,
            note,
            confirmed: false,
            override_hold: None,
        }
    }

    /// Tick `step` without the readings its hold asks for, saying why.
    pub fn overriding(step: String, reason: String) -> Command {
        Command::Complete {
            step,
            note: None,
            confirmed: false,
            override_hold: Some(reason),
        }
    }
}

/// The event that starts a run, or why it cannot start.
pub fn start(
    catalog: &Catalog,
    procedure: &str,
    severity: Option<&str>,
) -> Result<Event, Rejection> {
    let Some(found) = catalog.procedure(procedure) else {
        return Err(Rejection::UnknownProcedure(procedure.to_owned()));
    };
    let known = || catalog.severities.iter().map(|s| s.id.clone()).collect();
    let severity = match severity {
        Some(given) => Some(
            catalog
                .severity(given)
                .map(|s| s.id.clone())
                .ok_or_else(|| Rejection::UnknownSeverity {
                    given: given.to_owned(),
                    known: known(),
                })?,
        ),
        None if found.asks_severity => return Err(Rejection::SeverityRequired { known: known() }),
        None => None,
    };
    Ok(Event::RunStarted {
        procedure: found.id.clone(),
        procedure_hash: found.content_hash.clone(),
        severity,
        pinned: Some(super::pinned::Pinned::of(found)),
    })
}

/// The events a command produces, or why it is refused. Pure: the same
/// state, context and command always give the same answer.
pub fn decide(
    state: &RunState,
    ctx: &Context<'_>,
    command: &Command,
) -> Result<Vec<Event>, Rejection> {
    // A run's last word to its users ("resolved") may come after it closed.
    let late = matches!(
        command,
        Command::Resume | Command::FinishRun { .. } | Command::Update(_)
    );
    if !state.is_open() && !late {
        return Err(Rejection::RunClosed);
    }
    let step = |id: &str| {
        ctx.procedure
            .step(id)
            .ok_or_else(|| Rejection::UnknownStep(id.to_owned()))
    };
    let text = trimmed;
    match command {
        Command::Complete {
            step: id,
            note,
            confirmed,
            override_hold,
        } => {
            let step = step(id)?;
            super::update::told(state, step)?;
            let note = note.as_deref().and_then(text);
            complete(state, ctx, step, note, *confirmed, override_hold.as_deref())
        }
        Command::Confirm { step: id } => confirm(state, ctx, step(id)?),
        Command::Claim { step: id } => claim(state, step(id)?),
        Command::Skip { step: id, reason } => skip(state, ctx, step(id)?, reason),
        Command::Fail { step: id, note } => {
            let step = step(id)?;
            signs_off(state, ctx, step)?;
            let note = text(note).ok_or(Rejection::NoteRequired)?;
            let id = step.id.clone();
            Ok(vec![if two_person_closing(state, ctx, &id)? {
                Event::StepFailProposed { step: id, note }
            } else {
                Event::StepFailed { step: id, note }
            }])
        }
        Command::Reopen { step: id, reason } => reopen(state, ctx, step(id)?, reason.as_deref()),
        Command::Note {
            step: id,
            text: note,
        } => {
            let step = id.as_deref().map(step).transpose()?;
            let note = text(note).ok_or(Rejection::NoteRequired)?;
            Ok(vec![Event::NoteAdded {
                step: step.map(|s| s.id.clone()),
                text: note,
            }])
        }
        Command::ChangeSeverity { to } => change_severity(state, ctx, to),
        Command::Update(update) => super::update::post(state, ctx, update),
        Command::Detach { reason } => Ok(vec![Event::RunDetached {
            reason: reason.clone(),
        }]),
        Command::Resume => {
            if !state.is_open() {
                return Err(Rejection::RunClosed);
            }
            Ok(vec![Event::RunResumed])
        }
        Command::Abort { reason } => {
            let reason = text(reason).ok_or(Rejection::ReasonRequired)?;
            Ok(vec![Event::RunAborted { reason }])
        }
        Command::Finish => finish(state, ctx),
        Command::RequestRun { step: id, command } => {
            super::exec::request(state, ctx, step(id)?, command)
        }
        Command::ApproveRun { step: id } => super::exec::approve(state, ctx, step(id)?),
        Command::StartRun {
            step: id,
            command,
            host,
            cwd,
            confirmed,
        } => super::exec::start(
            state,
            ctx,
            step(id)?,
            super::exec::Start {
                command,
                host,
                cwd,
                confirmed: *confirmed,
            },
        ),
        Command::FinishRun {
            step,
            started,
            outcome,
            duration_ms,
            output,
        } => super::exec::finish(state, step, *started, outcome, *duration_ms, output),
    }
}

fn skip(
    state: &RunState,
    ctx: &Context<'_>,
    step: &Step,
    reason: &str,
) -> Result<Vec<Event>, Rejection> {
    let reason = trimmed(reason).ok_or(Rejection::ReasonRequired)?;
    if matches!(state.status(&step.id), StepStatus::Done { .. }) {
        return Err(already(state, step));
    }
    signs_off(state, ctx, step)?;
    let step = step.id.clone();
    Ok(vec![if two_person_closing(state, ctx, &step)? {
        Event::StepSkipProposed { step, reason }
    } else {
        Event::StepSkipped { step, reason }
    }])
}

/// Whether closing `step` without doing it (a skip, a failure) is a
/// proposal a second person confirms, as its completion would be: so on
/// a two-person step, unless it waits already for another's yes.
fn two_person_closing(state: &RunState, ctx: &Context<'_>, step: &str) -> Result<bool, Rejection> {
    if !ctx.procedure.step(step).is_some_and(|s| s.two_person) {
        return Ok(false);
    }
    match state.status(step) {
        StepStatus::AwaitingConfirmation { by, .. } => Err(Rejection::SecondOperatorRequired {
            step: step.to_owned(),
            first: by.clone(),
        }),
        _ => Ok(true),
    }
}

fn change_severity(state: &RunState, ctx: &Context<'_>, to: &str) -> Result<Vec<Event>, Rejection> {
    let severity = ctx
        .catalog
        .severity(to)
        .ok_or_else(|| Rejection::UnknownSeverity {
            given: to.to_owned(),
            known: ctx
                .catalog
                .severities
                .iter()
                .map(|s| s.id.clone())
                .collect(),
        })?;
    Ok(vec![Event::SeverityChanged {
        from: state.severity.clone(),
        to: severity.id.clone(),
    }])
}

fn claim(state: &RunState, step: &Step) -> Result<Vec<Event>, Rejection> {
    if !state.status(&step.id).is_open() {
        return Err(already(state, step));
    }
    Ok(vec![Event::StepClaimed {
        step: step.id.clone(),
    }])
}

fn confirm(state: &RunState, ctx: &Context<'_>, step: &Step) -> Result<Vec<Event>, Rejection> {
    match state.status(&step.id) {
        StepStatus::AwaitingConfirmation { by, proof, .. } => {
            second_person(ctx, &step.id, by, proof)?;
            Ok(vec![Event::StepConfirmed {
                step: step.id.clone(),
            }])
        }
        _ => Err(Rejection::NotAwaitingConfirmation(step.id.clone())),
    }
}

/// Finishing with required steps open is refused: abort instead, with a
/// reason, so the journal says why the run stopped short.
fn finish(state: &RunState, ctx: &Context<'_>) -> Result<Vec<Event>, Rejection> {
    let open: Vec<String> = ctx
        .procedure
        .steps()
        .filter(|s| !s.optional && state.status(&s.id).is_open())
        .map(|s| s.id.clone())
        .collect();
    if open.is_empty() {
        Ok(vec![Event::RunFinished])
    } else {
        Err(Rejection::StepsOpen(open))
    }
}

/// Reopens a step; the steps it had made unneeded are needed again until
/// it is answered anew.
fn reopen(
    state: &RunState,
    ctx: &Context<'_>,
    step: &Step,
    reason: Option<&str>,
) -> Result<Vec<Event>, Rejection> {
    if *state.status(&step.id) == StepStatus::Todo {
        return Err(Rejection::NotDone(step.id.clone()));
    }
    signs_off(state, ctx, step)?;
    let decided = ctx.procedure.steps().filter(|s| {
        s.when.as_ref().is_some_and(|c| c.step == step.id)
            && matches!(state.status(&s.id), StepStatus::NotNeeded { .. })
    });
    let mut events = vec![Event::StepReopened {
        step: step.id.clone(),
        reason: reason.and_then(trimmed),
    }];
    events.extend(decided.map(|s| Event::StepReopened {
        step: s.id.clone(),
        reason: None,
    }));
    Ok(events)
}
