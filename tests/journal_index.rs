//! The index beside a journal: a cache that changes nothing but speed.
//! `runbook runs` and resume read the same with it, without it, with a
//! stale one and with an edited one; `audit verify` checks its checkpoint
//! against the chain.

// Helpers of tests may unwrap: a failure there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{TimeDelta, Utc};
use runbook::journal::Record;
use runbook::run::Event;
use runbook::store::Writer;

const STEPS: [&str; 4] = [
    "webhooks",
    "api-keys-rotated",
    "reconciliation-clean",
    "ssl-valid",
];

fn writer(path: &Path, key: Option<&str>) -> Writer {
    common::writer(path, "gen", key)
}

/// `runs` runs of the PSP checklist, `notes` notes each, interleaved; all
/// finished but the last `open` (one of which aborted when `abort`).
fn generate(path: &Path, key: Option<&str>, first: usize, runs: usize, notes: usize, open: usize) {
    let mut w = writer(path, key);
    let id = |r: usize| format!("psp-quarterly-gen-{r:04}");
    let mut batch = Vec::new();
    let hash = psp_quarterly_hash();
    let flush = |batch: &mut Vec<Record>, w: &mut Writer| {
        if !batch.is_empty() {
            w.append(batch, Utc::now()).unwrap();
            batch.clear();
        }
    };
    for r in first..first + runs {
        batch.push(Record {
            run: Some(id(r)),
            event: Event::RunStarted {
                procedure: "psp-quarterly".into(),
                procedure_hash: hash.clone(),
                severity: None,
                pinned: None,
            },
        });
    }
    for n in 0..notes {
        for r in first..first + runs {
            batch.push(Record {
                run: Some(id(r)),
                event: Event::NoteAdded {
                    step: None,
                    text: format!("note {n} of run {r}"),
                },
            });
        }
        if batch.len() >= 500 {
            flush(&mut batch, &mut w);
        }
    }
    for r in first..first + runs {
        for (i, step) in STEPS.iter().enumerate() {
            // Open runs keep their last step to do.
            if r + open >= first + runs && i == STEPS.len() - 1 {
                continue;
            }
            batch.push(Record {
                run: Some(id(r)),
                event: Event::StepCompleted {
                    step: (*step).into(),
                    // `ssl-valid` asks for its evidence.
                    note: (*step == "ssl-valid").then(|| "2027-03-01".into()),
                    value: None,
                    hold: None,
                },
            });
        }
        if r + open < first + runs {
            batch.push(Record {
                run: Some(id(r)),
                event: if r % 7 == 3 {
                    Event::RunAborted {
                        reason: "drill".into(),
                    }
                } else {
                    Event::RunFinished
                },
            });
        }
    }
    flush(&mut batch, &mut w);
}

fn runbook(journal: &Path) -> Command {
    common::runbook(journal, "auditor")
}

fn runs_json(journal: &Path) -> serde_json::Value {
    let out = runbook(journal).args(["runs", "--json"]).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn index_of(journal: &Path) -> PathBuf {
    runbook::store::index::path_for(journal)
}

fn verify(journal: &Path) -> (i32, String) {
    let out = runbook(journal).args(["audit", "verify"]).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn the_index_changes_nothing_but_speed() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    generate(&journal, None, 0, 30, 60, 3);
    assert!(!index_of(&journal).exists());
    let without = runs_json(&journal);
    assert!(index_of(&journal).exists(), "a long history gets an index");
    let with = runs_json(&journal);
    assert_eq!(with, without);
    let rows = with.as_array().unwrap();
    assert_eq!(rows.len(), 30);
    assert_eq!(rows.iter().filter(|r| r["phase"] == "open").count(), 3);
    assert_eq!(rows.iter().filter(|r| r["phase"] == "aborted").count(), 4);
    assert_eq!(rows[0]["done"], 4);
    assert_eq!(rows[29]["done"], 3);
    let (code, said) = verify(&journal);
    assert_eq!(code, 0, "{said}");
    assert!(said.contains("index checkpoint #"), "{said}");

    // The index read, then the tail: new runs and a closed run's late
    // entry both show, as a full reading shows them.
    generate(&journal, None, 30, 2, 3, 1);
    let mut w = writer(&journal, None);
    w.append(
        &[Record {
            run: Some("psp-quarterly-gen-0000".into()),
            event: Event::NoteAdded {
                step: None,
                text: "late word on a closed run".into(),
            },
        }],
        Utc::now() + TimeDelta::seconds(1),
    )
    .unwrap();
    let after = runs_json(&journal);
    std::fs::remove_file(index_of(&journal)).unwrap();
    assert_eq!(
        runs_json(&journal),
        after,
        "deleting the index changes nothing"
    );
    assert_eq!(after.as_array().unwrap().len(), 32);
}

#[test]
fn an_edited_or_stale_index_is_detected_and_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    generate(&journal, Some("k1"), 0, 20, 60, 2);
    let plain = {
        let out = runbook(&journal)
            .env("RUNBOOK_JOURNAL_KEY", "k1")
            .args(["runs", "--json"])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let index = index_of(&journal);
    let text = std::fs::read_to_string(&index).unwrap();
    assert!(text.contains("\"operators\":[\"gen\"]"));

    // An edit of a closed run's summary: its digest no longer matches.
    std::fs::write(
        &index,
        text.replacen("\"operators\":[\"gen\"]", "\"operators\":[\"eve\"]", 1),
    )
    .unwrap();
    let read = |key: &str| {
        let out = runbook(&journal)
            .env("RUNBOOK_JOURNAL_KEY", key)
            .args(["runs", "--json"])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    assert_eq!(read("k1"), plain);
    assert!(!read("k1").contains("\"eve\""));
    let (code, said) = {
        let out = runbook(&journal)
            .env("RUNBOOK_JOURNAL_KEY", "k1")
            .args(["audit", "verify"])
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    assert_eq!(code, 0, "the journal itself is intact: {said}");

    // Without the key, its digests do not match either: it is rebuilt
    // with plain digests, and the listing is the same.
    assert_eq!(read(""), plain);
}

#[test]
fn a_journal_rewritten_before_the_checkpoint_fails_verify_and_is_reread() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    generate(&journal, None, 0, 10, 120, 1);
    runs_json(&journal);
    assert!(index_of(&journal).exists());
    // Cut the journal in the middle of its history, at a line's end.
    let bytes = std::fs::read(&journal).unwrap();
    let cut = bytes[..bytes.len() / 2]
        .iter()
        .rposition(|b| *b == b'\n')
        .unwrap()
        + 1;
    std::fs::write(&journal, &bytes[..cut]).unwrap();
    let (code, said) = verify(&journal);
    assert_eq!(code, 1, "{said}");
    assert!(said.contains("truncated"), "{said}");

    // Readers do not trust the stale index: the cut journal has no finished run.
    let rows = runs_json(&journal);
    assert!(
        rows.as_array()
            .unwrap()
            .iter()
            .all(|r| r["phase"] == "open"),
        "{rows}"
    );
}

/// The bundled `psp-quarterly`'s content: runs go on only under the
/// procedure they started with.
fn psp_quarterly_hash() -> String {
    let catalog = runbook::catalog::load_bundled().catalog;
    let procedure = catalog.procedure("psp-quarterly").unwrap();
    procedure.content_hash.clone()
}

#[test]
fn an_open_run_is_resumed_from_its_own_entries() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    generate(&journal, None, 0, 12, 100, 2);
    runs_json(&journal);
    assert!(index_of(&journal).exists());
    let out = common::feed(
        runbook(&journal).args(["resume", "psp-quarterly-gen-0011", "--plain"]),
        "status\nquit\n",
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("progress: 3/4 steps closed"), "{said}");
    let closed = common::feed(
        runbook(&journal).args(["resume", "psp-quarterly-gen-0001", "--plain"]),
        "quit\n",
    );
    assert_eq!(closed.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&closed.stderr).contains("closed"),
        "{closed:?}"
    );
}

#[test]
fn with_an_index_the_history_before_its_checkpoint_is_not_read_again() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    generate(&journal, None, 0, 10, 120, 1);
    let before = runs_json(&journal);
    // Damage a note of a closed run deep in the history: a reading of the
    // whole journal would meet it; a reading through the index does not.
    let mut bytes = std::fs::read(&journal).unwrap();
    let at = bytes
        .windows(b"note 50 of run 2\"".len())
        .position(|w| w == b"note 50 of run 2\"")
        .unwrap();
    bytes[at + b"note 50 of run 2".len()] = b'X';
    std::fs::write(&journal, &bytes).unwrap();
    assert_eq!(
        runs_json(&journal),
        before,
        "read through the index, quietly"
    );
    let (code, said) = verify(&journal);
    assert_eq!(code, 1, "verify reads it all: {said}");
    std::fs::remove_file(index_of(&journal)).unwrap();
    let out = runbook(&journal).args(["runs"]).output().unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("unreadable entry"),
        "without the index the damaged line is met: {out:?}"
    );
}

/// Issue 25: a database journal keeps its index in its `runbook_index`
/// row, as a file keeps it beside: written once the tail is long, read
/// instead of the history, and rebuilt when it does not match (an edited
/// row, a checkpoint the chain does not hold).
#[test]
fn a_database_journal_keeps_its_index_and_rebuilds_a_bad_one() {
    use common::pg::{PASSWORD, Pg};
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("journal.jsonl");
    generate(&file, None, 0, 300, 2, 3);
    let expected = runs_json(&file);
    let pg = Pg::start();
    let url = pg.url();
    let db = |args: &[&str]| {
        let out = common::runbook(&url, "auditor")
            .env("RUNBOOK_PG_PASSWORD", PASSWORD)
            .env("XDG_STATE_HOME", dir.path())
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {out:?}");
        out
    };
    let sql = |query: &str| {
        let out = pg.psql(query);
        assert!(out.status.success(), "{query}: {out:?}");
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    db(&["journal", "init"]);
    db(&["journal", "import", file.to_str().unwrap()]);
    assert_eq!(sql("SELECT count(*) FROM runbook_index"), "0");

    let runs = |label: &str| {
        let out = db(&["runs", "--json"]);
        let got: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(got, expected, "{label}");
    };
    runs("the first reading, from the rows");
    let checkpoint = sql(
        "SELECT convert_from(substring(body from 1 for position('\\x0a'::bytea in body)), 'UTF8')::json->'checkpoint'->>'seq' FROM runbook_index",
    );
    let head = sql("SELECT max(seq) FROM runbook_journal");
    assert_eq!(checkpoint, head, "the index stops at the verified head");
    // The second pass (the server picking the rows that name them) found
    // every entry of the 3 open runs: a start, 2 notes and 3 steps each.
    let open_entries = sql(
        "SELECT sum(json_array_length(o->'offsets')) FROM runbook_index, \
         json_array_elements((convert_from(substring(body from 1 for position('\\x0a'::bytea in body)), 'UTF8')::json)->'open') o",
    );
    assert_eq!(open_entries, "18");
    runs("through the index");

    // An edited row: its digest no longer matches; rebuilt from the rows.
    sql(
        "UPDATE runbook_index SET body = overlay(body placing 'psp-quarterly-gen-9999'::bytea from position('psp-quarterly-gen-0001'::bytea in body) for 22)",
    );
    runs("with an edited index");
    let rewritten =
        sql("SELECT position('psp-quarterly-gen-9999'::bytea in body) FROM runbook_index");
    assert_eq!(rewritten, "0", "the edited index was not rebuilt");

    // An index whose checkpoint the chain does not hold (another journal's).
    sql(
        "UPDATE runbook_index SET body = convert_to(replace(convert_from(body, 'UTF8'), '\"seq\":', '\"seq\":7'), 'UTF8')",
    );
    runs("with a checkpoint the chain does not hold");
}

/// Peak resident memory (KiB) of `runbook runs` on `journal`, read from
/// the kernel's account of the child (wait4), which std does not offer.
#[allow(unsafe_code)]
fn peak_of_runs(journal: &Path) -> i64 {
    let child = runbook(journal)
        .arg("runs")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let pid = i32::try_from(child.id()).unwrap();
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: the pid is our own child, not yet waited for; wait4 reaps it.
    let waited = unsafe { libc::wait4(pid, &raw mut status, 0, &raw mut usage) };
    assert_eq!(waited, pid);
    assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0);
    drop(child);
    usage.ru_maxrss
}

/// Issue 25: a first reading without an index holds the open runs in
/// full and the closed ones as summaries, so its memory does not grow with
/// the history: 100,000 entries, most of them notes of runs that stay open
/// until their end, read within 10 % of the peak for a tenth of that
/// history with the same open runs (the same code read, the same notes
/// held: what is left is what grows with the history; an empty journal
/// touches less code, so comparing with it measured the binary's layout);
/// and the open runs still come with every note (a second reading gives
/// them).
#[test]
fn an_unindexed_history_is_read_in_memory_bounded_by_its_open_runs() {
    let dir = tempfile::tempdir().unwrap();
    let tenth = dir.path().join("tenth.jsonl");
    let journal = dir.path().join("journal.jsonl");
    generate(&journal, None, 0, 100, 1_000, 5);
    generate(&tenth, None, 0, 10, 1_000, 5);
    // Each read without an index; the least of three, once the page cache
    // is warm.
    let least = |path: &Path| {
        (0..3)
            .map(|_| {
                let _ = std::fs::remove_file(index_of(path));
                peak_of_runs(path)
            })
            .min()
            .unwrap()
    };
    let floor = least(&tenth);
    let peak = least(&journal);
    assert!(
        peak * 10 <= floor * 11,
        "100,000 entries without an index: {peak} KiB at peak, 10,000 with the same open runs {floor} KiB"
    );

    std::fs::remove_file(index_of(&journal)).unwrap();
    let history = runbook::store::load(journal.as_path(), None, true).unwrap();
    assert_eq!(history.closed.len(), 95);
    assert_eq!(history.open.len(), 5);
    let seen = |open: &[runbook::run::RunState]| -> Vec<(String, Vec<String>, Vec<String>)> {
        open.iter()
            .map(|run| {
                let mut steps: Vec<String> = run.steps.keys().cloned().collect();
                steps.sort();
                let notes = run.notes.iter().map(|n| n.text.clone()).collect();
                (run.id.clone(), notes, steps)
            })
            .collect()
    };
    for (id, notes, steps) in seen(&history.open) {
        let r: usize = id["psp-quarterly-gen-".len()..].parse().unwrap();
        assert_eq!(notes.len(), 1_000, "{id}");
        assert_eq!(notes[999], format!("note 999 of run {r}"));
        assert_eq!(steps.len(), 3, "{id}");
    }
    let indexed = runbook::store::load(journal.as_path(), None, true).unwrap();
    assert_eq!(
        seen(&indexed.open),
        seen(&history.open),
        "through the index, the same open runs"
    );
    assert_eq!(indexed.closed, history.closed);
}

/// A run closed, then written to again (a late note, a reopened step):
/// the summary of a first reading cannot take it, so the run is read again
/// in full, whether it ends open or closed.
#[test]
fn a_run_written_after_it_closed_is_read_again_in_full() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    generate(&journal, None, 0, 3, 5, 0);
    let mut w = writer(&journal, None);
    let run = "psp-quarterly-gen-0001";
    w.append(
        &[
            Record {
                run: Some(run.into()),
                event: Event::NoteAdded {
                    step: None,
                    text: "late word".into(),
                },
            },
            Record {
                run: Some(run.into()),
                event: Event::StepReopened {
                    step: "ssl-valid".into(),
                    reason: Some("certificate replaced".into()),
                },
            },
        ],
        Utc::now() + TimeDelta::seconds(1),
    )
    .unwrap();
    let history = runbook::store::load(journal.as_path(), None, true).unwrap();
    assert_eq!(
        history.closed.len(),
        3,
        "a reopened step leaves the run closed"
    );
    let summary = history.closed.iter().find(|c| c.id == run).unwrap();
    assert!(
        !summary.closed_steps.contains(&"ssl-valid".to_owned()),
        "{summary:?}"
    );
    assert_eq!(
        summary.last_seq,
        history.closed.iter().map(|c| c.last_seq).max().unwrap()
    );
}
