//! Runs: the pure state machine of one walk through a procedure.
//!
//! `decide(state, context, command)` checks a command against the state and
//! the catalog and returns events or a rejection; `RunState::apply` folds an
//! event into the state; `deadlines` derives what is due. The clock and the
//! operator are passed in, so every answer can be tested deterministically.

pub mod closed;
pub mod command;
mod complete;
pub mod deadline;
pub mod decide;
pub mod event;
mod exec;
mod folder;
pub mod judge;
pub mod pinned;
pub mod press;
mod rejection;
pub mod rules;
pub mod said;
pub mod settle;
pub mod state;
pub mod update;

pub use closed::ClosedRun;
pub use decide::{Command, decide, start};
pub use event::Event;
pub use folder::Folder;
pub use judge::Judge;
pub use rejection::Rejection;
pub use rules::{Context, Readings};
pub use state::{Meta, Phase, RunState, StepStatus};

/// A run id: the procedure and the start time, readable in a list, plus a
/// suffix that keeps two runs started in the same second apart.
pub fn new_run_id(procedure: &str, at: chrono::DateTime<chrono::Utc>, salt: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(format!("{procedure}|{at:?}|{salt}").as_bytes());
    format!(
        "{procedure}-{}-{:02x}{:02x}",
        at.format("%Y%m%d-%H%M%S"),
        digest[0],
        digest[1]
    )
}
