//! Warnings about what matters in an incident, beyond what the format
//! allows: a deploy with nowhere to roll back to, a destructive command run
//! without confirmation, a deadline longer than its severity allows, a step
//! that can never be reached or that says the same as another.

use std::collections::{HashMap, HashSet};

use super::diagnostic::Diagnostic;
use super::duration::Duration;
use super::model::{Catalog, Procedure, ProcedureKind, Within};
use super::parallel;
use super::parsed::Parsed;

/// Words that make a command destructive: it removes, reverts or revokes
/// something that cannot simply be put back.
const DESTRUCTIVE: &[&str] = &[
    "rollback", "restore", "revoke", "delete", "drop", "rm", "truncate", "destroy", "purge",
    "force", "wipe", "kill", "reset", "rotate",
];

pub fn lint(parsed: &mut Parsed) {
    let catalog = &parsed.catalog;
    // About a kilobyte of source makes a step: linting weighs the same.
    let size = catalog
        .procedures
        .iter()
        .map(|p| p.steps().count() * 1024)
        .sum();
    let parts = parallel::chunks(&catalog.procedures, size, |_, procedures| {
        let mut out = Vec::new();
        for procedure in procedures {
            rollback_target(catalog, procedure, &mut out);
            destructive_commands(procedure, &mut out);
            severity_deadlines(procedure, &mut out);
            unreachable_steps(procedure, &mut out);
            duplicated_steps(procedure, &mut out);
        }
        out
    });
    let mut out: Vec<Diagnostic> = parts.into_iter().flatten().collect();
    out.extend(super::parse_vars::unset(catalog));
    out.extend(unreachable_contacts(catalog));
    out.extend(dashboards_without_url(catalog));
    out.extend(unheld_roles(catalog));
    for (severity, within, origin) in &parsed.per_severity {
        let Some(level) = parsed.catalog.severity(severity) else {
            continue;
        };
        let allowance = level.allowance();
        if *within > allowance {
            out.push(
                Diagnostic::warning(
                    "deadline-exceeds-severity",
                    origin.clone(),
                    format!(
                        "a {within} deadline for {severity} is longer than the severity allows ({allowance})"
                    ),
                )
                .with_help(format!(
                    "{severity} must be answered within {} and escalated {}",
                    level.response,
                    match level.escalation {
                        None => "never (n/a)".to_owned(),
                        Some(Duration::ZERO) => "immediately".to_owned(),
                        Some(e) => format!("within {e}"),
                    }
                )),
            );
        }
    }
    parsed.diagnostics.append(&mut out);
}

fn rollback_target(catalog: &Catalog, procedure: &Procedure, out: &mut Vec<Diagnostic>) {
    if procedure.kind != ProcedureKind::Deploy {
        return;
    }
    match procedure
        .rollback
        .as_deref()
        .map(|id| catalog.procedure(id))
    {
        None => out.push(
            Diagnostic::warning(
                "deploy-without-rollback",
                procedure.origin.clone(),
                format!(
                    "deploy procedure `{}` names no rollback procedure",
                    procedure.id
                ),
            )
            .with_help("add `rollback = \"<procedure id>\"` so the operator knows where to turn"),
        ),
        Some(Some(target)) if target.kind != ProcedureKind::Rollback => {
            out.push(Diagnostic::warning(
                "rollback-not-a-rollback",
                procedure.origin.clone(),
                format!(
                    "deploy procedure `{}` points to `{}`, which is a {} procedure, not a rollback",
                    procedure.id,
                    target.id,
                    target.kind.name()
                ),
            ));
        }
        // Unresolved ids are reported by validation already.
        Some(_) => {}
    }
}

/// An emergency contact with no way to reach it is a number missing at
/// 3 a.m.; so is one a step has the operator call (the DPO of a breach
/// notification): the team's site file must give it.
fn unreachable_contacts(catalog: &Catalog) -> Vec<Diagnostic> {
    let called = |id: &str| {
        catalog
            .procedures
            .iter()
            .flat_map(crate::catalog::Procedure::steps)
            .any(|s| s.contacts.iter().any(|c| c == id))
    };
    catalog
        .contacts
        .iter()
        .filter(|c| c.reach.is_none())
        .filter_map(|c| {
            let message = if c.emergency {
                format!("emergency contact `{}` has no way to reach it", c.id)
            } else if called(&c.id) {
                format!(
                    "contact `{}`, whom a step calls, has no way to reach it",
                    c.id
                )
            } else {
                return None;
            };
            Some(
                Diagnostic::warning("unreachable-contact", c.origin.clone(), message)
                    .with_help(format!(
                        "give its number in a site file: [[contact]] id = \"{}\" reach = \"…\"",
                        c.id
                    ))
                    .answered_by(format!("[[contact]] id = \"{}\" reach", c.id)),
            )
        })
        .collect()
}

/// A role a step must be signed off by, which nobody holds: no one can
/// tick that step.
fn unheld_roles(catalog: &Catalog) -> Vec<Diagnostic> {
    catalog
        .roles
        .iter()
        .filter(|r| r.holders.is_empty())
        .filter_map(|role| {
            let steps: Vec<String> = catalog
                .procedures
                .iter()
                .flat_map(|p| p.steps().map(move |s| (p, s)))
                .filter(|(_, s)| s.role.as_deref() == Some(role.id.as_str()))
                .map(|(p, s)| format!("{}/{}", p.id, s.id))
                .collect();
            (!steps.is_empty()).then(|| {
                Diagnostic::warning(
                    "role-without-holder",
                    role.origin.clone(),
                    format!(
                        "nobody holds role `{}`, which steps {} require",
                        role.id,
                        steps.join(", ")
                    ),
                )
                .with_help(format!(
                    "name its holders in a site file: [[role]] id = \"{}\" holders = [\"login\"]",
                    role.id
                ))
                .answered_by(role_answer(&role.id))
            })
        })
        .collect()
}

/// The site key that gives a role its holders.
pub fn role_answer(role: &str) -> String {
    format!("[[role]] id = \"{role}\" holders")
}

/// A dashboard without its URL is one more search during an incident.
fn dashboards_without_url(catalog: &Catalog) -> Vec<Diagnostic> {
    catalog
        .dashboards
        .iter()
        .filter(|d| d.url.is_none())
        .map(|d| {
            Diagnostic::warning(
                "dashboard-without-url",
                d.origin.clone(),
                format!("dashboard `{}` has no URL", d.id),
            )
            .with_help(format!(
                "give its address in a site file: [[dashboard]] id = \"{}\" url = \"https://…\"",
                d.id
            ))
            .answered_by(format!("[[dashboard]] id = \"{}\" url", d.id))
        })
        .collect()
}

pub fn destructive_word(command: &str) -> Option<&'static str> {
    command
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .map(|word| word.trim_start_matches('-'))
        .find_map(|word| {
            DESTRUCTIVE
                .iter()
                .find(|d| d.eq_ignore_ascii_case(word))
                .copied()
        })
}

fn destructive_commands(procedure: &Procedure, out: &mut Vec<Diagnostic>) {
    for step in procedure.steps().filter(|s| !s.confirm) {
        let Some((command, word)) = step
            .commands
            .iter()
            .find_map(|c| destructive_word(c).map(|w| (c, w)))
        else {
            continue;
        };
        out.push(
            Diagnostic::warning(
                "unconfirmed-destructive",
                step.origin.clone(),
                format!(
                    "step `{}` runs a destructive command (`{word}`) without confirmation: {command}",
                    step.id
                ),
            )
            .with_help("add `confirm = true` so the operator confirms before it is marked run"),
        );
    }
}

fn severity_deadlines(procedure: &Procedure, out: &mut Vec<Diagnostic>) {
    if procedure.asks_severity {
        return;
    }
    for step in procedure.steps() {
        let Some(deadline) = &step.deadline else {
            continue;
        };
        if matches!(
            deadline.within,
            Within::Response | Within::Escalation | Within::PerSeverity(_)
        ) {
            out.push(
                Diagnostic::warning(
                    "severity-deadline-without-severity",
                    step.origin.clone(),
                    format!(
                        "step `{}` has a deadline that depends on the severity, but procedure `{}` does not ask for one",
                        step.id, procedure.id
                    ),
                )
                .with_help("add `asks_severity = true` to the procedure, or give a fixed duration"),
            );
        }
    }
}

/// A step gated, directly or not, on itself can never open.
fn unreachable_steps(procedure: &Procedure, out: &mut Vec<Diagnostic>) {
    let gates: HashMap<&str, &str> = procedure
        .steps()
        .filter_map(|s| s.gate.as_ref().map(|g| (s.id.as_str(), g.after.as_str())))
        .collect();
    for step in procedure.steps() {
        let mut visited = HashSet::new();
        let mut current = step.id.as_str();
        while let Some(&next) = gates.get(current) {
            if next == step.id {
                out.push(
                    Diagnostic::warning(
                        "unreachable-step",
                        step.origin.clone(),
                        format!(
                            "step `{}` can never be done: its gate waits, through other gates, on itself",
                            step.id
                        ),
                    )
                    .with_help("break the cycle of `gate.after` references"),
                );
                break;
            }
            if !visited.insert(next) {
                break;
            }
            current = next;
        }
    }
}

fn duplicated_steps(procedure: &Procedure, out: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<(&str, String), &str> = HashMap::new();
    for step in procedure.steps() {
        for (lang, text) in step.text.variants() {
            let key = (lang, normalise(text));
            if let Some(first) = seen.get(&key) {
                out.push(
                    Diagnostic::warning(
                        "duplicated-step",
                        step.origin.clone(),
                        format!(
                            "step `{}` says the same as step `{first}`: \"{text}\"",
                            step.id
                        ),
                    )
                    .with_help("merge the two steps, or say how they differ"),
                );
                break;
            }
            seen.insert(key, &step.id);
        }
    }
}

/// Lowercase with runs of white space folded, so that spacing and case
/// do not hide a duplicate.
fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destructive_words_are_found_as_words() {
        assert_eq!(
            destructive_word("firebase appdistribution:releases:rollback --app X"),
            Some("rollback")
        );
        assert_eq!(destructive_word("git push --force"), Some("force"));
        assert_eq!(
            destructive_word("supabase db restore --point-in-time x"),
            Some("restore")
        );
        assert_eq!(destructive_word("flutter build apk --release"), None);
        assert_eq!(destructive_word("echo dropped"), None);
    }
}
