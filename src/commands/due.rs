//! `runbook due`: the recurring duties, done, due or overdue, with the
//! monitoring-plugin exit codes so cron or a monitoring system can page.

use std::io::{self, Write};

use chrono::{DateTime, Utc};

use super::{Context, columns, exit, write_json};
use crate::due::{Duty, Runs, duties, worst};
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
    let (finished, open) = crate::runs::duty_runs(&history, drills);
    let runs = Runs {
        finished: &finished,
        open: &open,
        began: history.began,
    };
    let duties = duties(&context.loaded.catalog, runs, at);
    let code = worst(&duties);
    if json {
        write_json(out, &duties)?;
        return Ok(code);
    }
    let words = context.words();
    let w = words.commands;
    if duties.is_empty() {
        writeln!(out, "{}", w.no_duties)?;
        return Ok(code);
    }
    writeln!(out, "{}", (w.duties_at)(&moment(at, context.lang())))?;
    let mut rows = vec![
        [w.h_duty, w.h_every, w.h_state, w.h_last_done, w.h_next_due]
            .map(str::to_owned)
            .to_vec(),
    ];
    for duty in &duties {
        rows.push(row(context, duty, at, words));
    }
    out.write_all(columns(&rows).as_bytes())?;
    let word = [w.plugin_ok, w.plugin_warning, w.plugin_critical][usize::from(code.min(2))];
    writeln!(out, "{word}")?;
    Ok(code)
}

fn row(context: &Context, duty: &Duty, at: DateTime<Utc>, words: &Words) -> Vec<String> {
    let lang = context.lang();
    let w = words.commands;
    let procedure = context.loaded.catalog.procedure(&duty.procedure);
    let title = procedure.map_or(duty.procedure.as_str(), |p| p.title.get(lang));
    let every = procedure
        .and_then(|p| p.recurrence)
        .map_or("-", |r| crate::text::words::commands::recurrence(lang, r));
    let last = duty.last.as_ref().map_or_else(
        || w.never_done.to_owned(),
        |l| (w.done_by)(&moment(l.finished_at, lang), &crate::text::inert(&l.by)),
    );
    vec![
        title.to_owned(),
        every.to_owned(),
        crate::text::words::commands::duty_state(words, duty, at),
        last,
        moment(duty.next_due, lang),
    ]
}
