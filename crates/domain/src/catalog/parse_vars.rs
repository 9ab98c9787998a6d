//! Reading `[vars]` and `[env]`, putting the site's values in place, and
//! saying which variables no file sets.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use super::diagnostic::{Diagnostic, Origin};
use super::model::{Catalog, Procedure};
use super::parsed::Parsed;
use super::reader::{Reader, Value};
use super::text::Text;
use super::vars::{EnvVar, Given, RUN, expand, is_name, uses};

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
