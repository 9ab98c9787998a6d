//! `runbook runs` and `runbook report`: runs read back from the journal.

use std::io::{self, Write};

use chrono::Utc;

use super::{Context, columns, exit, write_json};
use crate::cli::{ReportArgs, ReportFormat, RunsArgs};
use crate::report;
use crate::report::deadline_words;
use crate::run_list::{fold_all, summarise, summarise_closed};
use crate::store::read;

pub(super) fn load(context: &Context) -> Result<Vec<crate::journal::Entry>, u8> {
    match read::read_all(context.journal.journal()) {
        Ok((entries, problems)) => {
            for p in problems {
                crate::say!(
                    "runbook: {}:{}: {}",
                    context.journal.shown(),
                    p.line,
                    p.what(context.words())
                );
            }
            Ok(entries)
        }
        Err(e) => {
            crate::say!("runbook: {e}");
            Err(exit::JOURNAL_FAILED)
        }
    }
}

pub fn list(context: &Context, args: &RunsArgs, out: &mut dyn Write) -> io::Result<u8> {
    // Through the index: the closed runs from their summary lines, the open
    // ones from their own entries, and the tail after the checkpoint.
    let wants_closed = !args.open;
    let Some(history) = super::history(context, wants_closed) else {
        return Ok(exit::JOURNAL_FAILED);
    };
    let now = Utc::now();
    let catalog = &context.loaded.catalog;
    let lang = context.lang();
    // Drills stay out of the real list unless asked for.
    let mut summaries: Vec<_> = history
        .closed
        .iter()
        .filter(|run| args.drills || !run.drill)
        .map(|run| summarise_closed(run, catalog, lang))
        .chain(
            history
                .open
                .iter()
                .filter(|run| args.drills || run.drill.is_none())
                .map(|run| summarise(run, catalog, lang, now)),
        )
        .collect();
    summaries.sort_by(|a, b| (a.started_at, &a.id).cmp(&(b.started_at, &b.id)));
    if args.json {
        return write_json(out, &summaries);
    }
    let words = context.words();
    let w = words.commands;
    if summaries.is_empty() {
        let path = context.journal.shown();
        writeln!(out, "{}", (w.no_runs)(&path))?;
        return Ok(exit::OK);
    }
    let mut rows = vec![
        [
            w.h_run,
            w.h_state,
            w.h_done,
            w.h_started,
            w.h_by,
            w.h_next_deadline,
            w.h_answers,
        ]
        .map(str::to_owned)
        .to_vec(),
    ];
    for s in &summaries {
        let deadline = s.next_deadline.as_ref().map_or_else(
            || "-".to_owned(),
            |d| format!("{}: {}", d.label, deadline_words(&d.state, words)),
        );
        rows.push(vec![
            s.id.clone(),
            crate::text::words::phase(s.phase, words).to_owned(),
            format!("{}/{}", s.done, s.total),
            s.started_at.map_or_else(
                || "-".to_owned(),
                |t| t.format("%Y-%m-%d %H:%M").to_string(),
            ),
            s.started_by.clone().unwrap_or_default(),
            deadline,
            answers(s),
        ]);
    }
    // A cell holds one line, whatever a name holds.
    for row in &mut rows {
        for cell in row.iter_mut() {
            if let std::borrow::Cow::Owned(shown) = crate::text::inert(cell) {
                *cell = shown;
            }
        }
    }
    out.write_all(columns(&rows).as_bytes())?;
    Ok(exit::OK)
}

/// The typed answers of a run, `step=value`, or `-`.
fn answers(summary: &crate::run_list::Summary) -> String {
    if summary.answers.is_empty() {
        return "-".to_owned();
    }
    let pairs: Vec<String> = summary
        .answers
        .iter()
        .map(|(step, value)| format!("{step}={value}"))
        .collect();
    pairs.join(" ")
}

/// A run as the journal tells it: its state, every run's (a drill's score
/// compares them), its timeline, and what was recorded about runs after
/// they closed.
pub(super) struct Told {
    pub run: crate::run::RunState,
    pub runs: Vec<crate::run::RunState>,
    pub timeline: report::Timeline,
    pub ledger: crate::learn::Ledger,
}

/// Reads run `id` and its timeline at `now`; `Err` is the exit code, the
/// reason said.
/// `markdown`: the timeline is said for Markdown, else for JSON.
pub(super) fn tell(
    context: &Context,
    id: &str,
    now: chrono::DateTime<Utc>,
    markdown: bool,
) -> Result<Told, u8> {
    // The whole journal is verified on a second core while the first
    // reads it into runs: a report costs the longer of the two, not both.
    std::thread::scope(|scope| {
        let verifying = scope.spawn(|| {
            let rules = Some(&context.loaded.catalog);
            super::audit::check(&context.journal, rules, None, context.words())
        });
        let entries = load(context)?;
        let verification = match verifying.join() {
            Ok(Ok(report)) => report,
            Ok(Err(e)) => {
                crate::say!("runbook: {e}");
                return Err(exit::JOURNAL_FAILED);
            }
            Err(_) => {
                crate::say!("runbook: the journal's verification stopped before its end");
                return Err(exit::JOURNAL_FAILED);
            }
        };
        tell_from(context, id, (now, markdown), entries, &verification)
    })
}

fn tell_from(
    context: &Context,
    id: &str,
    (now, markdown): (chrono::DateTime<Utc>, bool),
    entries: Vec<crate::journal::Entry>,
    verification: &crate::journal::verify::Report,
) -> Result<Told, u8> {
    let mut runs = fold_all(&entries);
    let Some(index) = runs.iter().position(|r| r.id == id) else {
        let path = context.journal.shown();
        crate::say!("{}", (context.words().commands.no_run)(id, &path));
        return Err(exit::USAGE);
    };
    let mut ledger = crate::learn::Ledger::default();
    for entry in entries.iter().filter(|e| e.run.is_none()) {
        ledger.apply(&entry.meta(), &entry.event);
    }
    let run = runs[index].clone();
    let mut timeline = report::timeline(
        &run,
        &entries,
        &context.loaded.catalog,
        verification,
        context.lang(),
        now,
        markdown,
    );
    drop(entries);
    // A database row says which login wrote it: the server's word, beside
    // the name the entry claims.
    if let crate::store::Journal::Postgres(db) = context.journal.journal() {
        let seqs: Vec<u64> = timeline.items.iter().map(|i| i.seq).collect();
        match db.logins(&seqs) {
            Ok(logins) => {
                let mut logins: std::collections::HashMap<u64, String> =
                    logins.into_iter().collect();
                for item in &mut timeline.items {
                    item.db_login = logins.remove(&item.seq);
                }
            }
            Err(e) => tracing::warn!("report: the database logins cannot be read: {e}"),
        }
    }
    // The journal names output files relative to itself; the report, read
    // anywhere, names them whole.
    for finished in timeline
        .commands
        .iter_mut()
        .filter_map(|c| c.finished.as_mut())
    {
        if !finished.output.file.is_empty() {
            let path = crate::exec::output::resolve(&context.journal.path, &finished.output.file);
            finished.output.file = path.display().to_string();
        }
    }
    runs.shrink_to_fit();
    Ok(Told {
        run,
        runs,
        timeline,
        ledger,
    })
}

pub fn report(context: &Context, args: &ReportArgs, out: &mut dyn Write) -> io::Result<u8> {
    let Told {
        run,
        runs,
        timeline,
        ..
    } = match tell(
        context,
        &args.run,
        Utc::now(),
        matches!(args.format, ReportFormat::Md),
    ) {
        Ok(told) => told,
        Err(code) => return Ok(code),
    };
    let run = &run;
    match args.format {
        ReportFormat::Json => write_json(out, &timeline),
        ReportFormat::Md => {
            out.write_all(report::markdown(&timeline, context.words()).as_bytes())?;
            if run.drill.is_some() {
                // A drill's report ends with its score.
                let mut lines = super::drill::score_lines(context, run, &runs).into_iter();
                if let Some(title) = lines.next() {
                    writeln!(out, "\n## {title}\n\n```")?;
                }
                for line in lines {
                    writeln!(out, "{line}")?;
                }
                writeln!(out, "```")?;
            }
            Ok(exit::OK)
        }
    }
}
