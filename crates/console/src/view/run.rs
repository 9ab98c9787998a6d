//! A run: its header, the deadline bar, the progress gauge, the steps with
//! their state, and the selected step's detail.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph, Wrap};

use super::{View, bar, block};
use crate::catalog::duration::human;
use crate::catalog::{Procedure, Step};
use crate::reference::said as reference;
use crate::run::deadline::{DeadlineState, deadlines};
use crate::run::{RunState, StepStatus};
use crate::text::inert;
use crate::theme::Theme;

pub fn draw(frame: &mut Frame<'_>, area: Rect, view: &View<'_>) {
    let Some((procedure, state)) = view.data.run else {
        return;
    };
    let metric_rows = u16::from(super::metrics::configured(view));
    let [header, deadline_bar, metrics_line, gauge, body] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(metric_rows),
        Constraint::Length(1),
        Constraint::Min(3),
    ])
    .areas(area);
    draw_header(frame, header, view, procedure, state);
    draw_deadlines(frame, deadline_bar, view, procedure, state);
    if metric_rows > 0 {
        frame.render_widget(Paragraph::new(super::metrics::line(view)), metrics_line);
    }
    draw_gauge(frame, gauge, view, state);
    let body = match view.data.pane {
        Some(pane) => {
            let (rows, _) = crate::running::pane_size(area.width, area.height + 1);
            let [body, output] =
                Layout::vertical([Constraint::Min(3), Constraint::Length(rows + 2)]).areas(body);
            super::output::draw(frame, output, view, pane);
            body
        }
        None => body,
    };
    let split = if area.width >= 100 { 45 } else { 50 };
    let [steps, detail] = Layout::horizontal([
        Constraint::Percentage(split),
        Constraint::Percentage(100 - split),
    ])
    .areas(body);
    draw_steps(frame, steps, view, state);
    draw_detail(frame, detail, view, state);
}

fn draw_header(
    frame: &mut Frame<'_>,
    area: Rect,
    view: &View<'_>,
    procedure: &Procedure,
    state: &RunState,
) {
    let theme = view.theme;
    let sep = format!(" {} ", theme.glyphs.separator);
    let mut spans = Vec::new();
    if let Some(word) = theme.badge {
        spans.push(Span::styled(format!(" {word} "), theme.drill));
        if let (Some(drill), Some(start)) = (&state.drill, state.started_at) {
            let clock = crate::drill::clock::elapsed(view.model.now - start);
            let w = view.data.words().drill;
            spans.push(Span::styled(
                format!(" {} ", (w.clock)(drill.speed, &clock)),
                theme.drill,
            ));
        }
        spans.push(Span::raw(" "));
    }
    spans.extend([
        Span::styled(procedure.title.get(view.data.lang).to_owned(), theme.accent),
        Span::styled(format!("{sep}{}", state.id), theme.muted),
    ]);
    if let Some(severity) = &state.severity {
        spans.push(Span::styled(format!("{sep}{severity}"), theme.warning));
    }
    let w = view.data.words().console;
    // A name its own key signs for is marked ✓; others are only claimed.
    let named = |name: &str| {
        if state.signed.contains(name) {
            format!("{name} ✓")
        } else {
            name.to_owned()
        }
    };
    let others: Vec<String> = state
        .present
        .iter()
        .filter(|p| *p != view.data.operator)
        .map(|p| named(p))
        .collect();
    let me = named(view.data.operator);
    let with = if others.is_empty() {
        format!("{sep}{me}")
    } else {
        format!("{sep}{}", (w.with)(&me, &others.join(", ")))
    };
    spans.push(Span::styled(inert(&with).into_owned(), theme.text));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_deadlines(
    frame: &mut Frame<'_>,
    area: Rect,
    view: &View<'_>,
    procedure: &Procedure,
    state: &RunState,
) {
    let theme = view.theme;
    let now = view.model.now;
    let mut spans = vec![Span::styled(
        format!("{} ", theme.glyphs.clock),
        theme.muted,
    )];
    let live: Vec<_> = deadlines(state, view.data.catalog, procedure, view.data.lang, now)
        .into_iter()
        .filter(|d| d.state.is_live())
        .collect();
    if live.is_empty() {
        spans.push(Span::styled(
            view.data.words().console.no_deadline,
            theme.muted,
        ));
    }
    for (i, d) in live.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(
                format!(" {} ", theme.glyphs.separator),
                theme.muted,
            ));
        }
        let (style, words) = deadline_span(&d.state, theme, view.data.words());
        spans.push(Span::styled(format!("{} {words}", d.label), style));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// A deadline in a word and a colour: due in (calm), due soon (warning, the
/// last quarter hour), OVERDUE (danger). The words carry the state without
/// the colour.
pub fn deadline_span(
    state: &DeadlineState,
    theme: &Theme,
    words: &crate::text::Words,
) -> (Style, String) {
    let w = words.console;
    match state {
        DeadlineState::Pending { left, .. } if left.num_minutes() < 15 => {
            (theme.warning, (w.due_soon)(&human(*left)))
        }
        DeadlineState::Pending { left, .. } => (theme.text, (w.due_in)(&human(*left))),
        // An order, in the danger style, until its grace ends.
        DeadlineState::Now { .. } => (theme.danger, w.now_at_once.to_owned()),
        DeadlineState::Overdue { late, .. } => (theme.danger, (w.overdue_by)(&human(*late))),
        DeadlineState::Met { .. } => (theme.ok, w.met.to_owned()),
        DeadlineState::Missed { late, .. } => (theme.danger, (w.missed_by)(&human(*late))),
        DeadlineState::NotStarted => (theme.muted, w.not_started.to_owned()),
        DeadlineState::NotApplicable => (theme.muted, w.not_applicable.to_owned()),
    }
}

fn draw_gauge(frame: &mut Frame<'_>, area: Rect, view: &View<'_>, state: &RunState) {
    let steps = view.data.steps();
    let closed = steps
        .iter()
        .filter(|(_, s)| !state.status(&s.id).is_open())
        .count();
    let label = (view.data.words().console.steps_gauge)(closed, steps.len());
    let width = usize::from(area.width).saturating_sub(label.chars().count() + 1);
    let line = Line::from(vec![
        Span::styled(bar(closed, steps.len(), width, view.theme), view.theme.ok),
        Span::styled(label, view.theme.text),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}

/// A step's state as a symbol, a word (and its short form, for the list)
/// and a style.
pub fn step_mark(
    step: &Step,
    state: &RunState,
    view: &View<'_>,
) -> (&'static str, String, &'static str, Style) {
    let g = view.theme.glyphs;
    let theme = view.theme;
    let w = view.data.words().console;
    let status = state.status(&step.id);
    // Sent, not yet acknowledged: never shown done before the journal says.
    if view.data.recording == Some(step.id.as_str()) {
        return (
            g.awaiting,
            w.recording.to_owned(),
            w.short_recording,
            theme.warning,
        );
    }
    let gated = step.gate.as_ref().and_then(|gate| {
        let opens = state
            .status(&gate.after)
            .done_at()
            .map(|d| d + gate.wait.to_chrono());
        match opens {
            Some(at) if at <= view.model.now => None,
            Some(at) => Some((w.opens_in)(&human(at - view.model.now))),
            None => Some((w.after)(&gate.after)),
        }
    });
    match status {
        StepStatus::Done { .. } => (g.done, w.done.to_owned(), w.done, theme.ok),
        StepStatus::Skipped { .. } => (g.skipped, w.skipped.to_owned(), w.skipped, theme.muted),
        StepStatus::NotNeeded { .. } => (
            g.skipped,
            view.data.words().run.not_needed.to_owned(),
            w.short_not_needed,
            theme.muted,
        ),
        StepStatus::Failed { .. } => (g.failed, w.failed.to_owned(), w.failed, theme.danger),
        StepStatus::AwaitingConfirmation { .. } => (
            g.awaiting,
            w.awaiting.to_owned(),
            w.short_second,
            theme.warning,
        ),
        StepStatus::Todo => match (gated, &step.role, state.claims.get(&step.id)) {
            (Some(words), _, _) => (g.gated, words, w.short_gated, theme.muted),
            (None, _, Some(who)) => (
                g.claimed,
                (w.claimed_by)(&inert(who)),
                w.short_claimed,
                theme.accent,
            ),
            (None, Some(role), None) => (g.role, (w.needs)(role), w.short_role, theme.text),
            (None, None, None) => (g.todo, w.todo.to_owned(), w.todo, theme.text),
        },
    }
}

/// A metric-gated step's progress: each metric, how long it has held
/// below alert out of the period asked.
fn hold_progress(hold: &crate::catalog::MetricHold, view: &View<'_>) -> Vec<Line<'static>> {
    let theme = view.theme;
    let now = view.model.now;
    hold.metrics
        .iter()
        .filter_map(|id| view.data.catalog.metric(id))
        .map(|metric| {
            let w = view.data.words().console;
            let title = metric.title.get(view.data.lang);
            if !metric.readable() {
                return Line::styled((w.hold_unchecked)(title), theme.muted);
            }
            let state = view.data.metrics.state(metric, now);
            match view.data.metrics.ok_since(metric, now) {
                Some(since) => {
                    let kept = now - since;
                    let needed = hold.period.to_chrono();
                    let (style, word) = if kept >= needed {
                        (theme.ok, w.held)
                    } else {
                        (theme.warning, w.holding)
                    };
                    let kept = human(kept.min(needed));
                    let period = hold.period.to_string();
                    Line::styled((w.hold_progress)(title, word, &kept, &period), style)
                }
                None => Line::styled(
                    (w.hold_broken)(
                        title,
                        state.word(view.data.words()),
                        &hold.period.to_string(),
                    ),
                    theme.danger,
                ),
            }
        })
        .collect()
}

fn draw_steps(frame: &mut Frame<'_>, area: Rect, view: &View<'_>, state: &RunState) {
    let Some((procedure, _)) = view.data.run else {
        return;
    };
    let theme = view.theme;
    // Rows are section headings and steps. Only the rows that fit are
    // built: a 500-step procedure costs what a screenful costs.
    let mut selected_row: usize = 0;
    let mut total: usize = 0;
    let mut index = 0;
    for section in &procedure.sections {
        total += 1;
        for _ in &section.steps {
            if index == view.model.step_selected {
                selected_row = total;
            }
            total += 1;
            index += 1;
        }
    }
    let height = usize::from(area.height.saturating_sub(2)).max(1);
    let first = selected_row
        .saturating_sub(height / 2)
        .min(total.saturating_sub(height));
    let visible = first..first + height;

    let mut rows: Vec<ListItem<'_>> = Vec::with_capacity(height);
    let mut row = 0;
    for (s, section) in procedure.sections.iter().enumerate() {
        if visible.contains(&row) {
            rows.push(ListItem::new(Line::styled(
                format!("{}. {}", s + 1, section.title.get(view.data.lang)),
                theme.accent,
            )));
        }
        row += 1;
        for (i, step) in section.steps.iter().enumerate() {
            if visible.contains(&row) {
                let (symbol, _, short, style) = step_mark(step, state, view);
                // The state's word before the text, so a narrow terminal
                // cuts the text, never the state.
                rows.push(ListItem::new(Line::from(vec![
                    Span::styled(format!("{symbol} {short:<7} "), style),
                    Span::styled(
                        format!("{}.{} {}", s + 1, i + 1, step.text.get(view.data.lang)),
                        theme.text,
                    ),
                ])));
            }
            row += 1;
        }
        if row >= visible.end {
            break;
        }
    }
    let list = List::new(rows)
        .block(block(view.data.words().console.steps_title, theme))
        .highlight_style(theme.selected)
        .highlight_symbol(theme.glyphs.pointer);
    let mut list_state = ListState::default().with_selected(Some(selected_row - first));
    frame.render_stateful_widget(list, area, &mut list_state);
}

/// The step's words, commands and evidence, as the operator reads them.
fn what_to_do(view: &View<'_>, label: &str, step: &Step) -> Vec<Line<'static>> {
    let theme = view.theme;
    let lang = view.data.lang;
    let w = view.data.words().console;
    let shown = |t: &str| reference::shown(view.data.words(), view.data.catalog, t).into_owned();
    let mut lines = vec![Line::styled(
        format!("{label} {}", shown(step.text.get(lang))),
        theme.accent,
    )];
    if let Some(detail) = &step.detail {
        lines.push(Line::styled(shown(detail.get(lang)), theme.text));
    }
    for command in &step.commands {
        lines.push(Line::styled(format!("$ {}", shown(command)), theme.warning));
    }
    if !step.commands.is_empty() {
        lines.push(Line::styled(w.copies, theme.muted));
    }
    if let Some(evidence) = &step.evidence {
        lines.push(Line::styled(
            (w.evidence)(&shown(evidence.get(lang))),
            theme.text,
        ));
    }
    lines
}

fn draw_detail(frame: &mut Frame<'_>, area: Rect, view: &View<'_>, state: &RunState) {
    let theme = view.theme;
    let lang = view.data.lang;
    let words = view.data.words();
    let w = words.console;
    let steps = view.data.steps();
    let Some((label, step)) = steps.get(view.model.step_selected) else {
        return;
    };
    let mut lines = what_to_do(view, label, step);
    let mut rules = Vec::new();
    if let Some(role) = &step.role {
        let title = view
            .data
            .catalog
            .role(role)
            .map_or(role.as_str(), |r| r.title.get(lang));
        rules.push((w.sign_off)(title));
    }
    if step.two_person {
        rules.push(w.two_person.to_owned());
    }
    if step.confirm {
        rules.push(w.cannot_undo.to_owned());
    }
    if !rules.is_empty() {
        lines.push(Line::styled(rules.join(" · "), theme.text));
    }
    for rule in crate::catalog::said::answer_rules(view.data.words(), step) {
        lines.push(Line::styled(rule, theme.text));
    }
    if let Some(gate) = &step.gate {
        lines.push(Line::styled(
            (w.not_before)(&gate.wait.to_string(), &gate.after),
            theme.muted,
        ));
    }
    if let Some(hold) = &step.hold {
        lines.extend(hold_progress(hold, view));
    }
    if let Some(d) =
        crate::run::deadline::deadline_of(state, view.data.catalog, step, lang, view.model.now)
    {
        let (style, shown) = deadline_span(&d.state, theme, words);
        lines.push(Line::styled(
            format!("{} {}: {shown}", theme.glyphs.clock, d.label),
            style,
        ));
    }
    for call in crate::catalog::calls::calls(view.data.catalog, step, state.severity.as_deref()) {
        let shown = crate::reference::said::call_line(words, view.data.catalog, lang, &call);
        lines.push(Line::styled(
            format!("{} {}", theme.glyphs.pointer, inert(&shown)),
            theme.accent,
        ));
    }
    for criterion in &step.criteria {
        lines.push(Line::styled(
            format!("- {}", criterion.text.get(lang)),
            theme.text,
        ));
    }
    let (symbol, word, _, style) = step_mark(step, state, view);
    let who = state.status(&step.id).who(words);
    lines.push(Line::styled(
        inert(&format!("{symbol} {word}{who}")).into_owned(),
        style,
    ));
    if let Some(audience) = step.update {
        let how = (words.status.done_by_update)(words.status.audience(audience));
        lines.push(Line::styled(how, theme.muted));
    }
    if let Some(last) = crate::run::said::last_update(words, state, step) {
        lines.push(Line::styled(inert(&last).into_owned(), theme.text));
    }
    for note in state
        .notes
        .iter()
        .filter(|n| n.step.as_deref() == Some(step.id.as_str()))
    {
        lines.push(Line::styled(
            inert(&format!(
                "{} {}: {}",
                note.at.format("%H:%M"),
                note.by,
                note.text
            ))
            .into_owned(),
            theme.muted,
        ));
    }
    let widget = Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .block(block(format!(" {} ", step.id), theme));
    frame.render_widget(widget, area);
}
