//! `runbook stats`: the team's numbers over a window, as a table in the
//! terminal or JSON for a dashboard. Read through the journal's index:
//! the closed runs' summary lines and the open runs, never the history.

use std::io::{self, Write};

use chrono::Utc;

use super::{Context, columns, exit, write_json};
use crate::cli::StatsArgs;
use crate::learn::moments::Span;
use crate::learn::stats::{ProcedureRuns, Quantiles, Stats, stats};
use crate::text::Words;
use crate::text::words::run::moment;

pub fn run(context: &Context, args: &StatsArgs, out: &mut dyn Write) -> io::Result<u8> {
    let until = args.at.unwrap_or_else(Utc::now);
    let since = until - args.since.to_chrono();
    let Some(history) = super::history(context, true) else {
        return Ok(exit::JOURNAL_FAILED);
    };
    // Steps matter only where moments, deadlines, a post-mortem or a
    // release are read: incidents, procedures that write a post-mortem,
    // and deploys.
    let catalog = &context.loaded.catalog;
    let steps_read = |id: &str| {
        catalog.procedure(id).is_some_and(|p| {
            matches!(
                p.kind,
                crate::catalog::ProcedureKind::Incident | crate::catalog::ProcedureKind::Deploy
            ) || p.writes_postmortem()
        })
    };
    let mut runs: Vec<crate::run::RunState> = history
        .closed
        .iter()
        .map(|run| {
            if steps_read(&run.procedure) {
                run.state()
            } else {
                run.summary_state()
            }
        })
        .collect();
    runs.extend(history.open);
    let numbers = stats(
        &runs,
        &context.loaded.catalog,
        &history.ledger,
        since,
        until,
    );
    if args.json {
        return write_json(out, &numbers);
    }
    let words = context.words();
    write_text(context, &numbers, words, out)?;
    Ok(exit::OK)
}

fn write_text(
    context: &Context,
    numbers: &Stats,
    words: &Words,
    out: &mut dyn Write,
) -> io::Result<()> {
    let w = words.learn;
    let lang = context.lang();
    writeln!(
        out,
        "{} — {}\n",
        w.st_title,
        (w.st_window)(&moment(numbers.since, lang), &moment(numbers.until, lang))
    )?;
    writeln!(out, "{}", w.st_runs)?;
    out.write_all(procedure_table(context, &numbers.runs, words).as_bytes())?;
    writeln!(out, "\n{}", w.st_incidents)?;
    if numbers.incidents.is_empty() {
        writeln!(out, "{}", w.st_no_incident)?;
    } else {
        let mut rows = vec![
            [
                w.h_severity,
                w.h_count,
                w.h_respond,
                w.h_resolve,
                w.h_response_met,
                w.h_escalation_met,
            ]
            .map(str::to_owned)
            .to_vec(),
        ];
        for severity in &numbers.incidents {
            rows.push(vec![
                crate::text::inert(&severity.severity).into_owned(),
                severity.runs.to_string(),
                pair(severity.respond, words),
                pair(severity.resolve, words),
                share(severity.response_met.met, severity.response_met.of, words),
                share(
                    severity.escalation_met.met,
                    severity.escalation_met.of,
                    words,
                ),
            ]);
        }
        out.write_all(columns(&rows).as_bytes())?;
    }
    let delivery = &numbers.delivery;
    writeln!(out, "\n{}", w.st_delivery)?;
    writeln!(
        out,
        "{}",
        (w.st_deploys)(delivery.deploys, &format!("{:.1}", delivery.per_week))
    )?;
    writeln!(out, "{}", (w.st_weeks)(&sparkline(&delivery.weeks)))?;
    let window = crate::catalog::duration::human(chrono::TimeDelta::seconds(
        delivery.failure_window_seconds,
    ));
    let rate = delivery
        .change_failure_rate
        .map_or_else(|| w.st_none.to_owned(), |r| percent(r, lang));
    writeln!(
        out,
        "{}",
        (w.st_failure)(&rate, delivery.failed, delivery.deploys, &window)
    )?;
    let restore = delivery.time_to_restore;
    writeln!(
        out,
        "{}",
        (w.st_restore)(&span(restore.p50, words), restore.count)
    )?;
    writeln!(out, "\n{}", w.st_learning)?;
    let pm = numbers.postmortems;
    writeln!(
        out,
        "{}",
        (w.st_postmortems)(pm.owed, pm.overdue, pm.on_time, pm.late)
    )?;
    let fu = numbers.followups;
    writeln!(
        out,
        "{}",
        (w.st_followups)(fu.open, fu.overdue, fu.done, fu.dropped)
    )?;
    if !numbers.drills.is_empty() {
        let total: usize = numbers
            .drills
            .iter()
            .map(|r| r.finished + r.aborted + r.open)
            .sum();
        writeln!(out, "\n{}", w.st_drills)?;
        writeln!(out, "{}", (w.st_drill_runs)(total))?;
        out.write_all(procedure_table(context, &numbers.drills, words).as_bytes())?;
    }
    Ok(())
}

fn procedure_table(context: &Context, runs: &[ProcedureRuns], words: &Words) -> String {
    let w = words.learn;
    let mut rows = vec![
        [w.h_procedure, w.h_finished, w.h_aborted, w.h_open]
            .map(str::to_owned)
            .to_vec(),
    ];
    for r in runs {
        let title = context.loaded.catalog.procedure(&r.procedure).map_or_else(
            || crate::text::inert(&r.procedure).into_owned(),
            |p| p.title.get(context.lang()).to_owned(),
        );
        rows.push(vec![
            title,
            r.finished.to_string(),
            r.aborted.to_string(),
            r.open.to_string(),
        ]);
    }
    columns(&rows)
}

fn span(span: Option<Span>, words: &Words) -> String {
    span.map_or_else(
        || words.learn.st_none.to_owned(),
        |s| crate::catalog::duration::human(s.delta()),
    )
}

fn pair(q: Quantiles, words: &Words) -> String {
    if q.count == 0 {
        return words.learn.st_none.to_owned();
    }
    format!("{} / {}", span(q.p50, words), span(q.p90, words))
}

fn share(met: usize, of: usize, words: &Words) -> String {
    if of == 0 {
        return words.learn.st_none.to_owned();
    }
    (words.learn.share)(met, of)
}

/// `25%`, or `25 %` as French writes it.
fn percent(rate: f64, lang: &str) -> String {
    let space = if lang.starts_with("fr") { " " } else { "" };
    format!("{:.0}{space}%", rate * 100.0)
}

/// One bar a week, its height the week's count against the busiest.
fn sparkline(weeks: &[usize]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let most = weeks.iter().copied().max().unwrap_or(0);
    weeks
        .iter()
        .map(|n| {
            if *n == 0 || most == 0 {
                '·'
            } else {
                BARS[(n * (BARS.len() - 1)).div_ceil(most).min(BARS.len() - 1)]
            }
        })
        .collect()
}
