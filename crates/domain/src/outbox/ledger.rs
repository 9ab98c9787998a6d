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
use crate::run::deadline::{DeadlineState, deadlines};
use crate::run::{Event, RunState};

/// An open run, as the ledger follows it.
#[derive(Debug)]
struct Tracked {
    state: RunState,
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
    runs: HashMap<String, Tracked>,
    finished: Vec<crate::due::Finished>,
    /// The journal's first entry: duties owe nothing from before it.
    began: Option<DateTime<Utc>>,
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
    /// Post-mortems and follow-ups recorded.
    learned: crate::learn::Ledger,
    /// Closed runs whose procedure writes a post-mortem: they may owe one.
    owing: Vec<RunState>,
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
        self.began.get_or_insert(entry.ts);
        self.delivered(&entry.event, entry.ts);
        let Some(run) = entry.run.as_deref() else {
            self.learned.apply(&entry.meta(), &entry.event);
            return;
        };
        self.head = Some((entry.seq, entry.hash.clone()));
        let tracked = self.runs.entry(run.to_owned()).or_insert_with(|| Tracked {
            state: RunState::new(run),
            host: entry.host.clone(),
            paged: HashSet::new(),
            last_real: None,
        });
        tracked.last_real = Some(entry.ts);
        let meta = entry.meta();
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
        // Every entry of a drill says so, its start included (the run
        // learns it is a drill one entry later).
        let drill = tracked.state.drill.is_some() || entry.drill_ts.is_some();
        for target in &self.targets {
            let concerned = target.covers(severity.as_deref())
                || (follow_up && tracked.paged.contains(&target.id));
            if !target.wants(trigger) || !concerned || !target.hears(drill) {
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
        let writes_postmortem = catalog
            .procedure(&state.procedure)
            .is_some_and(crate::catalog::Procedure::writes_postmortem);
        if writes_postmortem && state.drill.is_none() {
            let mut kept = state.clone();
            kept.forget_lengthy();
            self.owing.push(kept);
        }
        let recurring = catalog
            .procedure(&state.procedure)
            .is_some_and(|p| p.schedule.is_some());
        if recurring {
            let (finished, _) = crate::due::from_states(std::iter::once(state), false);
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
        let (_, open) = crate::due::from_states(self.runs.values().map(|t| &t.state), false);
        let runs = crate::due::Runs {
            finished: &self.finished,
            open: &open,
            began: self.began,
        };
        for duty in crate::due::duties(catalog, runs, now) {
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
        let owed = crate::learn::owed::owed(self.owing.iter(), catalog, &self.learned, now);
        for item in owed {
            let Standing::Overdue { since } = item.standing else {
                continue;
            };
            let (trigger, subject) = match &item.what {
                What::PostMortem { .. } => {
                    (Trigger::DutyOverdue, Subject::PostmortemOverdue { since })
                }
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
            let state = self.owing.iter().find(|s| s.id == item.run());
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

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;

    use super::*;
    use crate::catalog::{self, Sources};
    use crate::run::event::Delivery;

    const CATALOG: &str = r#"
[[severity]]
id = "P1"
title = "Outage"
response = "15m"
escalation = "1h"

[[severity]]
id = "P3"
title = "Minor"
response = "4h"

[[procedure]]
id = "incident"
kind = "incident"
title = "Incident"
asks_severity = true
[[procedure.section]]
id = "s"
title = "S"
[[procedure.section.step]]
id = "respond"
text = "Respond"
deadline = { within = "response", after = "start" }
[[procedure.section.step]]
id = "escalate"
text = "Escalate"
deadline = { within = "escalation", after = "start" }

[[notify]]
id = "pager"
kind = "pagerduty"
routing_key = "${K}"

[[notify]]
id = "heads"
kind = "file"
path = "/tmp/heads"
every = "10m"
"#;

    fn catalog() -> Catalog {
        catalog_of(CATALOG)
    }

    fn catalog_of(text: &str) -> Catalog {
        let mut sources = Sources::default();
        sources.add("test.toml", text);
        let loaded = catalog::load(sources);
        assert!(!loaded.has_errors(), "{}", loaded.render_diagnostics());
        loaded.catalog
    }

    fn t0() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-25T03:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    struct Journal {
        ledger: Ledger,
        catalog: Catalog,
        seq: u64,
    }

    impl Journal {
        fn new() -> Journal {
            let catalog = catalog();
            Journal {
                ledger: Ledger::new(&catalog, "en"),
                catalog,
                seq: 0,
            }
        }

        fn push(&mut self, minutes: i64, run: Option<&str>, event: Event) -> u64 {
            self.push_at(TimeDelta::minutes(minutes), None, run, event)
        }

        /// An entry `real` after t0, at drill time `drill` after t0 if any.
        fn push_at(
            &mut self,
            real: TimeDelta,
            drill: Option<TimeDelta>,
            run: Option<&str>,
            event: Event,
        ) -> u64 {
            self.seq += 1;
            let entry = Entry {
                drill_ts: drill.map(|d| t0() + d),
                seq: self.seq,
                ts: t0() + real,
                operator: "alice".into(),
                os_user: None,
                from: None,
                host: "bastion".into(),
                session: "s".into(),
                run: run.map(str::to_owned),
                event,
                prev: String::new(),
                signer: None,
                sig: None,
                hash: format!("h{}", self.seq),
                mac: None,
            };
            self.ledger.push(&entry, &self.catalog);
            self.seq
        }

        fn start(&mut self, severity: &str) {
            self.push(
                0,
                Some("r1"),
                Event::RunStarted {
                    procedure: "incident".into(),
                    procedure_hash: String::new(),
                    severity: Some(severity.into()),
                },
            );
        }

        fn owed(&self, minutes: i64) -> Vec<Notice> {
            self.ledger
                .owed(&self.catalog, t0() + TimeDelta::minutes(minutes))
        }

        fn owed_to(&self, target: &str, minutes: i64) -> Vec<(Trigger, Subject)> {
            self.owed(minutes)
                .into_iter()
                .filter(|n| n.target == target)
                .map(|n| (n.trigger, n.subject))
                .collect()
        }

        fn settle(&mut self, notice: &Notice) {
            let event = Event::NotificationSent(Delivery {
                target: notice.target.clone(),
                key: notice.key.clone(),
                trigger: notice.trigger.word().into(),
                run: None,
                about: notice.about,
                attempts: 1,
                answer: None,
            });
            self.push(1, None, event);
        }
    }

    #[test]
    fn a_p1_is_paged_acknowledged_and_resolved_each_once() {
        let mut j = Journal::new();
        j.start("P1");
        assert_eq!(
            j.owed_to("pager", 1),
            [(Trigger::RunStarted, Subject::RunStarted)]
        );
        let first = j.owed(1).into_iter().find(|n| n.target == "pager").unwrap();
        j.settle(&first);
        assert!(j.owed_to("pager", 1).is_empty(), "settled: owed no more");
        j.push(
            2,
            Some("r1"),
            Event::StepCompleted {
                step: "respond".into(),
                note: None,
                value: None,
            },
        );
        let owed = j.owed_to("pager", 2);
        assert_eq!(owed.len(), 1);
        assert_eq!(owed[0].0, Trigger::Responded);
        j.push(3, Some("r1"), Event::RunFinished);
        let actions: Vec<_> = j
            .owed(3)
            .iter()
            .filter(|n| n.target == "pager")
            .map(Notice::page_action)
            .collect();
        assert_eq!(
            actions,
            [
                crate::outbox::PageAction::Acknowledge,
                crate::outbox::PageAction::Resolve
            ]
        );
    }

    #[test]
    fn a_p3_pages_nobody_but_a_p1_it_becomes_does_and_its_end_follows() {
        let mut j = Journal::new();
        j.start("P3");
        assert!(j.owed_to("pager", 1).is_empty());
        j.push(
            1,
            Some("r1"),
            Event::SeverityChanged {
                from: Some("P3".into()),
                to: "P1".into(),
            },
        );
        assert_eq!(j.owed_to("pager", 1)[0].0, Trigger::Severity);
        j.push(
            2,
            Some("r1"),
            Event::SeverityChanged {
                from: Some("P1".into()),
                to: "P3".into(),
            },
        );
        j.push(3, Some("r1"), Event::RunFinished);
        let triggers: Vec<Trigger> = j.owed_to("pager", 3).into_iter().map(|o| o.0).collect();
        assert_eq!(triggers, [Trigger::Severity, Trigger::RunFinished]);
    }

    #[test]
    fn a_drills_deadlines_run_on_its_clock_while_played_and_stop_when_left() {
        let text = format!(
            "{CATALOG}\n[[notify]]\nid = \"drill-pager\"\nkind = \"pagerduty\"\nrouting_key = \"${{K}}\"\ndrill = true\n"
        );
        let catalog = catalog_of(&text);
        let mut j = Journal {
            ledger: Ledger::new(&catalog, "en"),
            catalog,
            seq: 0,
        };
        let zero = Some(TimeDelta::zero());
        let started = Event::RunStarted {
            procedure: "incident".into(),
            procedure_hash: String::new(),
            severity: Some("P1".into()),
        };
        j.push_at(TimeDelta::zero(), zero, Some("d1"), started);
        let drill = Event::DrillStarted {
            drill: "d1".into(),
            scenario: None,
            speed: 60,
        };
        j.push_at(TimeDelta::zero(), zero, Some("d1"), drill);
        // Missed deadlines owed, `seconds` of real time after the start.
        let missed = |j: &Journal, target: &str, seconds: i64| {
            j.ledger
                .owed(&j.catalog, t0() + TimeDelta::seconds(seconds))
                .into_iter()
                .filter(|n| n.target == target && n.trigger == Trigger::DeadlineMissed)
                .count()
        };
        // ×60: ten real seconds are ten drill minutes, inside the 15-minute
        // response; twenty are past it; two real minutes are past the hour
        // of the escalation too. No entry came meanwhile.
        assert_eq!(missed(&j, "drill-pager", 10), 0);
        assert_eq!(missed(&j, "drill-pager", 20), 1);
        assert_eq!(missed(&j, "drill-pager", 120), 2);
        // A real target hears nothing of a drill.
        assert_eq!(missed(&j, "pager", 120), 0);
        // The operator leaves half an hour into the drill: its clock stops
        // there, however long the real wait.
        let left = Event::RunDetached {
            reason: Some("left".into()),
        };
        j.push_at(
            TimeDelta::seconds(30),
            Some(TimeDelta::minutes(30)),
            Some("d1"),
            left,
        );
        assert_eq!(missed(&j, "drill-pager", 600), 1);
    }

    #[test]
    fn deadlines_come_due_with_the_clock_and_stop_with_the_run() {
        let mut j = Journal::new();
        j.start("P1");
        let clock = |j: &Journal, minutes| -> Vec<Trigger> {
            j.owed_to("pager", minutes)
                .into_iter()
                .map(|o| o.0)
                .filter(|t| *t != Trigger::RunStarted)
                .collect()
        };
        // No "soon" for pagers by default, only the miss.
        assert!(clock(&j, 10).is_empty());
        assert_eq!(clock(&j, 16), [Trigger::DeadlineMissed]);
        assert_eq!(
            clock(&j, 61),
            [Trigger::DeadlineMissed, Trigger::DeadlineMissed]
        );
        j.push(62, Some("r1"), Event::RunAborted { reason: "x".into() });
        assert_eq!(clock(&j, 70), [Trigger::RunAborted]);
    }

    #[test]
    fn a_head_is_anchored_at_a_run_end_and_every_so_often_while_entries_arrive() {
        let mut j = Journal::new();
        j.start("P3");
        let heads = |j: &Journal, minutes| -> Vec<u64> {
            j.owed(minutes)
                .into_iter()
                .filter_map(|n| match n.subject {
                    Subject::Head { seq, .. } => Some(seq),
                    _ => None,
                })
                .collect()
        };
        assert_eq!(heads(&j, 0), [1], "the first head at once");
        let anchor = |j: &mut Journal, seq: u64, minutes| {
            j.push(
                minutes,
                None,
                Event::HeadAnchored {
                    target: "heads".into(),
                    key: format!("heads:anchor:{seq}"),
                    seq,
                    hash: format!("h{seq}"),
                },
            );
        };
        anchor(&mut j, 1, 0);
        assert!(heads(&j, 5).is_empty(), "nothing new");
        let note = j.push(
            3,
            Some("r1"),
            Event::NoteAdded {
                step: None,
                text: "n".into(),
            },
        );
        assert!(heads(&j, 5).is_empty(), "not every 10 minutes yet");
        assert_eq!(heads(&j, 10), [note]);
        let end = j.push(4, Some("r1"), Event::RunFinished);
        assert_eq!(heads(&j, 5), [end], "a run's end is anchored at once");
        anchor(&mut j, end, 5);
        assert!(heads(&j, 100).is_empty(), "its own entries are not news");
    }
}
