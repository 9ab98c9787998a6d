//! Procedures as walked: their kinds, sections, steps, gates, deadlines,
//! holds and the criteria that call for another procedure.

use serde::{Deserialize, Serialize};

use crate::catalog::diagnostic::Origin;
use crate::catalog::duration::Duration;
pub use crate::catalog::schedule::Recurrence;
use crate::catalog::text::Text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProcedureKind {
    Deploy,
    Rollback,
    Incident,
    Maintenance,
    Security,
    Recovery,
    Reconciliation,
    Compliance,
}

impl ProcedureKind {
    pub const ALL: [ProcedureKind; 8] = [
        ProcedureKind::Deploy,
        ProcedureKind::Rollback,
        ProcedureKind::Incident,
        ProcedureKind::Maintenance,
        ProcedureKind::Security,
        ProcedureKind::Recovery,
        ProcedureKind::Reconciliation,
        ProcedureKind::Compliance,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ProcedureKind::Deploy => "deploy",
            ProcedureKind::Rollback => "rollback",
            ProcedureKind::Incident => "incident",
            ProcedureKind::Maintenance => "maintenance",
            ProcedureKind::Security => "security",
            ProcedureKind::Recovery => "recovery",
            ProcedureKind::Reconciliation => "reconciliation",
            ProcedureKind::Compliance => "compliance",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Procedure {
    pub id: String,
    pub kind: ProcedureKind,
    pub title: Text,
    pub summary: Option<Text>,
    /// Where in the source runbook this comes from, e.g. `§1`.
    pub reference: Option<String>,
    /// The procedure to turn to when this one goes wrong (deploys).
    pub rollback: Option<String>,
    pub recurrence: Option<Recurrence>,
    /// When it is due, for a recurring procedure; not part of its content
    /// (a site may move a duty without changing what a run of it is).
    #[serde(skip)]
    pub schedule: Option<crate::catalog::schedule::Schedule>,
    /// Whether a run must be given a severity when it starts (incidents).
    pub asks_severity: bool,
    /// A deploy followed within this time by a rollback or an incident
    /// counts as a failed change (`runbook stats`); 24 h when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_window: Option<Duration>,
    pub sections: Vec<Section>,
    /// SHA-256 of the procedure's own text in its file, so a run records
    /// exactly which version of the procedure it followed.
    pub content_hash: String,
    #[serde(skip)]
    pub origin: Origin,
}

impl Procedure {
    pub fn steps(&self) -> impl Iterator<Item = &Step> {
        self.sections.iter().flat_map(|s| s.steps.iter())
    }

    pub fn steps_mut(&mut self) -> impl Iterator<Item = &mut Step> {
        self.sections.iter_mut().flat_map(|s| s.steps.iter_mut())
    }

    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps().find(|s| s.id == id)
    }

    /// The step that marks `mark`, if one does.
    pub fn marking(&self, mark: Mark) -> Option<&Step> {
        self.steps().find(|s| s.marks == Some(mark))
    }

    /// Whether a run of it owes a post-mortem when its step is not done.
    pub fn writes_postmortem(&self) -> bool {
        self.marking(Mark::PostMortem).is_some()
    }

    /// The steps a run that closed without them still owes.
    pub fn owed_when_left(&self) -> impl Iterator<Item = &Step> {
        self.steps().filter(|s| s.owed_when_left())
    }

    pub fn step_count(&self) -> usize {
        self.sections.iter().map(|s| s.steps.len()).sum()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Section {
    pub id: String,
    pub title: Text,
    pub steps: Vec<Step>,
    #[serde(skip)]
    pub origin: Origin,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Step {
    pub id: String,
    pub text: Text,
    pub detail: Option<Text>,
    /// Commands the operator runs, shown verbatim and copyable.
    pub commands: Vec<String>,
    /// The command runbook may run for the operator, where their config
    /// allows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run: Option<crate::catalog::exec::Runnable>,
    /// What note must be given as evidence before the step can be ticked.
    pub evidence: Option<Text>,
    /// The evidence as a typed answer (a number with its unit, yes or
    /// no, one of listed choices), which later steps' `when` may read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expects: Option<crate::catalog::answer::Expect>,
    /// Needed only when an earlier step's answer says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<crate::catalog::answer::Condition>,
    /// The run variable the evidence becomes, as `${name}` in later steps'
    /// commands (the stable version a rollback goes back to).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sets: Option<String>,
    /// The role whose holder must sign the step off.
    pub role: Option<String>,
    /// Done only when a second, different operator confirms it.
    pub two_person: bool,
    /// The operator must confirm before a destructive command is marked run.
    pub confirm: bool,
    /// May be left open when the run finishes.
    pub optional: bool,
    pub gate: Option<Gate>,
    pub deadline: Option<Deadline>,
    pub hold: Option<MetricHold>,
    /// Decision criteria, such as the rollback criteria.
    pub criteria: Vec<Criterion>,
    /// Whom the step has the operator call (contact ids), shown with how
    /// to reach them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<String>,
    /// The moment of the run this step's completion is (`marks =
    /// "mitigated"`): what post-mortems and the team's numbers read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marks: Option<Mark>,
    /// Done by a status update reaching this audience (`update =
    /// "public"`): the stakeholders told, the users notified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update: Option<crate::status::Audience>,
    #[serde(skip)]
    pub origin: Origin,
}

impl Step {
    /// Whether a run that closes without this step done still owes it,
    /// until a holder of its role settles it with a reason: the
    /// post-mortem, and a deadline fixed in time (the CNIL's 72 h), which
    /// law or policy sets, unlike a response time, which only measures.
    pub fn owed_when_left(&self) -> bool {
        self.marks == Some(Mark::PostMortem)
            || self
                .deadline
                .as_ref()
                .is_some_and(|d| matches!(d.within, Within::Fixed(_)))
    }
}

/// The moments of an incident a step can mark, in the order they come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mark {
    Detected,
    Responded,
    Escalated,
    Mitigated,
    Resolved,
    /// The step that delivers the post-mortem: a run that closes without
    /// it done owes one until it is settled.
    PostMortem,
    /// A deploy's change reached production (its first rollout step):
    /// from then on it counts as a deploy, finished or not, and trouble
    /// that follows is blamed on it (`runbook stats`).
    Released,
}

impl Mark {
    pub const ALL: [Mark; 7] = [
        Mark::Detected,
        Mark::Responded,
        Mark::Escalated,
        Mark::Mitigated,
        Mark::Resolved,
        Mark::PostMortem,
        Mark::Released,
    ];
    pub const NAMES: [&'static str; 7] = [
        "detected",
        "responded",
        "escalated",
        "mitigated",
        "resolved",
        "post-mortem",
        "released",
    ];

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

/// "Not before `wait` after step `after` is done": the rollout days.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Gate {
    pub after: String,
    pub wait: Duration,
}

/// What starts a deadline's clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Anchor {
    /// The run started (the incident or breach was detected).
    RunStart,
    /// The named step of the same procedure was done.
    Step(String),
}

/// How long a deadline gives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Within {
    Fixed(Duration),
    /// The response time of the run's severity.
    Response,
    /// The escalation delay of the run's severity.
    Escalation,
    /// A duration for each severity, by severity id.
    PerSeverity(Vec<(String, Duration)>),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Deadline {
    pub within: Within,
    pub after: Anchor,
    /// What the deadline is, in words ("notify the CNIL").
    pub label: Option<Text>,
    /// How long past due it still counts as met. An immediate deadline
    /// ("P1: escalate at once") is an order during its grace, not a miss.
    #[serde(default, skip_serializing_if = "Duration::is_zero")]
    pub grace: Duration,
}

/// The step may be ticked only after these metrics stayed below their
/// alert threshold for `period`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MetricHold {
    pub metrics: Vec<String>,
    pub period: Duration,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Criterion {
    pub text: Text,
    /// A metric whose reading decides the criterion.
    pub metric: Option<String>,
    pub level: Option<ThresholdLevel>,
    /// The procedure to open when the criterion is met.
    pub procedure: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ThresholdLevel {
    Alert,
    Critical,
}
