//! A run's timeline for the post-mortem: who did what and when, notes,
//! skipped steps and why, deadlines met or missed, the content hash of the
//! procedure as it was run, and the journal's verification result.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::catalog::Catalog;
use crate::journal::Entry;
use crate::journal::verify::Report as Verification;
use crate::run::deadline::{DeadlineState, DeadlineStatus, deadlines};
use crate::run::{Event, Phase, RunState, StepStatus};
use crate::text::Words;
use crate::text::markdown as md;

pub mod updates;

#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub operator: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// The fingerprint of the key that signed the entry; `null` when the
    /// name is only claimed.
    pub signer: Option<String>,
    /// On a database journal: the login the server recorded for the row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub db_login: Option<String>,
    pub event: Event,
    /// The event in words.
    pub what: String,
    /// The same words for a Markdown report: what came from people escaped.
    #[serde(skip)]
    pub what_markdown: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct JournalCheck {
    pub intact: bool,
    pub entries: u64,
    pub head: Option<String>,
    pub first_problem: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Skipped {
    pub step: String,
    pub reason: String,
    pub by: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Timeline {
    pub run: String,
    pub procedure: String,
    pub title: String,
    pub severity: Option<String>,
    /// The procedure's content hash when the run started.
    pub procedure_hash: String,
    /// Whether the catalog in use still has that exact procedure.
    pub procedure_unchanged: bool,
    pub outcome: String,
    pub started_at: Option<DateTime<Utc>>,
    pub operators: Vec<String>,
    pub items: Vec<Item>,
    pub skipped: Vec<Skipped>,
    pub open_steps: Vec<String>,
    pub deadlines: Vec<DeadlineStatus>,
    /// The step commands run, in order, with how each ended.
    pub commands: Vec<crate::run::command::Ran>,
    /// What the people outside the terminal were told, in order.
    pub updates: Vec<crate::status::Posted>,
    pub journal: JournalCheck,
}

/// An event in words, for timelines and for teammates' activity.
pub fn describe(event: &Event, step_text: &dyn Fn(&str) -> String, words: &Words) -> String {
    describe_with(event, step_text, &|text| text.to_owned(), words)
}

/// As `describe`, with every text that came from a person or the journal
/// passed through `shown` (escaped for Markdown, for instance).
/// A hold passed without its readings, said on the step's line: in the
/// report and the post-mortem draft alike.
fn overridden(
    held: Option<&crate::run::event::Held>,
    shown: &dyn Fn(&str) -> String,
    words: &Words,
) -> String {
    held.and_then(|h| {
        let reason = h.overridden.as_ref()?;
        let unread = h.unread.join(", ");
        Some((words.run.ev_hold_overridden)(
            &shown(reason),
            &shown(&unread),
        ))
    })
    .unwrap_or_default()
}

pub fn describe_with(
    event: &Event,
    step_text: &dyn Fn(&str) -> String,
    shown: &dyn Fn(&str) -> String,
    words: &Words,
) -> String {
    let w = words.run;
    let quote = |text: Option<&String>| text.map(|n| (w.ev_quote)(&shown(n))).unwrap_or_default();
    let overridden = |held: Option<&crate::run::event::Held>| overridden(held, shown, words);
    match event {
        Event::RunStarted {
            procedure,
            severity,
            ..
        } => (w.started)(
            &shown(procedure),
            &severity
                .as_ref()
                .map(|s| (w.at_severity)(&shown(s)))
                .unwrap_or_default(),
        ),
        Event::StepCompleted {
            step, note, hold, ..
        } => (w.ev_done)(&step_text(step), &quote(note.as_ref())) + &overridden(hold.as_ref()),
        Event::StepNotNeeded {
            step,
            condition,
            value,
        } => (w.ev_not_needed)(&step_text(step), &shown(condition), &shown(value)),
        Event::StepProposed { step, note, hold } => {
            (w.ev_proposed)(&step_text(step), &quote(note.as_ref())) + &overridden(hold.as_ref())
        }
        Event::StepClaimed { step } => (w.ev_claimed)(&step_text(step)),
        Event::StepConfirmed { step } => (w.ev_confirmed)(&step_text(step)),
        Event::StepSkipped { .. }
        | Event::StepFailed { .. }
        | Event::StepSkipProposed { .. }
        | Event::StepFailProposed { .. }
        | Event::StepReopened { .. } => describe_closing(event, step_text, shown, words),
        Event::NoteAdded { step, text } => match step {
            Some(step) => (w.ev_note_on)(&step_text(step), &shown(text)),
            None => (w.ev_note)(&shown(text)),
        },
        Event::MetricCrossed {
            metric,
            from,
            to,
            value,
        } => (w.ev_metric)(&shown(metric), &shown(from), &shown(to), &value.to_string()),
        Event::SeverityChanged { from, to } => {
            (w.ev_severity)(&shown(from.as_deref().unwrap_or(w.none)), &shown(to))
        }
        Event::StatusUpdated(update) => said_update(update, shown, words),
        Event::RunDetached { reason } => (w.ev_left)(&quote(
            reason.as_deref().map(|r| left_why(r, words)).as_ref(),
        )),
        Event::RunResumed => w.resumed.to_owned(),
        Event::RunAborted { reason } => (w.ev_aborted)(&shown(reason)),
        Event::RunFinished => w.finished_run.to_owned(),
        Event::CommandRequested { step, command } => {
            (words.exec.ev_requested)(&shown(command), &step_text(step))
        }
        Event::CommandApproved { step, command } => {
            (words.exec.ev_approved)(&shown(command), &step_text(step))
        }
        Event::CommandStarted {
            step,
            command,
            host,
            ..
        } => (words.exec.ev_started)(&shown(command), &step_text(step), &shown(host)),
        Event::CommandFinished {
            step,
            outcome,
            duration_ms,
            output,
            ..
        } => (words.exec.ev_finished)(
            &step_text(step),
            &crate::run::said::outcome(words, outcome),
            &crate::catalog::duration::human_ms(*duration_ms),
            output.bytes,
        ),
        Event::JournalCreated { .. } => w.ev_journal_created.to_owned(),
        Event::TailRecovered { torn_bytes, .. } => (w.ev_tail_recovered)(*torn_bytes),
        Event::NotificationSent(_)
        | Event::NotificationFailed { .. }
        | Event::HeadAnchored { .. } => describe_notify(event, shown, words),
        Event::DrillStarted { .. } | Event::DrillClockJumped { .. } => {
            describe_drill(event, shown, words)
        }
        Event::PostmortemDone { .. }
        | Event::StepSettled { .. }
        | Event::BreachNoticeSent(_)
        | Event::PolicyPublished(_)
        | Event::FollowupAdded { .. }
        | Event::FollowupDone { .. }
        | Event::FollowupDropped { .. } => describe_learning(event, shown, words),
    }
}

/// A status update in words: its state, impact, audience, components
/// and what it said.
pub fn said_update(
    update: &crate::status::Update,
    shown: &dyn Fn(&str) -> String,
    words: &Words,
) -> String {
    let w = words.status;
    let components = if update.components.is_empty() {
        String::new()
    } else {
        format!(", {}", shown(&update.components.join(", ")))
    };
    (w.ev_update)(
        w.status(update.status),
        w.impact(update.impact),
        &format!("{}{components}", w.audience(update.audience())),
        &shown(&update.text),
    )
}

/// A notification sent or given up, a head anchored.
fn describe_notify(event: &Event, shown: &dyn Fn(&str) -> String, words: &Words) -> String {
    match event {
        Event::NotificationSent(d) => {
            (words.notify.ev_sent)(&shown(&d.trigger), &shown(&d.target), d.attempts)
        }
        Event::NotificationFailed {
            delivery, error, ..
        } => (words.notify.ev_failed)(
            &shown(&delivery.trigger),
            &shown(&delivery.target),
            &shown(error),
        ),
        Event::HeadAnchored { target, seq, .. } => (words.notify.ev_anchored)(*seq, &shown(target)),
        _ => String::new(),
    }
}

/// A step closed otherwise than done, or opened again.
fn describe_closing(
    event: &Event,
    step_text: &dyn Fn(&str) -> String,
    shown: &dyn Fn(&str) -> String,
    words: &Words,
) -> String {
    let w = words.run;
    match event {
        Event::StepSkipped { step, reason } => (w.ev_skipped)(&step_text(step), &shown(reason)),
        Event::StepFailed { step, note } => (w.ev_failed)(&step_text(step), &shown(note)),
        Event::StepSkipProposed { step, reason } => {
            (w.ev_skip_proposed)(&step_text(step), &shown(reason))
        }
        Event::StepFailProposed { step, note } => {
            (w.ev_fail_proposed)(&step_text(step), &shown(note))
        }
        Event::StepReopened { step, reason } => {
            let quoted = reason.as_ref().map(|r| (w.ev_quote)(&shown(r)));
            (w.ev_reopened)(&step_text(step), &quoted.unwrap_or_default())
        }
        _ => String::new(),
    }
}

fn describe_learning(event: &Event, shown: &dyn Fn(&str) -> String, words: &Words) -> String {
    let w = words.learn;
    match event {
        Event::PostmortemDone { run, link, sha256 } => {
            let link = link
                .as_deref()
                .map(|l| format!(": {}", shown(l)))
                .or_else(|| sha256.as_deref().map(|h| format!(": sha256:{h}")))
                .unwrap_or_default();
            (w.ev_postmortem)(&shown(run), &link)
        }
        Event::StepSettled { run, step, reason } => {
            (w.ev_settled)(&shown(step), &shown(run), &shown(reason))
        }
        Event::BreachNoticeSent(sent) => (words.gdpr.ev_sent)(
            sent.audience.name(),
            &shown(&sent.reference),
            &sent
                .delay_reason
                .as_deref()
                .map(|r| (words.run.ev_quote)(&shown(r)))
                .unwrap_or_default(),
        ),
        Event::PolicyPublished(published) => (w.ev_policy)(
            published.policy.operators.len(),
            published.policy.roles.len(),
            published.policy.require.name(),
        ),
        Event::FollowupAdded { text, owner, .. } => (w.ev_followup)(
            &shown(text),
            &owner
                .as_deref()
                .map(|o| (w.owner_is)(&shown(o)))
                .unwrap_or_default(),
        ),
        Event::FollowupDone { followup, note } => (w.ev_followup_done)(
            *followup,
            &note
                .as_deref()
                .map(|n| (words.run.ev_quote)(&shown(n)))
                .unwrap_or_default(),
        ),
        Event::FollowupDropped { followup, reason } => {
            (w.ev_followup_dropped)(*followup, &shown(reason))
        }
        _ => String::new(),
    }
}

/// The reasons the program itself records for leaving are codes: said.
fn left_why(reason: &str, words: &Words) -> String {
    let w = words.run;
    match reason {
        "quit" => w.r_quit.to_owned(),
        "left" => w.r_left.to_owned(),
        "hangup" => w.r_hangup.to_owned(),
        "end of input" => w.r_end_of_input.to_owned(),
        "terminal closed" => w.r_terminal_closed.to_owned(),
        "terminated" => w.r_terminated.to_owned(),
        other => other.to_owned(),
    }
}

fn describe_drill(event: &Event, shown: &dyn Fn(&str) -> String, words: &Words) -> String {
    let w = words.drill;
    match event {
        Event::DrillStarted {
            scenario, speed, ..
        } => (w.ev_started)(
            *speed,
            &scenario
                .as_ref()
                .map(|s| (w.ev_scenario)(&shown(s)))
                .unwrap_or_default(),
        ),
        Event::DrillClockJumped { from } => {
            (w.ev_jumped)(&from.format("%Y-%m-%d %H:%M").to_string())
        }
        _ => String::new(),
    }
}

fn outcome(phase: &Phase, words: &Words) -> String {
    let w = words.run;
    let when = |at: &DateTime<Utc>| at.format("%Y-%m-%d %H:%M:%S UTC").to_string();
    match phase {
        Phase::New | Phase::Open => w.open.to_owned(),
        Phase::Finished { by, at } => (w.outcome_finished)(by, &when(at)),
        Phase::Aborted { by, at, reason } => (w.outcome_aborted)(by, &when(at), reason),
    }
}

/// `markdown`: the items are said for a Markdown report (`what_markdown`),
/// else for JSON (`what`).
pub fn timeline(
    run: &RunState,
    entries: &[Entry],
    catalog: &Catalog,
    verification: &Verification,
    lang: &str,
    now: DateTime<Utc>,
    markdown: bool,
) -> Timeline {
    let words = crate::text::words(lang);
    let procedure = catalog.procedure(&run.procedure);
    let step_text = |id: &str| {
        procedure.and_then(|p| p.step(id)).map_or_else(
            || format!("`{id}`"),
            |s| format!("{} (`{id}`)", s.text.get(lang)),
        )
    };
    let step_text_md = |id: &str| {
        procedure.and_then(|p| p.step(id)).map_or_else(
            || format!("`{}`", code_safe(id)),
            |s| format!("{} (`{}`)", md(s.text.get(lang)), code_safe(id)),
        )
    };
    // Follow-ups are closed by their number: those of this run, as met.
    let mut followups = std::collections::HashSet::new();
    let items = entries
        .iter()
        .filter(|e| {
            if matches!(&e.event, Event::FollowupAdded { run: r, .. } if *r == run.id) {
                followups.insert(e.seq);
            }
            belongs(e, &run.id, &followups)
        })
        .map(|e| Item {
            seq: e.seq,
            // A drill's timeline is told on its own clock.
            at: e.meta().at,
            operator: e.operator.clone(),
            from: e.from.clone(),
            signer: e.signer.clone(),
            db_login: None,
            event: e.event.clone(),
            // Said once, in the form the report is written in.
            what: if markdown {
                String::new()
            } else {
                describe(&e.event, &step_text, words)
            },
            what_markdown: if markdown {
                describe_with(&e.event, &step_text_md, &|t| code_safe(t), words)
            } else {
                String::new()
            },
        })
        .collect();
    let mut skipped = Vec::new();
    let mut open_steps = Vec::new();
    for step in procedure
        .into_iter()
        .flat_map(crate::catalog::Procedure::steps)
    {
        match run.status(&step.id) {
            StepStatus::Skipped { by, reason, .. } => skipped.push(Skipped {
                step: step.id.clone(),
                reason: reason.clone(),
                by: by.clone(),
            }),
            status if status.is_open() => open_steps.push(step.id.clone()),
            _ => {}
        }
    }
    Timeline {
        run: run.id.clone(),
        procedure: run.procedure.clone(),
        title: procedure.map_or_else(|| run.procedure.clone(), |p| p.title.get(lang).to_owned()),
        severity: run.severity.clone(),
        procedure_hash: run.procedure_hash.clone(),
        procedure_unchanged: procedure.is_some_and(|p| p.content_hash == run.procedure_hash),
        outcome: outcome(&run.phase, words),
        started_at: run.started_at,
        operators: run.operators.clone(),
        items,
        skipped,
        open_steps,
        deadlines: procedure.map_or_else(Vec::new, |p| deadlines(run, catalog, p, lang, now)),
        commands: run.commands.clone(),
        updates: run.updates.clone(),
        journal: JournalCheck {
            intact: verification.intact(),
            entries: verification.lines,
            head: verification.head.as_ref().map(|(s, h)| format!("{s}:{h}")),
            first_problem: verification
                .errors
                .first()
                .map(|p| (words.run.line_problem)(p.line, &p.what(words))),
        },
    }
}

/// Whether an entry is part of run `run`'s story: its own entries, and
/// the deliveries of its notifications (journaled by whichever process
/// sent them, outside the run), so the post-mortem says who was told when.
/// Its post-mortem and follow-ups, recorded after it closed, too.
fn belongs(entry: &Entry, run: &str, followups: &std::collections::HashSet<u64>) -> bool {
    let delivery = match &entry.event {
        Event::NotificationSent(d) => Some(d),
        Event::NotificationFailed { delivery, .. } => Some(delivery),
        Event::PostmortemDone { run: r, .. }
        | Event::StepSettled { run: r, .. }
        | Event::FollowupAdded { run: r, .. }
        | Event::BreachNoticeSent(crate::gdpr::Sent { run: r, .. }) => {
            return r == run;
        }
        Event::FollowupDone { followup, .. } | Event::FollowupDropped { followup, .. } => {
            return followups.contains(followup);
        }
        _ => None,
    };
    entry.run.as_deref() == Some(run) || delivery.is_some_and(|d| d.run.as_deref() == Some(run))
}

/// Text for a Markdown report that may stand inside a code span, where
/// backslash escapes do not work: inert, without backticks.
fn code_safe(text: &str) -> String {
    md(text).replace("\\`", "'")
}

pub fn deadline_words(state: &DeadlineState, words: &Words) -> String {
    let w = words.run;
    let when = |t: &DateTime<Utc>| t.format("%Y-%m-%d %H:%M UTC").to_string();
    let span = crate::catalog::duration::human;
    match state {
        DeadlineState::NotStarted => w.not_started.to_owned(),
        DeadlineState::NotApplicable => w.not_applicable.to_owned(),
        DeadlineState::Pending { due, left } => (w.due_in)(&when(due), &span(*left)),
        DeadlineState::Now { until, .. } => (w.due_now)(&when(until)),
        DeadlineState::Overdue { due, late } => (w.overdue_since)(&when(due), &span(*late)),
        DeadlineState::Met { due, at } => (w.met_at)(&when(at), &when(due)),
        DeadlineState::Missed { due, at, late } => (w.missed)(&when(at), &span(*late), &when(due)),
    }
}

pub fn markdown(t: &Timeline, words: &Words) -> String {
    let w = words.run;
    let mut out = String::new();
    let _ = writeln!(out, "# {} `{}` — {}\n", w.title_run, t.run, md(&t.title));
    let _ = writeln!(out, "- {}: `{}`", w.md_procedure, t.procedure);
    let changed = if t.procedure_unchanged {
        ""
    } else {
        w.md_differs
    };
    let _ = writeln!(
        out,
        "- {}: sha256:{}{changed}",
        w.md_content, t.procedure_hash
    );
    if let Some(severity) = &t.severity {
        let _ = writeln!(out, "- {}: {severity}", w.md_severity);
    }
    if let Some(at) = t.started_at {
        let _ = writeln!(
            out,
            "- {}: {}",
            w.md_started,
            at.format("%Y-%m-%d %H:%M:%S UTC")
        );
    }
    let _ = writeln!(out, "- {}: {}", w.md_outcome, md(&t.outcome));
    let operators: Vec<String> = t.operators.iter().map(|o| md(o)).collect();
    let _ = writeln!(out, "- {}: {}", w.md_operators, operators.join(", "));
    let journal = if t.journal.intact {
        (w.md_intact)(t.journal.entries, t.journal.head.as_deref().unwrap_or("-"))
    } else {
        (w.md_not_intact)(
            t.journal
                .first_problem
                .as_deref()
                .unwrap_or(w.md_unknown_problem),
        )
    };
    let _ = writeln!(out, "- {}: {journal}\n", w.md_journal);
    let _ = writeln!(out, "## {}\n", w.md_timeline);
    timeline_table(&mut out, &t.items, words);
    let _ = writeln!(out, "\n## {}\n", w.md_deadlines);
    if t.deadlines.is_empty() {
        let _ = writeln!(out, "{}", w.md_no_deadline);
    }
    for d in &t.deadlines {
        let _ = writeln!(
            out,
            "- {} (`{}`): {}",
            md(&d.label),
            d.step,
            deadline_words(&d.state, words)
        );
    }
    updates::markdown(&mut out, &t.updates, words);
    let _ = writeln!(out, "\n## {}\n", w.md_skipped);
    if t.skipped.is_empty() {
        let _ = writeln!(out, "{}", w.md_nothing);
    }
    for s in &t.skipped {
        let _ = writeln!(
            out,
            "{}",
            (w.md_skipped_by)(&s.step, &md(&s.by), &md(&s.reason))
        );
    }
    if !t.open_steps.is_empty() {
        let _ = writeln!(out, "\n## {}\n", w.md_open_steps);
        for step in &t.open_steps {
            let _ = writeln!(out, "- `{step}`");
        }
    }
    commands_markdown(&mut out, &t.commands, words);
    out
}

/// The timeline as a Markdown table: number, time, who (signed or only
/// claimed), what.
pub fn timeline_table(out: &mut String, items: &[Item], words: &Words) {
    let w = words.run;
    let _ = writeln!(out, "{}\n|---|------|-----|------|", w.md_columns);
    for item in items {
        let mut who = match &item.from {
            Some(from) => format!("{} ({from})", item.operator),
            None => item.operator.clone(),
        };
        // Signed (the key's fingerprint, shortened) or only claimed.
        match &item.signer {
            Some(key) => {
                let short: String = key.chars().take(19).collect();
                let _ = write!(who, " ✓ {}", (w.md_signed)(&short));
            }
            None => {
                let _ = write!(who, " · {}", w.md_claimed);
            }
        }
        if let Some(login) = &item.db_login {
            let _ = write!(who, " · {}", (w.md_db_login)(login));
        }
        let (who, what) = (md(&who), &item.what_markdown);
        let at = item.at.format("%Y-%m-%d %H:%M:%S");
        let _ = writeln!(out, "| {} | {at} | {who} | {what} |", item.seq);
    }
}

/// Each command: what ran, where, how it ended, and the end of its output
/// in a fence no backtick run in it can close.
pub fn commands_markdown(out: &mut String, commands: &[crate::run::command::Ran], words: &Words) {
    if commands.is_empty() {
        return;
    }
    let w = words.exec;
    let _ = writeln!(out, "\n## {}\n", words.run.md_commands);
    for ran in commands {
        let head = (w.md_command)(ran.seq, &code_safe(&ran.step), &md(&ran.by), &md(&ran.host));
        let _ = writeln!(out, "- {head}: `{}`", code_safe(&ran.command));
        let Some(finished) = &ran.finished else {
            let _ = writeln!(out, "  - {}", w.unknown_outcome);
            continue;
        };
        let took = crate::catalog::duration::human_ms(finished.duration_ms);
        let outcome = crate::run::said::outcome(words, &finished.outcome);
        let _ = writeln!(out, "  - {} ({took})", md(&outcome));
        let output = &finished.output;
        if output.file.is_empty() {
            continue;
        }
        let whole = if output.parts.is_some() {
            (w.md_output_db)(ran.seq, output.bytes, &output.sha256)
        } else {
            (w.md_output)(&md(&output.file), output.bytes, &output.sha256)
        };
        let _ = writeln!(out, "  - {whole}");
        let tail = crate::text::inert_lines(output.tail.trim_end());
        let longest = tail.split(|c| c != '`').map(str::len).max().unwrap_or(0);
        let fence = "`".repeat((longest + 1).max(3));
        let _ = writeln!(out, "\n{fence}text\n{tail}\n{fence}\n");
    }
}
