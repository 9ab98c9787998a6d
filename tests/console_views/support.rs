//! Helpers the `console_views` and `console_reference` tests share.

// Each test file uses a part of them.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;
use runbook::catalog::{self, Catalog};
use runbook::run::{Event, Meta, RunState};
use runbook::run_list::{Summary, summarise};
use runbook::tui::keymap::Keymap;
use runbook::tui::model::{Data, Model};
use runbook::tui::theme::Theme;
use runbook::tui::view::{View, draw};

pub fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-24T10:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

/// A deploy run with a step in every state.
pub fn deploy_run() -> RunState {
    let t = now() - TimeDelta::minutes(30);
    let mut state = RunState::new("deploy-20261124-093000-ab12");
    let mut seq = 0;
    let mut apply = |who: &str, event: Event| {
        seq += 1;
        state.apply(
            &Meta {
                seq,
                at: t,
                operator: who.into(),
                proof: format!("account {who}@bastion"),
            },
            &event,
        );
    };
    apply(
        "alice",
        Event::RunStarted {
            procedure: "deploy".into(),
            procedure_hash: "h".into(),
            severity: None,
            pinned: None,
        },
    );
    apply("bob", Event::RunResumed);
    apply(
        "alice",
        Event::StepCompleted {
            step: "tests-pass".into(),
            note: Some("120 passed".into()),
            value: None,
            hold: None,
        },
    );
    apply(
        "alice",
        Event::StepSkipped {
            step: "code-review".into(),
            reason: "hotfix, reviewed live".into(),
        },
    );
    apply(
        "bob",
        Event::StepFailed {
            step: "version-bumped".into(),
            note: "pubspec locked".into(),
        },
    );
    apply(
        "alice",
        Event::StepProposed {
            step: "changelog".into(),
            note: None,
            hold: None,
        },
    );
    apply(
        "bob",
        Event::StepClaimed {
            step: "build-android".into(),
        },
    );
    state
}

pub fn render(
    width: u16,
    height: u16,
    model: &Model,
    data: &Data<'_>,
    theme: &Theme,
) -> Terminal<TestBackend> {
    let keymap = Keymap::new(&BTreeMap::new()).unwrap();
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    let view = View {
        model,
        data,
        theme,
        keymap: &keymap,
    };
    terminal.draw(|frame| draw(frame, &view)).unwrap();
    terminal
}

pub fn text(terminal: &Terminal<TestBackend>) -> String {
    terminal.backend().to_string()
}

pub struct Fixture {
    pub history: runbook::metrics::History,
    pub catalog: Catalog,
    pub run: RunState,
    pub summaries: Vec<Summary>,
}

pub fn fixture() -> Fixture {
    let catalog = unconfigured(catalog::load_bundled().catalog);
    let run = deploy_run();
    let summaries = vec![summarise(&run, &catalog, "en", now())];
    Fixture {
        history: runbook::metrics::History::default(),
        catalog,
        run,
        summaries,
    }
}

pub fn data(f: &Fixture, in_run: bool) -> Data<'_> {
    Data {
        catalog: &f.catalog,
        operator: "alice",
        lang: "en",
        run: in_run.then(|| (f.catalog.procedure("deploy").unwrap(), &f.run)),
        runs: &f.summaries,
        metrics_hint: "No metric source configured.",
        duties: &[],
        owed: &[],
        pane: None,
        running: false,
        failure_note: None,
        delivery: None,
        recording: None,
        journal: "/tmp/journal.jsonl",
        metrics: &f.history,
    }
}

pub fn dark() -> Theme {
    Theme::load("dark", false, false).unwrap()
}

/// The bundled catalog where no metric variable is set, as on a fresh
/// machine.
pub fn unconfigured(mut catalog: Catalog) -> Catalog {
    runbook::metrics::source::configure(&mut catalog, &|_: &str| None);
    catalog
}

/// The foreground colour of the first cell showing `needle`.
pub fn colour_of(terminal: &Terminal<TestBackend>, needle: &str) -> Color {
    let buffer = terminal.backend().buffer();
    let area = buffer.area;
    for y in 0..area.height {
        let row: String = (0..area.width)
            .map(|x| buffer[(x, y)].symbol().to_owned())
            .collect();
        if let Some(byte) = row.find(needle) {
            let x = u16::try_from(row[..byte].chars().count()).unwrap();
            return buffer[(x, y)].fg;
        }
    }
    panic!("`{needle}` not on screen");
}
