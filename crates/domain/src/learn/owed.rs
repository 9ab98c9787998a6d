//! What runs leave owed once they are over: a post-mortem not written by
//! its step, a follow-up not closed. Listed with the recurring duties by
//! `runbook due` and the console's Due list, and paged when overdue.
//! Pure: runs, ledger and clock in, what is owed out.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::ledger::{Followup, Ledger};
use crate::catalog::{Catalog, Mark};
use crate::run::RunState;
use crate::run::deadline::{DeadlineState, deadline_of};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Standing {
    /// To be done by `by`.
    Due { by: DateTime<Utc> },
    /// Past its due time since `since`.
    Overdue { since: DateTime<Utc> },
    /// Open, with no due date.
    Open,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum What {
    PostMortem {
        run: String,
        procedure: String,
        severity: Option<String>,
        /// The step that should have delivered it.
        step: String,
        /// Closed with the step skipped (or failed), rather than left to do.
        skipped: bool,
    },
    /// A step with a deadline fixed in time (a legal notification) that
    /// the run closed without doing.
    Deadline {
        run: String,
        procedure: String,
        step: String,
        /// What the deadline is ("CNIL notification"), in English.
        label: String,
        skipped: bool,
    },
    FollowUp {
        id: u64,
        run: String,
        text: String,
        owner: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Owed {
    #[serde(flatten)]
    pub what: What,
    pub standing: Standing,
}

impl Owed {
    /// As `runbook due` exits: a post-mortem pages like a duty (1 due, 2
    /// overdue); a follow-up warns only once late, so that one due next
    /// month does not hold a monitor at WARNING for a month.
    pub fn plugin_code(&self) -> u8 {
        match (&self.what, self.standing) {
            (What::PostMortem { .. } | What::Deadline { .. }, Standing::Overdue { .. }) => 2,
            (What::PostMortem { .. } | What::Deadline { .. }, Standing::Due { .. })
            | (What::FollowUp { .. }, Standing::Overdue { .. }) => 1,
            _ => 0,
        }
    }

    pub fn is_overdue(&self) -> bool {
        matches!(self.standing, Standing::Overdue { .. })
    }

    /// The run it is about.
    pub fn run(&self) -> &str {
        match &self.what {
            What::PostMortem { run, .. }
            | What::Deadline { run, .. }
            | What::FollowUp { run, .. } => run,
        }
    }

    /// A stable name, for the console's list and notification keys.
    pub fn key(&self) -> String {
        match &self.what {
            What::PostMortem { run, .. } => format!("post-mortem:{run}"),
            What::Deadline { run, step, .. } => format!("owed:{run}:{step}"),
            What::FollowUp { id, .. } => format!("followup:{id}"),
        }
    }
}

/// What a closed run owes at `now`: each step owed when left (its
/// post-mortem, a deadline fixed in time) that was not done, and not
/// settled since. A drill owes nothing.
pub fn left(state: &RunState, catalog: &Catalog, ledger: &Ledger, now: DateTime<Utc>) -> Vec<Owed> {
    if state.is_open() || state.drill.is_some() {
        return Vec::new();
    }
    let Some(procedure) = catalog.procedure(&state.procedure) else {
        return Vec::new();
    };
    procedure
        .owed_when_left()
        .filter(|step| !ledger.settles(&state.id, step))
        .filter_map(|step| owed_step(state, catalog, step, now))
        .collect()
}

/// The post-mortem a closed run owes at `now`, if it owes one.
pub fn postmortem(
    state: &RunState,
    catalog: &Catalog,
    ledger: &Ledger,
    now: DateTime<Utc>,
) -> Option<Owed> {
    left(state, catalog, ledger, now)
        .into_iter()
        .find(|o| matches!(o.what, What::PostMortem { .. }))
}

fn owed_step(
    state: &RunState,
    catalog: &Catalog,
    step: &crate::catalog::Step,
    now: DateTime<Utc>,
) -> Option<Owed> {
    let status = state.status(&step.id);
    if status.done_at().is_some() {
        return None;
    }
    let standing = match step.deadline {
        None => Standing::Open,
        Some(_) => match deadline_of(state, catalog, step, "en", now)?.state {
            DeadlineState::Pending { due, .. } => Standing::Due { by: due },
            DeadlineState::Now { until, .. } => Standing::Due { by: until },
            DeadlineState::Overdue { due, .. } => Standing::Overdue { since: due },
            // Its clock never started (the rollback was never done), or
            // it does not apply to this severity: nothing to write.
            _ => return None,
        },
    };
    let (run, procedure) = (state.id.clone(), state.procedure.clone());
    let (skipped, id) = (!status.is_open(), step.id.clone());
    let what = if step.marks == Some(Mark::PostMortem) {
        What::PostMortem {
            run,
            procedure,
            severity: state.severity.clone(),
            step: id,
            skipped,
        }
    } else {
        let label = step.deadline.as_ref().and_then(|d| d.label.as_ref());
        What::Deadline {
            run,
            procedure,
            label: label.map_or_else(|| id.clone(), |l| l.get("en").to_owned()),
            step: id,
            skipped,
        }
    };
    Some(Owed { what, standing })
}

/// Whether a closed run of the index may still owe: a real run of a
/// procedure with steps owed when left, not all settled. Only these are
/// rebuilt as states to be judged.
pub fn may_owe(run: &crate::run::ClosedRun, catalog: &Catalog, ledger: &Ledger) -> bool {
    !run.drill
        && catalog.procedure(&run.procedure).is_some_and(|p| {
            p.owed_when_left()
                .any(|step| !ledger.settles(&run.id, step))
        })
}

/// An open follow-up's standing at `now`.
pub fn followup(followup: &Followup, now: DateTime<Utc>) -> Option<Owed> {
    if !followup.is_open() {
        return None;
    }
    let standing = match followup.due {
        Some(due) if due <= now => Standing::Overdue { since: due },
        Some(due) => Standing::Due { by: due },
        None => Standing::Open,
    };
    Some(Owed {
        what: What::FollowUp {
            id: followup.id,
            run: followup.run.clone(),
            text: followup.text.clone(),
            owner: followup.owner.clone(),
        },
        standing,
    })
}

/// Everything owed at `now` by the closed runs `states` and the ledger:
/// overdue first (longest overdue first), then due (soonest first), then
/// those without a date (oldest first).
pub fn owed<'a>(
    states: impl Iterator<Item = &'a RunState>,
    catalog: &Catalog,
    ledger: &Ledger,
    now: DateTime<Utc>,
) -> Vec<Owed> {
    let mut owed: Vec<Owed> = states
        .flat_map(|state| left(state, catalog, ledger, now))
        .chain(ledger.followups.iter().filter_map(|f| followup(f, now)))
        .collect();
    owed.sort_by_key(|o| match o.standing {
        Standing::Overdue { since } => (0, Some(since)),
        Standing::Due { by } => (1, Some(by)),
        Standing::Open => (2, None),
    });
    owed
}

/// The worst exit code of what is owed; 0 when nothing is.
pub fn worst(owed: &[Owed]) -> u8 {
    owed.iter().map(Owed::plugin_code).max().unwrap_or(0)
}
