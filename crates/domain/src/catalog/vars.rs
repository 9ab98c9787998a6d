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
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use super::diagnostic::{Diagnostic, Origin};
use super::model::{Catalog, Procedure};
use super::parse::Parsed;
use super::reader::{Reader, Value};
use super::text::Text;

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

/// Reads a `[vars]` table: each key a name, each value a string or
/// `{ env = "NAME", secret = true }`.
pub fn read(reader: &mut Reader, parsed: &mut Parsed, value: Value<'_, '_>) {
    let Some(table) = value.get_ref().as_table() else {
        reader.wrong_type(value, "a table of variables, `[vars]`");
        return;
    };
    for (key, value) in table {
        let name = key.get_ref().to_string();
        if !is_name(&name) {
            reader.error_help(
                "bad-id",
                key.span(),
                format!("`{name}` is not a variable name"),
                "letters, digits, `-` and `_`",
            );
            continue;
        }
        let given = if value.get_ref().as_table().is_some() {
            let Some(table) =
                reader.table(value, "a variable from the environment", &["env", "secret"])
            else {
                continue;
            };
            let Some(env) = reader.req_string(table, "env") else {
                continue;
            };
            let secret = reader.opt_bool(table, "secret");
            Given::Env(EnvVar {
                env: env.into_inner(),
                secret,
            })
        } else {
            let Some(text) = reader.string(value) else {
                continue;
            };
            Given::Text(text)
        };
        parsed.vars.push((name, given, reader.origin(value.span())));
    }
}

/// Puts the variables set in any file in place (the last file's value
/// wins) and keeps them on the catalog.
pub fn apply(parsed: &mut Parsed) {
    let mut vars = BTreeMap::new();
    let mut env_vars = BTreeMap::new();
    let mut blank = BTreeMap::new();
    for (name, given, origin) in &parsed.vars {
        blank.remove(name);
        match given {
            // `name = ""`, as `runbook init` writes it: still to fill in.
            Given::Text(text) if text.trim().is_empty() => {
                env_vars.remove(name);
                vars.remove(name);
                blank.insert(name.clone(), origin.clone());
            }
            Given::Text(text) => {
                env_vars.remove(name);
                vars.insert(name.clone(), text.clone());
            }
            Given::Env(env) => {
                vars.remove(name);
                env_vars.insert(name.clone(), env.clone());
            }
        }
    }
    let value = |name: &str| vars.get(name).cloned();
    let line = |s: &mut String| {
        if let Cow::Owned(new) = expand(s, value) {
            *s = new;
        }
    };
    let text = |t: &mut Text| t.map(|s| expand(s, value).into_owned());
    let catalog = &mut parsed.catalog;
    for step in catalog.procedures.iter_mut().flat_map(Procedure::steps_mut) {
        step.commands.iter_mut().for_each(line);
        if let Some(run) = &mut step.run {
            run.program.texts_mut().for_each(line);
        }
        text(&mut step.text);
        step.detail.as_mut().map(text);
        step.evidence.as_mut().map(text);
    }
    for dashboard in &mut catalog.dashboards {
        dashboard.url.as_mut().map(line);
    }
    for contact in &mut catalog.contacts {
        contact.reach.as_mut().map(line);
    }
    catalog.vars = vars;
    catalog.blank_vars = blank;
    catalog.run_vars = RUN.iter().map(|&name| name.to_owned()).collect();
    catalog.run_vars.extend(env_vars.keys().cloned());
    catalog.env_vars = env_vars;
    let sets = catalog.procedures.iter().flat_map(Procedure::steps);
    catalog.run_vars.extend(sets.filter_map(|s| s.sets.clone()));
}

/// A warning for each place a variable no file sets is used; one, where
/// it is written, for a variable a site left blank to fill in.
pub fn unset(catalog: &Catalog) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut blank_uses: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let none = BTreeSet::new();
    let mut check = |text: &str, origin: &Origin, place: &str, given: &BTreeSet<&str>| {
        for (_, name) in uses(text).filter(|(_, n)| !given.contains(n)) {
            if let Some((name, _)) = catalog.blank_vars.get_key_value(name) {
                // `step `upload`` → `upload`: ids read the same in any language.
                let id = place.split('`').nth(1).unwrap_or(place);
                let places = blank_uses.entry(name.as_str()).or_default();
                if !places.iter().any(|p| p == id) {
                    places.push(id.to_owned());
                }
                continue;
            }
            out.push(
                Diagnostic::warning(
                    "unset-variable",
                    origin.clone(),
                    format!("variable `{name}` in {place} is not set"),
                )
                .with_help(format!(
                    "give it a value in a site file: [vars] {name} = \"…\""
                ))
                .answered_by(format!("[vars] {name}")),
            );
        }
    };
    for procedure in &catalog.procedures {
        let given: BTreeSet<&str> = RUN
            .iter()
            .copied()
            .chain(procedure.steps().filter_map(|s| s.sets.as_deref()))
            .chain(catalog.env_vars.keys().map(String::as_str))
            .collect();
        for step in procedure.steps() {
            let place = format!("step `{}`", step.id);
            let mut check = |text: &str| check(text, &step.origin, &place, &given);
            for command in &step.commands {
                check(command);
            }
            for text in step.run.iter().flat_map(|r| r.program.texts()) {
                check(text);
            }
            let texts = [
                Some(&step.text),
                step.detail.as_ref(),
                step.evidence.as_ref(),
            ];
            for text in texts.into_iter().flatten() {
                for (_, variant) in text.variants() {
                    check(variant);
                }
            }
        }
    }
    for dashboard in &catalog.dashboards {
        if let Some(url) = &dashboard.url {
            let place = format!("dashboard `{}`", dashboard.id);
            check(url, &dashboard.origin, &place, &none);
        }
    }
    for contact in &catalog.contacts {
        if let Some(reach) = &contact.reach {
            let place = format!("contact `{}`", contact.id);
            check(reach, &contact.origin, &place, &none);
        }
    }
    for (name, origin) in &catalog.blank_vars {
        let Some(places) = blank_uses.get(name.as_str()) else {
            continue;
        };
        out.push(
            Diagnostic::warning(
                "unset-variable",
                origin.clone(),
                format!("variable `{name}` is empty; used by {}", places.join(", ")),
            )
            .with_help(format!("give its value here: {name} = \"…\""))
            .answered_by(format!("[vars] {name}")),
        );
    }
    out
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
