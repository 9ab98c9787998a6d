//! Making outside text inert: notes, names, checklist text, command output
//! and HTTP answers may hold escape sequences that would clear a reader's
//! screen, write to their clipboard, or erase the lines above in an audit
//! listing. Control characters (C0, DEL, C1) are shown as visible ASCII
//! escapes (`\e`, `\n`, `\x07`, `\u{9b}`) and bidirectional overrides as
//! `\u{202e}`, so what was written is still readable and nothing acts.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io;

/// Bidirectional controls that reorder what follows them on screen (the
/// "Trojan Source" characters): embeddings, overrides, isolates and marks.
fn is_bidi(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
}

/// Whether `c` must not reach a terminal as it is.
pub(super) fn acts(c: char, keep_lines: bool) -> bool {
    match c {
        '\n' | '\t' => !keep_lines,
        c => c.is_control() || is_bidi(c),
    }
}

fn escape(c: char, out: &mut String) {
    match c {
        '\u{1b}' => out.push_str("\\e"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if u32::from(c) < 0x80 => {
            let _ = write!(out, "\\x{:02x}", u32::from(c));
        }
        c => {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
    }
}

fn make_inert(text: &str, keep_lines: bool) -> Cow<'_, str> {
    let Some(first) = text.find(|c| acts(c, keep_lines)) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 8);
    out.push_str(&text[..first]);
    for c in text[first..].chars() {
        if acts(c, keep_lines) {
            escape(c, &mut out);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// One line of outside text, safe to print: newlines and tabs are shown
/// too, so a note cannot fake a line of its own in a listing.
pub fn inert(text: &str) -> Cow<'_, str> {
    make_inert(text, false)
}

/// Outside text of several lines: newlines and tabs are kept, every other
/// control character is shown.
pub fn inert_lines(text: &str) -> Cow<'_, str> {
    make_inert(text, true)
}

/// Outside text in a Markdown cell or paragraph: inert, and every character
/// Markdown would interpret (emphasis, code, links, tables, headings, HTML)
/// escaped with a backslash, which `CommonMark` allows before any ASCII
/// punctuation.
pub fn markdown(text: &str) -> String {
    let inert = inert(text);
    let mut out = String::with_capacity(inert.len() + 8);
    for c in inert.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' | '!' | '&'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A writer that makes everything written through it inert, keeping lines:
/// the command line's last line of defence, behind the field-level `inert`.
/// A UTF-8 sequence cut between two writes is held until it is whole; bytes
/// that are not UTF-8 are shown as `\xNN`.
#[derive(Debug)]
pub struct Inert<W: io::Write> {
    inner: W,
    pending: Vec<u8>,
}

impl<W: io::Write> Inert<W> {
    pub fn new(inner: W) -> Self {
        Inert {
            inner,
            pending: Vec::new(),
        }
    }

    pub fn into_inner(self) -> W {
        self.inner
    }

    fn pass(&mut self, text: &str) -> io::Result<()> {
        self.inner.write_all(inert_lines(text).as_bytes())
    }
}

impl<W: io::Write> io::Write for Inert<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        let mut bytes = std::mem::take(&mut self.pending);
        let mut at = 0;
        let result = loop {
            match std::str::from_utf8(&bytes[at..]) {
                Ok(text) => {
                    let done = self.pass(text);
                    at = bytes.len();
                    break done;
                }
                Err(e) => {
                    let valid = at + e.valid_up_to();
                    // Checked by from_utf8 just above.
                    let text = std::str::from_utf8(&bytes[at..valid]).unwrap_or_default();
                    if let Err(e) = self.pass(text) {
                        break Err(e);
                    }
                    at = valid;
                    match e.error_len() {
                        // Cut short: wait for the rest of the character.
                        None => break Ok(()),
                        Some(bad) => {
                            let mut shown = String::new();
                            for byte in &bytes[at..at + bad] {
                                let _ = write!(shown, "\\x{byte:02x}");
                            }
                            if let Err(e) = self.inner.write_all(shown.as_bytes()) {
                                break Err(e);
                            }
                            at += bad;
                        }
                    }
                }
            }
        };
        bytes.drain(..at);
        self.pending = bytes;
        result.map(|()| buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn control_characters_and_overrides_become_visible() {
        assert_eq!(inert("plain é"), "plain é");
        assert!(matches!(inert("plain"), Cow::Borrowed(_)));
        assert_eq!(inert("\u{1b}]52;c;aGk=\u{7}"), "\\e]52;c;aGk=\\x07");
        assert_eq!(inert("a\nb\tc\r"), "a\\nb\\tc\\r");
        assert_eq!(inert("\u{9b}2J\u{7f}"), "\\u{9b}2J\\x7f");
        assert_eq!(inert("abc\u{202e}fed\u{2066}"), "abc\\u{202e}fed\\u{2066}");
        assert_eq!(inert_lines("a\nb\tc\u{1b}[2J"), "a\nb\tc\\e[2J");
    }

    #[test]
    fn markdown_escapes_what_markdown_reads() {
        assert_eq!(markdown("# a | `b` *c*"), "\\# a \\| \\`b\\` \\*c\\*");
        assert_eq!(markdown("x\u{1b}[2J"), "x\\\\e\\[2J");
    }

    #[test]
    fn the_writer_holds_a_cut_character_and_shows_bad_bytes() {
        let mut out = Inert::new(Vec::new());
        let text = "é\u{1b}[1A\u{202e}";
        let bytes = text.as_bytes();
        for byte in bytes {
            out.write_all(&[*byte]).unwrap();
        }
        out.write_all(b"\xff\n").unwrap();
        let shown = String::from_utf8(out.into_inner()).unwrap();
        assert_eq!(shown, "é\\e[1A\\u{202e}\\xff\n");
    }

    proptest::proptest! {
        #[test]
        fn nothing_that_acts_survives(text in ".*") {
            let shown = inert(&text);
            proptest::prop_assert!(!shown.chars().any(|c| c.is_control() || is_bidi(c)));
            let mut out = Inert::new(Vec::new());
            out.write_all(text.as_bytes()).unwrap();
            let written = String::from_utf8(out.into_inner()).unwrap();
            proptest::prop_assert!(!written.chars().any(|c| acts(c, true)));
        }
    }
}
