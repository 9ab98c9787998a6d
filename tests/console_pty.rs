//! The real binary in a pseudo-terminal: keys in, the screen read back
//! through a terminal emulator (vt100), the journal checked afterwards.
//! Waits are for a condition on the screen, with a deadline, never a bare
//! sleep.

// Helpers of tests may unwrap: a failure there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use runbook::run::Event;
use runbook::store::read;

use common::pty::Console;

fn journal() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    (dir, path)
}

fn events(journal: &Path) -> Vec<(String, Event)> {
    read::read_all(journal)
        .unwrap()
        .0
        .into_iter()
        .map(|e| (e.operator, e.event))
        .collect()
}

/// `audit verify` of `journal`, with `rules` (a `--site` the team's
/// entries are judged by) before it.
fn verify_with(journal: &Path, rules: &[&str]) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_runbook"))
        .args(rules)
        .args(["audit", "verify", "--journal", journal.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

fn verify(journal: &Path) {
    verify_with(journal, &[]);
}

#[test]
fn deploy_ticked_with_notes_skipped_left_and_resumed() {
    let (_dir, path) = journal();
    let mut console = Console::spawn(&path, "alice", &["run", "deploy"]);
    console.wait_for("1.1 All tests pass");
    console.send(" ");
    console.wait_for("Evidence (required)");
    console.send("120 tests passed\r");
    console.wait_for("recorded #2");
    console.send(" ");
    console.wait_for("Evidence (required)");
    console.send("https://review.example/42\r");
    console.wait_for("recorded #3");
    console.send("s");
    console.wait_for("Reason for skipping");
    console.send("\r");
    console.wait_for("cannot be empty");
    console.send("hotfix: version set by CI\r");
    console.wait_for("recorded #4");
    console.send("q");
    console.wait_for("Open runs");
    console.send("q");
    assert_eq!(console.exit_within(Duration::from_secs(5)), 0);
    console.assert_restored();

    let mut again = Console::spawn(&path, "alice", &["resume"]);
    // The cursor is on the first open step.
    again.wait_for_all(&[
        "3/16 steps",
        "✔ done    1.1 All tests pass",
        "↷ skipped 1.3",
        "›○ to do   1.4 Changelog updated",
    ]);
    again.send("q");
    again.wait_for("Open runs");
    again.send("q");
    assert_eq!(again.exit_within(Duration::from_secs(5)), 0);

    let recorded = events(&path);
    assert!(recorded.contains(&(
        "alice".into(),
        Event::StepCompleted {
            step: "tests-pass".into(),
            note: Some("120 tests passed".into()),
            value: None,
            hold: None,
        }
    )));
    assert!(recorded.contains(&(
        "alice".into(),
        Event::StepSkipped {
            step: "version-bumped".into(),
            reason: "hotfix: version set by CI".into()
        }
    )));
    let leaves = recorded
        .iter()
        .filter(|(_, e)| matches!(e, Event::RunDetached { .. }))
        .count();
    assert_eq!(leaves, 2);
    verify(&path);
}

#[test]
fn a_hang_up_records_the_detach_and_exits_within_two_seconds() {
    let (_dir, path) = journal();
    let mut console = Console::spawn(&path, "alice", &["run", "psp-quarterly"]);
    console.wait_for("1.1 Webhooks working");
    console.send(" ");
    console.wait_for("recorded #2");
    console.signal("HUP");
    let code = console.exit_within(Duration::from_secs(2));
    assert_eq!(code, 129);
    let recorded = events(&path);
    assert_eq!(
        recorded.last().unwrap().1,
        Event::RunDetached {
            reason: Some("hangup".into())
        }
    );

    let mut again = Console::spawn(&path, "alice", &["resume"]);
    again.wait_for_all(&["1/4 steps", "✔ done    1.1 Webhooks working"]);
    again.signal("TERM");
    assert_eq!(again.exit_within(Duration::from_secs(2)), 143);
    again.assert_restored();
    verify(&path);
}

#[test]
fn a_closed_terminal_is_a_hang_up_not_a_panic() {
    let (dir, path) = journal();
    let mut console = Console::spawn(&path, "alice", &["run", "incident", "--severity", "P1"]);
    // The run's own gauge, not the home's "6 steps": the run has started.
    console.wait_for("0/6 steps");
    console.close_terminal();
    let code = console.exit_within(Duration::from_secs(5));
    assert_eq!(code, 129, "a lost terminal exits as a hang-up");
    let recorded = events(&path);
    assert!(
        matches!(&recorded.last().unwrap().1, Event::RunDetached { .. }),
        "the detach was journaled: {recorded:?}"
    );
    let log = std::fs::read_to_string(dir.path().join("runbook.log")).unwrap();
    assert!(!log.contains("panic"), "the log holds a panic:\n{log}");
    assert!(
        log.contains("hang-up"),
        "the log says why the console ended:\n{log}"
    );
    verify(&path);
}

#[test]
fn two_consoles_on_one_journal_see_each_other_within_a_second() {
    let (dir, path) = journal();
    // Alice and Bob share this test's OS account: the site takes their
    // names as given (tests/signed.rs has them sign with their own keys).
    let site = dir.path().join("names.toml");
    std::fs::write(&site, "[identity]\nrequire = \"none\"\n").unwrap();
    let site = site.to_str().unwrap();
    let mut alice = Console::spawn(&path, "alice", &["--site", site, "run", "breach"]);
    alice.wait_for("1.1 Isolate");
    let mut bob = Console::spawn(&path, "bob", &["--site", site, "resume"]);
    bob.wait_for("bob with alice");
    alice.wait_for_within("alice with bob", Duration::from_millis(1500));

    alice.send(" ");
    alice.wait_for("Evidence (required)");
    alice.send("key K1 revoked\r");
    alice.wait_for("cannot be undone");
    alice.send("y");
    alice.wait_for("recorded #");
    bob.wait_for_within("2nd-op  1.1 Isolate", Duration::from_millis(1500));

    // Bob, on the same step, confirms it as the second operator.
    bob.send(" ");
    bob.wait_for("recorded #");
    alice.wait_for_within(
        "bob: confirmed (second operator)",
        Duration::from_millis(1500),
    );
    alice.wait_for("✔ done    1.1 Isolate");

    for console in [&mut alice, &mut bob] {
        console.send("q");
        console.wait_for("Open runs");
        console.send("q");
        assert_eq!(console.exit_within(Duration::from_secs(5)), 0);
    }
    let recorded = events(&path);
    assert!(recorded.contains(&(
        "bob".into(),
        Event::StepConfirmed {
            step: "isolate".into()
        }
    )));
    verify_with(&path, &["--site", site]);
}

#[test]
fn ctrl_c_asks_before_leaving() {
    let (_dir, path) = journal();
    let mut console = Console::spawn(&path, "alice", &[]);
    console.wait_for("Production deploy");
    console.send("\x03");
    console.wait_for("Leave runbook?");
    console.send("n");
    console.wait_for("Enter start/join");
    console.send("\x03");
    console.wait_for("Leave runbook?");
    console.send("y");
    assert_eq!(console.exit_within(Duration::from_secs(5)), 0);
    console.assert_restored();
}

#[test]
fn without_a_terminal_the_console_says_to_use_plain() {
    let (_dir, path) = journal();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_runbook"))
        .args(["run", "deploy", "--journal", path.to_str().unwrap()])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("add --plain"));
    assert!(!path.exists(), "nothing was started");
}

#[test]
fn term_dumb_walks_in_line_mode_on_a_terminal() {
    let (_dir, path) = journal();
    let mut console = Console::spawn_with(&path, "alice", &["run", "psp-quarterly"], "dumb");
    console.wait_for("type `help` for the commands");
    console.wait_for("step 1/4");
    console.send("done\r");
    console.wait_for("recorded #2");
    console.send("quit\r");
    assert_eq!(console.exit_within(Duration::from_secs(5)), 0);
    let raw = console.raw.lock().unwrap();
    assert!(
        !String::from_utf8_lossy(&raw).contains("\x1b[?1049h"),
        "no full-screen mode on a dumb terminal"
    );
}

/// The metrics panel follows a served value: ok, then critical with the
/// rollback procedure pointed at, and the crossing journaled into the run.
#[test]
fn the_metrics_panel_changes_state_with_the_served_value() {
    let server = common::Server::start();
    server.set("/rate", common::Reply::json(r#"{"errors":{"rate":0.5}}"#));
    let (dir, path) = journal();
    let catalog = dir.path().join("watch.toml");
    std::fs::write(
        &catalog,
        r#"
[[metric]]
id = "error-rate"
title = "Error rate"
unit = "%"
alert = 1
critical = 5
source = { kind = "http_json", url = "${BASE}/rate", pointer = "/errors/rate", interval = "1s", retries = 0 }

[[procedure]]
id = "watch"
kind = "maintenance"
title = "Watch the release"
[[procedure.section]]
id = "s"
title = "Watch"
[[procedure.section.step]]
id = "look"
text = "Look at the error rate"
criteria = [{ text = "Critical error rate: roll back", metric = "error-rate", level = "critical", procedure = "rollback" }]

[[procedure]]
id = "rollback"
kind = "rollback"
title = "Rollback"
[[procedure.section]]
id = "s"
title = "Back"
[[procedure.section.step]]
id = "back"
text = "Roll back"
"#,
    )
    .unwrap();
    let base = server.url();
    let args = ["--catalog", catalog.to_str().unwrap(), "run", "watch"];
    let mut console =
        Console::spawn_env(&path, "alice", &args, "xterm-256color", &[("BASE", &base)]);
    console.wait_for("✔ Error rate 0.5 %");
    server.set("/rate", common::Reply::json(r#"{"errors":{"rate":9}}"#));
    console.wait_for_within("✘ Error rate 9 %", Duration::from_secs(5));
    console.wait_for("rollback criterion met, see `rollback` procedure");
    server.set("/rate", common::Reply::json(r#"{"errors":{"rate":0.2}}"#));
    console.wait_for_within("Error rate back to normal", Duration::from_secs(5));
    console.send("q");
    console.wait_for("Open runs");
    console.send("q");
    assert_eq!(console.exit_within(Duration::from_secs(5)), 0);
    let crossings: Vec<(String, String)> = events(&path)
        .into_iter()
        .filter_map(|(_, e)| match e {
            Event::MetricCrossed { from, to, .. } => Some((from, to)),
            _ => None,
        })
        .collect();
    assert_eq!(
        crossings,
        [
            ("ok".to_owned(), "critical".to_owned()),
            ("critical".to_owned(), "ok".to_owned())
        ]
    );
    verify(&path);
}

#[test]
fn hostile_notes_and_names_are_shown_inert_in_the_console() {
    let (_dir, path) = journal();
    let hostile = "x\u{1b}]52;c;aGk=\u{7}\u{1b}]2;PWNED\u{7}\u{1b}[2J\u{202e}evil";
    let walked = common::feed(
        std::process::Command::new(env!("CARGO_BIN_EXE_runbook"))
            .args(["run", "psp-quarterly", "--plain"])
            .env("RUNBOOK_JOURNAL", &path)
            .env("RUNBOOK_OPERATOR", format!("mallory{hostile}"))
            .env("XDG_CONFIG_HOME", "/nonexistent-runbook-test-config")
            .env_remove("RUNBOOK_CATALOG"),
        &format!("note {hostile}\nquit\n"),
    );
    assert!(walked.status.success(), "{walked:?}");
    let mut console = Console::spawn(&path, "alice", &["resume"]);
    console.wait_for_all(&["evil", "x\\e]52;c;aGk=\\x07", "mallory"]);
    {
        let raw = console.raw.lock().unwrap();
        let raw = String::from_utf8_lossy(&raw);
        assert!(
            !raw.contains("\u{1b}]52;c;aGk="),
            "the clipboard was written"
        );
        assert!(
            !raw.contains("\u{202e}"),
            "an override reached the terminal"
        );
        assert!(!raw.contains("\u{1b}]2;PWNED"), "the title was set");
    }
    console.signal("TERM");
    assert_eq!(console.exit_within(Duration::from_secs(2)), 143);
}

/// Issue 25: a journal that does not answer never holds the keys. While
/// a note waits for the journal, its step shows "sending", the cursor
/// moves, the status line says the journal is not answering; once the
/// journal takes it, it is recorded. Esc while one waits drops what was
/// queued behind it and says whether the one in flight was recorded.
#[test]
fn a_journal_that_does_not_answer_never_holds_the_keys() {
    let (_dir, path) = journal();
    let mut console = Console::spawn(&path, "alice", &["run", "deploy"]);
    console.wait_for("1.1 All tests pass");
    let held = common::Held::lock(&path);
    console.send("n");
    console.wait_for("Note");
    console.send("written while the journal was stuck\r");
    console.wait_for("sending 1.1 All tests pass");
    // Keys still work: the cursor moves to the next step at once.
    console.send("j");
    console.wait_for_within("›○ to do   1.2", Duration::from_millis(500));
    console.wait_for("journal not answering for");
    assert!(
        !events(&path)
            .iter()
            .any(|(_, e)| matches!(e, Event::NoteAdded { .. })),
        "recorded before the journal took it"
    );
    drop(held);
    console.wait_for("recorded #");
    assert!(events(&path).iter().any(|(_, e)| matches!(
        e,
        Event::NoteAdded { text, .. } if text == "written while the journal was stuck"
    )));

    // Stuck again: a note in flight, a skip queued behind it, then Esc.
    let held = common::Held::lock(&path);
    console.send("n");
    console.wait_for("Note");
    console.send("the second note\r");
    console.wait_for("sending 1.2");
    console.send("s");
    console.wait_for("Reason for skipping");
    console.send("queued behind\r");
    console.send("\x1b");
    console.wait_for("cancelling");
    drop(held);
    console.wait_for("after all");
    let recorded = events(&path);
    assert!(
        recorded
            .iter()
            .any(|(_, e)| matches!(e, Event::NoteAdded { text, .. } if text == "the second note"))
    );
    assert!(
        !recorded
            .iter()
            .any(|(_, e)| matches!(e, Event::StepSkipped { .. })),
        "the queued skip was recorded after the cancel"
    );
    console.send("q");
    console.wait_for("Open runs");
    console.send("q");
    assert_eq!(console.exit_within(Duration::from_secs(5)), 0);
    console.assert_restored();
    verify(&path);
}
