//! Colour themes from `themes/*.toml` (compiled in), `NO_COLOR`, and the
//! glyphs to draw with: Unicode, or ASCII for terminals without it. State
//! is never shown by colour alone: every state has a symbol and a word.

use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

pub const BUNDLED: &[(&str, &str)] = &[
    ("dark", include_str!("../../../themes/dark.toml")),
    ("light", include_str!("../../../themes/light.toml")),
    (
        "high-contrast",
        include_str!("../../../themes/high-contrast.toml"),
    ),
    ("mono", include_str!("../../../themes/mono.toml")),
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    name: String,
    text: String,
    muted: String,
    accent: String,
    border: String,
    selected_fg: String,
    selected_bg: String,
    ok: String,
    warning: String,
    danger: String,
    drill: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    pub name: String,
    pub text: Style,
    pub muted: Style,
    pub accent: Style,
    pub border: Style,
    pub selected: Style,
    pub ok: Style,
    pub warning: Style,
    pub danger: Style,
    /// A drill's (or a replay's) badge; its frames take the colour.
    pub drill: Style,
    /// The word written in every frame: `DRILL`, `REPLAY`.
    pub badge: Option<&'static str>,
    pub glyphs: Glyphs,
    /// URLs are OSC 8 hyperlinks (the terminal says it supports them).
    pub links: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Glyphs {
    pub todo: &'static str,
    pub done: &'static str,
    pub skipped: &'static str,
    pub failed: &'static str,
    pub awaiting: &'static str,
    pub gated: &'static str,
    pub role: &'static str,
    pub claimed: &'static str,
    pub clock: &'static str,
    pub pointer: &'static str,
    pub bar_full: &'static str,
    pub bar_empty: &'static str,
    pub separator: &'static str,
    pub unicode_borders: bool,
}

pub const UNICODE: Glyphs = Glyphs {
    todo: "○",
    done: "✔",
    skipped: "↷",
    failed: "✘",
    awaiting: "◐",
    gated: "⧗",
    role: "⚑",
    claimed: "◆",
    clock: "⏱",
    pointer: "›",
    bar_full: "█",
    bar_empty: "░",
    separator: "·",
    unicode_borders: true,
};

pub const ASCII: Glyphs = Glyphs {
    todo: "[ ]",
    done: "[x]",
    skipped: "[-]",
    failed: "[!]",
    awaiting: "[~]",
    gated: "[#]",
    role: "[R]",
    claimed: "[*]",
    clock: "@",
    pointer: ">",
    bar_full: "#",
    bar_empty: ".",
    separator: "|",
    unicode_borders: false,
};

fn color(name: &str, field: &str, theme: &str) -> Result<Color, String> {
    Color::from_str(name).map_err(|_| {
        format!("theme `{theme}`: `{field} = \"{name}\"` is not a colour (a name such as `cyan`, `reset`, or `#rrggbb`)")
    })
}

impl Theme {
    /// A bundled theme by name; `no_color` strips every colour and keeps
    /// weight and symbols.
    pub fn load(name: &str, no_color: bool, ascii: bool) -> Result<Theme, String> {
        let Some((_, text)) = BUNDLED.iter().find(|(n, _)| *n == name) else {
            let names: Vec<&str> = BUNDLED.iter().map(|(n, _)| *n).collect();
            return Err(format!(
                "no theme `{name}`: choose one of {}",
                names.join(", ")
            ));
        };
        Theme::parse(text, no_color, ascii)
    }

    /// The same theme, with URLs as hyperlinks or not.
    #[must_use]
    pub fn with_links(mut self, links: bool) -> Self {
        self.links = links;
        self
    }

    /// The same theme for a drill or a replay: `word` in every frame, the
    /// frames in the drill colour.
    #[must_use]
    pub fn badged(mut self, word: &'static str) -> Self {
        self.border = self.drill.remove_modifier(Modifier::REVERSED);
        self.badge = Some(word);
        self
    }

    pub fn parse(text: &str, no_color: bool, ascii: bool) -> Result<Theme, String> {
        let file: File = toml::from_str(text).map_err(|e| format!("theme: {e}"))?;
        let name = file.name.clone();
        let fg = |value: &str, field: &str| -> Result<Style, String> {
            if no_color {
                return Ok(Style::default());
            }
            Ok(Style::default().fg(color(value, field, &name)?))
        };
        let selected = if no_color || file.selected_bg == "reset" {
            Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        } else {
            Style::default()
                .fg(color(&file.selected_fg, "selected_fg", &name)?)
                .bg(color(&file.selected_bg, "selected_bg", &name)?)
                .add_modifier(Modifier::BOLD)
        };
        Ok(Theme {
            text: fg(&file.text, "text")?,
            muted: fg(&file.muted, "muted")?.add_modifier(if no_color || file.muted == "reset" {
                Modifier::DIM
            } else {
                Modifier::empty()
            }),
            accent: fg(&file.accent, "accent")?.add_modifier(Modifier::BOLD),
            border: fg(&file.border, "border")?,
            selected,
            ok: fg(&file.ok, "ok")?,
            warning: fg(&file.warning, "warning")?.add_modifier(Modifier::BOLD),
            danger: fg(&file.danger, "danger")?.add_modifier(Modifier::BOLD),
            drill: fg(&file.drill, "drill")?.add_modifier(Modifier::BOLD | Modifier::REVERSED),
            badge: None,
            glyphs: if ascii { ASCII } else { UNICODE },
            links: false,
            name,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_theme_loads_and_no_color_strips_colours() {
        for (name, _) in BUNDLED {
            let theme = Theme::load(name, false, false).unwrap();
            assert_eq!(&theme.name, name);
            let plain = Theme::load(name, true, true).unwrap();
            for style in [
                plain.text,
                plain.accent,
                plain.ok,
                plain.warning,
                plain.danger,
                plain.selected,
            ] {
                assert_eq!(style.fg, None, "{name}");
                assert_eq!(style.bg, None, "{name}");
            }
            assert_eq!(plain.glyphs, ASCII);
        }
        assert!(
            Theme::load("neon", false, false)
                .unwrap_err()
                .contains("dark, light, high-contrast, mono")
        );
    }

    #[test]
    fn a_bad_colour_is_named() {
        let text = BUNDLED[0]
            .1
            .replace("accent = \"cyan\"", "accent = \"cyanish\"");
        let err = Theme::parse(&text, false, false).unwrap_err();
        assert!(err.contains("accent = \"cyanish\""), "{err}");
    }
}
