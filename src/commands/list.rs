//! `runbook list`: the procedures, grouped by kind, with their step counts.

use std::io::{self, Write};

use serde::Serialize;

use super::{Context, columns, exit, write_json};
use crate::catalog::ProcedureKind;

#[derive(Serialize)]
struct Row<'a> {
    id: &'a str,
    kind: ProcedureKind,
    title: &'a str,
    steps: usize,
    sections: usize,
    recurrence: Option<&'static str>,
    reference: Option<&'a str>,
}

pub fn run(context: &Context, json: bool, out: &mut dyn Write) -> io::Result<u8> {
    let mut procedures: Vec<_> = context.loaded.catalog.procedures.iter().collect();
    // Grouped by kind in the runbook's own order: deploy first, compliance last.
    procedures.sort_by_key(|p| ProcedureKind::ALL.iter().position(|k| *k == p.kind));
    let rows: Vec<Row<'_>> = procedures
        .iter()
        .map(|p| Row {
            id: &p.id,
            kind: p.kind,
            title: p.title.get(context.lang()),
            steps: p.step_count(),
            sections: p.sections.len(),
            recurrence: p.recurrence.map(crate::catalog::Recurrence::name),
            reference: p.reference.as_deref(),
        })
        .collect();
    if json {
        return write_json(out, &rows);
    }
    let mut table = vec![vec![
        "ID".to_owned(),
        "KIND".to_owned(),
        "STEPS".to_owned(),
        "EVERY".to_owned(),
        "TITLE".to_owned(),
    ]];
    table.extend(rows.iter().map(|r| {
        vec![
            r.id.to_owned(),
            r.kind.name().to_owned(),
            format!("{:>5}", r.steps),
            r.recurrence.unwrap_or("-").to_owned(),
            r.title.to_owned(),
        ]
    }));
    out.write_all(columns(&table).as_bytes())?;
    Ok(exit::OK)
}
