//! How a step's command ended, as said to the operator.

use super::command::{Outcome, Stop};

/// How a command ended, in words: `exit 0`, `interrupted (SIGINT →
/// SIGTERM), ended by SIGTERM`, `timed out (SIGTERM → SIGKILL), ended by
/// SIGKILL`.
pub fn outcome(words: &crate::text::Words, outcome: &Outcome) -> String {
    let w = words.exec;
    let sent = outcome.sent.join(" → ");
    let mut parts = Vec::new();
    if let Some(error) = &outcome.error {
        parts.push((w.not_started)(error));
    }
    match outcome.stopped {
        Some(Stop::Interrupted) => parts.push((w.interrupted)(&sent)),
        Some(Stop::TimedOut) => parts.push((w.timed_out)(&sent)),
        None => {}
    }
    if let Some(code) = outcome.exit {
        parts.push((w.exit)(code));
    }
    if let Some(signal) = &outcome.signal {
        parts.push((w.ended_by)(signal));
    }
    parts.join(", ")
}

/// What became of the step's last command, for the step's view: a
/// command started and never finished (runbook died while it ran) reads
/// "started, outcome unknown", never done.
pub fn last_command(
    words: &crate::text::Words,
    state: &crate::run::RunState,
    step: &str,
) -> Option<String> {
    let ran = state.last_command(step)?;
    let what = match &ran.finished {
        Some(finished) => {
            let took = crate::catalog::duration::human_ms(finished.duration_ms);
            format!("{} ({took})", outcome(words, &finished.outcome))
        }
        None => words.exec.unknown_outcome.to_owned(),
    };
    Some((words.exec.last)(ran.seq, &what))
}

/// The last status update a step done by updates shows: its state, when,
/// by whom and its words.
pub fn last_update(
    words: &crate::text::Words,
    state: &crate::run::RunState,
    step: &crate::catalog::Step,
) -> Option<String> {
    let posted = super::update::last_for(state, step)?;
    let w = words.status;
    Some((w.last_update)(
        w.status(posted.update.status),
        &posted.at.format("%H:%M UTC").to_string(),
        &posted.by,
        &posted.update.text,
    ))
}
