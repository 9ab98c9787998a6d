//! Reading `[[procedure]]` tables, their sections and steps.

use toml::Spanned;

use super::answer::{Condition, Expect};
use super::diagnostic::Diagnostic;
use super::model::{
    Anchor, Criterion, Deadline, Gate, Mark, MetricHold, Procedure, ProcedureKind, Recurrence,
    Section, Step, ThresholdLevel, Within,
};
use super::parsed::{Parsed, RefKind};
use super::reader::{Reader, Table, Value};
use super::text::Text;

/// The anchor word for "when the run started".
pub const RUN_START: &str = "start";

const PROCEDURE_KEYS: &[&str] = &[
    "id",
    "kind",
    "title",
    "summary",
    "reference",
    "rollback",
    "recurrence",
    "asks_severity",
    "failure_window",
    "schedule",
    "section",
];
const SECTION_KEYS: &[&str] = &["id", "title", "step"];
const STEP_KEYS: &[&str] = &[
    "id",
    "text",
    "detail",
    "commands",
    "evidence",
    "role",
    "two_person",
    "confirm",
    "optional",
    "gate",
    "deadline",
    "hold",
    "criteria",
    "contacts",
    "sets",
    "when",
    "run",
    "marks",
    "update",
];
const KIND_NAMES: [&str; 8] = [
    "deploy",
    "rollback",
    "incident",
    "maintenance",
    "security",
    "recovery",
    "reconciliation",
    "compliance",
];

pub fn procedure(reader: &mut Reader, parsed: &mut Parsed, value: Value<'_, '_>) {
    let Some(table) = reader.table(value, "a procedure", PROCEDURE_KEYS) else {
        return;
    };
    let id = reader.req_id(table, "id");
    let scope = id.as_ref().map(|id| id.get_ref().clone());
    if let Some(id) = &id {
        parsed.define("procedure", None, id, reader);
    }
    let kind = reader
        .required(table, "kind", "\"deploy\"")
        .and_then(|v| reader.choice(v, &KIND_NAMES))
        .map(|(index, _)| ProcedureKind::ALL[index]);
    let title = reader.req_text(table, "title");
    let summary = reader.opt_text(table, "summary");
    let reference = reader
        .opt_string(table, "reference")
        .map(Spanned::into_inner);
    let rollback = reader.opt_string(table, "rollback");
    if let Some(target) = &rollback {
        parsed.refer(RefKind::Procedure, None, target, reader);
    }
    let recurrence = table
        .get("recurrence")
        .and_then(|v| reader.choice(v, &Recurrence::NAMES))
        .map(|(index, _)| RECURRENCES[index]);
    let schedule = match table.get("schedule") {
        Some(value) => super::schedule::read(reader, value, recurrence),
        None => recurrence.map(super::schedule::Schedule::default_for),
    };
    let asks_severity = reader.opt_bool(table, "asks_severity");
    let failure_window = reader.opt_duration(table, "failure_window");

    let mut sections = Vec::new();
    for item in reader.opt_array(table, "section") {
        if let Some(section) = section(reader, parsed, scope.as_deref(), item) {
            sections.push(section);
        }
    }
    if sections.is_empty() && table.get("section").is_none() {
        reader.error_help(
            "empty-procedure",
            table.span(),
            "a procedure needs at least one section",
            "add a `[[procedure.section]]` with its `[[procedure.section.step]]`s",
        );
    }

    let (Some(id), Some(kind), Some(title)) = (id, kind, title) else {
        return;
    };
    let origin = reader.origin(id.span());
    let mut procedure = Procedure {
        id: id.into_inner(),
        kind,
        title,
        summary,
        reference,
        rollback: rollback.map(Spanned::into_inner),
        recurrence,
        schedule,
        asks_severity,
        failure_window,
        sections,
        content_hash: String::new(),
        origin,
    };
    check_conditions(parsed, &procedure);
    procedure.content_hash = content_hash(&procedure);
    parsed.catalog.procedures.push(procedure);
}

/// `when = "STEP OP VALUE"`, read as a condition, or reported.
fn condition(reader: &mut Reader, table: Table<'_, '_>) -> Option<Condition> {
    let text = reader.opt_string(table, "when")?;
    let condition = Condition::parse(text.get_ref());
    if condition.is_none() {
        reader.error_help(
            "bad-condition",
            text.span(),
            format!("`{}` is not a condition", text.get_ref()),
            "write `STEP OP VALUE`, e.g. `find-gaps > 1` or `criterion-met == yes`",
        );
    }
    condition.map(|c| Condition {
        origin: reader.origin(text.span()),
        ..c
    })
}

/// A `when` reads an earlier step of the same procedure that asks for a
/// typed answer, with a comparison and a value that fit its type.
fn check_conditions(parsed: &mut Parsed, procedure: &Procedure) {
    let steps: Vec<&Step> = procedure.steps().collect();
    for (index, step) in steps.iter().enumerate() {
        let Some(condition) = &step.when else {
            continue;
        };
        let problem = match steps[..index].iter().find(|s| s.id == condition.step) {
            None if steps.iter().any(|s| s.id == condition.step) => Some((
                format!("`{}` comes after the step whose need it decides", condition.step),
                "a condition reads the answer of an earlier step".to_owned(),
            )),
            None => Some((
                format!("no step `{}` in this procedure", condition.step),
                "a condition reads the answer of an earlier step of the same procedure".to_owned(),
            )),
            Some(earlier) => match &earlier.expects {
                None => Some((
                    format!("step `{}` asks for no typed answer", condition.step),
                    "give it `evidence = { text = \"…\", number = \"EUR\" }` (or yes_no, or choices)".to_owned(),
                )),
                Some(expect) => misfit(condition, expect),
            },
        };
        if let Some((message, help)) = problem {
            parsed.diagnostics.push(
                Diagnostic::error("bad-condition", condition.origin.clone(), message)
                    .with_help(help),
            );
        }
    }
}

/// What is wrong with comparing an answer of `expect` as `condition` does.
fn misfit(condition: &Condition, expect: &Expect) -> Option<(String, String)> {
    if condition.op.orders() && !matches!(expect, Expect::Number { .. }) {
        return Some((
            format!(
                "`{}` compares order, but `{}` is not a number",
                condition.text, condition.step
            ),
            "use `==` or `!=`".to_owned(),
        ));
    }
    if expect.parse(&condition.value).is_none() {
        let wanted = match expect {
            Expect::Number { unit } => format!("a number (in {unit})"),
            Expect::YesNo => "yes or no".to_owned(),
            Expect::Choice(choices) => format!("one of: {}", choices.join(", ")),
        };
        return Some((
            format!(
                "`{}` is not an answer `{}` can give",
                condition.value, condition.step
            ),
            format!("expected {wanted}"),
        ));
    }
    None
}

/// `evidence` as a text, or as a typed answer:
/// `{ text = …, number = "EUR" }`, `{ text = …, yes_no = true }`,
/// `{ text = …, choices = ["…"] }`.
fn typed_evidence(reader: &mut Reader, value: Value<'_, '_>) -> (Option<Text>, Option<Expect>) {
    let typed = value
        .get_ref()
        .as_table()
        .is_some_and(|t| t.contains_key("text"));
    if !typed {
        return (reader.text(value), None);
    }
    let Some(table) = reader.table(
        value,
        "typed evidence",
        &["text", "number", "yes_no", "choices"],
    ) else {
        return (None, None);
    };
    let text = reader.req_text(table, "text");
    let number = reader.opt_string(table, "number");
    let yes_no = reader.opt_bool(table, "yes_no");
    let choices = reader.string_list(table, "choices");
    let kinds =
        usize::from(number.is_some()) + usize::from(yes_no) + usize::from(!choices.is_empty());
    if kinds != 1 {
        reader.error_help(
            "bad-value",
            table.span(),
            "typed evidence says what it is, once",
            "give one of `number = \"UNIT\"`, `yes_no = true` or `choices = [\"…\", \"…\"]`",
        );
        return (text, None);
    }
    let expect = match number {
        Some(unit) => Expect::Number {
            unit: unit.into_inner(),
        },
        None if yes_no => Expect::YesNo,
        None => Expect::Choice(choices.into_iter().map(Spanned::into_inner).collect()),
    };
    (text, Some(expect))
}

const RECURRENCES: [Recurrence; 5] = [
    Recurrence::Daily,
    Recurrence::Weekly,
    Recurrence::Monthly,
    Recurrence::Quarterly,
    Recurrence::Yearly,
];

/// A hash of what the procedure says, not of how its file is laid out:
/// re-indenting or commenting a file does not change it; changing a step does.
fn content_hash(procedure: &Procedure) -> String {
    use sha2::{Digest, Sha256};

    /// Feeds serialised bytes straight into the hash, with no buffer.
    struct Hashing(Sha256);
    impl std::io::Write for Hashing {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.update(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut hashing = Hashing(Sha256::new());
    // Serialising plain data into a sink that never fails cannot fail.
    let _ = serde_json::to_writer(&mut hashing, procedure);
    hashing
        .0
        .finalize()
        .iter()
        .fold(String::with_capacity(64), |mut out, byte| {
            use std::fmt::Write as _;
            let _ = write!(out, "{byte:02x}");
            out
        })
}

fn section(
    reader: &mut Reader,
    parsed: &mut Parsed,
    scope: Option<&str>,
    value: Value<'_, '_>,
) -> Option<Section> {
    let table = reader.table(value, "a section", SECTION_KEYS)?;
    let id = reader.req_id(table, "id");
    if let Some(id) = &id {
        parsed.define("section", scope, id, reader);
    }
    let title = reader.req_text(table, "title");
    let mut steps = Vec::new();
    for item in reader.opt_array(table, "step") {
        if let Some(step) = step(reader, parsed, scope, item) {
            steps.push(step);
        }
    }
    if table.get("step").is_none() {
        reader.error_help(
            "empty-section",
            table.span(),
            "a section needs at least one step",
            "add a `[[procedure.section.step]]` after it",
        );
    }
    let id = id?;
    let origin = reader.origin(id.span());
    Some(Section {
        id: id.into_inner(),
        title: title?,
        steps,
        origin,
    })
}

fn step(
    reader: &mut Reader,
    parsed: &mut Parsed,
    scope: Option<&str>,
    value: Value<'_, '_>,
) -> Option<Step> {
    let table = reader.table(value, "a step", STEP_KEYS)?;
    let id = reader.req_id(table, "id");
    if let Some(id) = &id {
        if id.get_ref() == RUN_START {
            reader.error_help(
                "reserved-id",
                id.span(),
                "`start` cannot be a step id",
                "`start` stands for the start of the run in gates and deadlines; choose another id",
            );
        }
        parsed.define("step", scope, id, reader);
    }
    let text = reader.req_text(table, "text");
    let detail = reader.opt_text(table, "detail");
    let commands = reader
        .string_list(table, "commands")
        .into_iter()
        .map(Spanned::into_inner)
        .collect::<Vec<_>>();
    let run = super::exec::read(reader, table, &commands);
    let (evidence, expects) = match table.get("evidence") {
        Some(value) => typed_evidence(reader, value),
        None => (None, None),
    };
    let when = condition(reader, table);
    let sets = reader.opt_string(table, "sets");
    if let Some(name) = &sets {
        if evidence.is_none() {
            reader.error_help(
                "missing-key",
                name.span(),
                "`sets` names the variable the step's evidence becomes, but the step asks for no evidence",
                "add `evidence = \"…\"`",
            );
        } else if !super::vars::is_name(name.get_ref()) {
            reader.error_help(
                "bad-id",
                name.span(),
                format!("`{}` is not a variable name", name.get_ref()),
                "letters, digits, `-` and `_`",
            );
        }
    }
    let role = reader.opt_string(table, "role");
    if let Some(role) = &role {
        parsed.refer(RefKind::Role, None, role, reader);
    }
    let gate = table
        .get("gate")
        .and_then(|v| gate(reader, parsed, scope, v));
    let deadline = table
        .get("deadline")
        .and_then(|v| deadline(reader, parsed, scope, v));
    let hold = table.get("hold").and_then(|v| hold(reader, parsed, v));
    let criteria = reader
        .opt_array(table, "criteria")
        .iter()
        .filter_map(|item| criterion(reader, parsed, item))
        .collect();
    let contacts = reader.string_list(table, "contacts");
    for contact in &contacts {
        parsed.refer(RefKind::Contact, None, contact, reader);
    }
    let contacts = contacts.into_iter().map(Spanned::into_inner).collect();
    let two_person = reader.opt_bool(table, "two_person");
    let confirm = reader.opt_bool(table, "confirm");
    let optional = reader.opt_bool(table, "optional");
    let (marks, update) = marks_and_update(reader, table);
    let id = id?;
    let origin = reader.origin(id.span());
    Some(Step {
        id: id.into_inner(),
        text: text?,
        detail,
        commands,
        run,
        evidence,
        expects,
        when,
        sets: sets.map(Spanned::into_inner),
        role: role.map(Spanned::into_inner),
        two_person,
        confirm,
        optional,
        gate,
        deadline,
        hold,
        criteria,
        contacts,
        marks,
        update,
        origin,
    })
}

/// The moment a step marks (`marks`), and the audience of the status
/// update that does it (`update`).
fn marks_and_update(
    reader: &mut Reader,
    table: Table<'_, '_>,
) -> (Option<Mark>, Option<crate::status::Audience>) {
    let marks = table
        .get("marks")
        .and_then(|v| reader.choice(v, &Mark::NAMES))
        .map(|(index, _)| Mark::ALL[index]);
    let update = table
        .get("update")
        .and_then(|v| reader.choice(v, &crate::status::Audience::NAMES))
        .map(|(index, _)| crate::status::Audience::ALL[index]);
    (marks, update)
}

fn anchor(
    reader: &mut Reader,
    parsed: &mut Parsed,
    scope: Option<&str>,
    table: Table<'_, '_>,
    key: &str,
) -> Option<Anchor> {
    let after = reader.req_string(table, key)?;
    if after.get_ref() == RUN_START {
        return Some(Anchor::RunStart);
    }
    parsed.refer(RefKind::Step, scope, &after, reader);
    Some(Anchor::Step(after.into_inner()))
}

fn gate(
    reader: &mut Reader,
    parsed: &mut Parsed,
    scope: Option<&str>,
    value: Value<'_, '_>,
) -> Option<Gate> {
    let table = reader.table(value, "a gate", &["after", "wait"])?;
    let after = reader.req_string(table, "after");
    if let Some(after) = &after {
        parsed.refer(RefKind::Step, scope, after, reader);
    }
    let wait = reader.req_duration(table, "wait");
    Some(Gate {
        after: after?.into_inner(),
        wait: wait?,
    })
}

fn deadline(
    reader: &mut Reader,
    parsed: &mut Parsed,
    scope: Option<&str>,
    value: Value<'_, '_>,
) -> Option<Deadline> {
    let table = reader.table(value, "a deadline", &["within", "after", "label", "grace"])?;
    let within = reader
        .required(table, "within", "\"72h\"")
        .and_then(|v| within(reader, parsed, v));
    let after = anchor(reader, parsed, scope, table, "after");
    let label = reader.opt_text(table, "label");
    let grace = reader.opt_duration(table, "grace").unwrap_or_default();
    Some(Deadline {
        within: within?,
        after: after?,
        label,
        grace,
    })
}

fn within(reader: &mut Reader, parsed: &mut Parsed, value: Value<'_, '_>) -> Option<Within> {
    match value.get_ref().as_str() {
        Some("response") => return Some(Within::Response),
        Some("escalation") => return Some(Within::Escalation),
        Some(_) => return reader.duration(value).map(Within::Fixed),
        None => {}
    }
    let Some(table) = value.get_ref().as_table() else {
        reader.wrong_type(
            value,
            "a duration, `response`, `escalation`, or a table of durations by severity",
        );
        return None;
    };
    let mut per = Vec::new();
    for (severity, duration) in table {
        let id = Spanned::new(severity.span(), severity.get_ref().to_string());
        parsed.refer(RefKind::Severity, None, &id, reader);
        if let Some(duration) = reader.duration(duration) {
            let origin = reader.origin(id.span());
            parsed
                .per_severity
                .push((id.get_ref().clone(), duration, origin));
            per.push((id.into_inner(), duration));
        }
    }
    Some(Within::PerSeverity(per))
}

fn hold(reader: &mut Reader, parsed: &mut Parsed, value: Value<'_, '_>) -> Option<MetricHold> {
    let table = reader.table(value, "a metric hold", &["metrics", "for"])?;
    let metrics = reader.string_list(table, "metrics");
    if metrics.is_empty() {
        reader.error_help(
            "empty-hold",
            table.span(),
            "a metric hold names at least one metric",
            "write `hold = { metrics = [\"error-rate\"], for = \"30m\" }`",
        );
    }
    for metric in &metrics {
        parsed.refer(RefKind::Metric, None, metric, reader);
    }
    let period = reader.req_duration(table, "for")?;
    Some(MetricHold {
        metrics: metrics.into_iter().map(Spanned::into_inner).collect(),
        period,
    })
}

fn criterion(reader: &mut Reader, parsed: &mut Parsed, value: Value<'_, '_>) -> Option<Criterion> {
    let table = reader.table(
        value,
        "a criterion",
        &["text", "metric", "level", "procedure"],
    )?;
    let text = reader.req_text(table, "text");
    let metric = reader.opt_string(table, "metric");
    if let Some(metric) = &metric {
        parsed.refer(RefKind::Metric, None, metric, reader);
    }
    let level = table
        .get("level")
        .and_then(|v| reader.choice(v, &["alert", "critical"]))
        .map(|(index, _)| [ThresholdLevel::Alert, ThresholdLevel::Critical][index]);
    let procedure = reader.opt_string(table, "procedure");
    if let Some(procedure) = &procedure {
        parsed.refer(RefKind::Procedure, None, procedure, reader);
    }
    Some(Criterion {
        text: text?,
        metric: metric.map(Spanned::into_inner),
        level,
        procedure: procedure.map(Spanned::into_inner),
    })
}
