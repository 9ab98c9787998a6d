//! Who is told what: `[[notify]]` targets (PagerDuty, Slack, a signed
//! webhook, a local command, an append-only file for journal heads), each
//! with the events it wants. Addresses and secrets are written only as
//! `${VARIABLE}`: the catalog names them, the environment holds them, and
//! neither the journal nor the screen ever sees them.

use serde::Serialize;

use super::diagnostic::Origin;
use super::duration::Duration;

/// What a target can be told about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    RunStarted,
    RunFinished,
    RunAborted,
    /// A severity declared at the start or changed during the run.
    Severity,
    /// The response step of an incident was done (PagerDuty acknowledges).
    Responded,
    DeadlineSoon,
    DeadlineMissed,
    MetricCritical,
    StepFailed,
    /// A two-person step's command waits for a second operator.
    ApprovalNeeded,
    /// A recurring duty, or a post-mortem a closed run owes, is overdue.
    DutyOverdue,
    /// A follow-up decided after a run is past its due date.
    FollowupOverdue,
    /// The journal's head, sent so that a rewrite can be caught later.
    Anchor,
    /// A status update was posted: the stakeholders are told its words.
    StatusUpdate,
    /// `runbook notify test`: never in a rule.
    Test,
}

impl Trigger {
    pub const ALL: [Trigger; 14] = [
        Trigger::RunStarted,
        Trigger::RunFinished,
        Trigger::RunAborted,
        Trigger::Severity,
        Trigger::Responded,
        Trigger::DeadlineSoon,
        Trigger::DeadlineMissed,
        Trigger::MetricCritical,
        Trigger::StepFailed,
        Trigger::ApprovalNeeded,
        Trigger::DutyOverdue,
        Trigger::FollowupOverdue,
        Trigger::Anchor,
        Trigger::StatusUpdate,
    ];

    /// As written in `on = [...]` and in the journal.
    pub fn word(self) -> &'static str {
        match self {
            Trigger::RunStarted => "run_started",
            Trigger::RunFinished => "run_finished",
            Trigger::RunAborted => "run_aborted",
            Trigger::Severity => "severity_changed",
            Trigger::Responded => "responded",
            Trigger::DeadlineSoon => "deadline_soon",
            Trigger::DeadlineMissed => "deadline_missed",
            Trigger::MetricCritical => "metric_critical",
            Trigger::StepFailed => "step_failed",
            Trigger::ApprovalNeeded => "approval_needed",
            Trigger::DutyOverdue => "duty_overdue",
            Trigger::FollowupOverdue => "followup_overdue",
            Trigger::Anchor => "anchor",
            Trigger::StatusUpdate => "status_update",
            Trigger::Test => "test",
        }
    }

    pub fn from_word(word: &str) -> Option<Trigger> {
        Trigger::ALL.into_iter().find(|t| t.word() == word)
    }
}

/// Where a notification goes, and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Kind {
    /// PagerDuty Events API v2.
    Pagerduty {
        /// `${VARIABLE}` holding the integration's routing key.
        routing_key: String,
        /// The endpoint (the EU region's, or a test server's).
        url: String,
        /// A link back to the run, `{run}` replaced by its id.
        #[serde(skip_serializing_if = "Option::is_none")]
        link: Option<String>,
    },
    /// A Slack incoming webhook; its URL is the secret.
    Slack { url: String },
    /// A JSON document signed the Standard Webhooks way.
    Webhook { url: String, secret: String },
    /// A local program given the JSON document on its standard input.
    Command { argv: Vec<String> },
    /// An append-only file, ideally on another mount or host.
    File { path: String },
    /// Email through an SMTP relay: STARTTLS unless the site says
    /// otherwise, credentials from the environment.
    Email(Email),
}

/// An SMTP relay and the people it writes to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Email {
    pub host: String,
    pub port: u16,
    pub tls: EmailTls,
    pub from: String,
    /// The stakeholders: a list from the site.
    pub to: Vec<String>,
    /// `${VARIABLE}`s holding the relay's login, when it asks for one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// A PEM file of the relay's certificate authority, beside the
    /// system's (a company relay with its own).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<String>,
}

/// How the connection to the relay is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EmailTls {
    /// Plain, then upgraded: refused if the relay cannot (the default).
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No TLS at all: only where the site says so (a relay on loopback).
    None,
}

impl Kind {
    pub fn name(&self) -> &'static str {
        match self {
            Kind::Pagerduty { .. } => "pagerduty",
            Kind::Slack { .. } => "slack",
            Kind::Webhook { .. } => "webhook",
            Kind::Command { .. } => "command",
            Kind::File { .. } => "file",
            Kind::Email(_) => "email",
        }
    }
}

pub const PAGERDUTY_URL: &str = "https://events.pagerduty.com/v2/enqueue";

/// How often the head is anchored while entries arrive, by default.
pub const ANCHOR_EVERY: Duration = Duration::from_minutes(15);

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Target {
    pub id: String,
    #[serde(flatten)]
    pub kind: Kind,
    /// The events it is told about.
    pub on: Vec<Trigger>,
    /// Run events only for runs of these severities (empty: every run).
    pub severities: Vec<String>,
    /// Receives drill runs' events (a real target never does).
    pub drill: bool,
    /// For anchor targets: how often the head is sent while entries arrive.
    pub every: Duration,
    /// How long one attempt may take before it counts as failed.
    pub timeout: Duration,
    #[serde(skip)]
    pub origin: Origin,
}

impl Target {
    pub fn wants(&self, trigger: Trigger) -> bool {
        self.on.contains(&trigger)
    }

    /// Whether a run of `severity` concerns this target.
    pub fn covers(&self, severity: Option<&str>) -> bool {
        self.severities.is_empty()
            || severity.is_some_and(|s| self.severities.iter().any(|t| t.eq_ignore_ascii_case(s)))
    }

    /// Whether a run (a drill's when `drill`) may reach this target: a
    /// drill never reaches a real one.
    pub fn hears(&self, drill: bool) -> bool {
        !drill || self.drill
    }
}

/// The variable a `${NAME}` value names.
pub fn env_name(value: &str) -> Option<&str> {
    let name = value.strip_prefix("${")?.strip_suffix('}')?;
    let ok = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    ok.then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_variable_is_a_whole_value() {
        assert_eq!(env_name("${PD_KEY}"), Some("PD_KEY"));
        assert_eq!(env_name("abc${PD_KEY}"), None);
        assert_eq!(env_name("${}"), None);
        assert_eq!(env_name("${A B}"), None);
    }

    #[test]
    fn every_trigger_reads_back_from_its_word() {
        for t in Trigger::ALL {
            assert_eq!(Trigger::from_word(t.word()), Some(t));
        }
    }
}
