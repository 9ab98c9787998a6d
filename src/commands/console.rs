//! Opening the full-screen console, or saying why not: standard output is
//! not a terminal (use `--plain`), or `TERM=dumb` (line mode instead).

use std::io::{self, IsTerminal, Write};

use super::{Context, exit};
use crate::tui::app::{self, Exit, Setup, Start};
use crate::tui::keymap::Keymap;
use crate::tui::theme::Theme;

/// Where the console cannot run, and what to do instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    Console,
    /// `TERM=dumb`: walk in line mode.
    Dumb,
    /// Standard output is not a terminal.
    NotATerminal,
}

pub fn fit() -> Fit {
    if !io::stdout().is_terminal() || !io::stdin().is_terminal() {
        Fit::NotATerminal
    } else if std::env::var("TERM").is_ok_and(|t| t == "dumb") {
        Fit::Dumb
    } else {
        Fit::Console
    }
}

fn setup(context: &Context) -> Result<Setup<'_>, String> {
    let display = &context.display;
    let theme = Theme::load(&display.theme.value, display.no_color, display.ascii.value)?
        .with_links(display.links.value);
    let keymap = Keymap::new(&context.config.keys)?;
    let operator = crate::journal::identity::detect(|n| std::env::var(n).ok()).operator;
    let roles = context
        .config
        .roles
        .get(&operator)
        .cloned()
        .unwrap_or_default();
    Ok(Setup {
        catalog: &context.loaded.catalog,
        journal: context.journal.clone(),
        lang: context.lang().to_owned(),
        theme,
        keymap,
        roles,
        exec: context.exec_policy(),
    })
}

pub fn open(context: &Context, start: Start) -> io::Result<u8> {
    let setup = match setup(context) {
        Ok(setup) => setup,
        Err(e) => {
            crate::say!("runbook: {e}");
            return Ok(exit::USAGE);
        }
    };
    init_log(context);
    let exit = app::run(setup, start)?;
    tracing::info!(?exit, "console closed");
    Ok(match exit {
        Exit::Quit => exit::OK,
        Exit::JournalFailed => exit::JOURNAL_FAILED,
        Exit::Hangup => exit::HANGUP,
        Exit::Terminated => exit::TERMINATED,
    })
}

/// `runbook` alone: the console's home on a terminal, else the overview.
pub fn home(context: &Context, out: &mut dyn Write) -> io::Result<u8> {
    match fit() {
        Fit::Console => open(context, Start::Home),
        Fit::Dumb | Fit::NotATerminal => super::overview(context, out),
    }
}

/// Diagnostics go to a log file in the state folder, never to the screen.
fn init_log(context: &Context) {
    let dir = context
        .journal
        .path
        .parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or_default();
    let path = dir.join("runbook.log");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path);
    if let Ok(file) = file {
        let _ = tracing_subscriber::fmt()
            .with_writer(std::sync::Mutex::new(file))
            .with_ansi(false)
            .with_max_level(tracing::Level::INFO)
            .try_init();
    }
}
