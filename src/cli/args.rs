//! The arguments of each command, as clap reads them.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::{parse_span, parse_time};

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write one page per command in this folder instead of printing runbook(1)
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum NotifyCommand {
    /// Send a test event to one target now and print its answer
    #[command(
        after_help = "Examples:\n  runbook notify test oncall\n  runbook notify test team-chat"
    )]
    Test(NotifyTestArgs),
    /// List the notifications not delivered yet, and those refused
    #[command(after_help = "Examples:\n  runbook notify pending\n  runbook notify pending --json")]
    Pending(JsonArg),
}

#[derive(Debug, Args)]
pub struct NotifyTestArgs {
    /// The target's id (its `[[notify]]` entry)
    pub target: String,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The procedure's id (see `runbook list`)
    pub procedure: String,
    /// The severity, for procedures that ask for one (e.g. P1)
    #[arg(long)]
    pub severity: Option<String>,
    /// Line mode: one step at a time, for scripts, screen readers and dumb terminals
    #[arg(long)]
    pub plain: bool,
}

#[derive(Debug, Args)]
pub struct DrillArgs {
    /// The procedure to rehearse (see `runbook list`); the scenario's when not given
    pub procedure: Option<String>,
    /// The severity, for procedures that ask for one (e.g. P1); the scenario's when not given
    #[arg(long)]
    pub severity: Option<String>,
    /// How many times faster than real time the drill clock runs; the scenario's, or 60
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub speed: Option<u32>,
    /// A scenario file, or a bundled scenario (p1-outage, bad-deploy, data-breach)
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<String>,
}

#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// The run's id (see `runbook runs --drills`)
    pub run: String,
    /// How many times faster than recorded the entries follow each other
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub speed: u32,
}

#[derive(Debug, Args)]
pub struct ResumeArgs {
    /// The run's id (see `runbook runs --open`)
    pub run: Option<String>,
    /// Line mode
    #[arg(long)]
    pub plain: bool,
}

#[derive(Debug, Args)]
pub struct ExecArgs {
    /// The run's id (see `runbook runs --open`)
    pub run: String,
    /// The step whose command runs
    pub step: String,
    /// Confirms an ordinary step's command without asking
    #[arg(long)]
    pub yes: bool,
    /// Confirms a step that cannot be undone: its id, typed again
    #[arg(long, value_name = "STEP")]
    pub confirm: Option<String>,
    /// Shows exactly what would run, and runs nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Approves, as the second operator, a two-person step's command
    #[arg(long, conflicts_with_all = ["yes", "confirm", "dry_run"])]
    pub approve: bool,
}

#[derive(Debug, Args)]
pub struct RunsArgs {
    /// Only runs still open
    #[arg(long)]
    pub open: bool,
    /// List drills too
    #[arg(long)]
    pub drills: bool,
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Md,
    Json,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The run's id (see `runbook runs`)
    pub run: String,
    /// The report's format: md (Markdown) or json
    #[arg(long, value_enum, default_value = "md")]
    pub format: ReportFormat,
}

#[derive(Debug, Args)]
pub struct PostmortemArgs {
    /// The run's id (see `runbook runs`)
    pub run: String,
    /// The draft's format: md (Markdown) or json
    #[arg(long, value_enum, default_value = "md")]
    pub format: ReportFormat,
    /// Write the draft to this file instead of standard output
    #[arg(long, value_name = "FILE", conflicts_with = "done")]
    pub out: Option<PathBuf>,
    /// Record that the run's post-mortem is written (it is then owed no more)
    #[arg(long)]
    pub done: bool,
    /// With --done: where the post-mortem is
    #[arg(long, value_name = "URL", requires = "done")]
    pub link: Option<String>,
    /// With --done: the post-mortem's file, whose SHA-256 is recorded
    #[arg(long, value_name = "FILE", requires = "done")]
    pub document: Option<PathBuf>,
    /// The moment the draft is made at, in UTC; default now
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Debug, Args)]
pub struct SettleArgs {
    /// The run's id (see `runbook runs`)
    pub run: String,
    /// The owed step's id
    pub step: String,
    /// Why it is settled without being done (recorded)
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Where to listen (behind a reverse proxy that adds TLS)
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub listen: std::net::SocketAddr,
    /// The page's name; default: the site's `status_page_name` variable
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// The page's public address; default: the site's `status_page_url` variable
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// Read a password on standard input, print its hash for a [[viewer]], and exit
    #[arg(long, conflicts_with = "hash_token")]
    pub hash_password: bool,
    /// Read a token on standard input, print its SHA-256 for a [[viewer]], and exit
    #[arg(long)]
    pub hash_token: bool,
}

#[derive(Debug, Args)]
pub struct BreachNoticeArgs {
    /// The breach run's id (see `runbook runs`)
    pub run: String,
    /// Whom it is for: authority (art. 33) or people (art. 34)
    #[arg(long = "for", value_name = "WHOM")]
    pub audience: String,
    /// The draft's format: md (Markdown) or json
    #[arg(long, value_enum, default_value = "md")]
    pub format: ReportFormat,
    /// Write the draft to this file instead of standard output
    #[arg(long, value_name = "FILE", conflicts_with = "sent")]
    pub out: Option<PathBuf>,
    /// Record that this notification was sent (with --reference)
    #[arg(long, requires = "reference")]
    pub sent: bool,
    /// With --sent: the authority's reference for it, or the message's
    #[arg(long, value_name = "ID", requires = "sent")]
    pub reference: Option<String>,
    /// With --sent, past the 72 h: why it comes late (recorded)
    #[arg(long, value_name = "TEXT", requires = "sent")]
    pub delay_reason: Option<String>,
    /// The moment the draft is made at, in UTC; default now
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// The run's id (see `runbook runs`)
    pub run: String,
    /// What the people are told; without it, the catalog's template for the run
    pub message: Option<String>,
    /// Where things stand: investigating, identified, monitoring or resolved
    #[arg(long, value_name = "STATUS")]
    pub status: String,
    /// How badly users are touched: none, minor, major or critical
    #[arg(long, value_name = "IMPACT", default_value = "none")]
    pub impact: String,
    /// A component the update is about, by its catalog id (repeat for several)
    #[arg(long = "component", value_name = "ID")]
    pub components: Vec<String>,
    /// Shown on the public status page; otherwise to the company only
    #[arg(long)]
    pub public: bool,
    /// Print the template's draft for this run and status, record nothing
    #[arg(long)]
    pub draft: bool,
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Publish the site's operators, keys and roles into the journal, signed with your key
    #[command(
        after_help = "Examples:\n  runbook --site team.toml policy publish --publisher tech-lead\n  runbook --site team.toml policy publish\n\nFrom its entry on, every process judges by the journal's policy, not by its own site: a role or key added in a local site layer grants nothing. The journal's first policy is trusted on first use (and said so); each later one must be signed by a holder of a role the policy in force names as a publisher."
    )]
    Publish(PublishArgs),
    /// Show the identity policy in force
    Show,
}

#[derive(Debug, Args)]
pub struct PublishArgs {
    /// A role whose holders may publish the next policy (repeat for more); default: the roles the policy in force names
    #[arg(long, value_name = "ROLE")]
    pub publisher: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum FollowupCommand {
    /// Add an action decided after a run
    #[command(
        after_help = "Examples:\n  runbook followup add incident-20261124-001521-ab12 \"Alert on webhook lag\" --owner alice --due 7d\n  runbook followup add rollback-20261124-001521-ab12 \"Add a canary\" --due 2026-12-24\n\n--due takes a duration from now (7d, 36h) or a date (the end of that day, UTC) or a time."
    )]
    Add(FollowupAddArgs),
    /// List follow-ups, overdue first
    #[command(
        after_help = "Examples:\n  runbook followup list\n  runbook followup list --open\n  runbook followup list --run incident-20261124-001521-ab12 --json"
    )]
    List(FollowupListArgs),
    /// Mark a follow-up done
    #[command(after_help = "Examples:\n  runbook followup done 1042 --note \"merged in #812\"")]
    Done(FollowupDoneArgs),
    /// Give a follow-up up, saying why
    #[command(
        after_help = "Examples:\n  runbook followup drop 1042 --reason \"superseded by the new alerting\""
    )]
    Drop(FollowupDropArgs),
}

#[derive(Debug, Args)]
pub struct FollowupAddArgs {
    /// The run it comes from
    pub run: String,
    /// What is to be done
    pub text: String,
    /// Who is to do it
    #[arg(long, value_name = "NAME")]
    pub owner: Option<String>,
    /// When it is due: a duration from now (7d) or a date (2026-12-24)
    #[arg(long, value_name = "WHEN")]
    pub due: Option<String>,
}

#[derive(Debug, Args)]
pub struct FollowupListArgs {
    /// Only those still open
    #[arg(long)]
    pub open: bool,
    /// Only those of this run
    #[arg(long, value_name = "RUN")]
    pub run: Option<String>,
    /// The moment to judge them at, in UTC; default now
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub at: Option<chrono::DateTime<chrono::Utc>>,
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct FollowupDoneArgs {
    /// The follow-up's number (see `runbook followup list`)
    pub id: u64,
    /// What was done
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct FollowupDropArgs {
    /// The follow-up's number (see `runbook followup list`)
    pub id: u64,
    /// Why it is given up
    #[arg(long, required = true)]
    pub reason: String,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// How far back to count: runs started within this time before --at
    #[arg(long, value_name = "DURATION", default_value = "90d", value_parser = parse_span)]
    pub since: crate::catalog::Duration,
    /// The moment to count up to, in UTC; default now
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub at: Option<chrono::DateTime<chrono::Utc>>,
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check every entry's hash and link; exit 0 intact, 1 tampered or damaged
    #[command(
        after_help = "Examples:\n  runbook audit verify\n  runbook audit verify --journal /srv/runbook/journal.jsonl --expect-head 1042:3f7a…\n\nWith RUNBOOK_JOURNAL_KEY set, every entry's MAC is checked too.\nExit codes: 0 intact, 1 tampered or damaged, 2 usage error."
    )]
    Verify(VerifyArgs),
    /// Print the journal's head (SEQ:HASH), to record elsewhere and give to --expect-head later
    #[command(
        after_help = "Examples:\n  runbook audit head\n  runbook audit verify --expect-head \"$(runbook audit head)\""
    )]
    Head,
    /// Print entries readably
    #[command(
        after_help = "Examples:\n  runbook audit show\n  runbook audit show --run deploy-20261124-001521-ab12\n  runbook audit show --since '2026-11-24 00:00' --json"
    )]
    Show(ShowEntriesArgs),
}

#[derive(Debug, Subcommand)]
pub enum JournalCommand {
    /// Create the journal's table in the database named by --journal, append-only
    #[command(
        after_help = "Examples:\n  runbook journal init --journal 'postgres://ops@db.internal/runbook?sslmode=verify-full'\n  runbook journal init --journal postgres://admin@127.0.0.1/runbook --grant operators\n\nThe password comes from ${RUNBOOK_PG_PASSWORD} in the URL, PGPASSWORD or ~/.pgpass."
    )]
    Init(JournalInitArgs),
    /// Copy every line of the journal to a new file, byte for byte
    #[command(
        after_help = "Examples:\n  runbook journal export backup.jsonl --journal postgres://ops@db.internal/runbook\n  runbook audit verify --journal backup.jsonl"
    )]
    Export(JournalFileArgs),
    /// Append a journal file's lines to the journal, chain checked first
    #[command(
        after_help = "Examples:\n  runbook journal import ~/.local/state/runbook/journal.jsonl --journal postgres://ops@db.internal/runbook\n\nThe journal must be empty, or hold the first lines of the file (an import cut short goes on)."
    )]
    Import(JournalFileArgs),
    /// Print the whole output of a command, checked against its entry
    #[command(
        after_help = "Examples:\n  runbook journal output 1234\n  runbook journal output 1234 --out deploy.log\n\nSEQ is the command's `command_started` entry, as `runbook report` names it (#1234). On a database journal the output is read from the database, whichever host ran it."
    )]
    Output(JournalOutputArgs),
}

#[derive(Debug, Args)]
pub struct JournalOutputArgs {
    /// The command's entry (its `command_started`)
    #[arg(value_name = "SEQ")]
    pub seq: u64,
    /// Write it to this new file instead of the standard output
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct JournalInitArgs {
    /// The operators' role: it may read and append, nothing else
    #[arg(long, value_name = "ROLE")]
    pub grant: Option<String>,
}

#[derive(Debug, Args)]
pub struct JournalFileArgs {
    /// The journal file
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The head recorded earlier (`runbook audit head`): catches a truncated journal
    #[arg(long, value_name = "SEQ:HASH")]
    pub expect_head: Option<String>,
    /// A file of anchored heads, as an anchor target keeps them: each must still be in the chain
    #[arg(long, value_name = "FILE")]
    pub anchors: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ShowEntriesArgs {
    /// Only this run's entries
    #[arg(long)]
    pub run: Option<String>,
    /// Only entries at or after this time (UTC)
    #[arg(long, value_parser = parse_time)]
    pub since: Option<chrono::DateTime<chrono::Utc>>,
    /// Print JSON lines instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct MetricsArgs {
    /// Read once and exit with the worst state's code (the default)
    #[arg(long, conflicts_with = "watch")]
    pub once: bool,
    /// Keep reading at each source's interval, printing every change
    #[arg(long)]
    pub watch: bool,
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct AppendArgs {
    #[arg(long, default_value_t = 1)]
    pub count: u64,
    #[arg(long)]
    pub run: Option<String>,
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
pub struct ContactsArgs {
    /// Only the emergency contacts
    #[arg(long)]
    pub emergency: bool,
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct JsonArg {
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The procedure's id (see `runbook list`); with --origins, any entity's id
    pub procedure: String,
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
    /// Say which site layer set each value of the entity, instead of showing it
    #[arg(long)]
    pub origins: bool,
}

#[derive(Debug, Args)]
pub struct DueArgs {
    /// The moment to ask about, in UTC (RFC 3339, or `YYYY-MM-DD HH:MM`); default now
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub at: Option<chrono::DateTime<chrono::Utc>>,
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
    /// Count drills as if they were real runs
    #[arg(long)]
    pub drills: bool,
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
