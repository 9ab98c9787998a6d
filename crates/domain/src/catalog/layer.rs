//! Site layers: a team's own files applied over the catalog, so it gives
//! its numbers, role holders, URLs and metric sources without a fork.
//!
//! An entity whose id the catalog already has is amended: the layer's
//! table is laid over the one it amends, key by key (a value, a `source`
//! or a text table is replaced whole), and the result is read by the same
//! reader as any checklist, so it is validated the same way. A new id is
//! added. `disabled = true` hides a procedure. An amend of an id that
//! exists nowhere is an error naming the nearest id.

use std::collections::HashMap;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::diagnostic::{Diagnostic, FileId, Origin, Sources};
use super::parse::{self, KINDS};
use super::parsed::Parsed;
use super::reader::{Reader, nearest};

/// What a layer did, for `runbook check` and `show --origins`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    /// The layer's name: its path as given.
    pub name: String,
    /// What it did to each entity it names, in file order.
    pub changes: Vec<Change>,
}

/// What a layer did to one entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub kind: &'static str,
    pub id: String,
    pub how: How,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum How {
    /// The keys it set, each where it is written.
    Amended(Vec<(String, Origin)>),
    Added(Origin),
    Disabled(Origin),
}

impl Applied {
    /// How many entities it amended, added and disabled.
    pub fn counts(&self) -> (usize, usize, usize) {
        let count = |f: fn(&How) -> bool| self.changes.iter().filter(|c| f(&c.how)).count();
        (
            count(|h| matches!(h, How::Amended(_))),
            count(|h| matches!(h, How::Added(_))),
            count(|h| matches!(h, How::Disabled(_))),
        )
    }
}

type Key = (&'static str, String);

/// The tables read so far, by kind and id: what the next layer amends.
#[derive(Debug, Default)]
pub struct Tables<'i> {
    tables: HashMap<Key, Spanned<DeValue<'i>>>,
}

impl<'i> Tables<'i> {
    /// Collects the entity tables of the base files.
    pub fn of(sources: &'i Sources, files: &[FileId]) -> Self {
        let mut tables = Tables::default();
        for &file in files {
            if let Some(document) = document(sources, file) {
                tables.collect(&document);
            }
        }
        tables
    }

    fn collect(&mut self, document: &DeTable<'i>) {
        for (kind, entries) in entities(document) {
            for entry in entries {
                if let Some(id) = id_of(entry) {
                    self.tables.insert((kind, id), entry.clone());
                }
            }
        }
    }
}

fn document(sources: &Sources, file: FileId) -> Option<DeTable<'_>> {
    let text = sources.files.get(file)?.text.as_str();
    DeTable::parse(text).ok().map(Spanned::into_inner)
}

fn entities<'t, 'i>(
    document: &'t DeTable<'i>,
) -> impl Iterator<Item = (&'static str, &'t [Spanned<DeValue<'i>>])> {
    KINDS.iter().filter_map(|kind| {
        let array = document.get(*kind)?.get_ref().as_array()?;
        Some((*kind, &array[..]))
    })
}

fn id_of(entry: &Spanned<DeValue<'_>>) -> Option<String> {
    entry
        .get_ref()
        .as_table()?
        .get("id")?
        .get_ref()
        .as_str()
        .map(str::to_owned)
}

/// `base` with every key of `layer` laid over it.
fn overlay<'i>(base: &Spanned<DeValue<'i>>, layer: &Spanned<DeValue<'i>>) -> Spanned<DeValue<'i>> {
    let (Some(base_table), Some(layer_table)) =
        (base.get_ref().as_table(), layer.get_ref().as_table())
    else {
        return layer.clone();
    };
    let mut merged = base_table.clone();
    for (key, value) in layer_table {
        let value = match merged.get(key) {
            Some(base) if key.get_ref() == "schedule" => schedule(base, value),
            _ => value.clone(),
        };
        merged.insert(key.clone(), value);
    }
    Spanned::new(layer.span(), DeValue::Table(merged))
}

/// A schedule laid over another: its anchor (`cron`, or `at` with `day`,
/// `weekday`, `month`) is replaced whole when the layer gives one, and
/// `zone`, `grace` and `since` each stay unless the layer gives them: a
/// site that says only when the team started keeps the catalog's anchor.
fn schedule<'i>(base: &Spanned<DeValue<'i>>, layer: &Spanned<DeValue<'i>>) -> Spanned<DeValue<'i>> {
    const ANCHOR: [&str; 5] = ["cron", "at", "day", "weekday", "month"];
    let (Some(base_table), Some(layer_table)) =
        (base.get_ref().as_table(), layer.get_ref().as_table())
    else {
        return layer.clone();
    };
    let anchor =
        |key: &Spanned<std::borrow::Cow<'_, str>>| ANCHOR.contains(&key.get_ref().as_ref());
    let new_anchor = layer_table.keys().any(anchor);
    let mut merged = DeTable::new();
    for (key, value) in base_table
        .iter()
        .filter(|(k, _)| !(new_anchor && anchor(k)))
    {
        merged.insert(key.clone(), value.clone());
    }
    for (key, value) in layer_table {
        merged.insert(key.clone(), value.clone());
    }
    Spanned::new(layer.span(), DeValue::Table(merged))
}

/// Reads one entity table into `parsed` with the catalog's own reader.
fn read(reader: &mut Reader, parsed: &mut Parsed, kind: &str, value: &Spanned<DeValue<'_>>) {
    parse::read_entity(reader, parsed, kind, value);
}

/// Applies the layer files `files` over `parsed`; `tables` holds what the
/// layers before this one left.
pub fn apply<'i>(
    parsed: &mut Parsed,
    sources: &'i Sources,
    tables: &mut Tables<'i>,
    files: &[FileId],
    name: &str,
) -> Applied {
    let mut applied = Applied {
        name: name.to_owned(),
        ..Applied::default()
    };
    for &file in files {
        let text = sources.files.get(file).map_or("", |f| f.text.as_str());
        let mut reader = Reader::new(file);
        let document = match DeTable::parse(text) {
            Ok(document) => document.into_inner(),
            Err(error) => {
                let span = error.span().unwrap_or(0..0);
                reader.error_help(
                    "syntax",
                    span,
                    format!("TOML syntax: {}", error.message().trim()),
                    "see docs/checklist-format.md",
                );
                parsed.diagnostics.append(&mut reader.diagnostics);
                continue;
            }
        };
        let top = parse::top_keys();
        let shape = Spanned::new(0..text.len(), DeValue::Table(document.clone()));
        if let Some(top) = reader.table(&shape, "a site file", &top) {
            parse::read_settings(&mut reader, parsed, top);
        }
        // Within one file, a second table of one id is a mistake, not an
        // amendment: layers amend what came before them.
        let mut seen: Vec<(&str, String, Origin)> = Vec::new();
        for (kind, entries) in entities(&document) {
            for entry in entries {
                if let Some(id) = id_of(entry) {
                    let at = reader.origin(entry.span());
                    if let Some((_, _, first)) =
                        seen.iter().find(|(k, i, _)| *k == kind && *i == id)
                    {
                        let help = format!(
                            "first given at {}; ids must be unique in a file",
                            sources.locate(first)
                        );
                        let message = format!("{kind} `{id}` is defined twice");
                        reader.push(Diagnostic::error("duplicate-id", at, message).with_help(help));
                        continue;
                    }
                    seen.push((kind, id, at));
                }
                apply_entry(parsed, &mut reader, tables, &mut applied, kind, entry);
            }
        }
        parsed.diagnostics.append(&mut reader.diagnostics);
    }
    applied
}

fn apply_entry<'i>(
    parsed: &mut Parsed,
    reader: &mut Reader,
    tables: &mut Tables<'i>,
    applied: &mut Applied,
    kind: &'static str,
    entry: &Spanned<DeValue<'i>>,
) {
    let Some(id) = id_of(entry) else {
        // No id: read it as it is, for the reader to say what is missing.
        read(reader, parsed, kind, entry);
        return;
    };
    let key = (kind, id.clone());
    let Some(base) = tables.tables.get(&key).cloned() else {
        add(parsed, reader, tables, applied, kind, &id, entry);
        return;
    };
    let mut merged = overlay(&base, entry);
    let layer_keys: Vec<(String, Origin)> = entry
        .get_ref()
        .as_table()
        .map(|t| {
            t.iter()
                .filter(|(k, _)| k.get_ref() != "id")
                .map(|(k, v)| (k.get_ref().to_string(), reader.origin(v.span())))
                .collect()
        })
        .unwrap_or_default();
    if kind == "procedure" {
        let disabled = match &mut merged.get_mut() {
            DeValue::Table(table) => table.remove("disabled").and_then(|v| v.get_ref().as_bool()),
            _ => None,
        };
        if disabled == Some(true) {
            parsed.catalog.procedures.retain(|p| p.id != id);
            applied.changes.push(Change {
                kind,
                id,
                how: How::Disabled(reader.origin(entry.span())),
            });
            return;
        }
    }
    let mut scratch = Parsed::default();
    read(reader, &mut scratch, kind, &merged);
    // The amended entity replaces the one before, and so do its
    // definitions (a procedure's steps and sections with it).
    parsed.definitions.retain(|d| {
        !((d.kind == kind && d.id == id && d.scope.is_none())
            || (kind == "procedure" && d.scope.as_deref() == Some(id.as_str())))
    });
    parsed.replace(kind, &id, scratch);
    tables.tables.insert((kind, id.clone()), merged);
    applied.changes.push(Change {
        kind,
        id,
        how: How::Amended(layer_keys),
    });
}

fn add<'i>(
    parsed: &mut Parsed,
    reader: &mut Reader,
    tables: &mut Tables<'i>,
    applied: &mut Applied,
    kind: &'static str,
    id: &str,
    entry: &Spanned<DeValue<'i>>,
) {
    let mut scratch = Parsed::default();
    let mut own = Reader::new(reader.file);
    read(&mut own, &mut scratch, kind, entry);
    let incomplete = own.diagnostics.iter().any(|d| d.code == "missing-key");
    if incomplete {
        // A table that only changes a few keys meant to amend an id that
        // is not there: say so, with the nearest id of its kind.
        let known: Vec<&str> = tables
            .tables
            .keys()
            .filter(|(k, _)| *k == kind)
            .map(|(_, id)| id.as_str())
            .collect();
        let span = entry
            .get_ref()
            .as_table()
            .and_then(|t| t.get("id"))
            .map_or(entry.span(), Spanned::span);
        let help = match nearest(id, &known) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("known {kind}s: {}", known.join(", ")),
        };
        reader.push(
            Diagnostic::error(
                "unknown-amend",
                reader.origin(span),
                format!("no {kind} `{id}` to amend"),
            )
            .with_help(help),
        );
        return;
    }
    reader.diagnostics.append(&mut own.diagnostics);
    parsed.merge(scratch);
    tables.tables.insert((kind, id.to_owned()), entry.clone());
    applied.changes.push(Change {
        kind,
        id: id.to_owned(),
        how: How::Added(reader.origin(entry.span())),
    });
}
