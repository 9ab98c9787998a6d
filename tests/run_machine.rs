//! The run state machine: rules checked before anything is recorded, and
//! the fold that rebuilds a run from its events.

// Helpers of tests may unwrap: a failure there is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::needless_pass_by_value
)]

use chrono::TimeDelta;
use runbook::run::deadline::{DeadlineState, deadlines};
use runbook::run::{Command, Rejection, StepStatus, start};

#[path = "run_machine/support.rs"]
mod support;
use support::*;

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
    // The gate is what is tested: the hold, unread here, is overridden.
    let overridden = Command::Complete {
        step: "rollout-50".into(),
        note: None,
        confirmed: false,
        override_hold: Some("metrics read on the dashboard".into()),
    };
    h.try_as("alice", t0() + TimeDelta::days(2), overridden)
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
        override_hold: None,
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
        override_hold: None,
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
        override_hold: None,
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
    h.try_as("alice", told, internal_update("CTO called"))
        .unwrap();
    assert_eq!(
        escalation(&h, told + TimeDelta::hours(1)),
        DeadlineState::Met {
            due: t0(),
            at: told
        }
    );
    let too_late = grace_ends + TimeDelta::minutes(5);
    late.try_as("alice", too_late, internal_update("CTO called"))
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
            override_hold: None,
        },
    )
    .unwrap();
    let list = deadlines(&h.state, &h.catalog, &procedure, "en", at);
    assert_eq!(list[0].state.due(), Some(at + TimeDelta::hours(24)));
}

// ---- properties ---------------------------------------------------------
