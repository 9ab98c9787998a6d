//! The team's numbers over a window: runs by procedure and outcome,
//! incidents by severity (time to respond and to resolve, deadlines met),
//! delivery as DORA measures it (deploys a week, change failure rate, time
//! to restore), post-mortems and follow-ups. Drills are counted apart.
//! Pure: runs (as the index summarises them), ledger and clock in.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;

use super::ledger::{FollowupState, Ledger};
use super::moments::{Span, moments, spans};
use super::owed::{Standing, postmortem};
use crate::catalog::{Catalog, Mark, ProcedureKind, Within};
use crate::run::deadline::{DeadlineState, deadline_of};
use crate::run::{Phase, RunState};

/// A change followed by trouble within this long failed, unless the
/// deploy procedure names its own window.
pub const FAILURE_WINDOW: TimeDelta = TimeDelta::hours(24);

#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    pub since: DateTime<Utc>,
    pub until: DateTime<Utc>,
    pub runs: Vec<ProcedureRuns>,
    pub incidents: Vec<Severity>,
    pub delivery: Delivery,
    pub postmortems: Postmortems,
    pub followups: Followups,
    /// Drill runs, by procedure: never in the numbers above.
    pub drills: Vec<ProcedureRuns>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ProcedureRuns {
    pub procedure: String,
    pub finished: usize,
    pub aborted: usize,
    pub open: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Severity {
    pub severity: String,
    pub runs: usize,
    pub respond: Quantiles,
    pub resolve: Quantiles,
    pub response_met: Share,
    pub escalation_met: Share,
}

/// The median and 90th percentile (nearest rank) of the runs that
/// reached the moment; `count` of them did.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Quantiles {
    pub count: usize,
    pub p50: Option<Span>,
    pub p90: Option<Span>,
}

/// Deadlines met among those decided (met, or missed: done late, or
/// closed without it).
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Share {
    pub met: usize,
    pub of: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Delivery {
    /// Deploy runs of the window that reached production (their step
    /// marked `released` done), finished, aborted or still rolling out.
    pub deploys: usize,
    pub per_week: f64,
    /// Deploys released each week of the window, oldest first.
    pub weeks: Vec<usize>,
    /// Deploys followed by a rollback or an incident while rolling out or
    /// within their window after it.
    pub failed: usize,
    /// The failed deploys' runs, in the order they were released.
    pub failed_runs: Vec<String>,
    /// `failed / deploys`, when there was a deploy.
    pub change_failure_rate: Option<f64>,
    pub failure_window_seconds: i64,
    /// Incident start → resolved, every severity.
    pub time_to_restore: Quantiles,
}

#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Postmortems {
    pub owed: usize,
    pub overdue: usize,
    pub on_time: usize,
    pub late: usize,
}

#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Followups {
    pub open: usize,
    pub overdue: usize,
    pub done: usize,
    pub dropped: usize,
}

fn quantiles(mut values: Vec<Span>) -> Quantiles {
    values.sort();
    let rank = |q: usize| {
        let n = values.len();
        (n > 0).then(|| values[(n * q).div_ceil(100).max(1) - 1])
    };
    Quantiles {
        count: values.len(),
        p50: rank(50),
        p90: rank(90),
    }
}

fn count(by: &mut BTreeMap<String, ProcedureRuns>, run: &RunState) {
    let entry = by
        .entry(run.procedure.clone())
        .or_insert_with(|| ProcedureRuns {
            procedure: run.procedure.clone(),
            ..ProcedureRuns::default()
        });
    match run.phase {
        Phase::Finished { .. } => entry.finished += 1,
        Phase::Aborted { .. } => entry.aborted += 1,
        Phase::New | Phase::Open => entry.open += 1,
    }
}

fn ended(run: &RunState) -> Option<DateTime<Utc>> {
    match &run.phase {
        Phase::Finished { at, .. } | Phase::Aborted { at, .. } => Some(*at),
        _ => None,
    }
}

/// The numbers of the runs started in `[since, until]`.
pub fn stats<'r>(
    runs: impl IntoIterator<Item = &'r RunState>,
    catalog: &Catalog,
    ledger: &Ledger,
    since: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Stats {
    let kind = |run: &RunState| catalog.procedure(&run.procedure).map(|p| p.kind);
    let within = |run: &&RunState| run.started_at.is_some_and(|t| t >= since && t <= until);
    let mut by_procedure = BTreeMap::new();
    let mut drills = BTreeMap::new();
    let mut real: Vec<&RunState> = Vec::new();
    for run in runs.into_iter().filter(within) {
        if run.drill.is_some() {
            count(&mut drills, run);
        } else {
            count(&mut by_procedure, run);
            real.push(run);
        }
    }
    let incidents: Vec<&RunState> = real
        .iter()
        .copied()
        .filter(|r| kind(r) == Some(ProcedureKind::Incident))
        .collect();
    Stats {
        since,
        until,
        runs: by_procedure.into_values().collect(),
        incidents: severities(&incidents, catalog, until),
        delivery: delivery(&real, catalog, since, until),
        postmortems: postmortems(&real, catalog, ledger, until),
        followups: followups(ledger, since, until),
        drills: drills.into_values().collect(),
    }
}

fn severities(incidents: &[&RunState], catalog: &Catalog, now: DateTime<Utc>) -> Vec<Severity> {
    let mut order: Vec<String> = catalog.severities.iter().map(|s| s.id.clone()).collect();
    for run in incidents {
        let id = run.severity.clone().unwrap_or_else(|| "-".to_owned());
        if !order.contains(&id) {
            order.push(id);
        }
    }
    order
        .into_iter()
        .filter_map(|severity| {
            let mine: Vec<&RunState> = incidents
                .iter()
                .copied()
                .filter(|r| r.severity.as_deref().unwrap_or("-") == severity)
                .collect();
            if mine.is_empty() {
                return None;
            }
            let mut respond = Vec::new();
            let mut resolve = Vec::new();
            let mut response_met = Share::default();
            let mut escalation_met = Share::default();
            for run in &mine {
                let Some(procedure) = catalog.procedure(&run.procedure) else {
                    continue;
                };
                let spans = spans(run.started_at, &moments(run, procedure));
                respond.extend(spans.to_respond);
                resolve.extend(spans.to_resolve);
                for step in procedure.steps() {
                    let Some(deadline) = &step.deadline else {
                        continue;
                    };
                    let share = match deadline.within {
                        Within::Response => &mut response_met,
                        Within::Escalation => &mut escalation_met,
                        _ => continue,
                    };
                    match deadline_of(run, catalog, step, "en", now).map(|d| d.state) {
                        Some(DeadlineState::Met { .. }) => {
                            share.met += 1;
                            share.of += 1;
                        }
                        Some(DeadlineState::Missed { .. }) => share.of += 1,
                        Some(DeadlineState::Overdue { .. }) if !run.is_open() => share.of += 1,
                        _ => {}
                    }
                }
            }
            Some(Severity {
                severity,
                runs: mine.len(),
                respond: quantiles(respond),
                resolve: quantiles(resolve),
                response_met,
                escalation_met,
            })
        })
        .collect()
}

fn delivery(
    real: &[&RunState],
    catalog: &Catalog,
    since: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Delivery {
    let kind = |run: &RunState| catalog.procedure(&run.procedure).map(|p| p.kind);
    let mut deploys: Vec<Release<'_>> = real
        .iter()
        .copied()
        .filter(|r| kind(r) == Some(ProcedureKind::Deploy))
        .filter_map(|r| release(r, catalog))
        .collect();
    deploys.sort_by_key(|d| d.at);
    let window_of = |run: &RunState| {
        catalog
            .procedure(&run.procedure)
            .and_then(|p| p.failure_window)
            .map_or(FAILURE_WINDOW, crate::catalog::Duration::to_chrono)
    };
    // Each rollback or incident fails the latest deploy released before
    // it, while that deploy was still rolling out or within its window
    // after it ended: a rollback during a rollout is that rollout's.
    let mut failed = vec![false; deploys.len()];
    let trouble = real.iter().filter(|r| {
        matches!(
            kind(r),
            Some(ProcedureKind::Rollback | ProcedureKind::Incident)
        )
    });
    for run in trouble {
        let Some(at) = run.started_at else { continue };
        // Sorted by release: those released at or before `at` come first.
        let before = deploys.partition_point(|d| d.at <= at);
        if let Some(i) = before.checked_sub(1) {
            let deploy = &deploys[i];
            let blamed = ended(deploy.run).is_none_or(|end| at <= end + window_of(deploy.run));
            if blamed {
                failed[i] = true;
            }
        }
    }
    let failed_runs: Vec<String> = deploys
        .iter()
        .zip(&failed)
        .filter(|(_, failed)| **failed)
        .map(|(d, _)| d.run.id.clone())
        .collect();
    let failed = failed_runs.len();
    let span = (until - since).max(TimeDelta::days(1));
    let week_count = usize::try_from((span.num_days() + 6) / 7)
        .unwrap_or(1)
        .max(1);
    let mut weeks = vec![0; week_count];
    for deploy in &deploys {
        let at = deploy.at;
        let index = usize::try_from((at - since).num_days() / 7).unwrap_or(0);
        if let Some(week) = weeks.get_mut(index.min(week_count - 1)) {
            *week += 1;
        }
    }
    #[allow(clippy::cast_precision_loss)]
    let per_week = deploys.len() as f64 / (span.num_seconds() as f64 / 604_800.0);
    #[allow(clippy::cast_precision_loss)]
    let rate = (!deploys.is_empty()).then(|| failed as f64 / deploys.len() as f64);
    let restore = real
        .iter()
        .filter(|r| kind(r) == Some(ProcedureKind::Incident))
        .filter_map(|r| {
            let procedure = catalog.procedure(&r.procedure)?;
            spans(r.started_at, &moments(r, procedure)).to_resolve
        })
        .collect();
    Delivery {
        deploys: deploys.len(),
        per_week,
        weeks,
        failed,
        failed_runs,
        change_failure_rate: rate,
        failure_window_seconds: deploys
            .first()
            .map_or(FAILURE_WINDOW, |d| window_of(d.run))
            .num_seconds(),
        time_to_restore: quantiles(restore),
    }
}

/// A deploy that reached production, and when.
struct Release<'r> {
    run: &'r RunState,
    at: DateTime<Utc>,
}

/// When `run` reached production: its step marked `released` done,
/// whether the run later finished or was aborted; for a deploy procedure
/// that marks none, its finish.
fn release<'r>(run: &'r RunState, catalog: &Catalog) -> Option<Release<'r>> {
    let procedure = catalog.procedure(&run.procedure)?;
    let at = match procedure.marking(crate::catalog::Mark::Released) {
        Some(step) => run.status(&step.id).done_at()?,
        None => match run.phase {
            Phase::Finished { at, .. } => at,
            _ => return None,
        },
    };
    Some(Release { run, at })
}

fn postmortems(
    real: &[&RunState],
    catalog: &Catalog,
    ledger: &Ledger,
    now: DateTime<Utc>,
) -> Postmortems {
    let mut counts = Postmortems::default();
    for run in real.iter().filter(|r| !r.is_open()) {
        let Some(procedure) = catalog.procedure(&run.procedure) else {
            continue;
        };
        let Some(step) = procedure.marking(Mark::PostMortem) else {
            continue;
        };
        if let Some(owed) = postmortem(run, catalog, ledger, now) {
            counts.owed += 1;
            if matches!(owed.standing, Standing::Overdue { .. }) {
                counts.overdue += 1;
            }
            continue;
        }
        let deadline = deadline_of(run, catalog, step, "en", now).map(|d| d.state);
        let written = ledger.postmortems.get(&run.id).map(|w| w.at);
        // Done by its step, or recorded afterwards: late when after its
        // due time.
        let late = match (deadline, written) {
            (Some(DeadlineState::Met { .. }), _) => Some(false),
            (Some(DeadlineState::Missed { .. }), _) => Some(true),
            (state, Some(at)) => Some(state.and_then(|s| s.due()).is_some_and(|due| at > due)),
            _ => None,
        };
        match late {
            Some(true) => counts.late += 1,
            Some(false) => counts.on_time += 1,
            None => {}
        }
    }
    counts
}

fn followups(ledger: &Ledger, since: DateTime<Utc>, now: DateTime<Utc>) -> Followups {
    let mut counts = Followups::default();
    for f in &ledger.followups {
        match &f.state {
            FollowupState::Open => {
                counts.open += 1;
                if f.due.is_some_and(|due| due <= now) {
                    counts.overdue += 1;
                }
            }
            FollowupState::Done { at, .. } if *at >= since => counts.done += 1,
            FollowupState::Dropped { at, .. } if *at >= since => counts.dropped += 1,
            _ => {}
        }
    }
    counts
}
