//! Home: open runs and procedures on the left; severities, the maintenance
//! window and the metrics on the right.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph};

use super::{View, block};
use crate::catalog::duration::human;
use crate::clock::window;
use crate::report::deadline_words;
use crate::tui::model::HomeItem;

pub fn draw(frame: &mut Frame<'_>, area: Rect, view: &View<'_>) {
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area);
    list(frame, left, view);
    let severities = u16::try_from(view.data.catalog.severities.len()).unwrap_or(4) + 2;
    let [sev, win, metrics] = Layout::vertical([
        Constraint::Length(severities),
        Constraint::Length(5),
        Constraint::Min(3),
    ])
    .areas(right);
    severity(frame, sev, view);
    maintenance(frame, win, view);
    super::metrics::panel(frame, metrics, view);
}

fn list(frame: &mut Frame<'_>, area: Rect, view: &View<'_>) {
    let data = view.data;
    let theme = view.theme;
    let g = theme.glyphs;
    let mut last_kind = "";
    let mut rows: Vec<ListItem<'_>> = Vec::new();
    let mut selected_row = 0;
    for (index, item) in data.home_items().iter().enumerate() {
        let line = match item {
            HomeItem::Run(id) => {
                let Some(run) = data.runs.iter().find(|r| &r.id == id) else {
                    continue;
                };
                if last_kind != "runs" {
                    rows.push(ListItem::new(Line::styled(
                        data.words().console.open_runs,
                        theme.accent,
                    )));
                    last_kind = "runs";
                }
                let deadline = run
                    .next_deadline
                    .as_ref()
                    .map(|d| {
                        let words = deadline_words(&d.state, data.words());
                        format!(" {} {} {words}", g.clock, d.label)
                    })
                    .unwrap_or_default();
                let age = run
                    .started_at
                    .map(|t| human(view.model.now - t))
                    .unwrap_or_default();
                let tone = match run.next_deadline.as_ref().map(|d| &d.state) {
                    Some(
                        crate::run::deadline::DeadlineState::Overdue { .. }
                        | crate::run::deadline::DeadlineState::Now { .. },
                    ) => theme.danger,
                    _ => theme.text,
                };
                Line::from(vec![
                    Span::styled(format!(" {} ", run.title), theme.text),
                    Span::styled(
                        format!(
                            "{}{deadline}",
                            (data.words().console.run_row)(
                                run.done,
                                run.total,
                                &crate::text::inert(run.started_by.as_deref().unwrap_or("?")),
                                &age,
                                crate::text::words::phase(run.phase, data.words()),
                            )
                        ),
                        tone,
                    ),
                ])
            }
            HomeItem::Procedure(id) => {
                let Some(p) = data.catalog.procedure(id) else {
                    continue;
                };
                if last_kind != p.kind.name() {
                    rows.push(ListItem::new(Line::styled(
                        capitalise(crate::text::words::commands::kind(data.lang, p.kind)),
                        theme.accent,
                    )));
                    last_kind = p.kind.name();
                }
                let every = p
                    .recurrence
                    .map(|r| {
                        let every = crate::text::words::commands::recurrence(data.lang, r);
                        format!(" · {every}")
                    })
                    .unwrap_or_default();
                let count = (data.words().console.steps_count)(p.step_count());
                Line::from(vec![
                    Span::styled(format!(" {}", p.title.get(data.lang)), theme.text),
                    Span::styled(format!("{count}{every}"), theme.muted),
                ])
            }
        };
        if index == view.model.home_selected {
            selected_row = rows.len();
        }
        rows.push(ListItem::new(line));
    }
    let title = format!(
        " runbook {} {} ",
        g.separator,
        crate::text::inert(data.operator)
    );
    let list = List::new(rows)
        .block(block(title, theme))
        .highlight_style(theme.selected)
        .highlight_symbol(g.pointer);
    let mut state = ListState::default().with_selected(Some(selected_row));
    frame.render_stateful_widget(list, area, &mut state);
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn severity(frame: &mut Frame<'_>, area: Rect, view: &View<'_>) {
    let lines: Vec<Line<'_>> = view
        .data
        .catalog
        .severities
        .iter()
        .map(|s| {
            let w = view.data.words().console;
            let escalation = match s.escalation {
                None => w.not_applicable.to_owned(),
                Some(d) if d.as_secs() == 0 => w.immediate.to_owned(),
                Some(d) => d.to_string(),
            };
            Line::from(vec![
                Span::styled(format!("{:<3} ", s.id), view.theme.accent),
                Span::styled(
                    format!("{:<5} {:<9} ", s.response.to_string(), escalation),
                    view.theme.text,
                ),
                Span::styled(s.title.get(view.data.lang).to_owned(), view.theme.muted),
            ])
        })
        .collect();
    let title = view.data.words().console.severity_title;
    let widget = Paragraph::new(lines).block(block(title, view.theme));
    frame.render_widget(widget, area);
}

fn maintenance(frame: &mut Frame<'_>, area: Rect, view: &View<'_>) {
    let now = view.model.now;
    let status = window::status(&view.data.catalog.windows, now);
    let lang = view.data.lang;
    let theme = view.theme;
    let w = view.data.words().console;
    let mut lines = Vec::new();
    match &status.open {
        Some(open) => lines.push(Line::styled(
            (w.open_until)(
                open.window.title.get(lang),
                &open.closes.format("%H:%M UTC").to_string(),
            ),
            theme.ok,
        )),
        None => lines.push(Line::styled(w.closed, theme.text)),
    }
    if let Some(next) = &status.next {
        let notice: (Style, &str) = if next.notice_met(now) {
            (theme.text, w.notice_on_time)
        } else {
            (theme.warning, w.notice_missed)
        };
        let opens = format!(
            "{} {}",
            crate::text::words::run::weekday(lang, chrono::Datelike::weekday(&next.opens)),
            next.opens.format("%d %H:%M")
        );
        lines.push(Line::styled(
            (w.next_window)(next.window.title.get(lang), &opens),
            theme.text,
        ));
        lines.push(Line::from(vec![
            Span::styled((w.in_time)(&human(next.opens - now)), theme.text),
            Span::styled(notice.1, notice.0),
        ]));
    }
    frame.render_widget(
        Paragraph::new(lines).block(block(view.data.words().console.maintenance_title, theme)),
        area,
    );
}
