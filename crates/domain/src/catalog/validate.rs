//! Checks across files: ids unique, every reference resolving.

use std::collections::HashMap;

use super::diagnostic::{Diagnostic, Sources};
use super::parsed::{Parsed, RefKind};
use super::reader::nearest;

pub fn validate(parsed: &mut Parsed, sources: &Sources) {
    let mut diagnostics = Vec::new();
    let mut seen: HashMap<(&str, Option<&str>, &str), usize> =
        HashMap::with_capacity(parsed.definitions.len());
    for (index, definition) in parsed.definitions.iter().enumerate() {
        let key = (
            definition.kind,
            definition.scope.as_deref(),
            definition.id.as_str(),
        );
        if let Some(&first) = seen.get(&key) {
            let first = &parsed.definitions[first];
            let scope = definition
                .scope
                .as_ref()
                .map(|s| format!(" in procedure `{s}`"))
                .unwrap_or_default();
            diagnostics.push(
                Diagnostic::error(
                    "duplicate-id",
                    definition.origin.clone(),
                    format!(
                        "{} `{}` is defined twice{scope}",
                        definition.kind, definition.id
                    ),
                )
                .with_help(format!(
                    "first defined at {}; ids must be unique",
                    sources.locate(&first.origin)
                )),
            );
        } else {
            seen.insert(key, index);
        }
    }

    for reference in &parsed.references {
        let kind = reference.kind.definition_kind();
        let scope = match reference.kind {
            RefKind::Step => reference.scope.as_deref(),
            _ => None,
        };
        if seen.contains_key(&(kind, scope, reference.id.as_str())) {
            continue;
        }
        let mut known: Vec<&str> = parsed
            .definitions
            .iter()
            .filter(|d| d.kind == kind && d.scope.as_deref() == scope)
            .map(|d| d.id.as_str())
            .collect();
        known.dedup();
        let place = match scope {
            Some(procedure) => format!(" in procedure `{procedure}`"),
            None => String::new(),
        };
        let help = match nearest(&reference.id, &known) {
            Some(near) => format!("did you mean `{near}`?"),
            None if known.is_empty() => format!("no {kind} is defined{place}"),
            None => format!("known {kind}s{place}: {}", known.join(", ")),
        };
        diagnostics.push(
            Diagnostic::error(
                "unresolved",
                reference.origin.clone(),
                format!("no {kind} `{}`{place}", reference.id),
            )
            .with_help(help),
        );
    }
    parsed.diagnostics.append(&mut diagnostics);
}
