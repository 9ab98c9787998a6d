//! A drill played in the console: the drill clock is the console's `now`,
//! the scenario's injections arrive on its ticks (metric readings in place
//! of live sources, teammates who join, fail a command or change the
//! severity, each recorded under their own name), and `+` moves the clock
//! to the next gate or deadline.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::App;
use crate::drill::clock::{DrillClock, next_instant};
use crate::drill::scenario::{Inject, Injection, Scenario};
use crate::drill::script::Script;
use crate::live_run::{DrillSetup, LiveRun, LiveRunError};
use crate::metrics::Sample;
use crate::run::command::{Outcome, Output};
use crate::run::{Command, Event};
use crate::update::Msg;

/// What `runbook drill` asks of the console.
#[derive(Debug, Clone)]
pub struct Plan {
    pub speed: u32,
    pub scenario: Option<Scenario>,
}

/// The drill being played.
#[derive(Debug)]
pub struct Playing<'c> {
    pub clock: DrillClock,
    /// The drill's name, once its first run has started.
    drill: Option<String>,
    scenario: Option<Scenario>,
    /// The scenario running, from its run's start.
    script: Option<Script>,
    /// The simulated teammates, each with a session of their own.
    teammates: HashMap<String, LiveRun<'c>>,
}

impl Playing<'_> {
    pub fn new(plan: Plan, now: DateTime<Utc>) -> Self {
        Playing {
            clock: DrillClock::new(now, now, plan.speed),
            drill: None,
            scenario: plan.scenario,
            script: None,
            teammates: HashMap::new(),
        }
    }

    /// The drill's name, once its first run has started.
    pub fn name(&self) -> Option<&str> {
        self.drill.as_deref()
    }

    /// How often the console looks at the clock: often enough that a
    /// drill second is not skipped at low speeds, never more than ten
    /// times a second over SSH.
    pub fn tick(&self) -> std::time::Duration {
        let ms = (1000 / u64::from(self.clock.speed())).clamp(100, 1000);
        std::time::Duration::from_millis(ms)
    }
}

impl<'c> App<'c> {
    /// The time the console lives by: the drill clock's in a drill.
    pub(super) fn now(&self) -> DateTime<Utc> {
        let real = Utc::now();
        self.drill.as_ref().map_or(real, |d| d.clock.at(real))
    }

    /// How a run started here is a drill's. The drill's first run sets
    /// its clock to the real time: a drill starts when its first run does
    /// (so drills of a journal fall in the order they were played).
    pub(super) fn drill_setup(&mut self, real: DateTime<Utc>) -> Option<DrillSetup> {
        let playing = self.drill.as_mut()?;
        if playing.drill.is_none() {
            playing.clock = DrillClock::new(real, real, playing.clock.speed());
        }
        self.drill.as_ref().map(|d| DrillSetup {
            drill: d.drill.clone(),
            scenario: d.scenario.as_ref().map(|s| s.id.clone()),
            clock: d.clock,
        })
    }

    /// A session opened while a drill plays runs on its clock; a drill
    /// run opened outside one (resumed) makes the console play it.
    pub(super) fn drill_opened(&mut self) {
        let real = Utc::now();
        let Some(session) = self.session.as_mut() else {
            return;
        };
        let Some(drill) = session.state.drill.clone() else {
            return;
        };
        if let Some(playing) = self.drill.as_mut() {
            session.set_clock(playing.clock);
            playing.drill.get_or_insert(drill.id);
        } else {
            let Some(clock) = session.clock(real) else {
                return;
            };
            let scenario = drill
                .scenario
                .as_deref()
                .and_then(|id| crate::drill::bundled_scenario(id, self.setup.catalog));
            let mut playing = Playing::new(
                Plan {
                    speed: drill.speed,
                    scenario,
                },
                real,
            );
            playing.clock = clock;
            playing.drill = Some(drill.id);
            self.drill = Some(playing);
            self.setup.theme = self.setup.theme.clone().badged(self.words().drill.badge);
        }
        self.start_script();
    }

    /// The scenario's clock starts with the drill's first run; on a
    /// resumed drill, what was recorded already is not injected again.
    fn start_script(&mut self) {
        let (Some(playing), Some(session)) = (self.drill.as_mut(), self.session.as_ref()) else {
            return;
        };
        if playing.script.is_some() {
            return;
        }
        let (Some(scenario), Some(start)) = (playing.scenario.clone(), session.state.started_at)
        else {
            return;
        };
        let mut script = Script::new(scenario, start);
        let before = session.state.last_at.unwrap_or(start);
        let mut replayed = script.due(before);
        // Only the readings are taken again: they were never journaled.
        replayed.retain(|i| matches!(i.what, Inject::Metric { .. }));
        playing.script = Some(script);
        for injection in replayed {
            self.inject(&injection);
        }
    }

    /// A clock tick of the drill: the injections now due.
    pub(super) fn drill_tick(&mut self) {
        // The session is with the journal: what is due is injected at the
        // next tick, once it is back, never dropped.
        if self.away.is_some() {
            return;
        }
        let now = self.now();
        let Some(script) = self.drill.as_mut().and_then(|d| d.script.as_mut()) else {
            return;
        };
        for injection in script.due(now) {
            self.inject(&injection);
        }
    }

    fn inject(&mut self, injection: &Injection) {
        let result = match &injection.what {
            Inject::Metric { metric, value } => {
                let sample = Sample {
                    metric: metric.clone(),
                    at: self.now(),
                    reading: Ok(*value),
                };
                self.sample(&sample);
                Ok(())
            }
            Inject::Joins => self.as_teammate(&injection.by, |s, now| {
                s.execute(&Command::Resume, now).map(drop)
            }),
            Inject::Severity { to } => self.as_teammate(&injection.by, |s, now| {
                s.execute(&Command::ChangeSeverity { to: to.clone() }, now)
                    .map(drop)
            }),
            Inject::CommandFailed {
                step,
                command,
                exit,
                output,
            } => self.as_teammate(&injection.by, |s, now| {
                failed_command(s, step, command, *exit, output, now)
            }),
        };
        match result {
            Ok(()) => {}
            Err(LiveRunError::Rejected(r)) => {
                // The scenario asked for what the run refuses now (the step
                // already done): the drill goes on without it.
                tracing::info!("drill injection refused: {}", r.text(self.words()));
            }
            Err(e) => self.fail(&e),
        }
    }

    /// The simulated teammates leave with the operator: nobody is left
    /// playing the drill, so its clock stops (for the ledger too).
    pub(super) fn teammates_leave(&mut self, why: &str) {
        let Some(playing) = self.drill.as_mut() else {
            return;
        };
        for (_, mut teammate) in playing.teammates.drain() {
            if self.journal_failed || !teammate.state.is_open() {
                continue;
            }
            teammate.set_clock(playing.clock);
            let command = Command::Detach {
                reason: Some(why.to_owned()),
            };
            if let Err(e) = teammate.execute(&command, Utc::now()) {
                tracing::error!("could not record a teammate leaving the drill: {e}");
            }
        }
    }

    /// Acts as teammate `name` on the open run, on the drill's clock.
    fn as_teammate(
        &mut self,
        name: &str,
        act: impl FnOnce(&mut LiveRun<'c>, DateTime<Utc>) -> Result<(), LiveRunError>,
    ) -> Result<(), LiveRunError> {
        let (Some(session), Some(playing)) = (self.session.as_ref(), self.drill.as_mut()) else {
            return Ok(());
        };
        let run = session.state.id.clone();
        let teammate = match playing.teammates.get_mut(name) {
            Some(teammate) if teammate.state.id == run => teammate,
            _ => {
                let mut identity = crate::store::whoami::detect(|n| std::env::var(n).ok());
                name.clone_into(&mut identity.operator);
                identity.os_user = None;
                identity.session = format!("{}-{name}", identity.session);
                let writer = self
                    .setup
                    .journal
                    .open_as(identity)
                    .map_err(LiveRunError::Journal)?;
                let teammate = LiveRun::attach(self.setup.catalog, writer, Some(&run))?;
                playing.teammates.insert(name.to_owned(), teammate);
                playing
                    .teammates
                    .get_mut(name)
                    .ok_or_else(|| LiveRunError::NoSuchRun(run.clone()))?
            }
        };
        teammate.set_clock(playing.clock);
        act(teammate, Utc::now())
    }

    /// `+`: the clock to the next gate or deadline of the open run.
    pub(super) fn jump(&mut self) -> Option<Msg> {
        let w = self.words().drill;
        let Some(playing) = self.drill.as_ref() else {
            return Some(Msg::Refused(self.words().console.drill_only.to_owned()));
        };
        let real = Utc::now();
        let now = playing.clock.at(real);
        let session = self.session.as_mut()?;
        let Some(to) = next_instant(&session.state, session.catalog, session.procedure, now) else {
            return Some(Msg::Refused(w.nothing_ahead.to_owned()));
        };
        match session.jump_clock(real, to) {
            Ok(_) => {
                if let (Some(clock), Some(playing)) = (session.clock(real), self.drill.as_mut()) {
                    playing.clock = clock;
                }
                self.drill_tick();
                let shown = to.format("%Y-%m-%d %H:%M:%S").to_string();
                Some(Msg::Recorded((w.jumped)(&shown)))
            }
            Err(e) => {
                self.fail(&e);
                None
            }
        }
    }
}

/// A teammate's command that failed, as a scenario tells it: started and
/// finished in the journal like a real one, with no output file.
fn failed_command(
    session: &mut LiveRun<'_>,
    step: &str,
    command: &str,
    exit: i32,
    output: &str,
    now: DateTime<Utc>,
) -> Result<(), LiveRunError> {
    let started = session.record_drill(
        vec![Event::CommandStarted {
            step: step.to_owned(),
            command: command.to_owned(),
            host: session.host().to_owned(),
            cwd: String::new(),
            timeout_secs: 0,
        }],
        now,
    )?;
    let seq = started.first().map_or(0, |a| a.seq);
    let finished = Event::CommandFinished {
        step: step.to_owned(),
        started: seq,
        outcome: Outcome {
            exit: Some(exit),
            ..Outcome::default()
        },
        duration_ms: 0,
        output: Output {
            file: String::new(),
            bytes: output.len() as u64,
            sha256: crate::journal::line::sha256_hex(output.as_bytes()),
            tail: output.to_owned(),
            parts: None,
        },
    };
    session.record_drill(vec![finished], now).map(drop)
}
