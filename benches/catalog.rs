//! Loading and validating catalogs: the bundled checklists (target under
//! 5 ms), read at start-up from their image (`bundled_image`; what the
//! binary does without a site), the bundled ones with three site layers read from disk (target
//! under 5 ms) and a generated catalog of 1,000 procedures of 50 steps each
//! (target under 500 ms). Run with `cargo bench --bench catalog`.

// Helpers of tests may unwrap: a failure there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fmt::Write as _;

use runbook::catalog::{self, Sources};

fn main() {
    divan::main();
}

#[divan::bench]
fn bundled(bencher: divan::Bencher) {
    bencher.bench(|| {
        let loaded = catalog::load_bundled();
        assert!(!loaded.has_errors());
        divan::black_box(loaded)
    });
}

#[divan::bench]
fn bundled_image(bencher: divan::Bencher) {
    let bundled = catalog::source::Location::Bundled;
    bencher.bench(|| {
        let loaded = runbook::bundled::load_layered(&bundled, &[]);
        assert!(!loaded.has_errors());
        divan::black_box(loaded)
    });
}

/// Three site layers as a team would keep them: the example site, a
/// second with its on-call numbers and variables, a third that amends a
/// procedure's sections and a metric's source and disables a procedure.
fn site_layers(dir: &std::path::Path) -> Vec<catalog::Site> {
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/site.toml");
    let second = dir.join("oncall.toml");
    std::fs::write(
        &second,
        "[vars]\nfirebase_app_id = \"1:42:android:x\"\n\n[[contact]]\nid = \"tech-lead\"\nreach = \"+33 6 11 11 11 11\"\n\n[[role]]\nid = \"cto\"\nholders = [\"dave\"]\n",
    )
    .unwrap();
    let third = dir.join("region.toml");
    std::fs::write(
        &third,
        "[[procedure]]\nid = \"recovery\"\ndisabled = true\n\n[[metric]]\nid = \"latency-p95\"\nsource = { kind = \"prometheus\", url = \"${RUNBOOK_PROMETHEUS_URL}\", query = \"1000 * histogram_quantile(0.95, sum by (le) (rate(http_server_request_duration_seconds_bucket{service_name=\\\"api\\\"}[5m])))\" }\n\n[[procedure]]\nid = \"reconciliation-monthly\"\ntitle = { fr = \"Rapprochement mensuel (UE)\", en = \"Monthly reconciliation (EU)\" }\n",
    )
    .unwrap();
    [example.into(), second, third]
        .into_iter()
        .map(|path: std::path::PathBuf| catalog::Site {
            name: path.display().to_string(),
            paths: vec![path],
        })
        .collect()
}

#[divan::bench]
fn bundled_with_three_site_layers(bencher: divan::Bencher) {
    let dir = tempfile::tempdir().unwrap();
    let sites = site_layers(dir.path());
    let location = catalog::source::Location::Bundled;
    bencher.bench(|| {
        let loaded = catalog::load_layered(&location, &sites);
        assert!(!loaded.has_errors(), "{}", loaded.render_diagnostics());
        assert_eq!(loaded.layers.len(), 3);
        divan::black_box(loaded)
    });
}

/// 1,000 procedures of 5 sections of 10 steps, with the features a real
/// catalog uses: bilingual texts, commands, evidence, roles, gates and
/// deadlines, spread over 10 files.
fn generated_sources() -> Sources {
    let mut sources = Sources::default();
    let mut roles = String::from("[[role]]\nid = \"tech-lead\"\ntitle = \"Tech lead\"\n");
    roles.push_str("[[procedure]]\nid = \"rollback\"\nkind = \"rollback\"\ntitle = \"Rollback\"\n");
    roles.push_str("[[procedure.section]]\nid = \"s\"\ntitle = \"S\"\n[[procedure.section.step]]\nid = \"go\"\ntext = \"Go back\"\n");
    sources.add("roles.toml", roles);
    for file in 0..10 {
        let mut text = String::new();
        for p in 0..100 {
            let id = file * 100 + p;
            let _ = write!(
                text,
                "[[procedure]]\nid = \"proc-{id}\"\nkind = \"deploy\"\nrollback = \"rollback\"\n\
                 title = {{ fr = \"Procédure {id}\", en = \"Procedure {id}\" }}\n"
            );
            for s in 0..5 {
                let _ = write!(
                    text,
                    "\n[[procedure.section]]\nid = \"section-{s}\"\ntitle = {{ fr = \"Section {s}\", en = \"Section {s}\" }}\n"
                );
                for k in 0..10 {
                    let n = s * 10 + k;
                    let _ = write!(
                        text,
                        "\n[[procedure.section.step]]\nid = \"step-{n}\"\n\
                         text = {{ fr = \"Étape {n} de {id}\", en = \"Step {n} of {id}\" }}\n\
                         commands = [\"echo step {n}\"]\n\
                         evidence = {{ fr = \"Preuve {n}\", en = \"Evidence {n}\" }}\n"
                    );
                    if n % 5 == 0 {
                        text.push_str("role = \"tech-lead\"\n");
                    }
                    if n > 0 && n % 10 == 0 {
                        let _ = writeln!(
                            text,
                            "gate = {{ after = \"step-{}\", wait = \"2d\" }}",
                            n - 1
                        );
                    }
                    if n % 7 == 0 {
                        text.push_str("deadline = { within = \"24h\", after = \"start\" }\n");
                    }
                }
            }
        }
        sources.add(format!("generated-{file}.toml"), text);
    }
    sources
}

#[divan::bench(sample_count = 20)]
fn generated_1000_procedures_of_50_steps(bencher: divan::Bencher) {
    bencher
        .with_inputs(generated_sources)
        .bench_values(|sources| {
            let loaded = catalog::load(sources);
            assert!(!loaded.has_errors(), "{}", loaded.render_diagnostics());
            assert_eq!(loaded.catalog.procedures.len(), 1001);
            divan::black_box(loaded)
        });
}
