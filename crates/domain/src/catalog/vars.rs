//! Site variables: `[vars]` in any catalog file or site layer, used as
//! `${name}` in commands, dashboard URLs, contacts' reach and step texts,
//! so a bundled command can name the team's app id without a fork.
//!
//! A set variable is put in place when the catalog is loaded. An unset one
//! stays `${name}` in the model (issue-free for `show --json`, and a
//! command run later can refuse it), is shown to the operator as plainly
//! unset, never as an empty string, and is a warning, so `check --strict`
//! fails on it. Metric sources are not expanded here: their `${NAME}`
//! come from the environment, where secrets live.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::ops::Range;

/// Variables a run gives, at the moment a command runs: never unset in a
/// catalog.
pub const RUN: &[&str] = &["run_id", "severity", "operator"];

/// Every `${name}` in `text`, with its span.
pub fn uses(text: &str) -> impl Iterator<Item = (Range<usize>, &str)> {
    let mut from = 0;
    std::iter::from_fn(move || {
        loop {
            let start = from + text.get(from..)?.find("${")?;
            let close = start + 2 + text[start + 2..].find('}')?;
            from = start + 2;
            let name = &text[start + 2..close];
            if !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
            {
                from = close + 1;
                return Some((start..close + 1, name));
            }
        }
    })
}

/// `text` with every `${name}` that `value` knows put in its place.
pub fn expand(text: &str, value: impl Fn(&str) -> Option<String>) -> Cow<'_, str> {
    let mut out = String::new();
    let mut last = 0;
    for (span, name) in uses(text) {
        if let Some(v) = value(name) {
            out.push_str(&text[last..span.start]);
            out.push_str(&v);
            last = span.end;
        }
    }
    if last == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[last..]);
    Cow::Owned(out)
}

/// `text` as the operator sees it: an unset `${name}` reads `<name: unset>`
/// in their language, so it is neither empty nor mistaken for a shell
/// variable that a pasted command would expand to nothing. What a run
/// gives (`given`) stays `${name}`.
pub fn shown<'t>(
    text: &'t str,
    given: &BTreeSet<String>,
    unset: &dyn Fn(&str) -> String,
) -> Cow<'t, str> {
    expand(text, |name| (!given.contains(name)).then(|| unset(name)))
}

/// Whether `name` may name a variable.
pub fn is_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
}

/// Whether every site variable in `text` is set (what a run gives aside).
pub fn complete(text: &str, given: &BTreeSet<String>) -> bool {
    uses(text).all(|(_, name)| given.contains(name))
}

/// A variable's value as a file gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Given {
    Text(String),
    /// Read from the environment when a command runs, never stored.
    Env(EnvVar),
}

/// `name = { env = "NAME", secret = true }`: a value the environment
/// holds, such as a token; a secret one is `[redacted]` in all runbook
/// stores and shows.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EnvVar {
    pub env: String,
    pub secret: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_uses_and_leaves_what_is_not_one() {
        let found: Vec<&str> = uses("a ${x} ${} $y ${not a name} ${b-2}${c}")
            .map(|(_, n)| n)
            .collect();
        assert_eq!(found, ["x", "b-2", "c"]);
        assert_eq!(uses("${unclosed").count(), 0);
    }

    #[test]
    fn expands_what_is_known_and_marks_what_is_not() {
        let known = |n: &str| (n == "app").then(|| "1:42".to_owned());
        assert_eq!(
            expand("--app ${app} --v ${v}", known),
            "--app 1:42 --v ${v}"
        );
        let given = BTreeSet::from(["run_id".to_owned()]);
        let marked = shown("--v ${v} --run ${run_id}", &given, &|n| {
            format!("<{n}: unset>")
        });
        assert_eq!(marked, "--v <v: unset> --run ${run_id}");
        assert!(matches!(expand("nothing", known), Cow::Borrowed(_)));
    }
}
