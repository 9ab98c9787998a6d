//! The read-only commands: each turns the loaded catalog into text or
//! JSON on a writer, so tests can read exactly what an operator sees.

pub mod check;
pub mod list;
pub mod show;
pub mod table;
pub mod window;

use std::io::{self, Write};
use std::process::ExitCode;

use crate::catalog::{self, Loaded, source};
use crate::cli::{Cli, Command};

/// Exit codes shared by every command.
pub mod exit {
    pub const OK: u8 = 0;
    /// Invalid catalog, unknown procedure, bad arguments.
    pub const USAGE: u8 = 2;
}

/// What every command needs: the catalog and the language to speak.
#[derive(Debug)]
pub struct Context {
    pub loaded: Loaded,
    pub location: source::Location,
    pub lang: String,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

pub fn run(cli: &Cli) -> ExitCode {
    let lang = catalog::text::choose_language(cli.global.lang.as_deref(), env);
    let location = match &cli.command {
        Some(Command::Check(args)) if !args.paths.is_empty() => source::Location::Paths {
            paths: args.paths.clone(),
            from: "the command line",
        },
        _ => source::discover(&cli.global.catalog, env, source::config_dir(env)),
    };
    let loaded = catalog::load_from(&location);
    let context = Context {
        loaded,
        location,
        lang,
    };

    let stdout = io::stdout();
    let mut out = stdout.lock();
    let code = match &cli.command {
        Some(Command::Check(args)) => check::run(&context, args.strict, &mut out),
        other => {
            if let Some(code) = refuse_invalid(&context) {
                return ExitCode::from(code);
            }
            match other {
                Some(Command::List(args)) => list::run(&context, args.json, &mut out),
                Some(Command::Show(args)) => {
                    show::run(&context, &args.procedure, args.json, &mut out)
                }
                Some(Command::Severity(args)) => table::severity(&context, args.json, &mut out),
                Some(Command::Window(args)) => {
                    let at = args.at.unwrap_or_else(chrono::Utc::now);
                    window::run(&context, at, args.json, &mut out)
                }
                Some(Command::Check(_)) | None => overview(&context, &mut out),
            }
        }
    };
    match code {
        Ok(code) => ExitCode::from(code),
        // A closed pipe (`runbook list | head`) is the reader's choice, not
        // a failure.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("runbook: cannot write output: {e}");
            ExitCode::from(1)
        }
    }
}

/// A catalog with errors is never used: the operator sees every error and
/// where it is, and the command stops.
fn refuse_invalid(context: &Context) -> Option<u8> {
    if context.loaded.has_errors() {
        eprint!("{}", context.loaded.render_diagnostics());
        eprintln!(
            "runbook: the catalog ({}) has errors; fix them, or run `runbook check` for details",
            context.location.describe()
        );
        return Some(exit::USAGE);
    }
    let warnings = context.loaded.warnings().count();
    if warnings > 0 {
        eprintln!("runbook: {warnings} warning(s) in the catalog; `runbook check` shows them");
    }
    None
}

/// `runbook` alone, until the console exists: what there is to run, and
/// whether a maintenance window is open.
fn overview(context: &Context, out: &mut dyn Write) -> io::Result<u8> {
    list::run(context, false, out)?;
    writeln!(out)?;
    window::run(context, chrono::Utc::now(), false, out)?;
    writeln!(
        out,
        "\n`runbook show ID` prints a procedure; `runbook --help` lists every command."
    )?;
    Ok(exit::OK)
}

/// Pads `text` to `width` characters (not bytes: the texts are French).
pub fn pad(text: &str, width: usize) -> String {
    let count = text.chars().count();
    format!("{text}{}", " ".repeat(width.saturating_sub(count)))
}

/// Lays rows out in columns two spaces apart; the last column is not padded.
pub fn columns(rows: &[Vec<String>]) -> String {
    let count = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..count)
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut text = String::new();
    for row in rows {
        let last = row.len().saturating_sub(1);
        let line: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(i, cell)| {
                if i == last {
                    cell.clone()
                } else {
                    pad(cell, widths[i])
                }
            })
            .collect();
        text.push_str(line.join("  ").trim_end());
        text.push('\n');
    }
    text
}

pub fn write_json(out: &mut dyn Write, value: &impl serde::Serialize) -> io::Result<u8> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(io::Error::other)?;
    writeln!(out)?;
    Ok(exit::OK)
}
