//! What is owed to whom: a fold over the journal and the clock that says
//! which notifications are due and not yet delivered. Pure: entries and
//! `now` in, notices out. Because deliveries are journaled too, a process
//! that starts after a crash owes exactly what was not delivered, with the
//! same keys, so a receiver that deduplicates sees each one once.

mod ledger;

pub use ledger::Ledger;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::catalog::notify::Trigger;

/// What a notice tells.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "subject", rename_all = "snake_case")]
pub enum Subject {
    RunStarted,
    /// A status update: what the stakeholders are told.
    StatusUpdate {
        update: crate::status::Update,
    },
    RunFinished,
    RunAborted {
        reason: String,
    },
    Severity {
        from: Option<String>,
        to: String,
    },
    Responded {
        step: String,
    },
    DeadlineSoon {
        step: String,
        label: String,
        due: DateTime<Utc>,
    },
    DeadlineMissed {
        step: String,
        label: String,
        due: DateTime<Utc>,
    },
    MetricCritical {
        metric: String,
        value: f64,
    },
    StepFailed {
        step: String,
        note: String,
    },
    ApprovalNeeded {
        step: String,
    },
    DutyOverdue {
        procedure: String,
        since: DateTime<Utc>,
    },
    /// A closed run's post-mortem is overdue (heard as `duty_overdue`).
    PostmortemOverdue {
        since: DateTime<Utc>,
    },
    FollowupOverdue {
        id: u64,
        text: String,
        owner: Option<String>,
        since: DateTime<Utc>,
    },
    Head {
        seq: u64,
        hash: String,
    },
    /// `runbook notify test`.
    Test,
}

/// A run, as a notice names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunRef {
    pub id: String,
    pub procedure: String,
    pub severity: Option<String>,
    /// The operator of the entry the notice is about.
    pub by: String,
    pub host: String,
}

/// One notification owed to one target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Notice {
    /// The idempotency key: the same notification has the same key in
    /// every process, so a resend after a crash is recognised.
    pub key: String,
    pub target: String,
    pub trigger: Trigger,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run: Option<RunRef>,
    /// The journal entry it is about, when it comes from one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub about: Option<u64>,
    /// When what it tells happened (or falls due).
    pub at: DateTime<Utc>,
    #[serde(flatten)]
    pub subject: Subject,
}

/// A PagerDuty alert's life: opened, taken in hand, closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageAction {
    Trigger,
    Acknowledge,
    Resolve,
}

impl PageAction {
    pub fn word(self) -> &'static str {
        match self {
            PageAction::Trigger => "trigger",
            PageAction::Acknowledge => "acknowledge",
            PageAction::Resolve => "resolve",
        }
    }
}

impl Notice {
    /// What a pager does with it.
    pub fn page_action(&self) -> PageAction {
        match self.trigger {
            Trigger::Responded => PageAction::Acknowledge,
            Trigger::RunFinished | Trigger::RunAborted => PageAction::Resolve,
            _ => PageAction::Trigger,
        }
    }

    /// The severity it is sent with: the run's, else none.
    pub fn severity(&self) -> Option<&str> {
        self.run.as_ref().and_then(|r| r.severity.as_deref())
    }
}

/// P1–P4 as PagerDuty's four severities; anything else is information.
pub fn pager_severity(severity: Option<&str>) -> &'static str {
    match severity.map(str::to_ascii_uppercase).as_deref() {
        Some("P1") => "critical",
        Some("P2") => "error",
        Some("P3") => "warning",
        _ => "info",
    }
}

/// A notice's one-line summary in the operator's language. Texts that
/// came from people (notes, reasons) are the caller's to make safe for
/// where the summary goes.
pub fn summary(notice: &Notice, words: &crate::text::Words) -> String {
    let w = words.notify;
    let run = notice.run.as_ref();
    let id = run.map_or("", |r| r.id.as_str());
    let procedure = run.map_or("", |r| r.procedure.as_str());
    let when = |at: &DateTime<Utc>| at.format("%Y-%m-%d %H:%M UTC").to_string();
    match &notice.subject {
        Subject::RunStarted => {
            let severity = notice
                .severity()
                .map(|s| format!("{s} "))
                .unwrap_or_default();
            let (by, host) = run.map_or(("", ""), |r| (r.by.as_str(), r.host.as_str()));
            (w.s_run_started)(&severity, procedure, id, by, host)
        }
        Subject::RunFinished => (w.s_run_finished)(procedure, id, run.map_or("", |r| &r.by)),
        Subject::RunAborted { reason } => (w.s_run_aborted)(procedure, id, reason),
        Subject::Severity { from, to } => {
            (w.s_severity)(procedure, id, from.as_deref().unwrap_or("-"), to)
        }
        Subject::Responded { .. } => (w.s_responded)(procedure, id, run.map_or("", |r| &r.by)),
        Subject::DeadlineSoon { label, due, .. } => (w.s_deadline_soon)(label, &when(due), id),
        Subject::DeadlineMissed { label, due, .. } => (w.s_deadline_missed)(label, &when(due), id),
        Subject::MetricCritical { metric, value } => (w.s_metric)(metric, &value.to_string(), id),
        Subject::StepFailed { step, note } => (w.s_step_failed)(step, id, note),
        Subject::ApprovalNeeded { step } => (w.s_approval)(step, id, run.map_or("", |r| &r.by)),
        Subject::DutyOverdue { procedure, since } => (w.s_duty)(procedure, &when(since)),
        Subject::PostmortemOverdue { since } => (w.s_postmortem)(procedure, id, &when(since)),
        Subject::FollowupOverdue {
            id: followup,
            text,
            owner,
            since,
        } => (w.s_followup)(
            *followup,
            text,
            owner.as_deref().unwrap_or("-"),
            id,
            &when(since),
        ),
        Subject::Head { seq, hash } => (w.s_anchor)(*seq, hash),
        Subject::StatusUpdate { update } => {
            let s = words.status;
            (w.s_update)(
                s.status(update.status),
                procedure,
                id,
                s.impact(update.impact),
                &update.text,
            )
        }
        Subject::Test => w.test_summary.to_owned(),
    }
}
