//! Reading a parsed TOML tree into model values, reporting every mistake.
//!
//! A serde mirror would stop at the first error; an operator fixing a file
//! wants all of them at once. So each table is opened with the list of keys
//! it allows (an unknown one is reported with the nearest allowed key), and
//! each getter reports a missing key or a wrong type at its exact span,
//! then lets reading go on.

use std::ops::Range;
use std::str::FromStr;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::diagnostic::{Diagnostic, FileId, Origin};
use super::duration::Duration;
use super::text::Text;

/// Collects diagnostics for one file.
#[derive(Debug)]
pub struct Reader {
    pub file: FileId,
    pub diagnostics: Vec<Diagnostic>,
}

/// A table being read, with what it is called in messages.
#[derive(Debug, Clone, Copy)]
pub struct Table<'t, 'i> {
    pub entries: &'t DeTable<'i>,
    bounds: (usize, usize),
    pub what: &'static str,
}

pub type Value<'t, 'i> = &'t Spanned<DeValue<'i>>;

impl Reader {
    pub fn new(file: FileId) -> Self {
        Reader {
            file,
            diagnostics: Vec::new(),
        }
    }

    pub fn origin(&self, span: Range<usize>) -> Origin {
        Origin {
            file: self.file,
            span,
        }
    }

    pub fn error(&mut self, code: &'static str, span: Range<usize>, message: impl Into<String>) {
        let diagnostic = Diagnostic::error(code, self.origin(span), message);
        self.diagnostics.push(diagnostic);
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    pub fn error_help(
        &mut self,
        code: &'static str,
        span: Range<usize>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        let diagnostic = Diagnostic::error(code, self.origin(span), message).with_help(help);
        self.diagnostics.push(diagnostic);
    }

    /// Opens `value` as a table that may hold only `allowed` keys.
    pub fn table<'t, 'i>(
        &mut self,
        value: Value<'t, 'i>,
        what: &'static str,
        allowed: &[&str],
    ) -> Option<Table<'t, 'i>> {
        let Some(entries) = value.get_ref().as_table() else {
            self.wrong_type(value, &format!("a table ({what})"));
            return None;
        };
        let span = value.span();
        let table = Table {
            entries,
            bounds: (span.start, span.end),
            what,
        };
        self.reject_unknown(table, allowed);
        Some(table)
    }

    pub fn reject_unknown(&mut self, table: Table<'_, '_>, allowed: &[&str]) {
        for key in table.entries.keys() {
            if allowed.contains(&key.get_ref().as_ref()) {
                continue;
            }
            let message = format!("unknown key `{}` in {}", key.get_ref(), table.what);
            let help = match nearest(key.get_ref(), allowed) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("expected one of: {}", allowed.join(", ")),
            };
            self.error_help("unknown-key", key.span(), message, help);
        }
    }

    pub fn wrong_type(&mut self, value: Value<'_, '_>, expected: &str) {
        let found = value.get_ref().type_str();
        self.error(
            "wrong-type",
            value.span(),
            format!("expected {expected}, found {}", article(found)),
        );
    }

    fn missing(&mut self, table: Table<'_, '_>, key: &str, expected: &str) {
        let message = format!("missing key `{key}` in {}", table.what);
        self.error_help(
            "missing-key",
            table.span(),
            message,
            format!("add `{key} = {expected}`"),
        );
    }

    pub fn required<'t, 'i>(
        &mut self,
        table: Table<'t, 'i>,
        key: &str,
        expected: &str,
    ) -> Option<Value<'t, 'i>> {
        let value = table.get(key);
        if value.is_none() {
            self.missing(table, key, expected);
        }
        value
    }

    pub fn string(&mut self, value: Value<'_, '_>) -> Option<String> {
        if let Some(s) = value.get_ref().as_str() {
            return Some(s.to_owned());
        }
        self.wrong_type(value, "a string");
        None
    }

    pub fn req_string(&mut self, table: Table<'_, '_>, key: &str) -> Option<Spanned<String>> {
        let value = self.required(table, key, "\"…\"")?;
        let text = self.string(value)?;
        Some(Spanned::new(value.span(), text))
    }

    /// An optional string a site fills in: an empty one (`reach = ""`, as
    /// `runbook init` writes it) is not given yet, and where it is written
    /// is returned so that the warning points there.
    pub fn opt_filled(
        &mut self,
        table: Table<'_, '_>,
        key: &str,
    ) -> (Option<Spanned<String>>, Option<Origin>) {
        match self.opt_string(table, key) {
            Some(value) if value.get_ref().trim().is_empty() => {
                let blank = self.origin(value.span());
                (None, Some(blank))
            }
            value => (value, None),
        }
    }

    pub fn opt_string(&mut self, table: Table<'_, '_>, key: &str) -> Option<Spanned<String>> {
        let value = table.get(key)?;
        let text = self.string(value)?;
        Some(Spanned::new(value.span(), text))
    }

    /// An identifier: lowercase letters, digits, `-` and `_`, or a severity
    /// such as `P1`. Kept strict so ids can be typed and referenced safely.
    pub fn req_id(&mut self, table: Table<'_, '_>, key: &str) -> Option<Spanned<String>> {
        let id = self.req_string(table, key)?;
        self.check_id(&id).then_some(id)
    }

    pub fn check_id(&mut self, id: &Spanned<String>) -> bool {
        let ok = !id.get_ref().is_empty()
            && id.get_ref().len() <= 64
            && id
                .get_ref()
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !ok {
            self.error_help(
                "bad-id",
                id.span(),
                format!("`{}` is not a valid id", id.get_ref()),
                "an id is 1 to 64 letters, digits, `-` or `_`, e.g. `post-deploy-checks`",
            );
        }
        ok
    }

    pub fn opt_bool(&mut self, table: Table<'_, '_>, key: &str) -> bool {
        let Some(value) = table.get(key) else {
            return false;
        };
        value.get_ref().as_bool().unwrap_or_else(|| {
            self.wrong_type(value, "true or false");
            false
        })
    }

    pub fn number(&mut self, value: Value<'_, '_>) -> Option<f64> {
        let number = match value.get_ref() {
            // Thresholds are far below 2^52: parsing the digits as a float
            // loses nothing that matters and needs no lossy cast.
            DeValue::Integer(i) if i.radix() == 10 => {
                i.as_str().replace('_', "").parse::<f64>().ok()
            }
            DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
                .ok()
                .and_then(|v| i32::try_from(v).ok())
                .map(f64::from),
            DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().ok(),
            _ => None,
        };
        match number {
            Some(n) if n.is_finite() => Some(n),
            Some(_) => {
                self.error("bad-number", value.span(), "expected a finite number");
                None
            }
            None => {
                self.wrong_type(value, "a number");
                None
            }
        }
    }

    pub fn opt_u32(&mut self, table: Table<'_, '_>, key: &str) -> Option<u32> {
        let value = table.get(key)?;
        let parsed = value
            .get_ref()
            .as_integer()
            .and_then(|i| u32::from_str_radix(i.as_str().trim_start_matches('+'), i.radix()).ok());
        if parsed.is_none() {
            self.wrong_type(value, "a whole number from 0 to 4294967295");
        }
        parsed
    }

    pub fn duration(&mut self, value: Value<'_, '_>) -> Option<Duration> {
        let text = self.string(value)?;
        match Duration::from_str(&text) {
            Ok(d) => Some(d),
            Err(e) => {
                self.error("bad-duration", value.span(), e.0);
                None
            }
        }
    }

    /// A time of day, `HH:MM`; `help` says in which zone.
    pub fn time(&mut self, value: Value<'_, '_>, help: &str) -> Option<chrono::NaiveTime> {
        let text = self.string(value)?;
        let parsed = (text.len() == 5)
            .then(|| chrono::NaiveTime::parse_from_str(&text, "%H:%M").ok())
            .flatten();
        if parsed.is_none() {
            self.error_help(
                "bad-time",
                value.span(),
                format!("`{text}` is not a time of day"),
                help,
            );
        }
        parsed
    }

    pub fn req_duration(&mut self, table: Table<'_, '_>, key: &str) -> Option<Duration> {
        let value = self.required(table, key, "\"2h\"")?;
        self.duration(value)
    }

    pub fn opt_duration(&mut self, table: Table<'_, '_>, key: &str) -> Option<Duration> {
        let value = table.get(key)?;
        self.duration(value)
    }

    /// A text: a string, or a table of languages `{ fr = "…", en = "…" }`.
    pub fn text(&mut self, value: Value<'_, '_>) -> Option<Text> {
        match value.get_ref() {
            DeValue::String(s) => Some(Text::plain(s.as_ref())),
            DeValue::Table(table) => {
                let mut variants = Vec::new();
                for (lang, text) in table {
                    let tag = lang.get_ref();
                    let well_formed =
                        (2..=3).contains(&tag.len()) && tag.chars().all(|c| c.is_ascii_lowercase());
                    if !well_formed {
                        self.error_help(
                            "bad-language",
                            lang.span(),
                            format!("`{tag}` is not a language code"),
                            "use a two-letter code such as `fr` or `en`",
                        );
                        continue;
                    }
                    if let Some(text) = self.string(text) {
                        variants.push((tag.to_string(), text));
                    }
                }
                if variants.is_empty() && table.is_empty() {
                    self.error_help(
                        "empty-text",
                        value.span(),
                        "a text needs at least one language",
                        "write `{ fr = \"…\", en = \"…\" }` or a plain string",
                    );
                }
                Text::from_variants(variants)
            }
            _ => {
                self.wrong_type(value, "a string or a table of languages");
                None
            }
        }
    }

    pub fn req_text(&mut self, table: Table<'_, '_>, key: &str) -> Option<Text> {
        let value = self.required(table, key, "{ fr = \"…\", en = \"…\" }")?;
        self.text(value)
    }

    pub fn opt_text(&mut self, table: Table<'_, '_>, key: &str) -> Option<Text> {
        let value = table.get(key)?;
        self.text(value)
    }

    /// An array, each element given to `each`; a lone value is an error.
    pub fn array<'t, 'i>(&mut self, value: Value<'t, 'i>) -> &'t [Spanned<DeValue<'i>>] {
        if let Some(array) = value.get_ref().as_array() {
            return array;
        }
        self.wrong_type(value, "an array");
        &[]
    }

    pub fn opt_array<'t, 'i>(
        &mut self,
        table: Table<'t, 'i>,
        key: &str,
    ) -> &'t [Spanned<DeValue<'i>>] {
        match table.get(key) {
            Some(value) => self.array(value),
            None => &[],
        }
    }

    pub fn string_list(&mut self, table: Table<'_, '_>, key: &str) -> Vec<Spanned<String>> {
        self.opt_array(table, key)
            .iter()
            .filter_map(|item| Some(Spanned::new(item.span(), self.string(item)?)))
            .collect()
    }

    /// A string that must be one of `choices`.
    pub fn choice<'c>(
        &mut self,
        value: Value<'_, '_>,
        choices: &[&'c str],
    ) -> Option<(usize, &'c str)> {
        let text = self.string(value)?;
        if let Some(index) = choices.iter().position(|c| *c == text) {
            return Some((index, choices[index]));
        }
        let help = match nearest(&text, choices) {
            Some(near) => format!(
                "did you mean `{near}`? expected one of: {}",
                choices.join(", ")
            ),
            None => format!("expected one of: {}", choices.join(", ")),
        };
        self.error_help(
            "bad-value",
            value.span(),
            format!("`{text}` is not allowed here"),
            help,
        );
        None
    }
}

impl<'t, 'i> Table<'t, 'i> {
    pub fn span(&self) -> Range<usize> {
        self.bounds.0..self.bounds.1
    }

    pub fn get(&self, key: &str) -> Option<Value<'t, 'i>> {
        self.entries.get(key)
    }
}

/// The allowed name closest to a misspelt one, if any is close enough to
/// be a likely typo.
pub fn nearest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), *c))
        .filter(|(distance, c)| *distance <= (c.len().max(word.len()) / 3).max(1))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c)
}

fn article(type_name: &str) -> String {
    let vowel = type_name.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {type_name}", if vowel { "an" } else { "a" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_finds_typos_and_ignores_unrelated_words() {
        let keys = ["id", "title", "text", "commands", "evidence"];
        assert_eq!(nearest("titel", &keys), Some("title"));
        assert_eq!(nearest("command", &keys), Some("commands"));
        assert_eq!(nearest("evidance", &keys), Some("evidence"));
        assert_eq!(nearest("zzzzzz", &keys), None);
    }
}
