//! The layers are crates, so the compiler refuses an import that runs up:
//! a crate can only name what its manifest lists. These tests hold the
//! manifests to the picture in docs/architecture.md: the domain pulls in no
//! terminal, async or network crate, not even through another crate, and
//! each layer depends only on the layers below it.

// Helpers of tests may unwrap: a failure there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Crates that bind to a terminal, a runtime or the network.
const SHELL_CRATES: &[&str] = &[
    "ratatui",
    "crossterm",
    "tokio",
    "tokio-postgres",
    "rustls",
    "reqwest",
    "futures",
    "hyper",
    "mio",
];

/// The layers from the bottom up, each with the runbook crates it may use.
const LAYERS: &[(&str, &str, &[&str])] = &[
    ("crates/domain", "runbook-domain", &[]),
    ("crates/store", "runbook-store", &["runbook-domain"]),
    (
        "crates/app",
        "runbook-app",
        &["runbook-domain", "runbook-store"],
    ),
    (
        "crates/console",
        "runbook-console",
        &["runbook-domain", "runbook-store", "runbook-app"],
    ),
    (
        "crates/serve",
        "runbook-serve",
        &["runbook-domain", "runbook-store"],
    ),
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn manifest(dir: &str) -> toml::Table {
    let path = root().join(dir).join("Cargo.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    text.parse().unwrap()
}

/// The names under `[dependencies]` (not dev- or build-dependencies).
fn dependencies(manifest: &toml::Table) -> BTreeSet<String> {
    manifest
        .get("dependencies")
        .and_then(toml::Value::as_table)
        .map(|t| t.keys().cloned().collect())
        .unwrap_or_default()
}

/// Every package the lock file says `names` depend on, themselves included.
fn closure(names: &BTreeSet<String>) -> BTreeSet<String> {
    let lock: toml::Table = std::fs::read_to_string(root().join("Cargo.lock"))
        .unwrap()
        .parse()
        .unwrap();
    let mut edges: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for package in lock["package"].as_array().unwrap() {
        let name = package["name"].as_str().unwrap().to_owned();
        let deps: Vec<String> = package
            .get("dependencies")
            .and_then(toml::Value::as_array)
            .map(|a| {
                a.iter()
                    // "name" or "name version" when two versions are locked.
                    .map(|d| d.as_str().unwrap().split(' ').next().unwrap().to_owned())
                    .collect()
            })
            .unwrap_or_default();
        edges.entry(name).or_default().extend(deps);
    }
    let mut seen = BTreeSet::new();
    let mut todo: Vec<String> = names.iter().cloned().collect();
    while let Some(name) = todo.pop() {
        if seen.insert(name.clone()) {
            todo.extend(edges.get(&name).cloned().unwrap_or_default());
        }
    }
    seen
}

#[test]
fn the_domain_pulls_in_no_terminal_async_or_network_crate() {
    let direct = dependencies(&manifest("crates/domain"));
    assert!(
        direct.contains("chrono") && direct.contains("toml"),
        "the domain's manifest was not read: {direct:?}"
    );
    let all = closure(&direct);
    let offences: Vec<&&str> = SHELL_CRATES
        .iter()
        .filter(|name| all.contains(**name))
        .collect();
    assert!(
        offences.is_empty(),
        "the domain depends, directly or not, on {offences:?}"
    );
}

#[test]
fn each_layer_uses_only_the_layers_below_it() {
    for (dir, name, allowed) in LAYERS {
        let manifest = manifest(dir);
        assert_eq!(
            manifest["package"]["name"].as_str(),
            Some(*name),
            "{dir} holds another crate"
        );
        let used: BTreeSet<String> = dependencies(&manifest)
            .into_iter()
            .filter(|d| d.starts_with("runbook"))
            .collect();
        let allowed: BTreeSet<String> = allowed.iter().map(|s| (*s).to_owned()).collect();
        assert_eq!(
            used, allowed,
            "{name} must depend on exactly the layers below it"
        );
    }
}

#[test]
fn every_crate_of_the_workspace_is_a_known_layer() {
    let mut found: Vec<String> = std::fs::read_dir(root().join("crates"))
        .unwrap()
        .map(|e| format!("crates/{}", e.unwrap().file_name().to_string_lossy()))
        .collect();
    found.sort();
    let mut known: Vec<String> = LAYERS.iter().map(|(d, _, _)| (*d).to_owned()).collect();
    known.sort();
    assert_eq!(
        found, known,
        "a crate was added or removed: give it its place in LAYERS and docs/architecture.md"
    );
}

#[test]
fn each_crate_says_what_it_owns_and_what_it_may_not_import() {
    for (dir, name, _) in LAYERS {
        let lib = std::fs::read_to_string(root().join(dir).join("src/lib.rs")).unwrap();
        let doc: String = lib
            .lines()
            .take_while(|l| l.starts_with("//!"))
            .collect::<Vec<_>>()
            .join("\n");
        assert!(
            doc.contains("may not import"),
            "{name}'s lib.rs does not say what it may not import:\n{doc}"
        );
    }
}
