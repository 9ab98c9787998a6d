//! What the people outside the terminal are told: a run's status updates
//! (the Statuspage vocabulary: investigating → identified → monitoring →
//! resolved, an impact, the components touched), the catalog's templates
//! that draft them, and the status page built from the journal's runs.

pub mod page;
pub mod summary;
pub mod template;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where an incident or a maintenance stands, as Statuspage names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Investigating,
    Identified,
    Monitoring,
    Resolved,
    /// A maintenance announced ahead of its window.
    Scheduled,
    InProgress,
    Verifying,
    Completed,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::Investigating,
        Status::Identified,
        Status::Monitoring,
        Status::Resolved,
        Status::Scheduled,
        Status::InProgress,
        Status::Verifying,
        Status::Completed,
    ];
    pub const NAMES: [&'static str; 8] = [
        "investigating",
        "identified",
        "monitoring",
        "resolved",
        "scheduled",
        "in_progress",
        "verifying",
        "completed",
    ];

    /// Whether nothing more is to come: an incident resolved, a
    /// maintenance completed.
    pub fn is_closing(self) -> bool {
        matches!(self, Status::Resolved | Status::Completed)
    }

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    pub fn parse(given: &str) -> Option<Status> {
        let at = Self::NAMES.iter().position(|n| *n == given)?;
        Some(Self::ALL[at])
    }
}

/// How badly the people using the service are touched.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Impact {
    #[default]
    None,
    Minor,
    Major,
    Critical,
}

impl Impact {
    pub const ALL: [Impact; 4] = [Impact::None, Impact::Minor, Impact::Major, Impact::Critical];
    pub const NAMES: [&'static str; 4] = ["none", "minor", "major", "critical"];

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    pub fn parse(given: &str) -> Option<Impact> {
        let at = Self::NAMES.iter().position(|n| *n == given)?;
        Some(Self::ALL[at])
    }

    /// A component's state on a page while an incident of this impact is
    /// open on it (Statuspage's component statuses).
    pub fn component_status(self) -> &'static str {
        match self {
            Impact::None => "operational",
            Impact::Minor => "degraded_performance",
            Impact::Major => "partial_outage",
            Impact::Critical => "major_outage",
        }
    }
}

/// Who may read an update: the company, or everyone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    Internal,
    Public,
}

impl Audience {
    pub const ALL: [Audience; 2] = [Audience::Internal, Audience::Public];
    pub const NAMES: [&'static str; 2] = ["internal", "public"];

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

/// One status update, as recorded in its run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Update {
    pub status: Status,
    #[serde(default)]
    pub impact: Impact,
    /// The catalog's components it is about.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<String>,
    /// Shown on the public page; otherwise to the company only.
    #[serde(default)]
    pub public: bool,
    pub text: String,
}

impl Update {
    pub fn audience(&self) -> Audience {
        if self.public {
            Audience::Public
        } else {
            Audience::Internal
        }
    }

    /// Whether this update is the one a step asking for `wanted` needs:
    /// a public update tells the company too.
    pub fn reaches(&self, wanted: Audience) -> bool {
        self.audience() >= wanted
    }
}

/// An update with who wrote it and when: what a run's state keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Posted {
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub by: String,
    #[serde(flatten)]
    pub update: Update,
}
