//! JSON for a terminal or a pipe: the exact text, with every character that
//! could act on a terminal written as a `\uXXXX` escape. `serde_json` already
//! escapes C0 controls; DEL, C1 controls and bidirectional overrides it
//! writes raw, and a JSON document printed to a terminal must not reorder or
//! clear it.

use std::io;

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter, PrettyFormatter};

struct Escaping<F>(F);

impl<F: Formatter> Formatter for Escaping<F> {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (at, c) in fragment.char_indices() {
            if super::inert::acts(c, false) {
                writer.write_all(&fragment.as_bytes()[start..at])?;
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    write!(writer, "\\u{unit:04x}")?;
                }
                start = at + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }

    // Indentation and separators come from the wrapped formatter.
    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

fn write<W: io::Write, F: Formatter>(
    out: W,
    formatter: F,
    value: &impl Serialize,
) -> io::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(out, Escaping(formatter));
    value.serialize(&mut serializer).map_err(io::Error::other)
}

/// Indented JSON, inert on a terminal.
pub fn pretty(out: impl io::Write, value: &impl Serialize) -> io::Result<()> {
    write(out, PrettyFormatter::new(), value)
}

/// JSON on one line (JSON Lines), inert on a terminal.
pub fn line(out: impl io::Write, value: &impl Serialize) -> io::Result<()> {
    write(out, CompactFormatter, value)
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_round_trip_to_the_exact_text() {
        let text = "a\u{1b}[2J\u{7f}\u{9b}\u{202e}é😀\n";
        let mut out = Vec::new();
        super::line(&mut out, &text).unwrap();
        let written = String::from_utf8(out).unwrap();
        assert_eq!(written, r#""a\u001b[2J\u007f\u009b\u202eé😀\n""#);
        let back: String = serde_json::from_str(&written).unwrap();
        assert_eq!(back, text);
    }
}
