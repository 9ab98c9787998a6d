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
use crate::journal::Entry;
use crate::run::deadline::{DeadlineState, deadlines};
use crate::run::{Event, Meta, RunState};

/// An open run, as the ledger follows it.
#[derive(Debug)]
struct Tracked {
    state: RunState,
    host: String,
    /// Targets that were paged for it, so they hear its end whatever its
    /// severity became.
    paged: HashSet<String>,
}

#[derive(Debug, Default)]
pub struct Ledger {
    targets: Vec<Target>,
    lang: String,
    runs: HashMap<String, Tracked>,
    finished: Vec<crate::due::Finished>,
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
        let Some(run) = entry.run.as_deref() else {
            return;
        };
        self.head = Some((entry.seq, entry.hash.clone()));
        let tracked = self.runs.entry(run.to_owned()).or_insert_with(|| Tracked {
            state: RunState::new(run),
            host: entry.host.clone(),
            paged: HashSet::new(),
        });
        let meta = Meta {
            seq: entry.seq,
            at: entry.ts,
            operator: entry.operator.clone(),
        };
        tracked.state.apply(&meta, &entry.event);
        if let Some((trigger, subject)) = born(&entry.event, &tracked.state, catalog) {
            self.owe(run, trigger, &subject, entry);
        }
        if matches!(entry.event, Event::RunFinished | Event::RunAborted { .. }) {
            self.closed_at = entry.seq;
            if let Some(tracked) = self.runs.remove(run) {
                self.remember_finished(&tracked.state, catalog);
            }
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

    fn owe(&mut self, run: &str, trigger: Trigger, subject: &Subject, entry: &Entry) {
        let Some(tracked) = self.runs.get_mut(run) else {
            return;
        };
        let severity = tracked.state.severity.clone();
        let run_ref = RunRef {
            id: run.to_owned(),
            procedure: tracked.state.procedure.clone(),
            severity: severity.clone(),
            by: entry.operator.clone(),
            host: tracked.host.clone(),
        };
        let follow_up = matches!(
            trigger,
            Trigger::Responded | Trigger::RunFinished | Trigger::RunAborted
        );
        for target in &self.targets {
            let concerned = target.covers(severity.as_deref())
                || (follow_up && tracked.paged.contains(&target.id));
            if !target.wants(trigger) || !concerned {
                continue;
            }
            if !follow_up {
                tracked.paged.insert(target.id.clone());
            }
            let key = format!("{}:{run}:{}:{}", target.id, trigger.word(), entry.seq);
            if self.done.contains(&key) {
                continue;
            }
            self.owed.push(Notice {
                key,
                target: target.id.clone(),
                trigger,
                run: Some(run_ref.clone()),
                about: Some(entry.seq),
                at: entry.ts,
                subject: subject.clone(),
            });
        }
    }

    fn remember_finished(&mut self, state: &RunState, catalog: &Catalog) {
        let recurring = catalog
            .procedure(&state.procedure)
            .is_some_and(|p| p.schedule.is_some());
        if recurring {
            let (finished, _) = crate::runs::states_as_duty_runs(std::iter::once(state));
            self.finished.extend(finished);
        }
    }

    /// Everything owed at `now`, oldest first: entry-born notices in
    /// journal order, then those the clock makes due.
    pub fn owed(&self, catalog: &Catalog, now: DateTime<Utc>) -> Vec<Notice> {
        let mut owed = self.owed.clone();
        let mut clock = Vec::new();
        self.deadlines(catalog, now, &mut clock);
        self.duties(catalog, now, &mut clock);
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
        for tracked in self.runs.values() {
            let state = &tracked.state;
            let (Some(procedure), Some(started)) =
                (catalog.procedure(&state.procedure), state.started_at)
            else {
                continue;
            };
            if !state.is_open() {
                continue;
            }
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
                self.clock_notices(tracked, trigger, &d.step, due, &subject, out);
            }
        }
    }

    fn clock_notices(
        &self,
        tracked: &Tracked,
        trigger: Trigger,
        step: &str,
        due: DateTime<Utc>,
        subject: &Subject,
        out: &mut Vec<Notice>,
    ) {
        let state = &tracked.state;
        for target in &self.targets {
            if !target.wants(trigger) || !target.covers(state.severity.as_deref()) {
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
        let (_, open) = crate::runs::states_as_duty_runs(self.runs.values().map(|t| &t.state));
        for duty in crate::due::duties(catalog, &self.finished, &open, now) {
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
        Event::StepFailed { step, note } => (
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
