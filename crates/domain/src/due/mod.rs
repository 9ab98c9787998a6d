//! Recurring duties: for each procedure with a schedule, whether it is
//! done for the current period, due (and until when), or overdue (since
//! when), from the runs the journal holds. Pure: runs and clock in, states
//! out.
//!
//! A period runs from one due time to the next; a run counts for the
//! period in which it was started, however late it finished, and two runs
//! in one period count once.
//!
//! Nothing is owed from before the team started: the first period owed is
//! the first one due after the journal's first entry and after the
//! schedule's `since`. Until it comes, a duty is "not started".

pub mod said;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::catalog::{Catalog, Procedure};

/// A run of a recurring procedure that was finished (not aborted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finished {
    pub run: String,
    pub procedure: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    pub by: String,
}

/// A run of it open now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Open {
    pub run: String,
    pub procedure: String,
    pub started_at: DateTime<Utc>,
}

/// Runs folded from their entries, as the recurring duties count them:
/// the finished ones and the open ones.
pub fn from_states<'a>(
    states: impl Iterator<Item = &'a crate::run::RunState>,
    drills: bool,
) -> (Vec<Finished>, Vec<Open>) {
    use crate::run::Phase;
    let mut finished = Vec::new();
    let mut open = Vec::new();
    for state in states.filter(|s| drills || s.drill.is_none()) {
        let Some(started_at) = state.started_at else {
            continue;
        };
        match &state.phase {
            Phase::Finished { by, at } => finished.push(Finished {
                run: state.id.clone(),
                procedure: state.procedure.clone(),
                started_at,
                finished_at: *at,
                by: by.clone(),
            }),
            Phase::Open => open.push(Open {
                run: state.id.clone(),
                procedure: state.procedure.clone(),
                started_at,
            }),
            _ => {}
        }
    }
    (finished, open)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "lowercase")]
pub enum State {
    /// A run started in the current period was finished.
    Done,
    /// Not done yet, within its grace: done by `by`.
    Due { by: DateTime<Utc> },
    /// Past its grace since `since`.
    Overdue { since: DateTime<Utc> },
    /// Its first period owed has not come yet.
    #[serde(rename = "not_started")]
    NotStarted { first_due: DateTime<Utc> },
}

impl State {
    /// The monitoring-plugin code: 0 done or not started, 1 due, 2 overdue.
    /// Due or overdue: something to do now.
    pub fn owes(&self) -> bool {
        matches!(self, State::Due { .. } | State::Overdue { .. })
    }

    pub fn plugin_code(&self) -> u8 {
        match self {
            State::Done | State::NotStarted { .. } => 0,
            State::Due { .. } => 1,
            State::Overdue { .. } => 2,
        }
    }
}

/// One duty's standing at a moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Duty {
    pub procedure: String,
    #[serde(flatten)]
    pub state: State,
    /// The current period: from its due time to the next one.
    pub period_start: DateTime<Utc>,
    pub next_due: DateTime<Utc>,
    /// The last finished run (at any time), and the period it covered.
    pub last: Option<Finished>,
    pub last_period_start: Option<DateTime<Utc>>,
    /// A run of the current period still open.
    pub open: Option<String>,
}

impl Duty {
    pub fn never_done(&self) -> bool {
        self.last.is_none()
    }
}

/// What the duties are read from: the runs of the journal, and when its
/// first entry was written (`None` for an empty journal).
#[derive(Debug, Clone, Copy)]
pub struct Runs<'a> {
    pub finished: &'a [Finished],
    pub open: &'a [Open],
    pub began: Option<DateTime<Utc>>,
}

/// Every scheduled procedure's duty at `now`, overdue first (most overdue
/// first), then due (soonest first), then done (next due first), then
/// those not started (first due first).
pub fn duties(catalog: &Catalog, runs: Runs<'_>, now: DateTime<Utc>) -> Vec<Duty> {
    let mut duties: Vec<Duty> = catalog
        .procedures
        .iter()
        .filter_map(|p| duty(p, runs, now))
        .collect();
    duties.sort_by_key(|d| match d.state {
        State::Overdue { since } => (0, since),
        State::Due { by } => (1, by),
        State::Done => (2, d.next_due),
        State::NotStarted { first_due } => (3, first_due),
    });
    duties
}

fn duty(procedure: &Procedure, runs: Runs<'_>, now: DateTime<Utc>) -> Option<Duty> {
    let schedule = procedure.schedule.as_ref()?;
    let first_owed = schedule.first_owed(runs.began, now)?;
    let period_start = schedule.due_at_or_before(now)?;
    let next_due = schedule.due_after(now)?;
    let mine = || {
        runs.finished
            .iter()
            .filter(|f| f.procedure == procedure.id && f.finished_at <= now)
    };
    let done = mine().any(|f| f.started_at >= period_start && f.started_at <= now);
    let last = mine().max_by_key(|f| f.finished_at).cloned();
    let last_period_start = last
        .as_ref()
        .and_then(|l| schedule.due_at_or_before(l.started_at));
    let deadline = period_start + schedule.grace.to_chrono();
    let state = if done {
        State::Done
    } else if period_start < first_owed {
        State::NotStarted {
            first_due: first_owed,
        }
    } else if now < deadline {
        State::Due { by: deadline }
    } else {
        State::Overdue { since: deadline }
    };
    let open = runs
        .open
        .iter()
        .filter(|o| o.procedure == procedure.id && o.started_at >= period_start)
        .map(|o| o.run.clone())
        .next();
    let next_due = match state {
        State::NotStarted { first_due } => first_due,
        _ => next_due,
    };
    Some(Duty {
        procedure: procedure.id.clone(),
        state,
        period_start,
        next_due,
        last,
        last_period_start,
        open,
    })
}

/// The worst plugin code of all duties; 0 when there is none.
pub fn worst(duties: &[Duty]) -> u8 {
    duties
        .iter()
        .map(|d| d.state.plugin_code())
        .max()
        .unwrap_or(0)
}
