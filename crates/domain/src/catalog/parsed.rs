//! What a reading of the catalog's files gathers: the model values, the
//! ids each file defines and the references it makes (with their spans,
//! for the cross-file checks), the settings and what was said.

use toml::Spanned;

use super::diagnostic::{Diagnostic, Origin};
use super::duration::Duration;
use super::model::Catalog;
use super::reader::Reader;

/// The kinds of thing a reference can point at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefKind {
    Procedure,
    Step,
    Role,
    Metric,
    Severity,
    Contact,
}

impl RefKind {
    pub fn definition_kind(self) -> &'static str {
        match self {
            RefKind::Procedure => "procedure",
            RefKind::Step => "step",
            RefKind::Role => "role",
            RefKind::Metric => "metric",
            RefKind::Severity => "severity",
            RefKind::Contact => "contact",
        }
    }
}

/// An id as written where it is defined.
#[derive(Debug, Clone)]
pub struct Definition {
    pub kind: &'static str,
    /// The procedure a step or section belongs to.
    pub scope: Option<String>,
    pub id: String,
    pub origin: Origin,
}

/// An id as written where it is used.
#[derive(Debug, Clone)]
pub struct Reference {
    pub kind: RefKind,
    pub scope: Option<String>,
    pub id: String,
    pub origin: Origin,
}

#[derive(Debug, Default)]
pub struct Parsed {
    pub catalog: Catalog,
    pub definitions: Vec<Definition>,
    pub references: Vec<Reference>,
    /// Per-severity deadlines, for the lint that compares them with the
    /// severity table.
    pub per_severity: Vec<(String, Duration, Origin)>,
    /// `[vars]` as read, in file order: (name, value, where).
    pub vars: Vec<(String, super::vars::Given, Origin)>,
    /// `[identity] require`, as the last file that says it.
    pub require: Option<super::identity::Require>,
    /// `[identity] since`, as the last file that says it.
    pub identity_since: Option<super::schedule::Since>,
    /// `[identity] signers`: `allowed_signers` files, each with where it
    /// was named.
    pub signers: Vec<(String, Origin)>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Parsed {
    /// Puts `other`'s entity of `kind` and `id` in place of this one's,
    /// keeping its place in the catalog's order; takes `other`'s
    /// definitions, references and diagnostics along.
    pub fn replace(&mut self, kind: &str, id: &str, mut other: Parsed) {
        fn swap<T>(mine: &mut Vec<T>, theirs: &mut Vec<T>, is: impl Fn(&T) -> bool) {
            if let Some(new) = theirs.pop() {
                match mine.iter().position(&is) {
                    Some(at) => mine[at] = new,
                    None => mine.push(new),
                }
            }
        }
        let (catalog, theirs) = (&mut self.catalog, &mut other.catalog);
        match kind {
            "procedure" => swap(&mut catalog.procedures, &mut theirs.procedures, |p| {
                p.id == id
            }),
            "severity" => swap(&mut catalog.severities, &mut theirs.severities, |s| {
                s.id == id
            }),
            "metric" => swap(&mut catalog.metrics, &mut theirs.metrics, |m| m.id == id),
            "dashboard" => swap(&mut catalog.dashboards, &mut theirs.dashboards, |d| {
                d.id == id
            }),
            "window" => swap(&mut catalog.windows, &mut theirs.windows, |w| w.id == id),
            "role" => swap(&mut catalog.roles, &mut theirs.roles, |r| r.id == id),
            "contact" => swap(&mut catalog.contacts, &mut theirs.contacts, |c| c.id == id),
            "backup" => swap(&mut catalog.backups, &mut theirs.backups, |b| b.id == id),
            "notify" => swap(&mut catalog.notify, &mut theirs.notify, |t| t.id == id),
            "component" => swap(&mut catalog.components, &mut theirs.components, |c| {
                c.id == id
            }),
            "template" => swap(&mut catalog.templates, &mut theirs.templates, |t| {
                t.id == id
            }),
            "viewer" => swap(&mut catalog.viewers, &mut theirs.viewers, |v| v.id == id),
            "operator" => swap(&mut catalog.operators, &mut theirs.operators, |o| {
                o.id == id
            }),
            _ => {}
        }
        other.catalog = Catalog::default();
        self.merge(other);
    }

    pub fn merge(&mut self, mut other: Parsed) {
        let catalog = &mut self.catalog;
        let theirs = &mut other.catalog;
        catalog.procedures.append(&mut theirs.procedures);
        catalog.severities.append(&mut theirs.severities);
        catalog.metrics.append(&mut theirs.metrics);
        catalog.dashboards.append(&mut theirs.dashboards);
        catalog.windows.append(&mut theirs.windows);
        catalog.roles.append(&mut theirs.roles);
        catalog.contacts.append(&mut theirs.contacts);
        catalog.backups.append(&mut theirs.backups);
        catalog.notify.append(&mut theirs.notify);
        catalog.operators.append(&mut theirs.operators);
        catalog.components.append(&mut theirs.components);
        catalog.templates.append(&mut theirs.templates);
        catalog.viewers.append(&mut theirs.viewers);
        if other.require.is_some() {
            self.require = other.require;
        }
        if other.identity_since.is_some() {
            self.identity_since = other.identity_since;
        }
        self.signers.append(&mut other.signers);
        self.definitions.append(&mut other.definitions);
        self.references.append(&mut other.references);
        self.per_severity.append(&mut other.per_severity);
        self.vars.append(&mut other.vars);
        self.diagnostics.append(&mut other.diagnostics);
    }

    pub fn define(
        &mut self,
        kind: &'static str,
        scope: Option<&str>,
        id: &Spanned<String>,
        reader: &Reader,
    ) {
        self.definitions.push(Definition {
            kind,
            scope: scope.map(str::to_owned),
            id: id.get_ref().clone(),
            origin: reader.origin(id.span()),
        });
    }

    pub fn refer(
        &mut self,
        kind: RefKind,
        scope: Option<&str>,
        id: &Spanned<String>,
        reader: &Reader,
    ) {
        self.references.push(Reference {
            kind,
            scope: scope.map(str::to_owned),
            id: id.get_ref().clone(),
            origin: reader.origin(id.span()),
        });
    }
}
