//! Reading `[[notify]]` targets: their kind, triggers, and the secrets
//! they name from the environment (never their values).

use super::diagnostic::Diagnostic;
use super::duration::Duration;
use super::notify::{ANCHOR_EVERY, Kind, PAGERDUTY_URL, Target, Trigger, env_name};
use super::parsed::Parsed;
use super::reader::{Reader, Table, Value};

/// What each kind is told when `on` is not written: a pager only pages
/// (and acknowledges, resolves, and says a deadline was missed); chat and
/// programs hear everything but the heads; a file keeps heads.
fn default_on(kind: &str) -> Vec<Trigger> {
    use Trigger::{
        Anchor, DeadlineMissed, Responded, RunAborted, RunFinished, RunStarted, Severity,
    };
    match kind {
        "pagerduty" => vec![
            RunStarted,
            Severity,
            Responded,
            DeadlineMissed,
            RunFinished,
            RunAborted,
        ],
        "file" => vec![Anchor],
        // People's inboxes hear what they are written for: the updates.
        "email" => vec![Trigger::StatusUpdate],
        _ => Trigger::ALL.into_iter().filter(|t| *t != Anchor).collect(),
    }
}

const KEYS: &[&str] = &[
    "id",
    "kind",
    "on",
    "severities",
    "drill",
    "every",
    "timeout",
    "url",
    "routing_key",
    "link",
    "secret",
    "argv",
    "path",
    "host",
    "port",
    "tls",
    "from",
    "to",
    "username",
    "password",
    "ca_file",
];

pub fn target(reader: &mut Reader, parsed: &mut Parsed, value: Value<'_, '_>) {
    let Some(table) = reader.table(value, "a notification target", KEYS) else {
        return;
    };
    let id = reader.req_id(table, "id");
    if let Some(id) = &id {
        parsed.define("notify", None, id, reader);
    }
    let kinds = ["pagerduty", "slack", "webhook", "command", "file", "email"];
    let kind_name = reader
        .required(table, "kind", "\"pagerduty\"")
        .and_then(|v| reader.choice(v, &kinds))
        .map(|(_, k)| k);
    let kind = kind_name.and_then(|k| kind(reader, table, k));
    let on = match table.get("on") {
        None => kind_name.map(default_on).unwrap_or_default(),
        Some(_) => triggers(reader, table),
    };
    let severities = match table.get("severities") {
        Some(_) => reader
            .string_list(table, "severities")
            .into_iter()
            .map(toml::Spanned::into_inner)
            .collect(),
        // P1 and P2 page; lesser ones wait for the morning.
        None if kind_name == Some("pagerduty") => vec!["P1".to_owned(), "P2".to_owned()],
        None => Vec::new(),
    };
    let drill = reader.opt_bool(table, "drill");
    let every = reader.opt_duration(table, "every").unwrap_or(ANCHOR_EVERY);
    let timeout = reader
        .opt_duration(table, "timeout")
        .unwrap_or(Duration::from_secs(10));
    let (Some(id), Some(kind)) = (id, kind) else {
        return;
    };
    parsed.catalog.notify.push(Target {
        origin: reader.origin(id.span()),
        id: id.into_inner(),
        kind,
        on,
        severities,
        drill,
        every,
        timeout,
    });
}

fn triggers(reader: &mut Reader, table: Table<'_, '_>) -> Vec<Trigger> {
    let words: Vec<&str> = Trigger::ALL.iter().map(|t| t.word()).collect();
    let mut on = Vec::new();
    for item in reader.opt_array(table, "on") {
        if let Some((index, _)) = reader.choice(item, &words) {
            on.push(Trigger::ALL[index]);
        }
    }
    on
}

fn kind(reader: &mut Reader, table: Table<'_, '_>, kind: &str) -> Option<Kind> {
    match kind {
        "pagerduty" => {
            let routing_key = secret(reader, table, "routing_key")?;
            let url = match table.get("url") {
                Some(v) => reader.string(v)?,
                None => PAGERDUTY_URL.to_owned(),
            };
            let link = reader
                .opt_string(table, "link")
                .map(toml::Spanned::into_inner);
            Some(Kind::Pagerduty {
                routing_key,
                url,
                link,
            })
        }
        "slack" => Some(Kind::Slack {
            url: secret(reader, table, "url")?,
        }),
        "webhook" => {
            let url = reader.req_string(table, "url")?.into_inner();
            let secret = secret(reader, table, "secret")?;
            Some(Kind::Webhook { url, secret })
        }
        "command" => {
            let argv: Vec<String> = reader
                .string_list(table, "argv")
                .into_iter()
                .map(toml::Spanned::into_inner)
                .collect();
            if argv.is_empty() {
                let span = table
                    .get("argv")
                    .map_or_else(|| table.span(), toml::Spanned::span);
                reader.error_help(
                    "bad-notify",
                    span,
                    "a command target needs the program to run",
                    "add `argv = [\"/usr/local/bin/notify-mail\", \"oncall@example.org\"]`",
                );
                return None;
            }
            Some(Kind::Command { argv })
        }
        "email" => email(reader, table).map(Kind::Email),
        _ => Some(Kind::File {
            path: reader.req_string(table, "path")?.into_inner(),
        }),
    }
}

fn email(reader: &mut Reader, table: Table<'_, '_>) -> Option<super::notify::Email> {
    use super::notify::EmailTls;
    let host = reader.req_string(table, "host")?.into_inner();
    let tls = match table.get("tls") {
        None => EmailTls::Starttls,
        Some(v) => match reader.choice(v, &["starttls", "tls", "none"])?.1 {
            "tls" => EmailTls::Tls,
            "none" => EmailTls::None,
            _ => EmailTls::Starttls,
        },
    };
    let port = match table.get("port") {
        None => match tls {
            EmailTls::Tls => 465,
            EmailTls::Starttls => 587,
            EmailTls::None => 25,
        },
        Some(v) => match reader
            .opt_u32(table, "port")
            .and_then(|n| u16::try_from(n).ok())
        {
            Some(port) if port > 0 => port,
            _ => {
                reader.error_help(
                    "bad-notify",
                    v.span(),
                    "`port` is not a TCP port",
                    "write a number from 1 to 65535, e.g. `port = 587`",
                );
                return None;
            }
        },
    };
    let from = reader.req_string(table, "from")?.into_inner();
    let to: Vec<String> = reader
        .string_list(table, "to")
        .into_iter()
        .map(toml::Spanned::into_inner)
        .collect();
    if to.is_empty() {
        let span = table
            .get("to")
            .map_or_else(|| table.span(), toml::Spanned::span);
        reader.error_help(
            "bad-notify",
            span,
            "an email target needs whom to write to",
            "add `to = [\"cto@example.org\", \"support@example.org\"]`",
        );
        return None;
    }
    let username = table
        .get("username")
        .is_some()
        .then(|| secret(reader, table, "username"))
        .flatten();
    let password = table
        .get("password")
        .is_some()
        .then(|| secret(reader, table, "password"))
        .flatten();
    let ca_file = reader
        .opt_string(table, "ca_file")
        .map(toml::Spanned::into_inner);
    Some(super::notify::Email {
        host,
        port,
        tls,
        from,
        to,
        username,
        password,
        ca_file,
    })
}

/// A value that is a secret: written only as `${VARIABLE}`, so the
/// catalog (reviewed, diffed, shared) never holds it.
fn secret(reader: &mut Reader, table: Table<'_, '_>, key: &str) -> Option<String> {
    let value = reader.req_string(table, key)?;
    if env_name(value.get_ref()).is_some() {
        return Some(value.into_inner());
    }
    // The value itself is masked where the line is shown.
    let diagnostic = Diagnostic::error(
        "bad-notify",
        reader.origin(value.span()),
        format!("`{key}` is a secret: it is never written in a catalog"),
    )
    .with_help(format!(
        "write `{key} = \"${{{}}}\"` and set that variable in the environment",
        key.to_uppercase()
    ))
    .redacted();
    reader.push(diagnostic);
    None
}
