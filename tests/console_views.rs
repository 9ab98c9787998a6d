//! The console's views, drawn into ratatui's `TestBackend` and compared
//! with snapshots (`tests/snapshots/`): home, a walkthrough with every
//! step state, help, the palette, a terminal too small, ASCII; and the
//! themes' colours checked cell by cell.

// Helpers of tests may unwrap: a failure there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::TimeDelta;
use ratatui::style::Color;
use runbook::catalog::{self};
use runbook::run::{Event, Meta, RunState};
use runbook::tui::model::{Data, Model, Overlay, Screen};
use runbook::tui::theme::Theme;

#[path = "console_views/support.rs"]
mod support;
use support::*;

#[test]
fn home_at_80x24() {
    let f = fixture();
    let model = Model::new(now());
    let terminal = render(80, 24, &model, &data(&f, false), &dark());
    let screen = text(&terminal);
    assert!(screen.contains("Open runs"), "{screen}");
    insta::assert_snapshot!("home_80x24", screen);
}

#[test]
fn walkthrough_shows_every_step_state_in_words() {
    let f = fixture();
    let mut model = Model::new(now());
    model.screen = Screen::Run;
    model.step_selected = 3;
    let terminal = render(100, 30, &model, &data(&f, true), &dark());
    let screen = text(&terminal);
    for word in [
        "done", "skipped", "FAILED", "2nd-op", "claimed", "role", "gated", "to do",
    ] {
        assert!(screen.contains(word), "no `{word}` on screen:\n{screen}");
    }
    assert!(screen.contains("alice with bob"), "{screen}");
    insta::assert_snapshot!("walkthrough_100x30", screen);
}

#[test]
fn walkthrough_at_80x24_fits() {
    let f = fixture();
    let mut model = Model::new(now());
    model.screen = Screen::Run;
    let screen = text(&render(80, 24, &model, &data(&f, true), &dark()));
    insta::assert_snapshot!("walkthrough_80x24", screen);
}

#[test]
fn help_lists_every_key() {
    use runbook::tui::action::Action;
    let f = fixture();
    let mut model = Model::new(now());
    model.screen = Screen::Run;
    model.overlay = Overlay::Help;
    let screen = text(&render(80, 24, &model, &data(&f, true), &dark()));
    for action in Action::ALL {
        // `+` moves a drill's clock: listed in a drill only. The warnings'
        // key is in the home's status line; the help has no row for it
        // at 24 lines.
        if action == Action::Jump || action == Action::Warnings {
            continue;
        }
        assert!(
            screen.contains(action.describe(&runbook::text::words::EN)),
            "help lacks {action:?}:\n{screen}"
        );
    }
    insta::assert_snapshot!("help_80x24", screen);
    let tall = text(&render(100, 40, &model, &data(&f, true), &dark()));
    assert!(
        tall.contains(Action::Warnings.describe(&runbook::text::words::EN)),
        "{tall}"
    );
}

#[test]
fn palette_finds_actions_fuzzily() {
    let f = fixture();
    let mut model = Model::new(now());
    model.screen = Screen::Run;
    model.overlay = Overlay::Palette {
        query: "cpy".into(),
        selected: 0,
    };
    let screen = text(&render(80, 24, &model, &data(&f, true), &dark()));
    assert!(screen.contains("copy"), "{screen}");
    insta::assert_snapshot!("palette_80x24", screen);
}

#[test]
fn a_narrow_terminal_says_it_is_too_small() {
    let f = fixture();
    let model = Model::new(now());
    let screen = text(&render(50, 12, &model, &data(&f, false), &dark()));
    assert!(screen.contains("Terminal too small: 50x12"), "{screen}");
    insta::assert_snapshot!("too_small_50x12", screen);
}

#[test]
fn ascii_glyphs_for_terminals_without_unicode() {
    let f = fixture();
    let mut model = Model::new(now());
    model.screen = Screen::Run;
    let theme = Theme::load("dark", false, true).unwrap();
    let screen = text(&render(80, 24, &model, &data(&f, true), &theme));
    assert!(screen.is_ascii(), "{screen}");
    insta::assert_snapshot!("walkthrough_ascii_80x24", screen);
}

#[test]
fn each_theme_colours_states_and_no_color_removes_colour() {
    let f = fixture();
    let mut model = Model::new(now());
    model.screen = Screen::Run;
    model.step_selected = 10;
    let mut seen = Vec::new();
    for (name, _) in runbook::tui::theme::BUNDLED {
        let theme = Theme::load(name, false, false).unwrap();
        let terminal = render(100, 30, &model, &data(&f, true), &theme);
        let done = colour_of(&terminal, "✔ done");
        let failed = colour_of(&terminal, "✘ FAILED");
        if *name == "mono" {
            assert_eq!(
                (done, failed),
                (Color::Reset, Color::Reset),
                "mono has no colour"
            );
        } else {
            assert_ne!(done, failed, "{name}: done and failed look alike");
        }
        seen.push((name, done));
        let plain = render(
            100,
            30,
            &model,
            &data(&f, true),
            &Theme::load(name, true, false).unwrap(),
        );
        let buffer = plain.backend().buffer();
        assert!(
            buffer
                .content()
                .iter()
                .all(|c| c.fg == Color::Reset && c.bg == Color::Reset),
            "{name} with NO_COLOR still has colour"
        );
    }
    assert_eq!(seen.len(), 4);
}

#[test]
fn a_metric_gated_step_shows_its_hold_progress() {
    let mut f = fixture();
    for metric in &mut f.catalog.metrics {
        metric.source = Some(runbook::catalog::MetricSource::Command {
            argv: vec!["true".into()],
            polling: runbook::catalog::Polling::default(),
        });
        metric.needs = None;
    }
    let sample = |metric: &str, ago: i64, value: f64| runbook::metrics::Sample {
        metric: metric.into(),
        at: now() - TimeDelta::seconds(ago),
        reading: Ok(value),
    };
    let rate = f.catalog.metric("error-rate").unwrap().clone();
    let latency = f.catalog.metric("latency-p95").unwrap().clone();
    f.history.record(&rate, &sample("error-rate", 600, 0.3));
    f.history.record(&rate, &sample("error-rate", 5, 0.4));
    f.history.record(&latency, &sample("latency-p95", 5, 900.0));
    let mut model = Model::new(now());
    model.screen = Screen::Run;
    model.step_selected = 8; // rollout-50
    let screen = text(&render(100, 30, &model, &data(&f, true), &dark()));
    assert!(
        screen.contains("hold: Error rate holding 10m of 30m"),
        "{screen}"
    );
    assert!(screen.contains("hold: Latency P95 ALERT"), "{screen}");
    assert!(
        screen.contains("✔ Error rate 0.4 %"),
        "the run's metrics line:\n{screen}"
    );
}

#[test]
fn an_immediate_escalation_reads_as_an_order_in_the_danger_style() {
    let catalog = unconfigured(catalog::load_bundled().catalog);
    let mut run = RunState::new("incident-20261124-095959-ab12");
    run.apply(
        &Meta {
            seq: 1,
            at: now() - TimeDelta::seconds(1),
            operator: "alice".into(),
            proof: "account alice@bastion".into(),
        },
        &Event::RunStarted {
            procedure: "incident".into(),
            procedure_hash: "h".into(),
            severity: Some("P1".into()),
            pinned: None,
        },
    );
    let history = runbook::metrics::History::default();
    let data = Data {
        catalog: &catalog,
        operator: "alice",
        lang: "en",
        run: Some((catalog.procedure("incident").unwrap(), &run)),
        runs: &[],
        metrics_hint: "",
        duties: &[],
        owed: &[],
        pane: None,
        running: false,
        failure_note: None,
        delivery: None,
        recording: None,
        journal: "/tmp/journal.jsonl",
        metrics: &history,
    };
    let mut model = Model::new(now());
    model.screen = Screen::Run;
    let theme = dark();
    let terminal = render(80, 24, &model, &data, &theme);
    let screen = text(&terminal);
    assert!(screen.contains("Escalation NOW, at once"), "{screen}");
    assert!(!screen.contains("OVERDUE"), "{screen}");
    assert_eq!(
        colour_of(&terminal, "Escalation NOW"),
        theme.danger.fg.unwrap()
    );
}

#[test]
fn the_incident_communication_step_shows_whom_to_call_and_the_escalation_contact() {
    let catalog = unconfigured(catalog::load_bundled().catalog);
    let mut run = RunState::new("incident-20261124-095959-ab12");
    run.apply(
        &Meta {
            seq: 1,
            at: now() - TimeDelta::minutes(2),
            operator: "alice".into(),
            proof: "account alice@bastion".into(),
        },
        &Event::RunStarted {
            procedure: "incident".into(),
            procedure_hash: "h".into(),
            severity: Some("P1".into()),
            pinned: None,
        },
    );
    let history = runbook::metrics::History::default();
    let data = Data {
        catalog: &catalog,
        operator: "alice",
        lang: "en",
        run: Some((catalog.procedure("incident").unwrap(), &run)),
        runs: &[],
        metrics_hint: "",
        duties: &[],
        owed: &[],
        pane: None,
        running: false,
        failure_note: None,
        delivery: None,
        recording: None,
        journal: "/tmp/journal.jsonl",
        metrics: &history,
    };
    let mut model = Model::new(now());
    model.screen = Screen::Run;
    model.step_selected = 2;
    let terminal = render(120, 40, &model, &data, &dark());
    let screen = text(&terminal);
    assert!(screen.contains("reach On-call: PagerDuty"), "{screen}");
    assert!(
        screen.contains("reach Stripe PSP support: support@stripe.com"),
        "{screen}"
    );
    assert!(
        screen.contains("escalate at P1 to CTO: not set: add it to your site file"),
        "{screen}"
    );
}
