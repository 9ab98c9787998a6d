//! A `runbook serve` started by a test on loopback, with its journal and
//! site, and plain HTTP/1.1 and server-sent-event clients over TCP.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;

pub const PASSWORD: &str = "correct horse battery staple";
pub const TOKEN: &str = "wallboard-token-5d1c";

pub struct Served {
    pub dir: tempfile::TempDir,
    pub journal: PathBuf,
    pub site: PathBuf,
    pub addr: SocketAddr,
    child: Child,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn basic(user: &str, password: &str) -> String {
    let pair = format!("{user}:{password}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    )
}

fn hashed(flag: &str, secret: &str) -> String {
    let out = crate::common::feed(
        crate::common::runbook("/nonexistent/journal.jsonl", "admin").args(["serve", flag]),
        secret,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

impl Served {
    /// A site with a viewer by password (`board`) and one by token, and
    /// the server on a port the system chose.
    pub fn start() -> Served {
        let dir = tempfile::tempdir().unwrap();
        let journal = dir.path().join("journal.jsonl");
        let site = dir.path().join("site.toml");
        let password = hashed("--hash-password", PASSWORD);
        assert!(!password.contains(PASSWORD));
        let token = hashed("--hash-token", TOKEN);
        std::fs::write(
            &site,
            format!(
                "[vars]\nstatus_page_name = \"Tontetic\"\nstatus_page_url = \"https://status.tontetic.example\"\n\n\
                 [[viewer]]\nid = \"board\"\npassword = \"{password}\"\n\n\
                 [[viewer]]\nid = \"wallboard\"\ntoken_sha256 = \"{token}\"\n"
            ),
        )
        .unwrap();
        // No journal yet: the server follows it from its first entry.
        let child = crate::common::runbook(&journal, "server")
            .arg("--site")
            .arg(&site)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (child, addr) = listening(child);
        Served {
            dir,
            journal,
            site,
            addr,
            child,
        }
    }

    pub fn runbook(&self, operator: &str) -> std::process::Command {
        let mut command = crate::common::runbook(&self.journal, operator);
        command.arg("--site").arg(&self.site);
        command
    }

    /// The journal's last entry.
    pub fn last_seq(&self) -> u64 {
        let text = std::fs::read_to_string(&self.journal).unwrap();
        let last: serde_json::Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
        last["seq"].as_u64().unwrap()
    }

    /// Until the server has read entry `seq` (its `/healthz` says which
    /// it has): the journal's watch wakes it, so this is quick.
    pub fn wait_for_seq_at_least(&self, seq: u64) -> u64 {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let (_, _, body) = get(self.addr, "/healthz", &[]);
            let had: u64 = body.trim().trim_start_matches("ok ").parse().unwrap_or(0);
            if had >= seq {
                return had;
            }
            assert!(
                Instant::now() < deadline,
                "the server stayed at entry {had}, not {seq}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// A `runbook serve` just spawned, and where it said it listens (its
/// first line: the port the system chose).
pub fn listening(mut child: Child) -> (Child, SocketAddr) {
    let mut said = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut said)
        .unwrap();
    let addr = said
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("no address in {said:?}"))
        .parse()
        .unwrap();
    (child, addr)
}

/// `alice` starts an incident at `severity` and leaves it open; its id.
pub fn start_incident(served: &Served, severity: &str) -> String {
    let out = crate::common::feed(
        served
            .runbook("alice")
            .args(["run", "incident", "--severity", severity, "--plain"]),
        "quit\n",
    );
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{said}");
    let line = said.lines().find(|l| l.contains(" — run ")).expect(&said);
    let id = line.split(" — run ").nth(1).unwrap();
    id.split(',').next().unwrap().trim().to_owned()
}

pub fn update(served: &Served, run: &str, args: &[&str]) {
    let out = served
        .runbook("alice")
        .arg("update")
        .arg(run)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A GET on loopback: status, headers (lower-cased), body.
pub fn get(addr: SocketAddr, path: &str, headers: &[(&str, &str)]) -> (u16, String, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        let _ = write!(request, "{name}: {value}\r\n");
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        unchunk(body)
    } else {
        body.to_owned()
    };
    (status, head.to_ascii_lowercase(), body)
}

fn unchunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.push_str(&rest[..size]);
        body = &rest[size + 2..];
    }
    out
}

#[derive(Debug, Clone)]
pub struct Event {
    pub id: String,
    pub data: String,
}

/// A server-sent-event stream read line by line.
pub struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    pub fn open(addr: SocketAddr, path: &str, last_id: Option<&str>) -> Events {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        // HTTP/1.0: the body is the events as they come, not chunked.
        let mut request =
            format!("GET {path} HTTP/1.0\r\nHost: {addr}\r\nAccept: text/event-stream\r\n");
        if let Some(id) = last_id {
            let _ = write!(request, "Last-Event-ID: {id}\r\n");
        }
        request.push_str("\r\n");
        stream.write_all(request.as_bytes()).unwrap();
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        loop {
            line.clear();
            reader.read_line(&mut line).unwrap();
            if line == "\r\n" {
                break;
            }
        }
        Events { reader }
    }

    /// The next `page` event (comments and keep-alives skipped).
    pub fn next_event(&mut self) -> Event {
        let (mut id, mut data, mut name) = (String::new(), Vec::new(), String::new());
        let mut line = String::new();
        loop {
            line.clear();
            let read = self.reader.read_line(&mut line).unwrap();
            assert!(read > 0, "the stream ended");
            let line = line.trim_end_matches(['\r', '\n']);
            if let Some(rest) = line.strip_prefix("data:") {
                data.push(rest.strip_prefix(' ').unwrap_or(rest).to_owned());
            } else if let Some(rest) = line.strip_prefix("id:") {
                rest.trim().clone_into(&mut id);
            } else if let Some(rest) = line.strip_prefix("event:") {
                rest.trim().clone_into(&mut name);
            } else if line.is_empty() && !data.is_empty() {
                if name == "page" {
                    return Event {
                        id,
                        data: data.join("\n"),
                    };
                }
                data.clear();
            }
        }
    }
}
