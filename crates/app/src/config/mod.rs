//! The operator's settings: `~/.config/runbook/config.toml`, overridden by
//! environment variables, overridden by flags. `runbook config` prints the
//! effective value of each and where it came from.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

mod journal;
pub use journal::JournalSettings;

/// The file as written. Unknown keys are refused, with their place.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct File {
    pub theme: Option<String>,
    pub journal: Option<PathBuf>,
    pub catalog: Option<Vec<PathBuf>>,
    /// Site files or folders applied over the catalog.
    pub site: Option<Vec<PathBuf>>,
    pub language: Option<String>,
    /// Draw with ASCII only, for terminals without Unicode glyphs.
    pub ascii: Option<bool>,
    /// URLs as clickable OSC 8 links (default: when the terminal says it
    /// supports them).
    pub links: Option<bool>,
    /// Roles held by operators, beyond the catalog's `holders`.
    #[serde(default)]
    pub roles: BTreeMap<String, Vec<String>>,
    /// Whether a runnable step's command may run on this machine.
    pub exec: Option<bool>,
    /// Environment variables whose values are masked in everything a
    /// command's run stores and shows.
    #[serde(default)]
    pub redact: Vec<String>,
    /// Key remapping: action name → key, e.g. `complete = "x"`.
    #[serde(default)]
    pub keys: BTreeMap<String, String>,
    /// A private key file that signs this operator's entries, when the SSH
    /// agent does not hold the key (`~/` is the home folder).
    pub signing_key: Option<PathBuf>,
    /// When the team started using runbook: recurring duties owe nothing
    /// for periods before it (a schedule's own `since` wins).
    #[serde(default, deserialize_with = "since")]
    pub duties_since: Option<crate::catalog::schedule::Since>,
}

/// `duties_since = 2026-12-07` (a TOML date) or `"2026-12-07"`, or an
/// instant with its offset.
fn since<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<crate::catalog::schedule::Since>, D::Error> {
    let text = match toml::Value::deserialize(deserializer)? {
        toml::Value::String(text) => text,
        toml::Value::Datetime(at) => at.to_string(),
        other => {
            return Err(serde::de::Error::custom(format!(
                "duties_since: expected a date such as 2026-12-07, found {}",
                other.type_str()
            )));
        }
    };
    text.parse()
        .map(Some)
        .map_err(|why| serde::de::Error::custom(format!("duties_since: {why}")))
}

/// Where a setting's value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Default,
    File,
    Env(&'static str),
    Flag,
}

impl Origin {
    /// Where a setting came from, in the operator's words.
    pub fn text(&self, words: &crate::text::Words) -> String {
        let w = words.commands;
        match self {
            Origin::Default => w.o_default.to_owned(),
            Origin::File => w.o_file.to_owned(),
            Origin::Env(name) => (w.o_env)(name),
            Origin::Flag => w.o_flag.to_owned(),
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Default => write!(f, "default"),
            Origin::File => write!(f, "config file"),
            Origin::Env(name) => write!(f, "environment ({name})"),
            Origin::Flag => write!(f, "command line"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting<T> {
    pub value: T,
    pub origin: Origin,
}

fn pick<T>(
    flag: Option<T>,
    env: Option<(T, &'static str)>,
    file: Option<T>,
    default: T,
) -> Setting<T> {
    if let Some(value) = flag {
        return Setting {
            value,
            origin: Origin::Flag,
        };
    }
    if let Some((value, name)) = env {
        return Setting {
            value,
            origin: Origin::Env(name),
        };
    }
    if let Some(value) = file {
        return Setting {
            value,
            origin: Origin::File,
        };
    }
    Setting {
        value: default,
        origin: Origin::Default,
    }
}

/// The config file's path: `$XDG_CONFIG_HOME/runbook/config.toml`, else
/// `~/.config/runbook/config.toml`.
pub fn path(env: &impl Fn(&str) -> Option<String>) -> Option<PathBuf> {
    crate::catalog::source::config_dir(env).map(|d| d.join("config.toml"))
}

/// Reads the config file; a missing file is an empty one, a broken file is
/// an error that says where.
pub fn read(path: &Path) -> Result<File, String> {
    match std::fs::read_to_string(path) {
        Ok(text) => toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(File::default()),
        Err(e) => Err(format!("cannot read {}: {e}", path.display())),
    }
}

/// The theme, the language and the ASCII choice, each with its origin.
#[derive(Debug, Clone)]
pub struct Display {
    pub theme: Setting<String>,
    pub ascii: Setting<bool>,
    pub links: Setting<bool>,
    /// `NO_COLOR` set: no colour whatever the theme.
    pub no_color: bool,
}

pub fn display(
    flag_theme: Option<&str>,
    file: &File,
    env: &impl Fn(&str) -> Option<String>,
) -> Display {
    let theme_env = env("RUNBOOK_THEME")
        .filter(|t| !t.is_empty())
        .map(|t| (t, "RUNBOOK_THEME"));
    let ascii_env = env("RUNBOOK_ASCII")
        .filter(|v| !v.is_empty())
        .map(|v| (v != "0", "RUNBOOK_ASCII"));
    let links_env = env("RUNBOOK_LINKS")
        .filter(|v| !v.is_empty())
        .map(|v| (v != "0", "RUNBOOK_LINKS"));
    Display {
        links: pick(None, links_env, file.links, terminal_links(env)),
        theme: pick(
            flag_theme.map(str::to_owned),
            theme_env,
            file.theme.clone(),
            "dark".to_owned(),
        ),
        ascii: pick(None, ascii_env, file.ascii, locale_lacks_utf8(env)),
        no_color: env("NO_COLOR").is_some_and(|v| !v.is_empty()),
    }
}

/// Whether the terminal says it shows OSC 8 links. Those that do not
/// mostly ignore them, but some print them, and tmux and screen need their
/// own settings: so only terminals known to support them, outside a
/// multiplexer; `links = true` or `RUNBOOK_LINKS=1` for the rest.
fn terminal_links(env: &impl Fn(&str) -> Option<String>) -> bool {
    let set = |name: &str| env(name).is_some_and(|v| !v.is_empty());
    if set("TMUX") || set("STY") {
        return false;
    }
    let program = env("TERM_PROGRAM").unwrap_or_default();
    let term = env("TERM").unwrap_or_default();
    ["iTerm.app", "WezTerm", "vscode", "ghostty", "Hyper"].contains(&program.as_str())
        || [
            "xterm-kitty",
            "alacritty",
            "foot",
            "wezterm",
            "xterm-ghostty",
        ]
        .contains(&term.as_str())
        || set("KITTY_WINDOW_ID")
        || set("WT_SESSION")
        || env("VTE_VERSION")
            .and_then(|v| v.parse::<u32>().ok())
            .is_some_and(|v| v >= 5000)
}

/// Without a UTF-8 locale, box-drawing glyphs turn into garbage: draw ASCII.
fn locale_lacks_utf8(env: &impl Fn(&str) -> Option<String>) -> bool {
    let locale = ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .find_map(|name| env(name).filter(|v| !v.is_empty()))
        .unwrap_or_default()
        .to_ascii_lowercase();
    !(locale.contains("utf-8") || locale.contains("utf8") || locale.is_empty() || locale == "c")
        || env("TERM").is_some_and(|t| t == "linux" || t == "vt100" || t == "vt220")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_beat_environment_beat_file_beat_defaults() {
        let file = File {
            theme: Some("light".into()),
            ..File::default()
        };
        let none = |_: &str| None;
        assert_eq!(display(None, &file, &none).theme.value, "light");
        assert_eq!(display(None, &file, &none).theme.origin, Origin::File);
        let env = |n: &str| (n == "RUNBOOK_THEME").then(|| "mono".to_owned());
        assert_eq!(
            display(None, &file, &env).theme.origin,
            Origin::Env("RUNBOOK_THEME")
        );
        let flagged = display(Some("high-contrast"), &file, &env);
        assert_eq!(
            (flagged.theme.value.as_str(), flagged.theme.origin),
            ("high-contrast", Origin::Flag)
        );
        assert_eq!(display(None, &File::default(), &none).theme.value, "dark");
    }

    #[test]
    fn a_broken_file_says_where() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "theme = \"dark\"\nthem = 1\n").unwrap();
        let err = read(&path).unwrap_err();
        assert!(
            err.contains("config.toml") && err.contains("line 2"),
            "{err}"
        );
        assert!(err.contains("unknown field `them`"), "{err}");
        assert!(
            read(&dir.path().join("missing.toml"))
                .unwrap()
                .roles
                .is_empty()
        );
    }

    #[test]
    fn ascii_follows_the_locale_and_no_color_is_respected() {
        let latin = |n: &str| (n == "LANG").then(|| "fr_FR.ISO-8859-1".to_owned());
        assert!(display(None, &File::default(), &latin).ascii.value);
        let utf8 = |n: &str| match n {
            "LANG" => Some("fr_FR.UTF-8".to_owned()),
            "NO_COLOR" => Some("1".to_owned()),
            _ => None,
        };
        let shown = display(None, &File::default(), &utf8);
        assert!(!shown.ascii.value);
        assert!(shown.no_color);
    }
}
