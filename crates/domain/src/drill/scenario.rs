//! A drill scenario: which procedure is rehearsed, at what severity, and
//! what happens when (metric readings, a teammate joining, a command that
//! fails, a change of severity), read from TOML with every mistake
//! reported at its file, line and column, checked against the catalog.

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::catalog::diagnostic::{Diagnostic, Sources};
use crate::catalog::reader::{Reader, Table, Value};
use crate::catalog::{Catalog, Duration, Text};

/// A scenario, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub id: String,
    pub title: Text,
    pub summary: Option<Text>,
    pub procedure: String,
    pub severity: Option<String>,
    /// The speed it is meant to be played at, unless told otherwise.
    pub speed: Option<u32>,
    /// In order of time.
    pub injections: Vec<Injection>,
}

/// Something that happens `at` after the drill starts, on the drill clock.
#[derive(Debug, Clone, PartialEq)]
pub struct Injection {
    pub at: Duration,
    /// The teammate it comes from (a name shown and journaled as such).
    pub by: String,
    pub what: Inject,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Inject {
    /// A metric reads `value` from now on.
    Metric { metric: String, value: f64 },
    /// A teammate joins the run.
    Joins,
    /// A teammate's command for `step` failed.
    CommandFailed {
        step: String,
        command: String,
        exit: i32,
        output: String,
    },
    /// A teammate changes the severity.
    Severity { to: String },
}

/// Who an injection comes from when it does not say.
pub const TEAMMATE: &str = "drill-teammate";

const TOP: &[&str] = &["scenario", "inject"];
const HEAD: &[&str] = &["id", "title", "summary", "procedure", "severity", "speed"];
const INJECT: &[&str] = &[
    "at", "by", "metric", "value", "joins", "fails", "command", "exit", "output", "severity",
];
/// What an injection does: exactly one of these.
const KINDS: &[&str] = &["metric", "joins", "fails", "severity"];

/// Reads scenario `name` (a path, or `bundled:ID`) from `text`; on any
/// mistake, the sources and every diagnostic, to render.
pub fn parse(
    name: &str,
    text: &str,
    catalog: &Catalog,
) -> Result<Scenario, (Sources, Vec<Diagnostic>)> {
    let mut sources = Sources::default();
    let file = sources.add(name, text);
    let mut reader = Reader::new(file);
    let (document, errors) = DeTable::parse_recoverable(text);
    for error in &errors {
        reader.error_help(
            "syntax",
            error.span().unwrap_or(0..0),
            format!("TOML syntax: {}", error.message().trim()),
            "see docs/drills.md",
        );
    }
    let scenario = if errors.is_empty() {
        let document = Spanned::new(document.span(), DeValue::Table(document.into_inner()));
        read(&mut reader, &document, catalog)
    } else {
        None
    };
    match scenario {
        Some(scenario) if reader.diagnostics.is_empty() => Ok(scenario),
        _ => Err((sources, reader.diagnostics)),
    }
}

fn read(reader: &mut Reader, document: Value<'_, '_>, catalog: &Catalog) -> Option<Scenario> {
    let top = reader.table(document, "a scenario file", TOP)?;
    let head = reader.required(top, "scenario", "{ id = \"…\", procedure = \"…\" }")?;
    let head = reader.table(head, "a scenario", HEAD)?;
    let id = reader.req_id(head, "id");
    let title = reader.req_text(head, "title");
    let summary = reader.opt_text(head, "summary");
    let procedures: Vec<&str> = catalog.procedures.iter().map(|p| p.id.as_str()).collect();
    let procedure = reader
        .required(head, "procedure", "\"incident\"")
        .and_then(|v| reader.choice(v, &procedures))
        .and_then(|(_, id)| catalog.procedure(id));
    let severity = head
        .get("severity")
        .and_then(|v| severity(reader, v, catalog));
    let speed = reader.opt_u32(head, "speed");
    if let (Some(0), Some(value)) = (speed, head.get("speed")) {
        reader.error("bad-number", value.span(), "a speed is at least 1");
    }
    let mut injections = Vec::new();
    if let Some(list) = top.get("inject") {
        for item in reader.array(list) {
            if let Some(table) = reader.table(item, "an injection", INJECT)
                && let Some(injection) = injection(reader, table, catalog, procedure)
            {
                injections.push(injection);
            }
        }
    }
    injections.sort_by_key(|i| i.at);
    Some(Scenario {
        id: id?.into_inner(),
        title: title?,
        summary,
        procedure: procedure?.id.clone(),
        severity,
        speed,
        injections,
    })
}

fn severity(reader: &mut Reader, value: Value<'_, '_>, catalog: &Catalog) -> Option<String> {
    let known: Vec<&str> = catalog.severities.iter().map(|s| s.id.as_str()).collect();
    reader.choice(value, &known).map(|(_, s)| s.to_owned())
}

fn injection(
    reader: &mut Reader,
    table: Table<'_, '_>,
    catalog: &Catalog,
    procedure: Option<&crate::catalog::Procedure>,
) -> Option<Injection> {
    let at = reader.req_duration(table, "at");
    let by = reader
        .opt_string(table, "by")
        .map_or_else(|| TEAMMATE.to_owned(), Spanned::into_inner);
    let kinds: Vec<&str> = KINDS
        .iter()
        .copied()
        .filter(|k| table.get(k).is_some())
        .collect();
    if kinds.len() != 1 {
        reader.error_help(
            "bad-injection",
            table.span(),
            format!("an injection does one thing, this one does {}", kinds.len()),
            format!("give exactly one of: {}", KINDS.join(", ")),
        );
        return None;
    }
    let what = match kinds[0] {
        "metric" => {
            let metrics: Vec<&str> = catalog.metrics.iter().map(|m| m.id.as_str()).collect();
            let metric = table
                .get("metric")
                .and_then(|v| reader.choice(v, &metrics))
                .map(|(_, m)| m.to_owned());
            let value = reader
                .required(table, "value", "6.0")
                .and_then(|v| reader.number(v));
            Inject::Metric {
                metric: metric?,
                value: value?,
            }
        }
        "joins" => {
            let joins = table.get("joins")?;
            if joins.get_ref().as_bool() != Some(true) {
                reader.wrong_type(joins, "true");
                return None;
            }
            Inject::Joins
        }
        "fails" => {
            let steps: Vec<&str> = procedure
                .map(|p| p.steps().map(|s| s.id.as_str()).collect())
                .unwrap_or_default();
            let step = table
                .get("fails")
                .and_then(|v| reader.choice(v, &steps))
                .map(|(_, s)| s.to_owned());
            let command = reader.opt_string(table, "command").map(Spanned::into_inner);
            let output = reader.opt_string(table, "output").map(Spanned::into_inner);
            let exit = reader.opt_u32(table, "exit").unwrap_or(1);
            let step = step?;
            let command = command.or_else(|| {
                procedure
                    .and_then(|p| p.step(&step))
                    .and_then(|s| s.commands.first())
                    .cloned()
            });
            Inject::CommandFailed {
                step,
                command: command.unwrap_or_default(),
                exit: i32::try_from(exit).unwrap_or(i32::MAX),
                output: output.unwrap_or_default(),
            }
        }
        _ => Inject::Severity {
            to: table
                .get("severity")
                .and_then(|v| severity(reader, v, catalog))?,
        },
    };
    Some(Injection { at: at?, by, what })
}
