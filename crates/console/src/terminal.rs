//! The terminal: raw mode and the alternate screen on the way in, restored
//! on every way out (normal exit, error, panic, hang-up); and a backend that
//! writes nothing when nothing changed, so an idle console is silent on a
//! slow SSH link.

use std::io::{self, Write};

use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::crossterm::{cursor, execute, terminal};
use ratatui::layout::{Position, Size};

/// Wraps a backend and drops what would repeat the terminal's state: an
/// empty draw, hiding a hidden cursor, moving the cursor where it is.
#[derive(Debug)]
pub struct Quiet<B> {
    inner: B,
    cursor_visible: Option<bool>,
    cursor_at: Option<Position>,
}

impl<B> Quiet<B> {
    pub fn new(inner: B) -> Self {
        Quiet {
            inner,
            cursor_visible: None,
            cursor_at: None,
        }
    }

    pub fn inner_mut(&mut self) -> &mut B {
        &mut self.inner
    }
}

impl<B: Backend> Backend for Quiet<B> {
    type Error = B::Error;

    fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let mut content = content.peekable();
        if content.peek().is_none() {
            return Ok(());
        }
        self.cursor_at = None;
        self.inner.draw(content)
    }

    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        if self.cursor_visible == Some(false) {
            return Ok(());
        }
        self.cursor_visible = Some(false);
        self.inner.hide_cursor()
    }

    /// Never fails: ratatui shows the cursor again when the console is
    /// dropped, and reports a failure there with `eprintln!`, which panics
    /// once the terminal is gone. `restore` shows it on every way out.
    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        if self.cursor_visible == Some(true) {
            return Ok(());
        }
        self.cursor_visible = Some(true);
        if let Err(e) = self.inner.show_cursor() {
            tracing::debug!("showing the cursor failed: {e}");
        }
        Ok(())
    }

    fn get_cursor_position(&mut self) -> Result<Position, Self::Error> {
        self.inner.get_cursor_position()
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> Result<(), Self::Error> {
        let position = position.into();
        if self.cursor_at == Some(position) {
            return Ok(());
        }
        self.cursor_at = Some(position);
        self.inner.set_cursor_position(position)
    }

    fn clear(&mut self) -> Result<(), Self::Error> {
        self.cursor_at = None;
        self.inner.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> Result<(), Self::Error> {
        self.inner.clear_region(clear_type)
    }

    fn size(&self) -> Result<Size, Self::Error> {
        self.inner.size()
    }

    fn window_size(&mut self) -> Result<WindowSize, Self::Error> {
        self.inner.window_size()
    }

    fn flush(&mut self) -> Result<(), Self::Error> {
        self.inner.flush()
    }
}

pub type Console = ratatui::Terminal<Quiet<CrosstermBackend<io::Stdout>>>;

/// Puts the terminal back as it was. Safe to call more than once and on a
/// terminal that is gone (errors are ignored: there is nobody to tell).
pub fn restore() {
    let _ = terminal::disable_raw_mode();
    let mut out = io::stdout();
    let _ = execute!(out, terminal::LeaveAlternateScreen, cursor::Show);
    let _ = out.flush();
}

/// Restores the terminal when dropped, whichever way the console ends.
#[derive(Debug)]
pub struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

pub fn init() -> io::Result<(Console, Guard)> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        tracing::error!("panic: {info}");
        previous(info);
    }));
    terminal::enable_raw_mode()?;
    let guard = Guard;
    execute!(io::stdout(), terminal::EnterAlternateScreen, cursor::Hide)?;
    let console = ratatui::Terminal::new(Quiet::new(CrosstermBackend::new(io::stdout())))?;
    Ok((console, guard))
}

/// Copies text to the operator's clipboard with OSC 52, which terminals
/// honour over SSH: the text travels in the terminal stream itself.
pub fn osc52(text: &str) -> String {
    format!("\x1b]52;c;{}\x07", base64(text.as_bytes()))
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::backend::TestBackend;

    #[test]
    fn base64_matches_the_standard_alphabet_and_padding() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64("firebase é".as_bytes()), "ZmlyZWJhc2Ugw6k=");
        assert_eq!(osc52("ls"), "\x1b]52;c;bHM=\x07");
    }

    #[test]
    fn quiet_backend_skips_repeated_cursor_changes() {
        let mut quiet = Quiet::new(TestBackend::new(4, 2));
        quiet.hide_cursor().unwrap();
        assert_eq!(quiet.cursor_visible, Some(false));
        quiet.set_cursor_position(Position::new(1, 1)).unwrap();
        quiet.set_cursor_position(Position::new(1, 1)).unwrap();
        assert_eq!(quiet.cursor_at, Some(Position::new(1, 1)));
        quiet.draw(std::iter::empty()).unwrap();
        assert_eq!(
            quiet.cursor_at,
            Some(Position::new(1, 1)),
            "an empty draw moves nothing"
        );
    }
}
