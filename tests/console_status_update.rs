//! The console's status update (`U`): typed as a line, and without words
//! the catalog's draft put in the line to edit before it is posted.

// Helpers of tests may unwrap: a failure there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use runbook::catalog::{Template, Text};
use runbook::run::Command;
use runbook::status::{Impact, Status};
use runbook::tui::keymap::Keymap;
use runbook::tui::model::{Model, Overlay, Screen};
use runbook::tui::update::{Effect, Msg, update};

#[path = "console_views/support.rs"]
mod support;
use support::*;

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn typed(model: &mut Model, data: &runbook::tui::model::Data<'_>, keymap: &Keymap, text: &str) {
    for c in text.chars() {
        update(model, data, keymap, key(KeyCode::Char(c)));
    }
}

#[test]
fn u_opens_the_update_line_and_enter_without_words_puts_the_draft_in_it_to_edit() {
    let mut f = fixture();
    f.catalog.templates.push(Template {
        id: "deploy".into(),
        procedure: Some("deploy".into()),
        severity: None,
        status: None,
        text: Text::plain("Deploy trouble on ${components} (${impact})."),
        origin: runbook::catalog::diagnostic::Origin::default(),
    });
    let keymap = Keymap::new(&BTreeMap::new()).unwrap();
    let data = data(&f, true);
    let mut model = Model::new(now());
    model.screen = Screen::Run;
    update(&mut model, &data, &keymap, key(KeyCode::Char('U')));
    assert!(matches!(&model.overlay, Overlay::Input(i) if i.text.is_empty()));

    typed(
        &mut model,
        &data,
        &keymap,
        "monitoring public minor +payments",
    );
    let effects = update(&mut model, &data, &keymap, key(KeyCode::Enter));
    assert!(
        effects.is_empty(),
        "nothing is posted before the words are seen"
    );
    let Overlay::Input(input) = &model.overlay else {
        panic!("the line stays open with the draft");
    };
    assert_eq!(
        input.text,
        "monitoring public minor +payments Deploy trouble on Payments and contributions (minor)."
    );

    // The operator edits the words (here, adds a sentence) and posts.
    typed(&mut model, &data, &keymap, " Fixed.");
    let effects = update(&mut model, &data, &keymap, key(KeyCode::Enter));
    let [Effect::Execute(Command::Update(posted))] = effects.as_slice() else {
        panic!("{effects:?}");
    };
    assert!(matches!(model.overlay, Overlay::None), "the line closes");
    assert_eq!(posted.status, Status::Monitoring);
    assert_eq!(posted.impact, Impact::Minor);
    assert!(posted.public);
    assert_eq!(posted.components, ["payments"]);
    assert_eq!(
        posted.text,
        "Deploy trouble on Payments and contributions (minor). Fixed."
    );
}

#[test]
fn a_wrong_status_keeps_the_line_open_and_says_why() {
    let f = fixture();
    let keymap = Keymap::new(&BTreeMap::new()).unwrap();
    let data = data(&f, true);
    let mut model = Model::new(now());
    model.screen = Screen::Run;
    update(&mut model, &data, &keymap, key(KeyCode::Char('U')));
    typed(&mut model, &data, &keymap, "fixed it works");
    let effects = update(&mut model, &data, &keymap, key(KeyCode::Enter));
    assert!(effects.is_empty());
    assert!(matches!(&model.overlay, Overlay::Input(i) if i.text == "fixed it works"));
    let said = format!("{:?}", model.notice);
    assert!(said.contains("`fixed` is not a status"), "{said}");
}
