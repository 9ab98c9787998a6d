//! Keys to actions: a table, not a chain of ifs. Defaults avoid Ctrl-B and
//! Ctrl-A (the tmux and screen prefixes); the config's `[keys]` table
//! remaps any action.

use std::collections::{BTreeMap, HashMap};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;

/// A key as written in the config: `enter`, `space`, `x`, `ctrl-c`, `f1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

impl Key {
    pub fn parse(text: &str) -> Result<Key, String> {
        let lower = text.trim().to_ascii_lowercase();
        let (ctrl, name) = match lower.strip_prefix("ctrl-") {
            Some(rest) => (true, rest.to_owned()),
            None => (false, lower.clone()),
        };
        let code = match name.as_str() {
            "enter" => KeyCode::Enter,
            "space" => KeyCode::Char(' '),
            "esc" | "escape" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backspace" => KeyCode::Backspace,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pageup" => KeyCode::PageUp,
            "pagedown" => KeyCode::PageDown,
            f if f.starts_with('f') && f.len() > 1 => KeyCode::F(
                f[1..]
                    .parse()
                    .map_err(|_| format!("`{text}` is not a key"))?,
            ),
            _ => {
                // Keep the case the operator wrote: `G` is not `g`.
                let original = text.trim();
                let original = original.strip_prefix("ctrl-").unwrap_or(original);
                let mut chars = original.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => KeyCode::Char(c),
                    _ => {
                        return Err(format!(
                            "`{text}` is not a key (e.g. `x`, `enter`, `ctrl-d`, `f1`)"
                        ));
                    }
                }
            }
        };
        Ok(Key { code, ctrl })
    }

    pub fn from_event(event: KeyEvent) -> Key {
        Key {
            code: event.code,
            ctrl: event.modifiers.contains(KeyModifiers::CONTROL),
        }
    }

    pub fn label(self) -> String {
        let name = match self.code {
            KeyCode::Enter => "Enter".to_owned(),
            KeyCode::Char(' ') => "Space".to_owned(),
            KeyCode::Esc => "Esc".to_owned(),
            KeyCode::Up => "↑".to_owned(),
            KeyCode::Down => "↓".to_owned(),
            KeyCode::PageUp => "PgUp".to_owned(),
            KeyCode::PageDown => "PgDn".to_owned(),
            KeyCode::Home => "Home".to_owned(),
            KeyCode::End => "End".to_owned(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        };
        if self.ctrl {
            format!("Ctrl-{name}")
        } else {
            name
        }
    }
}

const DEFAULTS: &[(&str, Action)] = &[
    ("up", Action::Up),
    ("k", Action::Up),
    ("down", Action::Down),
    ("j", Action::Down),
    ("g", Action::Top),
    ("home", Action::Top),
    ("G", Action::Bottom),
    ("end", Action::Bottom),
    ("pageup", Action::PageUp),
    ("pagedown", Action::PageDown),
    ("enter", Action::Open),
    ("space", Action::Complete),
    ("s", Action::Skip),
    ("f", Action::Fail),
    ("O", Action::Override),
    ("n", Action::Note),
    ("u", Action::Reopen),
    ("c", Action::Claim),
    ("/", Action::Search),
    ("?", Action::Help),
    (":", Action::Palette),
    ("y", Action::Copy),
    ("x", Action::Exec),
    ("o", Action::Output),
    ("F", Action::Followup),
    ("U", Action::StatusUpdate),
    ("r", Action::Reference),
    ("W", Action::Warnings),
    ("q", Action::Leave),
    ("ctrl-c", Action::Interrupt),
    ("esc", Action::Cancel),
    ("+", Action::Jump),
];

#[derive(Debug, Clone)]
pub struct Keymap {
    keys: HashMap<Key, Action>,
}

impl Keymap {
    /// The defaults, with `overrides` (action name → key) from the config.
    pub fn new(overrides: &BTreeMap<String, String>) -> Result<Keymap, String> {
        let mut keys = HashMap::new();
        for (key, action) in DEFAULTS {
            keys.insert(Key::parse(key)?, *action);
        }
        for (name, key) in overrides {
            let action = Action::from_name(name).ok_or_else(|| {
                let names: Vec<&str> = Action::ALL.iter().map(|a| a.name()).collect();
                format!(
                    "[keys]: no action `{name}`; actions are {}",
                    names.join(", ")
                )
            })?;
            let key = Key::parse(key).map_err(|e| format!("[keys] {name}: {e}"))?;
            // The remapped action leaves its default letter keys.
            keys.retain(|k, a| *a != action || !matches!(k.code, KeyCode::Char(_)));
            keys.insert(key, action);
        }
        Ok(Keymap { keys })
    }

    pub fn resolve(&self, event: KeyEvent) -> Option<Action> {
        let key = Key::from_event(event);
        self.keys.get(&key).copied().or_else(|| {
            // Shifted letters arrive as uppercase chars with SHIFT set.
            let plain = Key {
                code: key.code,
                ctrl: false,
            };
            if key.ctrl {
                None
            } else {
                self.keys.get(&plain).copied()
            }
        })
    }

    /// The keys bound to an action, for help and palette.
    /// The keys bound to `action`, named in the operator's language.
    pub fn keys_in(&self, action: Action, words: &crate::text::Words) -> Vec<String> {
        self.keys_of(action)
            .into_iter()
            .map(|key| crate::text::words::console::key_name(words, &key))
            .collect()
    }

    pub fn keys_of(&self, action: Action) -> Vec<String> {
        let mut keys: Vec<Key> = self
            .keys
            .iter()
            .filter(|(_, a)| **a == action)
            .map(|(k, _)| *k)
            .collect();
        // Named keys (Enter, arrows) before letters, for a stable display.
        keys.sort_by_key(|k| (matches!(k.code, KeyCode::Char(_)), k.ctrl, k.label()));
        keys.into_iter().map(Key::label).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn defaults_resolve_and_leave_multiplexer_prefixes_free() {
        let map = Keymap::new(&BTreeMap::new()).unwrap();
        assert_eq!(map.resolve(key(KeyCode::Char('j'))), Some(Action::Down));
        assert_eq!(map.resolve(key(KeyCode::Char('G'))), Some(Action::Bottom));
        assert_eq!(map.resolve(key(KeyCode::Char(' '))), Some(Action::Complete));
        let ctrl = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL);
        assert_eq!(map.resolve(ctrl('c')), Some(Action::Interrupt));
        assert_eq!(map.resolve(ctrl('b')), None, "tmux's prefix");
        assert_eq!(map.resolve(ctrl('a')), None, "screen's prefix");
    }

    #[test]
    fn the_config_remaps_and_refuses_nonsense() {
        let mut overrides = BTreeMap::new();
        overrides.insert("complete".to_owned(), "x".to_owned());
        let map = Keymap::new(&overrides).unwrap();
        assert_eq!(map.resolve(key(KeyCode::Char('x'))), Some(Action::Complete));
        assert_eq!(map.resolve(key(KeyCode::Char(' '))), None);
        overrides.insert("teleport".to_owned(), "t".to_owned());
        assert!(
            Keymap::new(&overrides)
                .unwrap_err()
                .contains("no action `teleport`")
        );
        let bad: BTreeMap<String, String> = [("skip".to_owned(), "shift-meta-q".to_owned())].into();
        assert!(Keymap::new(&bad).unwrap_err().contains("is not a key"));
    }
}
