//! Reading the reference tables: severities, metrics, dashboards,
//! maintenance windows, roles, contacts and backup policies.

use chrono::{NaiveTime, Weekday};
use toml::Spanned;

use super::diagnostic::Diagnostic;
use super::duration::Duration;
use super::model::{
    BackupFrequency, BackupPolicy, Contact, Dashboard, Direction, MaintenanceWindow, Metric,
    MetricSource, Per, Polling, Retention, Role, Severity,
};
use super::parsed::{Parsed, RefKind};
use super::reader::{Reader, Table, Value};
use super::schedule::WEEKDAYS;

pub fn severity(reader: &mut Reader, parsed: &mut Parsed, value: Value<'_, '_>) {
    let keys = ["id", "title", "response", "escalation", "escalate_to"];
    let Some(table) = reader.table(value, "a severity", &keys) else {
        return;
    };
    let id = reader.req_id(table, "id");
    if let Some(id) = &id {
        parsed.define("severity", None, id, reader);
    }
    let title = reader.req_text(table, "title");
    let response = reader.req_duration(table, "response");
    let escalation = match table.get("escalation") {
        None => None,
        Some(v) if v.get_ref().as_str() == Some("immediate") => Some(Duration::ZERO),
        Some(v) => reader.duration(v),
    };
    let escalate_to = reader.opt_string(table, "escalate_to");
    if let Some(contact) = &escalate_to {
        parsed.refer(RefKind::Contact, None, contact, reader);
    }
    let (Some(id), Some(title), Some(response)) = (id, title, response) else {
        return;
    };
    let origin = reader.origin(id.span());
    parsed.catalog.severities.push(Severity {
        id: id.into_inner(),
        title,
        response,
        escalation,
        escalate_to: escalate_to.map(Spanned::into_inner),
        origin,
    });
}

pub fn metric(reader: &mut Reader, parsed: &mut Parsed, value: Value<'_, '_>) {
    let keys = [
        "id",
        "title",
        "unit",
        "direction",
        "alert",
        "critical",
        "per",
        "source",
    ];
    let Some(table) = reader.table(value, "a metric", &keys) else {
        return;
    };
    let id = reader.req_id(table, "id");
    if let Some(id) = &id {
        parsed.define("metric", None, id, reader);
    }
    let title = reader.req_text(table, "title");
    let unit = reader.req_string(table, "unit");
    let direction = match table.get("direction") {
        None => Some(Direction::Above),
        Some(v) => reader
            .choice(v, &["above", "below"])
            .map(|(i, _)| [Direction::Above, Direction::Below][i]),
    };
    let alert = reader
        .required(table, "alert", "1.0")
        .and_then(|v| reader.number(v));
    let critical = reader
        .required(table, "critical", "5.0")
        .and_then(|v| reader.number(v));
    let per = table
        .get("per")
        .and_then(|v| reader.choice(v, &Per::NAMES))
        .map(|(i, _)| [Per::Second, Per::Minute, Per::Hour, Per::Day][i]);
    let source = table.get("source").and_then(|v| source(reader, v));
    if let (Some(direction), Some(alert), Some(critical)) = (direction, alert, critical) {
        let ordered = match direction {
            Direction::Above => alert < critical,
            Direction::Below => alert > critical,
        };
        if !ordered {
            let (word, relation) = match direction {
                Direction::Above => ("above", "lower"),
                Direction::Below => ("below", "higher"),
            };
            let span = table
                .get("critical")
                .map_or(table.span(), toml::Spanned::span);
            reader.error_help(
                "threshold-order",
                span,
                format!(
                    "thresholds out of order: alert {alert} and critical {critical} for a metric that is bad {word} them"
                ),
                format!("the alert threshold must be {relation} than the critical one"),
            );
        }
    }
    let (Some(id), Some(title), Some(unit), Some(direction), Some(alert), Some(critical)) =
        (id, title, unit, direction, alert, critical)
    else {
        return;
    };
    let origin = reader.origin(id.span());
    parsed.catalog.metrics.push(Metric {
        id: id.into_inner(),
        title,
        unit: unit.into_inner(),
        direction,
        alert,
        critical,
        per,
        source,
        needs: None,
        origin,
    });
}

fn source(reader: &mut Reader, value: Value<'_, '_>) -> Option<MetricSource> {
    let keys = [
        "kind", "url", "query", "pointer", "token", "argv", "interval", "timeout", "retries",
    ];
    let table = reader.table(value, "a metric source", &keys)?;
    let kind = reader
        .required(table, "kind", "\"prometheus\"")
        .and_then(|v| reader.choice(v, &["prometheus", "http_json", "command"]))
        .map(|(i, _)| i);
    let defaults = Polling::default();
    let polling = Polling {
        interval: reader
            .opt_duration(table, "interval")
            .unwrap_or(defaults.interval),
        timeout: reader
            .opt_duration(table, "timeout")
            .unwrap_or(defaults.timeout),
        retries: reader.opt_u32(table, "retries").unwrap_or(defaults.retries),
    };
    let token = reader.opt_string(table, "token");
    if let Some(token) = token.as_ref().filter(|t| !is_env_reference(t.get_ref())) {
        let diagnostic = Diagnostic::error(
            "secret-in-file",
            reader.origin(token.span()),
            "a token must not be written in a checklist",
        )
        .with_help(
            "name the environment variable that holds it: `token = \"${RUNBOOK_PROMETHEUS_TOKEN}\"`",
        )
        .redacted();
        reader.push(diagnostic);
    }
    let token = token.map(Spanned::into_inner);
    match kind? {
        0 => Some(MetricSource::Prometheus {
            url: reader.req_string(table, "url")?.into_inner(),
            query: reader.req_string(table, "query")?.into_inner(),
            token,
            polling,
        }),
        1 => Some(MetricSource::HttpJson {
            url: reader.req_string(table, "url")?.into_inner(),
            pointer: reader.req_string(table, "pointer")?.into_inner(),
            token,
            polling,
        }),
        _ => {
            let argv: Vec<String> = reader
                .string_list(table, "argv")
                .into_iter()
                .map(Spanned::into_inner)
                .collect();
            if argv.is_empty() {
                reader.error_help(
                    "empty-command",
                    table.span(),
                    "a command source needs a program to run",
                    "write `argv = [\"program\", \"argument\"]`",
                );
                return None;
            }
            Some(MetricSource::Command { argv, polling })
        }
    }
}

/// `${NAME}`, the only way a secret may appear in a file.
pub fn is_env_reference(text: &str) -> bool {
    text.strip_prefix("${")
        .and_then(|rest| rest.strip_suffix('}'))
        .is_some_and(|name| {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

pub fn dashboard(reader: &mut Reader, parsed: &mut Parsed, value: Value<'_, '_>) {
    let keys = ["id", "title", "purpose", "url"];
    let Some(table) = reader.table(value, "a dashboard", &keys) else {
        return;
    };
    let id = reader.req_id(table, "id");
    if let Some(id) = &id {
        parsed.define("dashboard", None, id, reader);
    }
    let title = reader.req_text(table, "title");
    let purpose = reader.req_text(table, "purpose");
    let (url, blank) = reader.opt_filled(table, "url");
    let (Some(id), Some(title), Some(purpose)) = (id, title, purpose) else {
        return;
    };
    parsed.catalog.dashboards.push(Dashboard {
        origin: blank.unwrap_or_else(|| reader.origin(id.span())),
        id: id.into_inner(),
        title,
        purpose,
        url: url.map(Spanned::into_inner),
    });
}

pub fn window(reader: &mut Reader, parsed: &mut Parsed, value: Value<'_, '_>) {
    let keys = ["id", "title", "rank", "weekday", "start", "end", "notice"];
    let Some(table) = reader.table(value, "a maintenance window", &keys) else {
        return;
    };
    let id = reader.req_id(table, "id");
    if let Some(id) = &id {
        parsed.define("window", None, id, reader);
    }
    let title = reader.req_text(table, "title");
    let rank = reader.opt_u32(table, "rank").unwrap_or(1);
    let weekday = reader
        .required(table, "weekday", "\"sunday\"")
        .and_then(|v| reader.choice(v, &WEEKDAYS))
        .and_then(|(i, _)| Weekday::try_from(u8::try_from(i).ok()?).ok());
    let start = time_of_day(reader, table, "start");
    let end = time_of_day(reader, table, "end");
    let notice = reader.req_duration(table, "notice");
    if let (Some(start), Some(end)) = (start, end)
        && start == end
    {
        {
            let span = table.get("end").map_or(table.span(), toml::Spanned::span);
            reader.error_help(
                "empty-window",
                span,
                "a window cannot end when it starts",
                "give an end after the start; an end before the start runs past midnight",
            );
        }
    }
    let (Some(id), Some(title), Some(weekday), Some(start), Some(end), Some(notice)) =
        (id, title, weekday, start, end, notice)
    else {
        return;
    };
    let origin = reader.origin(id.span());
    parsed.catalog.windows.push(MaintenanceWindow {
        id: id.into_inner(),
        title,
        rank,
        weekday,
        start,
        end,
        notice,
        origin,
    });
}

fn time_of_day(reader: &mut Reader, table: Table<'_, '_>, key: &str) -> Option<NaiveTime> {
    let value = reader.required(table, key, "\"02:00\"")?;
    reader.time(value, "write a UTC time as `HH:MM`, e.g. `02:00`")
}

pub fn role(reader: &mut Reader, parsed: &mut Parsed, value: Value<'_, '_>) {
    let keys = ["id", "title", "access", "mfa", "via", "may", "holders"];
    let Some(table) = reader.table(value, "a role", &keys) else {
        return;
    };
    let id = reader.req_id(table, "id");
    if let Some(id) = &id {
        parsed.define("role", None, id, reader);
    }
    let title = reader.req_text(table, "title");
    let access = reader.opt_text(table, "access");
    let mfa = reader.opt_bool(table, "mfa");
    let via = reader.opt_string(table, "via");
    if let Some(via) = &via {
        parsed.refer(RefKind::Role, None, via, reader);
    }
    let may = reader.string_list(table, "may");
    let holders = reader.string_list(table, "holders");
    let holders_at = table.get("holders").map(|v| reader.origin(v.span()));
    let (Some(id), Some(title)) = (id, title) else {
        return;
    };
    parsed.catalog.roles.push(Role {
        origin: holders_at.unwrap_or_else(|| reader.origin(id.span())),
        id: id.into_inner(),
        title,
        access,
        mfa,
        via: via.map(Spanned::into_inner),
        may: may.into_iter().map(Spanned::into_inner).collect(),
        holders: holders.into_iter().map(Spanned::into_inner).collect(),
        granted: Vec::new(),
    });
}

pub fn contact(reader: &mut Reader, parsed: &mut Parsed, value: Value<'_, '_>) {
    let keys = [
        "id",
        "name",
        "reach",
        "availability",
        "usage",
        "emergency",
        "role",
    ];
    let Some(table) = reader.table(value, "a contact", &keys) else {
        return;
    };
    let id = reader.req_id(table, "id");
    if let Some(id) = &id {
        parsed.define("contact", None, id, reader);
    }
    let name = reader.req_text(table, "name");
    let (reach, blank) = reader.opt_filled(table, "reach");
    let availability = reader.opt_text(table, "availability");
    let usage = reader.opt_text(table, "usage");
    let emergency = reader.opt_bool(table, "emergency");
    let role = reader.opt_string(table, "role");
    if let Some(role) = &role {
        parsed.refer(RefKind::Role, None, role, reader);
    }
    let (Some(id), Some(name)) = (id, name) else {
        return;
    };
    parsed.catalog.contacts.push(Contact {
        // A reach left blank by the site is where the number goes.
        origin: blank.unwrap_or_else(|| reader.origin(id.span())),
        id: id.into_inner(),
        name,
        reach: reach.map(Spanned::into_inner),
        availability,
        usage,
        emergency,
        role: role.map(Spanned::into_inner),
    });
}

pub fn backup(reader: &mut Reader, parsed: &mut Parsed, value: Value<'_, '_>) {
    let keys = ["id", "data", "every", "retention", "note"];
    let Some(table) = reader.table(value, "a backup policy", &keys) else {
        return;
    };
    let id = reader.req_id(table, "id");
    if let Some(id) = &id {
        parsed.define("backup", None, id, reader);
    }
    let data = reader.req_text(table, "data");
    let every =
        reader
            .required(table, "every", "\"1d\"")
            .and_then(|v| match v.get_ref().as_str() {
                Some("commit") => Some(BackupFrequency::EveryCommit),
                _ => reader.duration(v).map(BackupFrequency::Interval),
            });
    let retention = reader
        .required(table, "retention", "\"30d\"")
        .and_then(|v| match v.get_ref().as_str() {
            Some("forever") => Some(Retention::Forever),
            _ => reader.duration(v).map(Retention::For),
        });
    let note = reader.opt_text(table, "note");
    let (Some(id), Some(data), Some(every), Some(retention)) = (id, data, every, retention) else {
        return;
    };
    parsed.catalog.backups.push(BackupPolicy {
        id: id.into_inner(),
        data,
        every,
        retention,
        note,
    });
}
