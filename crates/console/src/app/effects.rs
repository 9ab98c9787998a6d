//! What the app does with `update`'s effects: journal work sent to a
//! thread, the console's own moves, and what the journal answered.

use std::io::Write;

use chrono::Utc;

use super::{App, pending};
use crate::live_run::{LiveRun, LiveRunError};
use crate::model::{Screen, Tone};
use crate::run::Command;
use crate::terminal::{self, Console};
use crate::update::{Effect, Msg};

impl App<'_> {
    pub(super) fn run_effects(&mut self, effects: Vec<Effect>, console: &mut Console) {
        for effect in effects {
            if effect == Effect::CancelPending {
                self.cancel_pending();
                continue;
            }
            if let Some(away) = self.away.as_mut()
                && pending::needs_session(&effect)
            {
                // Its turn comes when the journal has answered.
                away.queued.push_back(effect);
                continue;
            }
            if self.journal_failed && !matches!(effect, Effect::Quit | Effect::Copy(_)) {
                self.model
                    .notify(Tone::Danger, self.words().console.journal_failed);
                continue;
            }
            let msg = match effect {
                Effect::Execute(command) => self.execute(&command),
                Effect::Start {
                    procedure,
                    severity,
                } => {
                    // One instant for the run's start and its drill clock's
                    // origin: a drill starts at the real time it started,
                    // however long the journal took to open.
                    let real = Utc::now();
                    let drill = self.drill_setup(real);
                    let opened = self
                        .setup
                        .journal
                        .open()
                        .map_err(LiveRunError::Journal)
                        .and_then(|writer| {
                            LiveRun::start_with(
                                self.setup.catalog,
                                writer,
                                &procedure,
                                severity.as_deref(),
                                real,
                                drill,
                            )
                        });
                    self.open_session(opened);
                    None
                }
                Effect::Join(run) => {
                    self.resume(Some(&run));
                    None
                }
                Effect::Quit | Effect::LeaveRun if self.exec.is_running() => {
                    Some(Msg::Refused(self.words().exec.still_running.to_owned()))
                }
                Effect::LeaveRun => {
                    self.detach("left");
                    self.model.screen = Screen::Home;
                    None
                }
                Effect::Copy(text) => {
                    let sequence = terminal::osc52(&text);
                    let backend = console.backend_mut().inner_mut();
                    let sent = backend
                        .write_all(sequence.as_bytes())
                        .and_then(|()| backend.flush());
                    Some(match sent {
                        Ok(()) => Msg::Recorded((self.words().console.copied)(&text)),
                        Err(e) => Msg::Refused((self.words().console.copy_failed)(&e.to_string())),
                    })
                }
                Effect::PrepareExec(_) | Effect::RunExec { .. } if self.drill.is_some() => {
                    Some(Msg::Refused(self.words().drill.no_exec.to_owned()))
                }
                Effect::PrepareExec(step) => self.prepare_exec(&step),
                Effect::RunExec { step, confirmed } => self.run_exec(&step, confirmed),
                Effect::JumpClock => self.jump(),
                Effect::DryRun(step) => self.dry_run(&step),
                Effect::ShowOutput(step) => self.show_output(&step),
                Effect::AddFollowup(text) => self.add_followup(&text),
                Effect::InterruptExec => {
                    self.exec.interrupt();
                    None
                }
                Effect::ScrollOutput(rows) => {
                    self.exec.scroll(rows);
                    None
                }
                Effect::Quit => {
                    self.detach("quit");
                    self.model.quit = true;
                    None
                }
                Effect::CancelPending => None,
            };
            if let Some(msg) = msg {
                let more = self.update(msg);
                debug_assert!(more.is_empty());
            }
        }
    }

    /// Sends the command to be decided and recorded on a thread of its
    /// own; the answer comes back through `finish_job`.
    pub(super) fn execute(&mut self, command: &Command) -> Option<Msg> {
        let session = self.session.take()?;
        let now = Utc::now();
        let readings = pending::Snapshot::take(self.setup.catalog, &self.panel.history, now);
        self.away = Some(pending::Away::new(&session, Some(command.clone())));
        self.jobs.push(pending::Job::LiveRun {
            session: Box::new(session),
            work: pending::Work::Execute(Box::new(pending::Asked {
                command: command.clone(),
                now,
                readings,
            })),
        });
        None
    }

    /// A follow-up of the open run, recorded on the session's thread like
    /// a command.
    pub(super) fn add_followup(&mut self, text: &str) -> Option<Msg> {
        let session = self.session.take()?;
        let now = Utc::now();
        let (text, owner, due) = crate::learn::ledger::quick(text, now);
        self.away = Some(pending::Away::new(&session, None));
        self.jobs.push(pending::Job::LiveRun {
            session: Box::new(session),
            work: pending::Work::Followup {
                text,
                owner,
                due,
                now,
            },
        });
        None
    }

    /// What the journal answered to a command, in words.
    pub(super) fn executed(
        &mut self,
        result: Result<Vec<crate::journal::Appended>, LiveRunError>,
    ) -> Option<Msg> {
        match result {
            Ok(appended) => {
                self.delivery.nudge();
                let seqs: Vec<String> = appended.iter().map(|a| format!("#{}", a.seq)).collect();
                let mut said = (self.words().console.recorded)(&seqs.join(", "));
                if let Some(off) = self.session.as_ref().and_then(LiveRun::clock_off) {
                    let off = crate::catalog::duration::human(off);
                    said.push_str(&(self.words().line.clock_off)(&off));
                }
                Some(Msg::Recorded(said))
            }
            Err(LiveRunError::Rejected(r)) => Some(Msg::Refused(r.text(self.words()))),
            Err(e) => {
                self.fail(&e);
                None
            }
        }
    }
}
