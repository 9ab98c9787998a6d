//! The console's own state: which screen, which overlay, what is selected,
//! what the status line says. The run itself is not here: it lives in the
//! session and is read, never copied.

use chrono::{DateTime, Utc};

use crate::catalog::{Catalog, Procedure, Step};
use crate::run::RunState;
use crate::run_list::Summary;
use crate::text::Words;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Home,
    Run,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    Evidence {
        step: String,
    },
    Note {
        step: String,
    },
    Skip {
        step: String,
    },
    Fail {
        step: String,
    },
    /// Why a step's metric hold is passed without its readings.
    Override {
        step: String,
    },
    /// A follow-up of the run: its text, `@owner` and `+7d` last.
    Followup,
    /// A status update: `STATUS [public] [IMPACT] [+COMPONENT]... WORDS`.
    Update,
    Search,
}

impl Purpose {
    pub fn prompt(&self, words: &Words) -> &'static str {
        let w = words.console;
        match self {
            Purpose::Evidence { .. } => w.p_evidence,
            Purpose::Note { .. } => w.p_note,
            Purpose::Skip { .. } => w.p_skip,
            Purpose::Fail { .. } => w.p_fail,
            Purpose::Override { .. } => w.p_override,
            Purpose::Followup => w.p_followup,
            Purpose::Update => w.p_update,
            Purpose::Search => w.p_search,
        }
    }
}

/// A one-line text input with a cursor (in characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub purpose: Purpose,
    pub text: String,
    pub cursor: usize,
}

impl Input {
    pub fn new(purpose: Purpose) -> Self {
        Input {
            purpose,
            text: String::new(),
            cursor: 0,
        }
    }

    fn byte_at(&self, chars: usize) -> usize {
        self.text
            .char_indices()
            .nth(chars)
            .map_or(self.text.len(), |(i, _)| i)
    }

    pub fn insert(&mut self, c: char) {
        let at = self.byte_at(self.cursor);
        self.text.insert(at, c);
        self.cursor += 1;
    }

    pub fn backspace(&mut self) {
        if self.cursor > 0 {
            self.cursor -= 1;
            let at = self.byte_at(self.cursor);
            self.text.remove(at);
        }
    }

    pub fn left(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn right(&mut self) {
        self.cursor = (self.cursor + 1).min(self.text.chars().count());
    }

    pub fn clear(&mut self) {
        self.text.clear();
        self.cursor = 0;
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    None,
    Help,
    Palette {
        query: String,
        selected: usize,
    },
    Input(Input),
    /// A step that cannot be undone: the operator confirms first.
    Confirm {
        step: String,
        command: Option<String>,
        note: Option<String>,
    },
    Severity {
        procedure: String,
        selected: usize,
    },
    QuitAsk,
    /// A step's command about to run, fully expanded: confirmed by Enter,
    /// or for a step that cannot be undone by its id typed in `typed`.
    Exec {
        step: String,
        shown: String,
        typed: Option<Input>,
    },
    /// Ctrl-C while a command runs: interrupt it?
    InterruptAsk,
    /// The reference tables, one tab each.
    Reference {
        tab: usize,
        selected: usize,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Info,
    Ok,
    Warning,
    Danger,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub tone: Tone,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HomeItem {
    Run(String),
    /// A recurring procedure due or overdue now.
    Duty(String),
    /// A post-mortem or follow-up a run left owed (its `Owed::key`).
    Owed(String),
    Procedure(String),
}

#[derive(Debug, Clone)]
pub struct Model {
    pub screen: Screen,
    pub overlay: Overlay,
    pub home_selected: usize,
    pub step_selected: usize,
    /// Where the selection was when a search began, for Esc.
    pub search_origin: Option<usize>,
    pub notice: Option<Notice>,
    pub now: DateTime<Utc>,
    pub quit: bool,
    /// Set when something visible changed; the loop draws and clears it.
    pub dirty: bool,
}

impl Model {
    pub fn new(now: DateTime<Utc>) -> Self {
        Model {
            screen: Screen::Home,
            overlay: Overlay::None,
            home_selected: 0,
            step_selected: 0,
            search_origin: None,
            notice: None,
            now,
            quit: false,
            dirty: true,
        }
    }

    /// Sets the status line. Notices quote teammates' notes and names, so
    /// they are made inert here, once, for every caller.
    pub fn notify(&mut self, tone: Tone, text: impl Into<String>) {
        let text = text.into();
        let text = match crate::text::inert(&text) {
            std::borrow::Cow::Owned(shown) => shown,
            std::borrow::Cow::Borrowed(_) => text,
        };
        self.notice = Some(Notice { tone, text });
    }
}

/// What the console reads to decide and draw: the catalog, the open run if
/// any, and the runs in the journal.
#[derive(Debug, Clone, Copy)]
pub struct Data<'a> {
    pub catalog: &'a Catalog,
    pub operator: &'a str,
    pub lang: &'a str,
    pub run: Option<(&'a Procedure, &'a RunState)>,
    pub runs: &'a [Summary],
    pub metrics_hint: &'a str,
    pub journal: &'a str,
    /// Recent metric readings.
    pub metrics: &'a crate::metrics::History,
    /// The recurring duties, overdue first.
    pub duties: &'a [crate::due::Duty],
    /// What runs left owed (post-mortems, follow-ups), overdue first.
    pub owed: &'a [crate::learn::Owed],
    /// The command running or last run in this console, and its output.
    pub pane: Option<&'a crate::pane::Pane>,
    /// A command is running now.
    pub running: bool,
    /// The last command failed: its step and the note that records it.
    pub failure_note: Option<(&'a str, &'a str)>,
    /// Where the notifications stand, when there are targets.
    pub delivery: Option<&'a crate::notify::Status>,
    /// An entry the journal has not acknowledged yet: its step (`""` for
    /// one of the run as a whole), shown "recording…".
    pub recording: Option<&'a str>,
}

impl<'a> Data<'a> {
    /// The program's own words in the operator's language.
    pub fn words(&self) -> &'static Words {
        crate::text::words(self.lang)
    }

    /// The home list: open runs first (to resume or join), then every
    /// procedure grouped by kind in the runbook's order.
    pub fn home_items(&self) -> Vec<HomeItem> {
        let mut items: Vec<HomeItem> = self
            .runs
            .iter()
            .filter(|r| r.phase == "open" || r.phase == "detached")
            .map(|r| HomeItem::Run(r.id.clone()))
            .collect();
        items.extend(
            self.duties
                .iter()
                .filter(|d| d.state.owes())
                .map(|d| HomeItem::Duty(d.procedure.clone())),
        );
        // A follow-up without a date waits in `runbook followup list`,
        // not on the home of every console.
        items.extend(
            self.owed
                .iter()
                .filter(|o| o.standing != crate::learn::Standing::Open)
                .map(|o| HomeItem::Owed(o.key())),
        );
        let mut procedures: Vec<&Procedure> = self.catalog.procedures.iter().collect();
        procedures.sort_by_key(|p| {
            crate::catalog::ProcedureKind::ALL
                .iter()
                .position(|k| *k == p.kind)
        });
        items.extend(procedures.iter().map(|p| HomeItem::Procedure(p.id.clone())));
        items
    }

    /// The step at `index` in the run, with its `section.step` label,
    /// without building the whole list.
    pub fn step_at(&self, index: usize) -> Option<(String, &'a Step)> {
        let (procedure, _) = self.run?;
        let mut seen = 0;
        for (s, section) in procedure.sections.iter().enumerate() {
            if index < seen + section.steps.len() {
                let i = index - seen;
                return Some((format!("{}.{}", s + 1, i + 1), &section.steps[i]));
            }
            seen += section.steps.len();
        }
        None
    }

    /// The run's steps in order, with their `section.step` labels.
    pub fn steps(&self) -> Vec<(String, &'a Step)> {
        let Some((procedure, _)) = self.run else {
            return Vec::new();
        };
        let mut steps = Vec::new();
        for (s, section) in procedure.sections.iter().enumerate() {
            for (i, step) in section.steps.iter().enumerate() {
                steps.push((format!("{}.{}", s + 1, i + 1), step));
            }
        }
        steps
    }
}

/// A subsequence match, case-insensitive: the score rewards consecutive
/// and early matches. `None` when `query` is not in `text`.
pub fn fuzzy(query: &str, text: &str) -> Option<i64> {
    let query: Vec<char> = query
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if query.is_empty() {
        return Some(0);
    }
    let mut score = 0i64;
    let mut q = 0;
    let mut previous: Option<usize> = None;
    for (i, c) in text.to_lowercase().chars().enumerate() {
        if q < query.len() && c == query[q] {
            score += 10;
            if previous.is_some_and(|p| p + 1 == i) {
                score += 15;
            }
            if i == 0 {
                score += 5;
            }
            previous = Some(i);
            q += 1;
        }
    }
    (q == query.len()).then(|| score - i64::try_from(text.len()).unwrap_or(0) / 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fuzzy_matches_subsequences_and_prefers_tight_ones() {
        assert!(fuzzy("cpy", "copy the command").is_some());
        assert!(fuzzy("xyz", "copy").is_none());
        assert!(
            fuzzy("rev", "reopen the step").unwrap_or(0)
                < fuzzy("rev", "revoke the old key").unwrap()
        );
        assert_eq!(fuzzy("", "anything"), Some(0));
        assert!(fuzzy("DÉP", "Déploiement").is_some());
    }

    #[test]
    fn input_edits_by_character_not_byte() {
        let mut input = Input::new(Purpose::Search);
        for c in "été".chars() {
            input.insert(c);
        }
        input.left();
        input.backspace();
        assert_eq!(input.text, "éé");
        assert_eq!(input.cursor, 1);
        input.right();
        input.insert('!');
        assert_eq!(input.text, "éé!");
        input.clear();
        assert_eq!((input.text.as_str(), input.cursor), ("", 0));
    }
}
