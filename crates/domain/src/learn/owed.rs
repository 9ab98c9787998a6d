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
            (What::PostMortem { .. }, Standing::Overdue { .. }) => 2,
            (What::PostMortem { .. }, Standing::Due { .. })
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
            What::PostMortem { run, .. } | What::FollowUp { run, .. } => run,
        }
    }

    /// A stable name, for the console's list and notification keys.
    pub fn key(&self) -> String {
        match &self.what {
            What::PostMortem { run, .. } => format!("post-mortem:{run}"),
            What::FollowUp { id, .. } => format!("followup:{id}"),
        }
    }
}

/// The post-mortem a closed run owes at `now`, if it owes one: its
/// procedure has a step marked `post-mortem`, that step was not done (or
/// is not done yet), and no post-mortem was recorded for it since. A
/// drill owes nothing.
pub fn postmortem(
    state: &RunState,
    catalog: &Catalog,
    ledger: &Ledger,
    now: DateTime<Utc>,
) -> Option<Owed> {
    if state.is_open() || state.drill.is_some() || ledger.postmortems.contains_key(&state.id) {
        return None;
    }
    let procedure = catalog.procedure(&state.procedure)?;
    let step = procedure.marking(Mark::PostMortem)?;
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
    Some(Owed {
        what: What::PostMortem {
            run: state.id.clone(),
            procedure: state.procedure.clone(),
            severity: state.severity.clone(),
            step: step.id.clone(),
            skipped: !status.is_open(),
        },
        standing,
    })
}

/// Whether a closed run of the index may owe a post-mortem: a real run
/// of a procedure that writes one, none recorded yet. Only these are
/// rebuilt as states to be judged.
pub fn may_owe(run: &crate::run::ClosedRun, catalog: &Catalog, ledger: &Ledger) -> bool {
    !run.drill
        && !ledger.postmortems.contains_key(&run.id)
        && catalog
            .procedure(&run.procedure)
            .is_some_and(crate::catalog::Procedure::writes_postmortem)
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
        .filter_map(|state| postmortem(state, catalog, ledger, now))
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
