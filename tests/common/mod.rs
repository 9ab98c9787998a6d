//! A small real HTTP server on 127.0.0.1 for the metric sources' tests:
//! each path answers with a status, a body and a delay that a test sets
//! and can change while it runs. It stops when dropped.

// Each test file uses a part of it.
#![allow(dead_code, clippy::unwrap_used)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: String,
    pub delay: Duration,
    /// The bearer token the path requires, if any.
    pub token: Option<String>,
}

impl Reply {
    pub fn json(body: &str) -> Reply {
        Reply {
            status: 200,
            body: body.to_owned(),
            delay: Duration::ZERO,
            token: None,
        }
    }
}

pub struct Server {
    pub port: u16,
    routes: Arc<Mutex<HashMap<String, Reply>>>,
    stop: Arc<AtomicBool>,
}

fn answer(mut stream: TcpStream, routes: &Mutex<HashMap<String, Reply>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    let path = request
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .split('?')
        .next()
        .unwrap_or("/")
        .to_owned();
    let mut authorization = None;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).is_err() || header.trim().is_empty() {
            break;
        }
        if let Some(value) = header.to_ascii_lowercase().strip_prefix("authorization:") {
            authorization = Some(value.trim().to_owned());
        }
    }
    let reply = routes.lock().unwrap().get(&path).cloned();
    let (status, body) = match reply {
        None => (404, "not found".to_owned()),
        Some(reply) => {
            std::thread::sleep(reply.delay);
            match &reply.token {
                Some(token)
                    if authorization.as_deref()
                        != Some(&format!("bearer {}", token.to_ascii_lowercase())) =>
                {
                    (401, "unauthorized".to_owned())
                }
                _ => (reply.status, reply.body),
            }
        }
    };
    let response = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(response.as_bytes());
}

impl Server {
    pub fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let routes: Arc<Mutex<HashMap<String, Reply>>> = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let (r, s) = (routes.clone(), stop.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if s.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let routes = r.clone();
                std::thread::spawn(move || answer(stream, &routes));
            }
        });
        Server { port, routes, stop }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn set(&self, path: &str, reply: Reply) {
        self.routes.lock().unwrap().insert(path.to_owned(), reply);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

/// A Prometheus instant-query answer with one series.
pub fn prometheus(value: &str) -> String {
    format!(
        r#"{{"status":"success","data":{{"resultType":"vector","result":[{{"metric":{{}},"value":[1700000000.0,"{value}"]}}]}}}}"#
    )
}

/// Runs `command` with `input` on its standard input; its output.
pub fn feed(command: &mut std::process::Command, input: &str) -> std::process::Output {
    use std::process::Stdio;
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// The built binary on `journal`, as `operator`, in the C locale and away
/// from the machine's own configuration and catalog.
pub fn runbook(journal: impl AsRef<std::ffi::OsStr>, operator: &str) -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_runbook"));
    command
        .env_remove("RUNBOOK_CATALOG")
        .env_remove("RUNBOOK_JOURNAL_KEY")
        .env_remove("RUNBOOK_LANG")
        .env_remove("RUNBOOK_SITE")
        .env("RUNBOOK_JOURNAL", journal.as_ref())
        .env("RUNBOOK_OPERATOR", operator)
        .env("LANG", "C")
        .env("XDG_CONFIG_HOME", "/nonexistent-runbook-test-config");
    command
}
/// The events of a journal file, in order.
pub fn events(journal: &std::path::Path) -> Vec<runbook::run::Event> {
    runbook::store::read::read_all(journal)
        .unwrap()
        .0
        .into_iter()
        .map(|e| e.event)
        .collect()
}

/// Waits until `ready` says so; fails if it does not within `limit`.
pub fn wait_until(limit: std::time::Duration, mut ready: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + limit;
    while !ready() {
        assert!(
            std::time::Instant::now() < deadline,
            "not ready within {limit:?}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// `runbook watch` from `command` (its standard error to `stderr`), once
/// it says it follows the journal: it holds its lock by then.
pub fn watch(
    mut command: std::process::Command,
    stderr: std::process::Stdio,
) -> std::process::Child {
    use std::io::BufRead;
    let mut child = command
        .arg("watch")
        .stdout(std::process::Stdio::piped())
        .stderr(stderr)
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.contains("runbook watch"), "{first:?}");
    child
}

pub mod keys;
pub mod pg;
pub mod pty;
pub mod receiver;
pub mod shim;

/// Someone holds the journal's lock (`flock`), as a stalled disk or a
/// teammate's slow append would: the append waits for it.
pub struct Held(std::process::Child);

impl Held {
    pub fn lock(journal: &std::path::Path) -> Held {
        use std::io::BufRead;
        // `-o`: the lock is flock's own, not its command's, so killing
        // flock lets it go.
        let mut child = std::process::Command::new("flock")
            .args(["-x", "-o"])
            .arg(journal)
            .args(["-c", "echo held; exec sleep 60"])
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("flock (util-linux)");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(line.trim(), "held");
        Held(child)
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A writer to the journal file at `path` as `operator`, for tests that
/// write their journal through the library (fixed clocks, many entries).
pub fn writer(path: &std::path::Path, operator: &str, key: Option<&str>) -> runbook::store::Writer {
    let identity = runbook::journal::Identity {
        operator: operator.into(),
        os_user: None,
        from: None,
        host: "test".into(),
        session: "0123456789abcdef".into(),
        signer: None,
        foreign_account: None,
    };
    let options = runbook::store::Options {
        key: key.map(|k| k.as_bytes().to_vec()),
        group: None,
    };
    runbook::store::Writer::open(path, identity, options).unwrap()
}

/// Appends a line as anyone who can write the file can: `fields` are the
/// entry's members after `seq` and before `prev`, its hash and link made
/// right.
#[allow(dead_code)]
pub fn forge(journal: &std::path::Path, fields: &str) {
    let text = std::fs::read_to_string(journal).unwrap();
    let last = text.lines().last().unwrap();
    let entry: serde_json::Value = serde_json::from_str(last).unwrap();
    let seq = entry["seq"].as_u64().unwrap() + 1;
    let prev = entry["hash"].as_str().unwrap();
    let body = format!("{{\"seq\":{seq},{fields},\"prev\":\"{prev}\"");
    let hash = runbook::journal::line::sha256_hex(body.as_bytes());
    let line = format!("{body},\"hash\":\"{hash}\"}}\n");
    std::fs::write(journal, text + &line).unwrap();
}
