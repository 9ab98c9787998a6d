//! Line mode's `exec` (run the current step's command), `exec dry` (show
//! what would run) and `approve` (the second operator's approval of a
//! two-person step's command).

use std::io::{BufRead, Write};

use super::{Ending, Walk, WalkError};
use crate::run::Command;

impl Walk<'_, '_> {
    pub(super) fn approve(&mut self, out: &mut dyn Write) -> Result<Option<Ending>, WalkError> {
        let step = self.current().unwrap_or_default();
        if let Some(rejection) =
            self.try_command(&Command::ApproveRun { step: step.clone() }, out)?
        {
            let w = self.words.line;
            writeln!(out, "{}", (w.refused)(&rejection.text(self.words)))?;
        } else {
            writeln!(out, "{}", (self.words.exec.approved)(&step))?;
        }
        Ok(None)
    }

    pub(super) fn exec(
        &mut self,
        rest: &str,
        input: &mut dyn BufRead,
        out: &mut dyn Write,
    ) -> Result<Option<Ending>, WalkError> {
        let words = self.words;
        let w = words.exec;
        let steps = self.steps();
        let Some(&(_, step)) = steps.get(self.cursor) else {
            return Ok(None);
        };
        let dry = matches!(rest, "dry" | "--dry-run" | "essai");
        if !dry && let Some(refusal) = self.exec.refusal(words) {
            writeln!(out, "{}", (words.line.refused)(&refusal))?;
            return Ok(None);
        }
        let operator = self.session.operator().to_owned();
        let plan = match self
            .exec
            .plan(self.session.catalog, &self.session.state, step, &operator)
        {
            Ok(plan) => plan,
            Err(e) => {
                let why = crate::exec::plan_refusal(words, &e);
                writeln!(out, "{}", (words.line.refused)(&why))?;
                return Ok(None);
            }
        };
        if dry {
            for line in crate::exec::dry_run_lines(words, &plan, self.session.host()) {
                writeln!(out, "{}", crate::text::inert(&line))?;
            }
            return Ok(None);
        }
        if step.two_person && !self.session.state.run_approved(&step.id) {
            if let Some(request) = self.session.state.requests.get(&step.id) {
                writeln!(out, "{}", (w.waiting_approval)(&request.by))?;
                return Ok(None);
            }
            let request = Command::RequestRun {
                step: step.id.clone(),
                command: plan.shown.clone(),
            };
            if let Some(rejection) = self.try_command(&request, out)? {
                writeln!(out, "{}", (words.line.refused)(&rejection.text(words)))?;
            }
            return Ok(None);
        }
        writeln!(out, "{}", crate::text::inert(&(w.would_run)(&plan.shown)))?;
        let question = if step.confirm {
            (w.ask_typed)(&step.id)
        } else {
            w.type_yes.to_owned()
        };
        write!(out, "{question}")?;
        out.flush()?;
        let mut answer = String::new();
        input.read_line(&mut answer)?;
        let answer = answer.trim();
        let confirmed = if step.confirm {
            answer == step.id
        } else {
            answer == "yes" || answer == words.line.yes
        };
        if !confirmed {
            writeln!(out, "{}", w.cancelled)?;
            return Ok(None);
        }
        let recorded =
            crate::commands::exec::run_and_record(self.session, &plan, step.confirm, words, out)?;
        let Some(note) = recorded.failure_note else {
            let done = !self.session.state.status(&step.id).is_open();
            let command = Command::Complete {
                step: step.id.clone(),
                note: None,
                confirmed: false,
            };
            return if done {
                self.after(&command, out)
            } else {
                Ok(None)
            };
        };
        write!(out, "{}", w.record_failure_ask)?;
        out.flush()?;
        let mut answer = String::new();
        input.read_line(&mut answer)?;
        if !matches!(answer.trim(), "yes" | "f") && answer.trim() != words.line.yes {
            return Ok(None);
        }
        let fail = Command::Fail {
            step: step.id.clone(),
            note,
        };
        if let Some(rejection) = self.try_command(&fail, out)? {
            writeln!(out, "{}", (words.line.refused)(&rejection.text(words)))?;
            return Ok(None);
        }
        self.after(&fail, out)
    }
}
