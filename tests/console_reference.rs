//! The console's reference screen, warnings, teammates and links, drawn
//! on a test backend: what an operator reads from home or from a run.

// Helpers of tests may unwrap: a failure there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use chrono::TimeDelta;
use runbook::catalog::{self};
use runbook::run::{Event, Meta};
use runbook::tui::keymap::Keymap;
use runbook::tui::model::{Data, Model, Overlay, Screen};
use runbook::tui::theme::Theme;

#[path = "console_views/support.rs"]
mod support;
use support::*;

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
