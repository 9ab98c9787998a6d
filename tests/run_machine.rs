//! The run state machine: rules checked before anything is recorded, and
//! the fold that rebuilds a run from its events.

// Helpers of tests may unwrap: a failure there is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::needless_pass_by_value
)]

use chrono::{DateTime, TimeDelta, Utc};
use proptest::prelude::*;
use runbook::catalog::{self, Catalog};
use runbook::journal::identity;
use runbook::live_run::{LiveRun, LiveRunError};
use runbook::run::deadline::{DeadlineState, deadlines};
use runbook::run::{Command, Context, Event, Meta, Rejection, RunState, StepStatus, decide, start};
use runbook::store::{Options, Writer};

/// The bundled catalog on a machine where its metrics' Prometheus is not
/// configured: they cannot be read, so holds on them are not enforced.
fn catalog() -> Catalog {
    let mut catalog = catalog::load_bundled().catalog;
    runbook::metrics::source::configure(&mut catalog, &|_: &str| None);
    catalog
}

fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-24T10:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

/// Runs commands through decide and apply, as the session does, with a
/// clock and operator per command.
struct Harness {
    catalog: Catalog,
    procedure: String,
    state: RunState,
    seq: u64,
    roles: Vec<String>,
    readings: Option<FakeReadings>,
    /// Operators whose proof is not their own name's account: two names
    /// on one account.
    proofs: std::collections::HashMap<String, String>,
}

/// Each operator on an OS account of their own.
fn proof(operator: &str) -> String {
    format!("account {operator}@bastion")
}

/// Readings as a console would have them: per metric, since when it is
/// below alert, or that it is critical.
#[derive(Debug, Default)]
struct FakeReadings {
    ok_since: std::collections::HashMap<String, DateTime<Utc>>,
    critical: Vec<String>,
}

impl runbook::run::Readings for FakeReadings {
    fn ok_since(&self, metric: &str) -> Option<DateTime<Utc>> {
        self.ok_since.get(metric).copied()
    }

    fn is_critical(&self, metric: &str) -> bool {
        self.critical.iter().any(|m| m == metric)
    }
}

impl Harness {
    fn new(procedure: &str, severity: Option<&str>) -> Self {
        let catalog = catalog();
        let started = start(&catalog, procedure, severity).unwrap();
        let mut h = Harness {
            catalog,
            procedure: procedure.to_owned(),
            state: RunState::new("run-1"),
            seq: 0,
            roles: Vec::new(),
            readings: None,
            proofs: std::collections::HashMap::new(),
        };
        h.record("alice", t0(), vec![started]);
        h
    }

    fn record(&mut self, operator: &str, at: DateTime<Utc>, events: Vec<Event>) {
        for event in events {
            self.seq += 1;
            let meta = Meta {
                seq: self.seq,
                at,
                operator: operator.to_owned(),
                proof: self
                    .proofs
                    .get(operator)
                    .cloned()
                    .unwrap_or_else(|| proof(operator)),
            };
            self.state.apply(&meta, &event);
        }
    }

    fn try_as(
        &mut self,
        operator: &str,
        at: DateTime<Utc>,
        command: Command,
    ) -> Result<Vec<Event>, Rejection> {
        let procedure = self.catalog.procedure(&self.procedure).unwrap().clone();
        let proof = self
            .proofs
            .get(operator)
            .cloned()
            .unwrap_or_else(|| proof(operator));
        let ctx = Context {
            catalog: &self.catalog,
            procedure: &procedure,
            operator,
            proof: &proof,
            extra_roles: &self.roles,
            now: at,
            readings: self
                .readings
                .as_ref()
                .map(|r| r as &dyn runbook::run::Readings),
        };
        let events = decide(&self.state, &ctx, &command)?;
        self.record(operator, at, events.clone());
        Ok(events)
    }
}

fn done(step: &str, note: Option<&str>) -> Command {
    Command::Complete {
        step: step.into(),
        note: note.map(str::to_owned),
        confirmed: false,
    }
}

#[test]
fn a_step_asking_for_evidence_needs_a_note() {
    let mut h = Harness::new("deploy", None);
    let refused = h
        .try_as("alice", t0(), done("tests-pass", None))
        .unwrap_err();
    assert!(
        matches!(refused, Rejection::EvidenceRequired { .. }),
        "{refused}"
    );
    assert!(
        h.try_as("alice", t0(), done("tests-pass", Some("   ")))
            .is_err(),
        "blank is no evidence"
    );
    h.try_as("alice", t0(), done("tests-pass", Some("120 passed")))
        .unwrap();
    assert!(matches!(
        h.state.status("tests-pass"),
        StepStatus::Done { .. }
    ));
    assert_eq!(h.state.notes[0].text, "120 passed");
}

#[test]
fn gated_steps_open_at_their_time() {
    let mut h = Harness::new("deploy", None);
    h.roles = vec!["tech-lead".into()];
    match h
        .try_as("alice", t0(), done("rollout-50", None))
        .unwrap_err()
    {
        Rejection::Gated {
            after,
            opens_at: None,
            ..
        } => assert_eq!(after, "rollout-10"),
        other => panic!("{other}"),
    }
    h.try_as("alice", t0(), done("rollout-10", None)).unwrap();
    let just_before = t0() + TimeDelta::days(2) - TimeDelta::seconds(1);
    match h
        .try_as("alice", just_before, done("rollout-50", None))
        .unwrap_err()
    {
        Rejection::Gated {
            opens_at: Some(at), ..
        } => assert_eq!(at, t0() + TimeDelta::days(2)),
        other => panic!("{other}"),
    }
    h.try_as("alice", t0() + TimeDelta::days(2), done("rollout-50", None))
        .unwrap();
    let refused = h
        .try_as(
            "alice",
            t0() + TimeDelta::days(5),
            done("rollout-100", None),
        )
        .unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("opens at 2026-11-30 10:00 UTC"),
        "{refused}"
    );
}

#[test]
fn a_sign_off_needs_the_role() {
    let mut h = Harness::new("rollback", None);
    h.try_as("alice", t0(), done("criterion-met", Some("error rate 7 %")))
        .unwrap();
    h.try_as(
        "alice",
        t0(),
        done("identify-stable", Some("VERSION_CODE 41")),
    )
    .unwrap();
    let confirmed = Command::Complete {
        step: "rollback".into(),
        note: None,
        confirmed: true,
    };
    let refused = h.try_as("alice", t0(), confirmed.clone()).unwrap_err();
    assert_eq!(
        refused,
        Rejection::RoleRequired {
            step: "rollback".into(),
            role: "tech-lead".into()
        }
    );
    // Holders come from the catalog as well as from configuration.
    let mut with_holder = catalog();
    with_holder
        .roles
        .iter_mut()
        .find(|r| r.id == "tech-lead")
        .unwrap()
        .holders
        .push("carol".into());
    h.catalog = with_holder;
    h.try_as("carol", t0(), confirmed).unwrap();
}

#[test]
fn a_destructive_step_needs_explicit_confirmation() {
    let mut h = Harness::new("rollback", None);
    h.roles = vec!["tech-lead".into()];
    let refused = h.try_as("alice", t0(), done("rollback", None)).unwrap_err();
    assert!(matches!(refused, Rejection::ConfirmationRequired { .. }));
    assert!(
        refused.to_string().contains("releases:rollback"),
        "{refused}"
    );
    let confirmed = Command::Complete {
        step: "rollback".into(),
        note: None,
        confirmed: true,
    };
    h.try_as("alice", t0(), confirmed).unwrap();
}

#[test]
fn a_two_person_step_is_done_only_when_another_operator_confirms() {
    let mut h = Harness::new("breach", None);
    let isolate = Command::Complete {
        step: "isolate".into(),
        note: Some("revoked key K".into()),
        confirmed: true,
    };
    h.try_as("alice", t0(), isolate).unwrap();
    assert!(matches!(
        h.state.status("isolate"),
        StepStatus::AwaitingConfirmation { .. }
    ));
    assert!(h.state.status("isolate").is_open());
    let refused = h
        .try_as(
            "alice",
            t0(),
            Command::Confirm {
                step: "isolate".into(),
            },
        )
        .unwrap_err();
    assert_eq!(
        refused,
        Rejection::SecondOperatorRequired {
            step: "isolate".into(),
            first: "alice".into()
        }
    );
    h.try_as(
        "bob",
        t0(),
        Command::Confirm {
            step: "isolate".into(),
        },
    )
    .unwrap();
    assert_eq!(
        h.state.status("isolate"),
        &StepStatus::Done {
            by: "alice".into(),
            at: t0(),
            confirmed_by: Some("bob".into())
        }
    );
}

#[test]
fn finishing_with_required_steps_open_is_refused_but_aborting_with_a_reason_is_not() {
    let mut h = Harness::new("psp-quarterly", None);
    match h.try_as("alice", t0(), Command::Finish).unwrap_err() {
        Rejection::StepsOpen(open) => assert_eq!(open.len(), 4),
        other => panic!("{other}"),
    }
    assert_eq!(
        h.try_as("alice", t0(), Command::Abort { reason: " ".into() })
            .unwrap_err(),
        Rejection::ReasonRequired
    );
    h.try_as(
        "alice",
        t0(),
        Command::Abort {
            reason: "PSP audit moved".into(),
        },
    )
    .unwrap();
    assert!(!h.state.is_open());
    assert_eq!(
        h.try_as("alice", t0(), done("webhooks", None)).unwrap_err(),
        Rejection::RunClosed
    );
}

#[test]
fn skipping_requires_a_reason_and_counts_as_closed() {
    let mut h = Harness::new("psp-quarterly", None);
    assert_eq!(
        h.try_as(
            "alice",
            t0(),
            Command::Skip {
                step: "webhooks".into(),
                reason: String::new()
            }
        )
        .unwrap_err(),
        Rejection::ReasonRequired
    );
    for step in ["webhooks", "api-keys-rotated", "reconciliation-clean"] {
        h.try_as(
            "alice",
            t0(),
            Command::Skip {
                step: step.into(),
                reason: "done last week".into(),
            },
        )
        .unwrap();
    }
    h.try_as("alice", t0(), done("ssl-valid", Some("expires 2027-03-01")))
        .unwrap();
    h.try_as("alice", t0(), Command::Finish).unwrap();
}

#[test]
fn an_incident_needs_a_severity_and_gets_its_deadlines() {
    let c = catalog();
    assert!(matches!(
        start(&c, "incident", None),
        Err(Rejection::SeverityRequired { .. })
    ));
    assert!(matches!(
        start(&c, "incident", Some("P9")),
        Err(Rejection::UnknownSeverity { .. })
    ));
    let mut h = Harness::new("incident", Some("p2"));
    assert_eq!(h.state.severity.as_deref(), Some("P2"));
    let procedure = h.catalog.procedure("incident").unwrap().clone();
    let now = t0() + TimeDelta::minutes(20);
    let list = deadlines(&h.state, &h.catalog, &procedure, "en", now);
    let find = |step: &str| list.iter().find(|d| d.step == step).unwrap().state.clone();
    assert_eq!(
        find("qualification"),
        DeadlineState::Pending {
            due: t0() + TimeDelta::minutes(30),
            left: TimeDelta::minutes(10)
        }
    );
    assert_eq!(
        find("communication"),
        DeadlineState::Pending {
            due: t0() + TimeDelta::hours(1),
            left: TimeDelta::minutes(40)
        }
    );
    assert_eq!(
        find("post-mortem"),
        DeadlineState::Pending {
            due: t0() + TimeDelta::hours(48),
            left: TimeDelta::minutes(47 * 60 + 40)
        }
    );

    // Qualified after 40 minutes: the P2 response time was missed by 10.
    let late = t0() + TimeDelta::minutes(40);
    h.try_as(
        "alice",
        late,
        done("qualification", Some("payments blocked: P2")),
    )
    .unwrap();
    let list = deadlines(&h.state, &h.catalog, &procedure, "en", late);
    let q = list.iter().find(|d| d.step == "qualification").unwrap();
    assert_eq!(
        q.state,
        DeadlineState::Missed {
            due: t0() + TimeDelta::minutes(30),
            at: late,
            late: TimeDelta::minutes(10)
        }
    );
    assert_eq!(q.label, "Response time");

    // Raised to P1 mid-run: deadlines follow the new severity.
    h.try_as("alice", late, Command::ChangeSeverity { to: "P1".into() })
        .unwrap();
    let list = deadlines(&h.state, &h.catalog, &procedure, "en", late);
    let c = list.iter().find(|d| d.step == "communication").unwrap();
    assert_eq!(
        c.state,
        DeadlineState::Overdue {
            due: t0(),
            late: TimeDelta::minutes(40)
        }
    );
    // P4 has no escalation.
    h.try_as("alice", late, Command::ChangeSeverity { to: "P4".into() })
        .unwrap();
    let list = deadlines(&h.state, &h.catalog, &procedure, "en", late);
    assert_eq!(
        list.iter()
            .find(|d| d.step == "communication")
            .unwrap()
            .state,
        DeadlineState::NotApplicable
    );
}

#[test]
fn an_immediate_escalation_is_an_order_until_its_grace_ends() {
    let mut h = Harness::new("incident", Some("P1"));
    let procedure = h.catalog.procedure("incident").unwrap().clone();
    let escalation = |h: &Harness, now| {
        deadlines(&h.state, &h.catalog, &procedure, "en", now)
            .into_iter()
            .find(|d| d.step == "communication")
            .unwrap()
            .state
    };
    let grace_ends = t0() + TimeDelta::minutes(15);
    for after in [
        TimeDelta::zero(),
        TimeDelta::seconds(1),
        TimeDelta::minutes(15),
    ] {
        assert_eq!(
            escalation(&h, t0() + after),
            DeadlineState::Now {
                due: t0(),
                until: grace_ends
            },
            "{after} after the start"
        );
    }
    assert_eq!(
        escalation(&h, grace_ends + TimeDelta::seconds(1)),
        DeadlineState::Overdue {
            due: t0(),
            late: TimeDelta::seconds(15 * 60 + 1)
        }
    );
    let mut late = Harness::new("incident", Some("P1"));
    let told = t0() + TimeDelta::minutes(10);
    h.try_as("alice", told, done("communication", Some("CTO called")))
        .unwrap();
    assert_eq!(
        escalation(&h, told + TimeDelta::hours(1)),
        DeadlineState::Met {
            due: t0(),
            at: told
        }
    );
    let too_late = grace_ends + TimeDelta::minutes(5);
    late.try_as("alice", too_late, done("communication", Some("CTO called")))
        .unwrap();
    assert_eq!(
        escalation(&late, too_late),
        DeadlineState::Missed {
            due: t0(),
            at: too_late,
            late: TimeDelta::minutes(20)
        }
    );
}

#[test]
fn the_breach_notification_and_rollback_post_mortem_deadlines() {
    let h = Harness::new("breach", None);
    let procedure = h.catalog.procedure("breach").unwrap().clone();
    let later = t0() + TimeDelta::hours(73);
    let list = deadlines(&h.state, &h.catalog, &procedure, "fr", later);
    let cnil = list.iter().find(|d| d.step == "notify-cnil").unwrap();
    assert_eq!(cnil.label, "Notification CNIL");
    assert_eq!(
        cnil.state,
        DeadlineState::Overdue {
            due: t0() + TimeDelta::hours(72),
            late: TimeDelta::hours(1)
        }
    );

    let mut h = Harness::new("rollback", None);
    h.roles = vec!["tech-lead".into()];
    let procedure = h.catalog.procedure("rollback").unwrap().clone();
    let list = deadlines(&h.state, &h.catalog, &procedure, "en", t0());
    assert_eq!(
        list[0].state,
        DeadlineState::NotStarted,
        "the post-mortem clock starts at the rollback"
    );
    let at = t0() + TimeDelta::hours(3);
    h.try_as(
        "alice",
        at,
        Command::Complete {
            step: "rollback".into(),
            note: None,
            confirmed: true,
        },
    )
    .unwrap();
    let list = deadlines(&h.state, &h.catalog, &procedure, "en", at);
    assert_eq!(list[0].state.due(), Some(at + TimeDelta::hours(24)));
}

// ---- properties ---------------------------------------------------------

fn command_strategy(steps: Vec<String>) -> impl Strategy<Value = (usize, i64, Command)> {
    let step = prop::sample::select(steps);
    let text = prop_oneof![Just(String::new()), Just("  ".to_owned()), "[a-z ]{1,12}"];
    let command = prop_oneof![
        (step.clone(), prop::option::of(text.clone()), any::<bool>()).prop_map(
            |(step, note, confirmed)| Command::Complete {
                step,
                note,
                confirmed
            }
        ),
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
            confirmed: true
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
        let writer = Writer::open(&path, identity::detect(|_| None), Options::default()).unwrap();
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
    assert!(
        matches!(refused, Rejection::HoldUnverified { .. }),
        "{refused}"
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

    // Held long enough: done.
    let readings = h.readings.as_mut().unwrap();
    readings.critical.clear();
    readings
        .ok_since
        .insert("error-rate".into(), later - TimeDelta::minutes(31));
    h.try_as("alice", later, done("rollout-50", None)).unwrap();
}

#[test]
fn holds_on_metrics_that_cannot_be_read_here_are_not_enforced() {
    let mut h = Harness::new("deploy", None);
    h.roles = vec!["tech-lead".into()];
    h.try_as("alice", t0(), done("firebase-metrics", None))
        .unwrap();
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
