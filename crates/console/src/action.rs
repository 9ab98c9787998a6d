//! What a key means, in the imperative. Keymaps deserialise into these
//! names, the help overlay and the command palette list them.

use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    Up,
    Down,
    Top,
    Bottom,
    PageUp,
    PageDown,
    /// Enter on home: start or join; in a run: tick the step.
    Open,
    Complete,
    Skip,
    Fail,
    /// Tick a step whose metric hold cannot be read here, with a reason.
    Override,
    Note,
    Reopen,
    Claim,
    Search,
    Help,
    Palette,
    Copy,
    /// Run the step's command (a step the catalog marks runnable).
    Exec,
    /// The whole output of the step's last command, from the journal.
    Output,
    /// An action decided for after the run, journaled as its follow-up.
    Followup,
    /// Tell the people outside the terminal: a status update.
    StatusUpdate,
    /// The reference tables: contacts, access, backups, dashboards,
    /// severities, windows.
    Reference,
    /// The catalog's warnings: the reference screen's last tab.
    Warnings,
    /// Leave the run (it stays open) or the console.
    Leave,
    /// Ctrl-C: asks before leaving.
    Interrupt,
    Cancel,
    /// In a drill: the clock forward to the next gate or deadline.
    Jump,
}

impl Action {
    pub const ALL: [Action; 28] = [
        Action::Up,
        Action::Down,
        Action::Top,
        Action::Bottom,
        Action::PageUp,
        Action::PageDown,
        Action::Open,
        Action::Complete,
        Action::Skip,
        Action::Fail,
        Action::Override,
        Action::Note,
        Action::Reopen,
        Action::Claim,
        Action::Search,
        Action::Help,
        Action::Palette,
        Action::Copy,
        Action::Exec,
        Action::Output,
        Action::Followup,
        Action::StatusUpdate,
        Action::Reference,
        Action::Warnings,
        Action::Leave,
        Action::Interrupt,
        Action::Cancel,
        Action::Jump,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Action::Up => "up",
            Action::Down => "down",
            Action::Top => "top",
            Action::Bottom => "bottom",
            Action::PageUp => "page-up",
            Action::PageDown => "page-down",
            Action::Open => "open",
            Action::Complete => "complete",
            Action::Skip => "skip",
            Action::Fail => "fail",
            Action::Override => "override",
            Action::Note => "note",
            Action::Reopen => "reopen",
            Action::Claim => "claim",
            Action::Search => "search",
            Action::Help => "help",
            Action::Palette => "palette",
            Action::Copy => "copy",
            Action::Exec => "exec",
            Action::Output => "output",
            Action::Followup => "followup",
            Action::StatusUpdate => "status-update",
            Action::Reference => "reference",
            Action::Warnings => "warnings",
            Action::Leave => "leave",
            Action::Interrupt => "interrupt",
            Action::Cancel => "cancel",
            Action::Jump => "jump",
        }
    }

    /// What the action does, for the help overlay and the palette.
    pub fn describe(self, words: &crate::text::Words) -> &'static str {
        let w = words.console;
        match self {
            Action::Up => w.a_up,
            Action::Down => w.a_down,
            Action::Top => w.a_top,
            Action::Bottom => w.a_bottom,
            Action::PageUp => w.a_page_up,
            Action::PageDown => w.a_page_down,
            Action::Open => w.a_open,
            Action::Complete => w.a_complete,
            Action::Skip => w.a_skip,
            Action::Fail => w.a_fail,
            Action::Override => w.a_override,
            Action::Note => w.a_note,
            Action::Reopen => w.a_reopen,
            Action::Claim => w.a_claim,
            Action::Search => w.a_search,
            Action::Help => w.a_help,
            Action::Palette => w.a_palette,
            Action::Copy => w.a_copy,
            Action::Exec => w.a_exec,
            Action::Output => w.a_output,
            Action::Followup => w.a_followup,
            Action::StatusUpdate => w.a_status_update,
            Action::Reference => w.a_reference,
            Action::Warnings => w.a_warnings,
            Action::Leave => w.a_leave,
            Action::Interrupt => w.a_interrupt,
            Action::Cancel => w.a_cancel,
            Action::Jump => w.a_jump,
        }
    }

    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL.iter().copied().find(|a| a.name() == name)
    }
}
