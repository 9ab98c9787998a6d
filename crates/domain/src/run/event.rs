//! What happened, in the past tense: the events a run is made of, and the
//! two the journal itself records. One type serves recording, live
//! updates, resume, replay and reports.

use serde::{Deserialize, Serialize};

/// How a step's metric hold was judged when it was done: what `audit
/// verify` judges again. Recorded with every step that holds on metrics.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Held {
    /// Each metric read, and since when it had stayed below its alert
    /// threshold.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub read: Vec<(String, chrono::DateTime<chrono::Utc>)>,
    /// The metrics that could not be read where the step was done (no
    /// source, its variable unset, no reader).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unread: Vec<String>,
    /// Why the step was done without them: an override, with its reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overridden: Option<String>,
}

/// An event as recorded. Serialised externally tagged
/// (`{"step_completed":{…}}`), which reads well in the file and parses
/// without buffering on replay.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// The first entry of every journal file.
    JournalCreated {
        version: u32,
        keyed: bool,
    },
    /// A torn last line (a crash mid-write) was cut off before this entry;
    /// its length and hash are kept so nothing disappears unrecorded.
    TailRecovered {
        torn_bytes: u64,
        torn_sha256: String,
    },

    RunStarted {
        procedure: String,
        /// The procedure's content hash when the run started.
        procedure_hash: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        severity: Option<String>,
        /// The procedure's whole content, as hashed: what the run is
        /// judged by, whatever catalog reads the journal later.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pinned: Option<super::pinned::Pinned>,
    },
    /// The run is a drill: recorded with its start. `drill` names the
    /// drill (the runs started in one drill share it), `scenario` what
    /// was played, `speed` how fast its clock ran.
    DrillStarted {
        drill: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        scenario: Option<String>,
        speed: u32,
    },
    /// The drill clock was moved forward by hand, from `from` to the
    /// entry's drill time.
    DrillClockJumped {
        from: chrono::DateTime<chrono::Utc>,
    },
    /// A step was done.
    StepCompleted {
        step: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
        /// The note read as the typed answer the step asks for.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        value: Option<crate::catalog::answer::Answer>,
        /// How the step's metric hold was judged.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        hold: Option<Held>,
    },
    /// A step's `when` is false for the answer an earlier step gave: it
    /// is not needed in this run.
    StepNotNeeded {
        step: String,
        /// The condition, as written (`find-gaps > 1`).
        condition: String,
        /// The answer that made it false, as shown (`0.4 EUR`).
        value: String,
    },
    /// The first operator's half of a two-person step: done when another
    /// operator confirms it.
    StepProposed {
        step: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
        /// How the step's metric hold was judged.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        hold: Option<Held>,
    },
    /// A second, different operator confirmed a two-person step.
    StepConfirmed {
        step: String,
    },
    /// An operator took the step in hand, so a teammate does not do it twice.
    StepClaimed {
        step: String,
    },
    StepSkipped {
        step: String,
        reason: String,
    },
    /// A two-person step skipped by one operator: skipped once a second,
    /// different one confirms, as its completion would be.
    StepSkipProposed {
        step: String,
        reason: String,
    },
    /// A two-person step failed by one operator: failed once a second
    /// confirms.
    StepFailProposed {
        step: String,
        note: String,
    },
    StepFailed {
        step: String,
        note: String,
    },
    StepReopened {
        step: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    NoteAdded {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        step: Option<String>,
        text: String,
    },
    /// A two-person step's command was asked for; it runs once a second
    /// operator approves it.
    CommandRequested {
        step: String,
        command: String,
    },
    /// A second operator approved the command: it may run, once.
    CommandApproved {
        step: String,
        command: String,
    },
    /// A step's command is about to run: on disk before the process
    /// exists, so a crash leaves "started, outcome unknown", never nothing.
    CommandStarted {
        step: String,
        /// As shown to the operator: variables in place, secrets masked.
        command: String,
        host: String,
        cwd: String,
        timeout_secs: u64,
    },
    /// How the command started at entry `started` ended.
    CommandFinished {
        step: String,
        started: u64,
        outcome: super::command::Outcome,
        duration_ms: u64,
        output: super::command::Output,
    },
    /// A metric crossed a threshold while the run was open (`ok`, `alert`
    /// or `critical`).
    MetricCrossed {
        metric: String,
        from: String,
        to: String,
        value: f64,
    },
    SeverityChanged {
        from: Option<String>,
        to: String,
    },
    /// What the people outside the terminal were told: a status update
    /// (its state, impact, components, and whether it is public).
    StatusUpdated(crate::status::Update),
    /// The operator left (quit, hang-up); the run stays open.
    RunDetached {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    RunResumed,
    RunAborted {
        reason: String,
    },
    RunFinished,

    /// A notification reached its target. Recorded outside any run (the
    /// run it is about is named), so folding runs never meets it.
    NotificationSent(Delivery),
    /// A notification was given up: refused for good (`permanent`), or
    /// still failing after every retry (a later process tries again).
    NotificationFailed {
        #[serde(flatten)]
        delivery: Delivery,
        error: String,
        permanent: bool,
    },
    /// A closed run's post-mortem was written. Recorded outside any run
    /// (the run is closed; it is named), like what follows: what a team
    /// learns from runs lives beside them.
    PostmortemDone {
        run: String,
        /// Where the document is.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        link: Option<String>,
        /// The document's SHA-256, when it was given as a file.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sha256: Option<String>,
    },
    /// A step a closed run still owed (a post-mortem, a legal deadline)
    /// settled otherwise than by doing it, by a holder of its role, with
    /// why. Recorded outside the run, like a post-mortem.
    StepSettled {
        run: String,
        step: String,
        reason: String,
    },
    /// The team's identity policy (operators, keys, roles, what proves
    /// who acts), published from its site: what every process judges by
    /// from this entry on.
    PolicyPublished(crate::journal::policy::Published),
    /// A breach notification (to the authority, or to the people) recorded
    /// as sent, with its reference. Outside the run, which may be closed.
    BreachNoticeSent(crate::gdpr::Sent),
    /// An action decided after a run; its id is this entry's `seq`.
    FollowupAdded {
        run: String,
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        owner: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        due: Option<chrono::DateTime<chrono::Utc>>,
    },
    FollowupDone {
        followup: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// Given up, with why: never dropped by silence.
    FollowupDropped {
        followup: u64,
        reason: String,
    },
    /// The journal's head at entry `seq` was sent to an anchor target.
    HeadAnchored {
        target: String,
        key: String,
        seq: u64,
        hash: String,
    },
}

/// Which notification, to whom, about what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    pub target: String,
    /// The idempotency key (PagerDuty's dedup key is the run; a webhook's
    /// id is this): the same notification always has the same key.
    pub key: String,
    pub trigger: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run: Option<String>,
    /// The entry it was about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub about: Option<u64>,
    pub attempts: u32,
    /// The receiver's answer in short (`202`), for the audit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
}

impl Event {
    /// The step an event is about, if any.
    pub fn step(&self) -> Option<&str> {
        match self {
            Event::StepCompleted { step, .. }
            | Event::StepProposed { step, .. }
            | Event::StepConfirmed { step }
            | Event::StepClaimed { step }
            | Event::StepSkipped { step, .. }
            | Event::StepFailed { step, .. }
            | Event::StepSkipProposed { step, .. }
            | Event::StepFailProposed { step, .. }
            | Event::StepNotNeeded { step, .. }
            | Event::StepReopened { step, .. }
            | Event::CommandRequested { step, .. }
            | Event::CommandApproved { step, .. }
            | Event::CommandStarted { step, .. }
            | Event::CommandFinished { step, .. } => Some(step),
            Event::NoteAdded { step, .. } => step.as_deref(),
            _ => None,
        }
    }

    /// A short name, as in the file.
    pub fn name(&self) -> &'static str {
        match self {
            Event::JournalCreated { .. } => "journal_created",
            Event::TailRecovered { .. } => "tail_recovered",
            Event::RunStarted { .. } => "run_started",
            Event::DrillStarted { .. } => "drill_started",
            Event::DrillClockJumped { .. } => "drill_clock_jumped",
            Event::StepCompleted { .. } => "step_completed",
            Event::StepProposed { .. } => "step_proposed",
            Event::StepConfirmed { .. } => "step_confirmed",
            Event::StepClaimed { .. } => "step_claimed",
            Event::StepSkipped { .. } => "step_skipped",
            Event::StepFailed { .. } => "step_failed",
            Event::StepSkipProposed { .. } => "step_skip_proposed",
            Event::StepFailProposed { .. } => "step_fail_proposed",
            Event::StepNotNeeded { .. } => "step_not_needed",
            Event::StepReopened { .. } => "step_reopened",
            Event::NoteAdded { .. } => "note_added",
            Event::CommandRequested { .. } => "command_requested",
            Event::CommandApproved { .. } => "command_approved",
            Event::CommandStarted { .. } => "command_started",
            Event::CommandFinished { .. } => "command_finished",
            Event::MetricCrossed { .. } => "metric_crossed",
            Event::SeverityChanged { .. } => "severity_changed",
            Event::StatusUpdated(_) => "status_updated",
            Event::RunDetached { .. } => "run_detached",
            Event::RunResumed => "run_resumed",
            Event::RunAborted { .. } => "run_aborted",
            Event::RunFinished => "run_finished",
            Event::NotificationSent(_) => "notification_sent",
            Event::NotificationFailed { .. } => "notification_failed",
            Event::HeadAnchored { .. } => "head_anchored",
            Event::PostmortemDone { .. } => "postmortem_done",
            Event::StepSettled { .. } => "step_settled",
            Event::BreachNoticeSent(_) => "breach_notice_sent",
            Event::PolicyPublished(_) => "policy_published",
            Event::FollowupAdded { .. } => "followup_added",
            Event::FollowupDone { .. } => "followup_done",
            Event::FollowupDropped { .. } => "followup_dropped",
        }
    }
}
