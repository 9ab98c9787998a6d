//! `runbook severity`: the severity table.

use std::io::{self, Write};

use super::{Context, columns, exit, write_json};

pub fn severity(context: &Context, json: bool, out: &mut dyn Write) -> io::Result<u8> {
    let severities = &context.loaded.catalog.severities;
    if json {
        return write_json(out, severities);
    }
    let w = context.words().commands;
    let mut rows = vec![vec![
        w.h_level.to_owned(),
        w.h_meaning.to_owned(),
        w.h_response.to_owned(),
        w.h_escalation.to_owned(),
    ]];
    rows.extend(severities.iter().map(|s| {
        let escalation = match s.escalation {
            None => w.not_applicable.to_owned(),
            Some(d) if d.as_secs() == 0 => w.immediate.to_owned(),
            Some(d) => d.to_string(),
        };
        vec![
            s.id.clone(),
            s.title.get(context.lang()).to_owned(),
            s.response.to_string(),
            escalation,
        ]
    }));
    out.write_all(columns(&rows).as_bytes())?;
    Ok(exit::OK)
}
