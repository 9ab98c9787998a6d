//! Text in the operator's language.
//!
//! A text field in a checklist is either a plain string (one language) or a
//! table of languages, `{ fr = "…", en = "…" }`. The bundled files carry the
//! runbook's own French and an English translation.

use serde::Serialize;
use serde::ser::SerializeMap;

/// The language tag used for a plain-string text.
pub const UNTAGGED: &str = "und";
/// The language shown when the requested one is missing.
pub const FALLBACK: &str = "en";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    /// (language, text), in the order the file gave them.
    variants: Vec<(String, String)>,
}

impl Text {
    pub fn plain(text: impl Into<String>) -> Self {
        Text {
            variants: vec![(UNTAGGED.to_owned(), text.into())],
        }
    }

    /// Builds a text from language variants; `None` when there are none.
    pub fn from_variants(variants: Vec<(String, String)>) -> Option<Self> {
        (!variants.is_empty()).then_some(Text { variants })
    }

    /// The text in `lang`, else English, else the first given.
    pub fn get(&self, lang: &str) -> &str {
        let find = |wanted: &str| {
            self.variants
                .iter()
                .find(|(tag, _)| tag == wanted)
                .map(|(_, text)| text.as_str())
        };
        find(lang)
            .or_else(|| find(FALLBACK))
            .or_else(|| self.variants.first().map(|(_, text)| text.as_str()))
            .unwrap_or_default()
    }

    /// Changes every language's text the same way.
    pub fn map(&mut self, mut change: impl FnMut(&str) -> String) {
        for (_, text) in &mut self.variants {
            *text = change(text);
        }
    }

    pub fn languages(&self) -> impl Iterator<Item = &str> {
        self.variants.iter().map(|(tag, _)| tag.as_str())
    }

    pub fn variants(&self) -> impl Iterator<Item = (&str, &str)> {
        self.variants
            .iter()
            .map(|(tag, text)| (tag.as_str(), text.as_str()))
    }
}

impl Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.variants.len()))?;
        for (tag, text) in &self.variants {
            map.serialize_entry(tag, text)?;
        }
        map.end()
    }
}

/// Read back as written: the languages keep their order, so a pinned
/// procedure serialises to the very bytes that were hashed.
impl<'de> serde::Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Variants;
        impl<'de> serde::de::Visitor<'de> for Variants {
            type Value = Text;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a table of languages and their text")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
                let mut variants = Vec::new();
                while let Some(entry) = map.next_entry::<String, String>()? {
                    variants.push(entry);
                }
                Text::from_variants(variants)
                    .ok_or_else(|| serde::de::Error::custom("a text in no language"))
            }
        }
        deserializer.deserialize_map(Variants)
    }
}

/// The language to show: the flag if given, else the locale variables in
/// POSIX order of precedence, else English. `fr_FR.UTF-8` gives `fr`.
pub fn choose_language(flag: Option<&str>, env: impl Fn(&str) -> Option<String>) -> String {
    let from_locale = || {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|name| env(name))
            .find(|value| !value.is_empty())
    };
    let raw = flag
        .map(str::to_owned)
        .or_else(from_locale)
        .unwrap_or_default();
    let tag: String = raw
        .chars()
        .take_while(char::is_ascii_alphabetic)
        .collect::<String>()
        .to_ascii_lowercase();
    if tag.is_empty() || tag == "c" || tag == "posix" {
        FALLBACK.to_owned()
    } else {
        tag
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bilingual() -> Text {
        Text::from_variants(vec![
            ("fr".into(), "Isoler".into()),
            ("en".into(), "Isolate".into()),
        ])
        .unwrap()
    }

    #[test]
    fn picks_requested_then_english_then_first() {
        assert_eq!(bilingual().get("fr"), "Isoler");
        assert_eq!(bilingual().get("de"), "Isolate");
        let only_fr = Text::from_variants(vec![("fr".into(), "Isoler".into())]).unwrap();
        assert_eq!(only_fr.get("de"), "Isoler");
        assert_eq!(Text::plain("x").get("fr"), "x");
    }

    #[test]
    fn language_comes_from_flag_then_locale() {
        let env = |name: &str| match name {
            "LANG" => Some("fr_FR.UTF-8".to_owned()),
            _ => None,
        };
        assert_eq!(choose_language(None, env), "fr");
        assert_eq!(choose_language(Some("EN"), env), "en");
        assert_eq!(choose_language(None, |_| Some("C.UTF-8".to_owned())), "en");
        assert_eq!(choose_language(None, |_| None), "en");
        let all = |name: &str| (name == "LC_ALL").then(|| "de_DE".to_owned());
        assert_eq!(choose_language(None, all), "de");
    }
}
