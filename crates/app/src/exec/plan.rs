//! What exactly runs for a step, decided before anything runs: the
//! program with every variable in place, the line the operator confirms
//! (secrets masked), the environment it adds, and the values to mask in
//! its output. The confirmation, the dry run and the journal all show this
//! one line.

use std::time::Duration;

use crate::catalog::exec::{Program, quote};
use crate::catalog::{Catalog, Step, vars};
use crate::run::RunState;

use super::redact::{self, Redactor};

#[derive(Debug, Clone)]
pub struct Plan {
    pub step: String,
    /// What is executed: an argv, or `sh -c LINE`.
    pub argv: Vec<String>,
    /// The command as shown and journaled, secrets masked.
    pub shown: String,
    /// Added to the operator's environment.
    pub env: Vec<(String, String)>,
    /// Values masked wherever the command or its output is kept or shown.
    pub secrets: Vec<String>,
    pub timeout: Duration,
    pub done_on_success: bool,
}

impl Plan {
    pub fn redactor(&self) -> Redactor {
        Redactor::new(&self.secrets)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanError {
    NotRunnable(String),
    /// Variables with no value yet: the run has not given them, or the
    /// environment lacks them.
    Unset(Vec<String>),
}

/// What the plan reads from outside the catalog and the run.
#[derive(Clone, Copy)]
pub struct Given<'a> {
    pub operator: &'a str,
    /// Environment variables whose values are masked (the config's
    /// `redact`).
    pub redact: &'a [String],
    pub env: &'a dyn Fn(&str) -> Option<String>,
}

impl std::fmt::Debug for Given<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Given")
            .field("operator", &self.operator)
            .field("redact", &self.redact)
            .finish_non_exhaustive()
    }
}

/// The value a run gives to `name`: its id, severity, operator, or what
/// the step that `sets` it recorded (its typed answer, else its note).
fn run_value(catalog: &Catalog, state: &RunState, operator: &str, name: &str) -> Option<String> {
    match name {
        "run_id" => Some(state.id.clone()),
        "severity" => state.severity.clone(),
        "operator" => Some(operator.to_owned()),
        _ => {
            let procedure = catalog.procedure(&state.procedure)?;
            let setter = procedure
                .steps()
                .find(|s| s.sets.as_deref() == Some(name))?;
            state.answers.get(&setter.id).cloned().or_else(|| {
                state
                    .notes
                    .iter()
                    .rev()
                    .find(|n| n.step.as_deref() == Some(setter.id.as_str()))
                    .map(|n| n.text.trim().to_owned())
            })
        }
    }
}

pub fn plan(
    catalog: &Catalog,
    state: &RunState,
    step: &Step,
    given: Given<'_>,
) -> Result<Plan, PlanError> {
    let run = step
        .run
        .as_ref()
        .ok_or_else(|| PlanError::NotRunnable(step.id.clone()))?;
    let mut secrets: Vec<String> = given
        .redact
        .iter()
        .filter_map(|name| (given.env)(name))
        .collect();
    let mut unset = Vec::new();
    // A variable's value, and whether it is a secret.
    let mut value = |name: &str| -> Option<(String, bool)> {
        if let Some(var) = catalog.env_vars.get(name) {
            let found = (given.env)(&var.env).filter(|v| !v.is_empty());
            if let Some(v) = &found
                && var.secret
            {
                secrets.push(v.clone());
            }
            return found.map(|v| (v, var.secret));
        }
        run_value(catalog, state, given.operator, name).map(|v| (v, false))
    };
    let mut real = Vec::new();
    let mut masked = Vec::new();
    let shell = matches!(run.program, Program::Shell(_));
    for text in run.program.texts() {
        let mut known = std::collections::HashMap::new();
        for (_, name) in vars::uses(text) {
            match value(name) {
                Some(v) => {
                    known.insert(name.to_owned(), v);
                }
                None => {
                    if !unset.iter().any(|u| u == name) {
                        unset.push(name.to_owned());
                    }
                }
            }
        }
        let put = |mask: bool| {
            vars::expand(text, |name| {
                known.get(name).map(|(v, secret)| {
                    let v = if mask && *secret {
                        String::from_utf8_lossy(redact::MASK).into_owned()
                    } else {
                        v.clone()
                    };
                    // In a shell line a value is one word, whatever it holds.
                    if shell { quote(&v).into_owned() } else { v }
                })
            })
            .into_owned()
        };
        real.push(put(false));
        masked.push(put(true));
    }
    if !unset.is_empty() {
        return Err(PlanError::Unset(unset));
    }
    let (argv, shown) = match run.program {
        Program::Shell(_) => {
            let line = real.pop().unwrap_or_default();
            let shown = masked.pop().unwrap_or_default();
            (vec!["sh".to_owned(), "-c".to_owned(), line], shown)
        }
        Program::Argv(_) => (real, Program::Argv(masked).line()),
    };
    let mut env = vec![
        ("RUNBOOK_RUN_ID".to_owned(), state.id.clone()),
        ("RUNBOOK_STEP".to_owned(), step.id.clone()),
        ("RUNBOOK_OPERATOR".to_owned(), given.operator.to_owned()),
    ];
    if let Some(severity) = &state.severity {
        env.push(("RUNBOOK_SEVERITY".to_owned(), severity.clone()));
    }
    secrets.retain(|s| s.len() >= redact::SHORTEST);
    let shown = Redactor::new(&secrets).text(&shown);
    Ok(Plan {
        step: step.id.clone(),
        argv,
        shown,
        env,
        secrets,
        timeout: Duration::from_secs(run.timeout.as_secs()),
        done_on_success: run.done_on_success,
    })
}
