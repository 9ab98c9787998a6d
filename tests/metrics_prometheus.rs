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
    start_with("")
}

/// Prometheus scraping itself every second, plus the jobs in `more`
/// (YAML list items under `scrape_configs`).
fn start_with(more: &str) -> Option<Prometheus> {
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
        format!("global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: self\n    static_configs:\n      - targets: ['127.0.0.1:{port}']\n{more}"),
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

/// An application's `/metrics` as an OpenTelemetry-instrumented HTTP
/// server exports them (Prometheus naming of the semantic conventions),
/// plus the two counters the format doc names. Each scrape adds 100
/// requests, 3 of them answered 500; 90 within 0.25 s and 10 between 1 and
/// 2.5 s; 100 login failures; no webhook failure.
fn serve_app_metrics() -> u16 {
    use std::io::{BufRead, BufReader, Write};
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut scrapes: u64 = 0;
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            scrapes += 1;
            let n = scrapes;
            let h = "http_server_request_duration_seconds";
            let ok = r#"http_request_method="GET",http_response_status_code="200""#;
            let err = r#"http_request_method="GET",http_response_status_code="500""#;
            let mut body = format!("# TYPE {h} histogram\n");
            for (le, count) in [
                ("0.1", 0),
                ("0.25", 87),
                ("0.5", 87),
                ("1", 87),
                ("2.5", 97),
                ("+Inf", 97),
            ] {
                let _ = writeln!(body, "{h}_bucket{{{ok},le=\"{le}\"}} {}", count * n);
            }
            let _ = writeln!(body, "{h}_count{{{ok}}} {}", 97 * n);
            let _ = writeln!(body, "{h}_sum{{{ok}}} {}", 30 * n);
            for le in ["0.1", "0.25", "0.5", "1", "2.5", "+Inf"] {
                let count = if le == "0.1" { 0 } else { 3 };
                let _ = writeln!(body, "{h}_bucket{{{err},le=\"{le}\"}} {}", count * n);
            }
            let _ = writeln!(body, "{h}_count{{{err}}} {}", 3 * n);
            let _ = writeln!(body, "{h}_sum{{{err}}} {n}");
            let _ = writeln!(
                body,
                "# TYPE auth_login_failures_total counter\nauth_login_failures_total {}",
                100 * n
            );
            let _ = writeln!(
                body,
                "# TYPE payment_webhook_failures_total counter\npayment_webhook_failures_total 5"
            );
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    port
}

#[test]
fn the_bundled_metrics_read_an_opentelemetry_instrumented_app_out_of_the_box() {
    let app = serve_app_metrics();
    let job =
        format!("  - job_name: app\n    static_configs:\n      - targets: ['127.0.0.1:{app}']\n");
    let Some(prometheus) = start_with(&job) else {
        return;
    };
    let port: u16 = prometheus.url.rsplit(':').next().unwrap().parse().unwrap();
    // rate() needs a few scrapes of the app.
    let deadline = Instant::now() + Duration::from_secs(60);
    while query_value(port, "count_over_time(auth_login_failures_total[5m])").unwrap_or(0.0) < 4.0 {
        assert!(
            Instant::now() < deadline,
            "prometheus did not scrape the app"
        );
        std::thread::sleep(Duration::from_millis(250));
    }
    let out = Command::new(env!("CARGO_BIN_EXE_runbook"))
        .args(["metrics", "--json"])
        .env("RUNBOOK_PROMETHEUS_URL", &prometheus.url)
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .env_remove("RUNBOOK_CATALOG")
        .env_remove("RUNBOOK_SITE")
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let metric = |id: &str| {
        json.as_array()
            .unwrap()
            .iter()
            .find(|m| m["metric"] == id)
            .unwrap()
            .clone()
    };
    let value = |id: &str| metric(id)["value"].as_f64().unwrap_or(f64::NAN);
    // 3 of every 100 requests fail: 3 %, above the 1 % alert.
    assert!((value("error-rate") - 3.0).abs() < 0.01, "{json}");
    assert_eq!(metric("error-rate")["state"], "alert");
    // The 95th request of 100 falls halfway into the 1–2.5 s bucket.
    assert!((value("latency-p95") - 1750.0).abs() < 1.0, "{json}");
    assert_eq!(metric("latency-p95")["state"], "alert");
    // A young series: rate() over 5 min spreads the few scrapes' increase
    // over the whole window, so the value is what Prometheus itself says,
    // well over the critical 50 a minute.
    let own = query_value(port, "60 * sum(rate(auth_login_failures_total[5m]))").unwrap();
    assert!(value("login-failures") > 50.0, "{json}");
    assert!(
        (value("login-failures") - own).abs() < own / 2.0,
        "{json} vs {own}"
    );
    assert_eq!(metric("login-failures")["state"], "critical");
    assert!(value("webhook-failures").abs() < 1e-9, "{json}");
    assert_eq!(metric("webhook-failures")["state"], "ok");
    assert_eq!(out.status.code(), Some(2), "CRITICAL wins");
}
