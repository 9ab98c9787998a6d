//! Learning benchmarks: `runbook stats` on a journal of 1,000,000 entries
//! (10,000 runs of deploys, incidents, rollbacks and drills over 90 days)
//! read through its index, target under 50 ms; `runbook postmortem` of a
//! run of 10,000 entries, target under 100 ms. Also `runbook due`, which
//! reads the owed post-mortems from the same index.
//!
//! Run with `cargo bench --bench learn`. Figures are printed (median of
//! 7, wall time and peak memory). Journals are generated once into the
//! target folder and reused.

// A benchmark's helpers may unwrap: a failure is a failed run. Peak memory
// of a child is read with wait4, which std does not offer.
#![allow(clippy::print_stderr, clippy::print_stdout)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_possible_wrap
)]

#[path = "common/child.rs"]
mod child;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use chrono::{DateTime, TimeDelta, Utc};
use runbook::journal::{Identity, Record};
use runbook::run::Event;
use runbook::store::{Options, Writer};

const DEPLOY: [&str; 16] = [
    "tests-pass",
    "code-review",
    "version-bumped",
    "changelog",
    "build-android",
    "build-ios",
    "upload",
    "rollout-10",
    "rollout-50",
    "rollout-100",
    "sentry-clean",
    "firebase-metrics",
    "psp-webhooks",
    "smoke-tests",
    "rollback-criteria",
    "start-rollback",
];
const INCIDENT: [&str; 6] = [
    "detection",
    "qualification",
    "communication",
    "mitigation",
    "resolution",
    "post-mortem",
];
const ROLLBACK: [&str; 3] = ["identify-stable", "rollback", "notify-users"];

fn writer(path: &Path) -> Writer {
    let identity = Identity {
        operator: "gen".into(),
        os_user: None,
        from: None,
        host: "bench".into(),
        session: "0123456789abcdef".into(),
        signer: None,
        foreign_account: None,
    };
    let options = Options {
        key: None,
        group: None,
    };
    Writer::open(path, identity, options).unwrap()
}

fn done(step: &str) -> Event {
    Event::StepCompleted {
        step: step.into(),
        note: Some(format!("{step}: ok")),
        value: None,
        hold: None,
    }
}

/// One run's records: its start, its steps, notes up to `entries`, its end.
fn run_records(id: &str, n: usize, entries: usize) -> Vec<Record> {
    let (procedure, steps, severity): (&str, &[&str], Option<&str>) = match n % 10 {
        6 | 7 => (
            "incident",
            &INCIDENT[..5 + n % 2],
            Some(["P1", "P2", "P3"][n % 3]),
        ),
        8 => ("rollback", &ROLLBACK, None),
        // Every tenth run, a drill's deploy.
        _ => ("deploy", &DEPLOY, None),
    };
    let mut events = vec![Event::RunStarted {
        procedure: procedure.into(),
        procedure_hash: "h".into(),
        severity: severity.map(str::to_owned),
        pinned: None,
    }];
    if n % 10 == 9 {
        events.push(Event::DrillStarted {
            drill: format!("drill-{n}"),
            scenario: None,
            speed: 60,
        });
    }
    events.extend(steps.iter().map(|s| done(s)));
    while events.len() < entries - 1 {
        events.push(Event::NoteAdded {
            step: None,
            text: format!(
                "note {} of run {id}: looking at the dashboards",
                events.len()
            ),
        });
    }
    events.push(Event::RunFinished);
    events
        .into_iter()
        .map(|event| Record {
            run: Some(id.to_owned()),
            event,
        })
        .collect()
}

/// 10,000 runs of 100 entries, one every 13 minutes, ending now; a
/// follow-up for each incident.
fn long_journal(dir: &Path) -> PathBuf {
    let path = dir.join("learn-1000000.jsonl");
    if path.exists() {
        return path;
    }
    let partial = dir.join("learn-1000000.jsonl.partial");
    let _ = std::fs::remove_file(&partial);
    let mut w = writer(&partial);
    let runs = 10_000;
    let start = Utc::now() - TimeDelta::minutes(13 * runs as i64);
    for n in 0..runs {
        let id = format!("run-{n:05}");
        let at = start + TimeDelta::minutes(13 * n as i64);
        let mut records = run_records(&id, n, 100);
        if matches!(n % 10, 6 | 7) {
            records.push(Record {
                run: None,
                event: Event::FollowupAdded {
                    run: id.clone(),
                    text: "tune the alert".into(),
                    owner: Some("alice".into()),
                    due: Some(at + TimeDelta::days(14)),
                },
            });
        }
        w.append(&records, at).unwrap();
    }
    drop(w);
    std::fs::rename(&partial, &path).unwrap();
    path
}

/// One incident of 10,000 entries.
fn long_run(dir: &Path) -> PathBuf {
    let path = dir.join("learn-run-10000.jsonl");
    if path.exists() {
        return path;
    }
    let mut w = writer(&path);
    let records = run_records("incident-long", 6, 10_000);
    let at: DateTime<Utc> = Utc::now() - TimeDelta::hours(3);
    for (i, chunk) in records.chunks(1_000).enumerate() {
        w.append(chunk, at + TimeDelta::minutes(i as i64)).unwrap();
    }
    path
}

/// Wall time (ms) and peak resident memory (KiB) of `runbook ARGS`.
fn command(journal: &Path, args: &[&str]) -> (f64, i64) {
    child::measure(
        Command::new(env!("CARGO_BIN_EXE_runbook"))
            .args(args)
            .env("RUNBOOK_JOURNAL", journal)
            .env("XDG_CONFIG_HOME", "/nonexistent")
            .env("LANG", "C"),
    )
}

fn median(journal: &Path, args: &[&str]) -> (f64, f64) {
    let mut times = Vec::new();
    let mut peak = 0;
    for _ in 0..7 {
        let (ms, kib) = command(journal, args);
        times.push(ms);
        peak = peak.max(kib);
    }
    times.sort_by(f64::total_cmp);
    (times[3], peak as f64 / 1024.0)
}

fn main() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let started = Instant::now();
    let long = long_journal(&dir);
    let size = std::fs::metadata(&long).unwrap().len() as f64 / 1e6;
    println!(
        "-- 1,000,000 entries, 10,000 runs ({size:.0} MB; ready in {:.1} s)",
        started.elapsed().as_secs_f64()
    );
    let index = runbook::store::index::path_for(&long);
    let _ = std::fs::remove_file(&index);
    let (first, _) = command(&long, &["stats"]);
    println!("stats, first reading (writes the index): {first:>9.1} ms");
    for args in [
        &["stats"][..],
        &["stats", "--json"],
        &["stats", "--since", "365d"],
        &["due"],
    ] {
        let (ms, mib) = median(&long, args);
        println!(
            "{:<34} {ms:>8.1} ms {mib:>6.1} MiB peak (target stats < 50 ms)",
            args.join(" ")
        );
    }
    let run = long_run(&dir);
    println!("-- one incident of 10,000 entries");
    for args in [
        &["postmortem", "incident-long"][..],
        &["postmortem", "incident-long", "--format", "json"],
        &["report", "incident-long"],
    ] {
        let (ms, mib) = median(&run, args);
        println!(
            "{:<34} {ms:>8.1} ms {mib:>6.1} MiB peak (target postmortem < 100 ms)",
            args.join(" ")
        );
    }
}
