//! What "done" on a step means for the operator pressing it: the one
//! answer the console's Enter, line mode's `done` and any later front end
//! share, so that a second operator confirms a two-person step the same
//! way everywhere. Whether the command is then allowed is `decide`'s.

use super::{RunState, StepStatus};

#[derive(Debug, PartialEq, Eq)]
pub enum Done<'s> {
    /// Another operator proposed it: pressing "done" is the confirmation
    /// (`Command::Confirm`).
    Confirm,
    /// This operator proposed it: a second one must confirm.
    WaitsSecond,
    /// Closed already, as this status says.
    Already(&'s StepStatus),
    /// Open: complete it (the decision asks for what else it needs).
    Complete,
}

pub fn done<'s>(state: &'s RunState, step: &str, operator: &str) -> Done<'s> {
    match state.status(step) {
        StepStatus::AwaitingConfirmation { by, .. } if by != operator => Done::Confirm,
        StepStatus::AwaitingConfirmation { .. } => Done::WaitsSecond,
        status if !status.is_open() => Done::Already(status),
        _ => Done::Complete,
    }
}
