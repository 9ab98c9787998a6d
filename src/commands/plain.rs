//! Line mode: a run walked one step at a time on plain lines of text, for
//! screen readers, `TERM=dumb`, serial consoles and scripts (commands are
//! read from standard input, terminal or not). It drives the same session
//! as the console: every command is decided, journaled, then read back.

use std::collections::HashMap;
use std::io::{self, BufRead, IsTerminal, Write};

use chrono::Utc;

use super::show::step_lines;
use crate::catalog::Step;
use crate::live_run::{LiveRun, LiveRunError};
use crate::report::{deadline_words, describe};
use crate::run::deadline::{DeadlineState, deadlines};
use crate::run::press::Done;
use crate::run::{Command, Rejection, StepStatus};
use crate::text::Words;

/// How the walk ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    Closed,
    Detached,
}

#[derive(Debug)]
pub struct Walk<'s, 'c> {
    session: &'s mut LiveRun<'c>,
    lang: String,
    words: &'static Words,
    cursor: usize,
    shown_deadlines: HashMap<String, String>,
    interactive: bool,
    exec: crate::exec::Policy,
}

mod exec;
pub mod input;
mod update;

fn flat_steps<'c>(session: &LiveRun<'c>) -> Vec<(String, &'c Step)> {
    let mut steps = Vec::new();
    for (s, section) in session.procedure.sections.iter().enumerate() {
        for (i, step) in section.steps.iter().enumerate() {
            steps.push((format!("{}.{}", s + 1, i + 1), step));
        }
    }
    steps
}

impl<'s, 'c> Walk<'s, 'c> {
    pub fn new(session: &'s mut LiveRun<'c>, lang: &str) -> Self {
        let mut walk = Walk {
            session,
            lang: lang.to_owned(),
            words: crate::text::words(lang),
            cursor: 0,
            shown_deadlines: HashMap::new(),
            interactive: io::stdin().is_terminal(),
            exec: crate::exec::Policy::default(),
        };
        walk.cursor = walk.first_open_from(0).unwrap_or(0);
        walk
    }

    /// Allows `exec` as the operator's config says.
    #[must_use]
    pub fn with_exec(mut self, policy: crate::exec::Policy) -> Self {
        self.exec = policy;
        self
    }

    fn steps(&self) -> Vec<(String, &'c Step)> {
        flat_steps(self.session)
    }

    fn first_open_from(&self, from: usize) -> Option<usize> {
        let steps = self.steps();
        (from..steps.len()).find(|&i| self.session.state.status(&steps[i].1.id).is_open())
    }

    fn next_open(&self) -> Option<usize> {
        let steps = self.steps();
        let after = (self.cursor + 1..steps.len()).chain(0..self.cursor);
        after
            .into_iter()
            .find(|&i| self.session.state.status(&steps[i].1.id).is_open())
    }

    fn header(&self, out: &mut dyn Write) -> io::Result<()> {
        let s = &self.session;
        let w = self.words.line;
        let severity = s
            .state
            .severity
            .as_ref()
            .map(|v| (w.severity)(v))
            .unwrap_or_default();
        let title = s.procedure.title.get(&self.lang);
        writeln!(out, "{}", (w.header)(title, &s.state.id, &severity))?;
        let journal = s.journal_shown();
        let line = (w.operator_line)(s.operator(), &journal);
        writeln!(out, "{}", crate::text::inert(&line))?;
        Ok(())
    }

    fn show_step(&self, out: &mut dyn Write) -> io::Result<()> {
        let steps = self.steps();
        let Some((label, step)) = steps.get(self.cursor) else {
            return Ok(());
        };
        let section = self
            .session
            .procedure
            .sections
            .iter()
            .find(|sec| sec.steps.iter().any(|st| st.id == step.id))
            .map_or("", |sec| sec.title.get(&self.lang));
        let w = self.words;
        writeln!(
            out,
            "{}",
            (w.line.step_heading)(self.cursor + 1, steps.len(), section)
        )?;
        let mut text = String::new();
        let severity = self.session.state.severity.as_deref();
        step_lines(
            &mut text,
            self.session.catalog,
            label,
            step,
            &self.lang,
            severity,
        );
        out.write_all(text.as_bytes())?;
        let status = self.session.state.status(&step.id);
        let line = (w.line.status)(status.word(w), &status.who(w));
        writeln!(out, "{}", crate::text::inert(&line))?;
        if let Some(last) = crate::run::said::last_command(w, &self.session.state, &step.id) {
            writeln!(out, "      {}", crate::text::inert(&last))?;
        }
        if let Some(last) = crate::run::said::last_update(w, &self.session.state, step) {
            writeln!(out, "      {}", crate::text::inert(&last))?;
        }
        Ok(())
    }

    /// Prints the deadlines whose state changed since they were last shown.
    fn deadlines(&mut self, out: &mut dyn Write, all: bool) -> io::Result<()> {
        let now = Utc::now();
        let list = deadlines(
            &self.session.state,
            self.session.catalog,
            self.session.procedure,
            &self.lang,
            now,
        );
        for d in list {
            let kind = match &d.state {
                DeadlineState::NotStarted => "not-started",
                DeadlineState::NotApplicable => "n/a",
                DeadlineState::Pending { .. } => "pending",
                DeadlineState::Now { .. } => "now",
                DeadlineState::Overdue { .. } => "overdue",
                DeadlineState::Met { .. } => "met",
                DeadlineState::Missed { .. } => "missed",
            };
            let changed = self.shown_deadlines.get(&d.step).map(String::as_str) != Some(kind);
            if all || (changed && kind != "not-started" && kind != "n/a") {
                let words = deadline_words(&d.state, self.words);
                writeln!(out, "{}", (self.words.line.deadline)(&d.label, &words))?;
            }
            self.shown_deadlines.insert(d.step.clone(), kind.to_owned());
        }
        Ok(())
    }

    fn status(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let steps = self.steps();
        let state = &self.session.state;
        let closed = steps
            .iter()
            .filter(|(_, s)| !state.status(&s.id).is_open())
            .count();
        writeln!(out, "{}", (self.words.line.progress)(closed, steps.len()))?;
        for (label, step) in &steps {
            let status = state.status(&step.id);
            let mark = match status {
                StepStatus::Todo => "[ ]",
                StepStatus::AwaitingConfirmation { .. } => "[~]",
                StepStatus::Done { .. } => "[x]",
                StepStatus::Skipped { .. } | StepStatus::NotNeeded { .. } => "[-]",
                StepStatus::Failed { .. } => "[!]",
            };
            writeln!(
                out,
                "  {mark} {label} {} — {}",
                crate::reference::said::shown(
                    self.words,
                    self.session.catalog,
                    step.text.get(&self.lang)
                ),
                status.word(self.words)
            )?;
        }
        self.deadlines(out, true)
    }

    /// Woken by the journal while waiting for a line: teammates' entries
    /// said at once, below the prompt. True if any was.
    fn teammates_woken(&mut self, out: &mut dyn Write) -> Result<bool, WalkError> {
        let mut said = Vec::new();
        match self.teammates(&mut said) {
            Ok(()) => {}
            // Nothing was asked of the journal: a database gone away (its
            // listener wakes us when it drops) is the next action's to
            // say, as without the wake.
            Err(WalkError::LiveRun(e)) => {
                tracing::warn!("reading teammates' entries: {e}");
                return Ok(false);
            }
            Err(other) => return Err(other),
        }
        if !said.is_empty() {
            if self.interactive {
                writeln!(out)?;
            }
            out.write_all(&said)?;
        }
        Ok(!said.is_empty())
    }

    /// Shows what teammates recorded in this run since the last look.
    fn teammates(&mut self, out: &mut dyn Write) -> Result<(), WalkError> {
        let me = self.session.operator().to_owned();
        let entries = self.session.catch_up()?;
        let procedure = self.session.procedure;
        let lang = self.lang.clone();
        let step_text = |id: &str| {
            procedure
                .step(id)
                .map_or_else(|| format!("`{id}`"), |s| s.text.get(&lang).to_owned())
        };
        for entry in entries.iter().filter(|e| e.operator != me) {
            let line = format!(
                "  · {}: {}",
                entry.operator,
                describe(&entry.event, &step_text, self.words)
            );
            writeln!(out, "{}", crate::text::inert(&line))?;
        }
        Ok(())
    }

    /// Runs the walk until the run closes, the operator quits, or input ends.
    pub fn run(
        &mut self,
        input: &mut input::Input,
        out: &mut dyn Write,
    ) -> Result<Ending, WalkError> {
        self.header(out)?;
        self.deadlines(out, false)?;
        self.show_step(out)?;
        let mut line = String::new();
        let mut prompt = true;
        loop {
            if self.interactive && prompt {
                write!(out, "> ")?;
            }
            out.flush()?;
            line.clear();
            match input.next(&mut line)? {
                input::Next::Line => {}
                input::Next::End => {
                    self.leave("end of input", out)?;
                    return Ok(Ending::Detached);
                }
                input::Next::Journal => {
                    // Said at once, on lines of their own; the prompt
                    // again only if something was said.
                    prompt = self.teammates_woken(out)?;
                    continue;
                }
            }
            prompt = true;
            self.teammates(out)?;
            let text = line.trim();
            if text.is_empty() {
                continue;
            }
            if !self.interactive {
                writeln!(out, "> {text}")?;
            }
            let (word, rest) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
            let rest = rest.trim();
            if let Some(ending) = self.command(word, rest, input, out)? {
                return Ok(ending);
            }
        }
    }

    fn leave(&mut self, why: &str, out: &mut dyn Write) -> Result<(), WalkError> {
        self.session.execute(
            &Command::Detach {
                reason: Some(why.to_owned()),
            },
            Utc::now(),
        )?;
        writeln!(out, "{}", (self.words.line.left)(&self.session.state.id))?;
        Ok(())
    }

    fn current(&self) -> Option<String> {
        self.steps().get(self.cursor).map(|(_, s)| s.id.clone())
    }

    #[allow(clippy::too_many_lines)]
    fn command(
        &mut self,
        word: &str,
        rest: &str,
        input: &mut dyn BufRead,
        out: &mut dyn Write,
    ) -> Result<Option<Ending>, WalkError> {
        let step = self.current().unwrap_or_default();
        let note = (!rest.is_empty()).then(|| rest.to_owned());
        let w = self.words.line;
        let command = match crate::text::words::line::command(word) {
            "help" | "?" | "h" => {
                writeln!(out, "{}", w.help)?;
                return Ok(None);
            }
            "status" | "st" => {
                self.status(out)?;
                return Ok(None);
            }
            "show" | "step" => {
                self.show_step(out)?;
                return Ok(None);
            }
            "next" | "n" | "back" | "b" | "prev" | "goto" | "g" => {
                self.move_cursor(word, rest, out)?;
                return Ok(None);
            }
            "exec" | "x" => return self.exec(rest, input, out),
            "approve" => return self.approve(out),
            "followup" => {
                let (text, owner, due) = crate::learn::ledger::quick(rest, Utc::now());
                if text.is_empty() {
                    writeln!(out, "{}", w.followup_needs_text)?;
                    return Ok(None);
                }
                let appended = self.session.record_followup(text, owner, due, Utc::now())?;
                let seqs: Vec<String> = appended.iter().map(|a| format!("#{}", a.seq)).collect();
                writeln!(out, "{}", (w.recorded)(&seqs.join(", ")))?;
                return Ok(None);
            }
            "update" => return self.update(rest, input, out),
            "quit" | "q" | "exit" => {
                self.leave("quit", out)?;
                return Ok(Some(Ending::Detached));
            }
            "done" | "d" | "ok" => {
                match crate::run::press::done(&self.session.state, &step, self.session.operator()) {
                    Done::Confirm => Command::Confirm { step },
                    Done::WaitsSecond => {
                        writeln!(out, "{}", self.words.console.waits_second)?;
                        return Ok(None);
                    }
                    // The decision says how it was closed.
                    Done::Already(_) | Done::Complete => Command::Complete {
                        step,
                        note,
                        confirmed: false,
                        override_hold: None,
                    },
                }
            }
            "confirm" => Command::Confirm { step },
            "override" => Command::overriding(step, rest.to_owned()),
            "skip" | "s" => Command::Skip {
                step,
                reason: rest.to_owned(),
            },
            "fail" | "f" => Command::Fail {
                step,
                note: rest.to_owned(),
            },
            "note" => Command::Note {
                step: Some(step),
                text: rest.to_owned(),
            },
            "reopen" | "u" => Command::Reopen { step, reason: note },
            "severity" => Command::ChangeSeverity {
                to: rest.to_owned(),
            },
            "finish" => Command::Finish,
            "abort" => Command::Abort {
                reason: rest.to_owned(),
            },
            other => {
                writeln!(out, "{}", (w.unknown_command)(other))?;
                return Ok(None);
            }
        };
        let command = match self.try_command(&command, out)? {
            Some(Rejection::ConfirmationRequired { step, command: cmd }) => {
                match cmd {
                    Some(cmd) => writeln!(out, "{}", (w.destructive)(&step, &cmd))?,
                    None => writeln!(out, "{}", (w.irreversible)(&step))?,
                }
                writeln!(out, "{}", w.type_yes)?;
                out.flush()?;
                let mut answer = String::new();
                input.read_line(&mut answer)?;
                if !crate::text::is_yes(&answer) {
                    writeln!(out, "{}", w.cancelled)?;
                    return Ok(None);
                }
                let Command::Complete { step, note, .. } = command else {
                    return Ok(None);
                };
                let confirmed = Command::Complete {
                    step,
                    note,
                    confirmed: true,
                    override_hold: None,
                };
                if let Some(rejection) = self.try_command(&confirmed, out)? {
                    writeln!(out, "{}", (w.refused)(&rejection.text(self.words)))?;
                    return Ok(None);
                }
                confirmed
            }
            Some(rejection) => {
                writeln!(out, "{}", (w.refused)(&rejection.text(self.words)))?;
                return Ok(None);
            }
            None => command,
        };
        self.after(&command, out)
    }

    /// Executes a command; a refusal is returned for the caller to explain,
    /// a journal failure ends the walk.
    fn try_command(
        &mut self,
        command: &Command,
        out: &mut dyn Write,
    ) -> Result<Option<Rejection>, WalkError> {
        match self.execute_watched(command) {
            Ok(appended) => {
                let seqs: Vec<String> = appended.iter().map(|a| format!("#{}", a.seq)).collect();
                writeln!(out, "{}", (self.words.line.recorded)(&seqs.join(", ")))?;
                self.say_clock(out)?;
                Ok(None)
            }
            Err(LiveRunError::Rejected(rejection)) => {
                self.say_clock(out)?;
                Ok(Some(rejection))
            }
            Err(other) => Err(other.into()),
        }
    }

    /// Executes a command, waiting for the journal as long as it takes,
    /// and saying so every few seconds while it does not answer.
    fn execute_watched(
        &mut self,
        command: &Command,
    ) -> Result<Vec<crate::journal::Appended>, LiveRunError> {
        const SAY_EVERY: std::time::Duration = std::time::Duration::from_secs(2);
        let words = self.words;
        let (answered, waiting) = std::sync::mpsc::channel::<()>();
        std::thread::scope(|scope| {
            scope.spawn(move || {
                let started = std::time::Instant::now();
                while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) =
                    waiting.recv_timeout(SAY_EVERY)
                {
                    crate::say!(
                        "{}",
                        (words.line.journal_silent)(started.elapsed().as_secs())
                    );
                }
            });
            let result = self.session.execute(command, Utc::now());
            drop(answered);
            result
        })
    }

    /// This host's clock, when it is more than a minute off the
    /// database's: said with every answer, since every entry is dated and
    /// every gate judged by the server's.
    fn say_clock(&self, out: &mut dyn Write) -> io::Result<()> {
        if let Some(off) = self.session.clock_off() {
            let off = crate::catalog::duration::human(off);
            writeln!(out, "{}", (self.words.line.clock_off)(&off))?;
        }
        Ok(())
    }

    fn after(
        &mut self,
        command: &Command,
        out: &mut dyn Write,
    ) -> Result<Option<Ending>, WalkError> {
        self.deadlines(out, false)?;
        let w = self.words.line;
        match command {
            Command::Finish => {
                writeln!(out, "{}", (w.finished)(&self.session.state.id))?;
                return Ok(Some(Ending::Closed));
            }
            Command::Abort { .. } => {
                writeln!(out, "{}", (w.aborted)(&self.session.state.id))?;
                return Ok(Some(Ending::Closed));
            }
            Command::Complete { .. }
            | Command::Skip { .. }
            | Command::Fail { .. }
            | Command::Confirm { .. } => {
                let Some(next) = self.next_open() else {
                    writeln!(out, "{}", w.all_closed)?;
                    return Ok(None);
                };
                self.cursor = next;
            }
            _ => return Ok(None),
        }
        self.show_step(out)?;
        Ok(None)
    }

    fn move_cursor(&mut self, word: &str, rest: &str, out: &mut dyn Write) -> io::Result<()> {
        let steps = self.steps();
        let w = self.words.line;
        match crate::text::words::line::command(word) {
            "next" | "n" if self.cursor + 1 < steps.len() => self.cursor += 1,
            "back" | "b" | "prev" if self.cursor > 0 => self.cursor -= 1,
            "goto" | "g" => {
                match steps
                    .iter()
                    .position(|(label, s)| s.id == rest || label == rest)
                {
                    Some(found) => self.cursor = found,
                    None => return writeln!(out, "{}", (w.no_step)(rest)),
                }
            }
            _ => return writeln!(out, "{}", w.no_step_that_way),
        }
        self.show_step(out)
    }
}

/// Why a walk stopped early: the journal failed (nothing more may be
/// recorded), or the terminal went away.
#[derive(Debug)]
pub enum WalkError {
    LiveRun(LiveRunError),
    Output(io::Error),
}

impl From<LiveRunError> for WalkError {
    fn from(e: LiveRunError) -> Self {
        WalkError::LiveRun(e)
    }
}

impl From<io::Error> for WalkError {
    fn from(e: io::Error) -> Self {
        WalkError::Output(e)
    }
}

impl std::fmt::Display for WalkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WalkError::LiveRun(e) => write!(f, "{e}"),
            WalkError::Output(e) => write!(f, "cannot write to the terminal: {e}"),
        }
    }
}
