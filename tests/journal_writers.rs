//! The journal file under hostile conditions, through the library and the
//! binary: a clock behind, concurrent writers, garbage lines, a folder, a
//! read-only file, a full disk, and a follower from the end.

// Helpers of tests may unwrap: a failure there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "journal/support.rs"]
mod support;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use chrono::Utc;
use runbook::journal::Entry;
use runbook::run::Event;
use runbook::store::{Options, Writer, read};

use support::*;

/// Eight processes append 500 entries each to one journal: exactly 4,000
/// entries, no interleaved bytes, and the chain valid.
#[test]
fn a_host_whose_clock_is_behind_never_takes_the_journal_back_in_time() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    let now = Utc::now();
    let mut ahead = Writer::open(&path, identity("alice"), Options::default()).unwrap();
    ahead.append(&[note("run-1", "first")], now).unwrap();
    // Another host, its clock five seconds behind, appends next.
    let mut behind = Writer::open(&path, identity("bob"), Options::default()).unwrap();
    behind
        .append(
            &[note("run-1", "second")],
            now - chrono::TimeDelta::seconds(5),
        )
        .unwrap();
    // Later still by its own clock, it keeps its own time.
    behind
        .append(
            &[note("run-1", "third")],
            now + chrono::TimeDelta::seconds(2),
        )
        .unwrap();
    let ts: Vec<String> = lines(&path)
        .iter()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["ts"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    let stamp = |t: chrono::DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    assert_eq!(
        ts[1..],
        [
            stamp(now),
            stamp(now),
            stamp(now + chrono::TimeDelta::seconds(2))
        ]
    );
    let report = check(&std::fs::read(&path).unwrap(), None, None);
    assert!(report.intact() && report.warnings.is_empty(), "{report:?}");
}

#[test]
fn concurrent_writers_never_interleave() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    let children: Vec<_> = (0..8)
        .map(|i| {
            runbook()
                .args([
                    "__append",
                    "--count",
                    "500",
                    "--run",
                    &format!("writer-{i}"),
                ])
                .args(["--journal", path.to_str().unwrap()])
                .stdout(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let (entries, problems) = read::read_all(&path).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    let notes: Vec<&Entry> = entries
        .iter()
        .filter(|e| matches!(e.event, Event::NoteAdded { .. }))
        .collect();
    assert_eq!(notes.len(), 4000);
    assert_eq!(entries.len(), 4001, "one genesis entry and the notes");
    for i in 0..8 {
        let run = format!("writer-{i}");
        assert_eq!(
            notes
                .iter()
                .filter(|e| e.run.as_deref() == Some(run.as_str()))
                .count(),
            500
        );
    }
    let out = audit_verify(&path, &[], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
}

fn start_run(journal: &Path, input: &str) -> Output {
    let args = [
        "run",
        "psp-quarterly",
        "--plain",
        "--journal",
        journal.to_str().unwrap(),
    ];
    common::feed(runbook().args(args), input)
}

#[test]
fn a_garbage_line_is_named_and_blocks_appending_after_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = journal(dir.path(), 2, None);
    let mut content = lines(&path);
    content.push("this is not json".to_owned());
    write_lines(&path, &content);
    let out = audit_verify(&path, &[], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("first bad line: 4 — not a journal entry"),
        "{}",
        text(&out.stdout)
    );

    let before = std::fs::read(&path).unwrap();
    let out = start_run(&path, "done\n");
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("is damaged: its last line is not a journal entry"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "nothing appended after garbage"
    );
    assert!(!text(&out.stdout).contains("recorded"));

    // Runs and reports still read everything else, and say what they skipped.
    let runs = runbook()
        .args(["runs", "--journal", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        text(&runs.stderr).contains(":4: unreadable entry"),
        "{}",
        text(&runs.stderr)
    );
}

#[test]
fn a_folder_as_journal_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = start_run(dir.path(), "done\n");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("is not a regular file"),
        "{}",
        text(&out.stderr)
    );
    let verify = audit_verify(dir.path(), &[], None);
    assert_eq!(verify.status.code(), Some(2));
    assert!(text(&verify.stderr).contains("is a folder"));
}

#[test]
fn a_read_only_journal_is_a_clear_error_and_nothing_is_claimed() {
    use std::os::unix::fs::PermissionsExt;
    // As root, permission bits do not stop a write: run as `nobody`.
    let dir = tempfile::tempdir().unwrap();
    let path = journal(dir.path(), 1, None);
    let bin = dir.path().join("runbook");
    std::fs::copy(env!("CARGO_BIN_EXE_runbook"), &bin).unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let is_root =
        std::fs::metadata("/proc/self").is_ok_and(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0);
    let mut command = if is_root {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(&bin);
        c
    } else {
        Command::new(&bin)
    };
    let out = command
        .args([
            "run",
            "psp-quarterly",
            "--plain",
            "--journal",
            path.to_str().unwrap(),
        ])
        .env("HOME", dir.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("cannot open the journal") && stderr.contains("ermission denied"),
        "{stderr}"
    );
    assert!(!text(&out.stdout).contains("recorded"));
}

/// A full disk, by way of `RLIMIT_FSIZE`: the write fails, the operator is
/// told, no step is claimed done, the journal is left whole, and the next
/// append goes on.
#[test]
fn a_full_disk_fails_closed_and_claims_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    // Start the run with room to spare, then fill the file to just under
    // the limit with notes.
    let out = start_run(&path, "quit\n");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let limit_kib = 8u64;
    let mut writer = Writer::open(&path, identity("filler"), Options::default()).unwrap();
    while std::fs::metadata(&path).unwrap().len() < limit_kib * 1024 - 600 {
        writer
            .append(&[note("filler", "padding")], Utc::now())
            .unwrap();
    }
    let before = read::read_all(&path).unwrap().0.len();

    let script =
        format!("ulimit -f {limit_kib}; trap '' XFSZ; exec \"$0\" resume --plain --journal \"$1\"");
    let long_note = "a long note to fill the disk ".repeat(16);
    let mut command = Command::new("bash");
    command
        .args([
            "-c",
            &script,
            env!("CARGO_BIN_EXE_runbook"),
            path.to_str().unwrap(),
        ])
        .env_remove("RUNBOOK_JOURNAL");
    let out = common::feed(&mut command, &format!("note {long_note}\ndone\ndone\n"));
    let stderr = text(&out.stderr);
    let stdout = text(&out.stdout);
    assert!(
        stderr.contains("disk full: nothing recorded") && stderr.contains("the step stays open"),
        "{stderr}\n{stdout}"
    );
    assert_eq!(out.status.code(), Some(1));
    // What the failed write left was cut off again: whole at once.
    assert_eq!(audit_verify(&path, &[], None).status.code(), Some(0));
    // Whatever was promised is there; no step was completed.
    let (entries, _) = read::read_all(&path).unwrap();
    assert!(entries.len() >= before);
    assert!(
        !entries
            .iter()
            .any(|e| matches!(e.event, Event::StepCompleted { .. }))
    );
    // With room again, the next append goes on.
    let mut writer = Writer::open(&path, identity("filler"), Options::default()).unwrap();
    writer
        .append(&[note("filler", "disk freed")], Utc::now())
        .unwrap();
    assert_eq!(audit_verify(&path, &[], None).status.code(), Some(0));
}

#[test]
fn a_follower_from_the_end_sees_only_what_comes_next() {
    let dir = tempfile::tempdir().unwrap();
    let path = journal(dir.path(), 3, None);
    let mut bytes = std::fs::read(&path).unwrap();
    let end = read::end(&path).unwrap();
    assert_eq!((end.offset, end.line), (bytes.len() as u64, 4));
    let mut follower = read::Follower::from(&path, end);
    assert!(follower.poll().unwrap().0.is_empty());

    let mut writer = Writer::open(&path, identity("bob"), Options::default()).unwrap();
    writer
        .append(&[note("run-1", "after")], Utc::now())
        .unwrap();
    let (entries, problems) = follower.poll().unwrap();
    assert!(problems.is_empty());
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].seq, 4);

    // A torn tail is not consumed: reported, and read once recovered.
    bytes = std::fs::read(&path).unwrap();
    bytes.extend_from_slice(b"{\"seq\":5,");
    std::fs::write(&path, &bytes).unwrap();
    let (entries, problems) = follower.poll().unwrap();
    assert!(entries.is_empty());
    assert_eq!(problems[0].line, 6);
    assert_eq!(
        read::end(&path).unwrap().line,
        5,
        "the torn bytes are no line"
    );
    writer
        .append(&[note("run-1", "recovered")], Utc::now())
        .unwrap();
    let (entries, _) = follower.poll().unwrap();
    assert!(matches!(
        entries[0].event,
        Event::TailRecovered { torn_bytes: 9, .. }
    ));
    assert_eq!(entries.len(), 2);
}
