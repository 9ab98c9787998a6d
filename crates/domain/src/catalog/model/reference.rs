//! What procedures refer to: severities, metrics, dashboards, maintenance
//! windows, roles, contacts and backup policies.

use chrono::{NaiveTime, Weekday};
use serde::Serialize;

use super::procedure::ThresholdLevel;
use crate::catalog::diagnostic::Origin;
use crate::catalog::duration::Duration;
use crate::catalog::text::Text;

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
