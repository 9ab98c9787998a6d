//! French all the way: every command and every console view, in French,
//! shows none of the program's English words. What the catalog says is
//! the catalog's (checked in both languages elsewhere); identifiers (ids in
//! backticks or parentheses, run ids, commands after `$`) are not words.

// Helpers of tests may unwrap: a failure there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

use chrono::{DateTime, TimeDelta, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use runbook::catalog::{self, Catalog};
use runbook::run::{Event, Meta, RunState};
use runbook::run_list::summarise;
use runbook::tui::keymap::Keymap;
use runbook::tui::model::{Data, Input, Model, Overlay, Purpose, Screen};
use runbook::tui::theme::Theme;
use runbook::tui::view::{View, draw};

/// The program's own English: words a French screen must not show.
const ENGLISH: &[&str] = &[
    "the",
    "and",
    "with",
    "step",
    "steps",
    "deadline",
    "deadlines",
    "evidence",
    "required",
    "window",
    "windows",
    "refused",
    "recorded",
    "overdue",
    "missed",
    "severity",
    "skipped",
    "failed",
    "started",
    "finished",
    "aborted",
    "progress",
    "since",
    "until",
    "within",
    "none",
    "open",
    "next",
    "help",
    "quit",
    "leave",
    "entries",
    "first",
    "line",
    "runs",
    "closed",
    "checked",
    "warning",
    "errors",
    "procedures",
    "roles",
    "key",
    "setting",
    "value",
    "is",
    "are",
    "of",
    "to",
    "by",
    "not",
    "set",
    "yes",
    "done",
    "waiting",
    "configured",
    "critical",
    "alert",
    "stale",
    "immediate",
    "response",
    "escalation",
    "hold",
    "held",
    "command",
    "commands",
    "copy",
    "copies",
    "search",
    "tick",
    "skip",
    "fail",
    "reopen",
    "claimed",
    "needs",
    "opens",
    "after",
    "before",
    "due",
    "late",
    "met",
    "for",
    "this",
    "that",
    "every",
    "only",
    "still",
    "more",
    "then",
    "unknown",
    "headed",
    "ago",
    "now",
    "press",
    "any",
    "cancel",
    "cancelled",
    "from",
    "default",
    "exit",
    "status",
    "environment",
    "journal key",
    "colour",
    "language",
    "theme",
    "head",
    "bytes",
    "problem",
    "operator",
    "operators",
    "outcome",
    "timeline",
    "time",
    "who",
    "what",
    "left",
    "resumed",
    "note on",
    "took",
    "confirmed",
    "change",
    "changed",
    "enter",
    "saves",
    "sign-off",
    "rule",
    "optional",
    "content",
    "asks",
    "goes",
    "wrong",
    "metric",
    "metrics",
    "threshold",
    "thresholds",
    "space",
    "home",
    "end",
    "down",
    "up",
];

/// The words of `text` that are English, with the line they are on.
/// Identifiers are left out: `backticked`, (parenthesised), hyphenated
/// (ids, run ids, dates) and everything after a `$` (a command).
fn english_in(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines() {
        let prose = line.split("$ ").next().unwrap_or("");
        let mut cleaned = String::new();
        let mut depth = 0i32;
        let mut ticks = false;
        for c in prose.chars() {
            match c {
                '`' => ticks = !ticks,
                '(' | '[' => depth += 1,
                ')' | ']' => depth -= 1,
                _ if ticks || depth > 0 => {}
                c => cleaned.push(c),
            }
        }
        for word in cleaned
            .split(|c: char| !(c.is_alphanumeric() || matches!(c, '-' | '\'' | '_')))
            .filter(|w| !w.contains(['-', '\'', '_']))
        {
            let lower = word.to_lowercase();
            if ENGLISH.contains(&lower.as_str()) {
                found.push(format!("{word:?} in: {line}"));
            }
        }
        let lower = cleaned.to_lowercase();
        for phrase in ENGLISH.iter().filter(|w| w.contains(' ')) {
            if lower.contains(phrase) {
                found.push(format!("{phrase:?} in: {line}"));
            }
        }
    }
    found
}

fn assert_french(what: &str, text: &str) {
    let found = english_in(text);
    assert!(
        found.is_empty(),
        "`{what}` in French shows English:\n{}\n---\n{text}",
        found.join("\n")
    );
}

fn runbook(journal: &Path) -> Command {
    let mut command = common::runbook(journal, "alice");
    command.env("LANG", "fr_FR.UTF-8");
    command
}

fn both(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn the_english_detector_finds_english_and_passes_identifiers() {
    assert_eq!(
        english_in("deadline (Notification CNIL): within 72h").len(),
        2
    );
    assert!(english_in("délai (Notification CNIL) : sous 72h").is_empty());
    assert!(english_in("  [ ] 1.1 Isoler  (isolate) `done` $ git push --force").is_empty());
}

#[test]
fn every_command_speaks_french() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    // Runs in every phase, walked with French command words.
    let walks = [
        (
            vec!["run", "psp-quarterly", "--plain"],
            "aide\nfait\nsauter tournées le mois dernier\nfait\nfait\nfait tout est valide\netat\nterminer\n",
        ),
        (
            vec!["run", "deploy", "--plain"],
            "note premier essai\nechec la compilation casse\nrouvrir nouvel essai\nsuivante\nprecedente\naller 1.2\nterminer\nabandonner exercice\n",
        ),
        (
            vec!["run", "incident", "--severity", "P1", "--plain"],
            "etat\nseverite P2\nfait panne des paiements : P1\nquitter\n",
        ),
        (
            vec!["run", "breach", "--plain"],
            "fait accès coupé\noui\nmot-inconnu\nquitter\n",
        ),
    ];
    for (args, input) in &walks {
        let out = common::feed(runbook(&journal).args(args), input);
        assert!(out.status.success(), "{args:?}: {}", both(&out));
        assert_french(&args.join(" "), &both(&out));
    }
    let runs = runbook(&journal).args(["runs", "--json"]).output().unwrap();
    let runs: serde_json::Value = serde_json::from_slice(&runs.stdout).unwrap();
    let ids: Vec<String> = runs
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect();
    let resumed = common::feed(
        runbook(&journal).args(["resume", &ids[2], "--plain"]),
        "etat\nquitter\n",
    );
    assert_french("resume --plain", &both(&resumed));

    let catalog = unconfigured(catalog::load_bundled().catalog);
    let mut commands: Vec<Vec<String>> = vec![
        vec!["list".into()],
        vec!["severity".into()],
        vec!["contacts".into()],
        vec!["contacts".into(), "--emergency".into()],
        vec!["access".into()],
        vec!["backups".into()],
        vec!["dashboards".into()],
        vec![
            "window".into(),
            "--at".into(),
            "2026-11-25T03:00:00Z".into(),
        ],
        vec![
            "window".into(),
            "--at".into(),
            "2026-11-26T12:00:00Z".into(),
        ],
        vec!["runs".into()],
        vec!["runs".into(), "--open".into()],
        vec!["due".into()],
        vec!["due".into(), "--at".into(), "2026-12-01T08:30:00Z".into()],
        vec!["check".into()],
        vec!["check".into(), "--strict".into()],
        vec!["config".into()],
        vec!["metrics".into(), "--once".into()],
        vec!["audit".into(), "verify".into()],
        vec!["audit".into(), "show".into()],
        vec!["show".into(), "no-such-procedure".into()],
        vec!["report".into(), "no-such-run".into()],
        vec!["resume".into(), ids[0].clone(), "--plain".into()],
    ];
    commands.extend(ids.iter().map(|id| vec!["report".into(), id.clone()]));
    let site = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/site.toml");
    for args in [
        &["check"][..],
        &["config"],
        &["show", "cto", "--origins"],
        &["show", "noc", "--origins"],
        &["show", "deploy", "--origins"],
        &["show", "no-such-id", "--origins"],
    ] {
        let mut with_site = vec!["--site".to_owned(), site.to_owned()];
        with_site.extend(args.iter().map(|a| (*a).to_owned()));
        commands.push(with_site);
    }
    commands.extend(
        catalog
            .procedures
            .iter()
            .map(|p| vec!["show".into(), p.id.clone()]),
    );
    for args in &commands {
        let out = runbook(&journal).args(args).output().unwrap();
        assert_french(&args.join(" "), &both(&out));
    }
    // `runbook` alone without a terminal: the overview.
    let out = runbook(&journal).output().unwrap();
    assert_french("runbook", &both(&out));
}

#[test]
fn a_failing_metric_source_is_explained_in_french() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = dir.path().join("site.toml");
    std::fs::write(
        &catalog,
        r#"
[[metric]]
id = "queue"
title = { fr = "File d'attente", en = "Queue" }
unit = "jobs"
direction = "above"
alert = 10
critical = 50
source = { kind = "command", argv = ["sh", "-c", "echo broken >&2; exit 3"], timeout = "2s", retries = 0 }

[[metric]]
id = "unset"
title = { fr = "Variable absente", en = "Unset" }
unit = "%"
direction = "above"
alert = 1
critical = 5
source = { kind = "prometheus", url = "${RUNBOOK_TEST_NOT_SET}", query = "up", retries = 0 }
"#,
    )
    .unwrap();
    let out = runbook(&dir.path().join("journal.jsonl"))
        .args(["metrics", "--once", "--catalog"])
        .arg(&catalog)
        .output()
        .unwrap();
    let said = both(&out);
    assert_eq!(out.status.code(), Some(3), "{said}");
    assert!(said.contains("s'est terminé avec"), "{said}");
    assert!(
        said.contains("non configurée : définissez RUNBOOK_TEST_NOT_SET"),
        "{said}"
    );
    assert_french("metrics --once", &said);
}

/// Help text without what names commands: example lines (`runbook …`)
/// and the first word of a listed subcommand.
fn without_command_names(help: &str) -> String {
    const NAMES: &[&str] = &[
        "due",
        "check",
        "list",
        "show",
        "severity",
        "window",
        "run",
        "resume",
        "exec",
        "runs",
        "report",
        "contacts",
        "access",
        "backups",
        "dashboards",
        "audit",
        "verify",
        "head",
        "metrics",
        "config",
        "watch",
        "drill",
        "replay",
        "notify",
        "test",
        "pending",
        "journal",
        "init",
        "export",
        "import",
    ];
    help.lines()
        .filter(|line| {
            let line = line.trim_start();
            !line.starts_with("runbook ") && !line.starts_with("Utilisation : runbook")
        })
        .map(|line| {
            let trimmed = line.trim_start();
            let first = trimmed.split_whitespace().next().unwrap_or("");
            if line.starts_with("  ") && NAMES.contains(&first) {
                trimmed[first.len()..].to_owned()
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn catalog_mistakes_are_explained_in_french() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid");
    let mut seen = 0;
    for entry in std::fs::read_dir(fixtures).unwrap() {
        let path = entry.unwrap().path();
        let out = runbook(&journal)
            .args(["check", "--strict"])
            .arg(&path)
            .output()
            .unwrap();
        let said = both(&out);
        assert_eq!(out.status.code(), Some(2), "{said}");
        assert!(
            said.contains("erreur[") || said.contains("avertissement["),
            "{said}"
        );
        // The TOML parser's own words stay its own.
        let ours: String = said
            .lines()
            .filter(|l| !l.contains("syntaxe TOML"))
            // The quoted line of the file is the file's.
            .filter(|l| {
                let gutter = l.split('|').next().unwrap_or("");
                !(l.contains('|') && gutter.trim().chars().all(|c| c.is_ascii_digit()))
            })
            .collect::<Vec<_>>()
            .join("\n");
        assert_french(&path.display().to_string(), &ours);
        seen += 1;
    }
    assert!(seen >= 20, "the invalid fixtures were not found");
}

#[test]
fn every_help_speaks_french() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let commands: &[&[&str]] = &[
        &[],
        &["check"],
        &["list"],
        &["show"],
        &["severity"],
        &["contacts"],
        &["access"],
        &["backups"],
        &["dashboards"],
        &["window"],
        &["due"],
        &["run"],
        &["drill"],
        &["replay"],
        &["resume"],
        &["runs"],
        &["report"],
        &["audit"],
        &["audit", "verify"],
        &["audit", "head"],
        &["audit", "show"],
        &["metrics"],
        &["config"],
        &["watch"],
        &["notify"],
        &["notify", "test"],
        &["notify", "pending"],
        &["journal"],
        &["journal", "init"],
        &["journal", "export"],
        &["journal", "import"],
    ];
    for command in commands {
        for flag in ["--help", "-h"] {
            let out = runbook(&journal).args(*command).arg(flag).output().unwrap();
            assert_eq!(
                out.status.code(),
                Some(0),
                "{command:?} {flag}: {}",
                both(&out)
            );
            let shown = both(&out);
            assert!(shown.contains("Utilisation"), "{shown}");
            assert_french(
                &format!("{command:?} {flag}"),
                &without_command_names(&shown),
            );
        }
    }
    // `--lang en` wins over a French locale.
    let out = runbook(&journal)
        .args(["--lang", "en", "--help"])
        .output()
        .unwrap();
    assert!(both(&out).contains("Usage:"), "{}", both(&out));
}

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-24T10:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

/// An incident at P1 with steps in every state and a teammate present.
fn incident() -> RunState {
    let mut state = RunState::new("incident-20261124-093000-ab12");
    let mut seq = 0;
    let mut apply = |who: &str, minutes: i64, event: Event| {
        seq += 1;
        state.apply(
            &Meta {
                seq,
                at: now() - TimeDelta::minutes(minutes),
                operator: who.into(),
                proof: format!("account {who}@bastion"),
            },
            &event,
        );
    };
    apply(
        "alice",
        30,
        Event::RunStarted {
            procedure: "incident".into(),
            procedure_hash: "h".into(),
            severity: Some("P1".into()),
            pinned: None,
        },
    );
    apply("bob", 29, Event::RunResumed);
    apply(
        "alice",
        20,
        Event::StepCompleted {
            step: "qualification".into(),
            note: Some("paiements en panne".into()),
            value: None,
            hold: None,
        },
    );
    apply(
        "bob",
        10,
        Event::StepClaimed {
            step: "mitigation".into(),
        },
    );
    apply(
        "alice",
        5,
        Event::NoteAdded {
            step: Some("communication".into()),
            text: "CTO appelé".into(),
        },
    );
    state
}

fn screen(model: &Model, data: &Data<'_>, width: u16, height: u16) -> String {
    let theme = Theme::load("dark", false, false).unwrap();
    let keymap = Keymap::new(&BTreeMap::new()).unwrap();
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    let view = View {
        model,
        data,
        theme: &theme,
        keymap: &keymap,
    };
    terminal.draw(|frame| draw(frame, &view)).unwrap();
    terminal.backend().to_string()
}

#[test]
fn every_console_view_speaks_french() {
    let catalog: Catalog = unconfigured(catalog::load_bundled().catalog);
    let run = incident();
    let summaries = vec![summarise(&run, &catalog, "fr", now())];
    let history = runbook::metrics::History::default();
    let duties = runbook::due::duties(
        &catalog,
        runbook::due::Runs {
            finished: &[],
            open: &[],
            began: Some(now() - chrono::TimeDelta::days(100)),
        },
        now(),
    );
    let data = |in_run: bool| Data {
        catalog: &catalog,
        operator: "alice",
        lang: "fr",
        run: in_run.then(|| (catalog.procedure("incident").unwrap(), &run)),
        runs: &summaries,
        metrics_hint: runbook::text::words::FR.console.no_metric_source,
        duties: &duties,
        owed: &[],
        pane: None,
        running: false,
        failure_note: None,
        delivery: None,
        recording: None,
        journal: "/tmp/journal.jsonl",
        metrics: &history,
    };
    let mut views: Vec<(String, Model, bool, u16, u16)> = Vec::new();
    let base = Model::new(now());
    views.push(("home".into(), base.clone(), false, 100, 40));
    views.push(("too small".into(), base.clone(), false, 40, 10));
    for step in 0..6 {
        let mut model = base.clone();
        model.screen = Screen::Run;
        model.step_selected = step;
        views.push((format!("run, step {step}"), model, true, 100, 40));
    }
    let overlays = [
        Overlay::Help,
        Overlay::Palette {
            query: String::new(),
            selected: 0,
        },
        Overlay::Input(Input::new(Purpose::Evidence {
            step: "communication".into(),
        })),
        Overlay::Input(Input::new(Purpose::Skip {
            step: "communication".into(),
        })),
        Overlay::Input(Input::new(Purpose::Fail {
            step: "communication".into(),
        })),
        Overlay::Input(Input::new(Purpose::Search)),
        Overlay::Confirm {
            step: "isolate".into(),
            command: None,
            note: None,
        },
        Overlay::Severity {
            procedure: "incident".into(),
            selected: 0,
        },
        Overlay::QuitAsk,
    ];
    let tabs = (0..6).map(|tab| Overlay::Reference { tab, selected: 0 });
    for overlay in overlays.into_iter().chain(tabs) {
        let mut model = base.clone();
        model.screen = Screen::Run;
        model.overlay = overlay.clone();
        views.push((format!("{overlay:?}"), model, true, 120, 45));
    }
    for (name, model, in_run, width, height) in &views {
        let shown = screen(model, &data(*in_run), *width, *height);
        assert_french(name, &shown);
    }
}

/// The bundled catalog where no metric variable is set, as on a fresh
/// machine.
fn unconfigured(mut catalog: Catalog) -> Catalog {
    runbook::metrics::source::configure(&mut catalog, &|_: &str| None);
    catalog
}
