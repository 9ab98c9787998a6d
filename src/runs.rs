//! All runs in a journal, each folded from its events, with their
//! progress and nearest deadline for `runbook runs` and the console's home.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::catalog::Catalog;
use crate::journal::Entry;
use crate::run::deadline::{DeadlineStatus, deadlines};
use crate::run::{Phase, RunState};

/// Every run in `entries`, in order of start.
pub fn fold_all(entries: &[Entry]) -> Vec<RunState> {
    let mut order: Vec<String> = Vec::new();
    let mut runs: HashMap<&str, RunState> = HashMap::new();
    for entry in entries {
        let Some(id) = entry.run.as_deref() else {
            continue;
        };
        let state = runs.entry(id).or_insert_with(|| {
            order.push(id.to_owned());
            RunState::new(id)
        });
        state.apply(&entry.meta(), &entry.event);
    }
    order
        .iter()
        .filter_map(|id| runs.remove(id.as_str()))
        .collect()
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
    }
}
