//! Running a step's command: the plan (what exactly runs), the process
//! and its supervisor, the output file, the masking of secrets, and the
//! console's pane. The decisions (may it run, is it approved) are the
//! domain's, in `run::exec`; this is the shell that carries them out.

pub mod flow;
pub mod journaled;
pub mod output;
pub mod plan;
pub mod process;
pub mod redact;
pub mod shown;
pub mod stream;
pub mod upload;
pub mod verify;

use crate::catalog::{Catalog, Step};
use crate::run::RunState;
use crate::text::Words;

/// What the operator's config says about running commands here.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// `exec = true`.
    pub allowed: bool,
    /// `redact = [...]`: environment variables whose values are masked.
    pub redact: Vec<String>,
    /// The config file, for the refusal to name.
    pub config: String,
}

impl Policy {
    /// Why running is refused here, when it is.
    pub fn refusal(&self, words: &Words) -> Option<String> {
        (!self.allowed).then(|| (words.exec.exec_off)(&self.config))
    }

    /// The plan for `step` now, from the operator's environment.
    pub fn plan(
        &self,
        catalog: &Catalog,
        state: &RunState,
        step: &Step,
        operator: &str,
    ) -> Result<plan::Plan, plan::PlanError> {
        let env = |name: &str| std::env::var(name).ok();
        plan::plan(
            catalog,
            state,
            step,
            plan::Given {
                operator,
                redact: &self.redact,
                env: &env,
            },
        )
    }
}

/// A plan refused, in words.
pub fn plan_refusal(words: &Words, error: &plan::PlanError) -> String {
    match error {
        plan::PlanError::NotRunnable(step) => (words.exec.not_runnable)(step),
        plan::PlanError::Unset(names) => {
            let names: Vec<String> = names.iter().map(|n| format!("${{{n}}}")).collect();
            (words.exec.unset)(&names.join(", "))
        }
    }
}

/// The dry run's lines: what would run, where, for how long, with what.
pub fn dry_run_lines(words: &Words, plan: &plan::Plan, host: &str) -> Vec<String> {
    let w = words.exec;
    let cwd = std::env::current_dir()
        .map(|d| d.display().to_string())
        .unwrap_or_default();
    let timeout = crate::catalog::duration::human_ms(
        u64::try_from(plan.timeout.as_millis()).unwrap_or(u64::MAX),
    );
    let vars: Vec<String> = plan
        .env
        .iter()
        .map(|(k, v)| format!("{k}={}", crate::catalog::exec::quote(v)))
        .collect();
    let mut lines = vec![
        (w.would_run)(&plan.shown),
        (w.would_where)(host, &cwd, &timeout),
        (w.would_env)(&vars.join(" ")),
    ];
    if !plan.secrets.is_empty() {
        lines.push(w.redacted_note.to_owned());
    }
    lines.push(w.dry_run.to_owned());
    lines
}

/// The exit status a script sees for a command: its own, or 128 + the
/// signal that ended it, as a shell reports it.
pub fn exit_code(outcome: &crate::run::command::Outcome) -> u8 {
    if outcome.error.is_some() {
        return 127;
    }
    if let Some(code) = outcome.exit {
        return u8::try_from(code.clamp(0, 255)).unwrap_or(1);
    }
    let signal = outcome
        .signal
        .as_deref()
        .and_then(process::signal_number)
        .unwrap_or(0);
    128u8.saturating_add(u8::try_from(signal).unwrap_or(0))
}
