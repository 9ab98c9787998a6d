//! The console's views, drawn into ratatui's `TestBackend` and compared
//! with snapshots (`tests/snapshots/`): home, a walkthrough with every
//! step state, help, the palette, a terminal too small, ASCII; and the
//! themes' colours checked cell by cell.

// Helpers of tests may unwrap: a failure there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;
use runbook::catalog::{self, Catalog};
use runbook::run::{Event, Meta, RunState};
use runbook::run_list::{Summary, summarise};
use runbook::tui::keymap::Keymap;
use runbook::tui::model::{Data, Model, Overlay, Screen};
use runbook::tui::theme::Theme;
use runbook::tui::view::{View, draw};

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-24T10:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

/// A deploy run with a step in every state.
fn deploy_run() -> RunState {
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
        },
    );
    apply("bob", Event::RunResumed);
    apply(
        "alice",
        Event::StepCompleted {
            step: "tests-pass".into(),
            note: Some("120 passed".into()),
            value: None,
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

fn render(
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

fn text(terminal: &Terminal<TestBackend>) -> String {
    terminal.backend().to_string()
}

struct Fixture {
    history: runbook::metrics::History,
    catalog: Catalog,
    run: RunState,
    summaries: Vec<Summary>,
}

fn fixture() -> Fixture {
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

fn data(f: &Fixture, in_run: bool) -> Data<'_> {
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

fn dark() -> Theme {
    Theme::load("dark", false, false).unwrap()
}

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

/// The foreground colour of the first cell showing `needle`.
fn colour_of(terminal: &Terminal<TestBackend>, needle: &str) -> Color {
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

fn key(c: ratatui::crossterm::event::KeyCode) -> runbook::tui::update::Msg {
    runbook::tui::update::Msg::Key(ratatui::crossterm::event::KeyEvent::new(
        c,
        ratatui::crossterm::event::KeyModifiers::NONE,
    ))
}

#[test]
fn the_reference_screen_opens_from_home_shows_every_table_and_copies_a_number() {
    use ratatui::crossterm::event::KeyCode;
    use runbook::tui::update::{Effect, update};
    let f = fixture();
    let keymap = Keymap::new(&BTreeMap::new()).unwrap();
    let data = data(&f, false);
    let mut model = Model::new(now());
    update(&mut model, &data, &keymap, key(KeyCode::Char('r')));
    assert_eq!(
        model.overlay,
        Overlay::Reference {
            tab: 0,
            selected: 0
        }
    );
    let screen = text(&render(80, 24, &model, &data, &dark()));
    assert!(screen.contains("On-call (EMERGENCY)"), "{screen}");
    assert!(screen.contains("not set: add it to your"), "{screen}");
    insta::assert_snapshot!("reference_80x24", screen);

    // y on the first contact copies how to reach it.
    let effects = update(&mut model, &data, &keymap, key(KeyCode::Char('y')));
    assert_eq!(effects, vec![Effect::Copy("PagerDuty".into())]);
    // The CTO has no number yet: nothing is copied, and the operator is told.
    update(&mut model, &data, &keymap, key(KeyCode::Down));
    update(&mut model, &data, &keymap, key(KeyCode::Down));
    assert!(update(&mut model, &data, &keymap, key(KeyCode::Char('y'))).is_empty());
    assert!(
        model
            .notice
            .as_ref()
            .unwrap()
            .text
            .contains("nothing to copy")
    );

    // Every tab, in turn, then back to the first.
    let expected = [
        "Senior developer",
        "Audit logs",
        "Sentry",
        "Total outage",
        "Secondary",
        "[[contact]] id = \"tech-lead\" reach",
        "PagerDuty",
    ];
    for shown in expected {
        update(&mut model, &data, &keymap, key(KeyCode::Right));
        let screen = text(&render(100, 30, &model, &data, &dark()));
        assert!(screen.contains(shown), "`{shown}` not on:\n{screen}");
    }
    update(&mut model, &data, &keymap, key(KeyCode::Esc));
    assert_eq!(model.overlay, Overlay::None);
}

#[test]
fn the_home_says_how_many_warnings_and_w_lists_them_with_the_key_to_set() {
    use ratatui::crossterm::event::KeyCode;
    use runbook::tui::update::{Effect, update};
    let f = fixture();
    let keymap = Keymap::new(&BTreeMap::new()).unwrap();
    let home = data(&f, false);
    let count = f.catalog.findings.len();
    assert!(count > 0, "the bundled catalog lacks a site's values");
    let mut model = Model::new(now());
    let screen = text(&render(80, 24, &model, &home, &dark()));
    let said = format!("{count} warning(s) W  Enter");
    assert!(screen.contains(&said), "{screen}");

    update(&mut model, &home, &keymap, key(KeyCode::Char('W')));
    let screen = text(&render(120, 30, &model, &home, &dark()));
    for finding in &f.catalog.findings {
        assert!(
            screen.contains(&finding.place),
            "{} not on:\n{screen}",
            finding.place
        );
    }
    assert!(screen.contains("has no way to reach it"), "{screen}");
    // y copies the site key that answers the selected warning.
    let effects = update(&mut model, &home, &keymap, key(KeyCode::Char('y')));
    let first = f.catalog.findings[0].answer.clone().unwrap();
    assert_eq!(effects, vec![Effect::Copy(first)]);

    // A run's status line keeps its keys for the steps.
    let mut in_run = Model::new(now());
    in_run.screen = Screen::Run;
    let screen = text(&render(80, 24, &in_run, &data(&f, true), &dark()));
    assert!(!screen.contains("warning(s)"), "{screen}");
}

/// Issue 24: a teammate whose own key signs their entries is marked ✓ in
/// the run's header; a name only claimed is not.
#[test]
fn a_signed_teammate_is_marked_in_the_header() {
    let mut f = fixture();
    f.run.apply(
        &Meta {
            seq: 99,
            at: now(),
            operator: "carol".into(),
            proof: "key SHA256:carolskey".into(),
        },
        &Event::RunResumed,
    );
    let mut model = Model::new(now());
    model.screen = Screen::Run;
    let screen = text(&render(120, 30, &model, &data(&f, true), &dark()));
    assert!(screen.contains("carol ✓"), "{screen}");
    assert!(
        screen.contains("bob") && !screen.contains("bob ✓"),
        "{screen}"
    );
}

#[test]
fn the_reference_screen_opens_from_a_run_too() {
    use ratatui::crossterm::event::KeyCode;
    use runbook::tui::update::update;
    let f = fixture();
    let keymap = Keymap::new(&BTreeMap::new()).unwrap();
    let data = data(&f, true);
    let mut model = Model::new(now());
    model.screen = Screen::Run;
    update(&mut model, &data, &keymap, key(KeyCode::Char('r')));
    assert!(matches!(model.overlay, Overlay::Reference { .. }));
}

#[test]
fn a_command_with_an_unset_variable_is_shown_unset_and_not_copied() {
    use ratatui::crossterm::event::KeyCode;
    use runbook::tui::update::{Effect, update};
    let mut f = fixture();
    let keymap = Keymap::new(&BTreeMap::new()).unwrap();
    let upload = {
        let procedure = f.catalog.procedure("deploy").unwrap();
        procedure.steps().position(|s| s.id == "upload").unwrap()
    };
    let mut model = Model::new(now());
    model.screen = Screen::Run;
    model.step_selected = upload;
    let screen = text(&render(100, 30, &model, &data(&f, true), &dark()));
    assert!(screen.contains("<firebase_app_id: unset>"), "{screen}");
    let effects = update(
        &mut model,
        &data(&f, true),
        &keymap,
        key(KeyCode::Char('y')),
    );
    assert!(effects.is_empty(), "{effects:?}");
    let notice = model
        .notice
        .as_ref()
        .map(|n| n.text.clone())
        .unwrap_or_default();
    assert!(notice.contains("not copied"), "{notice}");

    // Once a site gives it, the command is whole and copied.
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site.toml");
    std::fs::write(&site, "[vars]\nfirebase_app_id = \"1:42\"\n").unwrap();
    let layered = catalog::load_layered(
        &catalog::source::Location::Bundled,
        &[catalog::Site {
            name: "site".into(),
            paths: vec![site],
        }],
    );
    f.catalog = layered.catalog;
    let effects = update(
        &mut model,
        &data(&f, true),
        &keymap,
        key(KeyCode::Char('y')),
    );
    match effects.as_slice() {
        [Effect::Copy(command)] => assert!(command.contains("--app 1:42 "), "{command}"),
        other => panic!("expected a copy, got {other:?}"),
    }
}

/// The bundled catalog where no metric variable is set, as on a fresh
/// machine.
fn unconfigured(mut catalog: Catalog) -> Catalog {
    runbook::metrics::source::configure(&mut catalog, &|_: &str| None);
    catalog
}

#[test]
fn dashboard_urls_are_links_where_the_terminal_supports_them() {
    let mut f = fixture();
    let site = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/site.toml");
    f.catalog = catalog::load_layered(
        &catalog::source::Location::Bundled,
        &[catalog::Site {
            name: "example".into(),
            paths: vec![site.into()],
        }],
    )
    .catalog;
    let mut model = Model::new(now());
    let dashboards = runbook::reference::Table::ALL
        .iter()
        .position(|t| matches!(t, runbook::reference::Table::Dashboards))
        .unwrap();
    model.overlay = Overlay::Reference {
        tab: dashboards,
        selected: 0,
    };
    let url = "https://sentry.example.org/organizations/acme/issues/";
    let linked = |theme: &Theme| {
        let terminal = render(120, 24, &model, &data(&f, false), theme);
        terminal
            .backend()
            .buffer()
            .content()
            .iter()
            .filter(|c| c.symbol().starts_with(&format!("\x1b]8;;{url}\x1b\\")))
            .count()
    };
    assert_eq!(linked(&dark()), 0, "off unless the terminal supports them");
    // The whole URL is shown at 120 columns: a link per pair of its cells.
    assert_eq!(linked(&dark().with_links(true)), url.len().div_ceil(2));
}

/// Day one: a journal with nothing in it owes no duty; the title counts
/// nothing overdue and the home lists no duty to do.
#[test]
fn a_fresh_journal_opens_on_a_quiet_home() {
    let f = fixture();
    let runs = runbook::due::Runs {
        finished: &[],
        open: &[],
        began: None,
    };
    let duties = runbook::due::duties(&f.catalog, runs, now());
    assert!(!duties.is_empty());
    let data = Data {
        duties: &duties,
        owed: &[],
        ..data(&f, false)
    };
    let screen = text(&render(80, 24, &Model::new(now()), &data, &dark()));
    assert!(!screen.contains("overdue"), "{screen}");
    assert!(!screen.contains("OVERDUE"), "{screen}");
    assert!(
        !data
            .home_items()
            .iter()
            .any(|i| matches!(i, runbook::tui::model::HomeItem::Duty(_))),
        "{screen}"
    );
}

#[test]
fn home_lists_due_duties_overdue_first_and_starts_one_with_a_key() {
    use ratatui::crossterm::event::KeyCode;
    use runbook::tui::update::{Effect, update};
    let f = fixture();
    // The daily reconciliation was done this morning; the rest never was.
    let finished = [runbook::due::Finished {
        run: "reconciliation-daily-1".into(),
        procedure: "reconciliation-daily".into(),
        started_at: now() - TimeDelta::minutes(30),
        finished_at: now() - TimeDelta::minutes(5),
        by: "bob".into(),
    }];
    let duties = runbook::due::duties(
        &f.catalog,
        runbook::due::Runs {
            finished: &finished,
            open: &[],
            began: Some(now() - TimeDelta::days(100)),
        },
        now(),
    );
    let data = Data {
        duties: &duties,
        owed: &[],
        pane: None,
        running: false,
        failure_note: None,
        delivery: None,
        recording: None,
        ..data(&f, false)
    };
    let model = Model::new(now());
    let screen = text(&render(80, 24, &model, &data, &dark()));
    assert!(screen.contains("Due"), "{screen}");
    assert!(screen.contains("OVERDUE by"), "{screen}");
    assert!(
        !screen
            .lines()
            .any(|l| l.contains("OVERDUE") && l.contains("Daily reconciliation")),
        "done this morning, the daily reconciliation is not due: {screen}"
    );
    assert!(
        screen.contains("4 overdue"),
        "the title counts them: {screen}"
    );
    insta::assert_snapshot!("home_due_80x24", screen);

    // The first due item is the most overdue duty; Enter starts it.
    let keymap = Keymap::new(&BTreeMap::new()).unwrap();
    let items = data.home_items();
    let first = items
        .iter()
        .position(|i| matches!(i, runbook::tui::model::HomeItem::Duty(_)))
        .unwrap();
    let mut model = Model::new(now());
    model.home_selected = first;
    let effects = update(&mut model, &data, &keymap, key(KeyCode::Enter));
    assert_eq!(
        effects,
        vec![Effect::Start {
            procedure: duties[0].procedure.clone(),
            severity: None,
        }]
    );
    assert!(matches!(
        duties[0].state,
        runbook::due::State::Overdue { .. }
    ));
}

#[test]
fn the_status_line_says_where_notifications_stand_with_their_answers_made_inert() {
    let f = fixture();
    let mut model = Model::new(now());
    model.screen = Screen::Run;
    let mut status = runbook::notify::Status {
        sent: 3,
        ..runbook::notify::Status::default()
    };
    let shown = |status: &runbook::notify::Status| {
        let mut d = data(&f, true);
        d.delivery = Some(status);
        let terminal = render(100, 30, &model, &d, &dark());
        let screen = text(&terminal);
        (screen.lines().last().unwrap_or("").to_owned(), terminal)
    };
    let (line, _) = shown(&status);
    assert!(line.contains("notify: 3 sent, 0 pending"), "{line}");
    status
        .retrying
        .insert("oncall".into(), "503 \u{1b}[2Jbusy".into());
    let (line, terminal) = shown(&status);
    assert!(line.contains("oncall retrying (503"), "{line}");
    assert!(!line.contains('\u{1b}'), "{line:?}");
    assert_eq!(
        colour_of(&terminal, "oncall retrying"),
        dark().warning.fg.unwrap()
    );
    status.failed.insert("chat".into(), "404 no_team".into());
    let (line, terminal) = shown(&status);
    assert!(line.contains("chat FAILED (404 no_team)"), "{line}");
    assert_eq!(
        colour_of(&terminal, "chat FAILED"),
        dark().danger.fg.unwrap()
    );
}
