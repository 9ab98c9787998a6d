//! The status page under load: `runbook serve`'s router on this machine's
//! two cores, on a journal of 300 incidents (30 open) with four updates
//! each. 500 readers hold `/events` open while 32 keep-alive clients ask
//! for `/api/v2/summary.json` as fast as they are answered; then one new
//! update reaches every open stream.
//! Targets: 500 open streams and 1,000 summary requests per second, with
//! the process's memory bounded (its growth per open stream printed).
//!
//! Run with `cargo bench --bench serve`. Figures are printed.

#![allow(clippy::print_stderr, clippy::print_stdout)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::cast_precision_loss
)]

use std::path::Path;
use std::time::{Duration, Instant};

use runbook::journal::Record;
use runbook::run::Event;
use runbook::status::{Impact, Status, Update};
use runbook::store::Writer;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

const INCIDENTS: usize = 300;
const OPEN: usize = 30;
const STREAMS: usize = 500;
const CLIENTS: usize = 32;
const REQUESTS: usize = 20_000;

fn writer(journal: &Path) -> Writer {
    let id = runbook::store::whoami::detect(|n| std::env::var(n).ok());
    Writer::open(journal, id, runbook::store::Options::default()).unwrap()
}

fn update(text: String, status: Status) -> Event {
    Event::StatusUpdated(Update {
        status,
        impact: Impact::Major,
        components: vec!["payments".into()],
        public: true,
        text,
    })
}

fn fill(journal: &Path) {
    let mut writer = writer(journal);
    let now = chrono::Utc::now();
    for i in 0..INCIDENTS {
        let run = Some(format!("incident-bench-{i:04}"));
        let mut events = vec![Event::RunStarted {
            procedure: "incident".into(),
            procedure_hash: String::new(),
            severity: Some("P2".into()),
            pinned: None,
        }];
        for (n, status) in [
            Status::Investigating,
            Status::Identified,
            Status::Monitoring,
        ]
        .into_iter()
        .enumerate()
        {
            events.push(update(
                format!("Incident {i}, word {n}: payments are slow for some."),
                status,
            ));
        }
        if i >= OPEN {
            events.push(update(format!("Incident {i} resolved."), Status::Resolved));
        }
        let records: Vec<Record> = events
            .into_iter()
            .map(|event| Record {
                run: run.clone(),
                event,
            })
            .collect();
        writer.append(&records, now).unwrap();
    }
}

fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Reads one `page` event's id from an open stream.
async fn next_id(reader: &mut BufReader<TcpStream>) -> u64 {
    let mut line = String::new();
    loop {
        line.clear();
        assert!(
            reader.read_line(&mut line).await.unwrap() > 0,
            "stream ended"
        );
        if let Some(id) = line.strip_prefix("id:") {
            return id.trim().parse().unwrap();
        }
    }
}

async fn open_stream(addr: std::net::SocketAddr) -> BufReader<TcpStream> {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"GET /events HTTP/1.0\r\nAccept: text/event-stream\r\n\r\n")
        .await
        .unwrap();
    BufReader::new(stream)
}

/// `count` summary requests on one keep-alive connection.
async fn ask(addr: std::net::SocketAddr, count: usize) -> usize {
    let stream = TcpStream::connect(addr).await.unwrap();
    let mut reader = BufReader::new(stream);
    let mut bytes = 0;
    let mut line = String::new();
    for _ in 0..count {
        reader
            .get_mut()
            .write_all(b"GET /api/v2/summary.json HTTP/1.1\r\nHost: bench\r\n\r\n")
            .await
            .unwrap();
        let mut length = 0usize;
        loop {
            line.clear();
            reader.read_line(&mut line).await.unwrap();
            if line == "\r\n" {
                break;
            }
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap();
            }
        }
        let mut body = vec![0u8; length];
        reader.read_exact(&mut body).await.unwrap();
        bytes += length;
    }
    bytes
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    fill(&journal);
    let catalog = runbook::catalog::load_bundled().catalog;
    let setup = runbook_serve::Setup {
        catalog,
        journal: runbook::store::Journal::from(&journal),
        identity: runbook_serve::Identity {
            id: "bench".into(),
            name: "Bench".into(),
            url: "http://bench".into(),
        },
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(runbook_serve::serve(listener, setup, async {
            let _ = stop_rx.await;
        }));
        // Ready when it answers.
        while TcpStream::connect(addr).await.is_err() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let before = rss_kib();

        let opened = Instant::now();
        let mut streams = Vec::with_capacity(STREAMS);
        for _ in 0..STREAMS {
            streams.push(open_stream(addr).await);
        }
        let mut first = 0;
        for stream in &mut streams {
            first = next_id(stream).await;
        }
        let open_took = opened.elapsed();
        let with_streams = rss_kib();

        let started = Instant::now();
        let per = REQUESTS / CLIENTS;
        let clients: Vec<_> = (0..CLIENTS).map(|_| tokio::spawn(ask(addr, per))).collect();
        let mut bytes = 0;
        for client in clients {
            bytes += client.await.unwrap();
        }
        let took = started.elapsed();
        let asked = per * CLIENTS;
        let after_requests = rss_kib();

        // One new update, to every open stream.
        let journal_path = journal.clone();
        let posted = Instant::now();
        tokio::task::spawn_blocking(move || {
            let mut writer = writer(&journal_path);
            let record = Record {
                run: Some("incident-bench-0000".into()),
                event: update("A new word for everyone.".into(), Status::Monitoring),
            };
            writer.append(&[record], chrono::Utc::now()).unwrap();
        })
        .await
        .unwrap();
        for stream in &mut streams {
            let id = next_id(stream).await;
            assert!(id > first);
        }
        let fan_out = posted.elapsed();

        println!("status page bench: {INCIDENTS} incidents ({OPEN} open), bundled catalog, 2 worker threads, client in the same process");
        println!(
            "  {STREAMS} event streams opened and first event read in {:.0} ms",
            open_took.as_secs_f64() * 1000.0
        );
        println!(
            "  summary.json: {asked} requests on {CLIENTS} keep-alive connections in {:.2} s = {:.0} req/s ({} KiB each) while the streams stay open",
            took.as_secs_f64(),
            asked as f64 / took.as_secs_f64(),
            bytes / asked / 1024
        );
        println!(
            "  one update to all {STREAMS} streams: {:.0} ms from append to the last stream's event",
            fan_out.as_secs_f64() * 1000.0
        );
        println!(
            "  RSS: {before} KiB before, {with_streams} KiB with {STREAMS} streams ({:.1} KiB per stream), {after_requests} KiB after the requests",
            (with_streams.saturating_sub(before)) as f64 / STREAMS as f64
        );
        drop(streams);
        let _ = stop_tx.send(());
        server.await.unwrap().unwrap();
    });
}
