use super::*;
use crate::catalog::{load, load_bundled, source};

#[test]
fn the_bundled_catalog_reads_back_as_it_was_loaded() {
    let loaded = load_bundled();
    assert!(!loaded.has_errors(), "{}", loaded.render_diagnostics());
    assert!(
        loaded.warnings().next().is_some(),
        "the bundled catalog has warnings, so the image carries some"
    );
    let image = encode(&loaded).unwrap();
    let read = decode(&image, source::bundled_sources()).unwrap();
    assert_eq!(format!("{read:#?}"), format!("{loaded:#?}"));
    assert_eq!(read.render_diagnostics(), loaded.render_diagnostics());
}

#[test]
fn a_catalog_of_every_kind_of_value_reads_back_whole() {
    let mut sources = source::bundled_sources();
    sources.add("site.toml", SITE);
    let loaded = load(sources.clone());
    assert!(!loaded.has_errors(), "{}", loaded.render_diagnostics());
    let catalog = &loaded.catalog;
    assert_eq!(catalog.notify.len(), 3, "{:?}", catalog.notify);
    assert_eq!(catalog.operators.len(), 1);
    assert_eq!(catalog.operators[0].keys.len(), 1);
    assert!(catalog.env_vars.contains_key("token"));
    assert!(catalog.identity_since.is_some());
    let image = encode(&loaded).unwrap();
    let read = decode(&image, sources).unwrap();
    assert_eq!(format!("{read:#?}"), format!("{loaded:#?}"));
}

#[test]
fn an_image_beside_other_files_is_refused() {
    let image = encode(&load_bundled()).unwrap();
    let mut other = source::bundled_sources();
    other.add("extra.toml", "");
    let refused = decode(&image, other).unwrap_err();
    assert!(refused.0.contains("extra.toml"), "{refused}");
}

#[test]
fn a_cut_or_foreign_image_is_refused_not_misread() {
    let image = encode(&load_bundled()).unwrap();
    for cut in [0, MAGIC.len(), image.len() / 2, image.len() - 1] {
        let result = decode(&image[..cut], source::bundled_sources());
        assert!(result.is_err(), "an image cut at {cut} was read");
    }
    let mut longer = image.clone();
    longer.push(0);
    assert!(decode(&longer, source::bundled_sources()).is_err());
    let foreign = b"runbook catalog image 0\n".to_vec();
    let refused = decode(&foreign, source::bundled_sources()).unwrap_err();
    assert!(refused.0.contains("not an image"), "{refused}");
}

/// Values the bundled checklists do not use: an operator with keys and
/// roles, notify targets of each kind, environment variables, a
/// maintenance window, a threshold source of each kind.
const SITE: &str = r#"
[vars]
token = { env = "SITE_TOKEN", secret = true }

[identity]
require = "account"
since = "2026-01-01"

[[operator]]
id = "alice"
name = "Alice"
roles = ["tech-lead"]
os_users = ["alice"]
keys = ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl alice@host"]

[[notify]]
id = "pager"
kind = "pagerduty"
routing_key = "${token}"
on = ["run_started", "metric_critical"]

[[notify]]
id = "hook"
kind = "webhook"
url = "http://127.0.0.1:9/hook"
secret = "${token}"
every = "10m"

[[notify]]
id = "log"
kind = "file"
path = "/tmp/runbook-notify.log"
"#;
