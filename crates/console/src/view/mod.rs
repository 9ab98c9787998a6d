//! Drawing: a pure function of the model and the data, one file per screen
//! region. Nothing here reads the disk, the network or the clock.

mod home;
pub mod links;
mod metrics;
mod output;
mod overlay;
mod run;
mod status;

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::widgets::{Block, BorderType, Borders, Paragraph, Wrap};

use super::keymap::Keymap;
use super::model::{Data, Model, Screen};
use super::theme::Theme;

/// Below this, the layout cannot show a step and its detail legibly.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 15;

#[derive(Debug)]
pub struct View<'a> {
    pub model: &'a Model,
    pub data: &'a Data<'a>,
    pub theme: &'a Theme,
    pub keymap: &'a Keymap,
}

pub fn draw(frame: &mut Frame<'_>, view: &View<'_>) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(frame, area, view.theme, view.data.words());
        return;
    }
    let [body, status_line] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    match view.model.screen {
        Screen::Home => home::draw(frame, body, view),
        Screen::Run => run::draw(frame, body, view),
    }
    status::draw(frame, status_line, view);
    overlay::draw(frame, area, view);
}

fn too_small(frame: &mut Frame<'_>, area: Rect, theme: &Theme, words: &crate::text::Words) {
    let text = (words.console.too_small)(area.width, area.height, MIN_WIDTH, MIN_HEIGHT);
    let paragraph = Paragraph::new(text)
        .style(theme.warning)
        .alignment(Alignment::Center)
        .wrap(Wrap { trim: true });
    frame.render_widget(paragraph, area);
}

/// A bordered block in the theme's style, ASCII or Unicode.
pub fn block<'a>(title: impl Into<ratatui::text::Line<'a>>, theme: &Theme) -> Block<'a> {
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(title.into());
    if let Some(word) = theme.badge {
        block = block
            .title(ratatui::text::Line::styled(format!(" {word} "), theme.drill).right_aligned());
    }
    if theme.glyphs.unicode_borders {
        block.border_type(BorderType::Rounded)
    } else {
        block.border_set(ASCII_BORDER)
    }
}

const ASCII_BORDER: ratatui::symbols::border::Set = ratatui::symbols::border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

/// `count` characters of a bar: filled in proportion to `done / total`.
pub fn bar(done: usize, total: usize, width: usize, theme: &Theme) -> String {
    let filled = (done * width).checked_div(total).unwrap_or(0);
    format!(
        "{}{}",
        theme.glyphs.bar_full.repeat(filled),
        theme.glyphs.bar_empty.repeat(width - filled)
    )
}
