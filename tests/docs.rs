//! The documentation's example is a real, clean catalog, so the format
//! document cannot drift from what the loader accepts.

// Helpers of tests may unwrap: a failure there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use runbook::catalog::{self, Sources};

#[test]
fn the_format_documents_example_loads_without_errors_or_warnings() {
    let doc = include_str!("../docs/checklist-format.md");
    let start = doc.find("```toml\n").expect("the example block") + "```toml\n".len();
    let end = start + doc[start..].find("```").expect("the end of the example");
    let mut sources = Sources::default();
    sources.add("docs/checklist-format.md (example)", &doc[start..end]);
    let loaded = catalog::load(sources);
    assert!(
        loaded.diagnostics.is_empty(),
        "{}",
        loaded.render_diagnostics()
    );
    let c = &loaded.catalog;
    assert_eq!(c.procedures.len(), 3);
    assert!(c.metrics[0].source.is_some());
    assert_eq!(
        c.roles_of("alice")
            .map(|r| r.id.as_str())
            .collect::<Vec<_>>(),
        ["tech-lead"]
    );
}

#[test]
fn every_diagnostic_code_is_documented() {
    let doc = include_str!("../docs/checklist-format.md");
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid");
    for entry in std::fs::read_dir(fixtures).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for code in text.lines().filter_map(|l| {
            let rest = l.strip_prefix("# expect: ")?;
            let open = rest.find('[')?;
            let close = rest.find(']')?;
            Some(rest[open + 1..close].to_owned())
        }) {
            assert!(
                doc.contains(&format!("`{code}`")),
                "diagnostic `{code}` is not in docs/checklist-format.md"
            );
        }
    }
}
