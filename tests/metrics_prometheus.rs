//! Against a real Prometheus server: started here on a loopback port with
//! a temporary data folder, scraping itself, then queried through
//! `runbook metrics` with thresholds chosen so that ok, alert and critical
//! all occur. `.ci/run` installs Debian's `prometheus`; where the binary is
//! missing the test says so loudly and fails under CI.

// Helpers of tests may unwrap: a failure there is a failed test.
#![allow(clippy::print_stderr, clippy::print_stdout)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fmt::Write as _;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Prometheus {
    child: Child,
    url: String,
    _data: tempfile::TempDir,
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn binary() -> Option<PathBuf> {
    let candidates = std::env::var("PATH").unwrap_or_default();
    std::env::split_paths(&candidates)
        .map(|dir| dir.join("prometheus"))
        .chain([PathBuf::from("/usr/bin/prometheus")])
        .find(|p| p.is_file())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Runs a query through the HTTP API with plain std, to know when the
/// server has scraped itself.
fn query_value(port: u16, query: &str) -> Option<f64> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    let encoded: String = query
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    write!(
        stream,
        "GET /api/v1/query?query={encoded} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n"
    )
    .ok()?;
    let mut text = String::new();
    stream.read_to_string(&mut text).ok()?;
    let body = text.split("\r\n\r\n").nth(1)?;
    let json: serde_json::Value = serde_json::from_str(body).ok()?;
    json["data"]["result"][0]["value"][1].as_str()?.parse().ok()
}

fn start() -> Option<Prometheus> {
    let Some(binary) = binary() else {
        eprintln!(
            "SKIPPED: no `prometheus` binary on this machine (`.ci/run` installs Debian's prometheus package)"
        );
        assert!(
            std::env::var("CI").is_err(),
            "under CI the prometheus package must be installed"
        );
        return None;
    };
    let data = tempfile::tempdir().unwrap();
    let port = free_port();
    let config = data.path().join("prometheus.yml");
    std::fs::write(
        &config,
        format!("global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: self\n    static_configs:\n      - targets: ['127.0.0.1:{port}']\n"),
    )
    .unwrap();
    let child = Command::new(binary)
        .arg(format!("--config.file={}", config.display()))
        .arg(format!(
            "--storage.tsdb.path={}",
            data.path().join("tsdb").display()
        ))
        .arg(format!("--web.listen-address=127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let server = Prometheus {
        child,
        url: format!("http://127.0.0.1:{port}"),
        _data: data,
    };
    // Ready once it has scraped itself at least once.
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if query_value(port, "up{job=\"self\"}") == Some(1.0) {
            return Some(server);
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!("prometheus did not scrape itself within 60 s");
}

#[test]
fn runbook_reads_a_real_prometheus_in_every_state() {
    let Some(prometheus) = start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let catalog = dir.path().join("prometheus.toml");
    // `up` is 1: below 5 is ok, above 0.5 alert, above 0.1 critical.
    let source = r#"{ kind = "prometheus", url = "${RUNBOOK_PROMETHEUS_URL}", query = "up{job=\"self\"}", timeout = "5s" }"#;
    let mut text = String::new();
    for (id, alert, critical) in [
        ("calm", 5.0, 10.0),
        ("warned", 0.5, 2.0),
        ("burning", 0.05, 0.1),
    ] {
        let _ = writeln!(
            text,
            "[[metric]]\nid = \"{id}\"\ntitle = \"{id}\"\nunit = \"\"\nalert = {alert}\ncritical = {critical}\nsource = {source}"
        );
    }
    // A real series with a real value: the number of samples scraped.
    text.push_str(
        "[[metric]]\nid = \"scraped\"\ntitle = \"scraped\"\nunit = \"samples\"\nalert = 1000000\ncritical = 2000000\nsource = { kind = \"prometheus\", url = \"${RUNBOOK_PROMETHEUS_URL}\", query = \"scrape_samples_scraped{job=\\\"self\\\"}\" }\n",
    );
    std::fs::write(&catalog, text).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_runbook"))
        .args(["--catalog", catalog.to_str().unwrap(), "metrics", "--json"])
        .env("RUNBOOK_PROMETHEUS_URL", &prometheus.url)
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let state = |id: &str| {
        json.as_array()
            .unwrap()
            .iter()
            .find(|m| m["metric"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(state("calm")["state"], "ok", "{json}");
    assert_eq!(state("warned")["state"], "alert", "{json}");
    assert_eq!(state("burning")["state"], "critical", "{json}");
    assert_eq!(state("calm")["value"], 1.0);
    assert!(state("scraped")["value"].as_f64().unwrap() > 10.0, "{json}");
    assert_eq!(out.status.code(), Some(2), "CRITICAL wins");
}
