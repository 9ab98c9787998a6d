//! `runbook due`: the recurring duties, done, due or overdue, and what
//! runs left owed (post-mortems, follow-ups), with the monitoring-plugin
//! exit codes so cron or a monitoring system can page.

use std::io::{self, Write};

use chrono::{DateTime, Utc};

use super::{Context, columns, exit, write_json};
use crate::due::{Duty, worst};
use crate::learn::Owed;
use crate::text::Words;
use crate::text::words::run::moment;

pub fn run(
    context: &Context,
    at: DateTime<Utc>,
    json: bool,
    drills: bool,
    out: &mut dyn Write,
) -> io::Result<u8> {
    let Some(history) = super::history(context, true) else {
        return Ok(exit::UNKNOWN);
    };
    let catalog = &context.loaded.catalog;
    let overview = history.into_overview(catalog);
    let duties = overview.duties(catalog, at, drills);
    let owed = overview.owed(catalog, at);
    let code = worst(&duties).max(crate::learn::owed::worst(&owed));
    if json {
        // One list: the duties, then what runs left owed (each with its
        // `kind`), so a dashboard reads one array.
        let mut all: Vec<serde_json::Value> = Vec::new();
        for duty in &duties {
            all.push(serde_json::to_value(duty).map_err(io::Error::other)?);
        }
        for item in &owed {
            all.push(serde_json::to_value(item).map_err(io::Error::other)?);
        }
        write_json(out, &all)?;
        return Ok(code);
    }
    let words = context.words();
    let w = words.commands;
    if duties.is_empty() && owed.is_empty() {
        writeln!(out, "{}", w.no_duties)?;
        return Ok(code);
    }
    writeln!(out, "{}", (w.duties_at)(&moment(at, context.lang())))?;
    if !duties.is_empty() {
        let mut rows = vec![
            [w.h_duty, w.h_every, w.h_state, w.h_last_done, w.h_next_due]
                .map(str::to_owned)
                .to_vec(),
        ];
        for duty in &duties {
            rows.push(row(context, duty, at, words));
        }
        out.write_all(columns(&rows).as_bytes())?;
    }
    if !owed.is_empty() {
        write_owed(out, &owed, at, words)?;
    }
    let word = [w.plugin_ok, w.plugin_warning, w.plugin_critical][usize::from(code.min(2))];
    writeln!(out, "{word}")?;
    Ok(code)
}

/// What runs left owed, in a table of its own.
fn write_owed(
    out: &mut dyn Write,
    owed: &[Owed],
    at: DateTime<Utc>,
    words: &Words,
) -> io::Result<()> {
    use crate::learn::said as learn;
    let w = words.learn;
    writeln!(out, "\n{}", w.owed_title)?;
    let mut rows = vec![
        [w.h_what, w.h_owner, w.h_state, w.h_run]
            .map(str::to_owned)
            .to_vec(),
    ];
    for item in owed {
        rows.push(vec![
            learn::owed_title(words, item),
            learn::owner(words, item),
            learn::standing(words, item.standing, at),
            crate::text::inert(item.run()).into_owned(),
        ]);
    }
    out.write_all(columns(&rows).as_bytes())
}

fn row(context: &Context, duty: &Duty, at: DateTime<Utc>, words: &Words) -> Vec<String> {
    let lang = context.lang();
    let w = words.commands;
    let procedure = context.loaded.catalog.procedure(&duty.procedure);
    let title = procedure.map_or(duty.procedure.as_str(), |p| p.title.get(lang));
    let every = procedure
        .and_then(|p| p.recurrence)
        .map_or("-", |r| crate::catalog::said::recurrence(lang, r));
    let last = duty.last.as_ref().map_or_else(
        || w.never_done.to_owned(),
        |l| (w.done_by)(&moment(l.finished_at, lang), &crate::text::inert(&l.by)),
    );
    vec![
        title.to_owned(),
        every.to_owned(),
        crate::due::said::duty_state(words, duty, at),
        last,
        moment(duty.next_due, lang),
    ]
}
