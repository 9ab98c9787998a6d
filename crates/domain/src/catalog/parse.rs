//! One pass over every file: syntax, shape, and the model values, with the
//! ids each file defines and the references it makes kept aside (with
//! their spans) for the cross-file checks in `validate`.

use toml::Spanned;
use toml::de::DeTable;

use super::diagnostic::{Diagnostic, FileId, Origin, Sources};
use super::duration::Duration;
use super::model::Catalog;
use super::reader::Reader;
use super::{parallel, parse_procedure, parse_reference};

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

type ReadItem = fn(&mut Reader, &mut Parsed, super::reader::Value<'_, '_>);

/// The kinds of entity a file holds, each an array of tables; a file may
/// also hold `[vars]`.
pub const KINDS: [&str; 10] = [
    "procedure",
    "severity",
    "metric",
    "dashboard",
    "window",
    "role",
    "contact",
    "backup",
    "notify",
    "operator",
];

/// The keys a file may have at its top.
pub fn top_keys() -> Vec<&'static str> {
    let mut keys = KINDS.to_vec();
    keys.push("vars");
    keys.push("identity");
    keys
}

fn reader_of(kind: &str) -> Option<ReadItem> {
    Some(match kind {
        "procedure" => parse_procedure::procedure,
        "severity" => parse_reference::severity,
        "metric" => parse_reference::metric,
        "dashboard" => parse_reference::dashboard,
        "window" => parse_reference::window,
        "role" => parse_reference::role,
        "contact" => parse_reference::contact,
        "backup" => parse_reference::backup,
        "notify" => super::notify::target,
        "operator" => super::identity::operator,
        _ => return None,
    })
}

/// Reads every file of `sources` into one catalog.
///
/// Files are independent until validation, so a large catalog is read on
/// every core; the parts are merged in file order, so the result and the
/// order of diagnostics do not depend on the number of threads.
pub fn parse_all(sources: &Sources) -> Parsed {
    parse_first(sources, sources.files.len())
}

/// As `parse_all`, for the first `count` files only (the base catalog,
/// before any site layer).
pub fn parse_first(sources: &Sources, count: usize) -> Parsed {
    let files = &sources.files[..count.min(sources.files.len())];
    let size = files.iter().map(|f| f.text.len()).sum();
    let parts = parallel::chunks(files, size, |first, files| {
        let mut part = Parsed::default();
        for (offset, source) in files.iter().enumerate() {
            parse_file(&mut part, first + offset, &source.text);
        }
        part
    });
    let mut parsed = Parsed::default();
    for part in parts {
        parsed.merge(part);
    }
    parsed
}

fn parse_file(parsed: &mut Parsed, file: FileId, text: &str) {
    let (document, errors) = DeTable::parse_recoverable(text);
    let mut reader = Reader::new(file);
    for error in &errors {
        let span = error.span().unwrap_or(0..0);
        let message = error.message().trim().to_owned();
        reader.error_help(
            "syntax",
            span,
            format!("TOML syntax: {message}"),
            "see docs/checklist-format.md",
        );
    }
    // After a syntax error, the recovered tree is partial: reporting its
    // shape too would only add noise about keys the operator did write.
    if errors.is_empty() {
        let document = Spanned::new(
            document.span(),
            toml::de::DeValue::Table(document.into_inner()),
        );
        read_document(&mut reader, parsed, &document);
    }
    parsed.diagnostics.append(&mut reader.diagnostics);
}

/// Reads one entity table of `kind` (`procedure`, `contact`…).
pub fn read_entity(
    reader: &mut Reader,
    parsed: &mut Parsed,
    kind: &str,
    value: &Spanned<toml::de::DeValue<'_>>,
) {
    let Some(read) = reader_of(kind) else {
        return;
    };
    read(reader, parsed, value);
}

/// The file's settings beside its entities: `[vars]` and `[identity]`.
pub fn read_settings(reader: &mut Reader, parsed: &mut Parsed, top: super::reader::Table<'_, '_>) {
    if let Some(vars) = top.get("vars") {
        super::vars::read(reader, parsed, vars);
    }
    if let Some(identity) = top.get("identity") {
        super::identity::read(reader, parsed, identity);
    }
}

fn read_document(
    reader: &mut Reader,
    parsed: &mut Parsed,
    document: &Spanned<toml::de::DeValue<'_>>,
) {
    let Some(top) = reader.table(document, "a checklist file", &top_keys()) else {
        return;
    };
    read_settings(reader, parsed, top);
    for key in KINDS {
        let (Some(value), Some(read)) = (top.get(key), reader_of(key)) else {
            continue;
        };
        if value.get_ref().as_array().is_none() {
            reader.error_help(
                "not-an-array",
                value.span(),
                format!("`{key}` must be an array of tables"),
                format!("write each one under its own `[[{key}]]` header"),
            );
            continue;
        }
        for item in reader.array(value) {
            read(reader, parsed, item);
        }
    }
}
