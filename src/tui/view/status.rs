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
    let w = view.data.words().console;
    let line = match &view.model.notice {
        Some(notice) => {
            let (style, word) = match notice.tone {
                Tone::Info => (theme.text, ""),
                Tone::Ok => (theme.ok, w.tone_ok),
                Tone::Warning => (theme.warning, w.tone_note),
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
            .keys_in(action, view.data.words())
            .into_iter()
            .next()
            .unwrap_or_default()
    };
    let w = view.data.words().console;
    let pairs: &[(Action, &str)] = match view.model.screen {
        Screen::Home => &[
            (Action::Open, w.k_start),
            (Action::Search, w.k_search),
            (Action::Help, w.k_help),
            (Action::Leave, w.k_quit),
        ],
        Screen::Run => &[
            (Action::Complete, w.k_tick),
            (Action::Skip, w.k_skip),
            (Action::Note, w.k_note),
            (Action::Fail, w.k_fail),
            (Action::Palette, w.k_commands),
            (Action::Help, w.k_help),
            (Action::Leave, w.k_leave),
        ],
    };
    pairs
        .iter()
        .map(|(action, word)| format!("{} {word}", key(*action)))
        .collect::<Vec<_>>()
        .join("  ")
}
