//! The status line: the last notice (a refusal says why), else the keys.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::View;
use crate::tui::action::Action;
use crate::tui::model::{Screen, Tone};

pub fn draw(frame: &mut Frame<'_>, area: Rect, view: &View<'_>) {
    let theme = view.theme;
    let line = match &view.model.notice {
        Some(notice) => {
            let (style, word) = match notice.tone {
                Tone::Info => (theme.text, ""),
                Tone::Ok => (theme.ok, "ok: "),
                Tone::Warning => (theme.warning, "note: "),
                Tone::Danger => (theme.danger, ""),
            };
            Line::styled(format!("{word}{}", notice.text), style)
        }
        None => Line::styled(hints(view), theme.muted),
    };
    frame.render_widget(Paragraph::new(line), area);
}

fn hints(view: &View<'_>) -> String {
    let key = |action| {
        view.keymap
            .keys_of(action)
            .into_iter()
            .next()
            .unwrap_or_default()
    };
    let pairs: &[(Action, &str)] = match view.model.screen {
        Screen::Home => &[
            (Action::Open, "start/join"),
            (Action::Search, "search"),
            (Action::Help, "help"),
            (Action::Leave, "quit"),
        ],
        Screen::Run => &[
            (Action::Complete, "tick"),
            (Action::Skip, "skip"),
            (Action::Note, "note"),
            (Action::Fail, "fail"),
            (Action::Palette, "commands"),
            (Action::Help, "help"),
            (Action::Leave, "leave"),
        ],
    };
    pairs
        .iter()
        .map(|(action, word)| format!("{} {word}", key(*action)))
        .collect::<Vec<_>>()
        .join("  ")
}
