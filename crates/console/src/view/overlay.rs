//! Overlays drawn over the screen: help, the command palette, text input,
//! confirmation, the severity chooser, and "really quit?".

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, List, ListItem, ListState, Paragraph, Wrap};

use super::{View, block};
use crate::action::Action;
use crate::model::{Input, Overlay};
use crate::update::palette_matches;

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    cell
}

pub fn draw(frame: &mut Frame<'_>, area: Rect, view: &View<'_>) {
    let w = view.data.words().console;
    match &view.model.overlay {
        Overlay::None => {}
        Overlay::Help => help(frame, area, view),
        Overlay::Palette { query, selected } => palette(frame, area, view, query, *selected),
        Overlay::Input(input) => input_box(frame, area, view, input),
        Overlay::Confirm { step, command, .. } => {
            let mut lines = vec![Line::styled((w.cannot_undo_step)(step), view.theme.warning)];
            if let Some(command) = command {
                lines.push(Line::styled(format!("$ {command}"), view.theme.text));
            }
            lines.push(Line::styled(w.confirm_done, view.theme.text));
            popup(frame, area, view, w.confirm_title, lines, 64, 6);
        }
        Overlay::Severity { selected, .. } => severity(frame, area, view, *selected),
        Overlay::Reference { tab, selected } => reference(frame, area, view, *tab, *selected),
        Overlay::Exec { step, shown, typed } => {
            let e = view.data.words().exec;
            let mut lines = vec![Line::styled(format!("$ {shown}"), view.theme.text)];
            match typed {
                Some(input) => {
                    lines.push(Line::styled((w.cannot_undo_step)(step), view.theme.warning));
                    lines.push(Line::styled(format!("> {}", input.text), view.theme.text));
                    lines.push(Line::styled(e.keys_typed, view.theme.text));
                }
                None => lines.push(Line::styled(e.keys_yes, view.theme.text)),
            }
            let height = u16::try_from(shown.len() / 60 + 6).unwrap_or(12).min(14);
            popup(frame, area, view, e.title, lines, 72, height);
        }
        Overlay::InterruptAsk => {
            let e = view.data.words().exec;
            let lines = vec![Line::styled(e.interrupt_ask, view.theme.warning)];
            popup(frame, area, view, w.quit_title, lines, 64, 5);
        }
        Overlay::QuitAsk => {
            let lines = vec![
                Line::styled(w.leave_ask, view.theme.text),
                Line::styled(w.leave_keys, view.theme.text),
            ];
            popup(frame, area, view, w.quit_title, lines, 60, 4);
        }
    }
}

fn popup(
    frame: &mut Frame<'_>,
    area: Rect,
    view: &View<'_>,
    title: &str,
    lines: Vec<Line<'_>>,
    width: u16,
    height: u16,
) {
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    let widget = Paragraph::new(lines)
        .wrap(Wrap { trim: true })
        .block(block(title.to_owned(), view.theme));
    frame.render_widget(widget, rect);
}

/// The reference tables in tabs: the selected tab's rows in columns, the
/// selected row highlighted (y copies its number, address or URL).
fn reference(frame: &mut Frame<'_>, area: Rect, view: &View<'_>, tab: usize, selected: usize) {
    use crate::reference::Table;
    let words = view.data.words();
    // The whole screen but the status line, which says what was copied.
    let rect = Rect {
        height: area.height.saturating_sub(1),
        ..area
    };
    frame.render_widget(Clear, rect);
    let tab = tab % Table::ALL.len();
    let mut tabs = Vec::new();
    for (i, table) in Table::ALL.iter().enumerate() {
        let style = if i == tab {
            view.theme.selected
        } else {
            view.theme.muted
        };
        tabs.push(Span::styled(format!(" {} ", table.title(words)), style));
    }
    let (heading, rows) = crate::update::reference_rows(view.data, tab);
    let mut table = vec![heading];
    table.extend(rows.iter().map(|r| r.cells.clone()));
    let text = crate::text::layout::columns(&table);
    let mut lines = text.lines().map(|l| crate::text::inert(l).into_owned());
    let header = lines.next().unwrap_or_default();
    let items: Vec<ListItem<'_>> = lines.map(ListItem::new).collect();
    let [bar, head, list, hint] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(block(words.console.reference_title, view.theme).inner(rect));
    frame.render_widget(block(words.console.reference_title, view.theme), rect);
    frame.render_widget(Paragraph::new(Line::from(tabs)), bar);
    frame.render_widget(
        Paragraph::new(Line::styled(header, view.theme.accent)),
        head,
    );
    let widget = List::new(items)
        .style(view.theme.text)
        .highlight_style(view.theme.selected);
    let mut state = ListState::default().with_selected(Some(selected));
    frame.render_stateful_widget(widget, list, &mut state);
    if view.theme.links {
        let urls = rows.iter().filter_map(|r| r.copy.as_deref());
        for url in urls.filter(|c| c.starts_with("https://") || c.starts_with("http://")) {
            super::links::link(frame.buffer_mut(), list, url);
        }
    }
    frame.render_widget(
        Paragraph::new(Line::styled(words.reference.tabs_hint, view.theme.muted)),
        hint,
    );
}

/// Short of rows, the help gives each pair one.
const PAIRS: [(Action, Action); 4] = [
    (Action::Up, Action::Down),
    (Action::Top, Action::Bottom),
    (Action::PageUp, Action::PageDown),
    (Action::Help, Action::Palette),
];

fn help(frame: &mut Frame<'_>, area: Rect, view: &View<'_>) {
    let words = view.data.words();
    // `+` moves a drill's clock: listed in a drill only, where it acts.
    let drilling = view.theme.badge.is_some();
    // The warnings' key is in the status line whenever there are some; the
    // help lists it where the screen has a row for it.
    let rows = usize::from(area.height.saturating_sub(2));
    let roomy = Action::ALL.len() <= rows;
    let line = |keys: String, what: String| {
        Line::from(vec![
            Span::styled(format!("{keys:<13} "), view.theme.accent),
            Span::styled(what, view.theme.text),
        ])
    };
    let lines: Vec<Line<'_>> = Action::ALL
        .iter()
        .filter(|action| drilling || **action != Action::Jump)
        .filter(|action| roomy || **action != Action::Warnings)
        .filter(|action| roomy || !PAIRS.iter().any(|(_, second)| second == *action))
        .map(|action| {
            let mut keys = view.keymap.keys_in(*action, words);
            let mut what = action.describe(words).to_owned();
            let second = PAIRS.iter().find(|(first, _)| first == action);
            if let Some((_, second)) = second.filter(|_| !roomy) {
                keys.extend(view.keymap.keys_in(*second, words));
                what = format!("{what} / {}", second.describe(words));
            }
            line(keys.join(", "), what)
        })
        .collect();
    let height = u16::try_from(lines.len()).unwrap_or(20) + 2;
    let rect = centered(area, 78, height);
    frame.render_widget(Clear, rect);
    // How to close it rides on the bottom border: every row is a key.
    let closes = Line::styled(words.console.help_closes, view.theme.muted);
    let widget = Paragraph::new(lines)
        .block(block(words.console.keys_title.to_owned(), view.theme).title_bottom(closes));
    frame.render_widget(widget, rect);
}

fn palette(frame: &mut Frame<'_>, area: Rect, view: &View<'_>, query: &str, selected: usize) {
    let rect = centered(area, 70, 14);
    frame.render_widget(Clear, rect);
    let [prompt, list] = Layout::vertical([Constraint::Length(3), Constraint::Min(1)]).areas(rect);
    let words = view.data.words();
    let input = Paragraph::new(format!("{} {query}", view.theme.glyphs.pointer))
        .block(block(words.console.command_title, view.theme));
    frame.render_widget(input, prompt);
    let rows: Vec<ListItem<'_>> = palette_matches(query, words)
        .into_iter()
        .map(|action| {
            let keys = view.keymap.keys_in(action, words).join(", ");
            ListItem::new(Line::from(vec![
                Span::styled(
                    format!(
                        "{:<10}",
                        crate::text::words::console::action_name(words, action.name())
                    ),
                    view.theme.accent,
                ),
                Span::styled(format!("{keys:<8}"), view.theme.muted),
                Span::styled(action.describe(words), view.theme.text),
            ]))
        })
        .collect();
    let widget = List::new(rows)
        .block(block("", view.theme))
        .highlight_style(view.theme.selected);
    let mut state = ListState::default().with_selected(Some(selected));
    frame.render_stateful_widget(widget, list, &mut state);
    let x = prompt.x + 3 + u16::try_from(query.chars().count()).unwrap_or(0);
    frame.set_cursor_position(Position::new(
        x.min(prompt.right().saturating_sub(2)),
        prompt.y + 1,
    ));
}

fn input_box(frame: &mut Frame<'_>, area: Rect, view: &View<'_>, input: &Input) {
    let rect = centered(area, 70, 3);
    frame.render_widget(Clear, rect);
    let words = view.data.words();
    let title = (words.console.input_title)(input.purpose.prompt(words));
    // Long text scrolls so the cursor stays in view.
    let width = usize::from(rect.width.saturating_sub(2));
    let skip = input.cursor.saturating_sub(width.saturating_sub(1));
    let shown: String = input.text.chars().skip(skip).take(width).collect();
    let widget = Paragraph::new(shown)
        .style(view.theme.text)
        .block(block(title, view.theme));
    frame.render_widget(widget, rect);
    let x = rect.x + 1 + u16::try_from(input.cursor - skip).unwrap_or(0);
    frame.set_cursor_position(Position::new(x, rect.y + 1));
}

fn severity(frame: &mut Frame<'_>, area: Rect, view: &View<'_>, selected: usize) {
    let rows: Vec<ListItem<'_>> = view
        .data
        .catalog
        .severities
        .iter()
        .map(|s| {
            ListItem::new(Line::from(vec![
                Span::styled(format!("{:<4}", s.id), view.theme.accent),
                Span::styled(
                    (view.data.words().console.respond_within)(
                        s.title.get(view.data.lang),
                        &s.response.to_string(),
                    ),
                    view.theme.text,
                ),
            ]))
        })
        .collect();
    let height = u16::try_from(rows.len()).unwrap_or(4) + 2;
    let rect = centered(area, 60, height);
    frame.render_widget(Clear, rect);
    let list = List::new(rows)
        .block(block(view.data.words().console.severity_pick, view.theme))
        .highlight_style(view.theme.selected)
        .highlight_symbol(view.theme.glyphs.pointer);
    let mut state = ListState::default().with_selected(Some(selected));
    frame.render_stateful_widget(list, rect, &mut state);
}
