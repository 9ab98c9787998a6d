//! Reading one value from a source: a Prometheus instant query, a number
//! in a JSON document over HTTP, or a local command's output. Secrets
//! (`${VARIABLE}` in the URL or token) are resolved from the environment at
//! each poll and never appear in an error message.

use std::time::Duration;

use crate::catalog::{MetricSource, Polling};

/// Why a source gave no value. Never holds a URL or a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceError {
    UnclosedVariable,
    Unset {
        name: String,
    },
    NotFinite {
        value: String,
    },
    Timeout {
        seconds: String,
    },
    Connect,
    Http {
        detail: String,
    },
    TokenRefused {
        status: u16,
    },
    Status {
        status: u16,
    },
    NotJson {
        detail: String,
    },
    NotNumber {
        value: String,
    },
    PrometheusRefused {
        why: String,
    },
    NoSeries,
    ManySeries {
        count: usize,
    },
    ResultType {
        found: String,
    },
    NoNumber,
    EmptyCommand,
    CannotRun {
        program: String,
        detail: String,
    },
    CommandTimeout {
        program: String,
        seconds: String,
    },
    CommandFailed {
        program: String,
        detail: String,
    },
    /// A code, or the signal that ended it.
    CommandExit {
        program: String,
        code: Option<i32>,
        signal: Option<i32>,
        first: String,
    },
    NothingAt {
        pointer: String,
    },
}

impl SourceError {
    /// The failure in the operator's words.
    pub fn text(&self, words: &crate::text::Words) -> String {
        let w = words.metrics;
        match self {
            SourceError::UnclosedVariable => w.unclosed.to_owned(),
            SourceError::Unset { name } => (w.unset)(name),
            SourceError::NotFinite { value } => (w.not_finite)(value),
            SourceError::Timeout { seconds } => (w.timeout)(seconds),
            SourceError::Connect => w.connect.to_owned(),
            SourceError::Http { detail } => (w.http)(detail),
            SourceError::TokenRefused { status } => (w.token_refused)(*status),
            SourceError::Status { status } => (w.status)(*status),
            SourceError::NotJson { detail } => (w.not_json)(detail),
            SourceError::NotNumber { value } => (w.not_number)(value),
            SourceError::PrometheusRefused { why } => (w.prometheus_refused)(why),
            SourceError::NoSeries => w.no_series.to_owned(),
            SourceError::ManySeries { count } => (w.many_series)(*count),
            SourceError::ResultType { found } => (w.result_type)(found),
            SourceError::NoNumber => w.no_number.to_owned(),
            SourceError::EmptyCommand => w.empty_command.to_owned(),
            SourceError::CannotRun { program, detail } => (w.cannot_run)(program, detail),
            SourceError::CommandTimeout { program, seconds } => {
                (w.command_timeout)(program, seconds)
            }
            SourceError::CommandFailed { program, detail } => (w.command_failed)(program, detail),
            SourceError::CommandExit {
                program,
                code,
                signal,
                first,
            } => {
                let how = match (code, signal) {
                    (Some(code), _) => (w.exit_code)(*code),
                    (None, Some(signal)) => (w.exit_signal)(*signal),
                    (None, None) => "?".to_owned(),
                };
                (w.command_exit)(program, &how, first)
            }
            SourceError::NothingAt { pointer } => (w.nothing_at)(pointer),
        }
    }

    /// Whether another attempt could mend it: a missing variable or a
    /// refused token or query will not.
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            SourceError::Unset { .. }
                | SourceError::TokenRefused { .. }
                | SourceError::PrometheusRefused { .. }
        )
    }
}

impl std::fmt::Display for SourceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(&crate::text::words::EN))
    }
}

impl serde::Serialize for SourceError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Resolves every `${NAME}` in `text` from `env`.
pub fn expand(text: &str, env: &impl Fn(&str) -> Option<String>) -> Result<String, SourceError> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find('}').ok_or(SourceError::UnclosedVariable)?;
        let name = &after[..end];
        let value = env(name)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| SourceError::Unset {
                name: name.to_owned(),
            })?;
        out.push_str(&value);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The first environment variable the source needs and `env` lacks: a
/// metric whose source waits on one is not configured here, rather than
/// failing every poll.
pub fn missing(source: &MetricSource, env: &impl Fn(&str) -> Option<String>) -> Option<String> {
    let texts: Vec<&str> = match source {
        MetricSource::Prometheus { url, token, .. } | MetricSource::HttpJson { url, token, .. } => {
            std::iter::once(url.as_str())
                .chain(token.as_deref())
                .collect()
        }
        MetricSource::Command { argv, .. } => argv.iter().map(String::as_str).collect(),
        MetricSource::Scenario { .. } => Vec::new(),
    };
    texts
        .into_iter()
        .flat_map(crate::catalog::vars::uses)
        .map(|(_, name)| name)
        .find(|name| env(name).is_none_or(|v| v.is_empty()))
        .map(str::to_owned)
}

/// Marks each metric whose source needs a variable `env` lacks, once at
/// start, so every front end and the decisions agree on what is read.
pub fn configure(catalog: &mut crate::catalog::Catalog, env: &impl Fn(&str) -> Option<String>) {
    for metric in &mut catalog.metrics {
        metric.needs = metric.source.as_ref().and_then(|s| missing(s, env));
    }
}

pub fn polling(source: &MetricSource) -> &Polling {
    match source {
        MetricSource::Prometheus { polling, .. }
        | MetricSource::HttpJson { polling, .. }
        | MetricSource::Command { polling, .. }
        | MetricSource::Scenario { polling } => polling,
    }
}

fn finite(value: f64) -> Result<f64, SourceError> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(SourceError::NotFinite {
            value: value.to_string(),
        })
    }
}

/// Describes a transport error without its URL (which may carry secrets).
fn http_error(error: &reqwest::Error, timeout: Duration) -> SourceError {
    if error.is_timeout() {
        SourceError::Timeout {
            seconds: timeout.as_secs_f64().to_string(),
        }
    } else if error.is_connect() {
        SourceError::Connect
    } else {
        SourceError::Http {
            detail: error
                .to_string()
                .replace(error.url().map_or("", |u| u.as_str()), "<url>"),
        }
    }
}

async fn get(
    client: &reqwest::Client,
    url: &str,
    token: Option<&str>,
    query: Option<(&str, &str)>,
    timeout: Duration,
) -> Result<serde_json::Value, SourceError> {
    let mut request = client.get(url).timeout(timeout);
    if let Some(pair) = query {
        request = request.query(&[pair]);
    }
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.map_err(|e| http_error(&e, timeout))?;
    let status = response.status();
    if status == reqwest::StatusCode::UNAUTHORIZED || status == reqwest::StatusCode::FORBIDDEN {
        return Err(SourceError::TokenRefused {
            status: status.as_u16(),
        });
    }
    if !status.is_success() {
        return Err(SourceError::Status {
            status: status.as_u16(),
        });
    }
    let body = response
        .bytes()
        .await
        .map_err(|e| http_error(&e, timeout))?;
    serde_json::from_slice(&body).map_err(|e| SourceError::NotJson {
        detail: e.to_string(),
    })
}

fn number(value: &serde_json::Value) -> Result<f64, SourceError> {
    let parsed = match value {
        serde_json::Value::Number(n) => n.as_f64(),
        // Prometheus sends sample values as strings, "NaN" and "+Inf" included.
        serde_json::Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    finite(parsed.ok_or_else(|| SourceError::NotNumber {
        value: value.to_string(),
    })?)
}

/// The value of a Prometheus instant query's answer.
pub fn prometheus_value(answer: &serde_json::Value) -> Result<f64, SourceError> {
    if answer["status"] != "success" {
        let why = answer["error"].as_str().unwrap_or("-").to_owned();
        return Err(SourceError::PrometheusRefused { why });
    }
    let data = &answer["data"];
    match data["resultType"].as_str() {
        Some("scalar") => number(&data["result"][1]),
        Some("vector") => {
            let series = data["result"].as_array().map_or(0, Vec::len);
            match series {
                0 => Err(SourceError::NoSeries),
                1 => number(&data["result"][0]["value"][1]),
                count => Err(SourceError::ManySeries { count }),
            }
        }
        other => Err(SourceError::ResultType {
            found: format!("{other:?}"),
        }),
    }
}

/// The first number in a command's output.
pub fn first_number(output: &str) -> Result<f64, SourceError> {
    let value = output
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .find_map(|word| word.parse::<f64>().ok())
        .ok_or(SourceError::NoNumber)?;
    finite(value)
}

async fn run_command(argv: &[String], timeout: Duration) -> Result<f64, SourceError> {
    let Some((program, rest)) = argv.split_first() else {
        return Err(SourceError::EmptyCommand);
    };
    let child = tokio::process::Command::new(program)
        .args(rest)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| SourceError::CannotRun {
            program: program.clone(),
            detail: e.to_string(),
        })?;
    let output = tokio::time::timeout(timeout, child.wait_with_output())
        .await
        .map_err(|_| SourceError::CommandTimeout {
            program: program.clone(),
            seconds: timeout.as_secs_f64().to_string(),
        })?
        .map_err(|e| SourceError::CommandFailed {
            program: program.clone(),
            detail: e.to_string(),
        })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr.lines().next().unwrap_or("").trim();
        return Err(SourceError::CommandExit {
            program: program.clone(),
            code: output.status.code(),
            signal: std::os::unix::process::ExitStatusExt::signal(&output.status),
            first: first.to_owned(),
        });
    }
    first_number(&String::from_utf8_lossy(&output.stdout))
}

/// One attempt at reading the source.
pub async fn read_once(
    client: &reqwest::Client,
    source: &MetricSource,
    env: &impl Fn(&str) -> Option<String>,
) -> Result<f64, SourceError> {
    let timeout = polling(source)
        .timeout
        .to_chrono()
        .to_std()
        .unwrap_or(Duration::from_secs(5));
    match source {
        MetricSource::Prometheus {
            url, query, token, ..
        } => {
            let base = expand(url, env)?;
            let token = token.as_deref().map(|t| expand(t, env)).transpose()?;
            let endpoint = format!("{}/api/v1/query", base.trim_end_matches('/'));
            let answer = get(
                client,
                &endpoint,
                token.as_deref(),
                Some(("query", query)),
                timeout,
            )
            .await?;
            prometheus_value(&answer)
        }
        MetricSource::HttpJson {
            url,
            pointer,
            token,
            ..
        } => {
            let url = expand(url, env)?;
            let token = token.as_deref().map(|t| expand(t, env)).transpose()?;
            let answer = get(client, &url, token.as_deref(), None, timeout).await?;
            let value = answer
                .pointer(pointer)
                .ok_or_else(|| SourceError::NothingAt {
                    pointer: pointer.clone(),
                })?;
            number(value)
        }
        MetricSource::Command { argv, .. } => run_command(argv, timeout).await,
        // A drill's metric is never read from anywhere.
        MetricSource::Scenario { .. } => Err(SourceError::NoSeries),
    }
}

/// Reads the source with its retries, backing off between attempts; the
/// last error when every attempt failed.
pub async fn read(
    client: &reqwest::Client,
    source: &MetricSource,
    env: &impl Fn(&str) -> Option<String>,
) -> Result<f64, SourceError> {
    let retries = polling(source).retries;
    let mut backoff = Duration::from_millis(200);
    let mut attempt = 0;
    loop {
        match read_once(client, source, env).await {
            Ok(value) => return Ok(value),
            // A missing variable or a refused token will not mend by retrying.
            Err(e) if attempt >= retries || e.is_final() => {
                return Err(e);
            }
            Err(_) => {
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_secs(5));
                attempt += 1;
            }
        }
    }
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .user_agent(concat!("runbook/", env!("CARGO_PKG_VERSION")))
        .build()
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_expand_and_missing_ones_are_named() {
        let env = |n: &str| (n == "URL").then(|| "http://127.0.0.1:9090".to_owned());
        assert_eq!(expand("${URL}/x", &env).unwrap(), "http://127.0.0.1:9090/x");
        assert_eq!(expand("plain", &env).unwrap(), "plain");
        assert!(
            expand("${TOKEN}", &env)
                .unwrap_err()
                .to_string()
                .contains("TOKEN is not set")
        );
        assert!(expand("${URL", &env).is_err());
    }

    #[test]
    fn prometheus_answers_are_read_strictly() {
        let vector = |result: serde_json::Value| serde_json::json!({"status": "success", "data": {"resultType": "vector", "result": result}});
        let one = vector(serde_json::json!([{"metric": {}, "value": [1.0, "2.5"]}]));
        assert_eq!(prometheus_value(&one), Ok(2.5));
        assert!(
            prometheus_value(&vector(serde_json::json!([])))
                .unwrap_err()
                .to_string()
                .contains("no series")
        );
        let nan = vector(serde_json::json!([{"metric": {}, "value": [1.0, "NaN"]}]));
        assert!(
            prometheus_value(&nan)
                .unwrap_err()
                .to_string()
                .contains("NaN")
        );
        let inf = vector(serde_json::json!([{"metric": {}, "value": [1.0, "+Inf"]}]));
        assert!(
            prometheus_value(&inf)
                .unwrap_err()
                .to_string()
                .contains("inf")
        );
        let scalar = serde_json::json!({"status": "success", "data": {"resultType": "scalar", "result": [1.0, "7"]}});
        assert_eq!(prometheus_value(&scalar), Ok(7.0));
        let error = serde_json::json!({"status": "error", "error": "parse error"});
        assert!(
            prometheus_value(&error)
                .unwrap_err()
                .to_string()
                .contains("parse error")
        );
    }

    #[test]
    fn commands_print_numbers() {
        assert_eq!(first_number("errors: 12 of 100\n"), Ok(12.0));
        assert_eq!(first_number("0.25"), Ok(0.25));
        assert!(first_number("none").is_err());
        assert!(first_number("inf").is_err());
    }
}
