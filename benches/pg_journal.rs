//! The database journal against the file journal on the same machine:
//! append latency (p50, p99) and throughput with 1, 4 and 16 appender
//! processes, and the live-sync delay from one process's acknowledged
//! commit to another process's follower holding the entry (woken by the
//! announcement, as the console is).
//!
//! `cargo bench --bench pg_journal` (needs Debian's postgresql: the bench
//! starts its own server on a loopback port, as the tests do).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![allow(clippy::print_stdout, clippy::cast_precision_loss)]

#[path = "../tests/common/pg.rs"]
mod pg;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_runbook");

fn runbook(journal: &str, state: &std::path::Path) -> Command {
    let mut command = Command::new(BIN);
    command
        .env("RUNBOOK_JOURNAL", journal)
        .env("RUNBOOK_PG_PASSWORD", pg::PASSWORD)
        .env("XDG_STATE_HOME", state)
        .env("RUNBOOK_OPERATOR", "bench")
        .env_remove("RUNBOOK_JOURNAL_KEY");
    command
}

/// `appenders` processes, each appending `each` entries one at a time;
/// every append's latency (the time between two acknowledgements of one
/// process), and the entries per second over the whole run.
fn appends(
    journal: &str,
    state: &std::path::Path,
    appenders: usize,
    each: usize,
) -> (Vec<Duration>, f64) {
    let start = Instant::now();
    let readers: Vec<_> = (0..appenders)
        .map(|_| {
            let mut child = runbook(journal, state)
                .args(["__append", "--count", &each.to_string()])
                .stdout(Stdio::piped())
                .spawn()
                .unwrap();
            let stdout = child.stdout.take().unwrap();
            std::thread::spawn(move || {
                let mut latencies = Vec::with_capacity(each);
                let mut last: Option<Instant> = None;
                for line in BufReader::new(stdout).lines() {
                    let line = line.unwrap();
                    assert!(line.starts_with("durable"), "{line}");
                    let now = Instant::now();
                    // The first includes the process's start and connection.
                    if let Some(last) = last {
                        latencies.push(now - last);
                    }
                    last = Some(now);
                }
                assert!(child.wait().unwrap().success());
                latencies
            })
        })
        .collect();
    let mut all = Vec::new();
    for reader in readers {
        all.extend(reader.join().unwrap());
    }
    let elapsed = start.elapsed();
    let rate = (appenders * each) as f64 / elapsed.as_secs_f64();
    all.sort();
    (all, rate)
}

/// The `per_mille`-th thousandth of `sorted`.
fn percentile(sorted: &[Duration], per_mille: usize) -> Duration {
    let at = (sorted.len() - 1) * per_mille / 1_000;
    sorted[at.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1_000.0
}

fn main() {
    let server = pg::Pg::start_durable();
    let state = tempfile::tempdir().unwrap();
    let url = server.url();
    let out = runbook(&url, state.path())
        .args(["journal", "init"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let folder = tempfile::tempdir().unwrap();

    println!("append latency and throughput (processes x appends each)");
    println!(
        "{:<10} {:>3} {:>6} {:>9} {:>9} {:>12}",
        "store", "N", "each", "p50 ms", "p99 ms", "entries/s"
    );
    for (appenders, each) in [(1, 500), (4, 250), (16, 100)] {
        let file = folder.path().join(format!("journal-{appenders}.jsonl"));
        for (name, journal) in [
            ("file", file.to_str().unwrap().to_owned()),
            ("postgres", url.clone()),
        ] {
            let (latencies, rate) = appends(&journal, state.path(), appenders, each);
            println!(
                "{name:<10} {appenders:>3} {each:>6} {:>9.2} {:>9.2} {rate:>12.0}",
                ms(percentile(&latencies, 500)),
                ms(percentile(&latencies, 990)),
            );
        }
    }

    // Live sync: a follower here, woken by the database's announcement,
    // against appends acknowledged by another process.
    let env = |name: &str| (name == "RUNBOOK_PG_PASSWORD").then(|| pg::PASSWORD.to_owned());
    let target = runbook::store::pg::target::parse(&url, &env).unwrap_or_else(|e| panic!("{e}"));
    let journal = runbook::store::Journal::Postgres(runbook::store::pg::Database::new(target));
    let end = runbook::store::read::end(&journal).unwrap();
    let mut follower = runbook::store::read::Follower::from(&journal, end);
    let mut changes = journal.changes().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    // Give the listener its connection before measuring.
    std::thread::sleep(Duration::from_millis(500));
    let mut appender = runbook(&url, state.path())
        .args(["__append", "--count", "200"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let (acks_tx, acks) = std::sync::mpsc::channel::<(u64, Instant)>();
    let stdout = appender.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let line = line.unwrap();
            let seq: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
            let _ = acks_tx.send((seq, Instant::now()));
        }
    });
    let mut seen = std::collections::HashMap::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while seen.len() < 200 && Instant::now() < deadline {
        runtime.block_on(async {
            let _ = tokio::time::timeout(Duration::from_secs(1), changes.changed()).await;
        });
        let at = Instant::now();
        let (entries, _) = follower.poll().unwrap();
        for entry in entries {
            seen.insert(entry.seq, at);
        }
    }
    appender.wait().unwrap();
    let mut delays: Vec<Duration> = acks
        .try_iter()
        .filter_map(|(seq, acked)| Some(seen.get(&seq)?.saturating_duration_since(acked)))
        .collect();
    delays.sort();
    println!(
        "live sync, commit acknowledged -> follower holds it ({} entries): p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        delays.len(),
        ms(percentile(&delays, 500)),
        ms(percentile(&delays, 990)),
        ms(*delays.last().unwrap()),
    );
}
