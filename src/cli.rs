//! The command line, as clap definitions. Every command has `--help` with
//! examples.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "runbook",
    version,
    about = "A terminal runbook console for on-call operators",
    long_about = "runbook walks operators through deploy, rollback, incident, maintenance, \
security, recovery, reconciliation and compliance procedures, with the deadlines and \
thresholds that matter.\n\nThe catalog of procedures is read from --catalog, else \
RUNBOOK_CATALOG, else ~/.config/runbook/checklists, else the checklists bundled in the binary.",
    after_help = "Examples:\n  runbook list\n  runbook show deploy\n  runbook check --strict ./checklists\n  runbook window --at 2026-11-29T01:00Z"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Args)]
pub struct Global {
    /// Checklist file or folder to load instead of the default catalog (repeatable)
    #[arg(long, global = true, value_name = "PATH")]
    pub catalog: Vec<PathBuf>,
    /// Language of the texts shown, e.g. `fr` or `en` (default: from LANG)
    #[arg(long, global = true, value_name = "LANG")]
    pub lang: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate checklists and summarise what was loaded
    #[command(
        after_help = "Examples:\n  runbook check\n  runbook check ./my-checklists\n  runbook check --strict deploy.toml rollback.toml\n\nExit codes: 0 valid, 2 errors (or warnings with --strict)."
    )]
    Check(CheckArgs),
    /// List the procedures with their step counts
    #[command(after_help = "Examples:\n  runbook list\n  runbook list --json | jq '.[].id'")]
    List(JsonArg),
    /// Print one procedure as readable text
    #[command(
        after_help = "Examples:\n  runbook show deploy\n  runbook show breach --lang fr\n  runbook show rollback --json"
    )]
    Show(ShowArgs),
    /// Print the severity table
    #[command(after_help = "Examples:\n  runbook severity\n  runbook severity --json")]
    Severity(JsonArg),
    /// Say whether a maintenance window is open, when the next opens, and whether its notice can still be given
    #[command(
        after_help = "Examples:\n  runbook window\n  runbook window --at 2026-11-29T02:30Z\n  runbook window --at '2026-11-25 01:00' --json\n\nTimes are UTC."
    )]
    Window(WindowArgs),
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or folders to check (default: the catalog in use)
    pub paths: Vec<PathBuf>,
    /// Treat warnings as errors
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub struct JsonArg {
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The procedure's id (see `runbook list`)
    pub procedure: String,
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct WindowArgs {
    /// The moment to ask about, in UTC (RFC 3339, or `YYYY-MM-DD HH:MM`); default now
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub at: Option<chrono::DateTime<chrono::Utc>>,
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

/// RFC 3339, or a date and time without zone taken as UTC, with `T` or a
/// space between them and optional seconds.
pub fn parse_time(text: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    use chrono::{DateTime, NaiveDateTime, Utc};
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    let bare = text.strip_suffix('Z').unwrap_or(text).replace(' ', "T");
    for format in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(&bare, format) {
            return Ok(t.and_utc());
        }
    }
    Err(format!(
        "`{text}` is not a time: expected e.g. `2026-11-29T02:30:00Z` or `2026-11-29 02:30` (UTC)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_parse_in_the_documented_forms() {
        let expected = parse_time("2026-11-29T02:30:00Z").unwrap();
        assert_eq!(parse_time("2026-11-29T02:30Z").unwrap(), expected);
        assert_eq!(parse_time("2026-11-29 02:30").unwrap(), expected);
        assert_eq!(parse_time("2026-11-29T03:30:00+01:00").unwrap(), expected);
        assert!(parse_time("tomorrow").is_err());
        assert!(parse_time("2026-13-01 00:00").is_err());
    }

    #[test]
    fn clap_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
