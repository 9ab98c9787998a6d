//! The rules, applied again to a journal. Each entry an operator's command
//! made is turned back into that command and given to the same `decide`
//! the clients call, with what the entry says: who (its operator and
//! proof), when (its own time) and the run's state from the entries
//! before it. An entry the rules refuse, or decide otherwise, is named by
//! `audit verify`; so a tampered client, an edited catalog or a line
//! written by hand gains nothing the rules would not have given.

use std::collections::{HashMap, HashSet, VecDeque};

use super::decide::{Command, decide, start};
use super::event::{Event, Held};
use super::folder::Folder;
use super::rules::{Context, Readings};
use super::state::Meta;
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
    /// Judges by `catalog`, the team's. A metric hold is judged by the
    /// readings the step recorded (since when each metric held), against
    /// the entry's own time; a metric it did not read needs the recorded
    /// override.
    pub fn new(catalog: &Catalog) -> Self {
        Judge {
            rules: catalog.clone(),
            folder: Folder::default(),
            follows: HashMap::new(),
            unjudged: HashSet::new(),
        }
    }

    /// What the rules say of `entry`, when they would not have taken it.
    pub fn entry(&mut self, entry: &Entry) -> Option<Verdict> {
        self.judged(entry.run.as_deref(), &entry.meta(), &entry.event)
    }

    fn judged(&mut self, run: Option<&str>, meta: &Meta, event: &Event) -> Option<Verdict> {
        let why = self.verdict(run, meta, event);
        self.folder.apply(run, meta, event);
        why
    }

    fn verdict(&mut self, run: Option<&str>, meta: &Meta, event: &Event) -> Option<Verdict> {
        let run = run?;
        if self.unjudged.contains(run) {
            return None;
        }
        if let Some(expected) = self.follows.get_mut(run) {
            let next = expected.pop_front();
            if expected.is_empty() {
                self.follows.remove(run);
            }
            if next.as_ref() == Some(event) {
                return None;
            }
            // What did not follow was the client's to leave out: the
            // rules refuse nothing by it.
            self.follows.remove(run);
        }
        let why = match event {
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
                self.decided(run, meta, event, &command)
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

    fn decided(
        &mut self,
        run: &str,
        meta: &Meta,
        event: &Event,
        command: &Command,
    ) -> Option<String> {
        let state = self.folder.get(run)?;
        let procedure = self.rules.procedure(&state.procedure)?;
        let recorded = Recorded(match event {
            Event::StepCompleted { hold, .. } | Event::StepProposed { hold, .. } => hold.as_ref(),
            _ => None,
        });
        let ctx = Context {
            catalog: &self.rules,
            procedure,
            operator: &meta.operator,
            proof: &meta.proof,
            extra_roles: &[],
            now: meta.at,
            readings: Some(&recorded),
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
                let rest: VecDeque<Event> = events.collect();
                if !rest.is_empty() {
                    self.follows.insert(run.to_owned(), rest);
                }
                None
            }
        }
    }
}

/// The readings a step recorded with its hold, as the rules ask them
/// again: only what was read counts as read.
#[derive(Debug)]
struct Recorded<'a>(Option<&'a Held>);

impl Readings for Recorded<'_> {
    fn ok_since(&self, metric: &str) -> Option<chrono::DateTime<chrono::Utc>> {
        let held = self.0?;
        held.read
            .iter()
            .find(|(m, _)| m == metric)
            .map(|(_, since)| *since)
    }

    fn is_critical(&self, _metric: &str) -> bool {
        false
    }

    fn reads(&self, metric: &str) -> bool {
        self.ok_since(metric).is_some()
    }
}

/// What judging reads of a line: the members that say who, when, which
/// run and what, borrowed where they can be (the hash, the link and the
/// session are the chain's).
#[derive(serde::Deserialize)]
struct Seen<'a> {
    seq: u64,
    ts: chrono::DateTime<chrono::Utc>,
    #[serde(default)]
    drill_ts: Option<chrono::DateTime<chrono::Utc>>,
    #[serde(borrow)]
    operator: std::borrow::Cow<'a, str>,
    #[serde(default, borrow)]
    os_user: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow)]
    host: std::borrow::Cow<'a, str>,
    #[serde(default, borrow)]
    run: Option<std::borrow::Cow<'a, str>>,
    #[serde(default, borrow)]
    signer: Option<std::borrow::Cow<'a, str>>,
    event: Event,
}

impl verify::Judge for Judge {
    fn judge(&mut self, line: &[u8]) -> Vec<Fault> {
        let seen: Seen<'_> = match serde_json::from_slice(line) {
            Ok(seen) => seen,
            Err(e) => {
                let detail = format!("not an entry this version can judge: {e}");
                return vec![Fault::NotAnEntry { detail }];
            }
        };
        let meta = Meta {
            seq: seen.seq,
            at: seen.drill_ts.unwrap_or(seen.ts),
            operator: seen.operator.clone().into_owned(),
            proof: crate::journal::identity::proof(
                &seen.operator,
                seen.os_user.as_deref(),
                &seen.host,
                seen.signer.as_deref(),
            ),
        };
        let run = seen.run.as_deref();
        let (seq, named) = (seen.seq, seen.operator);
        let fault = match self.judged(run, &meta, &seen.event) {
            None => return Vec::new(),
            Some(Verdict::Unjudged(why)) => Fault::Unjudged {
                seq,
                run: run.map(str::to_owned),
                why,
            },
            Some(Verdict::Refused(why)) => Fault::Refused {
                seq,
                run: run.map(str::to_owned),
                named: named.into_owned(),
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
        Event::StepCompleted {
            step: s,
            note,
            hold,
            ..
        }
        | Event::StepProposed {
            step: s,
            note,
            hold,
        } => Command::Complete {
            step: step(s),
            note: note.clone(),
            confirmed: true,
            override_hold: hold.as_ref().and_then(|h| h.overridden.clone()),
        },
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
