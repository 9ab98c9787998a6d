//! A command run as the journal records it: `command_started`, durable
//! before the process exists; the process; `command_finished` with its
//! outcome and the hash of its output; and the step ticked when the
//! catalog says success is enough. The same path for `runbook exec`, line
//! mode and the console.

use std::io;

use chrono::Utc;

use super::output::Sink;
use super::plan::Plan;
use super::process::{self, Done, Running};
use crate::live_run::{LiveRun, LiveRunError};
use crate::run::Command;
use crate::run::command::{Outcome, Output};

/// A command started: its `command_started` entry, and the process.
#[derive(Debug)]
pub struct Begun {
    pub seq: u64,
    pub running: Running,
    pub output_file: std::path::PathBuf,
}

#[derive(Debug)]
pub enum Failure {
    /// Refused or not recorded: nothing ran.
    LiveRun(LiveRunError),
    /// Recorded as started, but the program could not be started; its
    /// `command_finished` says so.
    Spawn(io::Error),
}

impl From<LiveRunError> for Failure {
    fn from(e: LiveRunError) -> Self {
        Failure::LiveRun(e)
    }
}

/// Records the start, then starts the process.
pub fn begin(
    session: &mut LiveRun<'_>,
    plan: &Plan,
    confirmed: bool,
    tee: process::Tee,
) -> Result<Begun, Failure> {
    let cwd = std::env::current_dir()
        .map(|d| d.display().to_string())
        .unwrap_or_default();
    let host = session.host().to_owned();
    let command = Command::StartRun {
        step: plan.step.clone(),
        command: plan.shown.clone(),
        host,
        cwd,
        confirmed,
    };
    let appended = session.execute(&command, Utc::now())?;
    let seq = appended.first().map_or(0, |a| a.seq);
    let db = match session.journal() {
        crate::store::Journal::Postgres(db) => Some(db),
        crate::store::Journal::File(_) => None,
    };
    let sink = Sink::open(session.journal_path(), &session.state.id, seq, db);
    let output_file = sink.path().to_owned();
    match process::spawn(plan, sink, process::GRACE, tee) {
        Ok(running) => Ok(Begun {
            seq,
            running,
            output_file,
        }),
        Err(e) => {
            let outcome = Outcome {
                error: Some(e.to_string()),
                ..Outcome::default()
            };
            let finish = Command::FinishRun {
                step: plan.step.clone(),
                started: seq,
                outcome,
                duration_ms: 0,
                output: Output::default(),
            };
            session.execute(&finish, Utc::now())?;
            Err(Failure::Spawn(e))
        }
    }
}

/// What the end of a command recorded.
#[derive(Debug)]
pub struct Ended {
    pub done: Done,
    /// The step was ticked: it succeeded and the catalog says that is
    /// enough.
    pub ticked: bool,
}

/// Records how the command ended and, when the catalog says so, ticks the
/// step on success.
pub fn end(
    session: &mut LiveRun<'_>,
    plan: &Plan,
    seq: u64,
    done: Done,
    confirmed: bool,
    note: &str,
) -> Result<Ended, LiveRunError> {
    let finish = Command::FinishRun {
        step: plan.step.clone(),
        started: seq,
        outcome: done.outcome.clone(),
        duration_ms: done.duration_ms,
        output: done.output.clone(),
    };
    session.execute(&finish, Utc::now())?;
    let ticked = plan.done_on_success && done.outcome.success() && session.state.is_open();
    if ticked {
        let complete = Command::Complete {
            step: plan.step.clone(),
            note: Some(note.to_owned()),
            confirmed,
            override_hold: None,
        };
        session.execute(&complete, Utc::now())?;
    }
    Ok(Ended { done, ticked })
}
