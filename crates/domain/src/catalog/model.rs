//! The validated catalog: what the procedures, severities, metrics, windows,
//! roles, contacts and backup policies are. Everything else in `runbook`
//! reads these types; nothing else defines them.
//!
//! Values here have passed validation: every reference resolves, every
//! duration parsed, every threshold is ordered for its direction.

use chrono::{NaiveTime, Weekday};
use serde::Serialize;

use super::diagnostic::Origin;
use super::duration::Duration;
use super::text::Text;

#[derive(Debug, Clone, Default, Serialize)]
pub struct Catalog {
    pub procedures: Vec<Procedure>,
    pub severities: Vec<Severity>,
    pub metrics: Vec<Metric>,
    pub dashboards: Vec<Dashboard>,
    pub windows: Vec<MaintenanceWindow>,
    pub roles: Vec<Role>,
    pub contacts: Vec<Contact>,
    pub backups: Vec<BackupPolicy>,
    /// Who is told what (`[[notify]]`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notify: Vec<super::notify::Target>,
    /// The site variables every file and layer set (`[vars]`), the last
    /// one's value winning.
    pub vars: std::collections::BTreeMap<String, String>,
    /// Variables read from the environment when a command runs.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub env_vars: std::collections::BTreeMap<String, super::vars::EnvVar>,
    /// The variables a run gives (its id, severity, operator, and what
    /// steps' evidence sets): never unset in the catalog.
    #[serde(skip)]
    pub run_vars: std::collections::BTreeSet<String>,
    /// The team's operators and their keys (`[[operator]]`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub operators: Vec<super::identity::Operator>,
    /// What proves who acts (`[identity] require`).
    pub require: super::identity::Require,
    /// `[identity] since`: from when every entry had to be signed.
    pub identity_since: Option<chrono::DateTime<chrono::Utc>>,
    /// Variables a site left blank (`name = ""`) to fill in, and where.
    #[serde(skip)]
    pub blank_vars: std::collections::BTreeMap<String, Origin>,
    /// What the catalog lacks or warns about, for the console's list.
    #[serde(skip)]
    pub findings: Vec<Finding>,
}

/// A warning of the catalog, located, for a list the operator reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// `file:line:column`.
    pub place: String,
    pub code: &'static str,
    /// In English, as the loader writes it (said in French when shown).
    pub message: String,
    /// The site key that answers it.
    pub answer: Option<String>,
}

impl Catalog {
    pub fn procedure(&self, id: &str) -> Option<&Procedure> {
        self.procedures.iter().find(|p| p.id == id)
    }

    pub fn severity(&self, id: &str) -> Option<&Severity> {
        self.severities
            .iter()
            .find(|s| s.id.eq_ignore_ascii_case(id))
    }

    pub fn metric(&self, id: &str) -> Option<&Metric> {
        self.metrics.iter().find(|m| m.id == id)
    }

    pub fn contact(&self, id: &str) -> Option<&Contact> {
        self.contacts.iter().find(|c| c.id == id)
    }

    pub fn role(&self, id: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.id == id)
    }

    /// The kinds of entity that carry `id` (a role and a contact may share one).
    pub fn kinds_of(&self, id: &str) -> Vec<&'static str> {
        fn has<'a>(mut ids: impl Iterator<Item = &'a String>, id: &str) -> bool {
            ids.any(|i| i == id)
        }
        [
            ("procedure", has(self.procedures.iter().map(|e| &e.id), id)),
            ("severity", has(self.severities.iter().map(|e| &e.id), id)),
            ("metric", has(self.metrics.iter().map(|e| &e.id), id)),
            ("dashboard", has(self.dashboards.iter().map(|e| &e.id), id)),
            ("window", has(self.windows.iter().map(|e| &e.id), id)),
            ("role", has(self.roles.iter().map(|e| &e.id), id)),
            ("contact", has(self.contacts.iter().map(|e| &e.id), id)),
            ("backup", has(self.backups.iter().map(|e| &e.id), id)),
            ("notify", has(self.notify.iter().map(|e| &e.id), id)),
        ]
        .into_iter()
        .filter_map(|(kind, found)| found.then_some(kind))
        .collect()
    }

    /// Adds `operator` to the holders of `role` (the config's `[roles]`),
    /// so every front end and table sees one list of holders.
    /// The day the team started, for every recurring duty that does not
    /// say its own.
    pub fn start_duties(&mut self, since: super::schedule::Since) {
        let schedules = self
            .procedures
            .iter_mut()
            .filter_map(|p| p.schedule.as_mut());
        for schedule in schedules.filter(|s| s.since.is_none()) {
            schedule.since = Some(since);
        }
    }

    /// The site's registry as signing and `audit verify` check it.
    pub fn registry(&self) -> crate::journal::registry::Registry {
        super::identity::registry(self, self.identity_since)
    }

    pub fn grant(&mut self, operator: &str, role: &str, by: Grant) {
        if let Some(role) = self.roles.iter_mut().find(|r| r.id == role) {
            let only_here = !role.holders.iter().any(|h| h == operator);
            if only_here {
                role.holders.push(operator.to_owned());
            }
            role.granted.push(Granted {
                operator: operator.to_owned(),
                by,
                only_here,
            });
        }
    }

    /// The roles an operator holds, by login name.
    pub fn roles_of<'a>(&'a self, operator: &'a str) -> impl Iterator<Item = &'a Role> + 'a {
        self.roles
            .iter()
            .filter(move |role| role.holders.iter().any(|h| h == operator))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Recurrence {
    Daily,
    Weekly,
    Monthly,
    Quarterly,
    Yearly,
}

impl Recurrence {
    pub const NAMES: [&'static str; 5] = ["daily", "weekly", "monthly", "quarterly", "yearly"];

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

#[derive(Debug, Clone, Serialize)]
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
    pub schedule: Option<super::schedule::Schedule>,
    /// Whether a run must be given a severity when it starts (incidents).
    pub asks_severity: bool,
    /// A deploy followed within this time by a rollback or an incident
    /// counts as a failed change (`runbook stats`); 24 h when unset.
    #[serde(skip_serializing_if = "Option::is_none")]
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

    pub fn step_count(&self) -> usize {
        self.sections.iter().map(|s| s.steps.len()).sum()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub id: String,
    pub title: Text,
    pub steps: Vec<Step>,
    #[serde(skip)]
    pub origin: Origin,
}

#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub id: String,
    pub text: Text,
    pub detail: Option<Text>,
    /// Commands the operator runs, shown verbatim and copyable.
    pub commands: Vec<String>,
    /// The command runbook may run for the operator, where their config
    /// allows it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run: Option<super::exec::Runnable>,
    /// What note must be given as evidence before the step can be ticked.
    pub evidence: Option<Text>,
    /// The evidence as a typed answer (a number with its unit, yes or
    /// no, one of listed choices), which later steps' `when` may read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expects: Option<super::answer::Expect>,
    /// Needed only when an earlier step's answer says so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub when: Option<super::answer::Condition>,
    /// The run variable the evidence becomes, as `${name}` in later steps'
    /// commands (the stable version a rollback goes back to).
    #[serde(skip_serializing_if = "Option::is_none")]
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
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<String>,
    /// The moment of the run this step's completion is (`marks =
    /// "mitigated"`): what post-mortems and the team's numbers read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marks: Option<Mark>,
    #[serde(skip)]
    pub origin: Origin,
}

/// The moments of an incident a step can mark, in the order they come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
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
}

impl Mark {
    pub const ALL: [Mark; 6] = [
        Mark::Detected,
        Mark::Responded,
        Mark::Escalated,
        Mark::Mitigated,
        Mark::Resolved,
        Mark::PostMortem,
    ];
    pub const NAMES: [&'static str; 6] = [
        "detected",
        "responded",
        "escalated",
        "mitigated",
        "resolved",
        "post-mortem",
    ];

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

/// "Not before `wait` after step `after` is done": the rollout days.
#[derive(Debug, Clone, Serialize)]
pub struct Gate {
    pub after: String,
    pub wait: Duration,
}

/// What starts a deadline's clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Anchor {
    /// The run started (the incident or breach was detected).
    RunStart,
    /// The named step of the same procedure was done.
    Step(String),
}

/// How long a deadline gives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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

#[derive(Debug, Clone, Serialize)]
pub struct Deadline {
    pub within: Within,
    pub after: Anchor,
    /// What the deadline is, in words ("notify the CNIL").
    pub label: Option<Text>,
    /// How long past due it still counts as met. An immediate deadline
    /// ("P1: escalate at once") is an order during its grace, not a miss.
    #[serde(skip_serializing_if = "Duration::is_zero")]
    pub grace: Duration,
}

/// The step may be ticked only after these metrics stayed below their
/// alert threshold for `period`.
#[derive(Debug, Clone, Serialize)]
pub struct MetricHold {
    pub metrics: Vec<String>,
    pub period: Duration,
}

#[derive(Debug, Clone, Serialize)]
pub struct Criterion {
    pub text: Text,
    /// A metric whose reading decides the criterion.
    pub metric: Option<String>,
    pub level: Option<ThresholdLevel>,
    /// The procedure to open when the criterion is met.
    pub procedure: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ThresholdLevel {
    Alert,
    Critical,
}

#[derive(Debug, Clone, Serialize)]
pub struct Severity {
    pub id: String,
    pub title: Text,
    pub response: Duration,
    /// `Some(0)` is immediate; `None` is no escalation.
    pub escalation: Option<Duration>,
    /// The contact an escalation at this severity goes to ("P1: the CTO").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub escalate_to: Option<String>,
    #[serde(skip)]
    pub origin: Origin,
}

impl Severity {
    /// The longest any deadline serving this severity may be.
    pub fn allowance(&self) -> Duration {
        self.escalation
            .map_or(self.response, |e| e.max(self.response))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Bad when the value rises above the thresholds.
    Above,
    /// Bad when the value falls below the thresholds.
    Below,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Per {
    Second,
    Minute,
    Hour,
    Day,
}

impl Per {
    pub const NAMES: [&'static str; 4] = ["second", "minute", "hour", "day"];

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Metric {
    pub id: String,
    pub title: Text,
    /// `%`, `ms`, `count`…, as shown after the value.
    pub unit: String,
    pub direction: Direction,
    pub alert: f64,
    pub critical: f64,
    /// The value is a rate over this window.
    pub per: Option<Per>,
    pub source: Option<MetricSource>,
    /// The environment variable its source waits for where runbook runs
    /// now, set by the shell once at start (`metrics::source::configure`):
    /// such a metric is not read, and holds on it are not enforced.
    #[serde(skip)]
    pub needs: Option<String>,
    #[serde(skip)]
    pub origin: Origin,
}

impl Metric {
    /// Whether it can be read here: it has a source, and nothing the
    /// source needs is missing.
    pub fn readable(&self) -> bool {
        self.source.is_some() && self.needs.is_none()
    }

    /// The level a value reaches, if any.
    pub fn level_of(&self, value: f64) -> Option<ThresholdLevel> {
        let beyond = |threshold: f64| match self.direction {
            Direction::Above => value > threshold,
            Direction::Below => value < threshold,
        };
        if beyond(self.critical) {
            Some(ThresholdLevel::Critical)
        } else if beyond(self.alert) {
            Some(ThresholdLevel::Alert)
        } else {
            None
        }
    }
}

/// Where a metric is read from. Secrets are named as `${VARIABLE}` and
/// resolved from the environment only when polling.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MetricSource {
    Prometheus {
        url: String,
        query: String,
        token: Option<String>,
        #[serde(flatten)]
        polling: Polling,
    },
    HttpJson {
        url: String,
        pointer: String,
        token: Option<String>,
        #[serde(flatten)]
        polling: Polling,
    },
    Command {
        argv: Vec<String>,
        #[serde(flatten)]
        polling: Polling,
    },
    /// A drill's: its readings come from the scenario, nothing is polled.
    Scenario {
        #[serde(flatten)]
        polling: Polling,
    },
}

#[derive(Debug, Clone, Serialize)]
pub struct Polling {
    pub interval: Duration,
    pub timeout: Duration,
    pub retries: u32,
}

impl Default for Polling {
    fn default() -> Self {
        Polling {
            interval: Duration::from_secs(15),
            timeout: Duration::from_secs(5),
            retries: 2,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Dashboard {
    pub id: String,
    pub title: Text,
    pub purpose: Text,
    pub url: Option<String>,
    #[serde(skip)]
    pub origin: Origin,
}

#[derive(Debug, Clone, Serialize)]
pub struct MaintenanceWindow {
    pub id: String,
    pub title: Text,
    /// Lower is preferred.
    pub rank: u32,
    pub weekday: Weekday,
    /// Start and end in UTC; an end at or before the start is on the next day.
    pub start: NaiveTime,
    pub end: NaiveTime,
    /// How long before the window users must be told.
    pub notice: Duration,
    #[serde(skip)]
    pub origin: Origin,
}

#[derive(Debug, Clone, Serialize)]
pub struct Role {
    pub id: String,
    pub title: Text,
    /// Production access, in words ("Full", "Logs + Monitoring").
    pub access: Option<Text>,
    pub mfa: bool,
    /// Production access only through this role's holder.
    pub via: Option<String>,
    /// What the role may do, as permission names.
    pub may: Vec<String>,
    /// Operators (login names) holding the role.
    pub holders: Vec<String>,
    /// Holders given elsewhere than the role's own `holders`, and by what:
    /// what `runbook access` says each holder came from.
    #[serde(skip)]
    pub granted: Vec<Granted>,
    /// Where its holders are given (or, without them, its id).
    #[serde(skip)]
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Granted {
    pub operator: String,
    pub by: Grant,
    /// The role's own `holders` did not list the operator.
    pub only_here: bool,
}

impl Role {
    /// Whether the role's own `holders` list `operator`.
    pub fn lists(&self, operator: &str) -> bool {
        self.holders.iter().any(|h| h == operator)
            && !self
                .granted
                .iter()
                .any(|g| g.operator == operator && g.only_here)
    }
}

/// What gave an operator a role, besides the role's own `holders`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Grant {
    /// An `[[operator]]`'s `roles`, in a reviewed file: where it is.
    Registry(Origin),
    /// The `[roles]` of an operator's own config file.
    Config(String),
}

#[derive(Debug, Clone, Serialize)]
pub struct Contact {
    pub id: String,
    pub name: Text,
    /// How to reach them; a site file gives what the bundled catalog
    /// cannot know (a phone number).
    pub reach: Option<String>,
    pub availability: Option<Text>,
    pub usage: Option<Text>,
    /// Emergency contacts are shown during incidents.
    pub emergency: bool,
    pub role: Option<String>,
    #[serde(skip)]
    pub origin: Origin,
}

#[derive(Debug, Clone, Serialize)]
pub struct BackupPolicy {
    pub id: String,
    pub data: Text,
    pub every: BackupFrequency,
    pub retention: Retention,
    pub note: Option<Text>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BackupFrequency {
    Interval(Duration),
    EveryCommit,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Retention {
    For(Duration),
    Forever,
}

/// Metrics whose critical reading calls for a rollback: those named by a
/// criterion in a rollback procedure, or by one that points to one.
pub fn rollback_metrics(catalog: &Catalog) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for procedure in &catalog.procedures {
        for step in procedure.steps() {
            for criterion in &step.criteria {
                let target = match &criterion.procedure {
                    Some(p) => catalog.procedure(p),
                    None => Some(procedure),
                };
                if let (Some(metric), Some(target)) = (&criterion.metric, target)
                    && target.kind == ProcedureKind::Rollback
                    && !out.iter().any(|(m, _): &(String, String)| m == metric)
                {
                    out.push((metric.clone(), target.id.clone()));
                }
            }
        }
    }
    out
}
