//! One attempt at one notification, and what it came to: delivered (with
//! the receiver's answer), worth retrying (after how long, when the
//! receiver said), or refused for good. A 4xx other than 408 and 429 is
//! the receiver saying no: sending it again would not change its mind.

use std::io::Write as _;
use std::time::Duration;

use chrono::Utc;
use tokio::io::AsyncWriteExt;

use super::payload::{self, mask, resolve};
use crate::catalog::notify::{Kind, Target};
use crate::outbox::Notice;

pub use super::attempt::{Attempt, Http, Tools};

pub async fn attempt(target: &Target, notice: &Notice, tools: &Tools<'_>) -> Attempt {
    let secrets = payload::secrets(target, tools.env);
    let outcome = match send(target, notice, tools).await {
        Ok(attempt) => attempt,
        // A value missing from the environment: nothing to retry at once.
        Err(error) => Attempt::Retry { error, after: None },
    };
    match outcome {
        Attempt::Sent { answer } => Attempt::Sent {
            answer: mask(&answer, &secrets),
        },
        Attempt::Retry { error, after } => Attempt::Retry {
            error: mask(&error, &secrets),
            after,
        },
        Attempt::Refused { error } => Attempt::Refused {
            error: mask(&error, &secrets),
        },
    }
}

async fn send(target: &Target, notice: &Notice, tools: &Tools<'_>) -> Result<Attempt, String> {
    let env = tools.env;
    let timeout = Duration::from_secs(target.timeout.as_secs().max(1));
    let now = Utc::now();
    Ok(match &target.kind {
        Kind::Pagerduty {
            routing_key,
            url,
            link,
        } => {
            let key = resolve(routing_key, env)?;
            let body = payload::pagerduty(notice, &key, link.as_deref(), tools.words);
            let request = tools
                .client
                .get()?
                .post(resolve(url, env)?)
                .json_body(&body);
            http(request, timeout).await
        }
        Kind::Slack { url } => {
            let body = payload::slack(notice, tools.words);
            let request = tools
                .client
                .get()?
                .post(resolve(url, env)?)
                .json_body(&body);
            http(request, timeout).await
        }
        Kind::Webhook { url, secret } => {
            let body = payload::document(notice, tools.words, now).to_string();
            let headers = payload::webhook_headers(
                &notice.key,
                now.timestamp(),
                body.as_bytes(),
                &resolve(secret, env)?,
            )?;
            let mut request = tools
                .client
                .get()?
                .post(resolve(url, env)?)
                .header("content-type", "application/json");
            for (name, value) in headers {
                request = request.header(name, value);
            }
            http(request.body(body), timeout).await
        }
        Kind::Command { argv } => {
            let body = payload::document(notice, tools.words, now).to_string();
            command(argv, &notice.key, body.as_bytes(), timeout).await
        }
        Kind::File { path } => {
            let line = payload::anchor_line(notice, tools.journal, now)
                .unwrap_or_else(|| payload::document(notice, tools.words, now).to_string());
            append_line(&resolve(path, env)?, &line)
        }
        Kind::Email(email) => super::email::send(email, notice, tools, timeout).await?,
    })
}

trait JsonBody {
    fn json_body(self, body: &serde_json::Value) -> Self;
}

impl JsonBody for reqwest::RequestBuilder {
    fn json_body(self, body: &serde_json::Value) -> Self {
        self.header("content-type", "application/json")
            .body(body.to_string())
    }
}

async fn http(request: reqwest::RequestBuilder, timeout: Duration) -> Attempt {
    let response = match request.timeout(timeout).send().await {
        Ok(response) => response,
        // The URL can hold a secret (a Slack webhook's does): never say it.
        Err(e) => {
            return Attempt::Retry {
                error: e.without_url().to_string(),
                after: None,
            };
        }
    };
    let status = response.status();
    let after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| retry_after(v, Utc::now()));
    let body = response.text().await.unwrap_or_default();
    let answer = format!("{} {}", status.as_u16(), first_line(&body, 200))
        .trim_end()
        .to_owned();
    if status.is_success() {
        Attempt::Sent { answer }
    } else if status.as_u16() == 429 || status.as_u16() == 408 || status.is_server_error() {
        Attempt::Retry {
            error: answer,
            after,
        }
    } else {
        Attempt::Refused { error: answer }
    }
}

/// `Retry-After` in seconds, or as an HTTP date.
pub fn retry_after(value: &str, now: chrono::DateTime<Utc>) -> Option<Duration> {
    if let Ok(secs) = value.trim().parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value.trim()).ok()?;
    (at.with_timezone(&Utc) - now).to_std().ok()
}

fn first_line(text: &str, max: usize) -> String {
    let line = text.lines().next().unwrap_or("");
    line.chars().take(max).collect()
}

async fn command(argv: &[String], key: &str, input: &[u8], timeout: Duration) -> Attempt {
    let Some((program, rest)) = argv.split_first() else {
        return Attempt::Refused {
            error: "no program".into(),
        };
    };
    let spawned = tokio::process::Command::new(program)
        .args(rest)
        .env("RUNBOOK_NOTIFY_KEY", key)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(e) => {
            return Attempt::Retry {
                error: format!("{program}: {e}"),
                after: None,
            };
        }
    };
    if let Some(mut stdin) = child.stdin.take() {
        // A program that does not read its input still gets to answer.
        let _ = stdin.write_all(input).await;
    }
    match tokio::time::timeout(timeout, child.wait_with_output()).await {
        Err(_) => Attempt::Retry {
            error: format!("{program}: no answer in {}s", timeout.as_secs()),
            after: None,
        },
        Ok(Err(e)) => Attempt::Retry {
            error: format!("{program}: {e}"),
            after: None,
        },
        Ok(Ok(output)) => {
            let said = String::from_utf8_lossy(if output.status.success() {
                &output.stdout
            } else {
                &output.stderr
            })
            .into_owned();
            let answer = format!("{} {}", output.status, first_line(&said, 200))
                .trim_end()
                .to_owned();
            if output.status.success() {
                Attempt::Sent { answer }
            } else {
                Attempt::Retry {
                    error: answer,
                    after: None,
                }
            }
        }
    }
}

/// Appends one line to an anchor file, durably: opened for appending
/// only, so this process can add heads but never rewrite one.
fn append_line(path: &str, line: &str) -> Attempt {
    let written = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
        .and_then(|mut file| {
            file.write_all(format!("{line}\n").as_bytes())?;
            file.sync_data()
        });
    match written {
        Ok(()) => Attempt::Sent {
            answer: format!("appended to {path}"),
        },
        Err(e) => Attempt::Retry {
            error: format!("{path}: {e}"),
            after: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-25T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(retry_after("3", now), Some(Duration::from_secs(3)));
        assert_eq!(
            retry_after("Wed, 25 Nov 2026 10:00:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(retry_after("soon", now), None);
    }
}
