//! The rules, applied again to a journal. Each entry an operator's command
//! made is turned back into that command and given to the same `decide`
//! the clients call, with what the entry says: who (its operator and
//! proof), when (its own time) and the run's state from the entries
//! before it. An entry the rules refuse, or decide otherwise, is named by
//! `audit verify`; so a tampered client, an edited catalog or a line
//! written by hand gains nothing the rules would not have given.

use std::collections::{HashMap, HashSet, VecDeque};

use super::decide::{Command, decide, start};
use super::event::Event;
use super::folder::Folder;
use super::rules::Context;
use crate::catalog::Catalog;
use crate::journal::Entry;
use crate::journal::verify::{self, Fault};
use crate::text::words::EN;

/// What the rules say of an entry they would not have taken as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The rules would have refused it, and why.
    Refused(String),
    /// Its run cannot be judged by these rules (said at its start).
    Unjudged(String),
}

#[derive(Debug)]
pub struct Judge {
    rules: Catalog,
    folder: Folder,
    /// What a run's last command decided beyond its first event: the
    /// entries expected next in that run.
    follows: HashMap<String, VecDeque<Event>>,
    /// Drills, and runs whose procedure the rules do not hold (said once,
    /// at their start): not judged further.
    unjudged: HashSet<String>,
}

impl Judge {
    /// Judges by `catalog`, the team's. Metric holds are not judged here:
    /// the readings a client saw are not in the journal.
    pub fn new(catalog: &Catalog) -> Self {
        let mut rules = catalog.clone();
        for metric in &mut rules.metrics {
            metric.source = None;
        }
        Judge {
            rules,
            folder: Folder::default(),
            follows: HashMap::new(),
            unjudged: HashSet::new(),
        }
    }

    /// What the rules say of `entry`, when they would not have taken it.
    pub fn entry(&mut self, entry: &Entry) -> Option<Verdict> {
        let why = self.verdict(entry);
        self.folder.push(entry);
        why
    }

    fn verdict(&mut self, entry: &Entry) -> Option<Verdict> {
        let run = entry.run.as_deref()?;
        if self.unjudged.contains(run) {
            return None;
        }
        let expected = self.follows.get_mut(run).and_then(VecDeque::pop_front);
        if expected.as_ref() == Some(&entry.event) {
            return None;
        }
        // What did not follow was the client's to leave out: the rules
        // refuse nothing by it.
        self.follows.remove(run);
        let why = match &entry.event {
            Event::RunStarted {
                procedure,
                procedure_hash,
                severity,
            } => {
                let why = self.started(procedure, procedure_hash, severity.as_deref());
                if why.is_some() {
                    self.unjudged.insert(run.to_owned());
                }
                return why.map(Verdict::Unjudged);
            }
            Event::DrillStarted { .. } => {
                self.unjudged.insert(run.to_owned());
                return None;
            }
            Event::StepNotNeeded { step, .. } => Some(format!(
                "step `{step}` is marked not needed, which only an answer to another step decides"
            )),
            event => {
                let command = command_of(event)?;
                self.decided(entry, event, &command)
            }
        };
        why.map(Verdict::Refused)
    }

    fn started(&self, procedure: &str, hash: &str, severity: Option<&str>) -> Option<String> {
        match start(&self.rules, procedure, severity) {
            Err(rejection) => Some(rejection.text(&EN)),
            Ok(Event::RunStarted {
                procedure_hash: ours,
                ..
            }) if ours != hash => Some(format!(
                "it started with procedure `{procedure}` of content {}, not the one these rules hold ({})",
                short(hash),
                short(&ours)
            )),
            Ok(_) => None,
        }
    }

    fn decided(&mut self, entry: &Entry, event: &Event, command: &Command) -> Option<String> {
        let run = entry.run.as_deref()?;
        let state = self.folder.get(run)?;
        let procedure = self.rules.procedure(&state.procedure)?;
        let proof = crate::journal::identity::proof(
            &entry.operator,
            entry.os_user.as_deref(),
            &entry.host,
            entry.signer.as_deref(),
        );
        let ctx = Context {
            catalog: &self.rules,
            procedure,
            operator: &entry.operator,
            proof: &proof,
            extra_roles: &[],
            now: entry.drill_ts.unwrap_or(entry.ts),
            readings: None,
        };
        match decide(state, &ctx, command) {
            Err(rejection) => Some(rejection.text(&EN)),
            Ok(events) => {
                let mut events = events.into_iter();
                let first = events.next();
                if first.as_ref() != Some(event) {
                    let ours = first.as_ref().map_or("nothing", Event::name);
                    return Some(format!(
                        "the rules record `{ours}` for this command, not `{}` as written",
                        event.name()
                    ));
                }
                self.follows.insert(run.to_owned(), events.collect());
                None
            }
        }
    }
}

impl verify::Judge for Judge {
    fn judge(&mut self, line: &[u8]) -> Vec<Fault> {
        let entry: Entry = match serde_json::from_slice(line) {
            Ok(entry) => entry,
            Err(e) => {
                let detail = format!("not an entry this version can judge: {e}");
                return vec![Fault::NotAnEntry { detail }];
            }
        };
        let (seq, run) = (entry.seq, entry.run.clone());
        let fault = match self.entry(&entry) {
            None => return Vec::new(),
            Some(Verdict::Unjudged(why)) => Fault::Unjudged { seq, run, why },
            Some(Verdict::Refused(why)) => Fault::Refused {
                seq,
                run,
                named: entry.operator,
                why,
            },
        };
        vec![fault]
    }
}

/// The command an operator gave to record `event`; `None` for what no
/// run command records (a metric's crossing, a notification, an anchor).
fn command_of(event: &Event) -> Option<Command> {
    let step = |s: &String| s.clone();
    Some(match event {
        Event::StepCompleted { step: s, note, .. } | Event::StepProposed { step: s, note } => {
            Command::Complete {
                step: step(s),
                note: note.clone(),
                confirmed: true,
            }
        }
        Event::StepConfirmed { step: s } => Command::Confirm { step: step(s) },
        Event::StepClaimed { step: s } => Command::Claim { step: step(s) },
        Event::StepSkipped { step: s, reason } => Command::Skip {
            step: step(s),
            reason: reason.clone(),
        },
        Event::StepFailed { step: s, note } => Command::Fail {
            step: step(s),
            note: note.clone(),
        },
        Event::StepReopened { step: s, reason } => Command::Reopen {
            step: step(s),
            reason: reason.clone(),
        },
        Event::NoteAdded { step: s, text } => Command::Note {
            step: s.clone(),
            text: text.clone(),
        },
        Event::CommandRequested { step: s, command } => Command::RequestRun {
            step: step(s),
            command: command.clone(),
        },
        Event::CommandApproved { step: s, .. } => Command::ApproveRun { step: step(s) },
        Event::CommandStarted {
            step: s,
            command,
            host,
            cwd,
            ..
        } => Command::StartRun {
            step: step(s),
            command: command.clone(),
            host: host.clone(),
            cwd: cwd.clone(),
            confirmed: true,
        },
        Event::CommandFinished {
            step: s,
            started,
            outcome,
            duration_ms,
            output,
        } => Command::FinishRun {
            step: step(s),
            started: *started,
            outcome: outcome.clone(),
            duration_ms: *duration_ms,
            output: output.clone(),
        },
        Event::SeverityChanged { to, .. } => Command::ChangeSeverity { to: to.clone() },
        Event::RunDetached { reason } => Command::Detach {
            reason: reason.clone(),
        },
        Event::RunResumed => Command::Resume,
        Event::RunAborted { reason } => Command::Abort {
            reason: reason.clone(),
        },
        Event::RunFinished => Command::Finish,
        _ => return None,
    })
}

fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

#[cfg(test)]
mod tests;
