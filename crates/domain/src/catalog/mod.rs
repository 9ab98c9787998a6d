//! The catalog: procedures, severities, metrics, maintenance windows,
//! roles, contacts and backup policies, read from TOML checklists into a
//! validated model.
//!
//! Loading never panics and never stops at the first mistake: every error
//! and warning of a load comes back at once, each with its file, line and
//! column. The model is the single place where these definitions live.

pub mod answer;
pub mod calls;
pub mod diagnostic;
pub mod duration;
pub mod exec;
pub mod identity;
pub mod image;
pub mod layer;
pub mod lint;
pub mod model;
pub mod notify;
mod one_person;
mod parallel;
mod parse;
mod parse_identity;
mod parse_notify;
mod parse_procedure;
mod parse_reference;
mod parse_status;
mod parse_vars;
mod parsed;
pub(crate) mod reader;
mod registry;
pub mod said;
pub mod schedule;
mod signers;
pub mod source;
pub mod starter;
pub mod text;
mod validate;
pub mod vars;

pub use diagnostic::{Diagnostic, Level, Sources};
pub use duration::Duration;
pub use model::*;
pub use text::Text;

/// A catalog and what was said about it.
#[derive(Debug)]
pub struct Loaded {
    pub catalog: Catalog,
    pub sources: Sources,
    /// Errors and warnings, in file order.
    pub diagnostics: Vec<Diagnostic>,
    /// The site layers applied over the catalog, in order.
    pub layers: Vec<layer::Applied>,
}

impl Loaded {
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.level == Level::Error)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.level == Level::Warning)
    }

    pub fn has_errors(&self) -> bool {
        self.errors().next().is_some()
    }

    pub fn render_diagnostics(&self) -> String {
        self.render_diagnostics_in(&crate::text::words::EN)
    }

    /// Every diagnostic, in the operator's language.
    pub fn render_diagnostics_in(&self, words: &crate::text::Words) -> String {
        self.diagnostics
            .iter()
            .map(|d| self.sources.render_in(d, words))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl Loaded {
    /// Drops the warnings about roles nobody holds once the config has
    /// given them holders.
    pub fn forget_held_roles(&mut self) {
        let catalog = &self.catalog;
        let held: Vec<String> = catalog
            .roles
            .iter()
            .filter(|r| !r.holders.is_empty())
            .map(|r| lint::role_answer(&r.id))
            .collect();
        let unheld = |answer: Option<&String>| answer.is_none_or(|a| !held.contains(a));
        self.diagnostics
            .retain(|d| d.code != "role-without-holder" || unheld(d.answer.as_ref()));
        self.catalog
            .findings
            .retain(|f| f.code != "role-without-holder" || unheld(f.answer.as_ref()));
    }
}

/// Parses, validates and lints `sources`.
pub fn load(sources: Sources) -> Loaded {
    load_with(sources, Vec::new())
}

/// As [`load`], with diagnostics already found while reading the files.
pub fn load_with(sources: Sources, diagnostics: Vec<Diagnostic>) -> Loaded {
    let parsed = parse::parse_all(&sources);
    finish(parsed, sources, diagnostics, Vec::new())
}

/// Validates and lints what was parsed, and puts the diagnostics in file
/// order.
fn finish(
    mut parsed: parsed::Parsed,
    mut sources: Sources,
    mut diagnostics: Vec<Diagnostic>,
    layers: Vec<layer::Applied>,
) -> Loaded {
    parse_vars::apply(&mut parsed);
    parsed.catalog.require = parsed.require.unwrap_or_default();
    parsed.catalog.identity_since = parsed
        .identity_since
        .map(|since| since.instant(chrono_tz::UTC));
    parse_identity::load_signers(&mut parsed, &mut sources);
    let shared = one_person::check(&parsed.catalog);
    parsed.diagnostics.extend(shared);
    // The registry's roles are held as the catalog's holders are: both
    // are reviewed files.
    let grants: Vec<(String, String, diagnostic::Origin)> = parsed
        .catalog
        .operators
        .iter()
        .flat_map(|o| {
            o.roles
                .iter()
                .map(move |r| (o.id.clone(), r.clone(), o.origin.clone()))
        })
        .collect();
    for (operator, role, at) in grants {
        parsed
            .catalog
            .grant(&operator, &role, model::Grant::Registry(at));
    }
    validate::validate(&mut parsed, &sources);
    // Lints read the model; on a catalog with errors they would speak of a
    // half-read model, so they wait until the errors are fixed.
    if !parsed.diagnostics.iter().any(|d| d.level == Level::Error) {
        lint::lint(&mut parsed);
    }
    diagnostics.append(&mut parsed.diagnostics);
    diagnostics.sort_by_key(|d| {
        (
            d.file,
            d.origin.as_ref().map_or(0, |o| o.span.start),
            d.level,
        )
    });
    let mut catalog = parsed.catalog;
    catalog.findings = diagnostics
        .iter()
        .filter(|d| d.level == Level::Warning)
        .map(|d| model::Finding {
            place: d
                .origin
                .as_ref()
                .map_or_else(|| sources.name(d.file).to_owned(), |o| sources.locate(o)),
            code: d.code,
            message: d.message.clone(),
            answer: d.answer.clone(),
        })
        .collect();
    Loaded {
        catalog,
        sources,
        diagnostics,
        layers,
    }
}

/// A site layer to apply: its name (as given) and its files or folders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    pub name: String,
    pub paths: Vec<std::path::PathBuf>,
}

/// Reads the catalog at `location`, then applies the site layers `sites`
/// over it, in order. A layer's mistakes are the catalog's: every one is
/// reported at its file, line and column, and a catalog with errors is
/// never used.
pub fn load_layered(location: &source::Location, sites: &[Site]) -> Loaded {
    if sites.is_empty() {
        return load_from(location);
    }
    let (mut sources, mut diagnostics) = source::read(location);
    let base = sources.files.len();
    let files: Vec<Vec<usize>> = sites
        .iter()
        .map(|site| source::read_into(&mut sources, &mut diagnostics, &site.paths))
        .collect();
    let mut parsed = parse::parse_first(&sources, base);
    let mut applied = Vec::new();
    {
        let base_files: Vec<usize> = (0..base).collect();
        let mut tables = layer::Tables::of(&sources, &base_files);
        for (site, files) in sites.iter().zip(&files) {
            applied.push(layer::apply(
                &mut parsed,
                &sources,
                &mut tables,
                files,
                &site.name,
            ));
        }
    }
    finish(parsed, sources, diagnostics, applied)
}

/// Reads and loads the catalog at `location`.
pub fn load_from(location: &source::Location) -> Loaded {
    let (sources, diagnostics) = source::read(location);
    load_with(sources, diagnostics)
}

pub fn load_bundled() -> Loaded {
    load(source::bundled_sources())
}

/// The id in `ids` closest to a misspelt `id`, for "did you mean" hints.
pub fn nearest_id<'a>(id: &str, ids: &[&'a str]) -> Option<&'a str> {
    reader::nearest(id, ids)
}
