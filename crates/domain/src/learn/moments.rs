//! The moments of a run the catalog names (`marks = "mitigated"`): when
//! each was reached (its step done), and how long after the start.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;

use crate::catalog::{Mark, Procedure};
use crate::run::RunState;

/// When each marked moment was reached, by mark.
pub fn moments(state: &RunState, procedure: &Procedure) -> BTreeMap<Mark, DateTime<Utc>> {
    Mark::ALL
        .iter()
        .filter_map(|mark| {
            let step = procedure.marking(*mark)?;
            Some((*mark, state.status(&step.id).done_at()?))
        })
        .collect()
}

/// The spans a review reads, from the start of the run: the response
/// deadline runs from it too.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Spans {
    pub to_respond: Option<Span>,
    pub to_escalate: Option<Span>,
    pub to_mitigate: Option<Span>,
    pub to_resolve: Option<Span>,
}

/// A span in whole seconds, as JSON gives it to a dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Span {
    pub seconds: i64,
}

impl Span {
    pub fn delta(self) -> TimeDelta {
        TimeDelta::seconds(self.seconds)
    }
}

pub fn spans(started: Option<DateTime<Utc>>, moments: &BTreeMap<Mark, DateTime<Utc>>) -> Spans {
    let since = |mark: Mark| {
        let (from, to) = (started?, *moments.get(&mark)?);
        Some(Span {
            seconds: (to - from).num_seconds(),
        })
    };
    Spans {
        to_respond: since(Mark::Responded),
        to_escalate: since(Mark::Escalated),
        to_mitigate: since(Mark::Mitigated),
        to_resolve: since(Mark::Resolved),
    }
}
