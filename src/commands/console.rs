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

fn setup<'c>(
    context: &'c Context,
    catalog: &'c crate::catalog::Catalog,
) -> Result<Setup<'c>, String> {
    let display = &context.display;
    let theme = Theme::load(&display.theme.value, display.no_color, display.ascii.value)?
        .with_links(display.links.value);
    let keymap = Keymap::new(&context.config.keys)?;
    let operator = crate::store::whoami::detect(|n| std::env::var(n).ok()).operator;
    let roles = context
        .config
        .roles
        .get(&operator)
        .cloned()
        .unwrap_or_default();
    Ok(Setup {
        catalog,
        journal: context.journal.clone(),
        lang: context.lang().to_owned(),
        theme,
        keymap,
        roles,
        exec: context.exec_policy(),
        drill: None,
    })
}

pub fn open(context: &Context, start: Start) -> io::Result<u8> {
    open_with(context, &context.loaded.catalog, start, None).map(|(code, _)| code)
}

/// Opens the console, playing `drill` when given; returns the exit code
/// and the name of the drill played.
pub fn open_with(
    context: &Context,
    catalog: &crate::catalog::Catalog,
    start: Start,
    drill: Option<app::drill::Plan>,
) -> io::Result<(u8, Option<String>)> {
    let mut setup = match setup(context, catalog) {
        Ok(setup) => setup,
        Err(e) => {
            crate::say!("runbook: {e}");
            return Ok((exit::USAGE, None));
        }
    };
    setup.drill = drill;
    init_log(context);
    let (exit, played) = app::run(setup, start)?;
    tracing::info!(?exit, "console closed");
    let code = match exit {
        Exit::Quit => exit::OK,
        Exit::JournalFailed => exit::JOURNAL_FAILED,
        Exit::Hangup => exit::HANGUP,
        Exit::Terminated => exit::TERMINATED,
    };
    Ok((code, played))
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
