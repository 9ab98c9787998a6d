//! The console's app: the one place that owns the terminal, the model and
//! the live run. Its loop (`event_loop`) turns what arrives into messages;
//! `update` turns them into effects; the effects (`effects`) go through the
//! live run to the journal; the screen is drawn when dirty.

use std::io;

use chrono::Utc;

use super::board::Board;
use super::delivery::Delivery;
use super::keymap::Keymap;
use super::model::{Data, Model, Screen, Tone};
use super::panel::Panel;
use super::terminal::Console;
use super::theme::Theme;
use super::update::{Effect, Msg, update};
use super::view::{View, draw};
use crate::catalog::Catalog;
use crate::config::JournalSettings;
use crate::live_run::{LiveRun, LiveRunError};
use crate::metrics::Sample;
use crate::report::describe;
use crate::run::Command;
use crate::store::read::Follower;

/// How the console opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Start {
    Home,
    New {
        procedure: String,
        severity: Option<String>,
    },
    Resume(Option<String>),
}

/// Everything the console needs from the command line and configuration.
#[derive(Debug)]
pub struct Setup<'c> {
    pub catalog: &'c Catalog,
    pub journal: JournalSettings,
    pub lang: String,
    pub theme: Theme,
    pub keymap: Keymap,
    /// Roles this operator holds by configuration.
    pub roles: Vec<String>,
    /// Whether step commands may run here, and what to mask.
    pub exec: crate::exec::Policy,
    /// A drill to play: its speed and scenario.
    pub drill: Option<drill::Plan>,
}

/// Why the loop ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Quit,
    Hangup,
    Terminated,
    JournalFailed,
}

pub mod drill;
mod effects;
mod event_loop;
mod exec;
mod pending;

pub use event_loop::run;

struct App<'c> {
    setup: Setup<'c>,
    operator: String,
    session: Option<LiveRun<'c>>,
    model: Model,
    /// The open runs, duties and what is owed, kept current as entries
    /// come.
    board: Board,
    follower: Follower,
    /// The journal as named on screen (a database's URL, never its
    /// password).
    journal_shown: String,
    journal_failed: bool,
    /// The metrics panel: the sources, the readings, what a crossing says.
    panel: Panel,
    exec: crate::running::Exec,
    /// The notifications sent beside the console.
    delivery: Delivery,
    /// The drill being played, if this console plays one.
    drill: Option<drill::Playing<'c>>,
    /// While the session is on a thread of its own: what to draw from.
    away: Option<pending::Away<'c>>,
    /// Journal work for the loop to start on a thread.
    jobs: Vec<pending::Job<'c>>,
    /// A copy of the follower is looking for teammates' entries.
    following: bool,
}

impl<'c> App<'c> {
    fn data(&self) -> Data<'_> {
        Data {
            catalog: self.setup.catalog,
            operator: &self.operator,
            lang: &self.setup.lang,
            run: self
                .session
                .as_ref()
                .map(|s| (s.procedure, &s.state))
                .or_else(|| self.away.as_ref().map(|a| (a.procedure, &a.state))),
            runs: &self.board.summaries,
            metrics_hint: &self.panel.hint,
            metrics: &self.panel.history,
            duties: &self.board.duties,
            owed: &self.board.owed,
            journal: &self.journal_shown,
            pane: self.exec.pane.as_ref(),
            running: self.exec.is_running(),
            failure_note: self
                .exec
                .failure_note
                .as_ref()
                .map(|(s, n)| (s.as_str(), n.as_str())),
            delivery: self.delivery.status.as_ref(),
            recording: self.away.as_ref().and_then(pending::Away::showing),
        }
    }

    /// The model moves with a message. It is taken out while `update`
    /// reads the rest of the console beside it, and put back: moved, never
    /// copied.
    fn update(&mut self, msg: Msg) -> Vec<Effect> {
        let now = self.model.now;
        let mut model = std::mem::replace(&mut self.model, Model::new(now));
        let effects = update(&mut model, &self.data(), &self.setup.keymap, msg);
        self.model = model;
        effects
    }

    fn words(&self) -> &'static crate::text::Words {
        crate::text::words(&self.setup.lang)
    }

    fn draw(&mut self, console: &mut Console) -> io::Result<()> {
        if let Ok(size) = console.size() {
            self.exec.fit(size.width, size.height);
        }
        let data = self.data();
        let view = View {
            model: &self.model,
            data: &data,
            theme: &self.setup.theme,
            keymap: &self.setup.keymap,
        };
        console.draw(|frame| draw(frame, &view))?;
        Ok(())
    }

    /// Reads what teammates appended: the home's run list at once, the
    /// open run's state on a thread (its words come with `finish_job`).
    fn watch(&mut self) {
        if !self.following {
            self.following = true;
            self.jobs.push(pending::Job::Follow(self.follower.clone()));
        }
        // The open run's new entries are read on a thread of their own: a
        // journal that does not answer never holds the keys.
        if self.away.is_none()
            && let Some(session) = self.session.take()
        {
            self.away = Some(pending::Away::new(&session, None));
            self.jobs.push(pending::Job::LiveRun {
                session: Box::new(session),
                work: pending::Work::CatchUp,
            });
        }
    }

    /// Teammates' entries in the open run, in words.
    fn teammates_said(
        &self,
        procedure: &crate::catalog::Procedure,
        entries: &[crate::journal::Entry],
    ) -> Vec<String> {
        let lang = &self.setup.lang;
        let step_text = |id: &str| {
            procedure
                .step(id)
                .map_or_else(|| id.to_owned(), |s| s.text.get(lang).to_owned())
        };
        entries
            .iter()
            .filter(|e| e.operator != self.operator)
            .map(|entry| {
                format!(
                    "{}: {}",
                    entry.operator,
                    describe(&entry.event, &step_text, self.words())
                )
            })
            .collect()
    }

    /// Sends what the journal owes, beside the console (never in its way).
    fn start_notifier(&mut self) {
        self.delivery = Delivery::new(crate::notify::service::spawn(crate::notify::Setup {
            catalog: self.setup.catalog.clone(),
            journal: self.setup.journal.clone(),
            lang: self.setup.lang.clone(),
            role: crate::notify::Role::Front,
        }));
    }

    /// Looks for what teammates did; what they did in the open run comes
    /// back as a message when the journal has answered.
    fn heard(&mut self) -> Option<Msg> {
        self.watch();
        None
    }

    /// The open runs, through the journal's index: what the home lists and
    /// a teammate may join; and the closed runs' summary lines, for the
    /// recurring duties (the index holds one short line per run, never
    /// their entries).
    fn load_history(&mut self) {
        let journal = &self.setup.journal;
        match crate::store::load(journal.journal(), journal.key.as_deref(), true) {
            Ok(history) => {
                for p in &history.problems {
                    tracing::warn!("journal line {}: {}", p.line, p.fault);
                }
                let at = history.at;
                self.board = Board::new(history.into_overview(self.setup.catalog));
                self.follower = Follower::from(journal.journal(), at);
                self.refresh_summaries();
            }
            Err(e) => {
                tracing::warn!("journal history: {e}");
                self.model.notify(Tone::Danger, e.text(self.words()));
            }
        }
    }

    fn refresh_summaries(&mut self) {
        let now = self.now();
        // A drill's console lists drills; a real one, real runs only.
        let drilling = self.drill.is_some();
        let (catalog, lang) = (self.setup.catalog, &self.setup.lang);
        self.board.refresh_runs(catalog, lang, now, drilling);
    }

    fn open_session(&mut self, start: Result<LiveRun<'c>, LiveRunError>) {
        match start {
            Ok(mut session) => {
                session.extra_roles.clone_from(&self.setup.roles);
                let first_open = {
                    let steps: Vec<_> = session.procedure.steps().collect();
                    steps
                        .iter()
                        .position(|s| session.state.status(&s.id).is_open())
                        .unwrap_or(0)
                };
                tracing::info!(run = %session.state.id, "opened run");
                self.model.step_selected = first_open;
                self.model.screen = Screen::Run;
                self.model
                    .notify(Tone::Ok, (self.words().console.opened)(&session.state.id));
                self.session = Some(session);
                self.drill_opened();
            }
            Err(e) => self.fail(&e),
        }
    }

    /// Opens run `run`, or the operator's latest open run.
    fn resume(&mut self, run: Option<&str>) {
        let opened = self
            .setup
            .journal
            .open()
            .map_err(LiveRunError::Journal)
            .and_then(|writer| LiveRun::resume(self.setup.catalog, writer, run, Utc::now()));
        self.open_session(opened);
    }

    fn fail(&mut self, error: &LiveRunError) {
        if let LiveRunError::Journal(e) = error
            && e.is_transient()
        {
            // A database that went away: nothing was recorded, the run
            // stays on screen, and the next action (or the journal's
            // poll) connects again once the backoff allows.
            tracing::warn!("journal unreachable: {error}");
        } else if matches!(error, LiveRunError::Journal(_)) {
            // Fail closed: nothing more is recorded, and the operator knows.
            self.journal_failed = true;
            tracing::error!("journal failed: {error}");
        }
        self.model.notify(Tone::Danger, error.text(self.words()));
    }

    /// A metric reading: kept for the panel; a crossing is journaled into
    /// the open run, and a critical one tied to the rollback criteria
    /// points the operator at the rollback procedure.
    fn sample(&mut self, sample: &Sample) {
        let catalog = self.setup.catalog;
        let Some(crossing) = self.panel.record(catalog, sample) else {
            return;
        };
        tracing::info!(metric = %crossing.metric, from = ?crossing.from, to = ?crossing.to, "threshold crossed");
        if let Some(away) = self.away.as_mut()
            && !self.journal_failed
        {
            // Recorded once the session is back from the journal.
            away.crossings.push(crossing.clone());
        } else if let Some(session) = self.session.as_mut()
            && !self.journal_failed
        {
            // The real instant: in a drill, the session stamps its clock.
            let recorded = session.record_crossing(
                &crossing.metric,
                crossing.from.word(),
                crossing.to.word(),
                crossing.value,
                Utc::now(),
            );
            if let Err(e) = recorded {
                self.fail(&e);
                return;
            }
        }
        if let Some((tone, said)) = self.panel.said(catalog, &self.setup.lang, &crossing) {
            self.model.notify(tone, said);
        }
    }

    /// Records that the operator left the run; the run stays open.
    fn detach(&mut self, why: &str) {
        if let Some(mut session) = self.session.take()
            && !self.journal_failed
            && session.state.is_open()
        {
            let command = Command::Detach {
                reason: Some(why.to_owned()),
            };
            if let Err(e) = session.execute(&command, Utc::now()) {
                tracing::error!("could not record leaving the run: {e}");
            }
        }
        self.teammates_leave(why);
    }
}

impl<'c> App<'c> {
    fn new(setup: Setup<'c>) -> Self {
        // The name the writer records: the registry's for a signing key.
        let operator = setup.journal.identity().map_or_else(
            |_| crate::store::whoami::detect(|n| std::env::var(n).ok()).operator,
            |identity| identity.operator,
        );
        let follower = Follower::new(setup.journal.journal());
        let setup_journal_shown = setup.journal.shown();
        let panel = Panel::new(setup.catalog, &setup.lang);
        let mut app = App {
            setup,
            operator,
            session: None,
            model: Model::new(Utc::now()),
            board: Board::default(),
            follower,
            journal_shown: setup_journal_shown,
            journal_failed: false,
            panel,
            exec: crate::running::Exec::default(),
            delivery: Delivery::default(),
            drill: None,
            away: None,
            jobs: Vec::new(),
            following: false,
        };
        if let Some(plan) = app.setup.drill.clone() {
            app.drill = Some(drill::Playing::new(plan, Utc::now()));
            app.setup.theme = app.setup.theme.clone().badged(app.words().drill.badge);
            app.model.now = app.now();
        }
        app
    }
}

impl App<'_> {
    /// First paint before anything slow: the journal is read after.
    fn open(&mut self, start: Start, console: &mut Console) -> io::Result<()> {
        // The home is painted before the journal is read, so that it shows
        // at once; a run asked for is painted once opened, never after a
        // flash of the home.
        if matches!(start, Start::Home) {
            self.draw(console)?;
        }
        self.load_history();
        self.watch();
        match start {
            Start::Home => {}
            Start::New {
                procedure,
                severity,
            } => self.run_effects(
                vec![Effect::Start {
                    procedure,
                    severity,
                }],
                console,
            ),
            Start::Resume(run) => self.resume(run.as_deref()),
        }
        self.model.dirty = true;
        Ok(())
    }
}
