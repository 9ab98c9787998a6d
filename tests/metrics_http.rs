//! Metric sources against real HTTP servers on 127.0.0.1: good answers,
//! 500s, answers slower than the timeout, malformed JSON, NaN and
//! infinities, empty result vectors, a refused token; and the
//! monitoring-plugin exit codes of `runbook metrics`.

// Helpers of tests may unwrap: a failure there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Reply, Server, prometheus};

fn metric(id: &str, source: &str, alert: f64, critical: f64) -> String {
    format!(
        "[[metric]]\nid = \"{id}\"\ntitle = \"{id}\"\nunit = \"%\"\nalert = {alert}\ncritical = {critical}\nsource = {source}\n"
    )
}

fn metrics(
    catalog: &Path,
    env: &[(&str, &str)],
    args: &[&str],
) -> (Option<i32>, serde_json::Value, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_runbook"));
    command
        .args(["--catalog", catalog.to_str().unwrap(), "metrics", "--json"])
        .args(args)
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .env("RUNBOOK_JOURNAL", catalog.with_extension("jsonl"))
        .env_remove("RUNBOOK_PROMETHEUS_URL")
        .env_remove("RUNBOOK_PROMETHEUS_TOKEN");
    for (k, v) in env {
        command.env(k, v);
    }
    let out = command.output().unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (
        out.status.code(),
        json,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn state<'a>(json: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    json.as_array()
        .unwrap()
        .iter()
        .find(|m| m["metric"] == id)
        .unwrap()
}

#[test]
fn every_kind_of_answer_gets_its_state_and_reason() {
    let server = Server::start();
    server.set("/ok", Reply::json(r#"{"errors":{"rate":0.4}}"#));
    server.set("/alert", Reply::json(r#"{"errors":{"rate":"3.5"}}"#));
    server.set("/critical", Reply::json(r#"{"errors":{"rate":12}}"#));
    server.set(
        "/fail",
        Reply {
            status: 500,
            ..Reply::json("{}")
        },
    );
    server.set(
        "/slow",
        Reply {
            delay: Duration::from_secs(3),
            ..Reply::json(r#"{"errors":{"rate":0}}"#)
        },
    );
    server.set("/garbage", Reply::json("{not json"));
    server.set(
        "/api/v1/query",
        Reply {
            token: Some("s3cret-token".into()),
            ..Reply::json(&prometheus("NaN"))
        },
    );
    let dir = tempfile::tempdir().unwrap();
    let catalog = dir.path().join("metrics.toml");
    let json_source = |path: &str| {
        format!(
            r#"{{ kind = "http_json", url = "${{BASE}}{path}", pointer = "/errors/rate", timeout = "1s", retries = 0 }}"#
        )
    };
    let mut text = String::new();
    for (id, path) in [
        ("ok", "/ok"),
        ("alert", "/alert"),
        ("critical", "/critical"),
        ("fail", "/fail"),
        ("slow", "/slow"),
        ("garbage", "/garbage"),
    ] {
        text.push_str(&metric(id, &json_source(path), 1.0, 5.0));
    }
    let prom = r#"{ kind = "prometheus", url = "${RUNBOOK_PROMETHEUS_URL}", query = "rate(errors[5m])", token = "${RUNBOOK_PROMETHEUS_TOKEN}", timeout = "1s", retries = 0 }"#;
    text.push_str(&metric("nan", prom, 1.0, 5.0));
    text.push_str(&metric("unreachable", r#"{ kind = "http_json", url = "http://127.0.0.1:9/x", pointer = "/v", timeout = "1s", retries = 0 }"#, 1.0, 5.0));
    text.push_str(&metric(
        "unset",
        r#"{ kind = "http_json", url = "${NOT_SET_ANYWHERE}/x", pointer = "/v", retries = 0 }"#,
        1.0,
        5.0,
    ));
    std::fs::write(&catalog, text).unwrap();

    let base = server.url();
    let env = [
        ("BASE", base.as_str()),
        ("RUNBOOK_PROMETHEUS_URL", base.as_str()),
        ("RUNBOOK_PROMETHEUS_TOKEN", "s3cret-token"),
    ];
    let started = Instant::now();
    let (code, json, stderr) = metrics(&catalog, &env, &[]);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "polling took {:?}",
        started.elapsed()
    );
    assert_eq!(code, Some(2), "critical is the worst: {json}\n{stderr}");
    assert_eq!(state(&json, "ok")["state"], "ok");
    assert_eq!(state(&json, "ok")["value"], 0.4);
    assert_eq!(state(&json, "alert")["state"], "alert");
    assert_eq!(state(&json, "critical")["state"], "critical");
    let reason = |id: &str| {
        state(&json, id)["reason"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(reason("fail"), "the source answered HTTP 500");
    assert_eq!(reason("slow"), "no answer within 1s");
    assert!(
        reason("garbage").starts_with("the answer is not JSON"),
        "{}",
        reason("garbage")
    );
    assert!(reason("nan").contains("NaN"), "{}", reason("nan"));
    assert_eq!(reason("unreachable"), "cannot connect to the source");
    // A source waiting for a variable is not read, and says what to set.
    assert_eq!(state(&json, "unset")["state"], "unconfigured");
    assert_eq!(state(&json, "unset")["needs"], "NOT_SET_ANYWHERE");
    let everything = format!("{json}{stderr}");
    assert!(!everything.contains("s3cret-token"), "the token leaked");
}

#[test]
fn prometheus_answers_empty_infinite_and_refused() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let catalog = dir.path().join("p.toml");
    let prom = r#"{ kind = "prometheus", url = "${RUNBOOK_PROMETHEUS_URL}", query = "up", token = "${RUNBOOK_PROMETHEUS_TOKEN}", retries = 0 }"#;
    std::fs::write(&catalog, metric("p", prom, 1.0, 5.0)).unwrap();
    let base = server.url();
    let cases = [
        (
            r#"{"status":"success","data":{"resultType":"vector","result":[]}}"#.to_owned(),
            "right",
            "no series",
        ),
        (prometheus("+Inf"), "right", "inf"),
        (
            prometheus("0.2"),
            "wrong",
            "the token was refused (HTTP 401)",
        ),
    ];
    for (body, token, expected) in cases {
        server.set(
            "/api/v1/query",
            Reply {
                token: Some("right".into()),
                ..Reply::json(&body)
            },
        );
        let env = [
            ("RUNBOOK_PROMETHEUS_URL", base.as_str()),
            ("RUNBOOK_PROMETHEUS_TOKEN", token),
        ];
        let (code, json, _) = metrics(&catalog, &env, &[]);
        assert_eq!(code, Some(3), "{json}");
        let reason = json[0]["reason"].as_str().unwrap();
        assert!(reason.contains(expected), "{reason} should say {expected}");
    }
    server.set(
        "/api/v1/query",
        Reply {
            token: Some("right".into()),
            ..Reply::json(&prometheus("0.2"))
        },
    );
    let env = [
        ("RUNBOOK_PROMETHEUS_URL", base.as_str()),
        ("RUNBOOK_PROMETHEUS_TOKEN", "right"),
    ];
    let (code, json, _) = metrics(&catalog, &env, &[]);
    assert_eq!(code, Some(0), "{json}");
    assert_eq!(json[0]["value"], 0.2);
}

#[test]
fn exit_codes_follow_the_monitoring_plugin_convention() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let catalog = dir.path().join("c.toml");
    let source = r#"{ kind = "http_json", url = "${BASE}/v", pointer = "/v", retries = 0 }"#;
    std::fs::write(&catalog, metric("v", source, 1.0, 5.0)).unwrap();
    let base = server.url();
    for (value, code) in [("0.5", 0), ("2", 1), ("9", 2)] {
        server.set("/v", Reply::json(&format!(r#"{{"v":{value}}}"#)));
        let (got, json, _) = metrics(&catalog, &[("BASE", base.as_str())], &["--once"]);
        assert_eq!(got, Some(code), "{value}: {json}");
    }
    // Nothing configured: UNKNOWN, and a hint on what to set.
    let bundled = Command::new(env!("CARGO_BIN_EXE_runbook"))
        .args(["metrics"])
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .output()
        .unwrap();
    assert_eq!(bundled.status.code(), Some(3));
    let said = String::from_utf8_lossy(&bundled.stdout);
    assert_eq!(
        said.matches(
            "not configured: set RUNBOOK_PROMETHEUS_URL or give it a source in your site file"
        )
        .count(),
        4,
        "each bundled metric says what to set: {said}"
    );
    assert!(String::from_utf8_lossy(&bundled.stderr).contains("RUNBOOK_PROMETHEUS_URL"));

    // One metric waiting for its variable does not make the whole UNKNOWN.
    let mut text = metric("v", source, 1.0, 5.0);
    text.push_str(&metric(
        "elsewhere",
        r#"{ kind = "http_json", url = "${NOT_HERE}/v", pointer = "/v" }"#,
        1.0,
        5.0,
    ));
    std::fs::write(&catalog, text).unwrap();
    server.set("/v", Reply::json(r#"{"v":0.5}"#));
    let (code, json, _) = metrics(&catalog, &[("BASE", base.as_str())], &["--once"]);
    assert_eq!(code, Some(0), "{json}");
    assert_eq!(state(&json, "elsewhere")["state"], "unconfigured");
    assert_eq!(state(&json, "elsewhere")["needs"], "NOT_HERE");
}

#[test]
fn command_sources_are_read_and_killed_on_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = dir.path().join("cmd.toml");
    let mut text = metric(
        "echo",
        r#"{ kind = "command", argv = ["sh", "-c", "echo 'errors: 7'"] }"#,
        1.0,
        5.0,
    );
    text.push_str(&metric(
        "hang",
        r#"{ kind = "command", argv = ["sleep", "30"], timeout = "1s", retries = 0 }"#,
        1.0,
        5.0,
    ));
    text.push_str(&metric(
        "fails",
        r#"{ kind = "command", argv = ["sh", "-c", "echo broken >&2; exit 3"], retries = 0 }"#,
        1.0,
        5.0,
    ));
    std::fs::write(&catalog, text).unwrap();
    let started = Instant::now();
    let (code, json, _) = metrics(&catalog, &[], &[]);
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(code, Some(2));
    assert_eq!(state(&json, "echo")["value"], 7.0);
    assert!(
        state(&json, "hang")["reason"]
            .as_str()
            .unwrap()
            .contains("no answer within 1s (killed)")
    );
    assert!(
        state(&json, "fails")["reason"]
            .as_str()
            .unwrap()
            .contains("broken")
    );
}

/// A hung endpoint delays only itself: the other metric's readings keep
/// coming at its own interval.
#[test]
fn a_hung_source_never_delays_another() {
    let server = Server::start();
    server.set(
        "/hung",
        Reply {
            delay: Duration::from_secs(20),
            ..Reply::json(r#"{"v":1}"#)
        },
    );
    server.set("/fast", Reply::json(r#"{"v":0.1}"#));
    let dir = tempfile::tempdir().unwrap();
    let catalog = dir.path().join("w.toml");
    let mut text = metric(
        "hung",
        r#"{ kind = "http_json", url = "${BASE}/hung", pointer = "/v", timeout = "30s", interval = "1s" }"#,
        1.0,
        5.0,
    );
    text.push_str(&metric(
        "fast",
        r#"{ kind = "http_json", url = "${BASE}/fast", pointer = "/v", interval = "1s" }"#,
        1.0,
        5.0,
    ));
    std::fs::write(&catalog, text).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_runbook"))
        .args(["--catalog", catalog.to_str().unwrap(), "metrics", "--watch"])
        .env("BASE", server.url())
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut fast = 0;
    while fast < 3 {
        let line = lines.next().unwrap().unwrap();
        assert!(!line.contains(" hung "), "the hung source answered: {line}");
        if line.contains(" fast ok ") {
            fast += 1;
        }
    }
    let elapsed = started.elapsed();
    child.kill().unwrap();
    let _ = child.wait();
    assert!(
        elapsed < Duration::from_secs(8),
        "three fast readings took {elapsed:?}"
    );
}
