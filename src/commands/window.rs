//! `runbook window`: is a maintenance window open, when does the next one
//! open, and can its notice still be given.

use std::io::{self, Write};

use chrono::{DateTime, Utc};

use super::{Context, exit, write_json};
use crate::catalog::duration::human;
use crate::clock::window::{Occurrence, status};

const FORMAT: &str = "%a %Y-%m-%d %H:%M UTC";

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
    let name = |o: &Occurrence<'_>| o.window.title.get(lang).to_owned();
    writeln!(out, "Maintenance windows at {}", at.format(FORMAT))?;
    if windows.is_empty() {
        writeln!(out, "  no maintenance window is defined in the catalog")?;
        return Ok(exit::OK);
    }
    match &report.open {
        Some(open) => writeln!(
            out,
            "  OPEN now: {} window, closes {} (in {})",
            name(open),
            open.closes.format("%H:%M UTC"),
            human(open.closes - at)
        )?,
        None => writeln!(out, "  closed: no window is open now")?,
    }
    let Some(next) = &report.next else {
        return Ok(exit::OK);
    };
    writeln!(
        out,
        "  next: {} window, {} to {} (opens in {})",
        name(next),
        next.opens.format(FORMAT),
        next.closes.format("%H:%M UTC"),
        human(next.opens - at)
    )?;
    let notify_by = next.notify_by();
    if next.notice_met(at) {
        writeln!(
            out,
            "  notice: {} required; send it by {} (in {}) — still on time",
            next.window.notice,
            notify_by.format(FORMAT),
            human(notify_by - at)
        )?;
    } else {
        writeln!(
            out,
            "  notice: {} required; it was due by {} ({} ago) — MISSED for this window",
            next.window.notice,
            notify_by.format(FORMAT),
            human(at - notify_by)
        )?;
        if let Some(feasible) = &report.next_with_notice {
            writeln!(
                out,
                "  earliest window with notice on time: {} window, {}; notify by {} (in {})",
                name(feasible),
                feasible.opens.format(FORMAT),
                feasible.notify_by().format(FORMAT),
                human(feasible.notify_by() - at)
            )?;
        }
    }
    Ok(exit::OK)
}
