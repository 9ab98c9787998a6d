//! The command line, as clap definitions. Every command has `--help` with
//! examples.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

pub use args::*;

mod args;

/// The version, the commit built and the build date: `runbook --version`.
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("RUNBOOK_COMMIT"),
    ", built ",
    env!("RUNBOOK_BUILD_DATE"),
    ")"
);

#[derive(Debug, Parser)]
#[command(
    name = "runbook",
    version = VERSION,
    about = "A terminal runbook console for on-call operators",
    long_about = "runbook walks operators through deploy, rollback, incident, maintenance, \
security, recovery, reconciliation and compliance procedures, with the deadlines and \
thresholds that matter. With no command it opens the full-screen console.\n\nThe catalog of procedures is read from --catalog, else \
RUNBOOK_CATALOG, else the config file's `catalog`, else ~/.config/runbook/checklists, else the \
checklists bundled in the binary. Settings: ~/.config/runbook/config.toml (see `runbook config`).",
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
    #[arg(
        long,
        global = true,
        value_name = "PATH",
        help = "The journal file (default: RUNBOOK_JOURNAL, else ~/.local/state/runbook/journal.jsonl)"
    )]
    pub journal: Option<PathBuf>,
    #[arg(
        long,
        global = true,
        value_name = "PATH",
        help = "A site file or folder applied over the catalog (repeatable; after /etc/runbook/site.toml, ~/.config/runbook/site.toml, the config's `site` and RUNBOOK_SITE)"
    )]
    pub site: Vec<PathBuf>,
    /// Colour theme of the console: dark, light, high-contrast or mono
    #[arg(long, global = true, value_name = "NAME")]
    pub theme: Option<String>,
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
    /// Whom to call: the contacts, emergency ones first, with how to reach them
    #[command(
        after_help = "Examples:\n  runbook contacts\n  runbook contacts --emergency\n  runbook contacts --json"
    )]
    Contacts(ContactsArgs),
    /// Who may do what in production: roles, access, MFA, holders
    #[command(after_help = "Examples:\n  runbook access\n  runbook access --json")]
    Access(JsonArg),
    /// What is backed up, how often, and how long it is kept
    #[command(after_help = "Examples:\n  runbook backups\n  runbook backups --json")]
    Backups(JsonArg),
    /// The dashboards, with their URLs
    #[command(after_help = "Examples:\n  runbook dashboards\n  runbook dashboards --json")]
    Dashboards(JsonArg),
    /// Say whether a maintenance window is open, when the next opens, and whether its notice can still be given
    #[command(
        after_help = "Examples:\n  runbook window\n  runbook window --at 2026-11-29T02:30Z\n  runbook window --at '2026-11-25 01:00' --json\n\nTimes are UTC."
    )]
    Window(WindowArgs),
    /// What is done, due or overdue: recurring duties (daily reconciliation, monthly and quarterly checklists), post-mortems owed, follow-ups
    #[command(
        after_help = "Examples:\n  runbook due\n  runbook due --at 2026-12-01T10:00Z\n  runbook due --json\n\nExit codes, as monitoring plugins: 0 all done, 1 something due within its grace (or a follow-up overdue), 2 something overdue, 3 the journal cannot be read."
    )]
    Due(DueArgs),
    /// Start a run of a procedure and walk through it
    #[command(
        after_help = "Examples:\n  runbook run deploy --plain\n  runbook run incident --severity P1 --plain\n  printf 'done 120 tests passed\\nquit\\n' | runbook run deploy --plain\n\nIn line mode, type `help` for the commands."
    )]
    Run(RunArgs),
    /// Rehearse a procedure on a simulated clock, fed by a scenario, and score it
    #[command(
        after_help = "Examples:\n  runbook drill incident --severity P1\n  runbook drill incident --speed 600 --scenario p1-outage\n  runbook drill deploy --scenario ./scenarios/bad-deploy.toml\n\nA drill is marked in every journal entry it makes, and left out of the run list, the duties and the notifications (but for targets marked `drill = true`).\nIn the console, `+` moves the drill clock to the next gate or deadline. The score is printed when the console closes."
    )]
    Drill(DrillArgs),
    /// Play a recorded run back in the console, read-only, its timing compressed
    #[command(
        after_help = "Examples:\n  runbook replay incident-20261124-001521-ab12\n  runbook replay drill-incident-20261125-101500-9f3c --speed 600\n\nKeys: space pauses, → steps one entry, + jumps to the next step event, g and G go to the start and the end, q leaves."
    )]
    Replay(ReplayArgs),
    /// Resume an open run (yours, most recent first, when no id is given)
    #[command(
        after_help = "Examples:\n  runbook resume --plain\n  runbook resume deploy-20261124-001521-ab12 --plain"
    )]
    Resume(ResumeArgs),
    /// Run a step's command, record it in the journal, and print its output
    #[command(
        after_help = "Examples:\n  runbook exec deploy-20261124-001521-ab12 verify-tests --yes\n  runbook exec rollback-20261124-001521-ab12 restore-db --dry-run\n  runbook exec rollback-20261124-001521-ab12 restore-db --confirm restore-db\n\nRuns only steps the catalog marks `run`, and only where the config says `exec = true`.\nExits with the command's own status (128 + the signal when one ended it)."
    )]
    Exec(ExecArgs),
    /// List the runs in the journal, with progress and deadlines
    #[command(
        after_help = "Examples:\n  runbook runs\n  runbook runs --open\n  runbook runs --json"
    )]
    Runs(RunsArgs),
    /// Write a run's timeline: who did what and when, for the post-mortem
    #[command(
        after_help = "Examples:\n  runbook report incident-20261124-001521-ab12\n  runbook report incident-20261124-001521-ab12 --format json > timeline.json"
    )]
    Report(ReportArgs),
    /// Write a run's post-mortem draft, or record its post-mortem as written
    #[command(
        after_help = "Examples:\n  runbook postmortem incident-20261124-001521-ab12 > postmortem.md\n  runbook postmortem incident-20261124-001521-ab12 --format json --out pm.json\n  runbook postmortem incident-20261124-001521-ab12 --done --link https://wiki/pm/42\n  runbook postmortem incident-20261124-001521-ab12 --done --document pm.pdf\n\nA finished or aborted run whose post-mortem step was not done owes one: `runbook due` lists it until --done records it."
    )]
    Postmortem(PostmortemArgs),
    /// Settle what a closed run still owes (a legal notification, a post-mortem) with a reason
    #[command(
        after_help = "Examples:\n  runbook settle breach-20261124-001521-ab12 notify-cnil --reason \"No personal data: the leaked table held only public product ids\"\n\nA finished or aborted run that left a step with a fixed deadline (the CNIL notification) or its post-mortem undone owes it: `runbook due` lists it until a holder of the step's role settles it here, and `audit verify` judges the settlement again."
    )]
    Settle(SettleArgs),
    /// Tell the people outside the terminal where a run stands: a status update, public or internal
    #[command(
        after_help = "Examples:\n  runbook update incident-20261205-021400-ab12 --status investigating --impact major --component payments --public \"Some payments are failing; next update in 30 minutes.\"\n  runbook update incident-20261205-021400-ab12 --status identified --draft\n  runbook update rollback-20261205-031000-cd34 --status resolved --public\n\nThe update is a journal entry: who wrote it, when, its status, impact and components. A public one is shown on `runbook serve`'s status page and in `/api/v2/summary.json`; an internal one only on `/internal`. Without a message, the catalog's template for the run's procedure, severity and status is used, with the run's facts filled in; `--draft` prints it without recording. An update does the run's step marked `update` (the incident's communication, the rollback's notify-users, the breach's communicate) when you may do that step."
    )]
    Update(UpdateArgs),
    /// Draft a breach's GDPR notification (to the authority, art. 33; to the people, art. 34) from the record, or record one as sent
    #[command(
        after_help = "Examples:\n  runbook breach-notice breach-20261205-021400-ab12 --for authority > cnil.md\n  runbook breach-notice breach-20261205-021400-ab12 --for people --format json --out people.json\n  runbook breach-notice breach-20261205-021400-ab12 --for authority --sent --reference CNIL-2026-1142\n\nThe draft reads the breach procedure's steps (analyse, personal-data, data-categories, people-affected, records-affected, consequences, high-risk, measures-proposed, isolate, remediate) and the site's `dpo` contact, counts the 72 h from the run's start, and lists what the record does not hold yet. The first notification recorded as sent is the initial one, the next complementary (art. 33(4)); one to the authority past the 72 h needs --delay-reason."
    )]
    BreachNotice(BreachNoticeArgs),
    /// The journal's identity policy: publish the team's, or show the one in force
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Actions decided after a run: add them, list them, close them
    #[command(subcommand)]
    Followup(FollowupCommand),
    /// The team's numbers: runs, incidents, delivery, post-mortems and follow-ups
    #[command(
        after_help = "Examples:\n  runbook stats\n  runbook stats --since 30d\n  runbook stats --since 365d --json > stats.json\n\nDrills are counted apart, never with real runs."
    )]
    Stats(StatsArgs),
    /// Check and read the journal
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Create a database journal, and move a journal between a file and a database
    #[command(subcommand)]
    Journal(JournalCommand),
    /// Read the metrics now and judge them against their thresholds
    #[command(
        after_help = "Examples:\n  runbook metrics\n  runbook metrics --json\n  runbook metrics --watch\n\nExit codes, as monitoring plugins: 0 OK, 1 WARNING (alert), 2 CRITICAL, 3 UNKNOWN (error, stale, or no source)."
    )]
    Metrics(MetricsArgs),
    /// Send notifications and anchor journal heads while no console is open
    #[command(
        after_help = "Examples:\n  runbook watch\n  RUNBOOK_JOURNAL=/srv/runbook/journal.jsonl runbook watch\n\nOne watch per journal (a lock beside it). Runs until SIGTERM or Ctrl-C; see packaging/runbook-watch.service (installed by the Debian package)."
    )]
    Watch,
    /// Serve the status page: public page, Statuspage summary, live events, the company's page
    #[command(
        after_help = "Examples:\n  runbook serve\n  runbook serve --listen 127.0.0.1:8080 --name Tontetic --url https://status.tontetic.example\n  runbook serve --hash-password < password.txt\n\nServes / (the public page: overall state, components, open incidents with their public updates, maintenances announced, the last 30 days' resolved; French or English by Accept-Language; live through server-sent events), /api/v2/summary.json (Statuspage's summary shape), and /internal (every update, the runs' progress and deadlines, the team's numbers) to the site's [[viewer]]s. Put it behind a reverse proxy for TLS; see packaging/runbook-serve.service."
    )]
    Serve(ServeArgs),
    /// Notification targets: send a test event, list what is not delivered
    #[command(subcommand)]
    Notify(NotifyCommand),
    /// Write a starter site file: every value the bundled runbook cannot know, to fill in
    #[command(
        after_help = "Examples:\n  runbook init\n  runbook init --site ~/ops/runbook/site.toml\n  runbook --lang fr init\n\nWrites ~/.config/runbook/site.toml (read by every runbook of this account), or the --site file; never over an existing file.\nEach value to give is left empty (\"\" or []) and commented; `runbook check --strict` then lists what is still missing."
    )]
    Init,
    /// Print the effective settings and where each came from
    #[command(
        after_help = "Examples:\n  runbook config\n  RUNBOOK_THEME=mono runbook config\n\nSettings come from ~/.config/runbook/config.toml, then environment variables, then flags."
    )]
    Config,
    /// Print a shell completion script: bash, zsh, fish, elvish or powershell
    #[command(
        after_help = "Examples:\n  runbook completions bash > ~/.local/share/bash-completion/completions/runbook\n  runbook completions zsh > ~/.zfunc/_runbook\n  runbook completions fish > ~/.config/fish/completions/runbook.fish\n\nThe Debian package installs them for bash, zsh and fish."
    )]
    Completions(CompletionsArgs),
    /// Print the manual page, or write one page per command to a folder
    #[command(
        after_help = "Examples:\n  runbook man | man -l -\n  runbook man --dir ~/.local/share/man/man1\n\nThe pages (runbook.1, runbook-run.1, runbook-audit-verify.1…) come from the same definitions as --help."
    )]
    Man(ManArgs),
    /// Appends notes one at a time, printing each durable head: the tests'
    /// harness, `runbook __append`, parsed apart (see `parse`) so that no
    /// help, completion or manual page offers it.
    #[command(skip)]
    Append(AppendArgs),
}

/// `runbook __append`: the tests' harness, a command line of its own.
#[derive(Debug, Parser)]
#[command(name = "runbook __append")]
struct Harness {
    #[command(flatten)]
    global: Global,
    #[command(flatten)]
    append: AppendArgs,
}

/// Parses the process's command line, with `--help` in the operator's
/// language (`--lang`, else `RUNBOOK_LANG`, else the locale); a mistake
/// exits with clap's message and status 2.
/// The command-line definition, in English: what completions and man pages
/// are generated from.
pub fn command() -> clap::Command {
    use clap::CommandFactory;
    Cli::command()
}

pub fn parse() -> Cli {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.get(1).is_some_and(|a| a == "__append") {
        let rest = args.iter().skip(2).cloned();
        return match Harness::try_parse_from(std::iter::once("runbook __append".into()).chain(rest))
        {
            Ok(harness) => Cli {
                global: harness.global,
                command: Some(Command::Append(harness.append)),
            },
            Err(e) => e.exit(),
        };
    }
    match parse_from(&args, |name| std::env::var(name).ok()) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    }
}

/// The command line `args` (the program's name first). `runbook` alone
/// opens the console: there is nothing to parse, so clap's command tree is
/// not built. Otherwise it is read with the English tree; only help, a
/// version or a mistake, which are then said, builds the tree again in
/// the operator's language (`env` tells it), so that a French operator's
/// `runbook run incident` does not pay for translating every command's
/// help.
pub fn parse_from(
    args: &[std::ffi::OsString],
    env: impl Fn(&str) -> Option<String>,
) -> Result<Cli, clap::Error> {
    use clap::{CommandFactory, FromArgMatches};
    if args.len() <= 1 {
        return Ok(Cli {
            global: Global {
                catalog: Vec::new(),
                lang: None,
                journal: None,
                site: Vec::new(),
                theme: None,
            },
            command: None,
        });
    }
    Cli::try_parse_from(args).or_else(|_| {
        let lang = help_language(args, env);
        localise(Cli::command(), &lang)
            .try_get_matches_from(args)
            .and_then(|matches| Cli::from_arg_matches(&matches))
    })
}

/// The language the help should speak, before the command line is parsed.
pub fn help_language(args: &[std::ffi::OsString], env: impl Fn(&str) -> Option<String>) -> String {
    let mut words = args.iter().filter_map(|a| a.to_str());
    while let Some(word) = words.next() {
        if let Some(lang) = word.strip_prefix("--lang=") {
            return crate::catalog::text::choose_language(Some(lang), |_| None);
        }
        if word == "--lang"
            && let Some(lang) = words.next()
        {
            return crate::catalog::text::choose_language(Some(lang), |_| None);
        }
    }
    match env("RUNBOOK_LANG").filter(|l| !l.is_empty()) {
        Some(lang) => crate::catalog::text::choose_language(Some(&lang), |_| None),
        None => crate::catalog::text::choose_language(None, env),
    }
}

/// The command-line definition with its help in `lang`.
pub fn localise(command: clap::Command, lang: &str) -> clap::Command {
    if lang == "fr" {
        french(command, true)
    } else {
        command
    }
}

fn french(mut command: clap::Command, root: bool) -> clap::Command {
    use crate::text::words::help::french as fr;
    let about = command.get_about().map(ToString::to_string);
    if let Some(text) = about.as_deref().and_then(fr) {
        command = command.about(text);
    }
    let long_about = command.get_long_about().map(ToString::to_string);
    if let Some(text) = long_about.as_deref().and_then(fr) {
        command = command.long_about(text);
    }
    let after = command.get_after_help().map(ToString::to_string);
    if let Some(text) = after.as_deref().and_then(fr) {
        command = command.after_help(text);
    }
    let ids: Vec<String> = command
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    for id in ids {
        command = command.mut_arg(id, |arg| {
            let help = arg.get_help().map(ToString::to_string);
            // clap writes "[default: …]" and "[possible values: …]" in
            // English: the French help says them itself.
            let arg = if arg.get_action().takes_values() {
                arg.hide_default_value(true).hide_possible_values(true)
            } else {
                arg
            };
            let names: Vec<&'static str> = arg
                .get_value_names()
                .unwrap_or_default()
                .iter()
                .filter_map(|n| crate::text::words::help::value_name(n.as_str()))
                .collect();
            let arg = if names.is_empty() {
                arg
            } else {
                arg.value_names(names)
            };
            match help.as_deref().and_then(fr) {
                Some(text) => arg.help(text),
                None => arg,
            }
        });
    }
    command = command
        .help_template(
            "{before-help}{about-with-newline}\nUtilisation : {usage}\n\n{all-args}{after-help}",
        )
        .subcommand_help_heading("Commandes")
        .subcommand_value_name("COMMANDE")
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .arg(
            clap::Arg::new("help")
                .short('h')
                .long("help")
                .action(clap::ArgAction::Help)
                .help(fr("Print help").unwrap_or_default()),
        );
    if root {
        command = command.disable_version_flag(true).arg(
            clap::Arg::new("version")
                .short('V')
                .long("version")
                .action(clap::ArgAction::Version)
                .help(fr("Print version").unwrap_or_default()),
        );
    }
    let names: Vec<String> = command
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    for name in names {
        command = command.mut_subcommand(name, |sub| french(sub, false));
    }
    command
}

pub use crate::time::parse as parse_time;

/// A span of time as the catalog writes it (`90d`, `36h`).
pub fn parse_span(text: &str) -> Result<crate::catalog::Duration, String> {
    text.parse::<crate::catalog::Duration>()
        .map_err(|e| format!("`{text}` is not a duration ({}): e.g. 90d, 36h", e.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The console's fast way in gives what clap would have read.
    #[test]
    fn runbook_alone_reads_as_clap_reads_it() {
        let bare = vec![std::ffi::OsString::from("runbook")];
        let fast = parse_from(&bare, |_| None).unwrap();
        let clap = Cli::try_parse_from(&bare).unwrap();
        assert_eq!(format!("{fast:?}"), format!("{clap:?}"));
    }

    /// Help read with the English tree is still said in French to a
    /// French operator.
    #[test]
    fn help_is_said_in_the_operators_language() {
        let args: Vec<std::ffi::OsString> = ["runbook", "--lang=fr", "run", "--help"]
            .iter()
            .map(Into::into)
            .collect();
        let french = parse_from(&args, |_| None).unwrap_err().to_string();
        let english = Cli::try_parse_from(&args).unwrap_err().to_string();
        assert_ne!(french, english, "{french}");
        assert!(french.contains("Exemples"), "{french}");
    }

    #[test]
    fn clap_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
        localise(Cli::command(), "fr").debug_assert();
    }

    #[test]
    fn the_help_language_comes_from_the_flag_then_the_environment() {
        let args =
            |words: &[&str]| -> Vec<std::ffi::OsString> { words.iter().map(Into::into).collect() };
        let none = |_: &str| None;
        let french = |name: &str| (name == "LANG").then(|| "fr_FR.UTF-8".to_owned());
        assert_eq!(
            help_language(&args(&["runbook", "--lang", "fr", "-h"]), none),
            "fr"
        );
        assert_eq!(help_language(&args(&["runbook", "--lang=fr"]), none), "fr");
        assert_eq!(help_language(&args(&["runbook", "-h"]), french), "fr");
        assert_eq!(
            help_language(&args(&["runbook", "--lang", "en"]), french),
            "en"
        );
    }
}
