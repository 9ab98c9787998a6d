//! A finished or aborted run as the index keeps it: one line, enough to
//! list it, count it and read its deadlines without its entries.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Phase, RunState, StepStatus};

/// A finished or aborted run, as `runbook runs` lists it; what it needs of
/// the catalog (titles, step counts) is looked up when it is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosedRun {
    pub id: String,
    pub procedure: String,
    pub severity: Option<String>,
    pub started_at: Option<DateTime<Utc>>,
    pub started_by: Option<String>,
    pub phase: Phase,
    pub operators: Vec<String>,
    pub last_at: Option<DateTime<Utc>>,
    pub last_seq: u64,
    /// The steps done, skipped or failed.
    pub closed_steps: Vec<String>,
    /// A drill's run: left out of lists, duties and notifications.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub drill: bool,
    /// The typed answers given, by step.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub answers: std::collections::BTreeMap<String, String>,
    /// When each of `closed_steps` was done, in milliseconds since the
    /// epoch (0: closed otherwise): what deadlines, owed post-mortems and
    /// the team's numbers read. Beside the ids rather than keyed by them,
    /// so a line names each step once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub done_ms: Vec<i64>,
}

impl ClosedRun {
    pub fn of(state: &RunState) -> Self {
        let mut closed_steps: Vec<String> = state
            .steps
            .iter()
            .filter(|(_, status)| !status.is_open())
            .map(|(id, _)| id.clone())
            .collect();
        closed_steps.sort();
        ClosedRun {
            id: state.id.clone(),
            procedure: state.procedure.clone(),
            severity: state.severity.clone(),
            started_at: state.started_at,
            started_by: state.started_by.clone(),
            phase: state.phase.clone(),
            operators: state.operators.clone(),
            last_at: state.last_at,
            last_seq: state.last_seq,
            drill: state.drill.is_some(),
            answers: state.answers.clone(),
            done_ms: closed_steps
                .iter()
                .map(|id| {
                    state
                        .status(id)
                        .done_at()
                        .map_or(0, |at| at.timestamp_millis())
                })
                .collect(),
            closed_steps,
        }
    }

    /// The run as a state again, as far as its summary tells: its steps
    /// done (when, not by whom) or closed otherwise, for the deadline and
    /// moment readers that take a state.
    pub fn state(&self) -> RunState {
        let mut state = self.summary_state();
        let closed_at = self.last_at.unwrap_or_default();
        for (i, id) in self.closed_steps.iter().enumerate() {
            let done = self.done_ms.get(i).copied().filter(|ms| *ms != 0);
            let status = match done.and_then(DateTime::<Utc>::from_timestamp_millis) {
                Some(at) => StepStatus::Done {
                    by: String::new(),
                    at,
                    confirmed_by: None,
                },
                None => StepStatus::Skipped {
                    by: String::new(),
                    at: closed_at,
                    reason: String::new(),
                },
            };
            state.steps.insert(id.clone(), status);
        }
        state
    }

    /// The run as a state without its steps: what counting runs needs.
    pub fn summary_state(&self) -> RunState {
        let mut state = RunState::new(&self.id);
        state.procedure.clone_from(&self.procedure);
        state.severity.clone_from(&self.severity);
        state.started_at = self.started_at;
        state.started_by.clone_from(&self.started_by);
        state.phase = self.phase.clone();
        state.operators.clone_from(&self.operators);
        state.last_at = self.last_at;
        state.last_seq = self.last_seq;
        state.answers.clone_from(&self.answers);
        if self.drill {
            state.drill = Some(crate::run::state::Drill {
                id: String::new(),
                scenario: None,
                speed: 1,
            });
        }
        state
    }
}
