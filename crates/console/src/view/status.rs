//! The status line: the last notice (a refusal says why), else the keys.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::View;
use crate::action::Action;
use crate::model::{Screen, Tone};

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
    let Some((text, tone)) = view.data.delivery.and_then(|s| delivery(s, view)) else {
        frame.render_widget(Paragraph::new(line), area);
        return;
    };
    let style = match tone {
        Tone::Danger => theme.danger,
        Tone::Warning => theme.warning,
        _ => theme.muted,
    };
    // The delivery state keeps the right of the line, up to half of it.
    let width = u16::try_from(Line::from(text.as_str()).width())
        .unwrap_or(u16::MAX)
        .min(area.width / 2);
    let [left, right] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(width + 1)]).areas(area);
    frame.render_widget(Paragraph::new(line), left);
    frame.render_widget(
        Paragraph::new(Line::styled(format!(" {text}"), style)),
        right,
    );
}

/// Where the notifications stand, in a few words: a failure first, then
/// a retry, then what was sent; nothing while there is nothing to say.
fn delivery(status: &crate::notify::Status, view: &View<'_>) -> Option<(String, Tone)> {
    let w = view.data.words().notify;
    let safe = |text: &str| crate::text::inert(text).into_owned();
    if let Some((target, error)) = status.failed.iter().next() {
        return Some(((w.status_failed)(&safe(target), &safe(error)), Tone::Danger));
    }
    if let Some(error) = &status.journal {
        return Some((safe(error), Tone::Danger));
    }
    if let Some((target, error)) = status.retrying.iter().next() {
        return Some((
            (w.status_retrying)(&safe(target), &safe(error)),
            Tone::Warning,
        ));
    }
    if status.yielded && status.pending > 0 {
        return Some((w.yielded.to_owned(), Tone::Info));
    }
    (status.sent > 0 || status.pending > 0)
        .then(|| ((w.status)(status.sent, status.pending), Tone::Info))
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
    let findings = view.data.catalog.findings.len();
    let warnings = (findings > 0 && view.model.screen == Screen::Home).then(|| {
        let said = (w.warnings_hint)(findings, &key(Action::Warnings));
        format!("{} {said}  ", view.theme.glyphs.awaiting)
    });
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
    let keys = pairs
        .iter()
        .map(|(action, word)| format!("{} {word}", key(*action)))
        .collect::<Vec<_>>()
        .join("  ");
    warnings.unwrap_or_default() + &keys
}
