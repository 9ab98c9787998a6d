//! Two (or more) operators ticking the same step at the same instant: the
//! decision is taken under the journal's lock against every entry up to
//! the head, so exactly one is recorded and the others are refused with
//! who did it.

// Helpers of tests may unwrap: a failure there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;

use runbook::run::Event;
use runbook::store::read;

mod common;

fn runbook(journal: &Path, operator: &str) -> Command {
    common::runbook(journal, operator)
}

/// A line-mode process that has shown its first step and waits for input;
/// its output lines arrive on the channel.
fn ready(journal: &Path, operator: &str, run: &str) -> (Child, mpsc::Receiver<String>) {
    let mut child = runbook(journal, operator)
        .args(["resume", run, "--plain"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) if line.contains("status: to do") => return (child, rx),
            Ok(_) => {}
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("the walk did not show its step");
            }
        }
    }
}

#[test]
fn the_same_step_ticked_at_once_by_four_operators_is_recorded_once() {
    const ROUNDS: usize = 12;
    const RACERS: usize = 4;
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let mut doubles = Vec::new();
    for round in 0..ROUNDS {
        let started = runbook(&journal, "lead")
            .args(["run", "psp-quarterly", "--plain"])
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(started.status.success(), "{started:?}");
        let (runs, _) = runbook::run_list::fold_file(&journal).unwrap();
        let run = runs.last().unwrap().id.clone();
        let mut racers: Vec<_> = (0..RACERS)
            .map(|i| ready(&journal, &format!("op{i}"), &run))
            .collect();
        // Every walk has read the journal and shows the step open: the
        // same `done` reaches them all at once.
        for (child, _) in &mut racers {
            child.stdin.as_mut().unwrap().write_all(b"done\n").unwrap();
        }
        for (child, _) in &mut racers {
            child.stdin.as_mut().unwrap().write_all(b"quit\n").unwrap();
        }
        let mut refused = 0;
        for (mut child, lines) in racers {
            assert!(child.wait().unwrap().success());
            // Everything it printed: the reader ends at its output's end,
            // which may come after `wait` returns.
            let said: Vec<String> = lines.iter().collect();
            if said
                .iter()
                .any(|l| l.contains("refused: step `webhooks` is already done by op"))
            {
                refused += 1;
            }
        }
        let completed = read::read_all(&journal)
            .unwrap()
            .0
            .into_iter()
            .filter(|e| e.run.as_deref() == Some(run.as_str()))
            .filter(|e| matches!(&e.event, Event::StepCompleted { step, .. } if step == "webhooks"))
            .count();
        if completed != 1 {
            doubles.push(format!("round {round}: {completed} completions"));
        }
        assert_eq!(
            refused + completed,
            RACERS,
            "round {round}: every racer but the one recorded is refused, saying who did it"
        );
    }
    assert!(doubles.is_empty(), "a step was recorded twice: {doubles:?}");
    let verify = runbook(&journal, "auditor")
        .args(["audit", "verify"])
        .output()
        .unwrap();
    assert!(verify.status.success());
}
