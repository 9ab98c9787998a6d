//! A full disk during an append (issue 25): the process's file-size limit
//! (`ulimit -f`, with SIGXFSZ ignored, as a shell would leave it) makes
//! the write that crosses it short, then fail, exactly as a disk that
//! fills up mid-line. What it wrote is cut off again: the journal ends on
//! a whole entry, `audit verify` says intact, the operator reads "disk
//! full: nothing recorded", and the next append, once there is room,
//! carries on the chain.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

/// `runbook ARGS` with a file-size limit of `blocks` KiB.
fn limited(journal: &Path, blocks: u64, args: &str) -> Command {
    let script = format!("trap '' XFSZ; ulimit -f {blocks}; exec \"$0\" {args}");
    let mut command = Command::new("bash");
    command
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_runbook"))
        .env_remove("RUNBOOK_JOURNAL_KEY")
        .env("RUNBOOK_JOURNAL", journal)
        .env("RUNBOOK_OPERATOR", "ana")
        .env("XDG_CONFIG_HOME", "/nonexistent-runbook-test-config")
        .env("XDG_STATE_HOME", journal.parent().unwrap());
    command
}

fn verify(journal: &Path) -> Output {
    common::runbook(journal, "ana")
        .args(["audit", "verify"])
        .output()
        .unwrap()
}

#[test]
fn an_append_that_fills_the_disk_leaves_the_journal_whole_and_records_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let first = common::runbook(&journal, "ana")
        .args(["__append", "--count", "3"])
        .output()
        .unwrap();
    assert!(first.status.success(), "{}", text(&first));
    let before = std::fs::metadata(&journal).unwrap().len();

    // Room for a few more entries, not for fifty.
    let blocks = before / 1024 + 2;
    let out = limited(&journal, blocks, "__append --count 50")
        .output()
        .unwrap();
    let said = text(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("disk full: nothing recorded"), "{said}");
    let durable = said.lines().filter(|l| l.starts_with("durable ")).count();
    assert!(durable < 50, "the limit never bit: {said}");

    let bytes = std::fs::read(&journal).unwrap();
    assert!(bytes.len() as u64 <= blocks * 1024);
    assert_eq!(bytes.last(), Some(&b'\n'), "a torn line was left");
    let lines = bytes
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .count();
    assert_eq!(
        lines,
        4 + durable,
        "entries acknowledged are the entries kept"
    );
    let verified = verify(&journal);
    assert_eq!(verified.status.code(), Some(0), "{}", text(&verified));
    assert!(text(&verified).contains("intact"), "{}", text(&verified));

    // Room again: the chain goes on, with no recovery entry needed.
    let again = common::runbook(&journal, "ana")
        .args(["__append"])
        .output()
        .unwrap();
    assert!(again.status.success(), "{}", text(&again));
    let events = common::events(&journal);
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, runbook::run::Event::TailRecovered { .. })),
        "{events:?}"
    );
    assert_eq!(verify(&journal).status.code(), Some(0));
}

#[test]
fn line_mode_says_disk_full_and_the_run_stays_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let started = common::feed(
        common::runbook(&journal, "ana").args(["run", "deploy", "--plain"]),
        "quit\n",
    );
    assert!(started.status.success(), "{}", text(&started));
    let before = std::fs::metadata(&journal).unwrap().len();
    // Room for a few notes, not for forty.
    let blocks = before / 1024 + 2;
    let notes = "note a note that takes some room on the disk\n".repeat(40);
    let out = common::feed(&mut limited(&journal, blocks, "resume --plain"), &notes);
    let said = text(&out);
    assert!(
        said.contains("disk full: nothing recorded") && said.contains("the step stays open"),
        "{said}"
    );
    let bytes = std::fs::read(&journal).unwrap();
    assert_eq!(bytes.last(), Some(&b'\n'), "a torn line was left");
    assert_eq!(verify(&journal).status.code(), Some(0));
    // The first step is still to do: resumed, it is where it was.
    let events = common::events(&journal);
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, runbook::run::Event::StepCompleted { .. })),
        "{events:?}"
    );
}
