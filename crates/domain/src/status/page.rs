//! The status page, built from the journal's runs: the overall state, each
//! component's, the incidents open and resolved (with their updates), and
//! the maintenances announced. One build serves the public page (public
//! updates only: an incident nobody told the public about is not on it)
//! and the company's (every update).

use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;

use super::{Audience, Impact, Posted, Status};
use crate::catalog::{Catalog, ProcedureKind};
use crate::run::{Phase, RunState};

/// How long a resolved incident stays on the page.
pub const RESOLVED_KEPT: TimeDelta = TimeDelta::days(30);

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page {
    /// The journal entry the page is as of: a live page's event id.
    pub seq: u64,
    pub at: DateTime<Utc>,
    /// When the last update shown was posted.
    pub updated_at: Option<DateTime<Utc>>,
    /// The worst impact open, or `maintenance` while one is under way.
    pub indicator: &'static str,
    pub components: Vec<ComponentState>,
    /// Open, newest first.
    pub incidents: Vec<Incident>,
    /// Resolved in the last 30 days, newest first.
    pub resolved: Vec<Incident>,
    pub maintenances: Vec<Maintenance>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComponentState {
    pub id: String,
    pub name: String,
    pub detail: Option<String>,
    /// Statuspage's: `operational`, `degraded_performance`,
    /// `partial_outage`, `major_outage`, `under_maintenance`.
    pub status: &'static str,
    pub position: usize,
    pub updated_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Incident {
    /// The run's id.
    pub id: String,
    pub procedure: String,
    pub name: String,
    pub severity: Option<String>,
    pub status: Status,
    pub impact: Impact,
    pub components: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub monitoring_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    /// Newest first, as status pages show them.
    pub updates: Vec<Posted>,
    /// The run's own state, for the company's page: its steps closed of
    /// how many, and whether it is still open.
    pub progress: (usize, usize),
    pub run_open: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Maintenance {
    pub id: String,
    pub name: String,
    pub status: Status,
    pub scheduled_for: Option<DateTime<Utc>>,
    pub scheduled_until: Option<DateTime<Utc>>,
    pub components: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub updates: Vec<Posted>,
}

/// What the page is built from.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub catalog: &'a Catalog,
    pub now: DateTime<Utc>,
    pub seq: u64,
    pub lang: &'a str,
    pub audience: Audience,
}

/// The page for `audience`, from `runs` (any order; drills are left out).
pub fn build<'r>(source: &Source<'_>, runs: impl IntoIterator<Item = &'r RunState>) -> Page {
    let mut incidents = Vec::new();
    let mut resolved = Vec::new();
    let mut maintenances = Vec::new();
    for run in runs.into_iter().filter(|r| r.drill.is_none()) {
        let updates: Vec<Posted> = run
            .updates
            .iter()
            .filter(|u| u.update.reaches(source.audience))
            .rev()
            .cloned()
            .collect();
        if updates.is_empty() {
            continue;
        }
        let kind = source.catalog.procedure(&run.procedure).map(|p| p.kind);
        if kind == Some(ProcedureKind::Maintenance) {
            maintenances.push(maintenance(source, run, updates));
            continue;
        }
        let incident = incident(source, run, updates);
        match incident.resolved_at {
            None => incidents.push(incident),
            Some(at) if source.now - at <= RESOLVED_KEPT => resolved.push(incident),
            Some(_) => {}
        }
    }
    incidents.sort_by_key(|i| std::cmp::Reverse(i.updated_at));
    resolved.sort_by_key(|i| std::cmp::Reverse(i.resolved_at));
    maintenances.sort_by_key(|m| m.scheduled_for);
    maintenances
        .retain(|m| !m.status.is_closing() || source.now - m.updated_at <= TimeDelta::days(1));
    let components = components(source, &incidents, &maintenances);
    let worst = incidents.iter().map(|i| i.impact).max().unwrap_or_default();
    let indicator =
        if worst == Impact::None && maintenances.iter().any(|m| m.status == Status::InProgress) {
            "maintenance"
        } else {
            worst.name()
        };
    let updated_at = incidents
        .iter()
        .chain(&resolved)
        .map(|i| i.updated_at)
        .chain(maintenances.iter().map(|m| m.updated_at))
        .max();
    Page {
        seq: source.seq,
        at: source.now,
        updated_at,
        indicator,
        components,
        incidents,
        resolved,
        maintenances,
    }
}

fn name(source: &Source<'_>, run: &RunState) -> String {
    let catalog = source.catalog;
    let lang = source.lang;
    match run.severity.as_deref().and_then(|s| catalog.severity(s)) {
        Some(severity) => severity.title.get(lang).to_owned(),
        None => catalog
            .procedure(&run.procedure)
            .map_or_else(|| run.procedure.clone(), |p| p.title.get(lang).to_owned()),
    }
}

fn progress(source: &Source<'_>, run: &RunState) -> (usize, usize) {
    source
        .catalog
        .procedure(&run.procedure)
        .map_or((0, 0), |p| {
            let all = p.steps().count();
            let closed = p.steps().filter(|s| !run.status(&s.id).is_open()).count();
            (closed, all)
        })
}

fn closed_at(run: &RunState) -> Option<DateTime<Utc>> {
    match &run.phase {
        Phase::Finished { at, .. } | Phase::Aborted { at, .. } => Some(*at),
        Phase::New | Phase::Open => None,
    }
}

fn touched(updates: &[Posted]) -> Vec<String> {
    let mut components: Vec<String> = updates
        .iter()
        .flat_map(|u| u.update.components.iter().cloned())
        .collect();
    components.sort();
    components.dedup();
    components
}

/// An incident is resolved by a `resolved` update, or when its run closes
/// (nobody is on it any more).
fn incident(source: &Source<'_>, run: &RunState, updates: Vec<Posted>) -> Incident {
    let latest = &updates[0];
    let first = &updates[updates.len() - 1];
    let resolved_at = if latest.update.status.is_closing() {
        Some(latest.at)
    } else {
        closed_at(run)
    };
    Incident {
        id: run.id.clone(),
        procedure: run.procedure.clone(),
        name: name(source, run),
        severity: run.severity.clone(),
        status: if resolved_at.is_some() {
            Status::Resolved
        } else {
            latest.update.status
        },
        impact: updates
            .iter()
            .map(|u| u.update.impact)
            .max()
            .unwrap_or_default(),
        components: touched(&updates),
        created_at: run.started_at.unwrap_or(first.at).min(first.at),
        updated_at: latest.at,
        monitoring_at: updates
            .iter()
            .rev()
            .find(|u| u.update.status == Status::Monitoring)
            .map(|u| u.at),
        resolved_at,
        progress: progress(source, run),
        run_open: run.is_open(),
        updates,
    }
}

/// A maintenance is announced by its first update, for the window its
/// notice was given in time for; it is in progress in that window while
/// its run is open, and completed when the run closes.
fn maintenance(source: &Source<'_>, run: &RunState, updates: Vec<Posted>) -> Maintenance {
    let latest = &updates[0];
    let first = &updates[updates.len() - 1];
    let windows = &source.catalog.windows;
    let occurrence = run
        .started_at
        .and_then(|at| crate::windows::open_at(windows, at))
        .or_else(|| crate::windows::next_with_notice(windows, first.at));
    let (opens, closes) = occurrence
        .as_ref()
        .map_or((None, None), |o| (Some(o.opens), Some(o.closes)));
    let said = latest.update.status;
    let status = if closed_at(run).is_some() || said == Status::Completed {
        Status::Completed
    } else if matches!(said, Status::InProgress | Status::Verifying) {
        said
    } else if opens.is_some_and(|o| source.now >= o) {
        Status::InProgress
    } else {
        Status::Scheduled
    };
    let title = occurrence.map(|o| o.window.title.get(source.lang).to_owned());
    Maintenance {
        id: run.id.clone(),
        name: title.unwrap_or_else(|| name(source, run)),
        status,
        scheduled_for: opens,
        scheduled_until: closes,
        components: touched(&updates),
        created_at: first.at,
        updated_at: latest.at,
        updates,
    }
}

/// Each catalog component at the worst state an open incident puts it
/// in; under maintenance while one touching it is in progress.
fn components(
    source: &Source<'_>,
    incidents: &[Incident],
    maintenances: &[Maintenance],
) -> Vec<ComponentState> {
    source
        .catalog
        .components
        .iter()
        .enumerate()
        .map(|(position, c)| {
            let hit = incidents.iter().filter(|i| i.components.contains(&c.id));
            let worst = hit.clone().map(|i| i.impact).max();
            let updated_at = hit.map(|i| i.updated_at).max();
            let maintained = maintenances
                .iter()
                .any(|m| m.status == Status::InProgress && m.components.contains(&c.id));
            let status = match worst {
                Some(impact) if impact > Impact::None => impact.component_status(),
                _ if maintained => "under_maintenance",
                _ => "operational",
            };
            ComponentState {
                id: c.id.clone(),
                name: c.name.get(source.lang).to_owned(),
                detail: c.detail.as_ref().map(|d| d.get(source.lang).to_owned()),
                status,
                position: position + 1,
                updated_at,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
