//! A run in one line: its procedure, progress, who, and the live deadline
//! due soonest, as the home and `runbook runs` list it.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::catalog::Catalog;
use crate::run::deadline::{DeadlineStatus, deadlines};
use crate::run::{Phase, RunState};

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
