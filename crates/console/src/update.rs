//! The console's update: a message and the current state in, the state
//! changed and the effects to carry out out. Pure: no terminal, no disk, no
//! clock; the loop runs the effects and feeds their outcome back.

use chrono::{DateTime, Utc};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;
use super::keymap::Keymap;
use super::model::{Data, HomeItem, Input, Model, Overlay, Purpose, Screen, Tone, fuzzy};
use crate::run::press::Done;
use crate::run::{Command, StepStatus};

mod status;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Msg {
    Key(KeyEvent),
    /// A clock second: countdowns move.
    Tick(DateTime<Utc>),
    /// A command was recorded (durably) or refused, in words.
    Recorded(String),
    Refused(String),
    /// Teammates recorded something in this run.
    Activity(Vec<String>),
    Resized,
}

/// What the loop must do for the update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Execute(Command),
    Start {
        procedure: String,
        severity: Option<String>,
    },
    Join(String),
    LeaveRun,
    Copy(String),
    /// Plan the step's command and ask for its confirmation.
    PrepareExec(String),
    /// Run it, confirmed (typed, for a step that cannot be undone).
    RunExec {
        step: String,
        confirmed: bool,
    },
    DryRun(String),
    /// The whole output of the step's last command, read from the journal.
    ShowOutput(String),
    /// A follow-up of the open run, as typed (`text @owner +7d`).
    AddFollowup(String),
    InterruptExec,
    ScrollOutput(isize),
    /// A drill's clock forward to the next gate or deadline.
    JumpClock,
    /// Drop what waits for the journal, and say what becomes of the entry
    /// in flight.
    CancelPending,
    Quit,
}

const PAGE: usize = 10;

pub fn update(model: &mut Model, data: &Data<'_>, keymap: &Keymap, msg: Msg) -> Vec<Effect> {
    model.dirty = true;
    match msg {
        Msg::Tick(now) => {
            model.now = now;
            Vec::new()
        }
        Msg::Resized => Vec::new(),
        Msg::Recorded(text) => {
            model.notify(Tone::Ok, text);
            advance_to_open(model, data);
            Vec::new()
        }
        Msg::Refused(text) => {
            model.notify(Tone::Danger, (data.words().console.refused)(&text));
            Vec::new()
        }
        Msg::Activity(lines) => {
            if let Some(last) = lines.last() {
                model.notify(Tone::Info, last.clone());
            }
            Vec::new()
        }
        Msg::Key(key) => on_key(model, data, keymap, key),
    }
}

fn on_key(model: &mut Model, data: &Data<'_>, keymap: &Keymap, key: KeyEvent) -> Vec<Effect> {
    match model.overlay.clone() {
        // The output pane scrolls by its own two keys, whatever the keymap.
        Overlay::None if data.pane.is_some() && matches!(key.code, KeyCode::Char('[' | ']')) => {
            let rows = PAGE.cast_signed();
            vec![Effect::ScrollOutput(if key.code == KeyCode::Char('[') {
                rows
            } else {
                -rows
            })]
        }
        Overlay::None => match keymap.resolve(key) {
            Some(action) => act(model, data, action),
            None => Vec::new(),
        },
        Overlay::Help => {
            model.overlay = Overlay::None;
            Vec::new()
        }
        Overlay::QuitAsk => {
            model.overlay = Overlay::None;
            if matches!(key.code, KeyCode::Char('y' | 'Y')) {
                vec![Effect::Quit]
            } else {
                Vec::new()
            }
        }
        Overlay::InterruptAsk => {
            model.overlay = Overlay::None;
            if matches!(key.code, KeyCode::Char('y' | 'Y')) {
                vec![Effect::InterruptExec]
            } else {
                Vec::new()
            }
        }
        Overlay::Exec { step, shown, typed } => exec_key(model, data, key, step, shown, typed),
        Overlay::Confirm { step, note, .. } => {
            model.overlay = Overlay::None;
            if matches!(key.code, KeyCode::Char('y' | 'Y')) {
                vec![Effect::Execute(Command::Complete {
                    step,
                    note,
                    confirmed: true,
                    override_hold: None,
                })]
            } else {
                model.notify(Tone::Info, data.words().console.cancelled);
                Vec::new()
            }
        }
        Overlay::Severity {
            procedure,
            selected,
        } => severity_key(model, data, key, procedure, selected),
        Overlay::Palette { query, selected } => palette_key(model, data, key, query, selected),
        Overlay::Reference { tab, selected } => reference_key(model, data, key, tab, selected),
        Overlay::Input(input) => input_key(model, data, key, input),
    }
}

/// Acts on the normal screen.
fn act(model: &mut Model, data: &Data<'_>, action: Action) -> Vec<Effect> {
    let count = match model.screen {
        Screen::Home => data.home_items().len(),
        Screen::Run => data.steps().len(),
    };
    let selected = match model.screen {
        Screen::Home => &mut model.home_selected,
        Screen::Run => &mut model.step_selected,
    };
    let last = count.saturating_sub(1);
    match action {
        Action::Up => *selected = selected.saturating_sub(1),
        Action::Down => *selected = (*selected + 1).min(last),
        Action::Top => *selected = 0,
        Action::Bottom => *selected = last,
        Action::PageUp => *selected = selected.saturating_sub(PAGE),
        Action::PageDown => *selected = (*selected + PAGE).min(last),
        Action::Help => model.overlay = Overlay::Help,
        Action::Palette => {
            model.overlay = Overlay::Palette {
                query: String::new(),
                selected: 0,
            };
        }
        Action::Search => {
            model.search_origin = Some(*selected);
            model.overlay = Overlay::Input(Input::new(Purpose::Search));
        }
        Action::Interrupt if data.running => model.overlay = Overlay::InterruptAsk,
        Action::Interrupt => model.overlay = Overlay::QuitAsk,
        Action::Reference => {
            model.overlay = Overlay::Reference {
                tab: 0,
                selected: 0,
            };
        }
        Action::Warnings => {
            let tab = crate::reference::Table::ALL
                .iter()
                .position(|t| *t == crate::reference::Table::Findings)
                .unwrap_or_default();
            model.overlay = Overlay::Reference { tab, selected: 0 };
        }
        Action::Cancel if data.recording.is_some() => return vec![Effect::CancelPending],
        Action::Cancel => model.notice = None,
        Action::Jump => return vec![Effect::JumpClock],
        Action::Leave => {
            return match model.screen {
                Screen::Home => vec![Effect::Quit],
                Screen::Run => vec![Effect::LeaveRun],
            };
        }
        _ => {
            return match model.screen {
                Screen::Home => home_act(model, data, action),
                Screen::Run => run_act(model, data, action),
            };
        }
    }
    Vec::new()
}

fn home_act(model: &mut Model, data: &Data<'_>, action: Action) -> Vec<Effect> {
    if !matches!(action, Action::Open | Action::Complete) {
        model.notify(Tone::Info, data.words().console.open_run_first);
        return Vec::new();
    }
    match data.home_items().get(model.home_selected) {
        Some(HomeItem::Run(id)) => vec![Effect::Join(id.clone())],
        Some(HomeItem::Owed(key)) => {
            // Settled from the command line, where a link is pasted.
            let w = data.words().console;
            let hint = data
                .owed
                .iter()
                .find(|o| &o.key() == key)
                .map(|o| match &o.what {
                    crate::learn::What::PostMortem { run, .. } => (w.owed_hint_postmortem)(run),
                    crate::learn::What::Deadline { run, step, .. } => {
                        (w.owed_hint_settle)(run, step)
                    }
                    crate::learn::What::FollowUp { id, .. } => (w.owed_hint_followup)(*id),
                });
            if let Some(hint) = hint {
                model.notify(Tone::Info, hint);
            }
            Vec::new()
        }
        Some(HomeItem::Procedure(id) | HomeItem::Duty(id)) => {
            let asks = data.catalog.procedure(id).is_some_and(|p| p.asks_severity);
            if asks {
                model.overlay = Overlay::Severity {
                    procedure: id.clone(),
                    selected: 0,
                };
                Vec::new()
            } else {
                vec![Effect::Start {
                    procedure: id.clone(),
                    severity: None,
                }]
            }
        }
        None => Vec::new(),
    }
}

fn run_act(model: &mut Model, data: &Data<'_>, action: Action) -> Vec<Effect> {
    let steps = data.steps();
    let Some((_, step)) = steps.get(model.step_selected) else {
        return Vec::new();
    };
    let Some((_, state)) = data.run else {
        return Vec::new();
    };
    let id = step.id.clone();
    let execute = |command| vec![Effect::Execute(command)];
    match action {
        Action::Open | Action::Complete => match crate::run::press::done(state, &id, data.operator)
        {
            Done::Confirm => execute(Command::Confirm { step: id }),
            Done::WaitsSecond => {
                model.notify(Tone::Warning, data.words().console.waits_second);
                Vec::new()
            }
            Done::Already(status) => {
                let words = data.words();
                model.notify(Tone::Info, (words.console.already)(status.word(words)));
                Vec::new()
            }
            Done::Complete if step.evidence.is_some() => {
                model.overlay = Overlay::Input(Input::new(Purpose::Evidence { step: id }));
                Vec::new()
            }
            Done::Complete if step.confirm => {
                model.overlay = Overlay::Confirm {
                    step: id,
                    command: step.commands.first().cloned(),
                    note: None,
                };
                Vec::new()
            }
            Done::Complete => execute(Command::tick(id, None)),
        },
        Action::Skip => open_input(model, Purpose::Skip { step: id }),
        Action::Override => open_input(model, Purpose::Override { step: id }),
        Action::Fail => {
            let mut input = Input::new(Purpose::Fail { step: id.clone() });
            if let Some((_, note)) = data.failure_note.filter(|(s, _)| *s == id) {
                for c in note.chars() {
                    input.insert(c);
                }
            }
            model.overlay = Overlay::Input(input);
            Vec::new()
        }
        // One pane: a command running keeps it.
        Action::Exec | Action::Output if data.running => {
            model.notify(Tone::Warning, data.words().exec.still_running);
            Vec::new()
        }
        Action::Exec => vec![Effect::PrepareExec(id)],
        Action::Output => vec![Effect::ShowOutput(id)],
        Action::Note => open_input(model, Purpose::Note { step: id }),
        Action::Followup => open_input(model, Purpose::Followup),
        Action::StatusUpdate => open_input(model, Purpose::Update),
        Action::Reopen => execute(Command::Reopen {
            step: id,
            reason: None,
        }),
        Action::Claim => execute(Command::Claim { step: id }),
        Action::Copy => {
            if let Some(command) = step.commands.first() {
                if let Some(whole) = crate::reference::said::copyable(data.catalog, command) {
                    return vec![Effect::Copy(whole)];
                }
                model.notify(Tone::Warning, data.words().console.unset_in_command);
                return Vec::new();
            }
            model.notify(Tone::Info, data.words().console.no_command);
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// Keys in the command's confirmation: Enter runs (a step that cannot be
/// undone only once its id is typed), `d` or Tab shows a dry run, Esc
/// cancels.
fn exec_key(
    model: &mut Model,
    data: &Data<'_>,
    key: KeyEvent,
    step: String,
    shown: String,
    typed: Option<Input>,
) -> Vec<Effect> {
    let w = data.words();
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match (key.code, typed) {
        _ if key.code == KeyCode::Esc || (ctrl && key.code == KeyCode::Char('c')) => {
            model.overlay = Overlay::None;
            model.notify(Tone::Info, w.exec.cancelled);
            Vec::new()
        }
        (KeyCode::Tab, _) | (KeyCode::Char('d'), None) => {
            model.overlay = Overlay::None;
            vec![Effect::DryRun(step)]
        }
        (KeyCode::Enter, None) => {
            model.overlay = Overlay::None;
            vec![Effect::RunExec {
                step,
                confirmed: false,
            }]
        }
        (KeyCode::Enter, Some(input)) if crate::exec::flow::names(&input.text, &step) => {
            model.overlay = Overlay::None;
            vec![Effect::RunExec {
                step,
                confirmed: true,
            }]
        }
        (code, Some(mut input)) => {
            match code {
                KeyCode::Char(c) if !ctrl => input.insert(c),
                KeyCode::Backspace => input.backspace(),
                KeyCode::Left => input.left(),
                KeyCode::Right => input.right(),
                _ => {}
            }
            model.overlay = Overlay::Exec {
                step,
                shown,
                typed: Some(input),
            };
            Vec::new()
        }
        (_, None) => {
            model.overlay = Overlay::Exec {
                step,
                shown,
                typed: None,
            };
            Vec::new()
        }
    }
}

fn open_input(model: &mut Model, purpose: Purpose) -> Vec<Effect> {
    model.overlay = Overlay::Input(Input::new(purpose));
    Vec::new()
}

fn input_key(model: &mut Model, data: &Data<'_>, key: KeyEvent, mut input: Input) -> Vec<Effect> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Esc => {
            if input.purpose == Purpose::Search {
                restore_search(model);
            }
            model.overlay = Overlay::None;
            return Vec::new();
        }
        KeyCode::Enter => return submit(model, data, input),
        KeyCode::Char('u') if ctrl => input.clear(),
        KeyCode::Char('c') if ctrl => {
            model.overlay = Overlay::QuitAsk;
            return Vec::new();
        }
        KeyCode::Char(c) if !ctrl => input.insert(c),
        KeyCode::Backspace => input.backspace(),
        KeyCode::Left => input.left(),
        KeyCode::Right => input.right(),
        KeyCode::Home => input.cursor = 0,
        KeyCode::End => input.cursor = input.text.chars().count(),
        _ => {}
    }
    if input.purpose == Purpose::Search {
        search(model, data, &input.text);
    }
    model.overlay = Overlay::Input(input);
    Vec::new()
}

fn submit(model: &mut Model, data: &Data<'_>, input: Input) -> Vec<Effect> {
    let text = input.text.trim().to_owned();
    let needs_text = !matches!(input.purpose, Purpose::Search);
    if needs_text && text.is_empty() {
        let words = data.words();
        let prompt = input.purpose.prompt(words);
        model.notify(Tone::Warning, (words.console.cannot_be_empty)(prompt));
        model.overlay = Overlay::Input(input);
        return Vec::new();
    }
    if input.purpose == Purpose::Update {
        return status::submit(model, data, input);
    }
    model.overlay = Overlay::None;
    let command = match input.purpose {
        Purpose::Search => {
            model.search_origin = None;
            return Vec::new();
        }
        Purpose::Evidence { step } => {
            let confirm = data
                .run
                .and_then(|(p, _)| p.step(&step))
                .filter(|s| s.confirm);
            if let Some(s) = confirm {
                model.overlay = Overlay::Confirm {
                    step,
                    command: s.commands.first().cloned(),
                    note: Some(text),
                };
                return Vec::new();
            }
            Command::tick(step, Some(text))
        }
        Purpose::Note { step } => Command::Note {
            step: Some(step),
            text,
        },
        Purpose::Skip { step } => Command::Skip { step, reason: text },
        Purpose::Fail { step } => Command::Fail { step, note: text },
        Purpose::Override { step } => Command::overriding(step, text),
        Purpose::Followup => return vec![Effect::AddFollowup(text)],
        Purpose::Update => return Vec::new(),
    };
    vec![Effect::Execute(command)]
}

fn restore_search(model: &mut Model) {
    if let Some(origin) = model.search_origin.take() {
        match model.screen {
            Screen::Home => model.home_selected = origin,
            Screen::Run => model.step_selected = origin,
        }
    }
}

/// Moves the selection to the best match as the operator types.
fn search(model: &mut Model, data: &Data<'_>, query: &str) {
    let best = match model.screen {
        Screen::Run => data
            .steps()
            .iter()
            .enumerate()
            .filter_map(|(i, (label, s))| {
                let text = format!("{label} {} {}", s.id, s.text.get(data.lang));
                fuzzy(query, &text).map(|score| (score, i))
            })
            .max_by_key(|(score, i)| (*score, usize::MAX - i)),
        Screen::Home => data
            .home_items()
            .iter()
            .enumerate()
            .filter_map(|(i, item)| {
                let text = match item {
                    HomeItem::Run(id) => id.clone(),
                    HomeItem::Owed(key) => data
                        .owed
                        .iter()
                        .find(|o| &o.key() == key)
                        .map(|o| crate::learn::said::owed_title(data.words(), o))
                        .unwrap_or_default(),
                    HomeItem::Procedure(id) | HomeItem::Duty(id) => {
                        data.catalog.procedure(id).map_or_else(String::new, |p| {
                            let kind = crate::catalog::said::kind(data.lang, p.kind);
                            format!(
                                "{} {} {kind} {}",
                                p.id,
                                p.kind.name(),
                                p.title.get(data.lang)
                            )
                        })
                    }
                };
                fuzzy(query, &text).map(|score| (score, i))
            })
            .max_by_key(|(score, i)| (*score, usize::MAX - i)),
    };
    match (best, model.screen) {
        (Some((_, i)), Screen::Run) => model.step_selected = i,
        (Some((_, i)), Screen::Home) => model.home_selected = i,
        (None, _) => model.notify(Tone::Warning, (data.words().console.nothing_matches)(query)),
    }
}

fn severity_key(
    model: &mut Model,
    data: &Data<'_>,
    key: KeyEvent,
    procedure: String,
    selected: usize,
) -> Vec<Effect> {
    let count = data.catalog.severities.len();
    let selected = match key.code {
        KeyCode::Up | KeyCode::Char('k') => selected.saturating_sub(1),
        KeyCode::Down | KeyCode::Char('j') => (selected + 1).min(count.saturating_sub(1)),
        KeyCode::Enter => {
            model.overlay = Overlay::None;
            let severity = data.catalog.severities.get(selected).map(|s| s.id.clone());
            return vec![Effect::Start {
                procedure,
                severity,
            }];
        }
        KeyCode::Esc | KeyCode::Char('q') => {
            model.overlay = Overlay::None;
            return Vec::new();
        }
        _ => selected,
    };
    model.overlay = Overlay::Severity {
        procedure,
        selected,
    };
    Vec::new()
}

/// The rows of the reference table `tab`, as the console shows them.
pub fn reference_rows(data: &Data<'_>, tab: usize) -> (Vec<String>, Vec<crate::reference::Row>) {
    use crate::reference::{Table, rows};
    let table = Table::ALL[tab % Table::ALL.len()];
    let catalog = data.catalog;
    let holders = |role: &str| {
        catalog
            .role(role)
            .map(|r| r.holders.clone())
            .unwrap_or_default()
    };
    rows(table, catalog, data.words(), &holders)
}

fn reference_key(
    model: &mut Model,
    data: &Data<'_>,
    key: KeyEvent,
    tab: usize,
    selected: usize,
) -> Vec<Effect> {
    let tabs = crate::reference::Table::ALL.len();
    let count = reference_rows(data, tab).1.len();
    let (tab, selected) = match key.code {
        KeyCode::Left | KeyCode::Char('h') | KeyCode::BackTab => ((tab + tabs - 1) % tabs, 0),
        KeyCode::Right | KeyCode::Char('l') | KeyCode::Tab => ((tab + 1) % tabs, 0),
        KeyCode::Up | KeyCode::Char('k') => (tab, selected.saturating_sub(1)),
        KeyCode::Down | KeyCode::Char('j') => (tab, (selected + 1).min(count.saturating_sub(1))),
        KeyCode::Char('y') => {
            let copy = reference_rows(data, tab)
                .1
                .get(selected)
                .and_then(|row| row.copy.clone());
            if let Some(text) = copy {
                return vec![Effect::Copy(text)];
            }
            model.notify(Tone::Info, data.words().reference.nothing_to_copy);
            return Vec::new();
        }
        KeyCode::Esc | KeyCode::Char('q' | 'r') => {
            model.overlay = Overlay::None;
            return Vec::new();
        }
        _ => (tab, selected),
    };
    model.overlay = Overlay::Reference { tab, selected };
    Vec::new()
}

/// The actions the palette offers, best match first.
pub fn palette_matches(query: &str, words: &crate::text::Words) -> Vec<Action> {
    let mut scored: Vec<(i64, Action)> = Action::ALL
        .iter()
        .filter_map(|a| {
            let text = format!(
                "{} {} {}",
                a.name(),
                crate::text::words::console::action_name(words, a.name()),
                a.describe(words)
            );
            fuzzy(query, &text).map(|score| (score, *a))
        })
        .collect();
    scored.sort_by_key(|(score, _)| -score);
    scored.into_iter().map(|(_, a)| a).collect()
}

fn palette_key(
    model: &mut Model,
    data: &Data<'_>,
    key: KeyEvent,
    mut query: String,
    selected: usize,
) -> Vec<Effect> {
    let matches = palette_matches(&query, data.words());
    let selected = match key.code {
        KeyCode::Esc => {
            model.overlay = Overlay::None;
            return Vec::new();
        }
        KeyCode::Enter => {
            model.overlay = Overlay::None;
            return match matches.get(selected) {
                Some(action) => act(model, data, *action),
                None => Vec::new(),
            };
        }
        KeyCode::Up => selected.saturating_sub(1),
        KeyCode::Down => (selected + 1).min(matches.len().saturating_sub(1)),
        KeyCode::Backspace => {
            query.pop();
            0
        }
        KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
            query.push(c);
            0
        }
        _ => selected,
    };
    model.overlay = Overlay::Palette { query, selected };
    Vec::new()
}

/// After a step is dealt with, the selection moves to the next step that
/// needs this operator: one to do, or one awaiting their confirmation.
fn advance_to_open(model: &mut Model, data: &Data<'_>) {
    let Some((_, state)) = data.run else { return };
    let needs_me = |id: &str| match state.status(id) {
        StepStatus::Todo => true,
        StepStatus::AwaitingConfirmation { by, .. } => by != data.operator,
        _ => false,
    };
    let steps = data.steps();
    let Some((_, current)) = steps.get(model.step_selected) else {
        return;
    };
    if needs_me(&current.id) {
        return;
    }
    let after = (model.step_selected + 1..steps.len()).chain(0..model.step_selected);
    if let Some(next) = after.into_iter().find(|&i| needs_me(&steps[i].1.id)) {
        model.step_selected = next;
    }
}
