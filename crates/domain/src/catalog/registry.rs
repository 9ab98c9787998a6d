//! The registry the catalog's operators make, as signing and `audit
//! verify` check it, and the checks that one key or account stands for
//! one person.

use chrono::{DateTime, Utc};

use super::identity::Operator;
use crate::journal::registry::Registry;

impl super::Catalog {
    /// The site's registry as signing and `audit verify` check it.
    pub fn registry(&self) -> Registry {
        registry(self, self.identity_since)
    }
}

/// A key, an OS account or a database login held by two operators proves
/// neither: an error at the second.
pub fn check(catalog: &super::Catalog) -> Vec<super::diagnostic::Diagnostic> {
    let mut out = Vec::new();
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for operator in &catalog.operators {
        for key in &operator.keys {
            match seen.iter().find(|(f, _)| *f == key.fingerprint) {
                Some((_, first)) if *first != operator.id => out.push(
                    super::diagnostic::Diagnostic::error(
                        "shared-key",
                        key.origin.clone(),
                        format!("key {} is also operator `{first}`'s", key.fingerprint),
                    )
                    .with_help("one key, one person: give each operator their own key"),
                ),
                Some(_) => {}
                None => seen.push((&key.fingerprint, &operator.id)),
            }
        }
    }
    for (what, names) in [
        ("OS account", owned(catalog, |o| &o.os_users)),
        ("database login", owned(catalog, |o| &o.db_roles)),
    ] {
        for (at, (name, operator)) in names.iter().enumerate() {
            if let Some((_, first)) = names[..at].iter().find(|(n, o)| n == name && o != operator) {
                out.push(
                    super::diagnostic::Diagnostic::error(
                        "shared-account",
                        catalog
                            .operators
                            .iter()
                            .find(|o| &o.id == operator)
                            .map(|o| o.origin.clone())
                            .unwrap_or_default(),
                        format!("{what} `{name}` is also operator `{first}`'s"),
                    )
                    .with_help("a shared account stands for no one: list only a person's own"),
                );
            }
        }
    }
    out
}

fn owned<'c>(
    catalog: &'c super::Catalog,
    list: impl Fn(&'c Operator) -> &'c Vec<String>,
) -> Vec<(&'c str, &'c str)> {
    catalog
        .operators
        .iter()
        .flat_map(|o| list(o).iter().map(move |n| (n.as_str(), o.id.as_str())))
        .collect()
}

/// The registry as the journal checks it: the site's, as a policy it
/// would publish describes it.
pub fn registry(catalog: &super::Catalog, since: Option<DateTime<Utc>>) -> Registry {
    crate::journal::policy::Policy::of(catalog, Vec::new()).registry(since)
}
