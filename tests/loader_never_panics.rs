//! No input makes the loader panic: random text, random TOML-shaped text,
//! and the bundled checklists mutated byte by byte, line by line. Whatever
//! comes in, the loader answers with a catalog or with diagnostics, and
//! every diagnostic can be rendered.

// Helpers of tests may unwrap: a failure there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::prelude::*;
use runbook::catalog::{self, Sources, source::BUNDLED};

fn load_text(text: String) -> catalog::Loaded {
    let mut sources = Sources::default();
    sources.add("fuzz.toml", text);
    let loaded = catalog::load(sources);
    // Rendering touches every span: it must not panic either.
    let _ = loaded.render_diagnostics();
    loaded
}

/// A catalog that loaded without errors is internally consistent: every
/// reference the model holds resolves.
fn assert_consistent(loaded: &catalog::Loaded) {
    if loaded.has_errors() {
        return;
    }
    let c = &loaded.catalog;
    for p in &c.procedures {
        if let Some(r) = &p.rollback {
            assert!(c.procedure(r).is_some(), "dangling rollback {r}");
        }
        for s in p.steps() {
            if let Some(g) = &s.gate {
                assert!(p.step(&g.after).is_some(), "dangling gate {}", g.after);
            }
            if let Some(role) = &s.role {
                assert!(c.role(role).is_some(), "dangling role {role}");
            }
        }
    }
}

fn toml_fragment() -> impl Strategy<Value = String> {
    let keys = prop_oneof![
        Just("id"),
        Just("kind"),
        Just("title"),
        Just("text"),
        Just("gate"),
        Just("deadline"),
        Just("within"),
        Just("after"),
        Just("wait"),
        Just("alert"),
        Just("critical"),
        Just("start"),
        Just("end"),
        Just("weekday"),
        Just("role"),
        Just("rollback"),
        Just("hold"),
        Just("criteria"),
    ];
    let values = prop_oneof![
        Just("\"deploy\"".to_owned()),
        Just("\"2d\"".to_owned()),
        Just("\"start\"".to_owned()),
        Just("\"02:00\"".to_owned()),
        Just("\"sunday\"".to_owned()),
        Just("5".to_owned()),
        Just("-1.5e300".to_owned()),
        Just("nan".to_owned()),
        Just("inf".to_owned()),
        Just("true".to_owned()),
        Just("[]".to_owned()),
        Just("{}".to_owned()),
        Just("{ fr = \"é\", en = 1 }".to_owned()),
        Just("{ after = \"x\", wait = \"\" }".to_owned()),
        Just("\"\\u00e9\\n\"".to_owned()),
        "[a-z0-9 ]{0,8}".prop_map(|s| format!("\"{s}\"")),
    ];
    let headers = prop_oneof![
        Just("[[procedure]]"),
        Just("[[procedure.section]]"),
        Just("[[procedure.section.step]]"),
        Just("[[severity]]"),
        Just("[[metric]]"),
        Just("[[window]]"),
        Just("[[role]]"),
        Just("[procedure]"),
        Just("[[contact]]"),
        Just("[[backup]]"),
        Just("[[dashboard]]"),
    ];
    let line = prop_oneof![
        headers.prop_map(str::to_owned),
        (keys, values).prop_map(|(k, v)| format!("{k} = {v}")),
    ];
    prop::collection::vec(line, 0..40).prop_map(|lines| lines.join("\n"))
}

#[derive(Debug, Clone)]
enum Mutation {
    FlipByte(usize, u8),
    DeleteLine(usize),
    DuplicateLine(usize),
    Truncate(usize),
    SwapLines(usize, usize),
}

fn mutate(text: &str, mutations: &[Mutation]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for m in mutations {
        match *m {
            Mutation::FlipByte(at, bits) => {
                if !bytes.is_empty() {
                    let at = at % bytes.len();
                    bytes[at] ^= bits.max(1);
                }
            }
            Mutation::Truncate(at) => bytes.truncate(at % (bytes.len() + 1)),
            Mutation::DeleteLine(n) | Mutation::DuplicateLine(n) | Mutation::SwapLines(n, _) => {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                let mut lines: Vec<&str> = text.lines().collect();
                if lines.is_empty() {
                    continue;
                }
                let n = n % lines.len();
                match *m {
                    Mutation::DeleteLine(_) => {
                        lines.remove(n);
                    }
                    Mutation::DuplicateLine(_) => lines.insert(n, lines[n]),
                    Mutation::SwapLines(_, k) => {
                        let k = k % lines.len();
                        lines.swap(n, k);
                    }
                    _ => {}
                }
                bytes = lines.join("\n").into_bytes();
            }
        }
    }
    // The loader takes text: a file that is not UTF-8 is refused before
    // parsing (tested in tests/cli.rs); here, keep what is text.
    String::from_utf8_lossy(&bytes).into_owned()
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(a, b)| Mutation::FlipByte(a, b)),
        any::<usize>().prop_map(Mutation::DeleteLine),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        load_text(text);
    }

    #[test]
    fn toml_shaped_text_never_panics_and_valid_results_are_consistent(text in toml_fragment()) {
        let loaded = load_text(text);
        assert_consistent(&loaded);
    }

    #[test]
    fn mutated_bundled_checklists_never_panic(
        file in 0..BUNDLED.len(),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let (_, text) = BUNDLED[file];
        let mut sources = Sources::default();
        for (i, (name, other)) in BUNDLED.iter().enumerate() {
            let content = if i == file { mutate(text, &mutations) } else { (*other).to_owned() };
            sources.add(*name, content);
        }
        let loaded = catalog::load(sources);
        let _ = loaded.render_diagnostics();
        assert_consistent(&loaded);
        // Every diagnostic points inside the file it names.
        for d in &loaded.diagnostics {
            if let Some(origin) = &d.origin {
                prop_assert!(origin.span.start <= loaded.sources.files[origin.file].text.len());
            }
        }
    }
}

#[test]
fn every_single_line_deletion_of_the_bundled_files_is_handled() {
    // Exhaustive over one small class of mutation: each line removed in turn.
    for (index, (_, text)) in BUNDLED.iter().enumerate() {
        let lines: Vec<&str> = text.lines().collect();
        for skip in 0..lines.len() {
            let mutated: Vec<&str> = lines
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != skip)
                .map(|(_, l)| *l)
                .collect();
            let mut sources = Sources::default();
            for (i, (name, other)) in BUNDLED.iter().enumerate() {
                sources.add(
                    *name,
                    if i == index {
                        mutated.join("\n")
                    } else {
                        (*other).to_owned()
                    },
                );
            }
            let loaded = catalog::load(sources);
            let _ = loaded.render_diagnostics();
            assert_consistent(&loaded);
        }
    }
}
