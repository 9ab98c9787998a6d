//! The journal's work, off the loop that reads keys and draws. A command's
//! decision and append, and the look for teammates' entries, run on a
//! thread of their own, which holds the live run meanwhile; the console
//! keeps the state it last had to draw from, shows the step "recording…",
//! lets every key that needs no journal work, keeps what does for when the
//! session is back, and says so when the journal does not answer. Nothing
//! is shown done before the journal has acknowledged it.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use crate::catalog::{Catalog, Procedure};
use crate::journal::{Appended, Entry, JournalError};
use crate::live_run::{LiveRun, LiveRunError};
use crate::metrics::History;
use crate::metrics::sample::Live;
use crate::model::Tone;
use crate::run::Readings;
use crate::run::{Command, RunState};
use crate::store::read::Follower;
use crate::update::{Effect, Msg};

/// After this long without an answer, the status line says so.
pub const SLOW: Duration = Duration::from_secs(2);

/// What a thread does with the session.
pub enum Work {
    Execute(Box<Asked>),
    /// A follow-up of the run, recorded outside it.
    Followup {
        text: String,
        owner: Option<String>,
        due: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    },
    CatchUp,
}

/// A command, when it was asked, and the readings then.
pub struct Asked {
    pub command: Command,
    pub now: DateTime<Utc>,
    pub readings: Snapshot,
}

pub enum Job<'c> {
    /// Work on the open run, with its session.
    LiveRun {
        session: Box<LiveRun<'c>>,
        work: Work,
    },
    /// The home's look for teammates' entries, from a copy of its follower.
    Follow(Follower),
}

pub enum Outcome {
    Executed(Result<Vec<Appended>, LiveRunError>),
    CaughtUp(Result<Vec<Entry>, LiveRunError>),
}

/// A job's end: the session (or the follower) back, and what the journal
/// said.
pub enum Done<'c> {
    LiveRun {
        session: Box<LiveRun<'c>>,
        outcome: Outcome,
    },
    Followed {
        follower: Follower,
        entries: Result<Vec<Entry>, JournalError>,
    },
}

impl<'c> Job<'c> {
    pub fn run(self) -> Done<'c> {
        let (mut session, work) = match self {
            Job::LiveRun { session, work } => (session, work),
            Job::Follow(mut follower) => {
                let mut entries = Vec::new();
                let read = follower.poll_each(|entry| entries.push(entry));
                return Done::Followed {
                    follower,
                    entries: read.map(|_| entries),
                };
            }
        };
        let outcome = match work {
            Work::Execute(asked) => Outcome::Executed(session.execute_with(
                &asked.command,
                asked.now,
                Some(&asked.readings),
            )),
            Work::Followup {
                text,
                owner,
                due,
                now,
            } => Outcome::Executed(session.record_followup(text, owner, due, now)),
            Work::CatchUp => Outcome::CaughtUp(session.catch_up()),
        };
        Done::LiveRun { session, outcome }
    }
}

/// The metric readings as they were when the operator acted: what a
/// metric-gated step is decided against, wherever the decision runs.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    ok_since: Vec<(String, Option<DateTime<Utc>>)>,
    critical: Vec<String>,
    read: Vec<String>,
}

impl Snapshot {
    pub fn take(catalog: &Catalog, history: &History, now: DateTime<Utc>) -> Snapshot {
        let live = Live {
            history,
            catalog,
            now,
        };
        let ids = catalog.metrics.iter().map(|m| m.id.as_str());
        Snapshot {
            ok_since: ids
                .clone()
                .map(|m| (m.to_owned(), live.ok_since(m)))
                .collect(),
            critical: ids
                .clone()
                .filter(|m| live.is_critical(m))
                .map(str::to_owned)
                .collect(),
            read: ids.filter(|m| live.reads(m)).map(str::to_owned).collect(),
        }
    }
}

impl Readings for Snapshot {
    fn ok_since(&self, metric: &str) -> Option<DateTime<Utc>> {
        self.ok_since
            .iter()
            .find(|(m, _)| m == metric)
            .and_then(|(_, since)| *since)
    }

    fn is_critical(&self, metric: &str) -> bool {
        self.critical.iter().any(|m| m == metric)
    }

    fn reads(&self, metric: &str) -> bool {
        self.read.iter().any(|m| m == metric)
    }
}

/// While the session is on its thread: what to draw from, and what waits.
pub struct Away<'c> {
    pub procedure: &'c Procedure,
    pub state: RunState,
    pub since: Instant,
    /// The command being recorded (`None`: a look for teammates' entries).
    pub recording: Option<Command>,
    /// Effects that need the session, in the order they were asked.
    pub queued: VecDeque<Effect>,
    /// The operator asked to cancel what is pending.
    pub cancelled: bool,
    /// Threshold crossings seen meanwhile, recorded once it is back.
    pub crossings: Vec<crate::metrics::sample::Crossing>,
}

impl<'c> Away<'c> {
    pub fn new(session: &LiveRun<'c>, recording: Option<Command>) -> Self {
        Away {
            procedure: session.procedure,
            state: session.state.clone(),
            since: Instant::now(),
            recording,
            queued: VecDeque::new(),
            cancelled: false,
            crossings: Vec::new(),
        }
    }

    /// The entry shown "sending": the one in flight, else the first
    /// command queued behind a look for teammates' entries (shown at once,
    /// whatever the look takes). `Some("")` for one of the run as a whole.
    pub fn showing(&self) -> Option<&str> {
        let queued = self.queued.iter().find_map(|effect| match effect {
            Effect::Execute(command) => Some(command),
            _ => None,
        });
        let command = self.recording.as_ref().or(queued)?;
        Some(step_of(command).unwrap_or_default())
    }

    /// How long the journal has not answered a recording, once that is
    /// long enough to say.
    pub fn silent_for(&self) -> Option<Duration> {
        let waited = self.since.elapsed();
        (self.showing().is_some() && waited >= SLOW).then_some(waited)
    }
}

/// The step a command is about, if it names one.
fn step_of(command: &Command) -> Option<&str> {
    match command {
        Command::Complete { step, .. }
        | Command::Confirm { step }
        | Command::Claim { step }
        | Command::Skip { step, .. }
        | Command::Fail { step, .. }
        | Command::Reopen { step, .. }
        | Command::RequestRun { step, .. }
        | Command::ApproveRun { step }
        | Command::StartRun { step, .. }
        | Command::FinishRun { step, .. } => Some(step),
        Command::Note { step, .. } => step.as_deref(),
        _ => None,
    }
}

/// Whether an effect needs the session (and so waits while it is away).
pub fn needs_session(effect: &Effect) -> bool {
    !matches!(
        effect,
        Effect::Copy(_) | Effect::ScrollOutput(_) | Effect::InterruptExec
    )
}

impl<'c> super::App<'c> {
    /// The session is back from its thread: says what the journal
    /// answered, records what waited, and hands back what was queued.
    pub(super) fn finish_job(&mut self, done: Done<'c>) -> (Option<Msg>, Vec<Effect>) {
        let (session, outcome) = match done {
            Done::LiveRun { session, outcome } => (session, outcome),
            Done::Followed { follower, entries } => {
                self.followed(follower, entries);
                return (None, Vec::new());
            }
        };
        let away = self.away.take();
        self.session = Some(*session);
        let Some(away) = away else {
            return (None, Vec::new());
        };
        if away.recording.is_some() {
            // "recording…" gives way to what the journal said.
            self.model.dirty = true;
        }
        let msg = match outcome {
            Outcome::Executed(result) if away.cancelled => {
                let words = self.words().console;
                match result {
                    Ok(appended) => {
                        let seqs: Vec<String> =
                            appended.iter().map(|a| format!("#{}", a.seq)).collect();
                        Some(Msg::Recorded((words.cancel_too_late)(&seqs.join(", "))))
                    }
                    // A journal that failed for good is said as such,
                    // cancel or not.
                    Err(LiveRunError::Journal(e)) if !e.is_transient() => {
                        self.fail(&LiveRunError::Journal(e));
                        None
                    }
                    Err(_) => Some(Msg::Refused(words.cancelled.to_owned())),
                }
            }
            Outcome::Executed(result) => self.executed(result),
            Outcome::CaughtUp(Ok(entries)) if entries.is_empty() => None,
            Outcome::CaughtUp(Ok(entries)) => {
                // A teammate's entry changed the run: draw it.
                self.model.dirty = true;
                let said = self
                    .session
                    .as_ref()
                    .map(|s| self.teammates_said(s.procedure, &entries))
                    .unwrap_or_default();
                (!said.is_empty()).then_some(Msg::Activity(said))
            }
            Outcome::CaughtUp(Err(e)) => {
                tracing::warn!("run watch: {e}");
                None
            }
        };
        for crossing in away.crossings {
            let Some(session) = self.session.as_mut() else {
                break;
            };
            let recorded = session.record_crossing(
                &crossing.metric,
                crossing.from.word(),
                crossing.to.word(),
                crossing.value,
                chrono::Utc::now(),
            );
            if let Err(e) = recorded {
                self.fail(&e);
                break;
            }
        }
        let queued = if away.cancelled {
            Vec::new()
        } else {
            away.queued.into()
        };
        (msg, queued)
    }

    /// The home's follower is back: teammates' new entries go into the
    /// run list.
    fn followed(&mut self, follower: Follower, entries: Result<Vec<Entry>, JournalError>) {
        self.following = false;
        match entries {
            Ok(entries) if entries.is_empty() => self.follower = follower,
            Ok(entries) => {
                self.follower = follower;
                for entry in &entries {
                    self.board.push(entry, self.setup.catalog);
                }
                self.refresh_summaries();
                self.model.dirty = true;
            }
            Err(e) => tracing::warn!("journal watch: {e}"),
        }
    }

    /// Esc while an entry is pending: what waits is dropped; the entry in
    /// flight cannot be taken back from the journal, so its answer says
    /// whether it was recorded after all.
    pub(super) fn cancel_pending(&mut self) {
        let Some(away) = self.away.as_mut() else {
            return;
        };
        away.cancelled = true;
        away.queued.clear();
        let words = self.words().console;
        self.model
            .notify(Tone::Warning, words.cancelling.to_owned());
    }

    /// The status line, once the journal has not answered for a while.
    pub(super) fn say_if_silent(&mut self) {
        let Some(waited) = self.away.as_ref().and_then(Away::silent_for) else {
            return;
        };
        let words = self.words().console;
        self.model
            .notify(Tone::Warning, (words.journal_silent)(waited.as_secs()));
    }
}
