//! Text from people and files never acts on the reader's terminal: a
//! journal written with escape sequences, C1 controls and bidirectional
//! overrides in every field a person controls, read back through every
//! command. (The console is checked in `console_pty.rs`.)

// Helpers of tests may unwrap: a failure there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;
use std::process::{Command, Output};

/// Clipboard write, screen clear, erase the line above, a C1 CSI, a
/// right-to-left override and a fake second line.
const HOSTILE: &str =
    "x\u{1b}]52;c;aGk=\u{7}\u{1b}[2J\u{1b}[1A\u{1b}[2K\u{9b}31m\u{202e}evil\u{2066}\r#99 fake";

fn runbook(journal: &Path) -> Command {
    let mut command = common::runbook(journal, &format!("mallory{HOSTILE}"));
    command.env("SSH_CLIENT", format!("{HOSTILE} 1 22"));
    command
}

/// What would act on a terminal: ESC, BEL, CR, C1 controls (in UTF-8) and
/// the bidirectional overrides and isolates.
fn assert_inert(what: &str, out: &Output) {
    for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let text = String::from_utf8_lossy(bytes);
        let acting: Vec<char> = text
            .chars()
            .filter(|c| {
                (c.is_control() && *c != '\n')
                    || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
            })
            .collect();
        assert!(
            acting.is_empty(),
            "`{what}` wrote {acting:?} to {stream}:\n{text}"
        );
        assert!(
            !text.lines().any(|l| l.starts_with("#99 fake")),
            "`{what}`: a note faked a line of its own:\n{text}"
        );
    }
}

fn prepared() -> (tempfile::TempDir, std::path::PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let input = format!("note {HOSTILE}\nnext\nskip {HOSTILE}\nfail {HOSTILE}\nstatus\nquit\n");
    let walked = common::feed(
        runbook(&journal).args(["run", "psp-quarterly", "--plain"]),
        &input,
    );
    assert_eq!(walked.status.code(), Some(0), "{walked:?}");
    assert_inert("run --plain", &walked);
    let runs = runbook(&journal).args(["runs", "--json"]).output().unwrap();
    let value: serde_json::Value = serde_json::from_slice(&runs.stdout).unwrap();
    let id = value[0]["id"].as_str().unwrap().to_owned();
    (dir, journal, id)
}

#[test]
fn hostile_text_in_every_field_is_shown_inert_by_every_command() {
    let (_dir, journal, id) = prepared();
    let commands: Vec<Vec<&str>> = vec![
        vec!["runs"],
        vec!["runs", "--open"],
        vec!["report", &id],
        vec!["report", &id, "--format", "json"],
        vec!["audit", "show"],
        vec!["audit", "show", "--json"],
        vec!["audit", "verify"],
        vec!["runs", "--json"],
    ];
    for args in &commands {
        let out = runbook(&journal).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {out:?}");
        assert_inert(&args.join(" "), &out);
    }
    let resumed = common::feed(
        runbook(&journal).args(["resume", &id, "--plain"]),
        "status\nback\nshow\nquit\n",
    );
    assert_eq!(resumed.status.code(), Some(0), "{resumed:?}");
    assert_inert("resume --plain", &resumed);
}

#[test]
fn the_text_is_still_there_to_read() {
    let (_dir, journal, id) = prepared();
    let report = runbook(&journal).args(["report", &id]).output().unwrap();
    let md = String::from_utf8(report.stdout).unwrap();
    assert!(
        md.contains("x\\\\e\\]52;c;aGk=\\\\x07\\\\e\\[2J"),
        "the escape is shown, escaped for Markdown:\n{md}"
    );
    let show = runbook(&journal).args(["audit", "show"]).output().unwrap();
    let listing = String::from_utf8(show.stdout).unwrap();
    assert!(
        listing.contains(
            "x\\e]52;c;aGk=\\x07\\e[2J\\e[1A\\e[2K\\u{9b}31m\\u{202e}evil\\u{2066}\\r#99 fake"
        ),
        "{listing}"
    );
    assert!(listing.contains("malloryx\\e]52"), "{listing}");
}

#[test]
fn json_keeps_the_exact_text() {
    let (_dir, journal, id) = prepared();
    let report = runbook(&journal)
        .args(["report", &id, "--format", "json"])
        .output()
        .unwrap();
    let value: serde_json::Value = serde_json::from_slice(&report.stdout).unwrap();
    let skipped = &value["skipped"][0];
    assert_eq!(skipped["reason"].as_str(), Some(HOSTILE));
    assert_eq!(
        skipped["by"].as_str().map(str::to_owned),
        Some(format!("mallory{HOSTILE}"))
    );
    let show = runbook(&journal)
        .args(["audit", "show", "--json", "--run", &id])
        .output()
        .unwrap();
    let notes: Vec<String> = String::from_utf8(show.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter_map(|v| v["event"]["note_added"]["text"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(notes, vec![HOSTILE.to_owned()]);
}
