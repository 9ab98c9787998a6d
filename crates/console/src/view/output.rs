//! The pane under the steps: the running (or last) command's output, as
//! the terminal emulator holds it, with the command, its elapsed time or
//! how it ended, and the scrollback position in the title.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{View, block};
use crate::pane::Pane;

pub fn draw(frame: &mut Frame<'_>, area: Rect, view: &View<'_>, pane: &Pane) {
    let words = view.data.words();
    let w = words.exec;
    let (state, style) = if let Some((outcome, _)) = &pane.ended {
        (outcome.clone(), view.theme.muted)
    } else {
        let took = crate::catalog::duration::human_ms(pane.elapsed_ms);
        (format!("{} {took}", w.running), view.theme.accent)
    };
    let mut title = vec![
        Span::styled(w.pane_title, view.theme.accent),
        Span::styled(
            format!("{} ", crate::text::inert(&pane.command)),
            view.theme.text,
        ),
        Span::styled(format!("· {state} "), style),
    ];
    if pane.scrolled() > 0 {
        title.push(Span::styled(
            format!("↑{} ", pane.scrolled()),
            view.theme.warning,
        ));
    }
    // A theme without colours (mono, NO_COLOR) gets none from the output either.
    let colour = view.theme.accent.fg.is_some();
    let widget = Paragraph::new(pane.lines(colour)).block(block(Line::from(title), view.theme));
    frame.render_widget(widget, area);
}
