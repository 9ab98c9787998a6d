//! Executable steps: 200 MB of a real command's output streamed through
//! the supervisor (masking, output file, SHA-256) into the console's pane,
//! as the console does it. Targets:
//! - peak RSS under 32 MiB for the whole stream;
//! - key latency under 5 ms while it streams: a key waits at most for the
//!   chunk being fed and the next frame of the pane, so the worst of
//!   (one chunk fed + one pane drawn) is what an operator can feel.
//!
//! Run with `cargo bench --bench exec`. Figures are printed.

#![allow(clippy::print_stderr, clippy::print_stdout)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::cast_precision_loss
)]

use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::widgets::Paragraph;
use runbook::exec::output::Sink;
use runbook::exec::pane::Pane;
use runbook::exec::plan::Plan;
use runbook::exec::process;

fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

fn percentile(sorted: &[Duration], p: usize) -> Duration {
    let i = (sorted.len() - 1) * p / 100;
    sorted[i]
}

fn main() {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let journal = dir.path().join("journal.jsonl");
    let bytes: u64 = 200 * 1024 * 1024;
    let plan = Plan {
        step: "big".into(),
        argv: vec![
            "sh".into(),
            "-c".into(),
            format!("head -c {bytes} /dev/zero | tr '\\0' 'x' | fold -w 100"),
        ],
        shown: "…".into(),
        env: Vec::new(),
        // Masking on: the stream is searched for a secret as in real use.
        secrets: vec!["s3cr3t-value".into()],
        timeout: Duration::from_secs(600),
        done_on_success: false,
    };
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(64);
    let sink = Sink::open(&journal, "bench", 1, None);
    let start = Instant::now();
    let running = process::spawn(
        &plan,
        sink,
        process::GRACE,
        Box::new(move |b| {
            let _ = tx.send(b.to_vec());
        }),
    )
    .unwrap();
    let (width, height) = (80u16, 24u16);
    let mut pane = Pane::new("big", "…", 8, width - 2);
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    let mut felt = Vec::new();
    let mut feeds = Vec::new();
    let mut last_frame = Instant::now();
    let mut frames = 0u64;
    for chunk in rx {
        let t = Instant::now();
        pane.feed(&chunk);
        let fed = t.elapsed();
        feeds.push(fed);
        // The console draws at most every 50 ms while a command runs.
        if last_frame.elapsed() >= Duration::from_millis(50) {
            let t = Instant::now();
            terminal
                .draw(|f| f.render_widget(Paragraph::new(pane.lines(true)), f.area()))
                .unwrap();
            felt.push(fed + t.elapsed());
            last_frame = Instant::now();
            frames += 1;
        }
    }
    let done = running.wait().unwrap();
    let took = start.elapsed();
    assert!(done.outcome.success(), "{:?}", done.outcome);
    // `fold` puts no newline after the last line.
    assert_eq!(done.output.bytes, bytes + bytes / 100 - 1);
    felt.sort_unstable();
    feeds.sort_unstable();
    let mib = done.output.bytes as f64 / (1024.0 * 1024.0);
    println!(
        "exec stream: {mib:.0} MiB in {:.2} s = {:.0} MiB/s through mask, file, hash and pane; {} chunks, {frames} frames",
        took.as_secs_f64(),
        mib / took.as_secs_f64(),
        feeds.len()
    );
    println!(
        "  chunk fed into the pane: median {:?}, p99 {:?}, max {:?}",
        percentile(&feeds, 50),
        percentile(&feeds, 99),
        feeds.last().unwrap()
    );
    println!(
        "  key latency bound (chunk + frame): median {:?}, p99 {:?}, max {:?} (target < 5 ms)",
        percentile(&felt, 50),
        percentile(&felt, 99),
        felt.last().unwrap()
    );
    println!(
        "  peak RSS of the whole process: {:.1} MiB (target < 32 MiB)",
        peak_rss_kib() as f64 / 1024.0
    );
}
