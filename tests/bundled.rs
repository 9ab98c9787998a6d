//! The bundled checklists: complete, clean under `--strict`, bilingual,
//! and carrying the deadlines and gates the runbook requires.

// Helpers of tests may unwrap: a failure there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;

use runbook::catalog::{
    self, Anchor, Catalog, Duration, ProcedureKind, Text, Within, source::BUNDLED,
};

/// What only a team's site file can answer: its app id, its numbers, its
/// dashboards' addresses.
const FOR_THE_SITE: [&str; 4] = [
    "unset-variable",
    "unreachable-contact",
    "dashboard-without-url",
    "role-without-holder",
];

fn bundled() -> Catalog {
    let loaded = catalog::load_bundled();
    assert!(
        loaded
            .diagnostics
            .iter()
            .all(|d| FOR_THE_SITE.contains(&d.code)),
        "the bundled checklists must load without errors, and warn only of what a site gives:\n{}",
        loaded.render_diagnostics()
    );
    loaded.catalog
}

#[test]
fn with_the_example_site_the_bundled_catalog_is_clean_under_strict() {
    let bare = catalog::load_bundled();
    let codes: BTreeSet<&str> = bare.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        BTreeSet::from(FOR_THE_SITE),
        "the bundled catalog alone says what the team must give"
    );
    let site = catalog::Site {
        name: "example".into(),
        paths: vec![concat!(env!("CARGO_MANIFEST_DIR"), "/examples/site.toml").into()],
    };
    let loaded = catalog::load_layered(&catalog::source::Location::Bundled, &[site]);
    assert!(
        loaded.diagnostics.is_empty(),
        "{}",
        loaded.render_diagnostics()
    );
    let upload = loaded
        .catalog
        .procedure("deploy")
        .unwrap()
        .step("upload")
        .unwrap();
    assert!(
        upload.commands[0].contains("--app 1:123456789012:android:0a1b2c3d4e5f6a7b "),
        "{:?}",
        upload.commands
    );
    let rollback = loaded.catalog.procedure("rollback").unwrap();
    assert_eq!(
        rollback.step("identify-stable").unwrap().sets.as_deref(),
        Some("version_code")
    );
    assert!(rollback.step("rollback").unwrap().commands[0].ends_with("--version ${version_code}"));
}

#[test]
fn every_file_in_checklists_is_compiled_in() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/checklists");
    let on_disk: BTreeSet<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| {
            std::path::Path::new(name)
                .extension()
                .is_some_and(|e| e == "toml")
        })
        .collect();
    let compiled: BTreeSet<String> = BUNDLED.iter().map(|(n, _)| (*n).to_owned()).collect();
    assert_eq!(
        on_disk, compiled,
        "source::BUNDLED must list every checklists/*.toml"
    );
    for (name, text) in BUNDLED {
        let disk = std::fs::read_to_string(format!("{dir}/{name}")).unwrap();
        assert_eq!(&disk, text, "{name} compiled in differs from the file");
    }
}

#[test]
fn every_kind_of_procedure_is_present() {
    let catalog = bundled();
    for kind in ProcedureKind::ALL {
        assert!(
            catalog.procedures.iter().any(|p| p.kind == kind),
            "no {} procedure",
            kind.name()
        );
    }
}

fn texts(catalog: &Catalog) -> Vec<(String, &Text)> {
    let mut all: Vec<(String, &Text)> = Vec::new();
    for p in &catalog.procedures {
        all.push((format!("{} title", p.id), &p.title));
        all.extend(p.summary.iter().map(|t| (format!("{} summary", p.id), t)));
        for s in &p.sections {
            all.push((format!("{}/{} title", p.id, s.id), &s.title));
            for step in &s.steps {
                let at = format!("{}/{}", p.id, step.id);
                all.push((at.clone(), &step.text));
                all.extend(step.detail.iter().map(|t| (format!("{at} detail"), t)));
                all.extend(step.evidence.iter().map(|t| (format!("{at} evidence"), t)));
                all.extend(
                    step.criteria
                        .iter()
                        .map(|c| (format!("{at} criterion"), &c.text)),
                );
                let label = step.deadline.as_ref().and_then(|d| d.label.as_ref());
                all.extend(label.map(|t| (format!("{at} deadline"), t)));
            }
        }
    }
    all.extend(catalog.severities.iter().map(|s| (s.id.clone(), &s.title)));
    all.extend(catalog.metrics.iter().map(|m| (m.id.clone(), &m.title)));
    for d in &catalog.dashboards {
        all.push((d.id.clone(), &d.title));
        all.push((d.id.clone(), &d.purpose));
    }
    all.extend(catalog.windows.iter().map(|w| (w.id.clone(), &w.title)));
    for r in &catalog.roles {
        all.push((r.id.clone(), &r.title));
        all.extend(r.access.iter().map(|t| (r.id.clone(), t)));
    }
    for c in &catalog.contacts {
        all.push((c.id.clone(), &c.name));
        all.extend(
            c.availability
                .iter()
                .chain(c.usage.iter())
                .map(|t| (c.id.clone(), t)),
        );
    }
    for b in &catalog.backups {
        all.push((b.id.clone(), &b.data));
        all.extend(b.note.iter().map(|t| (b.id.clone(), t)));
    }
    all
}

#[test]
fn every_text_is_in_french_and_english() {
    let catalog = bundled();
    let all = texts(&catalog);
    assert!(all.len() > 150, "only {} texts found", all.len());
    for (at, text) in all {
        let languages: BTreeSet<&str> = text.languages().collect();
        assert_eq!(
            languages,
            BTreeSet::from(["en", "fr"]),
            "{at} must be given in fr and en"
        );
    }
}

fn deadline(catalog: &Catalog, procedure: &str, step: &str) -> (Within, Anchor) {
    let d = catalog
        .procedure(procedure)
        .and_then(|p| p.step(step))
        .and_then(|s| s.deadline.clone())
        .unwrap_or_else(|| panic!("{procedure}/{step} has no deadline"));
    (d.within, d.after)
}

#[test]
fn the_runbook_deadlines_are_encoded() {
    let catalog = bundled();
    let hours = |h| Within::Fixed(Duration::from_hours(h));
    assert_eq!(
        deadline(&catalog, "breach", "notify-cnil"),
        (hours(72), Anchor::RunStart)
    );
    assert_eq!(
        deadline(&catalog, "rollback", "post-mortem"),
        (hours(24), Anchor::Step("rollback".into()))
    );
    assert_eq!(
        deadline(&catalog, "incident", "post-mortem"),
        (hours(48), Anchor::RunStart)
    );
    assert_eq!(
        deadline(&catalog, "incident", "qualification"),
        (Within::Response, Anchor::RunStart)
    );
    assert_eq!(
        deadline(&catalog, "incident", "communication"),
        (Within::Escalation, Anchor::RunStart)
    );
    assert!(catalog.procedure("incident").unwrap().asks_severity);
}

#[test]
fn the_rollout_days_are_time_gates() {
    let catalog = bundled();
    let deploy = catalog.procedure("deploy").unwrap();
    assert!(deploy.step("rollout-10").unwrap().gate.is_none());
    let g50 = deploy.step("rollout-50").unwrap().gate.clone().unwrap();
    assert_eq!(
        (g50.after.as_str(), g50.wait),
        ("rollout-10", Duration::from_hours(48))
    );
    let g100 = deploy.step("rollout-100").unwrap().gate.clone().unwrap();
    assert_eq!(
        (g100.after.as_str(), g100.wait),
        ("rollout-50", Duration::from_hours(96))
    );
    assert_eq!(deploy.rollback.as_deref(), Some("rollback"));
}

#[test]
fn dangerous_steps_carry_their_safeguards() {
    let catalog = bundled();
    let step = |p: &str, s: &str| catalog.procedure(p).unwrap().step(s).unwrap().clone();
    assert!(step("rollback", "rollback").confirm);
    assert!(step("recovery", "restore").confirm && step("recovery", "restore").two_person);
    assert!(step("key-rotation", "revoke-old-key").two_person);
    assert!(step("breach", "isolate").two_person);
    assert!(step("breach", "notify-cnil").evidence.is_some());
    assert_eq!(
        step("rollback", "rollback").role.as_deref(),
        Some("tech-lead")
    );
    let criteria = step("rollback", "criterion-met").criteria;
    assert_eq!(criteria.len(), 3);
    assert_eq!(criteria[0].metric.as_deref(), Some("error-rate"));
}

#[test]
fn recurring_procedures_say_how_often() {
    use runbook::catalog::Recurrence;
    let catalog = bundled();
    let every = |id: &str| catalog.procedure(id).unwrap().recurrence;
    assert_eq!(every("key-rotation"), Some(Recurrence::Quarterly));
    assert_eq!(every("reconciliation-daily"), Some(Recurrence::Daily));
    assert_eq!(every("reconciliation-monthly"), Some(Recurrence::Monthly));
    assert_eq!(every("gdpr-monthly"), Some(Recurrence::Monthly));
    assert_eq!(every("psp-quarterly"), Some(Recurrence::Quarterly));
}

#[test]
fn content_hashes_identify_each_procedure() {
    let catalog = bundled();
    let hashes: BTreeSet<&str> = catalog
        .procedures
        .iter()
        .map(|p| p.content_hash.as_str())
        .collect();
    assert_eq!(hashes.len(), catalog.procedures.len());
    assert!(hashes.iter().all(|h| h.len() == 64));
    // Same content, same hash: loading twice is stable.
    let again = catalog::load_bundled().catalog;
    assert_eq!(
        again.procedures[0].content_hash,
        catalog.procedures[0].content_hash
    );
}
