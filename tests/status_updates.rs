//! Status updates (issue 36, part 1), through the binary: an update is a
//! journal entry with its state, impact, components and audience; it does
//! the step the catalog marks `update`, which a checkbox alone cannot;
//! the catalog's template drafts the words; the report and post-mortem
//! list the updates; `audit verify` judges them like any step.

// Helpers of tests may unwrap: a failure there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;
use std::process::Output;

use runbook::run::Event;
use runbook::status::{Impact, Status};

fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

/// `operator` starts `procedure` (at `severity`) in line mode and leaves
/// it open; its id.
fn start(journal: &Path, operator: &str, procedure: &str, severity: Option<&str>) -> String {
    let mut command = common::runbook(journal, operator);
    command.args(["run", procedure, "--plain"]);
    if let Some(severity) = severity {
        command.args(["--severity", severity]);
    }
    let out = common::feed(&mut command, "quit\n");
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    let line = said.lines().find(|l| l.contains(" — run ")).expect(&said);
    let id = line.split(" — run ").nth(1).unwrap();
    id.split(',').next().unwrap().trim().to_owned()
}

fn update(journal: &Path, operator: &str, args: &[&str]) -> Output {
    common::runbook(journal, operator)
        .arg("update")
        .args(args)
        .output()
        .unwrap()
}

fn verify(journal: &Path) -> Output {
    common::runbook(journal, "auditor")
        .args(["audit", "verify"])
        .output()
        .unwrap()
}

#[test]
fn an_update_is_an_entry_that_does_the_incident_communication_step_and_the_report_lists_it() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let run = start(&journal, "alice", "incident", Some("P2"));

    // Ticked by hand, the communication step is refused: nobody was told.
    let out = common::feed(
        common::runbook(&journal, "alice").args(["resume", &run, "--plain"]),
        "goto communication\ndone CTO called\nquit\n",
    );
    let said = text(&out);
    assert!(
        said.contains("refused: step `communication` is done by a status update (internal)"),
        "{said}"
    );

    let out = update(
        &journal,
        "alice",
        &[
            &run,
            "--status",
            "investigating",
            "--impact",
            "major",
            "--component",
            "payments",
            "--public",
            "Some payments fail; next update in 30 minutes.",
        ],
    );
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains("step `communication` done by this update"),
        "{said}"
    );

    let events = common::events(&journal);
    let posted = events
        .iter()
        .find_map(|e| match e {
            Event::StatusUpdated(u) => Some(u.clone()),
            _ => None,
        })
        .expect("an update entry");
    assert_eq!(posted.status, Status::Investigating);
    assert_eq!(posted.impact, Impact::Major);
    assert_eq!(posted.components, ["payments"]);
    assert!(posted.public);
    assert!(
        events.iter().any(|e| matches!(e,
            Event::StepCompleted { step, .. } if step == "communication")),
        "{events:?}"
    );

    // The step shows its last update.
    let out = common::feed(
        common::runbook(&journal, "alice").args(["resume", &run, "--plain"]),
        "goto communication\nquit\n",
    );
    let said = text(&out);
    assert!(
        said.contains("last update (Investigating") && said.contains("Some payments fail"),
        "{said}"
    );

    // An unknown component or status is refused, and nothing recorded.
    let before = common::events(&journal).len();
    let out = update(
        &journal,
        "alice",
        &[
            &run,
            "--status",
            "investigating",
            "--component",
            "nope",
            "x",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("no component `nope`"), "{}", text(&out));
    let out = update(&journal, "alice", &[&run, "--status", "fixed", "x"]);
    assert!(
        text(&out).contains("`fixed` is not a status"),
        "{}",
        text(&out)
    );
    assert_eq!(common::events(&journal).len(), before);

    the_report_and_the_post_mortem_list_it(&journal, &run);
}

fn the_report_and_the_post_mortem_list_it(journal: &Path, run: &str) {
    let report = common::runbook(journal, "alice")
        .args(["report", run])
        .output()
        .unwrap();
    let report = text(&report);
    let section = report.split("## Status updates").nth(1).expect(&report);
    assert!(
        section.contains("Investigating, major impact, public [payments]")
            && section.contains("Some payments fail"),
        "{section}"
    );
    // The post-mortem draft lists them too.
    let draft = common::runbook(journal, "alice")
        .args(["postmortem", run])
        .output()
        .unwrap();
    let draft = text(&draft);
    let section = draft.split("## Status updates").nth(1).expect(&draft);
    assert!(section.contains("Some payments fail"), "{section}");
    let out = verify(journal);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}

#[test]
fn without_words_the_template_for_the_run_is_drafted_with_its_facts() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let run = start(&journal, "alice", "incident", Some("P1"));
    let out = update(
        &journal,
        "alice",
        &[&run, "--status", "investigating", "--draft"],
    );
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    // The P1 template, not the generic one, with the run's start filled in.
    assert!(
        said.starts_with("The service has been unavailable since 20"),
        "{said}"
    );
    assert!(!said.contains("${"), "{said}");
    assert!(
        !common::events(&journal)
            .iter()
            .any(|e| matches!(e, Event::StatusUpdated(_))),
        "a draft records nothing"
    );
    // In French, the French words.
    let out = common::runbook(&journal, "alice")
        .args([
            "--lang", "fr", "update", &run, "--status", "resolved", "--draft",
        ])
        .output()
        .unwrap();
    assert!(
        text(&out).starts_with("L'incident commencé le 20"),
        "{}",
        text(&out)
    );

    // In line mode, Enter posts the draft as is.
    let out = common::feed(
        common::runbook(&journal, "alice").args(["resume", &run, "--plain"]),
        "update identified public major +payments\n\nquit\n",
    );
    let said = text(&out);
    assert!(said.contains("Enter posts these words"), "{said}");
    assert!(
        said.contains("step `communication` done by this update"),
        "{said}"
    );
    let posted = common::events(&journal)
        .into_iter()
        .find_map(|e| match e {
            Event::StatusUpdated(u) => Some(u),
            _ => None,
        })
        .unwrap();
    assert_eq!(posted.status, Status::Identified);
    assert!(
        posted
            .text
            .starts_with("The cause of the problem affecting Payments and contributions"),
        "{}",
        posted.text
    );
}

#[test]
fn an_internal_update_does_not_notify_users_and_a_forged_tick_without_one_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let run = start(&journal, "alice", "rollback", None);
    let out = update(
        &journal,
        "alice",
        &[
            &run,
            "--status",
            "identified",
            "Rolled back; users not told yet",
        ],
    );
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    assert!(
        !said.contains("notify-users"),
        "an internal update is not the users' notice: {said}"
    );

    // A tampered client ticks notify-users with no public update in the run.
    let fields = format!(
        "\"ts\":\"{}\",\"operator\":\"mallory\",\"host\":\"vm\",\"session\":\"s\",\"run\":\"{run}\",\"event\":{{\"step_completed\":{{\"step\":\"notify-users\"}}}}",
        chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
    );
    common::forge(&journal, &fields);
    let out = verify(&journal);
    let said = text(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(
        said.contains("notify-users") && said.contains("status update (public)"),
        "{said}"
    );
}

#[test]
fn a_closed_run_still_takes_its_resolved_update() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let run = start(&journal, "alice", "incident", Some("P3"));
    let out = common::feed(
        common::runbook(&journal, "alice").args(["resume", &run, "--plain"]),
        "abort false alarm\n",
    );
    assert!(out.status.success(), "{}", text(&out));
    let out = update(
        &journal,
        "alice",
        &[&run, "--status", "resolved", "--public", "All clear."],
    );
    assert!(out.status.success(), "{}", text(&out));
    let resolved = common::events(&journal).into_iter().any(|e| {
        matches!(e, Event::StatusUpdated(u) if u.status == Status::Resolved && u.text == "All clear.")
    });
    assert!(resolved);
    let out = verify(&journal);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}
