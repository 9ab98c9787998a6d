//! Line mode's `exec` (run the current step's command), `exec dry` (show
//! what would run) and `approve` (the second operator's approval of a
//! two-person step's command), through the flow every front end shares.

use std::io::{BufRead, Write};

use super::{Ending, Walk, WalkError};
use crate::exec::flow::{self, Next, Ran, Told};
use crate::live_run::LiveRunError;
use crate::run::Command;

impl Walk<'_, '_> {
    pub(super) fn approve(&mut self, out: &mut dyn Write) -> Result<Option<Ending>, WalkError> {
        let step = self.current().unwrap_or_default();
        self.approve_step(&step, out)
    }

    fn approve_step(
        &mut self,
        step: &str,
        out: &mut dyn Write,
    ) -> Result<Option<Ending>, WalkError> {
        if let Some(rejection) = self.try_command(&flow::approve(step), out)? {
            let w = self.words.line;
            writeln!(out, "{}", (w.refused)(&rejection.text(self.words)))?;
        } else {
            writeln!(out, "{}", (self.words.exec.approved)(step))?;
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
        let Some(step) = self.current() else {
            return Ok(None);
        };
        if matches!(rest, "dry" | "--dry-run" | "essai") {
            match flow::dry_run(&self.exec, self.session, &step, words) {
                Ok((_, lines)) => {
                    for line in lines {
                        writeln!(out, "{}", crate::text::inert(&line))?;
                    }
                }
                Err(refused) => writeln!(out, "{}", (words.line.refused)(&refused.0))?,
            }
            return Ok(None);
        }
        let (plan, typed) = match flow::next(&self.exec, self.session, &step, words) {
            Err(refused) => {
                writeln!(out, "{}", (words.line.refused)(&refused.0))?;
                return Ok(None);
            }
            Ok(Next::Confirm { plan, typed }) => (plan, typed),
            Ok(Next::Request(request)) => {
                if let Some(rejection) = self.try_command(&request, out)? {
                    writeln!(out, "{}", (words.line.refused)(&rejection.text(words)))?;
                }
                return Ok(None);
            }
            Ok(Next::Waiting { by }) => {
                writeln!(out, "{}", (w.waiting_approval)(&by))?;
                return Ok(None);
            }
            Ok(Next::Approve {
                asked_by, shown, ..
            }) => {
                let asked = (w.approve_ask)(&asked_by, &shown);
                write!(out, "{}", crate::text::inert(&asked))?;
                out.flush()?;
                if !crate::text::is_yes(&read_line(input)?) {
                    writeln!(out, "{}", w.cancelled)?;
                    return Ok(None);
                }
                return self.approve_step(&step, out);
            }
        };
        writeln!(out, "{}", crate::text::inert(&(w.would_run)(&plan.shown)))?;
        let question = if typed {
            (w.ask_typed)(&step)
        } else {
            w.type_yes.to_owned()
        };
        write!(out, "{question}")?;
        out.flush()?;
        if !flow::confirms(&read_line(input)?, &plan, typed) {
            writeln!(out, "{}", w.cancelled)?;
            return Ok(None);
        }
        self.run_confirmed(step, &plan, typed, input, out)
    }

    /// Runs the confirmed command, and offers to record a failure.
    fn run_confirmed(
        &mut self,
        step: String,
        plan: &crate::exec::plan::Plan,
        typed: bool,
        input: &mut dyn BufRead,
        out: &mut dyn Write,
    ) -> Result<Option<Ending>, WalkError> {
        let words = self.words;
        let w = words.exec;
        let mut say = |line: String| crate::say!("{line}");
        let note = match flow::run_and_record(self.session, plan, typed, words, out, &mut say) {
            Ran::Refused(LiveRunError::Rejected(rejection)) => {
                writeln!(out, "{}", (words.line.refused)(&rejection.text(words)))?;
                return Ok(None);
            }
            Ran::Refused(e) => return Err(e.into()),
            Ran::NotStarted(why) | Ran::Unrecorded(why) => {
                crate::say!("runbook: {why}");
                return Ok(None);
            }
            Ran::Ended {
                told: Told::Ticked(said) | Told::Finished(said),
                ..
            } => {
                crate::say!("{said}");
                let done = !self.session.state.status(&step).is_open();
                let command = Command::Complete {
                    step,
                    note: None,
                    confirmed: false,
                    override_hold: None,
                };
                return if done {
                    self.after(&command, out)
                } else {
                    Ok(None)
                };
            }
            Ran::Ended {
                told: Told::Failed { said, note },
                ..
            } => {
                crate::say!("{said}");
                note
            }
        };
        write!(out, "{}", w.record_failure_ask)?;
        out.flush()?;
        let answer = read_line(input)?;
        // `f` as in the console, where the same key records it.
        if !crate::text::is_yes(&answer) && answer.trim() != "f" {
            return Ok(None);
        }
        let fail = Command::Fail { step, note };
        if let Some(rejection) = self.try_command(&fail, out)? {
            writeln!(out, "{}", (words.line.refused)(&rejection.text(words)))?;
            return Ok(None);
        }
        self.after(&fail, out)
    }
}

fn read_line(input: &mut dyn BufRead) -> std::io::Result<String> {
    let mut answer = String::new();
    input.read_line(&mut answer)?;
    Ok(answer)
}
