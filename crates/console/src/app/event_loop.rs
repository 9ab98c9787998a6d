//! The loop: the one place that waits. Keys (from a reader thread), clock
//! seconds, journal changes, command output and signals arrive; each
//! becomes a message for `update`, whose effects the app carries out.

use std::io;
use std::time::Duration;

use ratatui::crossterm::event::{self, Event, KeyEventKind};
use tokio::sync::mpsc;

use super::{App, Exit, Setup, Start, drill, pending};
use crate::metrics::{Sample, poller};
use crate::terminal::{self, Console};
use crate::update::Msg;

enum Input {
    Msg(Msg),
    /// The terminal is gone: reading it failed.
    Closed,
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
                if app.delivery.refresh() {
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
    pub(super) fn pollers(&self) -> (Vec<tokio::task::JoinHandle<()>>, mpsc::Receiver<Sample>) {
        let (samples_tx, samples) = mpsc::channel::<Sample>(256);
        let pollers = if self.drill.is_some() {
            Vec::new()
        } else {
            poller::spawn_all(self.setup.catalog, &samples_tx)
        };
        (pollers, samples)
    }

    /// The clock's ticks: every second, or as a drill's speed wants.
    pub(super) fn clock(&self) -> tokio::time::Interval {
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
