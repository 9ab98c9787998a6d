//! A drill's score: how long each step took against its deadline, the
//! deadlines met and missed, the steps skipped or failed, whether the
//! rollback was taken when its criterion was met, and how this drill
//! compares with the team's earlier drills of the same scenario.

use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;

use super::clock::elapsed;
use crate::catalog::Catalog;
use crate::run::deadline::{DeadlineState, DeadlineStatus, deadlines};
use crate::run::{Phase, RunState, StepStatus};
use crate::text::Words;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    pub run: String,
    pub procedure: String,
    pub scenario: Option<String>,
    pub speed: u32,
    pub steps: Vec<StepScore>,
    pub met: usize,
    pub missed: usize,
    pub skipped: Vec<(String, String)>,
    pub failed: Vec<(String, String)>,
    pub rollback: Option<Rollback>,
    /// How the run ended, and when (drill time since its start).
    pub outcome: Option<(String, i64)>,
    pub previous: Vec<Previous>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepScore {
    pub step: String,
    pub text: String,
    /// Seconds from the run's start to the step done.
    pub done_after: Option<i64>,
    pub deadline: Option<DeadlineScore>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeadlineScore {
    pub label: String,
    /// Seconds from the run's start to when it was due.
    pub due_after: i64,
    /// Seconds late, when missed; `None` when met.
    pub late: Option<i64>,
    /// Done at all.
    pub done: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rollback {
    pub metric: String,
    /// Seconds from the start to the criterion met.
    pub met_after: i64,
    /// Seconds from the criterion to the rollback's start, if it started.
    pub taken_after: Option<i64>,
}

/// An earlier drill of the same scenario, in short.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Previous {
    pub run: String,
    pub total: Option<i64>,
    pub met: usize,
    pub missed: usize,
}

/// A crossing recorded in the run: which metric, to what level, when.
#[derive(Debug, Clone, PartialEq)]
pub struct Crossing {
    pub metric: String,
    pub to: String,
    pub at: DateTime<Utc>,
}

/// What the score reads: the run, the other runs of its drill (a
/// rollback started from it), its crossings, and every run of the
/// journal (its earlier drills of the same scenario among them).
#[derive(Debug)]
pub struct Input<'a> {
    pub catalog: &'a Catalog,
    pub run: &'a RunState,
    pub runs: &'a [RunState],
    pub crossings: &'a [Crossing],
    pub lang: &'a str,
}

/// When a run stopped: its end, or its last entry while it is open.
fn end_of(run: &RunState) -> Option<DateTime<Utc>> {
    match &run.phase {
        Phase::Finished { at, .. } | Phase::Aborted { at, .. } => Some(*at),
        _ => run.last_at,
    }
}

/// Deadlines met and missed in a run, as of its end.
fn verdicts(catalog: &Catalog, run: &RunState, lang: &str) -> Vec<DeadlineStatus> {
    let (Some(procedure), Some(end)) = (catalog.procedure(&run.procedure), end_of(run)) else {
        return Vec::new();
    };
    deadlines(run, catalog, procedure, lang, end)
}

fn is_missed(state: &DeadlineState) -> bool {
    matches!(
        state,
        DeadlineState::Missed { .. } | DeadlineState::Overdue { .. }
    )
}

fn is_met(state: &DeadlineState) -> bool {
    matches!(state, DeadlineState::Met { .. })
}

pub fn score(input: &Input<'_>) -> Score {
    let Input {
        catalog, run, lang, ..
    } = *input;
    let start = run.started_at.unwrap_or_default();
    let secs = |at: DateTime<Utc>| (at - start).num_seconds();
    let drill = run.drill.clone();
    let procedure = catalog.procedure(&run.procedure);
    let verdicts_now = verdicts(catalog, run, lang);
    let mut steps = Vec::new();
    let mut skipped = Vec::new();
    let mut failed = Vec::new();
    for step in procedure
        .into_iter()
        .flat_map(crate::catalog::Procedure::steps)
    {
        let status = run.status(&step.id);
        match status {
            StepStatus::Skipped { reason, .. } => skipped.push((step.id.clone(), reason.clone())),
            StepStatus::Failed { note, .. } => failed.push((step.id.clone(), note.clone())),
            _ => {}
        }
        let deadline = verdicts_now
            .iter()
            .find(|d| d.step == step.id)
            .and_then(|d| {
                let due = d.state.due()?;
                let late = match &d.state {
                    DeadlineState::Missed { late, .. } | DeadlineState::Overdue { late, .. } => {
                        Some(late.num_seconds())
                    }
                    DeadlineState::Met { .. } => None,
                    _ => Some(end_of(run).map_or(0, |end| (end - due).num_seconds().max(0))),
                };
                Some(DeadlineScore {
                    label: d.label.clone(),
                    due_after: secs(due),
                    late,
                    done: status.done_at().is_some(),
                })
            });
        steps.push(StepScore {
            step: step.id.clone(),
            text: step.text.get(lang).to_owned(),
            done_after: status.done_at().map(secs),
            deadline,
        });
    }
    let met = verdicts_now.iter().filter(|d| is_met(&d.state)).count();
    let missed = verdicts_now.iter().filter(|d| is_missed(&d.state)).count();
    let outcome = match &run.phase {
        Phase::Finished { at, .. } => Some(("finished".to_owned(), secs(*at))),
        Phase::Aborted { at, .. } => Some(("aborted".to_owned(), secs(*at))),
        _ => None,
    };
    let rollback = rollback(input, start);
    let scenario = drill.as_ref().and_then(|d| d.scenario.clone());
    let previous = previous(input, start, scenario.as_ref());
    Score {
        run: run.id.clone(),
        procedure: run.procedure.clone(),
        scenario,
        speed: drill.map_or(1, |d| d.speed),
        steps,
        met,
        missed,
        skipped,
        failed,
        rollback,
        outcome,
        previous,
    }
}

/// The earlier drills of the same scenario, in short.
fn previous(input: &Input<'_>, start: DateTime<Utc>, scenario: Option<&String>) -> Vec<Previous> {
    let Input {
        catalog,
        run,
        runs,
        lang,
        ..
    } = *input;
    runs.iter()
        .filter(|r| r.id != run.id && r.procedure == run.procedure)
        .filter(|r| {
            r.drill
                .as_ref()
                .is_some_and(|d| d.scenario.as_ref() == scenario)
                && r.started_at.is_some_and(|s| s < start)
        })
        .map(|r| {
            let v = verdicts(catalog, r, lang);
            Previous {
                run: r.id.clone(),
                total: match (&r.phase, r.started_at) {
                    (Phase::Finished { at, .. }, Some(s)) => Some((*at - s).num_seconds()),
                    _ => None,
                },
                met: v.iter().filter(|d| is_met(&d.state)).count(),
                missed: v.iter().filter(|d| is_missed(&d.state)).count(),
            }
        })
        .collect()
}

/// The rollback criterion met in the run (a rollback metric gone
/// critical), and how soon after it the drill started the rollback.
fn rollback(input: &Input<'_>, start: DateTime<Utc>) -> Option<Rollback> {
    let Input {
        catalog,
        run,
        runs,
        crossings,
        ..
    } = *input;
    let drill = run.drill.as_ref().map(|d| &d.id);
    crate::catalog::rollback_metrics(catalog)
        .into_iter()
        .find_map(|(metric, procedure)| {
            let crossed = crossings
                .iter()
                .filter(|c| c.metric == metric && c.to == "critical")
                .map(|c| c.at)
                .min()?;
            let taken = runs
                .iter()
                .filter(|r| r.procedure == procedure && r.id != run.id)
                .filter(|r| r.drill.as_ref().map(|d| &d.id) == drill)
                .filter_map(|r| r.started_at)
                .min();
            Some(Rollback {
                metric,
                met_after: (crossed - start).num_seconds(),
                taken_after: taken.map(|t| (t - crossed).num_seconds().max(0)),
            })
        })
}

fn t(secs: i64) -> String {
    elapsed(TimeDelta::seconds(secs))
}

/// The score as lines of text, in the operator's words.
pub fn render(score: &Score, words: &Words) -> Vec<String> {
    let w = words.drill;
    let mut lines = vec![
        w.score_title.to_owned(),
        (w.score_head)(
            &score.run,
            score.scenario.as_deref().unwrap_or("-"),
            score.speed,
        ),
    ];
    for step in &score.steps {
        let took = step
            .done_after
            .map_or_else(|| w.not_done.to_owned(), |s| (w.took)(&t(s)));
        let verdict = match &step.deadline {
            None => String::new(),
            Some(d) => match (d.late, d.done) {
                (None, _) => (w.met)(&d.label, &t(d.due_after)),
                (Some(late), true) => (w.missed)(&d.label, &t(d.due_after), &t(late)),
                (Some(late), false) if late > 0 => (w.missed)(&d.label, &t(d.due_after), &t(late)),
                (Some(_), false) => (w.open_deadline)(&d.label, &t(d.due_after)),
            },
        };
        lines.push((w.score_step)(&step.text, &took, &verdict));
    }
    lines.push((w.deadlines)(score.met, score.missed));
    for (step, reason) in &score.skipped {
        lines.push((w.skipped)(step, reason));
    }
    for (step, note) in &score.failed {
        lines.push((w.failed)(step, note));
    }
    if let Some(r) = &score.rollback {
        lines.push(match r.taken_after {
            Some(after) => (w.rollback_taken)(&r.metric, &t(r.met_after), &t(after)),
            None => (w.rollback_missed)(&r.metric, &t(r.met_after)),
        });
    }
    if let Some((outcome, at)) = &score.outcome {
        let said = crate::text::words::phase(outcome, words);
        lines.push((w.outcome)(said, &t(*at)));
    }
    if score.previous.is_empty() {
        lines.push(w.none_before.to_owned());
    } else {
        let best = score
            .previous
            .iter()
            .filter_map(|p| p.total)
            .min()
            .map_or_else(|| "-".to_owned(), t);
        let missed: Vec<String> = score
            .previous
            .iter()
            .map(|p| p.missed.to_string())
            .collect();
        lines.push((w.compared)(
            score.previous.len(),
            &best,
            &missed.join(", "),
        ));
        for p in &score.previous {
            let total = p.total.map_or_else(|| "-".to_owned(), t);
            lines.push((w.previous)(&p.run, &total, p.met, p.missed));
        }
    }
    lines
}
