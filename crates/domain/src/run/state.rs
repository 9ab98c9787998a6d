//! A run's state: a pure fold over its events. The same `apply` serves
//! live updates, resume and replay, so what the console shows after a
//! reconnect is exactly what it showed before.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::event::Event;
use crate::text::Words;

/// What makes a run a drill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Drill {
    /// The drill's name, shared by the runs it started.
    pub id: String,
    pub scenario: Option<String>,
    pub speed: u32,
}

/// Who did an event, and when (in a drill, the drill clock's time): from
/// the journal entry that holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Meta {
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub operator: String,
    /// What proves who wrote it: the signing key's fingerprint, else the OS
    /// account on its host (`journal::identity::proof`). Two confirmations
    /// with one proof are one person.
    pub proof: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum StepStatus {
    Todo,
    /// A two-person step done by one operator, waiting for a second.
    AwaitingConfirmation {
        by: String,
        at: DateTime<Utc>,
        /// The first operator's proof, which the second's must differ from.
        #[serde(skip)]
        proof: String,
        /// How the step closes once confirmed.
        closing: Closing,
    },
    Done {
        by: String,
        at: DateTime<Utc>,
        confirmed_by: Option<String>,
    },
    Skipped {
        by: String,
        at: DateTime<Utc>,
        reason: String,
    },
    Failed {
        by: String,
        at: DateTime<Utc>,
        note: String,
    },
    /// Its `when` was false for an earlier step's answer.
    NotNeeded {
        at: DateTime<Utc>,
        condition: String,
        value: String,
    },
}

/// How a two-person step closes once a second operator confirms it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(tag = "as", rename_all = "snake_case")]
pub enum Closing {
    #[default]
    Done,
    Skipped {
        reason: String,
    },
    Failed {
        note: String,
    },
}

impl StepStatus {
    /// Still to be dealt with: nothing recorded, or half of a two-person step.
    pub fn is_open(&self) -> bool {
        matches!(
            self,
            StepStatus::Todo | StepStatus::AwaitingConfirmation { .. }
        )
    }

    pub fn done_at(&self) -> Option<DateTime<Utc>> {
        match self {
            StepStatus::Done { at, .. } => Some(*at),
            _ => None,
        }
    }

    /// Who dealt with the step and how, for a detail line: ` by alice at
    /// 02:14, confirmed by bob`, ` by bob: not applicable`.
    pub fn who(&self, w: &Words) -> String {
        let w = w.run;
        match self {
            StepStatus::Todo => String::new(),
            StepStatus::AwaitingConfirmation { by, .. } => (w.proposed_by)(by),
            StepStatus::Done {
                by,
                at,
                confirmed_by,
            } => format!(
                "{}{}",
                (w.done_by)(by, &at.format("%H:%M:%S UTC").to_string()),
                confirmed_by
                    .as_ref()
                    .map(|c| (w.confirmed_by)(c))
                    .unwrap_or_default()
            ),
            StepStatus::Skipped { by, reason, .. } => (w.closed_by)(by, reason),
            StepStatus::Failed { by, note, .. } => (w.closed_by)(by, note),
            StepStatus::NotNeeded {
                condition, value, ..
            } => (w.not_needed_because)(condition, value),
        }
    }

    pub fn word(&self, w: &Words) -> &'static str {
        let w = w.run;
        match self {
            StepStatus::Todo => w.todo,
            StepStatus::AwaitingConfirmation { .. } => w.awaiting,
            StepStatus::Done { .. } => w.done,
            StepStatus::Skipped { .. } => w.skipped,
            StepStatus::Failed { .. } => w.failed,
            StepStatus::NotNeeded { .. } => w.not_needed,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    pub by: String,
    pub at: DateTime<Utc>,
    pub step: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(tag = "phase", rename_all = "snake_case")]
pub enum Phase {
    /// Created, no `RunStarted` seen yet.
    New,
    Open,
    Finished {
        by: String,
        at: DateTime<Utc>,
    },
    Aborted {
        by: String,
        at: DateTime<Utc>,
        reason: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunState {
    pub id: String,
    pub procedure: String,
    pub procedure_hash: String,
    pub severity: Option<String>,
    pub started_at: Option<DateTime<Utc>>,
    pub started_by: Option<String>,
    pub phase: Phase,
    /// Steps with anything recorded; a step not here is to do.
    pub steps: HashMap<String, StepStatus>,
    /// The typed answers given, by step, as shown (`12.5`, `yes`).
    pub answers: std::collections::BTreeMap<String, String>,
    pub notes: Vec<Note>,
    /// What the people outside the terminal were told, in order.
    pub updates: Vec<crate::status::Posted>,
    /// Everyone who recorded anything in the run, in order of arrival.
    pub operators: Vec<String>,
    /// Operators on the run now: joined (started or resumed) and not left.
    pub present: Vec<String>,
    /// Operators whose entries in the run are signed by their own key.
    pub signed: std::collections::BTreeSet<String>,
    /// Each proof seen in the run, with the first name it acted under: a
    /// later name on the same proof is the same person.
    pub proofs: Vec<(String, String)>,
    /// Steps taken in hand, by whom; cleared when the step is closed or the
    /// operator leaves.
    pub claims: HashMap<String, String>,
    /// Commands run, in order.
    pub commands: Vec<super::command::Ran>,
    /// Two-person steps' commands asked for, by step.
    pub requests: HashMap<String, super::command::Request>,
    pub detached: bool,
    /// Set when the run is a drill.
    pub drill: Option<Drill>,
    pub last_seq: u64,
    pub last_at: Option<DateTime<Utc>>,
    pub events: usize,
}

const TODO: StepStatus = StepStatus::Todo;

impl RunState {
    pub fn new(id: impl Into<String>) -> Self {
        RunState {
            id: id.into(),
            procedure: String::new(),
            procedure_hash: String::new(),
            severity: None,
            started_at: None,
            started_by: None,
            phase: Phase::New,
            steps: HashMap::new(),
            answers: std::collections::BTreeMap::new(),
            notes: Vec::new(),
            updates: Vec::new(),
            operators: Vec::new(),
            present: Vec::new(),
            signed: std::collections::BTreeSet::new(),
            proofs: Vec::new(),
            claims: HashMap::new(),
            commands: Vec::new(),
            requests: HashMap::new(),
            detached: false,
            drill: None,
            last_seq: 0,
            last_at: None,
            events: 0,
        }
    }

    /// Folds events into a fresh state.
    pub fn replay<'a>(
        id: impl Into<String>,
        events: impl IntoIterator<Item = (&'a Meta, &'a Event)>,
    ) -> Self {
        let mut state = RunState::new(id);
        for (meta, event) in events {
            state.apply(meta, event);
        }
        state
    }

    /// Drops what grows with the run's length and a summary never needs
    /// (its notes and commands), so that a reading that only has to tell
    /// open runs from closed ones holds a few hundred bytes a run.
    pub fn forget_lengthy(&mut self) {
        if !self.notes.is_empty() {
            self.notes = Vec::new();
        }
        if !self.commands.is_empty() {
            self.commands = Vec::new();
        }
    }

    pub fn status(&self, step: &str) -> &StepStatus {
        self.steps.get(step).unwrap_or(&TODO)
    }

    pub fn is_open(&self) -> bool {
        matches!(self.phase, Phase::New | Phase::Open)
    }

    /// Applies one recorded event. Total: an event that makes no sense in
    /// the current state is still recorded history, so it is applied as
    /// written rather than refused; refusing is `decide`'s job, before
    /// anything is recorded.
    pub fn apply(&mut self, meta: &Meta, event: &Event) {
        self.arrival(meta, event);
        let by = || meta.operator.clone();
        if meta.proof.starts_with("key ") && !self.signed.contains(&meta.operator) {
            self.signed.insert(meta.operator.clone());
        }
        if !self.proofs.iter().any(|(p, _)| *p == meta.proof) {
            self.proofs
                .push((meta.proof.clone(), meta.operator.clone()));
        }
        match event {
            Event::JournalCreated { .. }
            | Event::TailRecovered { .. }
            | Event::MetricCrossed { .. }
            | Event::NotificationSent(_)
            | Event::NotificationFailed { .. }
            | Event::HeadAnchored { .. }
            | Event::DrillClockJumped { .. }
            // What is learned after a run is recorded outside it.
            | Event::PostmortemDone { .. }
            | Event::StepSettled { .. }
            | Event::BreachNoticeSent(_)
            | Event::PolicyPublished(_)
            | Event::FollowupAdded { .. }
            | Event::FollowupDone { .. }
            | Event::FollowupDropped { .. } => {}
            Event::DrillStarted { .. } => self.drill_started(event),
            Event::RunStarted {
                procedure,
                procedure_hash,
                severity,
                ..
            } => {
                self.procedure.clone_from(procedure);
                self.procedure_hash.clone_from(procedure_hash);
                self.severity.clone_from(severity);
                self.started_at = Some(meta.at);
                self.started_by = Some(by());
                self.phase = Phase::Open;
                self.join(&meta.operator);
            }
            Event::StepClaimed { step } => {
                self.claims.insert(step.clone(), by());
            }
            Event::StepCompleted {
                step, note, value, ..
            } => {
                self.completed(meta, step, note.as_deref(), value.as_ref());
            }
            Event::StepProposed { step, note, .. } => {
                self.proposed(meta, step, note.as_deref(), Closing::Done);
            }
            Event::StepSkipProposed { step, reason } => {
                let closing = Closing::Skipped {
                    reason: reason.clone(),
                };
                self.proposed(meta, step, None, closing);
            }
            Event::StepFailProposed { step, note } => {
                let closing = Closing::Failed { note: note.clone() };
                self.proposed(meta, step, None, closing);
            }
            Event::StepConfirmed { step } => self.confirmed(meta, step),
            Event::StepSkipped { step, reason } => {
                self.steps.insert(
                    step.clone(),
                    StepStatus::Skipped {
                        by: by(),
                        at: meta.at,
                        reason: reason.clone(),
                    },
                );
            }
            Event::StepFailed { step, note } => {
                self.steps.insert(
                    step.clone(),
                    StepStatus::Failed {
                        by: by(),
                        at: meta.at,
                        note: note.clone(),
                    },
                );
            }
            Event::StepNotNeeded { step, .. } => self.close(step, event, meta),
            Event::StepReopened { step, reason } => {
                self.steps.remove(step);
                self.answers.remove(step);
                self.push_note(meta, Some(step), reason.as_deref());
            }
            Event::NoteAdded { step, text } => self.push_note(meta, step.as_ref(), Some(text)),
            Event::CommandRequested { .. }
            | Event::CommandApproved { .. }
            | Event::CommandStarted { .. }
            | Event::CommandFinished { .. } => self.command(meta, event),
            Event::SeverityChanged { to, .. } => self.severity = Some(to.clone()),
            Event::StatusUpdated(update) => self.updated(meta, update),
            Event::RunDetached { .. } => self.leave(&meta.operator),
            Event::RunResumed => self.join(&meta.operator),
            Event::RunAborted { .. } | Event::RunFinished => self.end(meta, event),
        }
    }

    fn updated(&mut self, meta: &Meta, update: &crate::status::Update) {
        self.updates.push(crate::status::Posted {
            seq: meta.seq,
            at: meta.at,
            by: meta.operator.clone(),
            update: update.clone(),
        });
    }

    fn end(&mut self, meta: &Meta, event: &Event) {
        let by = meta.operator.clone();
        self.phase = match event {
            Event::RunAborted { reason } => Phase::Aborted {
                by,
                at: meta.at,
                reason: reason.clone(),
            },
            _ => Phase::Finished { by, at: meta.at },
        };
    }

    /// A two-person step done by its first operator.
    fn proposed(&mut self, meta: &Meta, step: &String, note: Option<&str>, closing: Closing) {
        let half = StepStatus::AwaitingConfirmation {
            by: meta.operator.clone(),
            at: meta.at,
            proof: meta.proof.clone(),
            closing,
        };
        self.steps.insert(step.clone(), half);
        self.push_note(meta, Some(step), note);
    }

    /// The second person's yes closes the step as the first proposed;
    /// the record says who proposed it, with when it was confirmed.
    fn confirmed(&mut self, meta: &Meta, step: &String) {
        let (first, closing) = match self.steps.remove(step) {
            Some(StepStatus::AwaitingConfirmation { by, closing, .. }) => (by, closing),
            _ => (meta.operator.clone(), Closing::Done),
        };
        let (by, at) = (first, meta.at);
        let closed = match closing {
            Closing::Done => StepStatus::Done {
                by,
                at,
                confirmed_by: Some(meta.operator.clone()),
            },
            Closing::Skipped { reason } => StepStatus::Skipped { by, at, reason },
            Closing::Failed { note } => StepStatus::Failed { by, at, note },
        };
        self.steps.insert(step.clone(), closed);
    }

    fn command(&mut self, meta: &Meta, event: &Event) {
        use super::command::{Finished, Ran, Request};
        match event {
            Event::CommandRequested { step, command } => {
                let request = Request {
                    command: command.clone(),
                    by: meta.operator.clone(),
                    proof: meta.proof.clone(),
                    approved_by: None,
                };
                self.requests.insert(step.clone(), request);
            }
            Event::CommandApproved { step, .. } => {
                if let Some(request) = self.requests.get_mut(step) {
                    request.approved_by = Some(meta.operator.clone());
                }
            }
            Event::CommandStarted {
                step,
                command,
                host,
                ..
            } => {
                // An approval is for one run.
                self.requests.remove(step);
                self.commands.push(Ran {
                    seq: meta.seq,
                    step: step.clone(),
                    command: command.clone(),
                    by: meta.operator.clone(),
                    at: meta.at,
                    host: host.clone(),
                    finished: None,
                });
            }
            Event::CommandFinished {
                started,
                outcome,
                duration_ms,
                output,
                ..
            } => {
                if let Some(ran) = self.commands.iter_mut().find(|r| r.seq == *started) {
                    ran.finished = Some(Finished {
                        at: meta.at,
                        outcome: outcome.clone(),
                        duration_ms: *duration_ms,
                        output: output.clone(),
                    });
                }
            }
            _ => {}
        }
    }

    /// Whether `step`'s command was asked for and approved by a second
    /// operator, and has not run since.
    pub fn run_approved(&self, step: &str) -> bool {
        self.requests
            .get(step)
            .is_some_and(|r| r.approved_by.is_some())
    }

    /// The last command run for `step`, if any.
    pub fn last_command(&self, step: &str) -> Option<&super::command::Ran> {
        self.commands.iter().rev().find(|r| r.step == step)
    }

    /// A step closed without being done: why is in the event.
    fn close(&mut self, step: &str, event: &Event, meta: &Meta) {
        if let Event::StepNotNeeded {
            condition, value, ..
        } = event
        {
            let status = StepStatus::NotNeeded {
                at: meta.at,
                condition: condition.clone(),
                value: value.clone(),
            };
            self.steps.insert(step.to_owned(), status);
        }
    }

    fn completed(
        &mut self,
        meta: &Meta,
        step: &str,
        note: Option<&str>,
        value: Option<&crate::catalog::answer::Answer>,
    ) {
        let done = StepStatus::Done {
            by: meta.operator.clone(),
            at: meta.at,
            confirmed_by: None,
        };
        self.steps.insert(step.to_owned(), done);
        if let Some(value) = value {
            self.answers.insert(step.to_owned(), value.to_string());
        }
        self.push_note(meta, Some(&step.to_owned()), note);
    }

    /// What every event updates: counts, who took part, and claims that
    /// lapse once their step is dealt with.
    /// A drill says so with its start.
    fn drill_started(&mut self, event: &Event) {
        if let Event::DrillStarted {
            drill,
            scenario,
            speed,
        } = event
        {
            self.drill = Some(Drill {
                id: drill.clone(),
                scenario: scenario.clone(),
                speed: *speed,
            });
        }
    }

    fn arrival(&mut self, meta: &Meta, event: &Event) {
        self.events += 1;
        self.last_seq = meta.seq;
        self.last_at = Some(meta.at);
        if !self.operators.contains(&meta.operator) {
            self.operators.push(meta.operator.clone());
        }
        if let Some(step) = event.step()
            && !matches!(event, Event::StepClaimed { .. } | Event::NoteAdded { .. })
        {
            self.claims.remove(step);
        }
    }

    fn join(&mut self, operator: &str) {
        if !self.present.iter().any(|p| p == operator) {
            self.present.push(operator.to_owned());
        }
        self.detached = false;
    }

    /// An operator left: their claims lapse; the run is detached when
    /// nobody is left on it.
    fn leave(&mut self, operator: &str) {
        self.present.retain(|p| p != operator);
        self.claims.retain(|_, who| who != operator);
        self.detached = self.present.is_empty();
    }

    fn push_note(&mut self, meta: &Meta, step: Option<&String>, text: Option<&str>) {
        if let Some(text) = text.filter(|t| !t.trim().is_empty()) {
            self.notes.push(Note {
                by: meta.operator.clone(),
                at: meta.at,
                step: step.cloned(),
                text: text.to_owned(),
            });
        }
    }
}
