//! What each kind of target receives: PagerDuty's Events API v2 body, a
//! Slack message, the JSON document of a webhook (signed the Standard
//! Webhooks way) or a command's standard input, an anchor file's line.
//! Secrets are read from the environment here, at the last moment, and
//! handed back so every error can be masked with them.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Utc};
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::catalog::notify::{Kind, Target, env_name};
use crate::outbox::{Notice, Subject, pager_severity, summary};

/// A value as the catalog wrote it: `${NAME}` read from the environment
/// (an unset or empty one is an error naming it), anything else as is.
pub fn resolve(value: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<String, String> {
    match env_name(value) {
        Some(name) => env(name)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| format!("environment variable {name} is not set")),
        None => Ok(value.to_owned()),
    }
}

/// The JSON document every webhook and command receives.
pub fn document(notice: &Notice, words: &crate::text::Words, now: DateTime<Utc>) -> Value {
    let mut data = serde_json::to_value(notice).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut data {
        map.insert("summary".into(), summary(notice, words).into());
    }
    json!({
        "type": format!("runbook.{}", notice.trigger.word()),
        "timestamp": crate::journal::entry::timestamp(now),
        "data": data,
    })
}

/// PagerDuty Events API v2: trigger, acknowledge or resolve the alert of
/// the run (its id is the dedup key, so one run is one alert).
pub fn pagerduty(
    notice: &Notice,
    routing_key: &str,
    link: Option<&str>,
    words: &crate::text::Words,
) -> Value {
    let action = notice.page_action();
    let dedup = notice
        .run
        .as_ref()
        .map_or_else(|| notice.key.clone(), |r| r.id.clone());
    let mut body = json!({
        "routing_key": routing_key,
        "event_action": action.word(),
        "dedup_key": dedup,
    });
    if action == crate::outbox::PageAction::Trigger {
        let run = notice.run.as_ref();
        body["payload"] = json!({
            "summary": clip(&summary(notice, words), 1024),
            "severity": pager_severity(notice.severity()),
            "source": run.map_or_else(host, |r| r.host.clone()),
            "timestamp": crate::journal::entry::timestamp(notice.at),
            "component": run.map(|r| r.procedure.clone()),
            "class": notice.trigger.word(),
            "custom_details": {
                "run": run.map(|r| r.id.clone()),
                "trigger": notice.trigger.word(),
                "by": run.map(|r| r.by.clone()),
                "join": run.map(|r| format!("runbook resume {}", r.id)),
            },
        });
        if let (Some(link), Some(run)) = (link, run) {
            body["links"] = json!([{
                "href": link.replace("{run}", &run.id),
                "text": format!("run {}", run.id),
            }]);
        }
    }
    body
}

/// A Slack incoming webhook's message.
pub fn slack(notice: &Notice, words: &crate::text::Words) -> Value {
    let mark = match &notice.subject {
        Subject::DeadlineMissed { .. } | Subject::MetricCritical { .. } => ":rotating_light: ",
        Subject::StepFailed { .. }
        | Subject::DutyOverdue { .. }
        | Subject::PostmortemOverdue { .. }
        | Subject::FollowupOverdue { .. } => ":warning: ",
        Subject::RunFinished => ":white_check_mark: ",
        _ => "",
    };
    json!({ "text": format!("{mark}{}", slack_escape(&summary(notice, words))) })
}

/// Slack reads `<`, `>` and `&` as markup: a note cannot make a link.
fn slack_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The three Standard Webhooks headers for `body` sent as message `id`
/// at `timestamp`: the signature is `v1,` and the base64 HMAC-SHA256 of
/// `id.timestamp.body` keyed with the secret (a `whsec_` secret is the
/// base64 of the key, as the specification writes it).
pub fn webhook_headers(
    id: &str,
    timestamp: i64,
    body: &[u8],
    secret: &str,
) -> Result<[(&'static str, String); 3], String> {
    let key = match secret.strip_prefix("whsec_") {
        Some(encoded) => STANDARD
            .decode(encoded)
            .map_err(|_| "the webhook secret after `whsec_` is not base64".to_owned())?,
        None => secret.as_bytes().to_vec(),
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(&key)
        .map_err(|_| "the webhook secret cannot key an HMAC".to_owned())?;
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    let signature = STANDARD.encode(mac.finalize().into_bytes());
    Ok([
        ("webhook-id", id.to_owned()),
        ("webhook-timestamp", timestamp.to_string()),
        ("webhook-signature", format!("v1,{signature}")),
    ])
}

/// An anchor file's line: the head, and where it came from.
pub fn anchor_line(notice: &Notice, journal: &str, now: DateTime<Utc>) -> Option<String> {
    let Subject::Head { seq, hash } = &notice.subject else {
        return None;
    };
    Some(
        json!({
            "seq": seq,
            "hash": hash,
            "journal": journal,
            "host": host(),
            "at": crate::journal::entry::timestamp(now),
        })
        .to_string(),
    )
}

/// The secret values a target's sending reads: masked in every error.
pub fn secrets(target: &Target, env: &dyn Fn(&str) -> Option<String>) -> Vec<String> {
    let named: Vec<&str> = match &target.kind {
        Kind::Pagerduty {
            routing_key, url, ..
        } => vec![routing_key, url],
        Kind::Slack { url } => vec![url],
        Kind::Webhook { url, secret } => vec![url, secret],
        Kind::Email(email) => email
            .username
            .iter()
            .chain(&email.password)
            .map(String::as_str)
            .collect(),
        Kind::Command { .. } | Kind::File { .. } => Vec::new(),
    };
    named
        .into_iter()
        .filter(|v| env_name(v).is_some())
        .filter_map(|v| resolve(v, env).ok())
        .collect()
}

/// `text` with every secret value replaced.
pub fn mask(text: &str, secrets: &[String]) -> String {
    let mut masked = text.to_owned();
    for secret in secrets.iter().filter(|s| s.len() >= 4) {
        masked = masked.replace(secret.as_str(), "[redacted]");
    }
    masked
}

fn clip(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_owned()
}

fn host() -> String {
    crate::store::whoami::detect(|n| std::env::var(n).ok()).host
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_over_id_timestamp_and_body() {
        // The Standard Webhooks specification's own example.
        let [_, _, (_, signature)] = webhook_headers(
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1_614_265_330,
            br#"{"test": 2432232314}"#,
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        )
        .unwrap();
        assert_eq!(signature, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn a_secret_never_survives_masking() {
        let masked = mask(
            "error sending to https://hooks.example/T0/B0/s3cr3t-token",
            &["https://hooks.example/T0/B0/s3cr3t-token".to_owned()],
        );
        assert_eq!(masked, "error sending to [redacted]");
    }

    #[test]
    fn an_unset_variable_is_named() {
        let err = resolve("${PD_KEY}", &|_| None).unwrap_err();
        assert!(err.contains("PD_KEY"), "{err}");
        assert_eq!(resolve("https://x", &|_| None).unwrap(), "https://x");
    }
}
