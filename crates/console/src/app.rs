//! The console's loop: the one place that owns the terminal, the model and
//! the live run. Keys (from a reader thread), clock seconds, journal changes
//! and signals arrive as messages; `update` turns them into effects; effects
//! go through the live run to the journal; the screen is drawn when dirty.

use std::io::{self, Write};
use std::time::Duration;

use chrono::Utc;
use ratatui::crossterm::event::{self, Event, KeyEventKind};
use tokio::sync::mpsc;

use super::board::Board;
use super::keymap::Keymap;
use super::model::{Data, Model, Screen, Tone};
use super::terminal::{self, Console};
use super::theme::Theme;
use super::update::{Effect, Msg, update};
use super::view::{View, draw};
use crate::catalog::Catalog;
use crate::config::JournalSettings;
use crate::live_run::{LiveRun, LiveRunError};
use crate::metrics::sample::rollback_metrics;
use crate::metrics::{History, Level, Sample, poller};
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
mod exec;
mod pending;

enum Input {
    Msg(Msg),
    /// The terminal is gone: reading it failed.
    Closed,
}

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
    metrics_hint: String,
    metrics: History,
    /// Metrics whose critical reading points to a rollback procedure.
    rollback_metrics: Vec<(String, String)>,
    exec: crate::running::Exec,
    /// The sending service, when the catalog has targets.
    notifier: Option<crate::notify::Handle>,
    delivery: Option<crate::notify::Status>,
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
            metrics_hint: &self.metrics_hint,
            metrics: &self.metrics,
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
            delivery: self.delivery.as_ref(),
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

    /// Reads where the notifications stand; true when it changed.
    fn refresh_delivery(&mut self) -> bool {
        let Some(status) = self
            .notifier
            .as_ref()
            .and_then(crate::notify::Handle::status)
        else {
            return false;
        };
        if self.delivery.as_ref() == Some(&status) {
            return false;
        }
        self.delivery = Some(status);
        true
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
        self.notifier = crate::notify::service::spawn(crate::notify::Setup {
            catalog: self.setup.catalog.clone(),
            journal: self.setup.journal.clone(),
            lang: self.setup.lang.clone(),
            role: crate::notify::Role::Front,
        });
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

    fn run_effects(&mut self, effects: Vec<Effect>, console: &mut Console) {
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
    fn execute(&mut self, command: &Command) -> Option<Msg> {
        let session = self.session.take()?;
        let now = Utc::now();
        let readings = pending::Snapshot::take(self.setup.catalog, &self.metrics, now);
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
    fn add_followup(&mut self, text: &str) -> Option<Msg> {
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
    fn executed(
        &mut self,
        result: Result<Vec<crate::journal::Appended>, LiveRunError>,
    ) -> Option<Msg> {
        match result {
            Ok(appended) => {
                if let Some(notifier) = &self.notifier {
                    notifier.nudge();
                }
                let seqs: Vec<String> = appended.iter().map(|a| format!("#{}", a.seq)).collect();
                Some(Msg::Recorded((self.words().console.recorded)(
                    &seqs.join(", "),
                )))
            }
            Err(LiveRunError::Rejected(r)) => Some(Msg::Refused(r.text(self.words()))),
            Err(e) => {
                self.fail(&e);
                None
            }
        }
    }

    /// A metric reading: kept for the panel; a crossing is journaled into
    /// the open run, and a critical one tied to the rollback criteria
    /// points the operator at the rollback procedure.
    fn sample(&mut self, sample: &Sample) {
        let Some(metric) = self.setup.catalog.metric(&sample.metric) else {
            return;
        };
        let Some(crossing) = self.metrics.record(metric, sample) else {
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
        let title = metric.title.get(&self.setup.lang);
        let rollback = self.rollback_metrics.iter().find(|(m, _)| *m == metric.id);
        let w = crate::text::words(&self.setup.lang).console;
        let value = format!("{} {}", crossing.value, metric.unit);
        match (crossing.to, rollback) {
            (Level::Critical, Some((_, procedure))) => self.model.notify(
                Tone::Danger,
                (w.critical_rollback)(title, &value, procedure),
            ),
            (Level::Critical, None) => self.model.notify(Tone::Danger, (w.critical)(title, &value)),
            (Level::Alert, _) => self.model.notify(Tone::Warning, (w.alert)(title, &value)),
            (Level::Ok, _) => self.model.notify(Tone::Ok, (w.back_to_normal)(title)),
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
        let setup_catalog = setup.catalog;
        // The name the writer records: the registry's for a signing key.
        let operator = setup.journal.identity().map_or_else(
            |_| crate::journal::identity::detect(|n| std::env::var(n).ok()).operator,
            |identity| identity.operator,
        );
        let follower = Follower::new(setup.journal.journal());
        let setup_journal_shown = setup.journal.shown();
        let w = crate::text::words(&setup.lang).console;
        let metrics_hint = if setup
            .catalog
            .metrics
            .iter()
            .any(crate::catalog::Metric::readable)
        {
            w.sources_configured.to_owned()
        } else {
            w.no_metric_source.to_owned()
        };
        let mut app = App {
            setup,
            operator,
            session: None,
            model: Model::new(Utc::now()),
            board: Board::default(),
            follower,
            journal_shown: setup_journal_shown,
            journal_failed: false,
            metrics_hint,
            metrics: History::default(),
            rollback_metrics: rollback_metrics(setup_catalog),
            exec: crate::running::Exec::default(),
            notifier: None,
            delivery: None,
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

fn spawn_reader(tx: mpsc::Sender<Input>) {
    std::thread::spawn(move || {
        loop {
            let input = match event::read() {
                Ok(Event::Key(key)) if key.kind != KeyEventKind::Release => {
                    Input::Msg(Msg::Key(key))
                }
                Ok(Event::Resize(..)) => Input::Msg(Msg::Resized),
                Ok(_) => continue,
                Err(_) => Input::Closed,
            };
            let closed = matches!(input, Input::Closed);
            if tx.blocking_send(input).is_err() || closed {
                break;
            }
        }
    });
}

/// Runs the console until the operator leaves, the terminal hangs up, or a
/// signal asks it to stop. The terminal is restored on every path.
/// Also returns the name of the drill played, if one was.
pub fn run(setup: Setup<'_>, start: Start) -> io::Result<(Exit, Option<String>)> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let (mut console, guard) = terminal::init()?;
    let mut drill = None;
    // Journal work runs on scoped threads: they borrow the catalog as the
    // session does, and the scope waits for one still waiting on its
    // journal, after the terminal is given back.
    let result = std::thread::scope(|scope| {
        let result = runtime.block_on(main_loop(setup, start, &mut console, &mut drill, scope));
        drop(guard);
        result
    });
    result.map(|exit| (exit, drill))
}

/// How long leaving waits for an entry in flight before it goes.
const SETTLE: Duration = Duration::from_secs(3);

/// Leaving unattended (hang-up, signal): an entry in flight is given a
/// moment to be acknowledged, so that the run's state, and the leaving
/// recorded after it, follow it.
async fn settle<'c>(app: &mut App<'c>, done: &mut mpsc::UnboundedReceiver<pending::Done<'c>>) {
    let deadline = tokio::time::Instant::now() + SETTLE;
    while app.away.is_some() {
        match tokio::time::timeout_at(deadline, done.recv()).await {
            Ok(Some(finished)) => {
                let _ = app.finish_job(finished);
            }
            _ => return,
        }
    }
}

#[allow(clippy::too_many_lines)]
async fn main_loop<'c, 'scope, 'env>(
    setup: Setup<'c>,
    start: Start,
    console: &mut Console,
    drill_played: &mut Option<String>,
    scope: &'scope std::thread::Scope<'scope, 'env>,
) -> io::Result<Exit>
where
    'c: 'scope,
{
    use tokio::signal::unix::{SignalKind, signal};
    let mut hangup = signal(SignalKind::hangup())?;
    let mut terminate = signal(SignalKind::terminate())?;
    let mut app = App::new(setup);
    app.open(start, console)?;
    app.start_notifier();

    let (tx, mut rx) = mpsc::channel(64);
    spawn_reader(tx);
    let (pollers, mut samples) = app.pollers();
    // Room for what comes while a frame's output is parsed (4 MiB at
    // most): the command is held back only when the console falls behind.
    let (output_tx, mut output) = mpsc::channel::<Vec<u8>>(256);
    app.exec.output = Some(output_tx);
    let mut clock = app.clock();
    let mut exec_tick = tokio::time::interval(Duration::from_millis(50));
    let mut journal = tokio::time::interval(Duration::from_millis(500));
    // A watched file wakes on each write, a database announces its heads:
    // a teammate's entry shows at once rather than at the next poll.
    let mut announced = app.setup.journal.journal().changes();
    // A watched file needs no poll: the poll is what is left where no
    // watch can be set.
    let poll = announced.is_none() || app.setup.journal.journal().polled_even_when_woken();
    let (done_tx, mut done_rx) = mpsc::unbounded_channel::<pending::Done<'c>>();
    loop {
        for job in app.jobs.drain(..) {
            let done = done_tx.clone();
            scope.spawn(move || {
                // The console may have left meanwhile: nobody to tell.
                let _ = done.send(job.run());
            });
        }
        if drill_played.is_none() {
            *drill_played = app.drill.as_ref().and_then(|d| d.name().map(str::to_owned));
        }
        if app.model.dirty {
            app.model.dirty = false;
            if let Err(e) = app.draw(console) {
                // The terminal is gone: leave as after a hang-up.
                tracing::warn!(
                    "the terminal is gone (drawing failed: {e}): leaving as after a hang-up"
                );
                // The session may be on a thread (a teammate's entries
                // being read): back first, or its leaving goes unrecorded.
                settle(&mut app, &mut done_rx).await;
                app.leave_unattended(&mut output, "terminal closed");
                return Ok(Exit::Hangup);
            }
        }
        if app.model.quit {
            return Ok(if app.journal_failed {
                Exit::JournalFailed
            } else {
                Exit::Quit
            });
        }
        // Biased: a key is taken before anything else ready, and command
        // output, which may never stop coming, last.
        let msg = tokio::select! {
            biased;
            _ = hangup.recv() => {
                tracing::warn!("hang-up (SIGHUP): leaving; the run stays open");
                settle(&mut app, &mut done_rx).await;
                app.leave_unattended(&mut output, "hangup");
                return Ok(Exit::Hangup);
            }
            _ = terminate.recv() => {
                app.exec.interrupt();
                settle(&mut app, &mut done_rx).await;
                app.leave_unattended(&mut output, "terminated");
                return Ok(Exit::Terminated);
            }
            input = rx.recv() => match input {
                Some(Input::Msg(msg)) => msg,
                Some(Input::Closed) | None => {
                    tracing::warn!("the terminal is gone: leaving as after a hang-up");
                    settle(&mut app, &mut done_rx).await;
                    app.leave_unattended(&mut output, "terminal closed");
                    return Ok(Exit::Hangup);
                }
            },
            Some(finished) = done_rx.recv() => {
                let (msg, queued) = app.finish_job(finished);
                if let Some(msg) = msg {
                    let effects = app.update(msg);
                    app.run_effects(effects, console);
                }
                app.run_effects(queued, console);
                continue;
            }
            _ = exec_tick.tick(), if app.exec.is_running() => {
                app.exec.tick();
                // Its end is recorded once the session is back.
                if app.exec.finished() && app.away.is_none() {
                    app.end_exec();
                }
                // The elapsed time moves.
                app.model.dirty = true;
                continue;
            }
            Some(sample) = samples.recv(), if !pollers.is_empty() => {
                app.sample(&sample);
                app.model.dirty = true;
                continue;
            }
            _ = clock.tick() => {
                app.drill_tick();
                app.say_if_silent();
                let now = app.now();
                app.board.refresh_due(app.setup.catalog, now);
                if app.refresh_delivery() {
                    app.model.dirty = true;
                }
                Msg::Tick(now)
            }
            Some(()) = changed(announced.as_mut()) => match app.heard() {
                Some(msg) => msg,
                None => continue,
            },
            _ = journal.tick(), if poll => match app.heard() {
                Some(msg) => msg,
                // Nothing new: no redraw for this tick.
                None => continue,
            },
            // After everything else, so that a key is never behind it.
            () = std::future::ready(()), if app.exec.parse_due() => {
                if app.exec.parse() {
                    app.model.dirty = true;
                }
                continue;
            }
            Some(chunk) = output.recv() => {
                app.exec.feed(chunk);
                continue;
            }
        };
        let effects = app.update(msg);
        app.run_effects(effects, console);
    }
}

impl App<'_> {
    /// The metric pollers and their readings; none in a drill, whose
    /// metrics come from its scenario, never from live sources.
    fn pollers(&self) -> (Vec<tokio::task::JoinHandle<()>>, mpsc::Receiver<Sample>) {
        let (samples_tx, samples) = mpsc::channel::<Sample>(256);
        let pollers = if self.drill.is_some() {
            Vec::new()
        } else {
            poller::spawn_all(self.setup.catalog, &samples_tx)
        };
        (pollers, samples)
    }

    /// The clock's ticks: every second, or as a drill's speed wants.
    fn clock(&self) -> tokio::time::Interval {
        let every = self
            .drill
            .as_ref()
            .map_or(Duration::from_secs(1), drill::Playing::tick);
        let mut clock = tokio::time::interval(every);
        clock.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        clock
    }
}

/// The next announcement of a database journal; never, for a file (or
/// once the listener is gone).
async fn changed(announced: Option<&mut tokio::sync::watch::Receiver<u64>>) -> Option<()> {
    match announced {
        Some(rx) => rx.changed().await.ok(),
        None => std::future::pending().await,
    }
}
