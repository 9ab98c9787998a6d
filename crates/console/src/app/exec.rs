//! The console's `x`: plan the step's command, confirm it, record its
//! start, run it with its output in the pane, record its end. On a
//! hang-up the command is waited for (bounded by its timeout) and its end
//! recorded before the console leaves.

use tokio::sync::mpsc;

use super::App;
use crate::exec::flow::{self, Next, Told};
use crate::exec::journaled::{self, Failure};
use crate::live_run::LiveRunError;
use crate::model::{Overlay, Tone};
use crate::running::Active;
use crate::update::Msg;

impl App<'_> {
    fn plan(&mut self, step: &str) -> Option<crate::exec::plan::Plan> {
        let session = self.session.as_ref()?;
        match flow::plan(&self.setup.exec, session, step, self.words()) {
            Ok(plan) => Some(plan),
            Err(refused) => {
                self.model.notify(Tone::Warning, refused.0);
                None
            }
        }
    }

    /// `x`: refused where the config does not allow it; a two-person
    /// step's command is asked for (or approved, by the second operator);
    /// else the confirmation opens with the command fully expanded.
    pub(super) fn prepare_exec(&mut self, step: &str) -> Option<Msg> {
        let session = self.session.as_ref()?;
        match flow::next(&self.setup.exec, session, step, self.words()) {
            Err(refused) => {
                self.model.notify(Tone::Warning, refused.0);
                None
            }
            // Pressing `x` on a command someone else asked for is the
            // approval: the overlay of the asker's command stays theirs.
            Ok(Next::Request(command) | Next::Approve { command, .. }) => self.execute(&command),
            Ok(Next::Waiting { by }) => {
                let waiting = (self.words().exec.waiting_approval)(&by);
                self.model.notify(Tone::Info, waiting);
                None
            }
            Ok(Next::Confirm { plan, typed }) => {
                self.model.overlay = Overlay::Exec {
                    step: plan.step,
                    shown: plan.shown,
                    typed: typed.then(|| crate::model::Input::new(crate::model::Purpose::Search)),
                };
                None
            }
        }
    }

    pub(super) fn dry_run(&mut self, step: &str) -> Option<Msg> {
        let session = self.session.as_ref()?;
        let (plan, lines) = match flow::dry_run(&self.setup.exec, session, step, self.words()) {
            Ok(dry) => dry,
            Err(refused) => {
                self.model.notify(Tone::Warning, refused.0);
                return None;
            }
        };
        let dry = self.words().exec.dry_run;
        let pane = self.exec.new_pane(step, &plan.shown);
        pane.feed(lines.join("\n").into_bytes());
        pane.settle();
        pane.ended = Some((dry.to_owned(), 0));
        self.model.notify(Tone::Info, self.words().exec.dry_run);
        None
    }

    pub(super) fn show_output(&mut self, step: &str) -> Option<Msg> {
        let session = self.session.as_ref()?;
        let words = self.words();
        let Some((ran, finished)) = session
            .state
            .last_command(step)
            .and_then(|ran| ran.finished.clone().map(|f| (ran.clone(), f)))
        else {
            self.model.notify(Tone::Info, words.exec.no_output);
            return None;
        };
        let source = crate::exec::shown::Source {
            journal: session.journal(),
            side: session.journal_path().to_owned(),
            seq: ran.seq,
            output: finished.output.clone(),
        };
        let output = self.exec.output.clone()?;
        let outcome = crate::run::said::outcome(words, &finished.outcome);
        let pane = self.exec.new_pane(step, &ran.command);
        pane.ended = Some((outcome, finished.duration_ms));
        std::thread::spawn(move || {
            for chunk in source.read_end(words) {
                // The console left: nobody to show it to.
                if output.blocking_send(chunk).is_err() {
                    return;
                }
            }
        });
        None
    }

    pub(super) fn run_exec(&mut self, step: &str, confirmed: bool) -> Option<Msg> {
        if self.exec.is_running() {
            return Some(Msg::Refused(self.words().exec.still_running.to_owned()));
        }
        let plan = self.plan(step)?;
        let output = self.exec.output.clone()?;
        let tee = Box::new(move |bytes: Vec<u8>| {
            // Backpressure: a console slow to draw slows the command's
            // pipe, never grows memory. Gone (the console left): the file
            // still gets it all.
            let _ = output.blocking_send(bytes);
        });
        self.exec.failure_note = None;
        self.exec.new_pane(step, &plan.shown);
        let session = self.session.as_mut()?;
        match journaled::begin(session, &plan, confirmed, tee) {
            Ok(begun) => {
                let words = self.words();
                self.model
                    .notify(Tone::Info, (words.exec.started)(begun.seq, &plan.shown));
                self.exec.active = Some(Active {
                    plan,
                    seq: begun.seq,
                    confirmed,
                    running: begun.running,
                });
                None
            }
            Err(Failure::LiveRun(LiveRunError::Rejected(r))) => {
                self.exec.pane = None;
                Some(Msg::Refused(r.text(self.words())))
            }
            Err(Failure::LiveRun(e)) => {
                self.exec.pane = None;
                self.fail(&e);
                None
            }
            Err(Failure::Spawn(e)) => {
                let text = (self.words().exec.not_started)(&e.to_string());
                if let Some(pane) = self.exec.pane.as_mut() {
                    pane.ended = Some((text.clone(), 0));
                }
                Some(Msg::Refused(text))
            }
        }
    }

    /// The command ended: records it, ticks the step when the catalog
    /// says success is enough, or offers the failure with the output's end.
    pub(super) fn end_exec(&mut self) {
        let Some(active) = self.exec.active.take() else {
            return;
        };
        let words = self.words();
        let done = match active.running.wait() {
            Ok(done) => done,
            Err(e) => {
                tracing::error!("{e}");
                self.model.notify(Tone::Danger, e.to_string());
                return;
            }
        };
        if let Some(fault) = &done.fault {
            let text = (words.exec.output_fault)(&fault.to_string());
            self.model.notify(Tone::Danger, text);
        }
        if let Some(why) = &done.unstored {
            let text = (words.exec.output_not_stored)(why, &done.output.file);
            self.model.notify(Tone::Warning, text);
        }
        let outcome = crate::run::said::outcome(words, &done.outcome);
        if let Some(pane) = self.exec.pane.as_mut() {
            pane.ended = Some((outcome.clone(), done.duration_ms));
        }
        let note = (words.exec.success_note)(&active.plan.shown);
        let Some(session) = self.session.as_mut() else {
            return;
        };
        let plan = &active.plan;
        match journaled::end(session, plan, active.seq, done, active.confirmed, &note) {
            Ok(ended) => match flow::told(words, plan, &ended) {
                Told::Ticked(said) | Told::Finished(said) => self.model.notify(Tone::Ok, said),
                Told::Failed { said, note } => {
                    self.exec.failure_note = Some((plan.step.clone(), note));
                    let text = format!("{said} · {}", words.exec.record_failure_hint);
                    self.model.notify(Tone::Danger, text);
                }
            },
            Err(e) => self.fail(&e),
        }
        self.model.dirty = true;
    }

    /// No terminal any more: the command is not killed; its output stops
    /// going to a pane nobody sees (the file gets all of it), and its end
    /// is waited for, at most its timeout and grace, and recorded.
    /// Leaves with no terminal: a running command's end recorded first,
    /// then the operator's leaving.
    pub(super) fn leave_unattended(&mut self, output: &mut mpsc::Receiver<Vec<u8>>, why: &str) {
        self.finish_exec_unattended(output);
        self.detach(why);
    }

    fn finish_exec_unattended(&mut self, output: &mut mpsc::Receiver<Vec<u8>>) {
        if !self.exec.is_running() {
            return;
        }
        tracing::warn!("{}", self.words().exec.hangup_wait);
        output.close();
        while output.try_recv().is_ok() {}
        self.end_exec();
    }
}
