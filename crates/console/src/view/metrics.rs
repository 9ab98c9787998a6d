//! The metrics panel: each metric's value and unit, its state in a symbol
//! and a word, a sparkline of recent readings, and the age of the last.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{View, block};
use crate::catalog::Metric;
use crate::catalog::duration::human;
use crate::metrics::State;
use crate::metrics::sample::thresholds_text;
use crate::theme::Theme;

/// Whether any metric can be read here (the others wait for a variable).
pub fn configured(view: &View<'_>) -> bool {
    view.data.catalog.metrics.iter().any(Metric::readable)
}

/// A metric's state in a symbol, a word and a style, and its value.
pub fn mark(
    state: &State,
    metric: &Metric,
    theme: &Theme,
    words: &crate::text::Words,
) -> (&'static str, Style, String) {
    let g = theme.glyphs;
    let value = |v: &f64| format!("{v} {}", metric.unit);
    match state {
        State::Ok { value: v } => (g.done, theme.ok, value(v)),
        State::Alert { value: v } => (g.awaiting, theme.warning, value(v)),
        State::Critical { value: v } => (g.failed, theme.danger, value(v)),
        State::Stale { value: v, .. } => (g.gated, theme.muted, value(v)),
        State::Error { reason } => (g.failed, theme.warning, reason.text(words)),
        State::Unconfigured { needs: None } => {
            (g.todo, theme.muted, words.console.no_source.to_owned())
        }
        State::Unconfigured { needs: Some(name) } => {
            (g.todo, theme.muted, (words.commands.needs_variable)(name))
        }
        State::Waiting => (g.todo, theme.muted, "…".to_owned()),
    }
}

pub fn panel(frame: &mut Frame<'_>, area: Rect, view: &View<'_>) {
    let theme = view.theme;
    if !configured(view) {
        let hint = Paragraph::new(view.data.metrics_hint)
            .style(theme.muted)
            .wrap(Wrap { trim: true })
            .block(block(view.data.words().console.metrics_title, theme));
        frame.render_widget(hint, area);
        return;
    }
    let now = view.model.now;
    let width = usize::from(area.width.saturating_sub(2));
    let mut lines = Vec::new();
    for metric in &view.data.catalog.metrics {
        let state = view.data.metrics.state(metric, now);
        let (symbol, style, value) = mark(&state, metric, theme, view.data.words());
        let age = view
            .data
            .metrics
            .last_at(&metric.id)
            .map(|at| format!(" {}", human(now - at)))
            .unwrap_or_default();
        lines.push(Line::from(vec![
            Span::styled(
                format!("{symbol} {} ", state.word(view.data.words())),
                style,
            ),
            Span::styled(format!("{} ", metric.title.get(view.data.lang)), theme.text),
            Span::styled(value, style),
        ]));
        let values = view.data.metrics.values(&metric.id);
        let spark = crate::metrics::sample::sparkline(&values, 12, !theme.glyphs.unicode_borders);
        let detail = format!(
            "  {spark} {}{age}",
            thresholds_text(metric, view.data.words())
        );
        lines.push(Line::styled(
            detail.chars().take(width).collect::<String>(),
            theme.muted,
        ));
    }
    let widget = Paragraph::new(lines).block(block(view.data.words().console.metrics_title, theme));
    frame.render_widget(widget, area);
}

/// One line for the run screen: every metric's word and value.
pub fn line(view: &View<'_>) -> Line<'static> {
    let theme = view.theme;
    let mut spans = Vec::new();
    for (i, metric) in view
        .data
        .catalog
        .metrics
        .iter()
        .filter(|m| m.readable())
        .enumerate()
    {
        if i > 0 {
            spans.push(Span::styled(
                format!(" {} ", theme.glyphs.separator),
                theme.muted,
            ));
        }
        let state = view.data.metrics.state(metric, view.model.now);
        let (symbol, style, value) = mark(&state, metric, theme, view.data.words());
        spans.push(Span::styled(
            format!("{symbol} {} {value}", metric.title.get(view.data.lang)),
            style,
        ));
    }
    Line::from(spans)
}
