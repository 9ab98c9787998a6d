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

/// A tmpfs of a few hundred KiB, mounted for the test (it needs root, as
/// CI has; a test that cannot mount it fails) and unmounted when dropped.
struct Tmpfs {
    _dir: tempfile::TempDir,
    at: std::path::PathBuf,
}

impl Tmpfs {
    fn mount(kib: u64) -> Tmpfs {
        let dir = tempfile::tempdir().unwrap();
        let at = dir.path().join("fs");
        std::fs::create_dir(&at).unwrap();
        let out = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={kib}k,mode=0700"),
                "tmpfs",
            ])
            .arg(&at)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "cannot mount a tmpfs (the test needs root): {}",
            text(&out)
        );
        Tmpfs { _dir: dir, at }
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.at).output();
    }
}

/// Fills the filesystem at `dir` with `filler` up to its last byte, then
/// gives `room` bytes back.
fn fill(filler: &Path, room: u64) {
    use std::io::Write;
    let mut file = std::fs::File::create(filler).unwrap();
    let block = vec![0u8; 4096];
    while file.write_all(&block).is_ok() {}
    let full = file.metadata().unwrap().len();
    file.set_len(full.saturating_sub(room)).unwrap();
}

/// The same on a real filesystem that fills up (a tmpfs of 512 KiB):
/// line mode's notes stop at "disk full", the journal stays whole and
/// verifies, and once space is freed the next note is recorded.
#[test]
fn a_run_on_a_tmpfs_that_fills_up_says_so_and_goes_on_once_space_is_freed() {
    let fs = Tmpfs::mount(512);
    let journal = fs.at.join("journal.jsonl");
    let run = |input: &str, args: &[&str]| {
        let mut command = common::runbook(&journal, "ana");
        command.args(args).env("XDG_STATE_HOME", &fs.at);
        common::feed(&mut command, input)
    };
    let started = run("quit\n", &["run", "deploy", "--plain"]);
    assert!(started.status.success(), "{}", text(&started));
    let filler = fs.at.join("filler");
    fill(&filler, 8 * 1024);

    let notes = format!("note {}\n", "a note that takes room on the disk ".repeat(8)).repeat(60);
    let out = run(&notes, &["resume", "--plain"]);
    let said = text(&out);
    assert!(said.contains("disk full: nothing recorded"), "{said}");
    let bytes = std::fs::read(&journal).unwrap();
    assert_eq!(bytes.last(), Some(&b'\n'), "a torn line was left");
    let verified = verify(&journal);
    assert_eq!(verified.status.code(), Some(0), "{}", text(&verified));
    let kept = common::events(&journal).len();

    std::fs::remove_file(&filler).unwrap();
    let after = run(
        "note written once there was room\nquit\n",
        &["resume", "--plain"],
    );
    assert!(after.status.success(), "{}", text(&after));
    let events = common::events(&journal);
    assert!(events.len() > kept);
    assert!(
        events.iter().any(|e| matches!(
            e,
            runbook::run::Event::NoteAdded { text, .. } if text == "written once there was room"
        )),
        "{events:?}"
    );
    assert_eq!(verify(&journal).status.code(), Some(0));
}
