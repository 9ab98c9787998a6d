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
    Note,
    Reopen,
    Claim,
    Search,
    Help,
    Palette,
    Copy,
    /// Leave the run (it stays open) or the console.
    Leave,
    /// Ctrl-C: asks before leaving.
    Interrupt,
    Cancel,
}

impl Action {
    pub const ALL: [Action; 20] = [
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
        Action::Note,
        Action::Reopen,
        Action::Claim,
        Action::Search,
        Action::Help,
        Action::Palette,
        Action::Copy,
        Action::Leave,
        Action::Interrupt,
        Action::Cancel,
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
            Action::Note => "note",
            Action::Reopen => "reopen",
            Action::Claim => "claim",
            Action::Search => "search",
            Action::Help => "help",
            Action::Palette => "palette",
            Action::Copy => "copy",
            Action::Leave => "leave",
            Action::Interrupt => "interrupt",
            Action::Cancel => "cancel",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Action::Up => "move up",
            Action::Down => "move down",
            Action::Top => "go to the first step",
            Action::Bottom => "go to the last step",
            Action::PageUp => "page up",
            Action::PageDown => "page down",
            Action::Open => "start or join the selected procedure or run",
            Action::Complete => "tick the step (asks for evidence when required)",
            Action::Skip => "skip the step, with a reason",
            Action::Fail => "record that the step failed, with a note",
            Action::Note => "add a note to the step",
            Action::Reopen => "reopen the step",
            Action::Claim => "take the step in hand, for teammates to see",
            Action::Search => "search steps or procedures",
            Action::Help => "this help",
            Action::Palette => "command palette: any action, by name",
            Action::Copy => "copy the command (OSC 52, works over SSH)",
            Action::Leave => "leave the run (it stays open), or quit",
            Action::Interrupt => "quit, after asking",
            Action::Cancel => "close the overlay or input",
        }
    }

    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL.iter().copied().find(|a| a.name() == name)
    }
}
