//! The checks that one key, OS account or database login stands for one
//! person: what the registry built from the catalog relies on.

use super::identity::Operator;

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
