//! `runbook show PROCEDURE`: one procedure as readable text, every step
//! with its commands, evidence, sign-off, gate, deadline and criteria.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::{Context, exit, write_json};
use crate::catalog::nearest_id;
use crate::catalog::{Anchor, Catalog, Deadline, Procedure, Step, ThresholdLevel, Within};

pub fn run(context: &Context, id: &str, json: bool, out: &mut dyn Write) -> io::Result<u8> {
    let catalog = &context.loaded.catalog;
    let Some(procedure) = catalog.procedure(id) else {
        let w = context.words().commands;
        let ids: Vec<&str> = catalog.procedures.iter().map(|p| p.id.as_str()).collect();
        crate::say!("{}", (w.no_procedure)(id));
        match nearest_id(id, &ids) {
            Some(near) => crate::say!("{}", (w.did_you_mean)(near)),
            None => crate::say!("{}", (w.known_procedures)(&ids.join(", "))),
        }
        return Ok(exit::USAGE);
    };
    if json {
        return write_json(out, procedure);
    }
    out.write_all(render(catalog, procedure, context.lang()).as_bytes())?;
    Ok(exit::OK)
}

pub fn render(catalog: &Catalog, procedure: &Procedure, lang: &str) -> String {
    let w = crate::text::words(lang).commands;
    let mut text = String::new();
    let mut facts = vec![
        procedure.id.clone(),
        crate::catalog::said::kind(lang, procedure.kind).to_owned(),
    ];
    facts.extend(
        procedure
            .recurrence
            .map(|r| crate::catalog::said::recurrence(lang, r).to_owned()),
    );
    facts.extend(procedure.reference.clone());
    let _ = writeln!(
        text,
        "{}  [{}]",
        procedure.title.get(lang),
        facts.join(" · ")
    );
    if let Some(summary) = &procedure.summary {
        let _ = writeln!(text, "{}", summary.get(lang));
    }
    if procedure.asks_severity {
        let levels: Vec<&str> = catalog.severities.iter().map(|s| s.id.as_str()).collect();
        let _ = writeln!(text, "{}", (w.asks_severity)(&levels.join(", ")));
    }
    if let Some(rollback) = &procedure.rollback {
        let _ = writeln!(text, "{}", (w.if_wrong)(rollback));
    }
    let _ = writeln!(text, "{}", (w.content)(&procedure.content_hash));
    for (number, section) in procedure.sections.iter().enumerate() {
        let _ = writeln!(text, "\n{}. {}", number + 1, section.title.get(lang));
        for (index, step) in section.steps.iter().enumerate() {
            let label = format!("{}.{}", number + 1, index + 1);
            step_lines(&mut text, catalog, &label, step, lang, None);
        }
    }
    text
}

/// A step as lines of text; `severity` is the run's, when there is one.
pub fn step_lines(
    text: &mut String,
    catalog: &Catalog,
    label: &str,
    step: &Step,
    lang: &str,
    severity: Option<&str>,
) {
    let words = crate::text::words(lang);
    let w = words.commands;
    let shown = |t: &str| crate::reference::said::shown(words, catalog, t).into_owned();
    let _ = writeln!(
        text,
        "  [ ] {label} {}  ({})",
        shown(step.text.get(lang)),
        step.id
    );
    let indent = " ".repeat(6 + label.len());
    let mut line = |content: String| {
        let _ = writeln!(text, "{indent}{content}");
    };
    if let Some(detail) = &step.detail {
        line(shown(detail.get(lang)));
    }
    for command in &step.commands {
        line(format!("$ {}", shown(command)));
    }
    if let Some(evidence) = &step.evidence {
        line((w.evidence)(&shown(evidence.get(lang))));
    }
    if let Some(audience) = step.update {
        line((words.status.done_by_update)(
            words.status.audience(audience),
        ));
    }
    if let Some(name) = &step.sets {
        line((w.sets)(name));
    }
    for rule in crate::catalog::said::answer_rules(words, step) {
        line(rule);
    }
    let mut marks = Vec::new();
    if let Some(role) = &step.role {
        let title = catalog
            .role(role)
            .map_or(role.as_str(), |r| r.title.get(lang));
        marks.push((w.sign_off)(title));
    }
    if step.two_person {
        marks.push(w.two_person.to_owned());
    }
    if step.confirm {
        marks.push(w.confirm_before.to_owned());
    }
    if step.optional {
        marks.push(w.optional.to_owned());
    }
    if !marks.is_empty() {
        line(marks.join(" · "));
    }
    if let Some(gate) = &step.gate {
        line((w.not_before)(&gate.wait.to_string(), &gate.after));
    }
    if let Some(deadline) = &step.deadline {
        line(describe_deadline(deadline, lang));
    }
    let words = crate::text::words(lang);
    for call in crate::catalog::calls::calls(catalog, step, severity) {
        line(crate::reference::said::call_line(
            words, catalog, lang, &call,
        ));
    }
    if let Some(hold) = &step.hold {
        line((w.hold)(&hold.metrics.join(", "), &hold.period.to_string()));
    }
    for criterion in &step.criteria {
        let mut extra = Vec::new();
        if let Some(metric) = &criterion.metric {
            let level = match criterion.level {
                Some(ThresholdLevel::Alert) => w.at_alert,
                Some(ThresholdLevel::Critical) => w.at_critical,
                None => "",
            };
            extra.push(format!("{metric}{level}"));
        }
        if let Some(procedure) = &criterion.procedure {
            extra.push((w.then_procedure)(procedure));
        }
        let extra = if extra.is_empty() {
            String::new()
        } else {
            format!(" ({})", extra.join("; "))
        };
        line(format!("- {}{extra}", criterion.text.get(lang)));
    }
}

pub fn describe_deadline(deadline: &Deadline, lang: &str) -> String {
    let w = crate::text::words(lang).commands;
    let within = match &deadline.within {
        Within::Fixed(d) => d.to_string(),
        Within::Response => w.response_time.to_owned(),
        Within::Escalation => w.escalation_delay.to_owned(),
        Within::PerSeverity(per) => per
            .iter()
            .map(|(s, d)| format!("{s} {d}"))
            .collect::<Vec<_>>()
            .join(", "),
    };
    let after = match &deadline.after {
        Anchor::RunStart => w.run_start.to_owned(),
        Anchor::Step(step) => (w.step_done)(step),
    };
    let label = deadline
        .label
        .as_ref()
        .map(|l| format!(" ({})", l.get(lang)))
        .unwrap_or_default();
    (w.deadline)(&label, &within, &after)
}
