//! Why a command was refused, in words an operator can act on.

use std::fmt;

use chrono::{DateTime, Utc};

use super::state::StepStatus;
use crate::text::Words;

/// Why a command was refused, in words an operator can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    UnknownStep(String),
    RunClosed,
    /// What only a closed run's owed steps take (settling), asked of an
    /// open run.
    RunStillOpen,
    /// The step is not one a closed run owes, or is owed no more.
    NotOwed(String),
    /// What only a drill may record, asked of a real run.
    NotADrill,
    /// `status` says how and by whom it was closed.
    AlreadyDone {
        step: String,
        status: StepStatus,
    },
    NotDone(String),
    EvidenceRequired {
        step: String,
        evidence: String,
    },
    /// The note is not the typed answer the step asks for.
    WrongAnswer {
        step: String,
        expected: crate::catalog::answer::Expect,
    },
    Gated {
        step: String,
        after: String,
        opens_at: Option<DateTime<Utc>>,
    },
    RoleRequired {
        step: String,
        role: String,
    },
    /// The step is marked `confirm`; `command` is what it runs, if any.
    ConfirmationRequired {
        step: String,
        command: Option<String>,
    },
    SecondOperatorRequired {
        step: String,
        first: String,
    },
    /// A second name on the first operator's proof (one OS account, one
    /// key): one person cannot stand for two.
    SamePerson {
        step: String,
        first: String,
        proof: String,
    },
    /// A role's sign-off on a proof that acted in the run under another
    /// name.
    SignOffByAnother {
        step: String,
        first: String,
        proof: String,
    },
    NotAwaitingConfirmation(String),
    ReasonRequired,
    NoteRequired,
    /// A step done by a status update, ticked before any was posted.
    UpdateRequired {
        step: String,
        audience: crate::status::Audience,
    },
    UnknownSeverity {
        given: String,
        known: Vec<String>,
    },
    SeverityRequired {
        known: Vec<String>,
    },
    StepsOpen(Vec<String>),
    UnknownProcedure(String),
    /// A metric of the step's hold has not stayed below alert long enough.
    HoldNotMet {
        step: String,
        metric: String,
        /// How long it must still hold, when it is below alert now.
        left: Option<chrono::TimeDelta>,
    },
    /// A metric of the step's hold is critical: roll back instead.
    HoldCritical {
        step: String,
        metric: String,
        rollback: Option<String>,
    },
    /// The step's hold cannot be judged here: these metrics cannot be
    /// read (no source, its variable unset, no reader), and no override
    /// was given.
    HoldUnjudged {
        step: String,
        metrics: Vec<String>,
    },
    /// The catalog does not let runbook run this step's command.
    NotRunnable(String),
    /// A two-person step's command runs only once a second operator has
    /// approved it.
    ApprovalRequired(String),
    /// The command about to start is not the one a second operator
    /// approved (a variable resolved otherwise since, or another line).
    NotApproved {
        step: String,
        approved: String,
        started: String,
    },
    NothingToApprove(String),
    /// The command started at this entry has already finished.
    AlreadyFinished(u64),
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(&crate::text::words::EN))
    }
}

impl Rejection {
    /// The refusal in the operator's words.
    pub fn text(&self, words: &Words) -> String {
        let w = words.run;
        match self {
            Rejection::UnknownStep(s) => (w.unknown_step)(s),
            Rejection::RunClosed => w.run_closed.to_owned(),
            Rejection::NotADrill => words.drill.real_run.to_owned(),
            Rejection::AlreadyDone { step, status } => (w.already)(
                step,
                &format!("{}{}", status.word(words), status.who(words)),
            ),
            Rejection::NotDone(s) => (w.not_done)(s),
            Rejection::UpdateRequired { step, audience } => {
                (words.status.update_required)(step, words.status.audience(*audience))
            }
            Rejection::EvidenceRequired { step, evidence } => (w.evidence_required)(step, evidence),
            Rejection::WrongAnswer { step, expected } => {
                (w.wrong_answer)(step, &crate::catalog::said::expected(words, expected))
            }
            Rejection::Gated {
                step,
                after,
                opens_at: Some(at),
            } => (w.gated_until)(step, &at.format("%Y-%m-%d %H:%M UTC").to_string(), after),
            Rejection::Gated {
                step,
                after,
                opens_at: None,
            } => (w.gated_after)(step, after),
            Rejection::RoleRequired { step, role } => (w.role_required)(step, role),
            Rejection::RunStillOpen => w.run_still_open.to_owned(),
            Rejection::NotOwed(step) => (w.not_owed)(step),
            Rejection::ConfirmationRequired {
                step,
                command: Some(command),
            } => (w.confirm_command)(step, command),
            Rejection::ConfirmationRequired {
                step,
                command: None,
            } => (w.confirm_step)(step),
            Rejection::SecondOperatorRequired { step, first } => (w.second_operator)(step, first),
            Rejection::SamePerson { step, first, proof } => (w.same_person)(step, first, proof),
            Rejection::SignOffByAnother { step, first, proof } => {
                (w.sign_off_by_another)(step, first, proof)
            }
            Rejection::NotAwaitingConfirmation(s) => (w.not_awaiting)(s),
            Rejection::ReasonRequired => w.reason_required.to_owned(),
            Rejection::NoteRequired => w.note_required.to_owned(),
            Rejection::UnknownSeverity { given, known } => {
                (w.unknown_severity)(given, &known.join(", "))
            }
            Rejection::SeverityRequired { known } => (w.severity_required)(&known.join(", ")),
            Rejection::StepsOpen(steps) => (w.steps_open)(&steps.join(", ")),
            Rejection::UnknownProcedure(p) => (w.unknown_procedure)(p),
            Rejection::HoldNotMet {
                step,
                metric,
                left: Some(left),
            } => (w.hold_left)(step, metric, &crate::catalog::duration::human(*left)),
            Rejection::HoldNotMet {
                step,
                metric,
                left: None,
            } => (w.hold_back)(step, metric),
            Rejection::HoldCritical {
                step,
                metric,
                rollback: Some(rollback),
            } => (w.hold_critical_rollback)(step, metric, rollback),
            Rejection::HoldCritical {
                step,
                metric,
                rollback: None,
            } => (w.hold_critical)(step, metric),
            Rejection::HoldUnjudged { step, metrics } => {
                (w.hold_unjudged)(step, &metrics.join(", "))
            }
            Rejection::NotRunnable(step) => (words.exec.not_runnable)(step),
            Rejection::ApprovalRequired(step) => (words.exec.approval_required)(step),
            Rejection::NotApproved {
                step,
                approved,
                started,
            } => (words.exec.not_approved)(step, approved, started),
            Rejection::NothingToApprove(step) => (words.exec.nothing_to_approve)(step),
            Rejection::AlreadyFinished(seq) => (words.exec.already_finished)(*seq),
        }
    }
}
