//! URLs as OSC 8 hyperlinks, where the terminal supports them: after a
//! widget is drawn, the cells that show a URL are rewritten in pairs, each
//! pair's symbol wrapped in the link and its second cell skipped, so the
//! layout ratatui computed stays as it was.

use std::num::NonZeroU16;

use ratatui::buffer::{Buffer, CellDiffOption};
use ratatui::layout::Rect;

/// Whether `url` may go into an escape sequence: printable ASCII only, so
/// nothing from a site file can end the sequence early or add its own.
fn safe(url: &str) -> bool {
    !url.is_empty() && url.bytes().all(|b| (0x21..=0x7e).contains(&b))
}

/// Makes every run of cells in `area` that shows `url` (or the start of it,
/// when the column cut it) a link to the whole `url`.
pub fn link(buffer: &mut Buffer, area: Rect, url: &str) {
    // The scheme and host at least, so a stray "h" is never a link.
    const SHORTEST: usize = 10;
    if !safe(url) || url.len() < SHORTEST {
        return;
    }
    let area = area.intersection(buffer.area);
    for y in area.top()..area.bottom() {
        let row: Vec<String> = (area.left()..area.right())
            .map(|x| buffer[(x, y)].symbol().to_owned())
            .collect();
        let mut x = 0;
        while x < row.len() {
            let shown = row[x..]
                .iter()
                .zip(url.chars())
                .take_while(|(cell, c)| cell.chars().eq(std::iter::once(*c)))
                .count();
            if shown < SHORTEST {
                x += 1;
                continue;
            }
            wrap(buffer, area.left() + to_u16(x), y, shown, url);
            x += shown;
        }
    }
}

fn to_u16(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

fn wrap(buffer: &mut Buffer, left: u16, y: u16, width: usize, url: &str) {
    let cells: Vec<String> = (0..width)
        .map(|i| buffer[(left + to_u16(i), y)].symbol().to_owned())
        .collect();
    for (pair, chunk) in cells.chunks(2).enumerate() {
        let x = left + to_u16(pair * 2);
        let text: String = chunk.concat();
        // The escapes take no room on screen: the cell is as wide as its
        // text, and the next one, which that text covers, is not drawn.
        let width = NonZeroU16::new(to_u16(chunk.len())).unwrap_or(NonZeroU16::MIN);
        buffer[(x, y)]
            .set_symbol(&format!("\x1b]8;;{url}\x1b\\{text}\x1b]8;;\x1b\\"))
            .set_diff_option(CellDiffOption::ForcedWidth(width));
        if chunk.len() == 2 {
            buffer[(x + 1, y)].set_diff_option(CellDiffOption::Skip);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(buffer: &Buffer, y: u16) -> Vec<String> {
        (0..buffer.area.width)
            .map(|x| buffer[(x, y)].symbol().to_owned())
            .collect()
    }

    #[test]
    fn the_cells_of_a_url_become_a_link_and_nothing_else_does() {
        let url = "https://sentry.example.org/x";
        let mut buffer = Buffer::empty(Rect::new(0, 0, 40, 2));
        buffer.set_string(
            0,
            0,
            format!("Sentry {url}"),
            ratatui::style::Style::default(),
        );
        buffer.set_string(
            0,
            1,
            "https://other.example",
            ratatui::style::Style::default(),
        );
        let area = buffer.area;
        link(&mut buffer, area, url);
        let first = row(&buffer, 0);
        assert_eq!(first[0], "S", "text before the URL is left alone");
        assert_eq!(first[7], format!("\x1b]8;;{url}\x1b\\ht\x1b]8;;\x1b\\"));
        assert_eq!(
            buffer[(8, 0)].diff_option,
            CellDiffOption::Skip,
            "the second cell of a pair is skipped"
        );
        // The other URL shares only "https://" with it: too short to link.
        assert!(row(&buffer, 1).iter().all(|s| !s.contains('\x1b')));
    }

    #[test]
    fn a_url_with_control_characters_is_never_linked() {
        let url = "https://evil.example/\x1b]0;pwned\x07";
        let mut buffer = Buffer::empty(Rect::new(0, 0, 60, 1));
        buffer.set_string(
            0,
            0,
            "https://evil.example/",
            ratatui::style::Style::default(),
        );
        let area = buffer.area;
        link(&mut buffer, area, url);
        assert!(row(&buffer, 0).iter().all(|s| !s.contains('\x1b')));
    }
}
