//! `runbook show ID --origins`: for an entity, which site layer set each
//! value it amended, so a team can tell its own numbers from the catalog's.

use std::io::{self, Write};

use serde::Serialize;

use super::{Context, exit, write_json};
use crate::catalog::layer::{Change, How};
use crate::text::words::commands::entity;

#[derive(Debug, Serialize)]
struct Origins {
    kind: &'static str,
    id: String,
    /// Each value a layer set, the last layer's (the one in effect).
    values: Vec<Value>,
    added_by: Option<Place>,
    disabled_by: Option<Place>,
}

impl Origins {
    fn new(kind: &'static str, id: &str) -> Self {
        Origins {
            kind,
            id: id.to_owned(),
            values: Vec::new(),
            added_by: None,
            disabled_by: None,
        }
    }
}

#[derive(Debug, Serialize)]
struct Value {
    key: String,
    #[serde(flatten)]
    place: Place,
}

#[derive(Debug, Clone, Serialize)]
struct Place {
    layer: String,
    at: String,
}

pub fn run(context: &Context, id: &str, json: bool, out: &mut dyn Write) -> io::Result<u8> {
    let origins = origins(context, id);
    if origins.is_empty() {
        let w = context.words().commands;
        crate::say!("{}", (w.no_entity)(id));
        return Ok(exit::USAGE);
    }
    if json {
        return write_json(out, &origins);
    }
    let lang = context.lang();
    let w = context.words().commands;
    for entity_origins in &origins {
        writeln!(
            out,
            "{}",
            (w.origins_of)(entity(lang, entity_origins.kind), &entity_origins.id)
        )?;
        if let Some(place) = &entity_origins.disabled_by {
            writeln!(out, "{}", (w.origin_disabled)(&place.at, &place.layer))?;
        }
        if let Some(place) = &entity_origins.added_by {
            writeln!(out, "{}", (w.origin_added)(&place.at, &place.layer))?;
        }
        for value in &entity_origins.values {
            let place = &value.place;
            writeln!(
                out,
                "{}",
                (w.origin_set)(&value.key, &place.at, &place.layer)
            )?;
        }
        if entity_origins.added_by.is_none() && entity_origins.disabled_by.is_none() {
            let rest = if entity_origins.values.is_empty() {
                w.origin_catalog
            } else {
                w.origin_rest
            };
            writeln!(out, "{rest}")?;
        }
    }
    Ok(exit::OK)
}

/// Every entity with this id (in the catalog, or disabled by a layer),
/// with what the layers did to it, in the order they applied.
fn origins(context: &Context, id: &str) -> Vec<Origins> {
    let loaded = &context.loaded;
    let mut all: Vec<Origins> = loaded
        .catalog
        .kinds_of(id)
        .into_iter()
        .map(|kind| Origins::new(kind, id))
        .collect();
    for layer in &loaded.layers {
        for change in layer.changes.iter().filter(|c| c.id == id) {
            let at = |origin| loaded.sources.locate(origin);
            let place = |origin| Place {
                layer: layer.name.clone(),
                at: at(origin),
            };
            let Change { kind, how, .. } = change;
            if !all.iter().any(|o| o.kind == *kind) {
                all.push(Origins::new(kind, id));
            }
            let Some(entry) = all.iter_mut().find(|o| o.kind == *kind) else {
                continue;
            };
            match how {
                How::Amended(keys) => {
                    for (key, origin) in keys {
                        entry.values.retain(|v| &v.key != key);
                        entry.values.push(Value {
                            key: key.clone(),
                            place: place(origin),
                        });
                    }
                }
                How::Added(origin) => entry.added_by = Some(place(origin)),
                How::Disabled(origin) => entry.disabled_by = Some(place(origin)),
            }
        }
    }
    all
}
