//! The rules, applied again to a journal. Each entry an operator's command
//! made is turned back into that command and given to the same `decide`
//! the clients call, with what the entry says: who (its operator and
//! proof), when (its own time) and the run's state from the entries
//! before it. An entry the rules refuse, or decide otherwise, is named by
//! `audit verify`; so a tampered client, an edited catalog or a line
//! written by hand gains nothing the rules would not have given.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use super::decide::{Command, decide, start};
use super::event::{Event, Held};
use super::folder::Folder;
use super::pinned::{Pinned, short};
use super::rules::{Context, Readings};
use super::state::Meta;
use crate::catalog::{Catalog, Procedure};
use crate::journal::Entry;
use crate::journal::verify::{self, Fault};

/// What the rules say of an entry they would not have taken as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The rules would have refused it, and why.
    Refused(String),
    /// Its run cannot be judged by these rules (said at its start).
    Unjudged(String),
    /// Its run pinned a procedure other than these rules' own: judged by
    /// the pin, and the differences said.
    PinnedOther(String),
}

#[derive(Debug)]
pub struct Judge {
    rules: Catalog,
    folder: Folder,
    /// What a run's last command decided beyond its first event: the
    /// entries expected next in that run.
    follows: crate::keyed::ByRun<VecDeque<Event>>,
    /// Drills, and runs whose procedure the rules do not hold (said once,
    /// at their start): not judged further.
    unjudged: crate::keyed::RunSet,
    /// The procedure each run is judged by: the one pinned at its start.
    procedures: crate::keyed::ByRun<Arc<Procedure>>,
    /// The procedures read from pins, by content hash: a thousand runs of
    /// one procedure share one copy.
    read: HashMap<String, Arc<Procedure>>,
    /// What was settled after runs closed, for a settlement to be judged
    /// against what was still owed.
    ledger: crate::learn::Ledger,
    /// Which of how many judges this is: a settlement, outside any run,
    /// is judged by the judge of its run alone.
    shard: (usize, usize),
    /// The language the rules' refusals are said in.
    words: &'static crate::text::Words,
}

/// `count` judges by `catalog`, for `Verifier::judged_by`: they share the
/// runs between them, each on a core of its own.
/// Their refusals are said in `words`.
pub fn judges(
    catalog: &Catalog,
    count: usize,
    words: &'static crate::text::Words,
) -> Vec<Box<dyn verify::Judge>> {
    (0..count.max(1))
        .map(|_| {
            let judge = Judge {
                words,
                ..Judge::new(catalog)
            };
            Box::new(judge) as Box<dyn verify::Judge>
        })
        .collect()
}

impl Judge {
    /// A policy published into the journal: from it on, its operators
    /// and roles are the rules'. One refused changes nothing (the
    /// verifier names it).
    fn published(&mut self, meta: &Meta, published: &crate::journal::policy::Published) {
        let current = self.ledger.policy.as_ref().map(|p| &p.policy);
        if published.accept(current, &meta.operator, meta.at).is_ok() {
            published.policy.apply(&mut self.rules);
        }
    }
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
            follows: crate::keyed::ByRun::default(),
            unjudged: crate::keyed::RunSet::default(),
            procedures: crate::keyed::ByRun::default(),
            read: HashMap::new(),
            ledger: crate::learn::Ledger::default(),
            shard: (0, 1),
            words: &crate::text::words::EN,
        }
    }

    /// What the rules say of `entry`, when they would not have taken it.
    pub fn entry(&mut self, entry: &Entry) -> Option<Verdict> {
        self.judged(entry.run.as_deref(), &entry.meta(), &entry.event)
    }

    fn judged(&mut self, run: Option<&str>, meta: &Meta, event: &Event) -> Option<Verdict> {
        let why = self.verdict(run, meta, event);
        self.folder.apply(run, meta, event);
        if crate::learn::Ledger::keeps(event) {
            self.ledger.apply(meta, event);
        }
        why
    }

    fn verdict(&mut self, run: Option<&str>, meta: &Meta, event: &Event) -> Option<Verdict> {
        if let Event::PolicyPublished(published) = event {
            self.published(meta, published);
            return None;
        }
        if let Event::StepSettled { run, step, reason } = event {
            return self.settled(run, meta, step, reason).map(Verdict::Refused);
        }
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
                pinned,
            } => {
                let judged_by = match pinned {
                    Some(pinned) => self.pinned(pinned, procedure_hash),
                    None => self.catalogued(procedure, procedure_hash, severity.as_deref()),
                };
                return match judged_by {
                    Ok(found) => {
                        let why = self.start_of(procedure, severity.is_some(), &found);
                        self.procedures.insert(run.to_owned(), found);
                        why
                    }
                    Err(verdict) => {
                        self.unjudged.insert(run.to_owned());
                        Some(verdict)
                    }
                };
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

    /// Who asks and when, as the entry says, under these rules: roles only
    /// as the rules give them, never an operator's own config.
    fn context<'a>(
        &'a self,
        procedure: &'a Procedure,
        meta: &'a Meta,
        readings: Option<&'a dyn Readings>,
    ) -> Context<'a> {
        Context {
            catalog: &self.rules,
            procedure,
            operator: &meta.operator,
            proof: &meta.proof,
            extra_roles: &[],
            now: meta.at,
            readings,
        }
    }

    /// What the rules say of a run's start, judged by `found`.
    fn start_of(&self, procedure: &str, severity: bool, found: &Procedure) -> Option<Verdict> {
        if found.id != procedure {
            let why = format!("it names `{procedure}` but pinned `{}`", found.id);
            return Some(Verdict::Refused(why));
        }
        if found.asks_severity && !severity {
            let why = format!("a run of `{procedure}` starts with a severity; it gave none");
            return Some(Verdict::Refused(why));
        }
        (found.content_hash != self.ours(procedure))
            .then(|| Verdict::PinnedOther(self.other(found)))
    }

    /// A settlement of what a closed run owed, judged as `runbook settle`
    /// decides it.
    fn settled(&self, run: &str, meta: &Meta, step: &str, reason: &str) -> Option<String> {
        let (index, count) = self.shard;
        if self.unjudged.contains(run) || verify::shard_of(run, count) != index {
            return None;
        }
        let (Some(state), Some(procedure)) = (self.folder.get(run), self.procedures.get(run))
        else {
            return Some(format!(
                "it settles run {run}, which this journal does not hold"
            ));
        };
        let found = procedure.step(step);
        let settled = found.is_some_and(|s| self.ledger.settles(run, s));
        let ctx = self.context(procedure, meta, None);
        super::settle::settle(state, &ctx, step, reason, settled)
            .err()
            .map(|rejection| rejection.text(self.words))
    }

    /// The content hash of the rules' own `procedure`, if they hold it.
    fn ours(&self, procedure: &str) -> &str {
        self.rules
            .procedure(procedure)
            .map_or("", |p| p.content_hash.as_str())
    }

    /// How a pinned procedure differs from the rules' own.
    fn other(&self, pinned: &Procedure) -> String {
        let Some(ours) = self.rules.procedure(&pinned.id) else {
            return format!("these rules have no procedure `{}`", pinned.id);
        };
        let mut said = super::pinned::differences(ours, pinned);
        said.truncate(8);
        format!(
            "content {} where these rules hold {}: {}",
            short(&pinned.content_hash),
            short(&ours.content_hash),
            said.join("; ")
        )
    }

    /// The procedure a run pinned at its start, when its content is the
    /// one its hash names.
    fn pinned(&mut self, pinned: &Pinned, hash: &str) -> Result<Arc<Procedure>, Verdict> {
        if pinned.hash() != hash {
            // The content checked against the hash fails with its words.
            let why = pinned.procedure(hash).err().unwrap_or_default();
            return Err(Verdict::Refused(why));
        }
        if let Some(known) = self.read.get(hash) {
            return Ok(Arc::clone(known));
        }
        let procedure = Arc::new(pinned.procedure(hash).map_err(Verdict::Refused)?);
        self.read.insert(hash.to_owned(), Arc::clone(&procedure));
        Ok(procedure)
    }

    /// A run recorded before procedures were pinned is judged by the
    /// rules' own procedure, when it is the one the run started with.
    fn catalogued(
        &mut self,
        procedure: &str,
        hash: &str,
        severity: Option<&str>,
    ) -> Result<Arc<Procedure>, Verdict> {
        let unjudged = |why: String| Verdict::Unjudged(why);
        match start(&self.rules, procedure, severity) {
            Err(rejection) => Err(unjudged(rejection.text(self.words))),
            Ok(Event::RunStarted {
                procedure_hash: ours,
                ..
            }) if ours != hash => Err(unjudged(format!(
                "it started with procedure `{procedure}` of content {}, not the one these rules hold ({}), and did not pin it",
                short(hash),
                short(&ours)
            ))),
            Ok(_) => {
                let found = self.rules.procedure(procedure).cloned();
                let found = found.ok_or_else(|| unjudged(format!("no procedure `{procedure}`")))?;
                let shared = self
                    .read
                    .entry(hash.to_owned())
                    .or_insert_with(|| Arc::new(found));
                Ok(Arc::clone(shared))
            }
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
        let procedure = self.procedures.get(run)?;
        let recorded = Recorded(match event {
            Event::StepCompleted { hold, .. } | Event::StepProposed { hold, .. } => hold.as_ref(),
            _ => None,
        });
        let ctx = self.context(procedure, meta, Some(&recorded));
        match decide(state, &ctx, command) {
            Err(rejection) => Some(rejection.text(self.words)),
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
    ts: &'a str,
    #[serde(default)]
    drill_ts: Option<&'a str>,
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
    fn shard(&mut self, index: usize, count: usize) {
        self.shard = (index, count);
    }

    fn judge(&mut self, line: &[u8], stamped: Option<verify::Stamped>) -> Vec<Fault> {
        let seen: Seen<'_> = match serde_json::from_slice(line) {
            Ok(seen) => seen,
            Err(e) => {
                let detail = format!("not an entry this version can judge: {e}");
                return vec![Fault::NotAnEntry { detail }];
            }
        };
        let instant = crate::journal::instant::parse;
        let Some(ts) = instant(seen.ts) else {
            let detail = format!("`{}` is not a time", seen.ts);
            return vec![Fault::NotAnEntry { detail }];
        };
        let meta = Meta {
            seq: seen.seq,
            at: seen.drill_ts.and_then(instant).or(stamped).unwrap_or(ts),
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
            Some(Verdict::PinnedOther(why)) => Fault::PinnedOther {
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
        Event::StepSkipped { step: s, reason } | Event::StepSkipProposed { step: s, reason } => {
            Command::Skip {
                step: step(s),
                reason: reason.clone(),
            }
        }
        Event::StepFailed { step: s, note } | Event::StepFailProposed { step: s, note } => {
            Command::Fail {
                step: step(s),
                note: note.clone(),
            }
        }
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
        Event::StatusUpdated(update) => Command::Update(update.clone()),
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

#[cfg(test)]
mod tests;
