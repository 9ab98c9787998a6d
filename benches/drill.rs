//! A 24-hour drill at ×1,000: the real console in an 80x24 pseudo-terminal
//! plays the P1 procedure on a scenario with a reading every five drill
//! minutes for a whole day (576 injections, every one a redraw, crossings
//! journaled), for the 86.4 s the day takes. Sampled every 250 ms: the
//! drill clock on screen against real time × 1,000 (how far the display
//! falls behind its clock), and the process's CPU time.
//! Targets: never behind by more than a tick or two (100 ms real, 100
//! drill seconds each); CPU under 10 % of a core.
//!
//! Run with `cargo bench --bench drill` (`RUNBOOK_BENCH_SECONDS` shortens
//! the day). Figures are printed.

#![allow(clippy::print_stderr, clippy::print_stdout)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss
)]

#[path = "../tests/common/pty.rs"]
mod pty;

use std::fmt::Write as _;
use std::time::{Duration, Instant};

const SPEED: u64 = 1_000;

/// CPU seconds (user + system) of a process, from /proc.
fn cpu(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let fields: Vec<&str> = stat[stat.rfind(')').unwrap() + 2..]
        .split_whitespace()
        .collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    ticks as f64 / 100.0
}

/// The drill seconds since the start the header shows (`T+1d 02:03:04`).
fn shown(screen: &str) -> Option<u64> {
    let at = screen.find("T+")? + 2;
    let text: String = screen[at..].chars().take(14).collect();
    let (days, clock) = match text.split_once("d ") {
        Some((d, rest)) => (d.parse::<u64>().ok()?, rest),
        None => (0, text.as_str()),
    };
    let mut parts = clock
        .split(':')
        .map(|p| p.trim().get(..2).and_then(|n| n.parse::<u64>().ok()));
    let (h, m, s) = (parts.next()??, parts.next()??, parts.next()??);
    Some(days * 86_400 + h * 3600 + m * 60 + s)
}

fn scenario() -> String {
    let mut text = String::from(
        "[scenario]\nid = \"day-long\"\ntitle = \"A day of readings\"\nprocedure = \"incident\"\nseverity = \"P1\"\n",
    );
    for i in 0..288u32 {
        let minutes = i * 5;
        let error = f64::from(i % 12) * 0.6;
        let latency = 200 + (i % 9) * 300;
        let _ = write!(
            text,
            "\n[[inject]]\nat = \"{minutes}m\"\nmetric = \"error-rate\"\nvalue = {error:.1}\n\n[[inject]]\nat = \"{minutes}m\"\nmetric = \"latency-p95\"\nvalue = {latency}\n"
        );
    }
    text
}

fn main() {
    let seconds: u64 = std::env::var("RUNBOOK_BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(86_400 / SPEED + 1);
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let journal = dir.path().join("journal.jsonl");
    let file = dir.path().join("day.toml");
    std::fs::write(&file, scenario()).unwrap();
    let speed = SPEED.to_string();
    let mut console = pty::Console::spawn(
        &journal,
        "bench",
        &[
            "drill",
            "--scenario",
            file.to_str().unwrap(),
            "--speed",
            &speed,
        ],
    );
    console.wait_for("×1000 T+");
    let pid = console.pid();
    let start = Instant::now();
    let cpu_start = cpu(pid);
    let mut behind = Vec::new();
    while start.elapsed() < Duration::from_secs(seconds) {
        std::thread::sleep(Duration::from_millis(250));
        let expected = start.elapsed().as_secs_f64() * SPEED as f64;
        if let Some(on_screen) = shown(&console.screen()) {
            // Behind by this much real time (ms): what the display owes.
            behind.push(((expected - on_screen as f64) / SPEED as f64 * 1000.0).max(0.0));
        }
    }
    let elapsed = start.elapsed().as_secs_f64();
    let used = cpu(pid) - cpu_start;
    let screen = console.screen();
    console.send("q");
    console.send("q");
    let _ = console.exit_within(Duration::from_secs(10));
    behind.sort_by(f64::total_cmp);
    let pick = |q: f64| behind[((behind.len() - 1) as f64 * q) as usize];
    let crossings = std::fs::read_to_string(&journal)
        .unwrap()
        .matches("metric_crossed")
        .count();
    println!(
        "drill at ×{SPEED} for {elapsed:.1} s real ({:.1} drill hours)",
        elapsed * SPEED as f64 / 3600.0
    );
    println!(
        "display behind its clock (real ms, {} samples): median {:.0}, p99 {:.0}, max {:.0}",
        behind.len(),
        pick(0.5),
        pick(0.99),
        pick(1.0)
    );
    println!(
        "CPU: {used:.2} s over {elapsed:.1} s = {:.1} % of a core; {crossings} crossings journaled",
        used / elapsed * 100.0
    );
    println!(
        "last screen header: {}",
        screen.lines().next().unwrap_or_default()
    );
}
