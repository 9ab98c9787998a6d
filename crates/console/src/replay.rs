//! `runbook replay`: a recorded run played back in the console, read-only.
//! The player is pure: which entry is shown, and the state folded up to
//! it; the loop draws that state with the console's own view, waits the
//! recorded gap divided by the speed (a long silence cut short), and
//! answers the keys: pause, step, jump to the next step event, start, end.

use std::io;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use ratatui::crossterm::event::{self, Event as TermEvent, KeyCode, KeyEventKind};

use super::keymap::Keymap;
use super::model::{Data, Model, Screen, Tone};
use super::theme::Theme;
use super::view::{View, draw};
use crate::catalog::{Catalog, Procedure};
use crate::journal::Entry;
use crate::metrics::{History, Sample};
use crate::run::{Event, RunState};

/// However long the recorded silence, the replay waits at most this.
const LONGEST_GAP: Duration = Duration::from_secs(5);

/// The entries of one run and how far into them the replay is.
#[derive(Debug)]
pub struct Player {
    entries: Vec<Entry>,
    /// How many entries are applied (at least the first).
    shown: usize,
    pub paused: bool,
    speed: u32,
}

impl Player {
    pub fn new(entries: Vec<Entry>, speed: u32) -> Self {
        Player {
            shown: usize::from(!entries.is_empty()),
            entries,
            paused: false,
            speed: speed.max(1),
        }
    }

    pub fn shown(&self) -> usize {
        self.shown
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn at_end(&self) -> bool {
        self.shown >= self.entries.len()
    }

    /// The run as it stood after the entries shown.
    pub fn state(&self, id: &str) -> RunState {
        let mut state = RunState::new(id);
        for entry in &self.entries[..self.shown] {
            state.apply(&entry.meta(), &entry.event);
        }
        state
    }

    /// The last entry shown.
    pub fn current(&self) -> Option<&Entry> {
        self.shown.checked_sub(1).and_then(|i| self.entries.get(i))
    }

    /// The run's time at the entry shown.
    pub fn now(&self) -> Option<DateTime<Utc>> {
        self.current().map(|e| e.meta().at)
    }

    /// The wait before the next entry: its recorded gap, compressed.
    pub fn gap(&self) -> Option<Duration> {
        let next = self.entries.get(self.shown)?;
        let before = self.current()?;
        let ms = (next.meta().at - before.meta().at)
            .num_milliseconds()
            .max(0);
        let ms = u64::try_from(ms).unwrap_or(0) / u64::from(self.speed);
        Some(Duration::from_millis(ms).min(LONGEST_GAP))
    }

    /// One entry on; false at the end.
    pub fn step(&mut self) -> bool {
        if self.at_end() {
            return false;
        }
        self.shown += 1;
        true
    }

    /// On to the next entry about a step (done, skipped, failed…).
    pub fn jump(&mut self) {
        while self.step() {
            if self.current().is_some_and(|e| e.event.step().is_some()) {
                break;
            }
        }
    }

    pub fn seek(&mut self, shown: usize) {
        self.shown = shown.clamp(usize::from(!self.entries.is_empty()), self.entries.len());
    }

    /// The metric readings recorded by the entries shown.
    pub fn metrics(&self, catalog: &Catalog) -> History {
        let mut history = History::default();
        for entry in &self.entries[..self.shown] {
            if let Event::MetricCrossed { metric, value, .. } = &entry.event
                && let Some(found) = catalog.metric(metric)
            {
                let sample = Sample {
                    metric: metric.clone(),
                    at: entry.meta().at,
                    reading: Ok(*value),
                };
                history.record(found, &sample);
            }
        }
        history
    }
}

/// What a replay shows: the catalog, the run's procedure, how to draw.
#[derive(Debug)]
pub struct Setup<'c> {
    pub catalog: &'c Catalog,
    pub procedure: &'c Procedure,
    pub run: String,
    pub lang: String,
    pub theme: Theme,
    pub keymap: Keymap,
    pub journal: String,
}

/// The model and data for the entry shown: the step it was about
/// selected, and what happened said in the status line.
pub fn frame_model(setup: &Setup<'_>, player: &Player, state: &RunState) -> Model {
    let mut model = Model::new(player.now().unwrap_or_default());
    model.screen = Screen::Run;
    let steps: Vec<_> = setup.procedure.steps().collect();
    let about = player.current().and_then(|e| e.event.step());
    model.step_selected = about
        .and_then(|id| steps.iter().position(|s| s.id == id))
        .or_else(|| steps.iter().position(|s| state.status(&s.id).is_open()))
        .unwrap_or(0);
    let words = crate::text::words(&setup.lang);
    let step_text = |id: &str| {
        setup
            .procedure
            .step(id)
            .map_or_else(|| id.to_owned(), |s| s.text.get(&setup.lang).to_owned())
    };
    let said = player.current().map(|e| {
        format!(
            "{}: {}",
            e.operator,
            crate::report::describe(&e.event, &step_text, words)
        )
    });
    let head = (words.drill.replay_head)(&setup.run, player.shown(), player.len(), player.speed);
    let paused = if player.paused {
        format!(" · {}", words.drill.paused)
    } else if player.at_end() {
        format!(" · {}", words.drill.replay_end)
    } else {
        String::new()
    };
    model.notify(
        Tone::Info,
        format!("{head}{paused} · {}", said.unwrap_or_default()),
    );
    model
}

/// Plays the run until the operator leaves. The terminal is restored on
/// every way out.
pub fn run(setup: &Setup<'_>, player: Player) -> io::Result<()> {
    let (mut console, guard) = super::terminal::init()?;
    let result = play(setup, player, &mut console);
    drop(guard);
    result
}

fn play(
    setup: &Setup<'_>,
    mut player: Player,
    console: &mut super::terminal::Console,
) -> io::Result<()> {
    let mut due = Instant::now() + player.gap().unwrap_or(LONGEST_GAP);
    let mut dirty = true;
    loop {
        if dirty {
            let state = player.state(&setup.run);
            let model = frame_model(setup, &player, &state);
            let metrics = player.metrics(setup.catalog);
            let operator = state.started_by.clone().unwrap_or_default();
            let data = Data {
                catalog: setup.catalog,
                operator: &operator,
                lang: &setup.lang,
                run: Some((setup.procedure, &state)),
                runs: &[],
                metrics_hint: "",
                journal: &setup.journal,
                metrics: &metrics,
                duties: &[],
                owed: &[],
                pane: None,
                running: false,
                failure_note: None,
                delivery: None,
                recording: None,
            };
            let view = View {
                model: &model,
                data: &data,
                theme: &setup.theme,
                keymap: &setup.keymap,
            };
            console.draw(|frame| draw(frame, &view))?;
            dirty = false;
        }
        let wait = if player.paused || player.at_end() {
            Duration::from_secs(3600)
        } else {
            due.saturating_duration_since(Instant::now())
        };
        if !event::poll(wait)? {
            if !player.paused && player.step() {
                due = Instant::now() + player.gap().unwrap_or(LONGEST_GAP);
                dirty = true;
            }
            continue;
        }
        let TermEvent::Key(key) = event::read()? else {
            dirty = true;
            continue;
        };
        if key.kind == KeyEventKind::Release {
            continue;
        }
        match key.code {
            KeyCode::Char('q') | KeyCode::Esc => return Ok(()),
            KeyCode::Char(' ') => player.paused = !player.paused,
            KeyCode::Right | KeyCode::Char('l' | 'n') => {
                player.paused = true;
                player.step();
            }
            KeyCode::Char('+') => {
                player.paused = true;
                player.jump();
            }
            KeyCode::Char('g') | KeyCode::Home => {
                player.paused = true;
                player.seek(0);
            }
            KeyCode::Char('G') | KeyCode::End => player.seek(player.len()),
            _ => continue,
        }
        due = Instant::now() + player.gap().unwrap_or(LONGEST_GAP);
        dirty = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::Entry;

    fn entry(seq: u64, at: &str, event: Event) -> Entry {
        Entry {
            seq,
            ts: at.parse().unwrap(),
            drill_ts: None,
            clock: None,
            operator: "ana".into(),
            os_user: None,
            from: None,
            host: "h".into(),
            session: "s".into(),
            run: Some("r".into()),
            event,
            prev: String::new(),
            signer: None,
            sig: None,
            hash: String::new(),
            mac: None,
        }
    }

    fn done(step: &str) -> Event {
        Event::StepCompleted {
            step: step.into(),
            note: None,
            value: None,
            hold: None,
        }
    }

    #[test]
    fn the_player_steps_jumps_and_compresses_the_recorded_gaps() {
        let entries = vec![
            entry(
                1,
                "2026-11-25T10:00:00Z",
                Event::RunStarted {
                    procedure: "p".into(),
                    procedure_hash: String::new(),
                    severity: None,
                    pinned: None,
                },
            ),
            entry(
                2,
                "2026-11-25T10:01:00Z",
                Event::NoteAdded {
                    step: None,
                    text: "looking".into(),
                },
            ),
            entry(3, "2026-11-25T10:03:00Z", done("a")),
            entry(4, "2026-11-25T12:03:00Z", done("b")),
        ];
        let mut player = Player::new(entries, 60);
        assert_eq!(player.shown(), 1);
        assert_eq!(player.gap(), Some(Duration::from_secs(1)));
        player.jump();
        assert_eq!(player.shown(), 3, "past the note, to the first step event");
        assert!(player.state("r").status("a").done_at().is_some());
        assert!(player.state("r").status("b").done_at().is_none());
        // Two hours at ×60 is two minutes: cut to the longest wait.
        assert_eq!(player.gap(), Some(LONGEST_GAP));
        assert!(player.step());
        assert!(!player.step());
        assert!(player.at_end());
        player.seek(0);
        assert_eq!(player.shown(), 1, "the start shows the first entry");
    }
}
