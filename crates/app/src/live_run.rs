//! A run being walked: the catalog, the journal and the run's state, bound
//! together on the one way through the code: command → decide → journal
//! append (fsync) → read back → apply. Line mode and the console both drive
//! runs through this, and nothing here touches a terminal.

use std::fmt;

use chrono::{DateTime, Utc};

use crate::catalog::{Catalog, Procedure};
use crate::drill::clock::DrillClock;
use crate::journal::verify::Problem;
use crate::journal::{Appended, Entry, JournalError, Record, Stamp};
use crate::run::Readings;
use crate::run::{self, Command, Context, Event, Meta, Rejection, RunState};
use crate::store::Writer;
use crate::store::read::Follower;

#[derive(Debug)]
pub enum LiveRunError {
    /// The command was refused; nothing was recorded.
    Rejected(Rejection),
    /// The journal failed; nothing may be assumed recorded.
    Journal(JournalError),
    NoSuchRun(String),
    NoOpenRun,
    /// The run's procedure is no longer in the catalog.
    ProcedureGone {
        run: String,
        procedure: String,
    },
    /// The run's procedure in this catalog is not the one it started
    /// with: its rules (roles, gates, holds, second persons) may differ.
    ProcedureChanged(Box<Changed>),
}

/// A run's procedure as it started and as this catalog has it.
#[derive(Debug)]
pub struct Changed {
    pub run: String,
    pub procedure: String,
    pub started: String,
    pub now: String,
    /// What differs, from the content the run pinned at its start.
    pub differences: Vec<String>,
}

impl fmt::Display for LiveRunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(&crate::text::words::EN))
    }
}

impl LiveRunError {
    /// The failure in the operator's words.
    pub fn text(&self, words: &crate::text::Words) -> String {
        let w = words.run;
        match self {
            LiveRunError::Rejected(r) => format!("{}: {}", w.refused, r.text(words)),
            LiveRunError::Journal(e) => e.text(words),
            LiveRunError::NoSuchRun(id) => (w.no_such_run)(id),
            LiveRunError::NoOpenRun => w.no_open_run.to_owned(),
            LiveRunError::ProcedureGone { run, procedure } => (w.procedure_gone)(run, procedure),
            LiveRunError::ProcedureChanged(changed) => {
                let Changed {
                    run,
                    procedure,
                    started,
                    now,
                    differences,
                } = &**changed;
                let mut said = (w.procedure_changed)(run, procedure, short(started), short(now));
                for difference in differences {
                    said.push_str("\n  - ");
                    said.push_str(difference);
                }
                said
            }
        }
    }
}

impl std::error::Error for LiveRunError {}

use run::pinned::short;

impl From<JournalError> for LiveRunError {
    fn from(e: JournalError) -> Self {
        LiveRunError::Journal(e)
    }
}

impl From<Rejection> for LiveRunError {
    fn from(r: Rejection) -> Self {
        LiveRunError::Rejected(r)
    }
}

#[derive(Debug)]
pub struct LiveRun<'c> {
    pub catalog: &'c Catalog,
    pub procedure: &'c Procedure,
    pub state: RunState,
    writer: Writer,
    follower: Follower,
    /// Roles given to this operator beyond the catalog's holders.
    pub extra_roles: Vec<String>,
    /// Lines of the journal that could not be read, as met.
    pub problems: Vec<Problem>,
    /// A drill's clock: what the run's time is, and what entries carry.
    clock: Option<DrillClock>,
}

/// How a drill run starts: the drill it belongs to (none: it starts a new
/// one, named after this run), what is played, and its clock.
#[derive(Debug, Clone)]
pub struct DrillSetup {
    pub drill: Option<String>,
    pub scenario: Option<String>,
    pub clock: DrillClock,
}

impl<'c> LiveRun<'c> {
    /// Starts a new run of `procedure` and records it.
    pub fn start(
        catalog: &'c Catalog,
        writer: Writer,
        procedure: &str,
        severity: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Self, LiveRunError> {
        LiveRun::start_with(catalog, writer, procedure, severity, now, None)
    }

    /// Starts a run, a drill's when `drill` is given: every entry it
    /// makes is marked with the drill clock's time.
    pub fn start_with(
        catalog: &'c Catalog,
        writer: Writer,
        procedure: &str,
        severity: Option<&str>,
        now: DateTime<Utc>,
        drill: Option<DrillSetup>,
    ) -> Result<Self, LiveRunError> {
        let started = run::start(catalog, procedure, severity)?;
        let found = catalog
            .procedure(procedure)
            .ok_or_else(|| Rejection::UnknownProcedure(procedure.to_owned()))?;
        let name = match &drill {
            Some(_) => format!("drill-{}", found.id),
            None => found.id.clone(),
        };
        let id = run::new_run_id(&name, now, &writer.identity().session);
        // A new run has nothing behind it: follow from the journal's end.
        let end = crate::store::read::end(writer.journal())?;
        let mut session = LiveRun::bind(catalog, found, writer, RunState::new(&id), end);
        let mut events = vec![started];
        if let Some(drill) = drill {
            events.push(Event::DrillStarted {
                drill: drill.drill.unwrap_or_else(|| id.clone()),
                scenario: drill.scenario,
                speed: drill.clock.speed(),
            });
            session.clock = Some(drill.clock);
        }
        session.record(events, now)?;
        Ok(session)
    }

    /// Resumes run `id`, or the operator's most recent open run.
    pub fn resume(
        catalog: &'c Catalog,
        writer: Writer,
        id: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Self, LiveRunError> {
        let mut session = LiveRun::attach(catalog, writer, id)?;
        session.execute(&Command::Resume, now)?;
        Ok(session)
    }

    /// Opens run `id` (or the operator's most recent open run) without
    /// joining it: for a script acting on one step.
    pub fn attach(
        catalog: &'c Catalog,
        writer: Writer,
        id: Option<&str>,
    ) -> Result<Self, LiveRunError> {
        Self::attach_with(catalog, writer, id, false)
    }

    /// As `attach`, a closed run too: a run's last word to its users
    /// ("resolved") may come after it closed.
    pub fn attach_even_closed(
        catalog: &'c Catalog,
        writer: Writer,
        id: &str,
    ) -> Result<Self, LiveRunError> {
        Self::attach_with(catalog, writer, Some(id), true)
    }

    fn attach_with(
        catalog: &'c Catalog,
        writer: Writer,
        id: Option<&str>,
        closed_too: bool,
    ) -> Result<Self, LiveRunError> {
        // The open runs only: a year of closed ones costs nothing here.
        let history = crate::store::load(writer.journal(), writer.key(), false)?;
        let (runs, mut at) = (history.open, history.at);
        let operator = writer.identity().operator.clone();
        let state = match id {
            Some(id) => match runs.iter().find(|r| r.id == id) {
                Some(state) => state.clone(),
                // A closed run is folded whole from the journal: the index
                // keeps only its summary.
                None if closed_too => {
                    let (all, end, _) = crate::run_list::fold_file_at(writer.journal())?;
                    at = end;
                    all.into_iter()
                        .find(|r| r.id == id)
                        .ok_or_else(|| LiveRunError::NoSuchRun(id.to_owned()))?
                }
                None => {
                    let closed = crate::store::load(writer.journal(), writer.key(), true)?;
                    return Err(if closed.closed.iter().any(|r| r.id == id) {
                        Rejection::RunClosed.into()
                    } else {
                        LiveRunError::NoSuchRun(id.to_owned())
                    });
                }
            },
            None => runs
                .iter()
                .filter(|r| r.is_open())
                .max_by_key(|r| (r.operators.contains(&operator), r.last_seq))
                .ok_or(LiveRunError::NoOpenRun)?
                .clone(),
        };
        let procedure =
            catalog
                .procedure(&state.procedure)
                .ok_or_else(|| LiveRunError::ProcedureGone {
                    run: state.id.clone(),
                    procedure: state.procedure.clone(),
                })?;
        // A run goes on under the rules it started with: a catalog edited
        // since (or on purpose) may have dropped a role, a gate or a hold.
        // A run recorded before hashes were kept has none to compare.
        if !state.procedure_hash.is_empty() && procedure.content_hash != state.procedure_hash {
            return Err(LiveRunError::ProcedureChanged(Box::new(Changed {
                run: state.id.clone(),
                procedure: state.procedure.clone(),
                started: state.procedure_hash.clone(),
                now: procedure.content_hash.clone(),
                differences: differences(&writer.journal(), &state, procedure)?,
            })));
        }
        // The fold already read the run; the follower goes on from there.
        let mut session = LiveRun::bind(catalog, procedure, writer, state, at);
        session.catch_up()?;
        if !session.state.is_open() && !closed_too {
            return Err(Rejection::RunClosed.into());
        }
        Ok(session)
    }

    fn bind(
        catalog: &'c Catalog,
        procedure: &'c Procedure,
        writer: Writer,
        state: RunState,
        at: crate::store::read::Position,
    ) -> Self {
        let follower = Follower::from(writer.journal(), at);
        LiveRun {
            catalog,
            procedure,
            state,
            writer,
            follower,
            extra_roles: Vec::new(),
            problems: Vec::new(),
            clock: None,
        }
    }

    /// A drill run's clock: set by the console that plays the drill, or
    /// else taken up where the run's last entry left it.
    pub fn clock(&mut self, real: DateTime<Utc>) -> Option<DrillClock> {
        if self.clock.is_none()
            && let Some(drill) = &self.state.drill
        {
            let at = self.state.last_at.unwrap_or(real);
            self.clock = Some(DrillClock::new(real, at, drill.speed));
        }
        self.clock
    }

    pub fn set_clock(&mut self, clock: DrillClock) {
        self.clock = Some(clock);
    }

    /// What entries recorded at the real instant `real` carry.
    fn stamp(&mut self, real: DateTime<Utc>) -> Stamp {
        self.clock(real)
            .map_or_else(|| Stamp::from(real), |c| c.stamp(real))
    }

    /// Moves a drill's clock forward to `to`, and says so in the journal.
    pub fn jump_clock(
        &mut self,
        real: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Appended>, LiveRunError> {
        let Some(mut clock) = self.clock(real) else {
            return Ok(Vec::new());
        };
        let from = clock.at(real);
        if !clock.jump(real, to) {
            return Ok(Vec::new());
        }
        self.clock = Some(clock);
        self.record(vec![Event::DrillClockJumped { from }], real)
    }

    pub fn operator(&self) -> &str {
        &self.writer.identity().operator
    }

    /// What proves who acts here (`journal::identity::proof`).
    pub fn proof(&self) -> String {
        self.writer.identity().proof()
    }

    pub fn host(&self) -> &str {
        &self.writer.identity().host
    }

    /// Beside what command outputs are kept (for a database journal,
    /// this host's stand-in for the journal file).
    pub fn journal_path(&self) -> &std::path::Path {
        self.writer.path()
    }

    /// The journal, for reading.
    /// How far this host's clock is from the database's, when more than a
    /// minute off: entries are dated, and gates judged, by the server's.
    pub fn clock_off(&self) -> Option<chrono::TimeDelta> {
        self.writer.clock_off()
    }

    pub fn journal(&self) -> crate::store::Journal {
        self.writer.journal()
    }

    /// The journal as named to a person.
    pub fn journal_shown(&self) -> String {
        self.writer.journal().shown()
    }

    /// Applies what the journal holds for this run that the state has not
    /// seen yet, whoever wrote it; returns those entries.
    pub fn catch_up(&mut self) -> Result<Vec<Entry>, LiveRunError> {
        catch_up(
            &mut self.follower,
            &mut self.state,
            &mut self.problems,
            Follower::poll,
        )
    }

    /// After its own append the state must show it at once, announced or
    /// not: the console moves on to the next step from it.
    fn read_back(&mut self) -> Result<Vec<Entry>, LiveRunError> {
        catch_up(
            &mut self.follower,
            &mut self.state,
            &mut self.problems,
            Follower::refresh,
        )
    }

    /// Checks a command against the latest state and, if accepted, records
    /// its events; the state changes only by reading them back.
    pub fn execute(
        &mut self,
        command: &Command,
        now: DateTime<Utc>,
    ) -> Result<Vec<Appended>, LiveRunError> {
        self.execute_with(command, now, None)
    }

    /// As `execute`, with live metric readings for metric-gated steps.
    ///
    /// The decision is taken under the journal's lock, against the state
    /// with every entry up to the head: two operators ticking one step in
    /// the same instant cannot both be recorded; the second is refused and
    /// told who did it.
    pub fn execute_with(
        &mut self,
        command: &Command,
        now: DateTime<Utc>,
        readings: Option<&dyn Readings>,
    ) -> Result<Vec<Appended>, LiveRunError> {
        let operator = self.writer.identity().operator.clone();
        let proof = self.writer.identity().proof();
        let stamp = self.stamp(now);
        let LiveRun {
            catalog,
            procedure,
            state,
            writer,
            follower,
            extra_roles,
            problems,
            ..
        } = self;
        let run = Some(state.id.clone());
        let appended = writer.append_decided(stamp, |now| {
            catch_up(follower, state, problems, Follower::refresh)?;
            let ctx = Context {
                catalog,
                procedure,
                operator: &operator,
                proof: &proof,
                extra_roles,
                now,
                readings,
            };
            let events = run::decide(state, &ctx, command)?;
            Ok::<_, LiveRunError>(
                events
                    .into_iter()
                    .map(|event| Record {
                        run: run.clone(),
                        event,
                    })
                    .collect(),
            )
        })?;
        self.read_back()?;
        Ok(appended)
    }

    /// What a drill's simulated teammate did, as the scenario tells it:
    /// recorded as told, not decided against the state. Only in a drill.
    pub fn record_drill(
        &mut self,
        events: Vec<Event>,
        now: DateTime<Utc>,
    ) -> Result<Vec<Appended>, LiveRunError> {
        if self.state.drill.is_none() {
            return Err(Rejection::NotADrill.into());
        }
        self.record(events, now)
    }

    /// Records a threshold crossing seen while the run is open, so the
    /// post-mortem timeline shows it. Not a command: nothing refuses it.
    pub fn record_crossing(
        &mut self,
        metric: &str,
        from: &str,
        to: &str,
        value: f64,
        now: DateTime<Utc>,
    ) -> Result<Vec<Appended>, LiveRunError> {
        if !self.state.is_open() {
            return Ok(Vec::new());
        }
        let event = Event::MetricCrossed {
            metric: metric.to_owned(),
            from: from.to_owned(),
            to: to.to_owned(),
            value,
        };
        self.record(vec![event], now)
    }

    /// A follow-up of this run. Recorded outside the run, like every
    /// follow-up (the run may be closed when one is added), and read back
    /// by whoever follows the journal.
    pub fn record_followup(
        &mut self,
        text: String,
        owner: Option<String>,
        due: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<Vec<Appended>, LiveRunError> {
        let record = Record {
            run: None,
            event: Event::FollowupAdded {
                run: self.state.id.clone(),
                text,
                owner,
                due,
            },
        };
        Ok(self.writer.append(&[record], now)?)
    }

    fn record(
        &mut self,
        events: Vec<Event>,
        now: DateTime<Utc>,
    ) -> Result<Vec<Appended>, LiveRunError> {
        let run = Some(self.state.id.clone());
        let records: Vec<Record> = events
            .into_iter()
            .map(|event| Record {
                run: run.clone(),
                event,
            })
            .collect();
        let stamp = self.stamp(now);
        let appended = self.writer.append(&records, stamp)?;
        self.read_back()?;
        Ok(appended)
    }
}

/// Applies to `state` what `follower` finds of its run; a torn tail is
/// reported once, however often it is met.
fn catch_up(
    follower: &mut Follower,
    state: &mut RunState,
    problems: &mut Vec<Problem>,
    read: impl FnOnce(&mut Follower) -> Result<(Vec<Entry>, Vec<Problem>), JournalError>,
) -> Result<Vec<Entry>, LiveRunError> {
    let (entries, met) = read(follower)?;
    for problem in met {
        if !problems.contains(&problem) {
            problems.push(problem);
        }
    }
    let mine: Vec<Entry> = entries
        .into_iter()
        .filter(|e| e.run.as_deref() == Some(state.id.as_str()))
        .collect();
    for entry in &mine {
        let meta: Meta = entry.meta();
        state.apply(&meta, &entry.event);
    }
    Ok(mine)
}

/// What differs between the procedure `run` pinned at its start and
/// `now`; nothing where the run pinned none (recorded before pins). Read
/// only when they differ, so a resume does not read the journal twice.
fn differences(
    journal: &crate::store::Journal,
    run: &RunState,
    now: &Procedure,
) -> Result<Vec<String>, JournalError> {
    let mut pinned = None;
    crate::store::read::for_each(journal.clone(), |entry: Entry| {
        if pinned.is_none()
            && entry.run.as_deref() == Some(run.id.as_str())
            && let Event::RunStarted {
                pinned: Some(pin),
                procedure_hash,
                ..
            } = entry.event
        {
            pinned = Some((pin, procedure_hash));
        }
    })?;
    Ok(match pinned.map(|(pin, hash)| pin.procedure(&hash)) {
        Some(Ok(started)) => run::pinned::differences(&started, now),
        Some(Err(why)) => vec![why],
        None => Vec::new(),
    })
}
