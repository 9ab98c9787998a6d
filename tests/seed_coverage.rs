//! Every item of the platform runbook (`../shared/seed/runbook-tontetic.md`)
//! has its counterpart in the bundled checklists, so none can silently
//! disappear, and is shown to the operator by some command, so none is
//! loaded and never seen. The seed itself is parsed: a new checklist line,
//! table row or command in it makes this test fail until the catalog
//! carries it and a command shows it.

// Helpers of tests may unwrap: a failure there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use runbook::catalog::{
    self, BackupFrequency, Catalog, Duration, Per, Retention, model::Direction,
};

const SEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/seed/runbook-tontetic.md"
);

/// Lowercase, without white space: "Jour 1: 10%" and "Jour 1 : 10 %" match.
fn norm(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Every French text the catalog shows, and every command.
fn corpus(catalog: &Catalog) -> Vec<String> {
    let mut texts = Vec::new();
    let mut add = |t: Option<&runbook::catalog::Text>| {
        if let Some(t) = t {
            texts.push(norm(t.get("fr")));
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
    for p in &catalog.procedures {
        for step in p.steps() {
            texts.extend(step.commands.iter().map(|c| norm(c)));
        }
    }
    texts
}

fn cells(line: &str) -> Vec<String> {
    line.trim()
        .trim_matches('|')
        .split('|')
        .map(|c| c.trim().to_owned())
        .collect()
}

fn duration(text: &str) -> Option<Duration> {
    let compact: String = text.split_whitespace().collect();
    let compact = compact.replace("min", "m");
    compact.parse().ok()
}

/// The seed's placeholders, and the variables the catalog has in their place.
const PLACEHOLDERS: [(&str, &str); 2] = [
    ("YOUR_APP_ID", "${firebase_app_id}"),
    ("VERSION_CODE", "${version_code}"),
];

/// A site that sets the app id to the seed's own placeholder, so commands
/// print the seed's commands as written.
const SITE: &str = "[vars]\nfirebase_app_id = \"YOUR_APP_ID\"\n";

/// Everything the commands print about the bundled catalog, in French
/// (and the metrics in English too: the seed names them in English),
/// normalised as `norm` does.
fn printed(catalog: &Catalog) -> String {
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
    let mut run = |lang: &str, args: &[String]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_runbook"))
            .env_remove("RUNBOOK_CATALOG")
            .env_remove("RUNBOOK_SITE")
            .env("XDG_CONFIG_HOME", dir.path())
            .env("RUNBOOK_JOURNAL", dir.path().join("journal.jsonl"))
            .args(["--lang", lang, "--site", site.to_str().unwrap()])
            .args(args)
            .output()
            .unwrap();
        all.push_str(&String::from_utf8_lossy(&out.stdout));
    };
    for args in &commands {
        run("fr", args);
    }
    run("en", &["metrics".to_owned(), "--once".to_owned()]);
    norm(&all)
}

struct Checker<'a> {
    catalog: &'a Catalog,
    corpus: Vec<String>,
    /// What the commands print, normalised.
    printed: String,
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

    fn text(&mut self, section: &str, item: &str) {
        // The catalog holds variables where the seed has placeholders; the
        // commands print the app id the test site gives (the seed's own).
        let [(app, app_var), (version, version_var)] = PLACEHOLDERS;
        let with_version = item.replace(version, version_var);
        let wanted = norm(&with_version.replace(app, app_var));
        let found = self.corpus.iter().any(|t| t.contains(&wanted));
        self.expect(found, format!("§{section}: text «{item}»"));
        self.shown(section, &norm(&with_version), item);
    }

    /// A piece of a seed item, printed by some command.
    fn shown(&mut self, section: &str, normed: &str, item: &str) {
        let found = self.printed.contains(normed);
        self.expect(
            found,
            format!("§{section}: printed by no command: «{item}»"),
        );
    }

    /// The cells of a table row a command must print.
    fn cells_shown(&mut self, section: &str, cells: &[&str]) {
        for cell in cells {
            self.shown(section, &norm(cell), cell);
        }
    }

    fn table_row(&mut self, section: &str, row: &[String]) {
        let fr = |t: &runbook::catalog::Text| norm(t.get("fr"));
        let c = self.catalog;
        match section {
            "3.1" => {
                let severity = c.severity(&row[0]);
                let escalation = match row[3].as_str() {
                    "Immédiate" => Some(Some(Duration::ZERO)),
                    "N/A" => Some(None),
                    other => duration(other).map(Some),
                };
                let ok = severity.is_some_and(|s| {
                    fr(&s.title) == norm(&row[1])
                        && Some(s.response) == duration(&row[2])
                        && Some(s.escalation) == escalation
                });
                self.expect(ok, format!("§3.1: severity {row:?}"));
                self.cells_shown(section, &[&row[0], &row[1]]);
            }
            "3.3" | "10" => {
                let ok = c.contacts.iter().any(|k| {
                    fr(&k.name) == norm(&row[0])
                        // A redacted number is one the site file gives.
                        && (k.reach.as_deref() == Some(row[1].as_str())
                            || (row[1] == "[REDACTED]" && k.reach.is_none()))
                        && (section == "10" || k.emergency)
                        && [k.availability.as_ref(), k.usage.as_ref()]
                            .iter()
                            .flatten()
                            .any(|t| fr(t) == norm(&row[2]))
                });
                self.expect(ok, format!("§{section}: contact {row:?}"));
                let mut cells = vec![row[0].as_str(), row[2].as_str()];
                if row[1] != "[REDACTED]" {
                    cells.push(&row[1]);
                }
                self.cells_shown(section, &cells);
            }
            "5.2" => {
                let ok = c.roles.iter().any(|r| {
                    fr(&r.title) == norm(&row[0])
                        && r.access.as_ref().is_some_and(|a| fr(a) == norm(&row[1]))
                        && (row[2] != "MFA requis" || r.mfa)
                        && (!row[2].starts_with("Via ") || r.via.is_some())
                });
                self.expect(ok, format!("§5.2: access {row:?}"));
                self.cells_shown(section, &[&row[0], &row[1]]);
            }
            "6.1" => {
                let threshold = |cell: &str| -> (Option<f64>, Option<Per>) {
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
                };
                let (alert, per) = threshold(&row[1]);
                let (critical, _) = threshold(&row[2]);
                let ok = c.metrics.iter().any(|m| {
                    norm(m.title.get("en")) == norm(&row[0])
                        && m.direction == Direction::Above
                        && Some(m.alert) == alert
                        && Some(m.critical) == critical
                        && m.per == per
                });
                self.expect(ok, format!("§6.1: metric {row:?}"));
                self.cells_shown(section, &[&row[0]]);
            }
            "8.1" => {
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
                let ok = c.backups.iter().any(|b| {
                    fr(&b.data) == norm(&row[0])
                        && Some(&b.every) == every.as_ref()
                        && Some(&b.retention) == retention.as_ref()
                });
                self.expect(ok, format!("§8.1: backup {row:?}"));
                self.cells_shown(section, &[&row[0]]);
            }
            other => self.expect(
                false,
                format!("§{other}: a table this test does not know: {row:?}"),
            ),
        }
    }

    fn bold_bullet(&mut self, section: &str, name: &str, rest: &str) {
        let c = self.catalog;
        match section {
            "4.1" => {
                // « Dimanche 2h-5h (UTC+0) »
                let days = [("Dimanche", "Sun"), ("Mercredi", "Wed")];
                let day = days
                    .iter()
                    .find(|(fr, _)| rest.starts_with(fr))
                    .map(|(_, en)| *en);
                let hours: Vec<u32> = rest
                    .split(|ch: char| !ch.is_ascii_digit())
                    .filter_map(|n| n.parse().ok())
                    .collect();
                let ok = c.windows.iter().any(|w| {
                    norm(w.title.get("fr")) == norm(name)
                        && day == Some(&*w.weekday.to_string())
                        && hours.first() == Some(&chrono::Timelike::hour(&w.start))
                        && hours.get(1) == Some(&chrono::Timelike::hour(&w.end))
                        && w.notice == Duration::from_hours(48)
                });
                self.expect(ok, format!("§4.1: window {name} {rest}"));
                self.cells_shown(section, &[name]);
            }
            "6.2" => {
                let ok = c.dashboards.iter().any(|d| {
                    norm(d.title.get("fr")) == norm(name) && norm(d.purpose.get("fr")) == norm(rest)
                });
                self.expect(ok, format!("§6.2: dashboard {name}"));
                self.cells_shown(section, &[name, rest]);
            }
            _ => self.text(section, &format!("{name} : {rest}")),
        }
    }
}

#[test]
fn every_item_of_the_seed_runbook_is_in_the_bundled_checklists() {
    let seed = std::fs::read_to_string(SEED).unwrap_or_else(|e| {
        panic!("the seed runbook must be beside the repository at {SEED}: {e}")
    });
    let loaded = catalog::load_bundled();
    assert!(!loaded.has_errors(), "{}", loaded.render_diagnostics());
    let mut checker = Checker {
        catalog: &loaded.catalog,
        corpus: corpus(&loaded.catalog),
        printed: printed(&loaded.catalog),
        checked: 0,
        missing: Vec::new(),
    };

    let top_sections = walk(&mut checker, &seed);

    // Each of the ten sections is carried: procedures by their reference,
    // §6 and §10 as reference data.
    for number in &top_sections {
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
    assert_eq!(top_sections.len(), 10, "the seed has ten sections");
    assert!(
        checker.missing.is_empty(),
        "{} of {} seed items have no counterpart in checklists/:\n{}",
        checker.missing.len(),
        checker.checked,
        checker.missing.join("\n")
    );
    // The parser must have seen the whole seed, not a fraction of it.
    assert!(
        checker.checked >= 100,
        "only {} seed items were checked",
        checker.checked
    );
}

/// Walks the seed line by line and checks each item it finds; returns the
/// numbers of the top-level sections seen.
fn walk(checker: &mut Checker<'_>, seed: &str) -> Vec<String> {
    let mut section = String::new();
    let mut in_code = false;
    let mut pending_command = String::new();
    let mut in_table_body = false;
    let mut top_sections = Vec::new();
    for raw in seed.lines() {
        let line = raw.trim();
        if line.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            if line.is_empty() {
                continue;
            }
            if let Some(comment) = line.strip_prefix('#') {
                let comment = strip_number(comment.trim());
                checker.text(&section, comment);
            } else if line.starts_with(|c: char| c.is_ascii_digit()) {
                checker.text(&section, strip_number(line));
            } else {
                pending_command.push_str(line.trim_end_matches('\\'));
                pending_command.push(' ');
                if !line.ends_with('\\') {
                    let command = std::mem::take(&mut pending_command);
                    checker.text(&section, command.trim());
                }
            }
            continue;
        }
        if let Some(heading) = line.strip_prefix("## ") {
            section = section_number(heading);
            if section.chars().all(|c| c.is_ascii_digit()) && !section.is_empty() {
                top_sections.push(section.clone());
            }
            continue;
        }
        if let Some(heading) = line.strip_prefix("### ") {
            section = section_number(heading);
            continue;
        }
        if line.starts_with('|') {
            let row = cells(line);
            if row
                .iter()
                .all(|c| c.chars().all(|ch| ch == '-' || ch == ':'))
            {
                in_table_body = true;
            } else if in_table_body {
                checker.table_row(&section, &row);
            }
            continue;
        }
        in_table_body = false;
        let item = line
            .strip_prefix("- [ ] ")
            .or_else(|| line.strip_prefix("- "))
            .or_else(|| numbered(line));
        let Some(item) = item else { continue };
        if let Some((name, rest)) = item.strip_prefix("**").and_then(|b| b.split_once("**")) {
            let rest = rest.trim().trim_start_matches(':').trim();
            checker.bold_bullet(&section, name, rest);
            continue;
        }
        // « Tous les tests passent (`flutter test`) »: a text and its command.
        if let Some((text, command)) = item
            .strip_suffix("`)")
            .and_then(|rest| rest.rsplit_once("(`"))
        {
            checker.text(&section, text.trim());
            checker.text(&section, command);
            continue;
        }
        checker.text(&section, item);
    }

    top_sections
}

/// `7.1 Réconciliation Quotidienne` → `7.1`; `1. Déploiement` → `1`.
fn section_number(heading: &str) -> String {
    let first = heading.split_whitespace().next().unwrap_or("");
    first.trim_end_matches('.').to_owned()
}

fn strip_number(text: &str) -> &str {
    numbered(text).unwrap_or(text)
}

/// `1. text` → `text`.
fn numbered(line: &str) -> Option<&str> {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    (digits > 0)
        .then(|| line[digits..].strip_prefix(". "))
        .flatten()
}
