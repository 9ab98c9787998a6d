//! Fifty metric sources polled every second for a minute, by the real
//! binary (`runbook metrics --watch`, output discarded), against a local
//! HTTP server: the process's CPU time (target under 2 % of one core) and
//! its resident memory, which must not grow.
//!
//! Run with `cargo bench --bench metrics`. Takes about 70 s.

// A benchmark's helpers may unwrap: a failure is a failed run.
#![allow(clippy::print_stderr, clippy::print_stdout)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::cast_precision_loss)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::fmt::Write as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// CPU seconds (user + system) and resident KiB of a process, from /proc.
fn usage(pid: u32) -> (f64, u64) {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // Fields after the command name, which is in parentheses.
    let fields: Vec<&str> = stat[stat.rfind(')').unwrap() + 2..]
        .split_whitespace()
        .collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let rss = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    // The kernel's clock ticks are 100 a second on Linux.
    (ticks as f64 / 100.0, rss)
}

fn main() {
    let server = common::Server::start();
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let catalog = dir.path().join("fifty.toml");
    let mut text = String::new();
    for i in 0..50 {
        server.set(
            &format!("/m{i}"),
            common::Reply::json(&format!(r#"{{"value":{}}}"#, i % 7)),
        );
        let _ = write!(
            text,
            "[[metric]]\nid = \"m{i}\"\ntitle = \"Metric {i}\"\nunit = \"%\"\nalert = 5\ncritical = 6\n\
             source = {{ kind = \"http_json\", url = \"${{BASE}}/m{i}\", pointer = \"/value\", interval = \"1s\" }}\n"
        );
    }
    std::fs::write(&catalog, text).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_runbook"))
        .args(["--catalog", catalog.to_str().unwrap(), "metrics", "--watch"])
        .env("BASE", server.url())
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id();
    // Warm up: connections made, buffers sized.
    std::thread::sleep(Duration::from_secs(10));
    let (cpu_start, rss_start) = usage(pid);
    let start = Instant::now();
    let mut samples = Vec::new();
    for _ in 0..6 {
        std::thread::sleep(Duration::from_secs(10));
        samples.push(usage(pid).1);
    }
    let (cpu_end, rss_end) = usage(pid);
    let wall = start.elapsed().as_secs_f64();
    child.kill().unwrap();
    let _ = child.wait();
    println!(
        "50 sources every second for {wall:.0} s: CPU {:.2} % of one core (target < 2 %); RSS {rss_start} KiB after warm-up, {rss_end} KiB at the end (every 10 s: {samples:?})",
        (cpu_end - cpu_start) / wall * 100.0
    );
}
