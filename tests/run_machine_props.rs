//! The run's state machine under generated command sequences (proptest),
//! metric holds, and one person under two names.

// Helpers of tests may unwrap: a failure there is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::needless_pass_by_value
)]

use chrono::TimeDelta;
use proptest::prelude::*;
use runbook::catalog::Catalog;
use runbook::live_run::{LiveRun, LiveRunError};
use runbook::run::{Command, Event, Meta, Rejection, RunState, start};
use runbook::store::{Options, Writer};

#[path = "run_machine/support.rs"]
mod support;
use support::*;

fn command_strategy(steps: Vec<String>) -> impl Strategy<Value = (usize, i64, Command)> {
    let step = prop::sample::select(steps);
    let text = prop_oneof![Just(String::new()), Just("  ".to_owned()), "[a-z ]{1,12}"];
    let command = prop_oneof![
        (
            step.clone(),
            prop::option::of(text.clone()),
            any::<bool>(),
            prop::option::of(text.clone())
        )
            .prop_map(|(step, note, confirmed, override_hold)| Command::Complete {
                step,
                note,
                confirmed,
                override_hold,
            }),
        step.clone().prop_map(|step| Command::Confirm { step }),
        (step.clone(), text.clone()).prop_map(|(step, reason)| Command::Skip { step, reason }),
        (step.clone(), text.clone()).prop_map(|(step, note)| Command::Fail { step, note }),
        (step.clone(), prop::option::of(text.clone()))
            .prop_map(|(step, reason)| Command::Reopen { step, reason }),
        (prop::option::of(step), text.clone())
            .prop_map(|(step, text)| Command::Note { step, text }),
        prop_oneof![Just("P1"), Just("P3"), Just("P7")]
            .prop_map(|to| Command::ChangeSeverity { to: to.into() }),
        Just(Command::Finish),
        text.prop_map(|reason| Command::Abort { reason }),
        Just(Command::Complete {
            step: "no-such-step".into(),
            note: None,
            confirmed: true,
            override_hold: None,
        }),
    ];
    // Who acts (alice or bob) and how many hours pass before.
    (0..2usize, 0..60i64, command)
}

fn procedure_and_commands() -> impl Strategy<Value = (String, Vec<(usize, i64, Command)>)> {
    let c = catalog();
    let ids: Vec<String> = c.procedures.iter().map(|p| p.id.clone()).collect();
    prop::sample::select(ids).prop_flat_map(move |id| {
        let steps: Vec<String> = c
            .procedure(&id)
            .unwrap()
            .steps()
            .map(|s| s.id.clone())
            .collect();
        (
            Just(id),
            prop::collection::vec(command_strategy(steps), 1..40),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]

    /// The state reached live, event by event, is the state rebuilt by
    /// folding the events read back from their JSON form.
    #[test]
    fn folding_all_events_equals_applying_them_one_by_one((procedure, commands) in procedure_and_commands()) {
        let severity = catalog().procedure(&procedure).unwrap().asks_severity.then_some("P2");
        let mut h = Harness::new(&procedure, severity);
        h.roles = vec!["tech-lead".into()];
        let operators = ["alice", "bob"];
        let mut log: Vec<(Meta, Event)> = Vec::new();
        let started = start(&h.catalog, &procedure, severity).unwrap();
        log.push((Meta { seq: 1, at: t0(), operator: "alice".into(), proof: proof("alice") }, started));
        let mut at = t0();
        for (who, hours, command) in commands {
            at += TimeDelta::hours(hours);
            let before = h.seq;
            if let Ok(events) = h.try_as(operators[who], at, command) {
                for (i, event) in events.into_iter().enumerate() {
                    let meta = Meta { seq: before + 1 + i as u64, at, operator: operators[who].into(), proof: proof(operators[who]) };
                    let json = serde_json::to_string(&event).unwrap();
                    log.push((meta, serde_json::from_str(&json).unwrap()));
                }
            }
        }
        let replayed = RunState::replay("run-1", log.iter().map(|(m, e)| (m, e)));
        prop_assert_eq!(replayed, h.state);
    }

    /// A refused command changes neither the state nor a byte of the journal.
    #[test]
    fn refused_commands_change_nothing((procedure, commands) in procedure_and_commands()) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.jsonl");
        let c = catalog();
        let severity = c.procedure(&procedure).unwrap().asks_severity.then_some("P2");
        let writer = Writer::open(&path, runbook::store::whoami::detect(|_| None), Options::default()).unwrap();
        let mut session = LiveRun::start(&c, writer, &procedure, severity, t0()).unwrap();
        let mut at = t0();
        for (_, hours, command) in commands {
            at += TimeDelta::hours(hours);
            let bytes = std::fs::read(&path).unwrap();
            let state = session.state.clone();
            match session.execute(&command, at) {
                Err(LiveRunError::Rejected(_)) => {
                    prop_assert_eq!(&std::fs::read(&path).unwrap(), &bytes);
                    prop_assert_eq!(&session.state, &state);
                }
                Err(other) => panic!("{other}"),
                Ok(_) => prop_assert!(std::fs::read(&path).unwrap().len() > bytes.len()),
            }
        }
    }
}

/// A catalog whose deploy metrics have a source, so holds are enforced.
fn sourced_catalog() -> Catalog {
    let mut c = catalog();
    for metric in &mut c.metrics {
        metric.source = Some(runbook::catalog::MetricSource::Command {
            argv: vec!["true".into()],
            polling: runbook::catalog::Polling::default(),
        });
        metric.needs = None;
    }
    c
}

#[test]
fn a_metric_gated_step_waits_for_its_metrics_to_hold() {
    let mut h = Harness::new("deploy", None);
    h.catalog = sourced_catalog();
    h.roles = vec!["tech-lead".into()];
    h.try_as("alice", t0(), done("rollout-10", None)).unwrap();
    let later = t0() + TimeDelta::days(2);

    // No live readings at all (line mode): refused, saying why.
    let refused = h
        .try_as("alice", later, done("rollout-50", None))
        .unwrap_err();
    assert_eq!(
        refused,
        Rejection::HoldUnjudged {
            step: "rollout-50".into(),
            metrics: vec!["error-rate".into(), "latency-p95".into()],
        }
    );

    // Error rate below alert for only 10 of the 30 minutes.
    let mut readings = FakeReadings::default();
    readings
        .ok_since
        .insert("error-rate".into(), later - TimeDelta::minutes(10));
    readings
        .ok_since
        .insert("latency-p95".into(), later - TimeDelta::hours(1));
    h.readings = Some(readings);
    let refused = h
        .try_as("alice", later, done("rollout-50", None))
        .unwrap_err();
    assert_eq!(
        refused,
        Rejection::HoldNotMet {
            step: "rollout-50".into(),
            metric: "error-rate".into(),
            left: Some(TimeDelta::minutes(20))
        }
    );
    assert!(refused.to_string().contains("20m more"), "{refused}");

    // Critical: go to the rollback procedure instead.
    h.readings
        .as_mut()
        .unwrap()
        .critical
        .push("error-rate".into());
    let refused = h
        .try_as("alice", later, done("rollout-50", None))
        .unwrap_err();
    assert!(
        refused.to_string().contains("CRITICAL") && refused.to_string().contains("`rollback`"),
        "{refused}"
    );

    // Held long enough: done, with the readings it was judged by.
    let readings = h.readings.as_mut().unwrap();
    readings.critical.clear();
    readings
        .ok_since
        .insert("error-rate".into(), later - TimeDelta::minutes(31));
    let events = h.try_as("alice", later, done("rollout-50", None)).unwrap();
    let Event::StepCompleted {
        hold: Some(held), ..
    } = &events[0]
    else {
        panic!("{events:?}");
    };
    assert_eq!(held.read.len(), 2);
    assert!(held.unread.is_empty() && held.overridden.is_none());
}

/// Issue 35: a hold that cannot be judged is never passed silently.
#[test]
fn a_hold_on_metrics_that_cannot_be_read_here_needs_an_override_with_a_reason() {
    let mut h = Harness::new("deploy", None);
    h.roles = vec!["tech-lead".into()];
    let refused = h
        .try_as("alice", t0(), done("firebase-metrics", None))
        .unwrap_err();
    assert!(
        matches!(&refused, Rejection::HoldUnjudged { metrics, .. } if !metrics.is_empty()),
        "{refused}"
    );
    let blank = Command::Complete {
        step: "firebase-metrics".into(),
        note: None,
        confirmed: false,
        override_hold: Some("   ".into()),
    };
    assert!(
        h.try_as("alice", t0(), blank).is_err(),
        "a blank reason is none"
    );
    let overridden = Command::Complete {
        step: "firebase-metrics".into(),
        note: None,
        confirmed: false,
        override_hold: Some("Prometheus is down; Crashlytics checked by hand".into()),
    };
    let events = h.try_as("alice", t0(), overridden).unwrap();
    let Event::StepCompleted {
        hold: Some(held), ..
    } = &events[0]
    else {
        panic!("{events:?}");
    };
    assert_eq!(
        held.overridden.as_deref(),
        Some("Prometheus is down; Crashlytics checked by hand")
    );
    assert!(!held.unread.is_empty());
}

/// Issue 24: one person on a shared account, under two names, is refused
/// as the second operator of a two-person step, unless the site takes
/// names as given (`[identity] require = "none"`).
#[test]
fn two_names_on_one_account_are_one_person_for_the_four_eyes_rule() {
    let two_person = |require| {
        let mut h = Harness::new("breach", None);
        h.catalog.require = require;
        h.proofs.insert("bob".into(), proof("alice"));
        let at = t0() + TimeDelta::minutes(1);
        let isolate = Command::Complete {
            step: "isolate".into(),
            note: Some("key K1 disabled".into()),
            confirmed: true,
            override_hold: None,
        };
        h.try_as("alice", at, isolate).unwrap();
        h.try_as(
            "bob",
            at,
            Command::Confirm {
                step: "isolate".into(),
            },
        )
    };
    let refused = two_person(runbook::catalog::identity::Require::Account).unwrap_err();
    assert!(
        matches!(&refused, Rejection::SamePerson { first, proof, .. } if first == "alice" && proof == "account alice@bastion"),
        "{refused:?}"
    );
    assert!(two_person(runbook::catalog::identity::Require::None).is_ok());
}

/// Issue 24: a role's sign-off is its holder's own: a holder's name on an
/// account that already acted in the run under another name is refused;
/// the holder's own account (or key) signs off; `require = "none"` takes
/// names as given.
#[test]
fn a_sign_off_under_a_name_on_another_s_account_is_refused() {
    let sign_off = |require, bob_proof: &str| {
        let mut h = Harness::new("deploy", None);
        h.catalog.require = require;
        h.roles = vec!["tech-lead".into()];
        h.proofs.insert("bob".into(), proof(bob_proof));
        h.try_as("alice", t0(), done("tests-pass", Some("120 passed")))
            .unwrap();
        h.try_as("bob", t0(), done("rollout-10", None))
    };
    let refused = sign_off(runbook::catalog::identity::Require::Account, "alice").unwrap_err();
    assert!(
        matches!(&refused, Rejection::SignOffByAnother { step, first, proof }
            if step == "rollout-10" && first == "alice" && proof == "account alice@bastion"),
        "{refused:?}"
    );
    assert!(refused.to_string().contains("sign with your own key"));
    assert!(sign_off(runbook::catalog::identity::Require::Account, "bob").is_ok());
    assert!(sign_off(runbook::catalog::identity::Require::None, "alice").is_ok());
}
