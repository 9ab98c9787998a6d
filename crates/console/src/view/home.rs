//! Home: open runs and procedures on the left; severities, the maintenance
//! window and the metrics on the right.

use std::fmt::Write as _;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph};

use super::{View, block};
use crate::catalog::duration::human;
use crate::model::HomeItem;
use crate::report::deadline_words;
use crate::windows;

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
    let mut last_heading = String::new();
    let mut rows: Vec<ListItem<'_>> = Vec::new();
    let mut selected_row = 0;
    for (index, item) in data.home_items().iter().enumerate() {
        let Some((heading, line)) = item_line(view, item) else {
            continue;
        };
        if heading != last_heading {
            rows.push(ListItem::new(Line::styled(heading.clone(), theme.accent)));
            last_heading = heading;
        }
        if index == view.model.home_selected {
            selected_row = rows.len();
        }
        rows.push(ListItem::new(line));
    }
    let list = List::new(rows)
        .block(block(title(view), theme))
        .highlight_style(theme.selected)
        .highlight_symbol(theme.glyphs.pointer);
    let mut state = ListState::default().with_selected(Some(selected_row));
    frame.render_stateful_widget(list, area, &mut state);
}

/// The operator, and how many duties are overdue, in a symbol and words.
fn title(view: &View<'_>) -> String {
    let data = view.data;
    let g = view.theme.glyphs;
    let overdue = data
        .duties
        .iter()
        .filter(|d| matches!(d.state, crate::due::State::Overdue { .. }))
        .count()
        + data.owed.iter().filter(|o| o.is_overdue()).count();
    let mut title = format!(
        " runbook {} {} ",
        g.separator,
        crate::text::inert(data.operator)
    );
    if overdue > 0 {
        let count = (data.words().console.overdue_count)(overdue);
        let _ = write!(title, "{} {} {count} ", g.separator, g.failed);
    }
    title
}

/// A home item as a line, under the heading of its group.
fn item_line(view: &View<'_>, item: &HomeItem) -> Option<(String, Line<'static>)> {
    let data = view.data;
    match item {
        HomeItem::Run(id) => {
            let run = data.runs.iter().find(|r| &r.id == id)?;
            Some((
                data.words().console.open_runs.to_owned(),
                run_line(view, run),
            ))
        }
        HomeItem::Duty(id) => {
            let duty = data.duties.iter().find(|d| &d.procedure == id)?;
            let title = data.catalog.procedure(id)?.title.get(data.lang);
            Some((
                data.words().console.due_title.to_owned(),
                duty_line(view, duty, title),
            ))
        }
        HomeItem::Owed(key) => {
            let owed = data.owed.iter().find(|o| &o.key() == key)?;
            Some((
                data.words().console.due_title.to_owned(),
                owed_line(view, owed),
            ))
        }
        HomeItem::Procedure(id) => {
            let p = data.catalog.procedure(id)?;
            let heading = capitalise(crate::catalog::said::kind(data.lang, p.kind));
            Some((heading, procedure_line(view, p)))
        }
    }
}

fn run_line(view: &View<'_>, run: &crate::run_list::Summary) -> Line<'static> {
    let data = view.data;
    let theme = view.theme;
    let deadline = run
        .next_deadline
        .as_ref()
        .map(|d| {
            let words = deadline_words(&d.state, data.words());
            format!(" {} {} {words}", theme.glyphs.clock, d.label)
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
    let row = (data.words().console.run_row)(
        run.done,
        run.total,
        &crate::text::inert(run.started_by.as_deref().unwrap_or("?")),
        &age,
        crate::text::words::phase(run.phase, data.words()),
    );
    Line::from(vec![
        Span::styled(format!(" {} ", run.title), theme.text),
        Span::styled(format!("{row}{deadline}"), tone),
    ])
}

fn procedure_line(view: &View<'_>, p: &crate::catalog::Procedure) -> Line<'static> {
    let data = view.data;
    let every = p
        .recurrence
        .map(|r| {
            let every = crate::catalog::said::recurrence(data.lang, r);
            format!(" · {every}")
        })
        .unwrap_or_default();
    let count = (data.words().console.steps_count)(p.step_count());
    Line::from(vec![
        Span::styled(format!(" {}", p.title.get(data.lang)), view.theme.text),
        Span::styled(format!("{count}{every}"), view.theme.muted),
    ])
}

/// A duty due or overdue: its state in a symbol and words (overdue in the
/// danger style), then its title.
fn duty_line<'a>(view: &View<'_>, duty: &crate::due::Duty, title: &str) -> Line<'a> {
    let theme = view.theme;
    let g = theme.glyphs;
    let (symbol, style) = match duty.state {
        crate::due::State::Overdue { .. } => (g.failed, theme.danger),
        _ => (g.awaiting, theme.warning),
    };
    let state = crate::due::said::duty_state(view.data.words(), duty, view.model.now);
    Line::from(vec![
        Span::styled(format!(" {symbol} {state} "), style),
        Span::styled(title.to_owned(), theme.text),
    ])
}

/// A post-mortem or follow-up owed: its standing, what it is, its owner.
fn owed_line<'a>(view: &View<'_>, owed: &crate::learn::Owed) -> Line<'a> {
    let theme = view.theme;
    let g = theme.glyphs;
    let words = view.data.words();
    let (symbol, style) = if owed.is_overdue() {
        (g.failed, theme.danger)
    } else {
        (g.awaiting, theme.warning)
    };
    let learn = crate::learn::said::standing(words, owed.standing, view.model.now);
    let mut title = crate::learn::said::owed_title(words, owed);
    if let crate::learn::What::FollowUp {
        owner: Some(owner), ..
    } = &owed.what
    {
        title.push_str(&(words.learn.owner_is)(&crate::text::inert(owner)));
    }
    Line::from(vec![
        Span::styled(format!(" {symbol} {learn} "), style),
        Span::styled(title, theme.text),
    ])
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
    let status = windows::status(&view.data.catalog.windows, now);
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
