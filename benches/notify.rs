//! Notifications under load: the real console in an 80x24 pseudo-terminal
//! on a journal that owes 1,000 notifications to a slow receiver (200 ms
//! an answer), driven by keys while its sending service works through
//! them. Compared with the same console and journal with no target.
//! Targets: key latency unchanged; memory bounded (the console's peak RSS
//! close to the baseline's).
//!
//! Run with `cargo bench --bench notify`. Figures are printed.

#![allow(clippy::print_stderr, clippy::print_stdout)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::cast_precision_loss
)]

#[path = "../tests/common/receiver.rs"]
#[allow(dead_code)]
mod receiver;

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use receiver::{Answer, Receiver};
use runbook::journal::Record;
use runbook::run::Event;
use runbook::store::Writer;

const EVENTS: usize = 1_000;
const DRIVE: Duration = Duration::from_secs(30);

const CATALOG: &str = r#"
[[severity]]
id = "P3"
title = "Minor"
response = "4h"

[[procedure]]
id = "incident"
kind = "incident"
title = "Incident"
asks_severity = true
[[procedure.section]]
id = "s"
title = "S"
[[procedure.section.step]]
id = "fix"
text = "Fix it"
"#;

const TARGET: &str = r#"
[[notify]]
id = "chat"
kind = "slack"
url = "${BENCH_SLACK_URL}"
on = ["run_started"]
timeout = "5s"
"#;

fn fill(journal: &Path) {
    let id = runbook::store::whoami::detect(|n| std::env::var(n).ok());
    let mut writer = Writer::open(journal, id, runbook::store::Options::default()).unwrap();
    let now = chrono::Utc::now();
    for i in 0..EVENTS {
        let record = Record {
            run: Some(format!("incident-bench-{i:04}")),
            event: Event::RunStarted {
                procedure: "incident".into(),
                procedure_hash: String::new(),
                severity: Some("P3".into()),
                pinned: None,
            },
        };
        writer.append(&[record], now).unwrap();
    }
}

struct Console {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    screen: Arc<Mutex<String>>,
    writer: Box<dyn Write + Send>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

fn console(catalog: &Path, journal: &Path, url: &str) -> Console {
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_runbook"));
    command.args(["--catalog", catalog.to_str().unwrap()]);
    command.env("TERM", "xterm-256color");
    command.env("LANG", "C.UTF-8");
    command.env("RUNBOOK_JOURNAL", journal);
    command.env("BENCH_SLACK_URL", url);
    command.env("XDG_CONFIG_HOME", "/nonexistent");
    let child = pty.slave.spawn_command(command).unwrap();
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().unwrap();
    let screen = Arc::new(Mutex::new(String::new()));
    let shared = screen.clone();
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
            *shared.lock().unwrap() = parser.screen().contents();
        }
    });
    Console {
        child,
        screen,
        writer: pty.master.take_writer().unwrap(),
        _master: pty.master,
    }
}

impl Console {
    fn wait(&self, shown: bool, text: &str) -> Instant {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if self.screen.lock().unwrap().contains(text) == shown {
                return Instant::now();
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        panic!("`{text}` never {}", if shown { "appeared" } else { "left" });
    }

    fn key(&mut self, bytes: &[u8]) -> Instant {
        self.writer.write_all(bytes).unwrap();
        self.writer.flush().unwrap();
        Instant::now()
    }

    /// Opens and closes the help for `DRIVE`; every key's time to screen.
    fn drive(&mut self) -> Vec<Duration> {
        let mut times = Vec::new();
        let until = Instant::now() + DRIVE;
        while Instant::now() < until {
            let sent = self.key(b"?");
            times.push(self.wait(true, "this help").duration_since(sent));
            let sent = self.key(b"\x1b");
            times.push(self.wait(false, "this help").duration_since(sent));
            std::thread::sleep(Duration::from_millis(20));
        }
        times.sort();
        times
    }

    fn peak_rss_kib(&self) -> u64 {
        let pid = self.child.process_id().unwrap();
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
        let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    }
}

fn percentile(sorted: &[Duration], p: usize) -> Duration {
    sorted[(sorted.len() - 1) * p / 100]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn run(label: &str, catalog: &Path, journal: &Path, receiver: &Receiver) -> (Vec<Duration>, u64) {
    let mut console = console(catalog, journal, &receiver.url("/slack"));
    console.wait(true, "Open runs");
    let times = console.drive();
    let rss = console.peak_rss_kib();
    println!(
        "{label}: {} keys, median {:.2} ms, p99 {:.2} ms, max {:.2} ms; peak RSS {:.1} MiB; {} notifications received",
        times.len(),
        ms(percentile(&times, 50)),
        ms(percentile(&times, 99)),
        ms(*times.last().unwrap()),
        rss as f64 / 1024.0,
        receiver.received("/slack").len(),
    );
    console.child.kill().unwrap();
    let _ = console.child.wait();
    (times, rss)
}

fn main() {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let quiet = dir.path().join("quiet.toml");
    let loud = dir.path().join("loud.toml");
    std::fs::write(&quiet, CATALOG).unwrap();
    std::fs::write(&loud, format!("{CATALOG}{TARGET}")).unwrap();
    let receiver = Receiver::answering(Answer::status(200).after(Duration::from_millis(200)));

    let baseline_journal = dir.path().join("baseline.jsonl");
    fill(&baseline_journal);
    let (base, base_rss) = run("no target (baseline)", &quiet, &baseline_journal, &receiver);

    let journal = dir.path().join("journal.jsonl");
    fill(&journal);
    let (loaded, rss) = run(
        "1,000 owed to a 200 ms receiver",
        &loud,
        &journal,
        &receiver,
    );
    println!(
        "key latency p99: {:.2} ms with sending vs {:.2} ms without; peak RSS {:+.1} MiB",
        ms(percentile(&loaded, 99)),
        ms(percentile(&base, 99)),
        (rss as f64 - base_rss as f64) / 1024.0
    );
}
