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
    let w = context.words().commands;
    let lang = context.lang();
    let mut table = vec![vec![
        w.h_id.to_owned(),
        w.h_kind.to_owned(),
        w.h_steps.to_owned(),
        w.h_every.to_owned(),
        w.h_title.to_owned(),
    ]];
    table.extend(procedures.iter().zip(&rows).map(|(p, r)| {
        vec![
            r.id.to_owned(),
            crate::catalog::said::kind(lang, r.kind).to_owned(),
            format!("{:>5}", r.steps),
            p.recurrence
                .map_or("-", |e| crate::catalog::said::recurrence(lang, e))
                .to_owned(),
            r.title.to_owned(),
        ]
    }));
    out.write_all(columns(&table).as_bytes())?;
    Ok(exit::OK)
}
