//! The validated catalog: what the procedures, severities, metrics, windows,
//! roles, contacts and backup policies are. Everything else in `runbook`
//! reads these types; nothing else defines them.
//!
//! Values here have passed validation: every reference resolves, every
//! duration parsed, every threshold is ordered for its direction.

use serde::Serialize;

use super::diagnostic::Origin;

pub use procedure::*;
pub use reference::*;
pub use status::*;

mod procedure;
mod reference;
mod status;

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
    /// The parts of the service a status page shows (`[[component]]`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<Component>,
    /// The words status updates start from (`[[template]]`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub templates: Vec<Template>,
    /// Who may read the status page's `/internal` (`[[viewer]]`).
    #[serde(skip)]
    pub viewers: Vec<Viewer>,
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

    pub fn component(&self, id: &str) -> Option<&Component> {
        self.components.iter().find(|c| c.id == id)
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
            ("component", has(self.components.iter().map(|e| &e.id), id)),
            ("template", has(self.templates.iter().map(|e| &e.id), id)),
            ("viewer", has(self.viewers.iter().map(|e| &e.id), id)),
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
