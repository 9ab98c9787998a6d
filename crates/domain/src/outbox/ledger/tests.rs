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
        let mut entry = crate::testing::entry(self.seq, t0() + real, run, event);
        entry.drill_ts = drill.map(|d| t0() + d);
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
                pinned: None,
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
            hold: None,
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
        pinned: None,
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
