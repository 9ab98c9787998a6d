//! The journal on real files and real processes: crashes, concurrent
//! writers, every bit flipped, tampering, keys, and bad input.

// Helpers of tests may unwrap: a failure there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "journal/support.rs"]
mod support;

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::{Duration, Instant};

use chrono::Utc;
use runbook::journal::{JournalError, Record};
use runbook::run::Event;
use runbook::store::{Options, Writer, read};

use support::*;

#[test]
fn a_fresh_journal_verifies_and_reports_its_head() {
    let dir = tempfile::tempdir().unwrap();
    let path = journal(dir.path(), 3, None);
    let report = check(&std::fs::read(&path).unwrap(), None, None);
    assert!(report.intact(), "{:?}", report.errors);
    assert_eq!(report.lines, 4);
    let head = runbook()
        .args(["audit", "head", "--journal", path.to_str().unwrap()])
        .output()
        .unwrap();
    let head = text(&head.stdout);
    let (seq, hash) = head.trim().split_once(':').unwrap();
    assert_eq!(seq, "3");
    assert_eq!(report.head.unwrap().1, hash);
    let out = audit_verify(&path, &["--expect-head", head.trim()], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stdout).starts_with("intact:"));
}

#[test]
fn new_journals_are_private_and_links_are_refused() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = journal(dir.path(), 1, None);
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);

    let link = dir.path().join("link.jsonl");
    std::os::unix::fs::symlink(&path, &link).unwrap();
    let err = Writer::open(&link, identity("alice"), Options::default()).unwrap_err();
    assert!(matches!(err, JournalError::Symlink(_)), "{err}");
    assert!(err.to_string().contains("symbolic link"));

    let team = dir.path().join("team.jsonl");
    let options = Options {
        key: None,
        group: Some(0),
    };
    let mut writer = Writer::open(&team, identity("alice"), options).unwrap();
    writer.append(&[note("r", "x")], Utc::now()).unwrap();
    let mode = std::fs::metadata(&team).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
}

/// Every single bit of a small journal, flipped in turn, is caught.
#[test]
fn every_flipped_bit_fails_verification() {
    let dir = tempfile::tempdir().unwrap();
    for key in [None, Some(&b"team key"[..])] {
        let path = journal(dir.path(), 3, key);
        let original = std::fs::read(&path).unwrap();
        assert!(check(&original, key, None).intact());
        let mut missed = Vec::new();
        for byte in 0..original.len() {
            for bit in 0..8 {
                let mut flipped = original.clone();
                flipped[byte] ^= 1 << bit;
                if check(&flipped, key, None).intact() {
                    missed.push((byte, bit));
                }
            }
        }
        assert!(
            missed.is_empty(),
            "{} flips not caught (keyed: {}), first at byte {:?}",
            missed.len(),
            key.is_some(),
            missed.first()
        );
        std::fs::remove_file(&path).unwrap();
    }
}

struct Tamper {
    name: &'static str,
    apply: fn(&mut Vec<String>),
    /// The line verification must name first.
    line: u64,
    needs_expected_head: bool,
}

fn change_field(lines: &mut [String], field: &str) {
    let line = &mut lines[2];
    let at = line.find(&format!("\"{field}\":")).unwrap() + field.len() + 4;
    let mut bytes = line.clone().into_bytes();
    bytes[at] = if bytes[at] == b'1' { b'2' } else { b'1' };
    *line = String::from_utf8(bytes).unwrap();
}

fn tamper_table() -> Vec<Tamper> {
    vec![
        Tamper {
            name: "seq changed",
            apply: |l| change_field(l, "seq"),
            line: 3,
            needs_expected_head: false,
        },
        Tamper {
            name: "time changed",
            apply: |l| change_field(l, "ts"),
            line: 3,
            needs_expected_head: false,
        },
        Tamper {
            name: "operator changed",
            apply: |l| change_field(l, "operator"),
            line: 3,
            needs_expected_head: false,
        },
        Tamper {
            name: "host changed",
            apply: |l| change_field(l, "host"),
            line: 3,
            needs_expected_head: false,
        },
        Tamper {
            name: "run changed",
            apply: |l| change_field(l, "run"),
            line: 3,
            needs_expected_head: false,
        },
        Tamper {
            name: "event changed",
            apply: |l| {
                *l = l
                    .iter()
                    .map(|x| x.replacen("note 1", "note 9", 1))
                    .collect();
            },
            line: 3,
            needs_expected_head: false,
        },
        Tamper {
            name: "prev changed",
            apply: |l| change_field(l, "prev"),
            line: 3,
            needs_expected_head: false,
        },
        Tamper {
            name: "hash changed",
            apply: |l| change_field(l, "hash"),
            line: 3,
            needs_expected_head: false,
        },
        Tamper {
            name: "line deleted",
            apply: |l| {
                l.remove(2);
            },
            line: 3,
            needs_expected_head: false,
        },
        Tamper {
            name: "line inserted",
            apply: |l| {
                let copy = l[1].clone();
                l.insert(2, copy);
            },
            line: 3,
            needs_expected_head: false,
        },
        Tamper {
            name: "lines swapped",
            apply: |l| l.swap(2, 3),
            line: 3,
            needs_expected_head: false,
        },
        Tamper {
            name: "first line deleted",
            apply: |l| {
                l.remove(0);
            },
            line: 1,
            needs_expected_head: false,
        },
        Tamper {
            name: "tail truncated",
            apply: |l| {
                l.truncate(4);
            },
            line: 4,
            needs_expected_head: true,
        },
    ]
}

#[test]
fn tampering_is_detected_and_the_right_line_named() {
    let table = tamper_table();
    let dir = tempfile::tempdir().unwrap();
    let path = journal(dir.path(), 5, None);
    let original = lines(&path);
    let head = format!(
        "5:{}",
        check(&std::fs::read(&path).unwrap(), None, None)
            .head
            .unwrap()
            .1
    );
    for case in table {
        let mut tampered = original.clone();
        (case.apply)(&mut tampered);
        assert_ne!(
            tampered, original,
            "{}: the tamper changed nothing",
            case.name
        );
        let file = dir
            .path()
            .join(format!("{}.jsonl", case.name.replace(' ', "-")));
        write_lines(&file, &tampered);
        let plain = audit_verify(&file, &[], None);
        if case.needs_expected_head {
            assert_eq!(
                plain.status.code(),
                Some(0),
                "{}: a clean truncation alone looks intact",
                case.name
            );
        }
        let out = audit_verify(&file, &["--expect-head", &head], None);
        let stdout = text(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{}: {stdout}", case.name);
        assert!(
            stdout.contains(&format!("first bad line: {} ", case.line)),
            "{}: expected line {} named:\n{stdout}",
            case.name,
            case.line
        );
    }
}

/// Someone who can rewrite the whole file but lacks the key cannot make a
/// keyed journal verify: a fully rehashed chain still fails at line 1.
#[test]
fn a_keyed_journal_rewritten_without_the_key_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let key = "correct horse battery staple";
    let path = journal(dir.path(), 3, Some(key.as_bytes()));
    let content = std::fs::read_to_string(&path).unwrap();
    assert!(!content.contains(key), "the key must never be written");
    assert_eq!(audit_verify(&path, &[], Some(key)).status.code(), Some(0));
    let wrong = audit_verify(&path, &[], Some("another key"));
    assert_eq!(wrong.status.code(), Some(1));
    assert!(text(&wrong.stdout).contains("first bad line: 1 — MAC mismatch"));
    let unkeyed = audit_verify(&path, &[], None);
    assert_eq!(unkeyed.status.code(), Some(0));
    assert!(text(&unkeyed.stdout).contains("MACs were not checked"));

    // The forger replays the same events into a fresh chain: with no key
    // (no MACs), and with a guessed key.
    let (entries, _) = read::read_all(&path).unwrap();
    for forged_key in [None, Some(&b"guess"[..])] {
        let forged = dir.path().join("forged.jsonl");
        let _ = std::fs::remove_file(&forged);
        let options = Options {
            key: forged_key.map(<[u8]>::to_vec),
            group: None,
        };
        let mut writer = Writer::open(&forged, identity("mallory"), options).unwrap();
        for entry in entries.iter().skip(1) {
            let record = Record {
                run: entry.run.clone(),
                event: entry.event.clone(),
            };
            writer.append(&[record], entry.ts).unwrap();
        }
        let out = audit_verify(&forged, &[], Some(key));
        assert_eq!(out.status.code(), Some(1));
        assert!(
            text(&out.stdout).contains("first bad line: 1 "),
            "{}",
            text(&out.stdout)
        );
    }
}

#[test]
fn a_torn_tail_is_recorded_and_removed_by_the_next_append() {
    let dir = tempfile::tempdir().unwrap();
    let path = journal(dir.path(), 2, None);
    let torn = br#"{"seq":3,"ts":"2026-11-24T00:00:00.000Z","operator":"al"#;
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.extend_from_slice(torn);
    std::fs::write(&path, &bytes).unwrap();

    let report = check(&bytes, None, None);
    assert!(!report.intact());
    assert!(
        report.errors[0]
            .fault
            .to_string()
            .contains("torn last line"),
        "{:?}",
        report.errors
    );
    assert_eq!(report.errors[0].line, 4);
    // Readers ignore the torn bytes rather than fail.
    let (entries, problems) = read::read_all(&path).unwrap();
    assert_eq!(entries.len(), 3);
    assert_eq!(problems.len(), 1);

    let mut writer = Writer::open(&path, identity("bob"), Options::default()).unwrap();
    let appended = writer
        .append(&[note("run-1", "after the crash")], Utc::now())
        .unwrap();
    assert_eq!(appended[0].seq, 4, "the recovery entry takes #3");
    let (entries, problems) = read::read_all(&path).unwrap();
    assert!(problems.is_empty());
    assert_eq!(
        entries[3].event,
        Event::TailRecovered {
            torn_bytes: torn.len() as u64,
            torn_sha256: runbook::journal::line::sha256_hex(torn),
        }
    );
    assert!(check(&std::fs::read(&path).unwrap(), None, None).intact());
}

#[test]
fn a_journal_whose_only_content_is_torn_starts_over_with_a_record_of_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    std::fs::write(&path, b"{\"seq\":0,\"ts\"").unwrap();
    let mut writer = Writer::open(&path, identity("bob"), Options::default()).unwrap();
    writer.append(&[note("r", "x")], Utc::now()).unwrap();
    let (entries, _) = read::read_all(&path).unwrap();
    assert!(matches!(entries[0].event, Event::JournalCreated { .. }));
    assert!(matches!(
        entries[1].event,
        Event::TailRecovered { torn_bytes: 13, .. }
    ));
    assert!(check(&std::fs::read(&path).unwrap(), None, None).intact());
}

/// A writer killed with SIGKILL at random moments while it writes, 200
/// times: everything it reported durable is there, verification passes
/// once the next append has recovered, and the chain goes on. Each kill
/// comes a random delay after the writer's first promise, so every round
/// kills a writer mid-stream however slowly processes start on a loaded
/// machine.
#[test]
fn entries_reported_durable_survive_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    let mut durable: HashMap<u64, String> = HashMap::new();
    // A fixed sequence of pseudo-random delays, so a failure can be replayed.
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for round in 0..200 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let delay = Duration::from_micros(seed % 15_000);
        let mut child = runbook()
            .args([
                "__append",
                "--count",
                "100000",
                "--journal",
                path.to_str().unwrap(),
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (first_tx, first_rx) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            let mut promised = Vec::new();
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let mut parts = line.split_whitespace().skip(1);
                let seq: u64 = parts.next().unwrap().parse().unwrap();
                promised.push((seq, parts.next().unwrap().to_owned()));
                let _ = first_tx.send(());
            }
            promised
        });
        first_rx
            .recv_timeout(Duration::from_secs(20))
            .unwrap_or_else(|e| panic!("round {round}: the writer promised nothing: {e}"));
        let started = Instant::now();
        while started.elapsed() < delay {
            std::thread::yield_now();
        }
        child.kill().unwrap();
        child.wait().unwrap();
        for (seq, hash) in reader.join().unwrap() {
            durable.insert(seq, hash);
        }
        // Every promise kept, byte for byte, in the chain as it is now.
        let (entries, _) = read::read_all(&path).unwrap();
        let on_disk: HashMap<u64, &str> =
            entries.iter().map(|e| (e.seq, e.hash.as_str())).collect();
        for (seq, hash) in &durable {
            assert_eq!(
                on_disk.get(seq),
                Some(&hash.as_str()),
                "round {round}: durable entry #{seq} lost"
            );
        }
    }
    assert!(
        durable.len() >= 200,
        "the writer promised only {} entries",
        durable.len()
    );
    // The next append recovers whatever a kill left, and the chain holds.
    let mut writer = Writer::open(&path, identity("carol"), Options::default()).unwrap();
    writer
        .append(&[note("r", "after 200 kills")], Utc::now())
        .unwrap();
    let out = audit_verify(&path, &[], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
}
