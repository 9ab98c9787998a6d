//! `runbook window`: is a maintenance window open, when does the next one
//! open, and can its notice still be given.

use std::io::{self, Write};

use chrono::{DateTime, Utc};

use super::{Context, exit, write_json};
use crate::catalog::duration::human;
use crate::windows::{Occurrence, status};

fn when(at: DateTime<Utc>, lang: &str) -> String {
    crate::text::words::run::moment(at, lang)
}

pub fn run(
    context: &Context,
    at: DateTime<Utc>,
    json: bool,
    out: &mut dyn Write,
) -> io::Result<u8> {
    let windows = &context.loaded.catalog.windows;
    let report = status(windows, at);
    if json {
        return write_json(out, &report);
    }
    let lang = context.lang();
    let w = context.words().commands;
    let name = |o: &Occurrence<'_>| o.window.title.get(lang).to_owned();
    let hour = |t: DateTime<Utc>| t.format("%H:%M UTC").to_string();
    writeln!(out, "{} {}", w.windows_at, when(at, lang))?;
    if windows.is_empty() {
        writeln!(out, "{}", w.no_window)?;
        return Ok(exit::OK);
    }
    match &report.open {
        Some(open) => {
            let left = human(open.closes - at);
            writeln!(
                out,
                "{}",
                (w.open_now)(&name(open), &hour(open.closes), &left)
            )?;
        }
        None => writeln!(out, "{}", w.closed_now)?,
    }
    let Some(next) = &report.next else {
        return Ok(exit::OK);
    };
    let (opens, closes) = (when(next.opens, lang), hour(next.closes));
    let left = human(next.opens - at);
    writeln!(
        out,
        "{}",
        (w.next_window)(&name(next), &opens, &closes, &left)
    )?;
    let notify_by = next.notify_by();
    let notice = next.window.notice.to_string();
    if next.notice_met(at) {
        let left = human(notify_by - at);
        let by = when(notify_by, lang);
        writeln!(out, "{}", (w.notice_on_time)(&notice, &by, &left))?;
    } else {
        let ago = human(at - notify_by);
        let by = when(notify_by, lang);
        writeln!(out, "{}", (w.notice_missed)(&notice, &by, &ago))?;
        if let Some(feasible) = &report.next_with_notice {
            let opens = when(feasible.opens, lang);
            let by = when(feasible.notify_by(), lang);
            let left = human(feasible.notify_by() - at);
            writeln!(out, "{}", (w.earliest)(&name(feasible), &opens, &by, &left))?;
        }
    }
    Ok(exit::OK)
}
