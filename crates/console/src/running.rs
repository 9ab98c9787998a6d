//! The console's command under way: the plan it runs, its entry, the
//! process, and the pane its output streams into. One at a time: a second
//! `x` is refused while one runs.

use std::time::Instant;

use tokio::sync::mpsc;

use crate::exec::plan::Plan;
use crate::exec::process::Running;
use crate::pane::Pane;

/// A command running now.
#[derive(Debug)]
pub struct Active {
    pub plan: Plan,
    /// Its `command_started` entry.
    pub seq: u64,
    pub confirmed: bool,
    pub running: Running,
}

#[derive(Debug, Default)]
pub struct Exec {
    pub active: Option<Active>,
    /// The pane of the command running or last run.
    pub pane: Option<Pane>,
    /// Where the output goes, for the next command's tee.
    pub output: Option<mpsc::Sender<Vec<u8>>>,
    /// The last command failed: its step and the note that records it.
    pub failure_note: Option<(String, String)>,
    /// The pane's size, from the terminal's.
    size: (u16, u16),
    /// Output waits until then to be parsed: while it comes faster than
    /// frames, a frame's worth is parsed at once.
    parse_at: Option<Instant>,
    /// When the last output was parsed and shown.
    parsed_at: Option<Instant>,
}

/// While output streams, how often the pane parses what came and shows it.
pub const FRAME: std::time::Duration = std::time::Duration::from_millis(50);

impl Exec {
    pub fn is_running(&self) -> bool {
        self.active.is_some()
    }

    /// Whether the running command has ended (its end not yet recorded).
    pub fn finished(&self) -> bool {
        self.active
            .as_ref()
            .is_some_and(|a| a.running.is_finished())
    }

    /// Moves the pane's elapsed time to now.
    pub fn tick(&mut self) {
        if let Some(pane) = self.pane.as_mut().filter(|p| p.ended.is_none()) {
            pane.elapsed_ms = u64::try_from(pane.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        }
    }

    pub fn interrupt(&self) {
        if let Some(active) = &self.active {
            active.running.interrupt();
        }
    }

    /// Takes output; it is parsed when `parse` is due: at once, or a
    /// frame after the last parse while a command runs.
    pub fn feed(&mut self, bytes: Vec<u8>) {
        if let Some(pane) = self.pane.as_mut() {
            pane.feed(bytes);
            let now = Instant::now();
            let next = match self.parsed_at {
                Some(last) if self.active.is_some() => now.max(last + FRAME),
                _ => now,
            };
            self.parse_at.get_or_insert(next);
        }
    }

    /// Whether output waits to be parsed now.
    pub fn parse_due(&self) -> bool {
        self.parse_at.is_some_and(|at| at <= Instant::now())
    }

    /// Parses a slice of what came; true once all of it is, when the pane
    /// is worth a frame.
    pub fn parse(&mut self) -> bool {
        if self
            .pane
            .as_mut()
            .is_some_and(|pane| pane.catch_up(crate::pane::SLICE))
        {
            return false;
        }
        self.parse_at = None;
        self.parsed_at = Some(Instant::now());
        true
    }

    pub fn scroll(&mut self, rows: isize) {
        if let Some(pane) = self.pane.as_mut() {
            pane.scroll(rows);
        }
    }

    /// The pane takes the width of the screen and two fifths of its
    /// height, inside its border.
    pub fn fit(&mut self, width: u16, height: u16) {
        self.size = pane_size(width, height);
        if let Some(pane) = self.pane.as_mut() {
            pane.resize(self.size.0, self.size.1);
        }
    }

    pub fn new_pane(&mut self, step: &str, command: &str) -> &mut Pane {
        let (rows, cols) = self.size;
        self.pane
            .insert(Pane::new(step, command, rows.max(3), cols.max(20)))
    }
}

/// Rows and columns of output the pane shows on a terminal of this size.
pub fn pane_size(width: u16, height: u16) -> (u16, u16) {
    (
        (height * 2 / 5).saturating_sub(2).max(3),
        width.saturating_sub(2).max(20),
    )
}
