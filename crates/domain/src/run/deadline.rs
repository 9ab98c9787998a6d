//! Deadlines derived from a run's events and the catalog: the severity's
//! response and escalation times, the 72 h breach notification, the
//! post-mortems. The current time is passed in.

use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;

use super::state::{RunState, StepStatus};
use crate::catalog::{Anchor, Catalog, Duration, Procedure, Step, Within};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum DeadlineState {
    /// Its clock has not started: the step it runs from is not done yet.
    NotStarted,
    /// It does not apply to this run (a P4 has no escalation).
    NotApplicable,
    /// Running; `left` until it is due.
    Pending { due: DateTime<Utc>, left: TimeDelta },
    /// Due at once ("P1: escalate immediately"): an order, not yet a miss,
    /// until its grace ends at `until`.
    Now {
        due: DateTime<Utc>,
        until: DateTime<Utc>,
    },
    /// Past due and the step still not done.
    Overdue { due: DateTime<Utc>, late: TimeDelta },
    /// The step was done in time.
    Met {
        due: DateTime<Utc>,
        at: DateTime<Utc>,
    },
    /// The step was done, late.
    Missed {
        due: DateTime<Utc>,
        at: DateTime<Utc>,
        late: TimeDelta,
    },
}

impl DeadlineState {
    pub fn due(&self) -> Option<DateTime<Utc>> {
        match self {
            DeadlineState::Pending { due, .. }
            | DeadlineState::Now { due, .. }
            | DeadlineState::Overdue { due, .. }
            | DeadlineState::Met { due, .. }
            | DeadlineState::Missed { due, .. } => Some(*due),
            _ => None,
        }
    }

    /// Whether it still demands attention.
    pub fn is_live(&self) -> bool {
        matches!(
            self,
            DeadlineState::Pending { .. }
                | DeadlineState::Now { .. }
                | DeadlineState::Overdue { .. }
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeadlineStatus {
    pub step: String,
    /// What it is, in the chosen language.
    pub label: String,
    pub state: DeadlineState,
}

/// The allowed time for a deadline in this run, if it applies.
fn allowed(within: &Within, catalog: &Catalog, severity: Option<&str>) -> Option<Duration> {
    let severity = || severity.and_then(|s| catalog.severity(s));
    match within {
        Within::Fixed(d) => Some(*d),
        Within::Response => severity().map(|s| s.response),
        Within::Escalation => severity().and_then(|s| s.escalation),
        Within::PerSeverity(per) => {
            let id = &severity()?.id;
            per.iter().find(|(s, _)| s == id).map(|(_, d)| *d)
        }
    }
}

fn anchor_time(state: &RunState, anchor: &Anchor) -> Option<DateTime<Utc>> {
    match anchor {
        Anchor::RunStart => state.started_at,
        Anchor::Step(step) => match state.status(step) {
            StepStatus::Done { at, .. } => Some(*at),
            _ => None,
        },
    }
}

pub fn deadline_of(
    state: &RunState,
    catalog: &Catalog,
    step: &Step,
    lang: &str,
    now: DateTime<Utc>,
) -> Option<DeadlineStatus> {
    let deadline = step.deadline.as_ref()?;
    let label = deadline.label.as_ref().map_or_else(
        || step.text.get(lang).to_owned(),
        |l| l.get(lang).to_owned(),
    );
    let state_now = match (
        allowed(&deadline.within, catalog, state.severity.as_deref()),
        anchor_time(state, &deadline.after),
    ) {
        (None, _) => DeadlineState::NotApplicable,
        (_, None) => DeadlineState::NotStarted,
        (Some(allowed), Some(from)) => {
            let due = from + allowed.to_chrono();
            let until = due + deadline.grace.to_chrono();
            match state.status(&step.id) {
                StepStatus::Done { at, .. } if *at <= until => DeadlineState::Met { due, at: *at },
                StepStatus::Done { at, .. } => DeadlineState::Missed {
                    due,
                    at: *at,
                    late: *at - due,
                },
                // A skipped or failed step does not meet its deadline; it
                // stops counting once the run is closed.
                _ if allowed.is_zero() && now <= until => DeadlineState::Now { due, until },
                _ if now <= due => DeadlineState::Pending {
                    due,
                    left: due - now,
                },
                _ => DeadlineState::Overdue {
                    due,
                    late: now - due,
                },
            }
        }
    };
    Some(DeadlineStatus {
        step: step.id.clone(),
        label,
        state: state_now,
    })
}

/// Every deadline of the run, in procedure order.
pub fn deadlines(
    state: &RunState,
    catalog: &Catalog,
    procedure: &Procedure,
    lang: &str,
    now: DateTime<Utc>,
) -> Vec<DeadlineStatus> {
    procedure
        .steps()
        .filter_map(|step| deadline_of(state, catalog, step, lang, now))
        .collect()
}
