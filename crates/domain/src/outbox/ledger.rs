//! The ledger: entries pushed one at a time (the whole journal at start,
//! then what arrives), and `owed(now)` at any moment. Entry-born notices
//! (a run started, a step failed) wait until their delivery is journaled;
//! clock-born ones (a deadline soon or missed, a duty overdue, a head to
//! anchor) are worked out from the open runs and the time asked about.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use super::{Notice, RunRef, Subject};
use crate::catalog::notify::{Target, Trigger};
use crate::catalog::{Catalog, Within};
use crate::drill::clock::DrillClock;
use crate::journal::Entry;
use crate::overview::Overview;
use crate::run::deadline::{DeadlineState, deadlines};
use crate::run::{Event, RunState};

/// What the ledger keeps of an open run beside its state: where it runs,
/// and who was told of it.
#[derive(Debug)]
struct Tracked {
    host: String,
    /// Targets that were paged for it, so they hear its end whatever its
    /// severity became.
    paged: HashSet<String>,
    /// The real time of its latest entry (a drill's clock runs from it).
    last_real: Option<DateTime<Utc>>,
}

#[derive(Debug, Default)]
pub struct Ledger {
    targets: Vec<Target>,
    lang: String,
    /// The runs, duties and what is owed, as every front end sees them.
    overview: Overview,
    runs: HashMap<String, Tracked>,
    /// Entry-born notices not delivered yet, in journal order.
    owed: Vec<Notice>,
    /// Keys delivered, or refused for good.
    done: HashSet<String>,
    /// Keys refused for good, with why.
    refused: HashMap<String, String>,
    /// Keys given up after their retries, with why: owed still, to a later
    /// process.
    failing: HashMap<String, String>,
    /// The last entry of a run: the head worth anchoring.
    head: Option<(u64, String)>,
    /// The last entry that closed a run: a head to anchor at once.
    closed_at: u64,
    /// Per anchor target: the last head anchored, and when.
    anchored: HashMap<String, (u64, DateTime<Utc>)>,
}

impl Ledger {
    pub fn new(catalog: &Catalog, lang: &str) -> Self {
        Ledger {
            targets: catalog.notify.clone(),
            lang: lang.to_owned(),
            ..Ledger::default()
        }
    }

    pub fn push(&mut self, entry: &Entry, catalog: &Catalog) {
        self.delivered(&entry.event, entry.ts);
        let closed = self.overview.push(entry, catalog);
        let Some(run) = entry.run.as_deref() else {
            return;
        };
        self.head = Some((entry.seq, entry.hash.clone()));
        let Some(state) = closed.as_ref().or_else(|| self.overview.run(run)) else {
            return;
        };
        let tracked = self.runs.entry(run.to_owned()).or_insert_with(|| Tracked {
            host: entry.host.clone(),
            paged: HashSet::new(),
            last_real: None,
        });
        tracked.last_real = Some(entry.ts);
        if let Some((trigger, subject)) = born(&entry.event, state, catalog) {
            let owed = owe(
                &self.targets,
                &self.done,
                tracked,
                state,
                trigger,
                &subject,
                entry,
            );
            self.owed.extend(owed);
        }
        if closed.is_some() {
            self.closed_at = entry.seq;
            self.runs.remove(run);
        }
    }

    fn delivered(&mut self, event: &Event, at: DateTime<Utc>) {
        let key = match event {
            Event::NotificationSent(d) => {
                self.failing.remove(&d.key);
                &d.key
            }
            Event::NotificationFailed {
                delivery,
                error,
                permanent,
            } => {
                if !*permanent {
                    self.failing.insert(delivery.key.clone(), error.clone());
                    return;
                }
                self.refused.insert(delivery.key.clone(), error.clone());
                &delivery.key
            }
            Event::HeadAnchored {
                target, key, seq, ..
            } => {
                let last = self.anchored.entry(target.clone()).or_insert((*seq, at));
                if *seq >= last.0 {
                    *last = (*seq, at);
                }
                key
            }
            _ => return,
        };
        self.owed.retain(|n| n.key != *key);
        self.done.insert(key.clone());
    }

    /// Everything owed at `now`, oldest first: entry-born notices in
    /// journal order, then those the clock makes due.
    pub fn owed(&self, catalog: &Catalog, now: DateTime<Utc>) -> Vec<Notice> {
        let mut owed = self.owed.clone();
        let mut clock = Vec::new();
        self.deadlines(catalog, now, &mut clock);
        self.duties(catalog, now, &mut clock);
        self.learning(catalog, now, &mut clock);
        self.anchors(now, &mut clock);
        clock.retain(|n| !self.done.contains(&n.key));
        clock.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.key.cmp(&b.key)));
        owed.append(&mut clock);
        owed
    }

    /// Notices refused for good, with why: for `runbook notify pending`.
    pub fn refused(&self) -> impl Iterator<Item = (&String, &String)> {
        self.refused.iter()
    }

    /// Why a notice still owed failed last time, if it did.
    pub fn failing(&self, key: &str) -> Option<&str> {
        self.failing.get(key).map(String::as_str)
    }

    pub fn targets(&self) -> &[Target] {
        &self.targets
    }

    fn deadlines(&self, catalog: &Catalog, now: DateTime<Utc>, out: &mut Vec<Notice>) {
        for state in self.overview.open_runs() {
            let Some(tracked) = self.runs.get(&state.id) else {
                continue;
            };
            let (Some(procedure), Some(started)) =
                (catalog.procedure(&state.procedure), state.started_at)
            else {
                continue;
            };
            if !state.is_open() {
                continue;
            }
            // A drill lives by its own clock: from its latest entry at its
            // speed while someone plays it, stopped where it was when
            // nobody does (a resumed drill goes on from there).
            let now = match (&state.drill, state.last_at, tracked.last_real) {
                (Some(drill), Some(last), Some(real)) if !state.present.is_empty() => {
                    DrillClock::new(real, last, drill.speed).at(now)
                }
                (Some(_), Some(last), _) => last,
                _ => now,
            };
            for d in deadlines(state, catalog, procedure, &self.lang, now) {
                let (trigger, due) = match d.state {
                    DeadlineState::Now { due, .. } => (Trigger::DeadlineSoon, due),
                    DeadlineState::Pending { due, left } if left * 4 <= due - started => {
                        (Trigger::DeadlineSoon, due)
                    }
                    DeadlineState::Overdue { due, .. } | DeadlineState::Missed { due, .. } => {
                        (Trigger::DeadlineMissed, due)
                    }
                    _ => continue,
                };
                let subject = match trigger {
                    Trigger::DeadlineSoon => Subject::DeadlineSoon {
                        step: d.step.clone(),
                        label: d.label.clone(),
                        due,
                    },
                    _ => Subject::DeadlineMissed {
                        step: d.step.clone(),
                        label: d.label.clone(),
                        due,
                    },
                };
                self.clock_notices(state, tracked, trigger, &d.step, due, &subject, out);
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn clock_notices(
        &self,
        state: &RunState,
        tracked: &Tracked,
        trigger: Trigger,
        step: &str,
        due: DateTime<Utc>,
        subject: &Subject,
        out: &mut Vec<Notice>,
    ) {
        for target in &self.targets {
            if !target.wants(trigger)
                || !target.covers(state.severity.as_deref())
                || !target.hears(state.drill.is_some())
            {
                continue;
            }
            out.push(Notice {
                key: format!("{}:{}:{}:{step}", target.id, state.id, trigger.word()),
                target: target.id.clone(),
                trigger,
                run: Some(RunRef {
                    id: state.id.clone(),
                    procedure: state.procedure.clone(),
                    severity: state.severity.clone(),
                    by: state.started_by.clone().unwrap_or_default(),
                    host: tracked.host.clone(),
                }),
                about: None,
                at: due,
                subject: subject.clone(),
            });
        }
    }

    fn duties(&self, catalog: &Catalog, now: DateTime<Utc>, out: &mut Vec<Notice>) {
        let targets: Vec<&Target> = self
            .targets
            .iter()
            .filter(|t| t.wants(Trigger::DutyOverdue) && t.covers(None))
            .collect();
        if targets.is_empty() {
            return;
        }
        for duty in self.overview.duties(catalog, now, false) {
            let crate::due::State::Overdue { since } = duty.state else {
                continue;
            };
            for target in &targets {
                out.push(Notice {
                    key: format!(
                        "{}:duty:{}:{}",
                        target.id,
                        duty.procedure,
                        since.timestamp()
                    ),
                    target: target.id.clone(),
                    trigger: Trigger::DutyOverdue,
                    run: None,
                    about: None,
                    at: since,
                    subject: Subject::DutyOverdue {
                        procedure: duty.procedure.clone(),
                        since,
                    },
                });
            }
        }
    }

    /// Post-mortems overdue (told as `duty_overdue`) and follow-ups
    /// overdue, once each.
    fn learning(&self, catalog: &Catalog, now: DateTime<Utc>, out: &mut Vec<Notice>) {
        use crate::learn::{Standing, What};
        for item in self.overview.owed(catalog, now) {
            let Standing::Overdue { since } = item.standing else {
                continue;
            };
            let (trigger, subject) = match &item.what {
                What::PostMortem { .. } => {
                    (Trigger::DutyOverdue, Subject::PostmortemOverdue { since })
                }
                What::Deadline { step, label, .. } => (
                    Trigger::DeadlineMissed,
                    Subject::DeadlineMissed {
                        step: step.clone(),
                        label: label.clone(),
                        due: since,
                    },
                ),
                What::FollowUp {
                    id, text, owner, ..
                } => (
                    Trigger::FollowupOverdue,
                    Subject::FollowupOverdue {
                        id: *id,
                        text: text.clone(),
                        owner: owner.clone(),
                        since,
                    },
                ),
            };
            // A follow-up of a run this ledger did not see close is still
            // told, without its run's details.
            let state = self.overview.owing(item.run());
            let run = RunRef {
                id: item.run().to_owned(),
                procedure: state.map(|s| s.procedure.clone()).unwrap_or_default(),
                severity: state.and_then(|s| s.severity.clone()),
                by: state.and_then(|s| s.started_by.clone()).unwrap_or_default(),
                host: String::new(),
            };
            let targets = self.targets.iter().filter(|t| {
                t.wants(trigger) && t.covers(run.severity.as_deref()) && t.hears(false)
            });
            for target in targets {
                out.push(Notice {
                    key: format!("{}:{}:{}", target.id, item.key(), since.timestamp()),
                    target: target.id.clone(),
                    trigger,
                    run: Some(run.clone()),
                    about: None,
                    at: since,
                    subject: subject.clone(),
                });
            }
        }
    }

    /// A head is anchored when a run closed since the last anchor, or
    /// when entries arrived and `every` has passed since it.
    fn anchors(&self, now: DateTime<Utc>, out: &mut Vec<Notice>) {
        let Some((seq, hash)) = &self.head else {
            return;
        };
        for target in self.targets.iter().filter(|t| t.wants(Trigger::Anchor)) {
            let due = match self.anchored.get(&target.id) {
                None => true,
                Some((last, _)) if *last >= *seq => false,
                Some((last, when)) => {
                    self.closed_at > *last || now - *when >= target.every.to_chrono()
                }
            };
            if due {
                out.push(Notice {
                    key: format!("{}:anchor:{seq}", target.id),
                    target: target.id.clone(),
                    trigger: Trigger::Anchor,
                    run: None,
                    about: Some(*seq),
                    at: now,
                    subject: Subject::Head {
                        seq: *seq,
                        hash: hash.clone(),
                    },
                });
            }
        }
    }
}

/// The notices an entry of run `state` owes, to the targets concerned
/// that were not told already.
fn owe(
    targets: &[Target],
    done: &HashSet<String>,
    tracked: &mut Tracked,
    state: &RunState,
    trigger: Trigger,
    subject: &Subject,
    entry: &Entry,
) -> Vec<Notice> {
    let run = &state.id;
    let severity = state.severity.clone();
    let run_ref = RunRef {
        id: run.clone(),
        procedure: state.procedure.clone(),
        severity: severity.clone(),
        by: entry.operator.clone(),
        host: tracked.host.clone(),
    };
    let follow_up = matches!(
        trigger,
        Trigger::Responded | Trigger::RunFinished | Trigger::RunAborted
    );
    // Every entry of a drill says so, its start included (the run learns
    // it is a drill one entry later).
    let drill = state.drill.is_some() || entry.drill_ts.is_some();
    let mut owed = Vec::new();
    for target in targets {
        let concerned =
            target.covers(severity.as_deref()) || (follow_up && tracked.paged.contains(&target.id));
        if !target.wants(trigger) || !concerned || !target.hears(drill) {
            continue;
        }
        if !follow_up {
            tracked.paged.insert(target.id.clone());
        }
        let key = format!("{}:{run}:{}:{}", target.id, trigger.word(), entry.seq);
        if done.contains(&key) {
            continue;
        }
        owed.push(Notice {
            key,
            target: target.id.clone(),
            trigger,
            run: Some(run_ref.clone()),
            about: Some(entry.seq),
            at: entry.ts,
            subject: subject.clone(),
        });
    }
    owed
}

/// The notice an entry gives rise to, if any.
fn born(event: &Event, state: &RunState, catalog: &Catalog) -> Option<(Trigger, Subject)> {
    Some(match event {
        Event::RunStarted { .. } => (Trigger::RunStarted, Subject::RunStarted),
        Event::RunFinished => (Trigger::RunFinished, Subject::RunFinished),
        Event::RunAborted { reason } => (
            Trigger::RunAborted,
            Subject::RunAborted {
                reason: reason.clone(),
            },
        ),
        Event::SeverityChanged { from, to } => (
            Trigger::Severity,
            Subject::Severity {
                from: from.clone(),
                to: to.clone(),
            },
        ),
        Event::StepCompleted { step, .. } if is_response(catalog, &state.procedure, step) => (
            Trigger::Responded,
            Subject::Responded { step: step.clone() },
        ),
        Event::StepFailed { step, note } | Event::StepFailProposed { step, note } => (
            Trigger::StepFailed,
            Subject::StepFailed {
                step: step.clone(),
                note: note.clone(),
            },
        ),
        Event::MetricCrossed {
            metric, to, value, ..
        } if to == "critical" => (
            Trigger::MetricCritical,
            Subject::MetricCritical {
                metric: metric.clone(),
                value: *value,
            },
        ),
        Event::CommandRequested { step, .. } => (
            Trigger::ApprovalNeeded,
            Subject::ApprovalNeeded { step: step.clone() },
        ),
        Event::StatusUpdated(update) => (
            Trigger::StatusUpdate,
            Subject::StatusUpdate {
                update: update.clone(),
            },
        ),
        _ => return None,
    })
}

/// Whether `step` is the one whose deadline is the severity's response
/// time: done, the incident is in someone's hands.
fn is_response(catalog: &Catalog, procedure: &str, step: &str) -> bool {
    catalog
        .procedure(procedure)
        .and_then(|p| p.step(step))
        .and_then(|s| s.deadline.as_ref())
        .is_some_and(|d| matches!(d.within, Within::Response))
}

#[cfg(test)]
mod tests;
