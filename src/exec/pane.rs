//! The console's view of a running command: its output parsed by a
//! terminal emulator (`vt100`), so colours are kept and cursor moves,
//! clears and titles act only inside the pane, never on our screen. What
//! is drawn is the emulator's cells, each made inert again.

use std::num::NonZeroU16;
use std::time::Instant;

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};

/// Rows of output kept above the pane, to scroll back through.
pub const SCROLLBACK: usize = 1000;

pub struct Pane {
    parser: vt100::Parser,
    pub step: String,
    pub command: String,
    pub started: Instant,
    /// How long it has run, as of the loop's last tick: the view reads no
    /// clock.
    pub elapsed_ms: u64,
    /// How it ended, in words, and how long it took; `None` while it runs.
    pub ended: Option<(String, u64)>,
    /// Rows scrolled back from the live end.
    scrolled: usize,
    /// Bumped by every change, so a view can tell it must redraw.
    pub generation: u64,
    converted: Vec<u8>,
}

impl std::fmt::Debug for Pane {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pane")
            .field("step", &self.step)
            .field("ended", &self.ended)
            .field("scrolled", &self.scrolled)
            .finish_non_exhaustive()
    }
}

fn size(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n.max(1)).unwrap_or(NonZeroU16::MIN)
}

impl Pane {
    pub fn new(step: &str, command: &str, rows: u16, cols: u16) -> Self {
        Pane {
            parser: vt100::Parser::new(size(rows), size(cols), SCROLLBACK),
            step: step.to_owned(),
            command: command.to_owned(),
            started: Instant::now(),
            elapsed_ms: 0,
            ended: None,
            scrolled: 0,
            generation: 0,
            converted: Vec::new(),
        }
    }

    /// Feeds output. A pipe is not a terminal: its newlines were never
    /// turned into carriage return and line feed, so that is done here.
    pub fn feed(&mut self, bytes: &[u8]) {
        self.converted.clear();
        for &b in bytes {
            if b == b'\n' {
                self.converted.push(b'\r');
            }
            self.converted.push(b);
        }
        self.parser.process(&self.converted);
        self.generation += 1;
    }

    pub fn resize(&mut self, rows: u16, cols: u16) {
        let (r, c) = self.parser.screen().size();
        if (r.get(), c.get()) != (rows.max(1), cols.max(1)) {
            self.parser.set_size(size(rows), size(cols));
            self.generation += 1;
        }
    }

    /// Scrolls back (positive) or forward (negative) by `rows`.
    pub fn scroll(&mut self, rows: isize) {
        let wanted = self.scrolled.saturating_add_signed(rows);
        self.parser.screen_mut().set_scrollback(wanted);
        self.scrolled = self.parser.screen().scrollback();
        self.generation += 1;
    }

    pub fn scrolled(&self) -> usize {
        self.scrolled
    }

    /// The visible rows, styled; every cell's text made inert.
    pub fn lines(&self, colour: bool) -> Vec<Line<'static>> {
        let screen = self.parser.screen();
        let (rows, cols) = screen.size();
        let mut lines = Vec::with_capacity(usize::from(rows.get()));
        for row in 0..rows.get() {
            let mut spans: Vec<Span<'static>> = Vec::new();
            let mut text = String::new();
            let mut style = Style::default();
            for col in 0..cols.get() {
                let Some(cell) = screen.cell(row, col) else {
                    continue;
                };
                if cell.is_wide_continuation() {
                    continue;
                }
                let here = if colour {
                    cell_style(cell)
                } else {
                    Style::default()
                };
                if here != style && !text.is_empty() {
                    spans.push(Span::styled(std::mem::take(&mut text), style));
                }
                style = here;
                if cell.has_contents() {
                    text.push_str(&crate::text::inert(cell.contents()));
                } else {
                    text.push(' ');
                }
            }
            let trimmed = text.trim_end();
            if !trimmed.is_empty() {
                spans.push(Span::styled(trimmed.to_owned(), style));
            }
            lines.push(Line::from(spans));
        }
        // Trailing blank rows say nothing: the pane shows the last output.
        while lines.len() > 1 && lines.last().is_some_and(|l| l.spans.is_empty()) {
            lines.pop();
        }
        lines
    }
}

fn colour(c: vt100::Color) -> Option<Color> {
    match c {
        vt100::Color::Default => None,
        vt100::Color::Idx(i) => Some(Color::Indexed(i)),
        vt100::Color::Rgb(r, g, b) => Some(Color::Rgb(r, g, b)),
    }
}

fn cell_style(cell: &vt100::Cell) -> Style {
    let mut style = Style::default();
    if let Some(fg) = colour(cell.fgcolor()) {
        style = style.fg(fg);
    }
    if let Some(bg) = colour(cell.bgcolor()) {
        style = style.bg(bg);
    }
    let flags = [
        (cell.bold(), Modifier::BOLD),
        (cell.dim(), Modifier::DIM),
        (cell.italic(), Modifier::ITALIC),
        (cell.underline(), Modifier::UNDERLINED),
        (cell.inverse(), Modifier::REVERSED),
    ];
    for (on, modifier) in flags {
        if on {
            style = style.add_modifier(modifier);
        }
    }
    style
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(pane: &Pane) -> Vec<String> {
        pane.lines(true)
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    #[test]
    fn colours_are_kept_and_screen_controls_act_only_inside() {
        let mut pane = Pane::new("s", "c", 4, 20);
        pane.feed(b"\x1b[31mred\x1b[0m plain\n\x1b]0;evil title\x07next\n");
        pane.feed(b"\x1b[2J\x1b[Hcleared\n");
        let lines = pane.lines(true);
        assert_eq!(text(&pane), vec!["cleared".to_owned()]);
        assert!(lines[0].spans.iter().all(|s| !s.content.contains('\x1b')));
        let mut pane = Pane::new("s", "c", 4, 20);
        pane.feed(b"\x1b[31mred\x1b[0m plain\n");
        let first = &pane.lines(true)[0];
        assert_eq!(first.spans[0].content, "red");
        assert_eq!(first.spans[0].style.fg, Some(Color::Indexed(1)));
        assert_eq!(pane.lines(false)[0].spans[0].style.fg, None);
    }

    #[test]
    fn newlines_start_lines_and_scrollback_reaches_what_scrolled_away() {
        let mut pane = Pane::new("s", "c", 3, 10);
        for n in 0..10 {
            pane.feed(format!("line {n}\n").as_bytes());
        }
        assert_eq!(text(&pane), vec!["line 8", "line 9"]);
        pane.scroll(5);
        assert_eq!(pane.scrolled(), 5);
        assert_eq!(text(&pane)[0], "line 3");
        pane.scroll(-100);
        assert_eq!(pane.scrolled(), 0);
    }
}
