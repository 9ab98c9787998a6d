//! Executable steps: 200 MB of a real command's output streamed through
//! the supervisor (masking, output file, SHA-256) into the console's pane,
//! as the console does it. Targets:
//! - peak RSS under 32 MiB for the whole stream;
//! - at least 100 MiB/s through it all;
//! - key latency under 5 ms while it streams: a key waits at most for the
//!   slice of output being parsed and the next frame of the pane, so the
//!   worst of (one slice parsed + one pane drawn) is what an operator can
//!   feel.
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
use runbook::exec::plan::Plan;
use runbook::exec::process;
use runbook::tui::pane::{Pane, SLICE};

fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

fn percentile(sorted: &[Duration], p: usize) -> Duration {
    let i = (sorted.len() - 1) * p / 100;
    sorted[i]
}

/// A frame's parse, a slice at a time (a key waits for one slice at most),
/// then the frame itself; what a key could have waited for, in `felt`.
fn frame(
    pane: &mut Pane,
    terminal: &mut Terminal<TestBackend>,
    felt: &mut Vec<Duration>,
    slices: &mut Vec<Duration>,
) {
    let mut worst = Duration::ZERO;
    loop {
        let t = Instant::now();
        let more = pane.catch_up(SLICE);
        let took = t.elapsed();
        slices.push(took);
        worst = worst.max(took);
        if !more {
            break;
        }
    }
    let t = Instant::now();
    terminal
        .draw(|f| f.render_widget(Paragraph::new(pane.lines(true)), f.area()))
        .unwrap();
    felt.push(worst + t.elapsed());
}

/// The command whose output streams: lines of 100 `x`, 200 MiB of them
/// before the newlines. By default `cat` of a file holding them, so that
/// the figure is runbook's and not the producer's (on 2 cores, `tr` and
/// `fold` alone take one and a half); `cargo bench --bench exec -- fold`
/// makes them on the fly as before.
fn producer(dir: &std::path::Path, bytes: u64) -> Vec<String> {
    let pipeline = format!("head -c {bytes} /dev/zero | tr '\\0' 'x' | fold -w 100");
    if std::env::args().skip(1).any(|a| a == "fold") {
        return vec!["sh".into(), "-c".into(), pipeline];
    }
    let file = dir.join("stream.txt");
    let made = std::process::Command::new("sh")
        .args(["-c", &format!("{pipeline} > {}", file.display())])
        .status()
        .unwrap();
    assert!(made.success());
    vec!["cat".into(), file.display().to_string()]
}

/// The last row shown is the stream's last: nothing was lost at the end.
fn assert_shows_the_end(shown: &[ratatui::text::Line<'_>]) {
    let last: String = shown
        .last()
        .unwrap()
        .spans
        .iter()
        .map(|s| s.content.as_ref())
        .collect();
    // 100 `x` wrapped at 78 columns.
    assert_eq!(last, "x".repeat(22), "the stream's last line");
}

fn main() {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let journal = dir.path().join("journal.jsonl");
    let bytes: u64 = 200 * 1024 * 1024;
    let plan = Plan {
        step: "big".into(),
        argv: producer(dir.path(), bytes),
        shown: "…".into(),
        env: Vec::new(),
        // Masking on: the stream is searched for a secret as in real use.
        secrets: vec!["s3cr3t-value".into()],
        timeout: Duration::from_secs(600),
        done_on_success: false,
    };
    // As the console: room for 256 chunks while a frame's output is parsed.
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(256);
    let sink = Sink::open(&journal, "bench", 1, None);
    let start = Instant::now();
    let running = process::spawn(
        &plan,
        sink,
        process::GRACE,
        Box::new(move |b| {
            let _ = tx.send(b);
        }),
    )
    .unwrap();
    let (width, height) = (80u16, 24u16);
    let mut pane = Pane::new("big", "…", 8, width - 2);
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    let mut felt = Vec::new();
    let mut feeds = Vec::new();
    let mut slices = Vec::new();
    let mut last_frame = Instant::now();
    let mut frames = 0u64;
    let mut last_chunk = start;
    for chunk in rx {
        let t = Instant::now();
        pane.feed(chunk);
        feeds.push(t.elapsed());
        last_chunk = t;
        // The console parses and draws at most every 50 ms while a command
        // runs.
        if last_frame.elapsed() >= Duration::from_millis(50) {
            frame(&mut pane, &mut terminal, &mut felt, &mut slices);
            last_frame = Instant::now();
            frames += 1;
        }
    }
    frame(&mut pane, &mut terminal, &mut felt, &mut slices);
    let shown = pane.lines(false);
    let taken = last_chunk.duration_since(start);
    let done = running.wait().unwrap();
    let took = start.elapsed();
    assert!(done.outcome.success(), "{:?}", done.outcome);
    // `fold` puts no newline after the last line.
    assert_eq!(done.output.bytes, bytes + bytes / 100 - 1);
    assert_shows_the_end(&shown);
    felt.sort_unstable();
    feeds.sort_unstable();
    slices.sort_unstable();
    let mib = done.output.bytes as f64 / (1024.0 * 1024.0);
    println!(
        "exec stream: {mib:.0} MiB in {:.2} s = {:.0} MiB/s through mask, file, hash and pane; {} chunks, {frames} frames",
        took.as_secs_f64(),
        mib / took.as_secs_f64(),
        feeds.len()
    );
    println!(
        "  the pane had the last byte after {:.2} s = {:.0} MiB/s (target >= 100 MiB/s); the rest is the output file's fsync and the command's end",
        taken.as_secs_f64(),
        mib / taken.as_secs_f64()
    );
    println!(
        "  chunk taken by the pane: median {:?}, p99 {:?}, max {:?}",
        percentile(&feeds, 50),
        percentile(&feeds, 99),
        feeds.last().unwrap()
    );
    println!(
        "  parsed: {:.1} MiB, passed over unparsed (scrolled out of sight and scrollback): {:.1} MiB; a slice of parsing: median {:?}, p99 {:?}, max {:?}",
        (done.output.bytes - pane.passed_over) as f64 / (1024.0 * 1024.0),
        pane.passed_over as f64 / (1024.0 * 1024.0),
        percentile(&slices, 50),
        percentile(&slices, 99),
        slices.last().unwrap()
    );
    println!(
        "  key latency bound (a slice of parsing + a frame): median {:?}, p99 {:?}, max {:?} (target < 5 ms)",
        percentile(&felt, 50),
        percentile(&felt, 99),
        felt.last().unwrap()
    );
    println!(
        "  peak RSS of the whole process: {:.1} MiB (target < 32 MiB)",
        peak_rss_kib() as f64 / 1024.0
    );
}
