//! Settling what a closed run still owes: a post-mortem or a step with a
//! deadline fixed in time (the CNIL's 72 h) that the run closed without
//! doing. Only a holder of the step's role settles it, and always with a
//! reason; the client and `audit verify` ask this same function.

use super::event::Event;
use super::rejection::Rejection;
use super::rules::{Context, signs_off};
use super::state::RunState;

/// The entry that settles `step` of the closed run `state`, or why not.
/// `settled`: whether the ledger has it settled already.
pub fn settle(
    state: &RunState,
    ctx: &Context<'_>,
    step: &str,
    reason: &str,
    settled: bool,
) -> Result<Event, Rejection> {
    if state.is_open() {
        return Err(Rejection::RunStillOpen);
    }
    let found = ctx
        .procedure
        .step(step)
        .ok_or_else(|| Rejection::UnknownStep(step.to_owned()))?;
    let done = state.status(step).done_at().is_some();
    if !found.owed_when_left() || done || settled {
        return Err(Rejection::NotOwed(step.to_owned()));
    }
    signs_off(state, ctx, found)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Rejection::ReasonRequired);
    }
    Ok(Event::StepSettled {
        run: state.id.clone(),
        step: found.id.clone(),
        reason: reason.to_owned(),
    })
}
