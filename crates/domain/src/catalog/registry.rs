//! The registry the catalog's operators make, as signing and `audit
//! verify` check it, and the checks that one key or account stands for
//! one person.

use chrono::{DateTime, Utc};

use super::identity::{Operator, Require};
use crate::journal::registry::{Key, Registry, Required};

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

/// The registry as the journal checks it.
pub fn registry(catalog: &super::Catalog, since: Option<DateTime<Utc>>) -> Registry {
    let keys = catalog.operators.iter().flat_map(|o| {
        o.keys.iter().map(|k| Key {
            fingerprint: k.fingerprint.clone(),
            operator: o.id.clone(),
            until: k.until,
            from: k.from,
        })
    });
    let pairs = |list: Vec<(&str, &str)>| {
        list.into_iter()
            .map(|(n, o)| (n.to_owned(), o.to_owned()))
            .collect()
    };
    Registry {
        keys: keys.collect(),
        os_users: pairs(owned(catalog, |o| &o.os_users)),
        db_roles: pairs(owned(catalog, |o| &o.db_roles)),
        signatures: (catalog.require == Require::Signature).then_some(Required { since }),
        accounts: catalog.require == Require::Account,
    }
}
