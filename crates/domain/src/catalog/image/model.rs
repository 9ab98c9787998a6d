//! How each value of the model is written in the image. Structs and enums
//! go field by field through `record!` and `choice!`; the few whose
//! insides are private (a text's variants, a schedule's compiled cron)
//! are written through their public constructors.

use super::codec::{Broken, Bytes, Image, choice, record};
use crate::catalog::answer::{Condition, Expect, Op};
use crate::catalog::diagnostic::{Diagnostic, Level, Origin};
use crate::catalog::duration::Duration;
use crate::catalog::exec::{Program, Runnable};
use crate::catalog::identity::{Operator, OperatorKey, Require};
use crate::catalog::model::{
    Anchor, BackupFrequency, BackupPolicy, Catalog, Component, Contact, Criterion, Dashboard, Deadline,
    Direction, Finding, Gate, Grant, Granted, MaintenanceWindow, Mark, Metric, MetricHold,
    MetricSource, Per, Polling, Procedure, ProcedureKind, Recurrence, Retention, Role, Section,
    Severity, Step, Template, ThresholdLevel, Viewer, Within,
};
use crate::status::{Audience, Status};
use crate::catalog::notify::{Email, EmailTls, Kind, Target, Trigger};
use crate::catalog::schedule::{Schedule, Since};
use crate::catalog::text::Text;
use crate::catalog::vars::EnvVar;

record!(Catalog {
    procedures, severities, metrics, dashboards, windows, roles, contacts, backups, notify,
    components, templates, viewers, vars, env_vars, run_vars, operators, require, identity_since, blank_vars, findings,
});
record!(Finding { place, code, message, answer });
record!(Diagnostic { level, code, message, origin, file, help, redact, answer });
choice!(Level { 0 => Warning, 1 => Error });
record!(Origin { file, span });

record!(Procedure {
    id, kind, title, summary, reference, rollback, recurrence, schedule, asks_severity,
    failure_window, sections, content_hash, origin,
});
choice!(ProcedureKind {
    0 => Deploy, 1 => Rollback, 2 => Incident, 3 => Maintenance, 4 => Security, 5 => Recovery,
    6 => Reconciliation, 7 => Compliance,
});
choice!(Recurrence { 0 => Daily, 1 => Weekly, 2 => Monthly, 3 => Quarterly, 4 => Yearly });
record!(Section { id, title, steps, origin });
record!(Step {
    id, text, detail, commands, run, evidence, expects, when, sets, role, two_person, confirm,
    optional, gate, deadline, hold, criteria, contacts, marks, update, origin,
});
record!(Runnable { program, timeout, done_on_success });
choice!(Program { 0 => Argv(argv), 1 => Shell(line) });
choice!(Expect { 0 => Number { unit }, 1 => YesNo, 2 => Choice(choices) });
record!(Condition { step, op, value, text, origin });
choice!(Op { 0 => Gt, 1 => Ge, 2 => Lt, 3 => Le, 4 => Eq, 5 => Ne });
choice!(Mark {
    0 => Detected, 1 => Responded, 2 => Escalated, 3 => Mitigated, 4 => Resolved, 5 => PostMortem,
    6 => Released,
});
record!(Gate { after, wait });
record!(Deadline { within, after, label, grace });
choice!(Within { 0 => Fixed(within), 1 => Response, 2 => Escalation, 3 => PerSeverity(each) });
choice!(Anchor { 0 => RunStart, 1 => Step(id) });
record!(MetricHold { metrics, period });
record!(Criterion { text, metric, level, procedure });
choice!(ThresholdLevel { 0 => Alert, 1 => Critical });

record!(Component { id, name, detail, origin });
record!(Template { id, procedure, severity, status, text, origin });
record!(Viewer { id, password, token_sha256, origin });
choice!(Status {
    0 => Investigating, 1 => Identified, 2 => Monitoring, 3 => Resolved, 4 => Scheduled,
    5 => InProgress, 6 => Verifying, 7 => Completed,
});
choice!(Audience { 0 => Internal, 1 => Public });

record!(Severity { id, title, response, escalation, escalate_to, origin });
record!(Metric { id, title, unit, direction, alert, critical, per, source, needs, origin });
choice!(Direction { 0 => Above, 1 => Below });
choice!(Per { 0 => Second, 1 => Minute, 2 => Hour, 3 => Day });
choice!(MetricSource {
    0 => Prometheus { url, query, token, polling }, 1 => HttpJson { url, pointer, token, polling },
    2 => Command { argv, polling }, 3 => Scenario { polling },
});
record!(Polling { interval, timeout, retries });
record!(Dashboard { id, title, purpose, url, origin });
record!(MaintenanceWindow { id, title, rank, weekday, start, end, notice, origin });
record!(Role { id, title, access, mfa, via, may, holders, granted, origin });
record!(Granted { operator, by, only_here });
choice!(Grant { 0 => Registry(at), 1 => Config(path) });
record!(Contact { id, name, reach, availability, usage, emergency, role, origin });
record!(BackupPolicy { id, data, every, retention, note });
choice!(BackupFrequency { 0 => Interval(every), 1 => EveryCommit });
choice!(Retention { 0 => For(kept), 1 => Forever });

record!(Target { id, kind, on, severities, drill, every, timeout, origin });
choice!(Kind {
    0 => Pagerduty { routing_key, url, link }, 1 => Slack { url }, 2 => Webhook { url, secret },
    3 => Command { argv }, 4 => File { path }, 5 => Email(email),
});
record!(Email { host, port, tls, from, to, username, password, ca_file });
choice!(EmailTls { 0 => Starttls, 1 => Tls, 2 => None });
choice!(Trigger {
    0 => RunStarted, 1 => RunFinished, 2 => RunAborted, 3 => Severity, 4 => Responded,
    5 => DeadlineSoon, 6 => DeadlineMissed, 7 => MetricCritical, 8 => StepFailed,
    9 => ApprovalNeeded, 10 => DutyOverdue, 11 => FollowupOverdue, 12 => Anchor, 13 => Test,
    14 => StatusUpdate,
});
record!(EnvVar { env, secret });
record!(Operator { id, name, keys, roles, os_users, db_roles, origin });
record!(OperatorKey { fingerprint, openssh, until, from, origin });
choice!(Require { 0 => Signature, 1 => Account, 2 => None });
choice!(Since { 0 => Day(day), 1 => Instant(at) });

impl Image for Text {
    fn put(&self, out: &mut Vec<u8>) {
        let variants: Vec<(String, String)> = self
            .variants()
            .map(|(tag, text)| (tag.to_owned(), text.to_owned()))
            .collect();
        variants.put(out);
    }
    fn get(bytes: &mut Bytes<'_>) -> Result<Self, Broken> {
        Text::from_variants(Vec::get(bytes)?).ok_or_else(|| Broken("a text with no words".into()))
    }
}

impl Image for Duration {
    fn put(&self, out: &mut Vec<u8>) {
        self.as_secs().put(out);
    }
    fn get(bytes: &mut Bytes<'_>) -> Result<Self, Broken> {
        Ok(Duration::from_secs(u64::get(bytes)?))
    }
}

/// A schedule's compiled cron is compiled again from its text: it is what
/// the loader did, and the image stays free of croner's insides.
impl Image for Schedule {
    fn put(&self, out: &mut Vec<u8>) {
        self.cron.put(out);
        self.zone.put(out);
        self.grace.put(out);
        self.since.put(out);
    }
    fn get(bytes: &mut Bytes<'_>) -> Result<Self, Broken> {
        let cron = String::get(bytes)?;
        let zone = Image::get(bytes)?;
        let grace = Duration::get(bytes)?;
        let mut schedule = Schedule::new(&cron, zone, grace).map_err(Broken)?;
        schedule.since = Image::get(bytes)?;
        Ok(schedule)
    }
}
