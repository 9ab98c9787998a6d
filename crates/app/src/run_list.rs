//! All runs in a journal, each folded from its events, with their
//! progress and nearest deadline for `runbook runs` and the console's home.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::catalog::Catalog;

use crate::journal::entry::Folded;
use crate::journal::verify::Problem;
use crate::journal::{Entry, JournalError};
use crate::run::deadline::{DeadlineStatus, deadlines};
use crate::run::{Phase, RunState};

/// Runs folded one entry at a time, in order of first appearance.
#[derive(Debug, Default)]
pub struct Folder {
    order: Vec<String>,
    runs: HashMap<String, RunState>,
    seeded: bool,
}

impl Folder {
    /// A folder that goes on from runs already folded (the open runs of a
    /// journal's history): it follows them, and runs that start later.
    pub fn seeded(runs: Vec<RunState>) -> Self {
        let order = runs.iter().map(|r| r.id.clone()).collect();
        let runs = runs.into_iter().map(|r| (r.id.clone(), r)).collect();
        Folder {
            order,
            runs,
            seeded: true,
        }
    }

    pub fn push(&mut self, entry: &Entry) {
        self.apply(entry.run.as_deref(), &entry.meta(), &entry.event);
    }

    fn apply(&mut self, run: Option<&str>, meta: &crate::run::Meta, event: &crate::run::Event) {
        let Some(id) = run else {
            return;
        };
        if !self.runs.contains_key(id) {
            // Seeded with the open runs only, a folder meets the late
            // entries of closed runs, which it does not follow.
            if !matches!(event, crate::run::Event::RunStarted { .. }) && self.seeded {
                return;
            }
            self.order.push(id.to_owned());
            self.runs.insert(id.to_owned(), RunState::new(id));
        }
        let Some(state) = self.runs.get_mut(id) else {
            return;
        };
        state.apply(meta, event);
    }

    /// The runs so far, in order of first appearance.
    pub fn states(&self) -> impl Iterator<Item = &RunState> {
        self.order.iter().filter_map(|id| self.runs.get(id))
    }

    pub fn finish(mut self) -> Vec<RunState> {
        self.order
            .iter()
            .filter_map(|id| self.runs.remove(id.as_str()))
            .collect()
    }
}

/// Every run in `entries`, in order of start.
pub fn fold_all(entries: &[Entry]) -> Vec<RunState> {
    let mut folder = Folder::default();
    for entry in entries {
        folder.push(entry);
    }
    folder.finish()
}

/// Every run in the journal at `path`, read as a stream: a journal of
/// millions of entries is never held in memory at once. Also returns the
/// lines that could not be read.
pub fn fold_file(
    journal: impl Into<crate::store::Journal>,
) -> Result<(Vec<RunState>, Vec<Problem>), JournalError> {
    let (runs, _, problems) = fold_file_at(journal)?;
    Ok((runs, problems))
}

/// As `fold_file`, also saying where the reading stopped, so a follower can
/// go on from there without reading the journal twice.
pub fn fold_file_at(
    journal: impl Into<crate::store::Journal>,
) -> Result<(Vec<RunState>, crate::store::read::Position, Vec<Problem>), JournalError> {
    let mut folder = Folder::default();
    let start = crate::store::read::Position::default();
    let (at, problems) = crate::store::read::scan(&journal.into(), start, |entry: Folded| {
        let meta = entry.meta();
        folder.apply(entry.run.as_deref(), &meta, &entry.event);
    })?;
    Ok((folder.finish(), at, problems))
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub id: String,
    pub procedure: String,
    pub title: String,
    pub severity: Option<String>,
    pub started_at: Option<DateTime<Utc>>,
    pub started_by: Option<String>,
    pub phase: &'static str,
    pub done: usize,
    pub total: usize,
    pub operators: Vec<String>,
    pub last_at: Option<DateTime<Utc>>,
    /// The live deadline due soonest (or most overdue).
    pub next_deadline: Option<DeadlineStatus>,
    /// The typed answers given, by step (`find-gaps`: `12`).
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub answers: std::collections::BTreeMap<String, String>,
}

/// A closed run from the journal's index, summarised as `summarise` does.
pub fn summarise_closed(run: &crate::run::ClosedRun, catalog: &Catalog, lang: &str) -> Summary {
    let procedure = catalog.procedure(&run.procedure);
    let total = procedure.map_or(0, crate::catalog::Procedure::step_count);
    let done = procedure.map_or(0, |p| {
        p.steps()
            .filter(|s| run.closed_steps.binary_search(&s.id).is_ok())
            .count()
    });
    Summary {
        id: run.id.clone(),
        procedure: run.procedure.clone(),
        title: procedure.map_or_else(|| run.procedure.clone(), |p| p.title.get(lang).to_owned()),
        severity: run.severity.clone(),
        started_at: run.started_at,
        started_by: run.started_by.clone(),
        phase: match run.phase {
            Phase::Aborted { .. } => "aborted",
            _ => "finished",
        },
        done,
        total,
        operators: run.operators.clone(),
        last_at: run.last_at,
        next_deadline: None,
        answers: run.answers.clone(),
    }
}

pub fn summarise(state: &RunState, catalog: &Catalog, lang: &str, now: DateTime<Utc>) -> Summary {
    let procedure = catalog.procedure(&state.procedure);
    let total = procedure.map_or(0, crate::catalog::Procedure::step_count);
    let done = procedure.map_or(0, |p| {
        p.steps().filter(|s| !state.status(&s.id).is_open()).count()
    });
    let next_deadline = procedure.and_then(|p| {
        let mut live: Vec<DeadlineStatus> = deadlines(state, catalog, p, lang, now)
            .into_iter()
            .filter(|d| d.state.is_live() && state.is_open())
            .collect();
        live.sort_by_key(|d| d.state.due());
        live.into_iter().next()
    });
    Summary {
        id: state.id.clone(),
        procedure: state.procedure.clone(),
        title: procedure.map_or_else(|| state.procedure.clone(), |p| p.title.get(lang).to_owned()),
        severity: state.severity.clone(),
        started_at: state.started_at,
        started_by: state.started_by.clone(),
        phase: match state.phase {
            Phase::New | Phase::Open if state.detached => "detached",
            Phase::New | Phase::Open => "open",
            Phase::Finished { .. } => "finished",
            Phase::Aborted { .. } => "aborted",
        },
        done,
        total,
        operators: state.operators.clone(),
        last_at: state.last_at,
        next_deadline,
        answers: state.answers.clone(),
    }
}

/// The runs of a journal's history as the recurring duties count them:
/// finished ones (not aborted), and open ones.
/// Drills count only when `drills` asks for them: a rehearsal does not do
/// the duty.
pub fn duty_runs(
    history: &crate::store::History,
    drills: bool,
) -> (Vec<crate::due::Finished>, Vec<crate::due::Open>) {
    use crate::run::Phase;
    let finished = history
        .closed
        .iter()
        .filter(|run| drills || !run.drill)
        .filter_map(|run| match (&run.phase, run.started_at) {
            (Phase::Finished { by, at }, Some(started_at)) => Some(crate::due::Finished {
                run: run.id.clone(),
                procedure: run.procedure.clone(),
                started_at,
                finished_at: *at,
                by: by.clone(),
            }),
            _ => None,
        })
        .collect();
    let (_, open) = crate::due::from_states(history.open.iter(), drills);
    (finished, open)
}
