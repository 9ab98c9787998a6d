//! A status update in a run: recorded whatever the run's phase (the last
//! word to users may come after it closed), and the step it completes,
//! ticked with it under the step's own rules.

use super::complete::{complete, trimmed};
use super::event::Event;
use super::rejection::Rejection;
use super::rules::Context;
use super::state::{RunState, StepStatus};
use crate::catalog::{Procedure, Step};
use crate::status::Update;

/// The update as recorded, then the step it does, if the operator may
/// do that step now; otherwise the update stands alone and the step
/// stays open (`completes` says which, `decide` on it says why).
pub fn post(state: &RunState, ctx: &Context<'_>, update: &Update) -> Result<Vec<Event>, Rejection> {
    let text = trimmed(&update.text).ok_or(Rejection::NoteRequired)?;
    let mut components = update.components.clone();
    components.sort();
    components.dedup();
    let update = Update {
        components,
        text,
        ..update.clone()
    };
    let mut events = vec![Event::StatusUpdated(update.clone())];
    if state.is_open()
        && let Some(step) = completes(state, ctx.procedure, &update)
        && let Ok(done) = complete(state, ctx, step, None, true, None)
    {
        events.extend(done);
    }
    Ok(events)
}

/// The first step still to do that this update is the doing of.
pub fn completes<'p>(
    state: &RunState,
    procedure: &'p Procedure,
    update: &Update,
) -> Option<&'p Step> {
    procedure.steps().find(|s| {
        s.update.is_some_and(|wanted| update.reaches(wanted))
            && *state.status(&s.id) == StepStatus::Todo
    })
}

/// A step done by an update is ticked by hand only once such an update
/// is in the run: the stakeholders are told by words on the record, not
/// by a checkbox.
pub fn told(state: &RunState, step: &Step) -> Result<(), Rejection> {
    match step.update {
        Some(wanted) if !state.updates.iter().any(|u| u.update.reaches(wanted)) => {
            Err(Rejection::UpdateRequired {
                step: step.id.clone(),
                audience: wanted,
            })
        }
        _ => Ok(()),
    }
}

/// The last update a step done by updates shows.
pub fn last_for<'s>(state: &'s RunState, step: &Step) -> Option<&'s crate::status::Posted> {
    let wanted = step.update?;
    state
        .updates
        .iter()
        .rev()
        .find(|u| u.update.reaches(wanted))
}
