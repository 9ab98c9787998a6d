//! The post-mortem draft: what the journal knows of a run, set out the
//! way a team writes its review (summary, key times and the spans between
//! them, deadlines, metric crossings, commands, notifications, the whole
//! timeline), then the sections only people can write, and the
//! follow-ups. Markdown that renders on GitHub and GitLab, or JSON whose
//! shape is documented in `docs/post-mortems.md`.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::ledger::{Followup, FollowupState, Ledger, Written};
use super::moments::{Span, Spans, moments, spans};
use super::owed::{Owed, postmortem};
use crate::catalog::{Catalog, Direction, Mark};
use crate::report::{Item, Timeline};
use crate::run::deadline::DeadlineStatus;
use crate::run::{Event, Phase, RunState};
use crate::text::Words;
use crate::text::markdown as md;

/// The JSON draft's version: bumped only when a member changes meaning or
/// goes; new members may appear in any version.
pub const FORMAT: u32 = 1;

#[derive(Debug, Clone, Serialize)]
pub struct Draft {
    pub format: u32,
    /// When the draft was made: what the owed post-mortem is judged at.
    pub made_at: DateTime<Utc>,
    pub run: String,
    pub procedure: String,
    pub title: String,
    pub severity: Option<String>,
    pub severity_changes: Vec<SeverityChange>,
    /// `finished`, `aborted` or `open`.
    pub phase: &'static str,
    /// The outcome in words.
    pub outcome: String,
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    pub people: Vec<String>,
    /// Each moment a step of the procedure marks, reached or not.
    pub moments: Vec<Moment>,
    pub spans: Spans,
    pub deadlines: Vec<DeadlineStatus>,
    pub crossings: Vec<Crossing>,
    pub commands: Vec<crate::run::command::Ran>,
    pub notifications: Vec<Notified>,
    /// The status updates the run posted.
    pub updates: Vec<crate::status::Posted>,
    /// The post-mortem recorded as written, if it was.
    pub written: Option<Written>,
    /// What it still owes, if it does.
    pub owed: Option<Owed>,
    pub followups: Vec<Followup>,
    pub timeline: Vec<Item>,
    pub journal: crate::report::JournalCheck,
}

#[derive(Debug, Clone, Serialize)]
pub struct SeverityChange {
    pub at: DateTime<Utc>,
    pub by: String,
    pub from: Option<String>,
    pub to: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Moment {
    pub mark: &'static str,
    pub step: String,
    pub at: Option<DateTime<Utc>>,
}

/// A metric's crossings during the run, with the worst value it read.
#[derive(Debug, Clone, Serialize)]
pub struct Crossing {
    pub metric: String,
    pub first_at: DateTime<Utc>,
    pub last_at: DateTime<Utc>,
    /// How many times it changed level.
    pub changes: usize,
    /// The worst level it reached (`alert`, `critical`).
    pub worst: String,
    /// Its worst value: the highest, or the lowest for a metric that is
    /// bad when it falls.
    pub peak: f64,
    /// The level it was last seen at.
    pub last: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Notified {
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub target: String,
    pub trigger: String,
    pub delivered: bool,
    pub error: Option<String>,
}

/// Builds the draft from the run's report timeline (its entries, said).
pub fn draft(
    run: &RunState,
    timeline: Timeline,
    catalog: &Catalog,
    ledger: &Ledger,
    now: DateTime<Utc>,
) -> Draft {
    let procedure = catalog.procedure(&run.procedure);
    let reached = procedure.map(|p| moments(run, p)).unwrap_or_default();
    let moments = procedure
        .map(|p| {
            Mark::ALL
                .iter()
                .filter_map(|mark| {
                    let step = p.marking(*mark)?;
                    Some(Moment {
                        mark: mark.name(),
                        step: step.id.clone(),
                        at: reached.get(mark).copied(),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let (phase, ended_at) = match &run.phase {
        Phase::Finished { at, .. } => ("finished", Some(*at)),
        Phase::Aborted { at, .. } => ("aborted", Some(*at)),
        Phase::New | Phase::Open => ("open", None),
    };
    Draft {
        format: FORMAT,
        made_at: now,
        run: run.id.clone(),
        procedure: run.procedure.clone(),
        title: timeline.title.clone(),
        severity: run.severity.clone(),
        severity_changes: severity_changes(&timeline.items),
        phase,
        outcome: timeline.outcome.clone(),
        started_at: run.started_at,
        ended_at,
        people: run.operators.clone(),
        moments,
        spans: spans(run.started_at, &reached),
        deadlines: timeline.deadlines.clone(),
        crossings: crossings(&timeline.items, catalog),
        commands: timeline.commands.clone(),
        notifications: notifications(&timeline.items),
        updates: timeline.updates.clone(),
        written: ledger.postmortems.get(&run.id).cloned(),
        owed: postmortem(run, catalog, ledger, now),
        followups: ledger.of_run(&run.id).cloned().collect(),
        timeline: timeline.items,
        journal: timeline.journal,
    }
}

fn severity_changes(items: &[Item]) -> Vec<SeverityChange> {
    items
        .iter()
        .filter_map(|item| match &item.event {
            Event::SeverityChanged { from, to } => Some(SeverityChange {
                at: item.at,
                by: item.operator.clone(),
                from: from.clone(),
                to: to.clone(),
            }),
            _ => None,
        })
        .collect()
}

fn crossings(items: &[Item], catalog: &Catalog) -> Vec<Crossing> {
    let rank = |level: &str| match level {
        "critical" => 2,
        "alert" => 1,
        _ => 0,
    };
    let mut out: Vec<Crossing> = Vec::new();
    for item in items {
        let Event::MetricCrossed {
            metric, to, value, ..
        } = &item.event
        else {
            continue;
        };
        let below = catalog
            .metric(metric)
            .is_some_and(|m| m.direction == Direction::Below);
        let worse = |a: f64, b: f64| if below { a < b } else { a > b };
        match out.iter_mut().find(|c| &c.metric == metric) {
            Some(c) => {
                c.last_at = item.at;
                c.changes += 1;
                if rank(to) > rank(&c.worst) {
                    c.worst.clone_from(to);
                }
                if worse(*value, c.peak) {
                    c.peak = *value;
                }
                c.last.clone_from(to);
            }
            None => out.push(Crossing {
                metric: metric.clone(),
                first_at: item.at,
                last_at: item.at,
                changes: 1,
                worst: to.clone(),
                peak: *value,
                last: to.clone(),
            }),
        }
    }
    out
}

fn notifications(items: &[Item]) -> Vec<Notified> {
    items
        .iter()
        .filter_map(|item| {
            let (delivery, error) = match &item.event {
                Event::NotificationSent(d) => (d, None),
                Event::NotificationFailed {
                    delivery, error, ..
                } => (delivery, Some(error.clone())),
                _ => return None,
            };
            Some(Notified {
                seq: item.seq,
                at: item.at,
                target: delivery.target.clone(),
                trigger: delivery.trigger.clone(),
                delivered: error.is_none(),
                error,
            })
        })
        .collect()
}

fn when(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

fn span_words(span: Option<Span>, words: &Words) -> String {
    span.map_or_else(
        || words.learn.pm_not_marked.to_owned(),
        |s| crate::catalog::duration::human(s.delta()),
    )
}

pub fn mark_word(mark: &str, words: &Words) -> &'static str {
    let w = words.learn;
    match mark {
        "detected" => w.m_detected,
        "responded" => w.m_responded,
        "escalated" => w.m_escalated,
        "mitigated" => w.m_mitigated,
        "resolved" => w.m_resolved,
        _ => w.m_post_mortem,
    }
}

/// The draft in Markdown: every text from people or the journal escaped.
pub fn markdown(d: &Draft, words: &Words) -> String {
    let w = words.learn;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {} — {} `{}`\n",
        w.pm_title,
        md(&d.title),
        md(&d.run)
    );
    summary(&mut out, d, words);
    let _ = writeln!(out, "\n## {}\n", w.pm_key_times);
    if d.moments.is_empty() {
        let _ = writeln!(out, "{}", w.pm_none);
    }
    for m in &d.moments {
        let at = m.at.map_or_else(|| w.pm_not_marked.to_owned(), when);
        let _ = writeln!(
            out,
            "- {} (`{}`): {at}",
            mark_word(m.mark, words),
            md(&m.step)
        );
    }
    let _ = writeln!(out, "\n## {}\n", w.pm_durations);
    for (label, span) in [
        (w.to_respond, d.spans.to_respond),
        (w.to_escalate, d.spans.to_escalate),
        (w.to_mitigate, d.spans.to_mitigate),
        (w.to_resolve, d.spans.to_resolve),
    ] {
        let _ = writeln!(out, "- {label}: {}", span_words(span, words));
    }
    let _ = writeln!(out, "\n## {}\n", w.pm_deadlines);
    if d.deadlines.is_empty() {
        let _ = writeln!(out, "{}", w.pm_none);
    }
    for deadline in &d.deadlines {
        let state = crate::report::deadline_words(&deadline.state, words);
        let _ = writeln!(
            out,
            "- {} (`{}`): {state}",
            md(&deadline.label),
            md(&deadline.step)
        );
    }
    crossings_markdown(&mut out, d, words);
    crate::report::commands_markdown(&mut out, &d.commands, words);
    notifications_markdown(&mut out, d, words);
    crate::report::updates::markdown(&mut out, &d.updates, words);
    let _ = writeln!(out, "\n## {}\n", w.pm_timeline);
    crate::report::timeline_table(&mut out, &d.timeline, words);
    for section in [
        w.pm_impact,
        w.pm_root_cause,
        w.pm_went_well,
        w.pm_went_badly,
    ] {
        let _ = writeln!(out, "\n## {section}\n\n{}", w.pm_to_write);
    }
    followups_markdown(&mut out, &d.followups, words);
    out
}

fn summary(out: &mut String, d: &Draft, words: &Words) {
    let w = words.learn;
    let _ = writeln!(out, "## {}\n", w.pm_summary);
    let _ = writeln!(
        out,
        "- {}: {} (`{}`)",
        w.pm_procedure,
        md(&d.title),
        md(&d.procedure)
    );
    if let Some(severity) = &d.severity {
        let mut changes = String::new();
        for c in &d.severity_changes {
            let from = c.from.as_deref().unwrap_or(words.run.none);
            let _ = write!(
                changes,
                "; {} → {} ({}, {})",
                md(from),
                md(&c.to),
                md(&c.by),
                when(c.at)
            );
        }
        let _ = writeln!(out, "- {}: {}{changes}", w.pm_severity, md(severity));
    }
    if let Some(at) = d.started_at {
        let _ = writeln!(out, "- {}: {}", w.pm_started, when(at));
    }
    let _ = writeln!(out, "- {}: {}", w.pm_outcome, md(&d.outcome));
    let people: Vec<String> = d.people.iter().map(|p| md(p)).collect();
    let _ = writeln!(out, "- {}: {}", w.pm_people, people.join(", "));
    if let Some(written) = &d.written {
        let link = written
            .link
            .as_deref()
            .map(md)
            .or_else(|| written.sha256.as_deref().map(|h| format!("sha256:{h}")));
        let _ = writeln!(
            out,
            "- {}: {} ({}){}",
            w.pm_settled,
            when(written.at),
            md(&written.by),
            link.map(|l| format!(", {l}")).unwrap_or_default()
        );
    } else if let Some(owed) = &d.owed {
        let _ = writeln!(
            out,
            "- {}: {}",
            w.pm_owed,
            crate::learn::said::standing(words, owed.standing, d.made_at)
        );
    }
}

fn crossings_markdown(out: &mut String, d: &Draft, words: &Words) {
    let w = words.learn;
    let _ = writeln!(out, "\n## {}\n", w.pm_crossings);
    if d.crossings.is_empty() {
        let _ = writeln!(out, "{}", w.pm_none);
    }
    for c in &d.crossings {
        let _ = writeln!(
            out,
            "- `{}`: {} → {} ({}), peak {} ({} → {})",
            md(&c.metric),
            md(&c.worst),
            md(&c.last),
            c.changes,
            c.peak,
            when(c.first_at),
            when(c.last_at)
        );
    }
}

fn notifications_markdown(out: &mut String, d: &Draft, words: &Words) {
    let w = words.learn;
    let _ = writeln!(out, "\n## {}\n", w.pm_notifications);
    if d.notifications.is_empty() {
        let _ = writeln!(out, "{}", w.pm_none);
    }
    for n in &d.notifications {
        let how = n
            .error
            .as_deref()
            .map_or_else(|| "✓".to_owned(), |e| format!("✗ {}", md(e)));
        let _ = writeln!(
            out,
            "- {} `{}` → `{}` {how}",
            when(n.at),
            md(&n.trigger),
            md(&n.target)
        );
    }
}

fn followups_markdown(out: &mut String, followups: &[Followup], words: &Words) {
    let w = words.learn;
    let _ = writeln!(out, "\n## {}\n", w.pm_followups);
    if followups.is_empty() {
        let _ = writeln!(out, "{}", w.pm_none);
        return;
    }
    for f in followups {
        let check = if matches!(f.state, FollowupState::Done { .. }) {
            "x"
        } else {
            " "
        };
        let owner = f
            .owner
            .as_deref()
            .map(|o| (w.owner_is)(&md(o)))
            .unwrap_or_default();
        let due = f
            .due
            .map(|d| format!(" · {} {}", w.h_due.to_lowercase(), when(d)))
            .unwrap_or_default();
        let state = match &f.state {
            FollowupState::Open => String::new(),
            FollowupState::Done { at, by, .. } => {
                format!(" · {} {} ({})", w.done, when(*at), md(by))
            }
            FollowupState::Dropped { reason, .. } => format!(" · {}: {}", w.dropped, md(reason)),
        };
        let _ = writeln!(
            out,
            "- [{check}] #{} {}{owner}{due}{state}",
            f.id,
            md(&f.text)
        );
    }
}
