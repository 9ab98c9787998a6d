//! Who is told what: `[[notify]]` targets (PagerDuty, Slack, a signed
//! webhook, a local command, an append-only file for journal heads), each
//! with the events it wants. Addresses and secrets are written only as
//! `${VARIABLE}`: the catalog names them, the environment holds them, and
//! neither the journal nor the screen ever sees them.

use serde::Serialize;

use super::diagnostic::{Diagnostic, Origin};
use super::duration::Duration;
use super::parse::Parsed;
use super::reader::{Reader, Table, Value};

/// What a target can be told about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    RunStarted,
    RunFinished,
    RunAborted,
    /// A severity declared at the start or changed during the run.
    Severity,
    /// The response step of an incident was done (PagerDuty acknowledges).
    Responded,
    DeadlineSoon,
    DeadlineMissed,
    MetricCritical,
    StepFailed,
    /// A two-person step's command waits for a second operator.
    ApprovalNeeded,
    /// A recurring duty, or a post-mortem a closed run owes, is overdue.
    DutyOverdue,
    /// A follow-up decided after a run is past its due date.
    FollowupOverdue,
    /// The journal's head, sent so that a rewrite can be caught later.
    Anchor,
    /// `runbook notify test`: never in a rule.
    Test,
}

impl Trigger {
    pub const ALL: [Trigger; 13] = [
        Trigger::RunStarted,
        Trigger::RunFinished,
        Trigger::RunAborted,
        Trigger::Severity,
        Trigger::Responded,
        Trigger::DeadlineSoon,
        Trigger::DeadlineMissed,
        Trigger::MetricCritical,
        Trigger::StepFailed,
        Trigger::ApprovalNeeded,
        Trigger::DutyOverdue,
        Trigger::FollowupOverdue,
        Trigger::Anchor,
    ];

    /// As written in `on = [...]` and in the journal.
    pub fn word(self) -> &'static str {
        match self {
            Trigger::RunStarted => "run_started",
            Trigger::RunFinished => "run_finished",
            Trigger::RunAborted => "run_aborted",
            Trigger::Severity => "severity_changed",
            Trigger::Responded => "responded",
            Trigger::DeadlineSoon => "deadline_soon",
            Trigger::DeadlineMissed => "deadline_missed",
            Trigger::MetricCritical => "metric_critical",
            Trigger::StepFailed => "step_failed",
            Trigger::ApprovalNeeded => "approval_needed",
            Trigger::DutyOverdue => "duty_overdue",
            Trigger::FollowupOverdue => "followup_overdue",
            Trigger::Anchor => "anchor",
            Trigger::Test => "test",
        }
    }

    pub fn from_word(word: &str) -> Option<Trigger> {
        Trigger::ALL.into_iter().find(|t| t.word() == word)
    }
}

/// Where a notification goes, and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Kind {
    /// PagerDuty Events API v2.
    Pagerduty {
        /// `${VARIABLE}` holding the integration's routing key.
        routing_key: String,
        /// The endpoint (the EU region's, or a test server's).
        url: String,
        /// A link back to the run, `{run}` replaced by its id.
        #[serde(skip_serializing_if = "Option::is_none")]
        link: Option<String>,
    },
    /// A Slack incoming webhook; its URL is the secret.
    Slack { url: String },
    /// A JSON document signed the Standard Webhooks way.
    Webhook { url: String, secret: String },
    /// A local program given the JSON document on its standard input.
    Command { argv: Vec<String> },
    /// An append-only file, ideally on another mount or host.
    File { path: String },
}

impl Kind {
    pub fn name(&self) -> &'static str {
        match self {
            Kind::Pagerduty { .. } => "pagerduty",
            Kind::Slack { .. } => "slack",
            Kind::Webhook { .. } => "webhook",
            Kind::Command { .. } => "command",
            Kind::File { .. } => "file",
        }
    }
}

pub const PAGERDUTY_URL: &str = "https://events.pagerduty.com/v2/enqueue";

/// How often the head is anchored while entries arrive, by default.
pub const ANCHOR_EVERY: Duration = Duration::from_minutes(15);

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Target {
    pub id: String,
    #[serde(flatten)]
    pub kind: Kind,
    /// The events it is told about.
    pub on: Vec<Trigger>,
    /// Run events only for runs of these severities (empty: every run).
    pub severities: Vec<String>,
    /// Receives drill runs' events (a real target never does).
    pub drill: bool,
    /// For anchor targets: how often the head is sent while entries arrive.
    pub every: Duration,
    /// How long one attempt may take before it counts as failed.
    pub timeout: Duration,
    #[serde(skip)]
    pub origin: Origin,
}

impl Target {
    pub fn wants(&self, trigger: Trigger) -> bool {
        self.on.contains(&trigger)
    }

    /// Whether a run of `severity` concerns this target.
    pub fn covers(&self, severity: Option<&str>) -> bool {
        self.severities.is_empty()
            || severity.is_some_and(|s| self.severities.iter().any(|t| t.eq_ignore_ascii_case(s)))
    }

    /// Whether a run (a drill's when `drill`) may reach this target: a
    /// drill never reaches a real one.
    pub fn hears(&self, drill: bool) -> bool {
        !drill || self.drill
    }
}

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
];

pub fn target(reader: &mut Reader, parsed: &mut Parsed, value: Value<'_, '_>) {
    let Some(table) = reader.table(value, "a notification target", KEYS) else {
        return;
    };
    let id = reader.req_id(table, "id");
    if let Some(id) = &id {
        parsed.define("notify", None, id, reader);
    }
    let kinds = ["pagerduty", "slack", "webhook", "command", "file"];
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
        _ => Some(Kind::File {
            path: reader.req_string(table, "path")?.into_inner(),
        }),
    }
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

/// The variable a `${NAME}` value names.
pub fn env_name(value: &str) -> Option<&str> {
    let name = value.strip_prefix("${")?.strip_suffix('}')?;
    let ok = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    ok.then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_variable_is_a_whole_value() {
        assert_eq!(env_name("${PD_KEY}"), Some("PD_KEY"));
        assert_eq!(env_name("abc${PD_KEY}"), None);
        assert_eq!(env_name("${}"), None);
        assert_eq!(env_name("${A B}"), None);
    }

    #[test]
    fn every_trigger_reads_back_from_its_word() {
        for t in Trigger::ALL {
            assert_eq!(Trigger::from_word(t.word()), Some(t));
        }
    }
}
