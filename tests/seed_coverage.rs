//! Every fact of the platform's operational runbook (the French document the
//! bundled checklists come from) has its counterpart in the catalog, so none
//! can silently disappear, and is shown to the operator by some command in
//! French and in English, so none is loaded and never seen.
//!
//! The facts are data in `tests/fixtures/seed/facts.toml`: each item of the
//! runbook (a checklist line, a table row, a command, a bold bullet) with the
//! section that states it, its French words as the runbook writes them, and
//! the English the console must show for it.

// Helpers of tests may unwrap: a failure there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use runbook::catalog::{
    self, BackupFrequency, Catalog, Duration, Per, Retention, Text, model::Direction,
};
use serde::Deserialize;

const FACTS: &str = include_str!("fixtures/seed/facts.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Facts {
    /// The runbook's top-level sections, each carried by a procedure or
    /// by reference data.
    sections: Vec<String>,
    fact: Vec<Fact>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Fact {
    section: String,
    kind: Kind,
    /// The runbook's words: one text, or the cells of a row.
    fr: Vec<String>,
    /// What the English output shows for it.
    en: Vec<String>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum Kind {
    /// A checklist line, a step, a comment of a command block.
    Text,
    /// A command, shown as written in both languages.
    Command,
    Severity,
    EmergencyContact,
    Contact,
    Access,
    Metric,
    Backup,
    Window,
    Dashboard,
}

/// Lowercase, without white space: "Jour 1: 10%" and "Jour 1 : 10 %" match.
fn norm(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The runbook's placeholders, and the variables the catalog has in their place.
const PLACEHOLDERS: [(&str, &str); 2] = [
    ("YOUR_APP_ID", "${firebase_app_id}"),
    ("VERSION_CODE", "${version_code}"),
];

/// A site that sets the app id to the runbook's own placeholder, so
/// commands print its commands as written.
const SITE: &str = "[vars]\nfirebase_app_id = \"YOUR_APP_ID\"\n";

/// What a command prints for a catalog text: the app id as the site sets it.
fn as_printed(text: &str) -> String {
    norm(&text.replace(PLACEHOLDERS[0].1, PLACEHOLDERS[0].0))
}

/// Every text the catalog shows, as (French, English), and every command
/// (the same in both).
fn texts(catalog: &Catalog) -> Vec<(String, String)> {
    let mut texts = Vec::new();
    let mut add = |t: Option<&Text>| {
        if let Some(t) = t {
            texts.push((norm(t.get("fr")), t.get("en").to_owned()));
        }
    };
    for p in &catalog.procedures {
        add(Some(&p.title));
        add(p.summary.as_ref());
        for s in &p.sections {
            add(Some(&s.title));
            for step in &s.steps {
                add(Some(&step.text));
                add(step.detail.as_ref());
                for c in &step.criteria {
                    add(Some(&c.text));
                }
            }
        }
    }
    texts
}

fn commands(catalog: &Catalog) -> Vec<String> {
    catalog
        .procedures
        .iter()
        .flat_map(runbook::catalog::Procedure::steps)
        .flat_map(|step| step.commands.iter().cloned())
        .collect()
}

fn duration(text: &str) -> Option<Duration> {
    let compact: String = text.split_whitespace().collect();
    let compact = compact.replace("min", "m");
    compact.parse().ok()
}

/// Everything the reference commands and `show` print about the bundled
/// catalog in one language, normalised as `norm` does.
fn printed(catalog: &Catalog, lang: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site.toml");
    std::fs::write(&site, SITE).unwrap();
    let mut commands: Vec<Vec<String>> = [
        &["severity"][..],
        &["contacts"],
        &["access"],
        &["backups"],
        &["dashboards"],
        &["window", "--at", "2026-11-24T12:00:00Z"],
        &["list"],
        &["metrics", "--once"],
    ]
    .iter()
    .map(|args| args.iter().map(|a| (*a).to_owned()).collect())
    .collect();
    commands.extend(
        catalog
            .procedures
            .iter()
            .map(|p| vec!["show".to_owned(), p.id.clone()]),
    );
    let mut all = String::new();
    for args in &commands {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_runbook"))
            .env_remove("RUNBOOK_CATALOG")
            .env_remove("RUNBOOK_SITE")
            .env_remove("RUNBOOK_PROMETHEUS_URL")
            .env("XDG_CONFIG_HOME", dir.path())
            .env("RUNBOOK_JOURNAL", dir.path().join("journal.jsonl"))
            .args(["--lang", lang, "--site", site.to_str().unwrap()])
            .args(args)
            .output()
            .unwrap();
        all.push_str(&String::from_utf8_lossy(&out.stdout));
    }
    norm(&all)
}

struct Checker<'a> {
    catalog: &'a Catalog,
    texts: Vec<(String, String)>,
    commands: Vec<String>,
    fr: String,
    en: String,
    checked: usize,
    missing: Vec<String>,
}

impl Checker<'_> {
    fn expect(&mut self, ok: bool, what: impl Into<String>) {
        self.checked += 1;
        if !ok {
            self.missing.push(what.into());
        }
    }

    /// The catalog's counterpart of a fact: the English texts of the entity
    /// that carries it, or `None` when no entity does.
    fn counterpart(&self, fact: &Fact) -> Option<Vec<String>> {
        let fr = |t: &Text| norm(t.get("fr"));
        let en = |t: &Text| t.get("en").to_owned();
        let row = &fact.fr;
        let c = self.catalog;
        match fact.kind {
            Kind::Text => {
                let wanted = norm(&with_variables(&row[0]));
                let found = self.texts.iter().find(|(fr, _)| fr.contains(&wanted));
                found.map(|(_, en)| vec![en.clone()])
            }
            Kind::Command => {
                let wanted = norm(&with_variables(&row[0]));
                let found = self.commands.iter().find(|c| norm(c).contains(&wanted));
                found.map(|c| vec![c.clone()])
            }
            Kind::Severity => {
                let escalation = match row[3].as_str() {
                    "Immédiate" => Some(Some(Duration::ZERO)),
                    "N/A" => Some(None),
                    other => duration(other).map(Some),
                };
                let s = c.severity(&row[0])?;
                (fr(&s.title) == norm(&row[1])
                    && Some(s.response) == duration(&row[2])
                    && Some(s.escalation) == escalation)
                    .then(|| vec![en(&s.title)])
            }
            Kind::EmergencyContact | Kind::Contact => {
                let emergency = matches!(fact.kind, Kind::EmergencyContact);
                c.contacts.iter().find_map(|k| {
                    let about = [k.availability.as_ref(), k.usage.as_ref()]
                        .into_iter()
                        .flatten()
                        .find(|t| fr(t) == norm(&row[2]))?;
                    (fr(&k.name) == norm(&row[0])
                        // A redacted number is one the site file gives.
                        && (k.reach.as_deref() == Some(row[1].as_str())
                            || (row[1] == "[REDACTED]" && k.reach.is_none()))
                        && (!emergency || k.emergency))
                        .then(|| vec![en(&k.name), en(about)])
                })
            }
            Kind::Access => c.roles.iter().find_map(|r| {
                let access = r.access.as_ref()?;
                (fr(&r.title) == norm(&row[0])
                    && fr(access) == norm(&row[1])
                    && (row[2] != "MFA requis" || r.mfa)
                    && (!row[2].starts_with("Via ") || r.via.is_some()))
                .then(|| vec![en(&r.title), en(access)])
            }),
            Kind::Metric => {
                let (alert, per) = threshold(&row[1]);
                let (critical, _) = threshold(&row[2]);
                c.metrics.iter().find_map(|m| {
                    (norm(m.title.get("en")) == norm(&row[0])
                        && m.direction == Direction::Above
                        && Some(m.alert) == alert
                        && Some(m.critical) == critical
                        && m.per == per)
                        .then(|| vec![en(&m.title)])
                })
            }
            Kind::Backup => {
                let every = match row[1].as_str() {
                    "Quotidien" => Some(BackupFrequency::Interval(Duration::from_hours(24))),
                    "Chaque commit" => Some(BackupFrequency::EveryCommit),
                    _ => None,
                };
                let retention = match row[2].as_str() {
                    "30 jours" => Some(Retention::For("30d".parse().unwrap())),
                    "5 ans" => Some(Retention::For("5y".parse().unwrap())),
                    r if r.starts_with("Infini") => Some(Retention::Forever),
                    _ => None,
                };
                c.backups.iter().find_map(|b| {
                    (fr(&b.data) == norm(&row[0])
                        && Some(&b.every) == every.as_ref()
                        && Some(&b.retention) == retention.as_ref())
                    .then(|| vec![en(&b.data)])
                })
            }
            Kind::Window => window(c, row),
            Kind::Dashboard => c.dashboards.iter().find_map(|d| {
                (fr(&d.title) == norm(&row[0]) && fr(&d.purpose) == norm(&row[1]))
                    .then(|| vec![en(&d.title), en(&d.purpose)])
            }),
        }
    }

    /// The French words a command must print for a fact.
    fn shown_in_french(&self, fact: &Fact) -> Vec<String> {
        let row = &fact.fr;
        let cells: Vec<&String> = match fact.kind {
            Kind::Text | Kind::Command => {
                return vec![norm(&row[0].replace(PLACEHOLDERS[1].0, PLACEHOLDERS[1].1))];
            }
            Kind::Severity | Kind::Access | Kind::Dashboard => vec![&row[0], &row[1]],
            Kind::EmergencyContact | Kind::Contact => {
                let mut cells = vec![&row[0], &row[2]];
                if row[1] != "[REDACTED]" {
                    cells.push(&row[1]);
                }
                cells
            }
            // The runbook names metrics in English: the French output
            // shows the catalog's French name of that metric.
            Kind::Metric => {
                let metric = self.catalog.metrics.iter();
                return metric
                    .filter(|m| norm(m.title.get("en")) == norm(&row[0]))
                    .map(|m| norm(m.title.get("fr")))
                    .collect();
            }
            Kind::Backup | Kind::Window => vec![&row[0]],
        };
        cells.into_iter().map(|c| norm(c)).collect()
    }

    fn check(&mut self, fact: &Fact) {
        let at = format!("§{} {:?} {:?}", fact.section, fact.kind, fact.fr);
        let counterpart = self.counterpart(fact);
        self.expect(counterpart.is_some(), format!("{at}: not in the catalog"));
        // The English the fixture names is the catalog's own translation of
        // that very entity, not any text that happens to be printed.
        let english = counterpart.unwrap_or_default();
        for en in &fact.en {
            let translated = english.iter().any(|e| norm(e).contains(&norm(en)));
            self.expect(
                translated,
                format!("{at}: «{en}» is not the catalog's English for it ({english:?})"),
            );
            let shown = self.en.contains(&as_printed(en));
            self.expect(
                shown,
                format!("{at}: printed by no English command: «{en}»"),
            );
        }
        for fr in self.shown_in_french(fact) {
            let shown = self.fr.contains(&fr);
            self.expect(shown, format!("{at}: printed by no French command: «{fr}»"));
        }
    }
}

/// « Préférée », « Dimanche 2h-5h (UTC+0) »: the window's day, hours and
/// 48 h notice.
fn window(c: &Catalog, row: &[String]) -> Option<Vec<String>> {
    let fr = |t: &Text| norm(t.get("fr"));
    let en = |t: &Text| t.get("en").to_owned();
    // « Dimanche 2h-5h (UTC+0) »
    let days = [("Dimanche", "Sun"), ("Mercredi", "Wed")];
    let day = days
        .iter()
        .find(|(fr, _)| row[1].starts_with(fr))
        .map(|(_, en)| *en);
    let hours: Vec<u32> = row[1]
        .split(|ch: char| !ch.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    c.windows.iter().find_map(|w| {
        (fr(&w.title) == norm(&row[0])
            && day == Some(&*w.weekday.to_string())
            && hours.first() == Some(&chrono::Timelike::hour(&w.start))
            && hours.get(1) == Some(&chrono::Timelike::hour(&w.end))
            && w.notice == Duration::from_hours(48))
        .then(|| vec![en(&w.title)])
    })
}

/// A seed item with the catalog's variables in place of its placeholders.
fn with_variables(item: &str) -> String {
    PLACEHOLDERS
        .iter()
        .fold(item.to_owned(), |text, (placeholder, var)| {
            text.replace(placeholder, var)
        })
}

/// « >2/heure » → (2, per hour).
fn threshold(cell: &str) -> (Option<f64>, Option<Per>) {
    let digits: String = cell
        .chars()
        .filter(|ch| ch.is_ascii_digit() || *ch == '.')
        .collect();
    let per = if cell.ends_with("/heure") {
        Some(Per::Hour)
    } else if cell.ends_with("/min") {
        Some(Per::Minute)
    } else {
        None
    };
    (digits.parse().ok(), per)
}

fn facts() -> Facts {
    toml::from_str(FACTS).unwrap_or_else(|e| panic!("tests/fixtures/seed/facts.toml: {e}"))
}

#[test]
fn every_fact_of_the_source_runbook_is_in_the_catalog_and_shown_in_both_languages() {
    let facts = facts();
    let loaded = catalog::load_bundled();
    assert!(!loaded.has_errors(), "{}", loaded.render_diagnostics());
    let mut checker = Checker {
        catalog: &loaded.catalog,
        texts: texts(&loaded.catalog),
        commands: commands(&loaded.catalog),
        fr: printed(&loaded.catalog, "fr"),
        en: printed(&loaded.catalog, "en"),
        checked: 0,
        missing: Vec::new(),
    };
    for fact in &facts.fact {
        checker.check(fact);
    }

    // Each of the ten sections is carried: procedures by their reference,
    // §6 and §10 as reference data.
    for number in &facts.sections {
        let has_procedure = loaded.catalog.procedures.iter().any(|p| {
            p.reference
                .as_deref()
                .is_some_and(|r| r == format!("§{number}") || r.starts_with(&format!("§{number}.")))
        });
        let reference_only = number == "6" || number == "10";
        checker.expect(
            has_procedure || reference_only,
            format!("§{number}: a procedure"),
        );
    }
    assert!(
        checker.missing.is_empty(),
        "{} of {} checks of the runbook's facts failed:\n{}",
        checker.missing.len(),
        checker.checked,
        checker.missing.join("\n")
    );
}

#[test]
fn the_facts_cover_every_section_of_the_source_runbook() {
    let facts = facts();
    let sections: Vec<&str> = facts.sections.iter().map(String::as_str).collect();
    assert_eq!(
        sections,
        ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"],
        "the runbook has ten sections"
    );
    // Every section, and each of its subsections, states facts here.
    for sub in [
        "1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "3.1", "3.2", "3.3", "4.1", "4.2", "5.1", "5.2",
        "5.3", "6.1", "6.2", "7.1", "7.2", "8.1", "8.2", "9.1", "9.2", "10",
    ] {
        let count = facts.fact.iter().filter(|f| f.section == sub).count();
        assert!(count > 0, "§{sub} states no fact in the fixture");
    }
    // Each fact says what the English output shows for it.
    for fact in &facts.fact {
        assert!(
            !fact.en.is_empty(),
            "§{} {:?}: no English",
            fact.section,
            fact.fr
        );
        assert!(!fact.fr.is_empty(), "§{}: no French", fact.section);
    }
    assert!(facts.fact.len() >= 100, "{} facts", facts.fact.len());
}

/// A fact the catalog does not carry is caught: the check is not blind.
#[test]
fn a_fact_the_catalog_lacks_is_reported() {
    let loaded = catalog::load_bundled();
    let checker = Checker {
        catalog: &loaded.catalog,
        texts: texts(&loaded.catalog),
        commands: commands(&loaded.catalog),
        fr: String::new(),
        en: String::new(),
        checked: 0,
        missing: Vec::new(),
    };
    let absent = |kind, fr: &[&str]| Fact {
        section: "0".into(),
        kind,
        fr: fr.iter().map(|s| (*s).to_owned()).collect(),
        en: vec!["x".into()],
    };
    assert!(
        checker
            .counterpart(&absent(Kind::Text, &["Arroser les plantes"]))
            .is_none()
    );
    assert!(
        checker
            .counterpart(&absent(
                Kind::Severity,
                &["P1", "Indisponibilité totale", "20 min", "Immédiate"]
            ))
            .is_none(),
        "a response time changed from 15 to 20 minutes goes unnoticed"
    );
    assert!(
        checker
            .counterpart(&absent(Kind::Metric, &["Error Rate", ">2%", ">5%"]))
            .is_none()
    );
    assert!(
        checker
            .counterpart(&absent(
                Kind::Severity,
                &["P1", "Indisponibilité totale", "15 min", "Immédiate"]
            ))
            .is_some()
    );
}
