//! History benchmarks: what a long journal costs `runbook runs`,
//! `runbook due` (the recurring duties, from every finished run) and the
//! console's start (which lists the duties too), through the index and without it, against an empty
//! journal. Targets: with the index, the same figures as with an empty
//! journal, within 20 %, at 100,000 and 1,000,000 entries.
//!
//! The same for a database journal (PostgreSQL started by the bench on a
//! loopback port): the history imported, then read with its index row and
//! without it.
//!
//! Run with `cargo bench --bench history` (`-- file` or `-- database` for
//! one of them). Figures are printed. Journals are generated once into the
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
    clippy::zombie_processes,
    unsafe_code
)]

#[path = "../tests/common/pg.rs"]
mod pg;

#[path = "common/child.rs"]
mod child;

use std::ffi::OsStr;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;
use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use runbook::journal::{Identity, Record};
use runbook::run::Event;
use runbook::store::{Options, Writer};

const RUNS: usize = 100;
const OPEN: usize = 5;
const STEPS: [&str; 4] = [
    "webhooks",
    "api-keys-rotated",
    "reconciliation-clean",
    "ssl-valid",
];

/// A journal of about `entries` entries: `RUNS` runs of the PSP checklist,
/// their notes interleaved, all finished but the last `OPEN`, which are
/// recent and short.
fn journal(dir: &Path, entries: usize) -> PathBuf {
    let path = dir.join(format!("history-v2-{entries}.jsonl"));
    if path.exists() {
        return path;
    }
    let identity = Identity {
        operator: "gen".into(),
        os_user: None,
        from: None,
        host: "bench".into(),
        session: "0123456789abcdef".into(),
        signer: None,
        foreign_account: None,
    };
    let mut w = Writer::open(&path, identity, Options::default()).unwrap();
    let id = |r: usize| format!("psp-quarterly-bench-{r:04}");
    let notes = entries / (RUNS - OPEN) - 6;
    let mut batch = Vec::with_capacity(1000);
    for r in 0..RUNS {
        batch.push(Record {
            run: Some(id(r)),
            event: Event::RunStarted {
                procedure: "psp-quarterly".into(),
                procedure_hash: "h".into(),
                severity: None,
                pinned: None,
            },
        });
    }
    for n in 0..notes {
        // The open runs started lately: a few entries each; the history
        // is in the closed ones.
        let busy = if n < 10 { RUNS } else { RUNS - OPEN };
        for r in 0..busy {
            batch.push(Record {
                run: Some(id(r)),
                event: Event::NoteAdded {
                    step: Some(STEPS[n % 4].into()),
                    text: format!("checked item {n}: all as expected on run {r}"),
                },
            });
        }
        if batch.len() >= 1000 {
            w.append(&batch, Utc::now()).unwrap();
            batch.clear();
        }
    }
    for r in 0..RUNS {
        let open = r >= RUNS - OPEN;
        for step in STEPS.iter().take(if open { 2 } else { 4 }) {
            batch.push(Record {
                run: Some(id(r)),
                event: Event::StepCompleted {
                    step: (*step).into(),
                    note: None,
                    value: None,
                    hold: None,
                },
            });
        }
        if !open {
            batch.push(Record {
                run: Some(id(r)),
                event: Event::RunFinished,
            });
        }
    }
    w.append(&batch, Utc::now()).unwrap();
    path
}

fn index(journal: &Path) -> PathBuf {
    runbook::store::index::path_for(journal)
}

/// Wall time and peak resident memory (KiB) of `runbook runs`.
fn runs(journal: &OsStr) -> (f64, i64) {
    command(journal, "runs")
}

/// Wall time and peak resident memory (KiB) of `runbook <what>`.
fn command(journal: &OsStr, what: &str) -> (f64, i64) {
    child::measure(
        Command::new(env!("CARGO_BIN_EXE_runbook"))
            .arg(what)
            .env("RUNBOOK_JOURNAL", journal)
            .env("RUNBOOK_PG_PASSWORD", pg::PASSWORD)
            .env("XDG_CONFIG_HOME", "/nonexistent"),
    )
}

/// Time until the console's home lists the open runs, and its peak
/// resident memory (KiB) then.
fn console(journal: &OsStr, ready: &str) -> (f64, i64) {
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_runbook"));
    command.env("TERM", "xterm-256color");
    command.env("LANG", "C.UTF-8");
    command.env("RUNBOOK_JOURNAL", journal);
    command.env("RUNBOOK_PG_PASSWORD", pg::PASSWORD);
    command.env("XDG_CONFIG_HOME", "/nonexistent");
    let started = Instant::now();
    let mut child = pty.slave.spawn_command(command).unwrap();
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().unwrap();
    let screen = Arc::new(Mutex::new(String::new()));
    let s = screen.clone();
    std::thread::spawn(move || {
        let mut parser = vt100::Parser::new(
            std::num::NonZeroU16::new(24).unwrap(),
            std::num::NonZeroU16::new(80).unwrap(),
            0,
        );
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            parser.process(&buf[..n]);
            *s.lock().unwrap() = parser.screen().contents();
        }
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    let painted = loop {
        if screen.lock().unwrap().contains(ready) {
            break started.elapsed();
        }
        assert!(Instant::now() < deadline, "`{ready}` never appeared");
        std::thread::sleep(Duration::from_micros(500));
    };
    let pid = child.process_id().unwrap();
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let peak = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(-1);
    child.kill().unwrap();
    let _ = child.wait();
    drop(pty.master);
    (painted.as_secs_f64() * 1e3, peak)
}

fn median(mut values: Vec<(f64, i64)>) -> (f64, i64) {
    values.sort_by(|a, b| a.0.total_cmp(&b.0));
    let time = values[values.len() / 2].0;
    let memory = values.iter().map(|v| v.1).max().unwrap_or(0);
    (time, memory)
}

fn measure(label: &str, journal: &Path, keep_index: bool, ready: &str) {
    let drop_index = || {
        if !keep_index {
            let _ = std::fs::remove_file(index(journal));
        }
    };
    measure_with(label, journal.as_os_str(), &drop_index, ready);
}

/// Median time and peak memory of `runs`, `due` and the console's home,
/// `prepare` run before each.
fn measure_with(label: &str, journal: &OsStr, prepare: &dyn Fn(), ready: &str) {
    let rounds = 7;
    let runs = median(
        (0..rounds)
            .map(|_| {
                prepare();
                runs(journal)
            })
            .collect(),
    );
    let due = median(
        (0..rounds)
            .map(|_| {
                prepare();
                command(journal, "due")
            })
            .collect(),
    );
    let console = median(
        (0..rounds)
            .map(|_| {
                prepare();
                console(journal, ready)
            })
            .collect(),
    );
    println!(
        "{label:<34} runs: {:>7.1} ms, {:>6.1} MiB | due: {:>7.1} ms, {:>6.1} MiB | console home: {:>7.1} ms, {:>6.1} MiB peak",
        runs.0,
        runs.1 as f64 / 1024.0,
        due.0,
        due.1 as f64 / 1024.0,
        console.0,
        console.1 as f64 / 1024.0
    );
}

fn main() {
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let wanted = |name: &str| filter.as_deref().is_none_or(|f| name.contains(f));
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
    if wanted("file") {
        files(dir);
    }
    if wanted("database") {
        database(dir);
    }
}

fn files(dir: &Path) {
    let empty = tempfile::tempdir_in(dir).unwrap();
    let empty = empty.path().join("empty.jsonl");
    measure("empty journal", &empty, true, "Production deploy");
    for entries in [100_000, 1_000_000] {
        let journal = journal(dir, entries);
        let size = std::fs::metadata(&journal).unwrap().len();
        println!(
            "-- {entries} entries, {RUNS} runs ({OPEN} open), {:.0} MB",
            size as f64 / 1e6
        );
        measure(
            "without an index (it is rebuilt)",
            &journal,
            false,
            "Open runs",
        );
        // One reading writes the index; the next ones use it.
        runs(journal.as_os_str());
        measure("with the index", &journal, true, "Open runs");
    }
}

/// The same histories in PostgreSQL, each in a database of its own.
fn database(dir: &Path) {
    let server = pg::Pg::start();
    let url = |db: &str| server.url().replace("/postgres?", &format!("/{db}?"));
    let run = |url: &str, args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_runbook"))
            .args(args)
            .env("RUNBOOK_JOURNAL", url)
            .env("RUNBOOK_PG_PASSWORD", pg::PASSWORD)
            .env("XDG_CONFIG_HOME", "/nonexistent")
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {out:?}");
    };
    let empty = url("empty");
    assert!(server.psql("CREATE DATABASE empty").status.success());
    run(&empty, &["journal", "init"]);
    measure_with(
        "database, empty",
        OsStr::new(&empty),
        &|| {},
        "Production deploy",
    );
    for entries in [100_000, 1_000_000] {
        let name = format!("history{entries}");
        assert!(
            server
                .psql(&format!("CREATE DATABASE {name}"))
                .status
                .success()
        );
        let journal_url = url(&name);
        run(&journal_url, &["journal", "init"]);
        let started = Instant::now();
        let file = journal(dir, entries);
        run(&journal_url, &["journal", "import", file.to_str().unwrap()]);
        println!(
            "-- database, {entries} entries imported in {:.1} s",
            started.elapsed().as_secs_f64()
        );
        let drop_index = || {
            let _ = server.psql_in(&name, "DELETE FROM runbook_index").output();
        };
        measure_with(
            "database, without its index",
            OsStr::new(&journal_url),
            &drop_index,
            "Open runs",
        );
        runs(OsStr::new(&journal_url));
        measure_with(
            "database, with its index",
            OsStr::new(&journal_url),
            &|| {},
            "Open runs",
        );
    }
}
