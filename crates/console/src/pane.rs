//! The console's view of a running command: its output parsed by a
//! terminal emulator (`vt100`), so colours are kept and cursor moves,
//! clears and titles act only inside the pane, never on our screen. What
//! is drawn is the emulator's cells, each made inert again.
//!
//! Output is kept as it came and parsed when a frame needs it, a slice at
//! a time. When it outruns the screen, plain lines that would scroll out
//! of the bounded scrollback before any frame could show them are passed
//! over unparsed: the emulator is that much slower than a pipe.

use std::collections::VecDeque;
use std::num::NonZeroU16;
use std::time::Instant;

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};

/// Rows of output kept above the pane, to scroll back through.
pub const SCROLLBACK: usize = 1000;

/// What one step of catching up parses: a key waits for at most this
/// much of the emulator's work (about 2 ms here).
pub const SLICE: usize = 16 * 1024;

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
    /// Output not parsed yet, in the buffers it came in; the front one
    /// from `parsed_to`.
    backlog: VecDeque<Vec<u8>>,
    /// Beside each buffer of the backlog, measured as it came: where its
    /// plain text ends and how many newlines that holds, so that passing
    /// over reads no byte twice.
    shapes: VecDeque<(usize, usize)>,
    parsed_to: usize,
    /// Bytes passed over unparsed, in all.
    pub passed_over: u64,
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
            backlog: VecDeque::new(),
            shapes: VecDeque::new(),
            parsed_to: 0,
            passed_over: 0,
        }
    }

    /// Takes output, to be parsed when a frame needs it (`catch_up`).
    pub fn feed(&mut self, bytes: Vec<u8>) {
        if !bytes.is_empty() {
            self.shapes.push_back(shape(&bytes, 0));
            self.backlog.push_back(bytes);
        }
    }

    /// Output taken and not parsed yet, in bytes.
    pub fn backlog(&self) -> usize {
        self.backlog.iter().map(Vec::len).sum::<usize>() - self.parsed_to
    }

    /// Parses what came, all of it.
    pub fn settle(&mut self) {
        while self.catch_up(usize::MAX) {}
    }

    /// Parses up to `budget` bytes of what came, passing over what can no
    /// longer be seen; true while some is left.
    pub fn catch_up(&mut self, budget: usize) -> bool {
        if self.backlog.is_empty() {
            return false;
        }
        let mut left = budget;
        while left > 0 {
            // Again after each slice: an escape parsed may begin a run of
            // plain text long enough to pass over.
            self.pass_over();
            let Some(front) = self.backlog.front() else {
                break;
            };
            let end = front
                .len()
                .min(self.parsed_to.saturating_add(left.min(SLICE)));
            let taken = end - self.parsed_to;
            process(&mut self.parser, &front[self.parsed_to..end]);
            left -= taken;
            if end == front.len() {
                self.pop_front();
                self.parsed_to = 0;
            } else {
                self.parsed_to = end;
            }
        }
        self.generation += 1;
        !self.backlog.is_empty()
    }

    /// Lines the emulator needs from a stretch of plain text before all it
    /// held before has scrolled out of its scrollback: enough to reach the
    /// bottom row, then to push the screen and the scrollback out.
    fn lines_that_hide_the_past(&self) -> usize {
        let (rows, _) = self.parser.screen().size();
        2 * usize::from(rows.get()) + SCROLLBACK + 1
    }

    /// Drops, unparsed, the start of a run of plain text (printable text,
    /// tabs and newlines: nothing that moves the cursor up or changes how
    /// text looks) that is followed within the run by enough lines to
    /// scroll it out of sight and out of the scrollback: what the emulator
    /// would hold after parsing it all is what it holds after parsing the
    /// run's last lines alone. The run's first line is kept, so that the
    /// lines after it start at the left edge in both cases.
    fn pass_over(&mut self) {
        let keep = self.lines_that_hide_the_past();
        // The plain run from where parsing is, as stretches of the
        // backlog's buffers, with how many newlines each holds.
        let mut stretches: Vec<(usize, usize, usize, usize)> = Vec::new();
        let mut count = 0usize;
        for (i, (chunk, &measured)) in self.backlog.iter().zip(&self.shapes).enumerate() {
            let from = if i == 0 { self.parsed_to } else { 0 };
            // The front buffer, partly parsed, is measured again from
            // where parsing is.
            let (to, newlines) = if from == 0 {
                measured
            } else {
                shape(chunk, from)
            };
            count += newlines;
            stretches.push((i, from, to, newlines));
            if to < chunk.len() {
                break;
            }
        }
        if count <= keep + 1 {
            return;
        }
        // The first newline, and the one with `keep` after it.
        let Some((first_chunk, first_at)) = stretches.iter().find_map(|&(i, from, to, _)| {
            memchr::memchr(b'\n', &self.backlog[i][from..to]).map(|at| (i, from + at))
        }) else {
            return;
        };
        let mut after = 0;
        let mut cut = None;
        for &(i, from, to, newlines) in stretches.iter().rev() {
            if after + newlines > keep {
                let nth = keep - after;
                cut = memchr::memrchr_iter(b'\n', &self.backlog[i][from..to])
                    .nth(nth)
                    .map(|at| (i, from + at));
                break;
            }
            after += newlines;
        }
        let Some((cut_chunk, cut_at)) = cut else {
            return;
        };
        // Parse through the first newline, then go on after the newline
        // that leaves `keep` of them.
        self.advance(first_chunk, first_at + 1, true);
        let dropped = self.advance(cut_chunk - first_chunk, cut_at + 1, false);
        self.passed_over += dropped;
    }

    fn pop_front(&mut self) -> Option<Vec<u8>> {
        self.shapes.pop_front();
        self.backlog.pop_front()
    }

    /// Moves where parsing is to byte `at` of the backlog's buffer `chunk`
    /// (counted from the front), parsing what it moves over or not;
    /// returns how many bytes that was.
    fn advance(&mut self, chunk: usize, at: usize, parse: bool) -> u64 {
        let mut moved = 0;
        let mut over = |parser: &mut vt100::Parser, bytes: &[u8]| {
            if parse {
                process(parser, bytes);
            }
            moved += bytes.len() as u64;
        };
        for _ in 0..chunk {
            if let Some(whole) = self.pop_front() {
                over(&mut self.parser, &whole[self.parsed_to..]);
                self.parsed_to = 0;
            }
        }
        if let Some(front) = self.backlog.front() {
            over(&mut self.parser, &front[self.parsed_to..at]);
            self.parsed_to = at;
            if at == front.len() {
                self.pop_front();
                self.parsed_to = 0;
            }
        }
        moved
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

    /// The visible rows, styled; every cell's text made inert. What came
    /// and was not parsed yet is not shown (`catch_up` first).
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

/// Where the plain text of `bytes` from `from` ends, and how many newlines
/// it holds.
fn shape(bytes: &[u8], from: usize) -> (usize, usize) {
    let to = first_not_plain(&bytes[from..]).map_or(bytes.len(), |at| from + at);
    (to, memchr::memchr_iter(b'\n', &bytes[from..to]).count())
}

/// Where the first byte that is not plain is (plain: neither moving the
/// cursor up nor changing how text looks, so a run of such bytes only
/// writes text downward; a byte of a multi-byte character counts, but not
/// 0xC2, which begins the C1 controls): 64 bytes at a time, with
/// no branch inside a block (the compiler makes it SIMD), so that passing
/// over megabytes costs little more than reading them.
fn first_not_plain(bytes: &[u8]) -> Option<usize> {
    const BLOCK: usize = 64;
    // `|`, not `||`: no branch, so the block's fold is vectorised.
    #[allow(clippy::needless_bitwise_bool)]
    let bad = |b: u8| {
        (b < 0x20 && b != b'\t' && b != b'\n' && b != b'\r')
            | (b == 0x7F)
            | (0xC0..=0xC2).contains(&b)
            | (b >= 0xF5)
    };
    let mut at = 0;
    for block in bytes.chunks(BLOCK) {
        if block.iter().fold(false, |any, &b| any | bad(b)) {
            return block.iter().position(|&b| bad(b)).map(|i| at + i);
        }
        at += block.len();
    }
    None
}

/// Parses output from a pipe, which is not a terminal: its newlines were
/// never turned into carriage return and line feed, so the emulator is
/// given one before each.
fn process(parser: &mut vt100::Parser, bytes: &[u8]) {
    let mut from = 0;
    for at in memchr::memchr_iter(b'\n', bytes) {
        parser.process(&bytes[from..at]);
        parser.process(b"\r\n");
        from = at + 1;
    }
    parser.process(&bytes[from..]);
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

    fn feed(pane: &mut Pane, bytes: &[u8]) {
        pane.feed(bytes.to_vec());
        pane.settle();
    }

    fn text(pane: &Pane) -> Vec<String> {
        pane.lines(true)
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    #[test]
    fn colours_are_kept_and_screen_controls_act_only_inside() {
        let mut pane = Pane::new("s", "c", 4, 20);
        feed(
            &mut pane,
            b"\x1b[31mred\x1b[0m plain\n\x1b]0;evil title\x07next\n",
        );
        feed(&mut pane, b"\x1b[2J\x1b[Hcleared\n");
        let lines = pane.lines(true);
        assert_eq!(text(&pane), vec!["cleared".to_owned()]);
        assert!(lines[0].spans.iter().all(|s| !s.content.contains('\x1b')));
        let mut pane = Pane::new("s", "c", 4, 20);
        feed(&mut pane, b"\x1b[31mred\x1b[0m plain\n");
        let first = &pane.lines(true)[0];
        assert_eq!(first.spans[0].content, "red");
        assert_eq!(first.spans[0].style.fg, Some(Color::Indexed(1)));
        assert_eq!(pane.lines(false)[0].spans[0].style.fg, None);
    }

    #[test]
    fn newlines_start_lines_and_scrollback_reaches_what_scrolled_away() {
        let mut pane = Pane::new("s", "c", 3, 10);
        for n in 0..10 {
            feed(&mut pane, format!("line {n}\n").as_bytes());
        }
        assert_eq!(text(&pane), vec!["line 8", "line 9"]);
        pane.scroll(5);
        assert_eq!(pane.scrolled(), 5);
        assert_eq!(text(&pane)[0], "line 3");
        pane.scroll(-100);
        assert_eq!(pane.scrolled(), 0);
    }

    /// Everything the emulator holds: each scrollback position's screen,
    /// with colours, from the oldest to the live one.
    fn held(parser: &mut vt100::Parser) -> Vec<String> {
        let mut seen = Vec::new();
        for back in (0..=SCROLLBACK).rev() {
            parser.screen_mut().set_scrollback(back);
            if parser.screen().scrollback() == back {
                seen.push(parser.screen().contents_formatted());
            }
        }
        parser.screen_mut().set_scrollback(0);
        seen
    }

    /// The stream parsed whole, as before anything was passed over.
    fn parsed_whole(rows: u16, cols: u16, stream: &[u8]) -> vt100::Parser {
        let mut parser = vt100::Parser::new(size(rows), size(cols), SCROLLBACK);
        process(&mut parser, stream);
        parser
    }

    /// Lines up to `widest` long (the pane wraps the longer ones), with a
    /// colour and a move up every `escape_every` lines (0: never).
    fn stream(lines: usize, escape_every: usize, widest: usize) -> Vec<u8> {
        let mut out = Vec::new();
        for n in 0..lines {
            if escape_every > 0 && n % escape_every == 0 {
                // A colour, a move up and a rewrite: all must count.
                out.extend_from_slice(format!("\x1b[3{}m\x1b[2Aup {n}\n", n % 7).as_bytes());
            }
            out.extend_from_slice(
                format!("line {n} {}\n", "x".repeat(n % widest.max(1))).as_bytes(),
            );
        }
        out
    }

    #[test]
    fn output_that_outruns_the_screen_is_passed_over_and_shows_the_same() {
        // Short lines first: exactly as many as the bound needs count.
        for widest in [1, 130] {
            let whole = stream(6000, 0, widest);
            let mut pane = Pane::new("s", "c", 8, 78);
            for chunk in whole.chunks(16 * 1024) {
                pane.feed(chunk.to_vec());
            }
            pane.settle();
            assert!(
                pane.passed_over > whole.len() as u64 / 2,
                "{}",
                pane.passed_over
            );
            assert_eq!(pane.backlog(), 0);
            let mut expected = parsed_whole(8, 78, &whole);
            assert_eq!(
                held(&mut pane.parser),
                held(&mut expected),
                "lines up to {widest}"
            );
            assert!(text(&pane).last().unwrap().starts_with("line 5999"));
        }
    }

    #[test]
    fn escapes_in_the_stream_are_never_passed_over() {
        // Colours and cursor moves every 300 or 2500 lines: plain runs
        // shorter than the scrollback are parsed whole, longer ones cut.
        for every in [300, 2500] {
            let whole = stream(7000, every, 130);
            let mut pane = Pane::new("s", "c", 6, 60);
            for chunk in whole.chunks(5000) {
                pane.feed(chunk.to_vec());
            }
            pane.settle();
            let mut expected = parsed_whole(6, 60, &whole);
            assert_eq!(
                held(&mut pane.parser),
                held(&mut expected),
                "escape every {every}"
            );
            assert_eq!(pane.passed_over > 0, every > 2000, "escape every {every}");
        }
    }

    /// Bytes that neither move the cursor up nor change how text looks: a
    /// run of them only writes text downward. A byte of a multi-byte
    /// character counts too, but not 0xC2, which begins the C1 controls.
    static PLAIN: [bool; 256] = {
        let mut table = [false; 256];
        let mut b = 0;
        while b < 256 {
            table[b] = matches!(b, 0x20..=0x7E | 0x09 | 0x0A | 0x0D | 0x80..=0xBF | 0xC3..=0xF4);
            b += 1;
        }
        table
    };

    #[test]
    fn the_fast_check_of_plain_bytes_agrees_with_the_table() {
        for b in 0..=255u8 {
            let alone = [b];
            assert_eq!(
                first_not_plain(&alone).is_none(),
                PLAIN[usize::from(b)],
                "byte {b:#04x}"
            );
            let mut long = vec![b'x'; 200];
            long[130] = b;
            let expected = (!PLAIN[usize::from(b)]).then_some(130);
            assert_eq!(first_not_plain(&long), expected, "byte {b:#04x} at 130");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(12))]
        /// However the output is cut and however often the pane catches
        /// up, what it holds at the end is what parsing it whole gives.
        #[test]
        fn chunks_and_slices_never_change_what_is_held(
            lines in 1000usize..3500,
            escape_every in proptest::prop_oneof![proptest::strategy::Just(0usize), 200usize..3000],
            cut in 1usize..40_000,
            slice in 1usize..50_000,
            rows in 3u16..12,
            widest in 1usize..100,
        ) {
            let whole = stream(lines, escape_every, widest);
            let mut pane = Pane::new("s", "c", rows, 50);
            for chunk in whole.chunks(cut) {
                pane.feed(chunk.to_vec());
                pane.catch_up(slice);
            }
            pane.settle();
            let mut expected = parsed_whole(rows, 50, &whole);
            proptest::prop_assert_eq!(held(&mut pane.parser), held(&mut expected));
        }
    }
}
