//! The command line: each command turns the catalog or the journal into
//! text or JSON on a writer (so tests read exactly what an operator sees),
//! walks a run in line mode, or opens the console beside it.

pub mod audit;
pub mod breach;
pub mod check;
pub mod console;
pub mod drill;
pub mod due;
pub mod exec;
pub mod followup;
pub mod generate;
pub mod init;
pub mod journal;
pub mod list;
pub mod metrics;
pub mod notify;
pub mod origins;
pub mod output;
pub mod plain;
pub mod policy;
pub mod postmortem;
pub mod reference;
pub mod runs;
pub mod serve;
pub mod settings;
pub mod settle;
pub mod show;
pub mod stats;
pub mod table;
pub mod update;
pub mod walk;
pub mod window;

use std::io::{self, Write};
use std::process::ExitCode;

use std::path::{Path, PathBuf};

use crate::catalog::{self, Loaded, source};
use crate::cli::{Cli, Command};
use crate::config::{self, Setting};

pub use crate::config::JournalSettings;
pub use crate::exit;
pub use crate::text::layout::{columns, pad};

/// What every command needs: the catalog, the language to speak, where
/// the journal is, and the operator's settings.
#[derive(Debug)]
pub struct Context {
    pub loaded: Loaded,
    pub location: source::Location,
    pub lang: Setting<String>,
    pub journal: JournalSettings,
    pub config: config::File,
    pub config_path: Option<PathBuf>,
    pub display: config::Display,
    /// The site layers, in the order applied, with where each was named.
    pub sites: Vec<(catalog::Site, config::Origin)>,
    /// The identity policy the site describes (what `policy publish`
    /// publishes), whatever the journal's.
    pub site_policy: crate::journal::policy::Policy,
    /// The journal's policy in force, which the catalog was judged by.
    pub policy: Option<crate::learn::InForce>,
}

impl Context {
    pub fn lang(&self) -> &str {
        &self.lang.value
    }

    /// The program's own words in the operator's language.
    pub fn words(&self) -> &'static crate::text::Words {
        crate::text::words(self.lang())
    }

    /// What the config says about running step commands here.
    pub fn exec_policy(&self) -> crate::exec::Policy {
        crate::exec::Policy {
            allowed: self.config.exec.unwrap_or(false),
            redact: self.config.redact.clone(),
            config: self.config_path.as_ref().map_or_else(
                || "~/.config/runbook/config.toml".to_owned(),
                |p| p.display().to_string(),
            ),
        }
    }

    /// Roles the config file gives the operator at the keyboard.
    pub fn configured_roles(&self) -> Vec<String> {
        let operator = crate::store::whoami::detect(env).operator;
        self.config
            .roles
            .get(&operator)
            .cloned()
            .unwrap_or_default()
    }
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

pub fn run(cli: &Cli) -> ExitCode {
    let config_path = config::path(&env);
    let file = match config_path.as_deref().map(config::read).transpose() {
        Ok(file) => file.unwrap_or_default(),
        Err(e) => {
            crate::say!("runbook: config: {e}");
            return ExitCode::from(exit::USAGE);
        }
    };
    let journal = match JournalSettings::from_env(cli.global.journal.as_deref(), &file) {
        Ok(settings) => settings,
        Err(e) => {
            crate::say!("runbook: {e}");
            return ExitCode::from(exit::USAGE);
        }
    };
    // Every line the command line prints passes through `Inert`: whatever a
    // journal or a checklist holds, no escape sequence reaches the reader.
    let stdout = io::stdout();
    let mut out = crate::text::Inert::new(stdout.lock());
    // The journal's own commands need no catalog: a broken checklist never
    // stops an audit.
    let code = match &cli.command {
        Some(Command::Audit(command)) => {
            let lang = language(cli.global.lang.as_deref(), &file);
            let mut journal = journal;
            let rules = audit_rules(cli, &file);
            journal.signing = rules.as_ref().map(|c| crate::store::operator_key::Signing {
                registry: c.registry(),
                ..Default::default()
            });
            let words = crate::text::words(&lang.value);
            audit::run(&journal, rules.as_ref(), command, words, &mut out)
        }
        Some(Command::Journal(command)) => {
            let lang = language(cli.global.lang.as_deref(), &file);
            journal::run(&journal, command, crate::text::words(&lang.value), &mut out)
        }
        Some(Command::Append(args)) => walk::append(&journal, args, &mut out),
        Some(Command::Completions(args)) => generate::completions(args.shell, &mut out),
        Some(Command::Man(args)) => {
            let lang = language(cli.global.lang.as_deref(), &file);
            let words = crate::text::words(&lang.value);
            generate::man(args.dir.as_deref(), words, &mut out)
        }
        _ => with_catalog(cli, file, config_path, journal, &mut out),
    };
    match code {
        Ok(code) => ExitCode::from(code),
        // A closed pipe (`runbook list | head`) is the reader's choice, not
        // a failure.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            crate::say!("runbook: cannot write output: {e}");
            ExitCode::from(1)
        }
    }
}

/// The language: `--lang`, then `RUNBOOK_LANG`, then the config file, then
/// the locale.
fn language(flag: Option<&str>, file: &config::File) -> Setting<String> {
    let pick = |value: &str, origin| Setting {
        value: catalog::text::choose_language(Some(value), |_| None),
        origin,
    };
    if let Some(flag) = flag {
        return pick(flag, config::Origin::Flag);
    }
    if let Some(value) = env("RUNBOOK_LANG").filter(|v| !v.is_empty()) {
        return pick(&value, config::Origin::Env("RUNBOOK_LANG"));
    }
    if let Some(value) = &file.language {
        return pick(value, config::Origin::File);
    }
    Setting {
        value: catalog::text::choose_language(None, env),
        origin: config::Origin::Env("LANG"),
    }
}

fn with_catalog(
    cli: &Cli,
    file: config::File,
    config_path: Option<PathBuf>,
    journal: JournalSettings,
    out: &mut dyn Write,
) -> io::Result<u8> {
    let location = catalog_location(cli, &file);
    // `init --site PATH` names the file to write, not a layer to read.
    let flags: &[PathBuf] = match &cli.command {
        Some(Command::Init) => &[],
        _ => &cli.global.site,
    };
    let sites = site_layers(flags, &file);
    let layers: Vec<catalog::Site> = sites.iter().map(|(s, _)| s.clone()).collect();
    let mut loaded = crate::bundled::load_layered(&location, &layers);
    crate::metrics::source::configure(&mut loaded.catalog, &env);
    if let Some(since) = file.duties_since {
        loaded.catalog.start_duties(since);
    }
    let site_policy = crate::journal::policy::Policy::of(&loaded.catalog, Vec::new());
    let policy = match &cli.command {
        Some(Command::Init | Command::Check(_)) => None,
        _ => policy::in_force(&journal),
    };
    if let Some(in_force) = &policy {
        policy::apply(&mut loaded, in_force);
    }
    let mut journal = journal;
    journal.signing = Some(identity(
        &mut loaded,
        &file,
        config_path.as_deref(),
        policy.is_some(),
    ));
    let display = config::display(cli.global.theme.as_deref(), &file, &env);
    let context = Context {
        loaded,
        location,
        lang: language(cli.global.lang.as_deref(), &file),
        journal,
        config: file,
        config_path,
        display,
        sites,
        site_policy,
        policy,
    };
    if let Some(Command::Config) = &cli.command {
        return settings::print(&context, out);
    }
    if let Some(Command::Check(args)) = &cli.command {
        return check::run(&context, args.strict, out);
    }
    if let Some(code) = refuse_invalid(&context) {
        return Ok(code);
    }
    match &cli.command {
        Some(Command::List(args)) => list::run(&context, args.json, out),
        Some(Command::Show(args)) if args.origins => {
            origins::run(&context, &args.procedure, args.json, out)
        }
        Some(Command::Show(args)) => show::run(&context, &args.procedure, args.json, out),
        Some(Command::Severity(args)) => table::severity(&context, args.json, out),
        Some(Command::Contacts(args)) => reference::contacts(&context, args, out),
        Some(Command::Access(args)) => reference::access(&context, args.json, out),
        Some(Command::Backups(args)) => reference::backups(&context, args.json, out),
        Some(Command::Dashboards(args)) => reference::dashboards(&context, args.json, out),
        Some(Command::Due(args)) => {
            let at = args.at.unwrap_or_else(chrono::Utc::now);
            due::run(&context, at, args.json, args.drills, out)
        }
        Some(Command::Window(args)) => {
            let at = args.at.unwrap_or_else(chrono::Utc::now);
            window::run(&context, at, args.json, out)
        }
        Some(Command::Run(args)) => walk::start(&context, args, out),
        Some(Command::Drill(args)) => drill::run(&context, args, out),
        Some(Command::Replay(args)) => drill::replay(&context, args, out),
        Some(Command::Resume(args)) => walk::resume(&context, args, out),
        Some(Command::Exec(args)) => exec::run(&context, args, out),
        Some(Command::Runs(args)) => runs::list(&context, args, out),
        Some(Command::Report(args)) => runs::report(&context, args, out),
        Some(Command::Postmortem(args)) => postmortem::run(&context, args, out),
        Some(Command::Settle(args)) => settle::run(&context, args, out),
        Some(Command::Update(args)) => update::run(&context, args, out),
        Some(Command::BreachNotice(args)) => breach::run(&context, args, out),
        Some(Command::Policy(command)) => policy::run(&context, command, out),
        Some(Command::Followup(command)) => followup::run(&context, command, out),
        Some(Command::Stats(args)) => stats::run(&context, args, out),
        Some(Command::Metrics(args)) => metrics::run(&context, args, out),
        Some(Command::Watch) => notify::watch(&context, out),
        Some(Command::Serve(args)) => serve::run(&context, args, out),
        Some(Command::Init) => init::run(&context, &cli.global.site, out),
        Some(Command::Notify(command)) => notify::run(&context, command, out),
        None => console::home(&context, out),
        Some(
            Command::Check(_)
            | Command::Audit(_)
            | Command::Journal(_)
            | Command::Append(_)
            | Command::Completions(_)
            | Command::Man(_)
            | Command::Config,
        ) => Ok(exit::OK),
    }
}

/// Who acts, as the site says: the roles an operator's own config grants
/// (none under `require = "signature"`, said once where warnings are),
/// and the registry and key that sign.
fn identity(
    loaded: &mut catalog::Loaded,
    file: &config::File,
    config_path: Option<&Path>,
    published: bool,
) -> crate::store::operator_key::Signing {
    // Under `require = "signature"`, or a policy the journal published,
    // roles come from reviewed files only: an operator's own config grants
    // nothing.
    let signature = published || loaded.catalog.require == catalog::identity::Require::Signature;
    let config_shown = config_path.map_or_else(String::new, |p| p.display().to_string());
    for (operator, roles) in file.roles.iter().filter(|_| !signature) {
        for role in roles {
            let by = catalog::Grant::Config(config_shown.clone());
            loaded.catalog.grant(operator, role, by);
        }
    }
    if signature && !file.roles.is_empty() {
        // Said once, where warnings are: the console's status line and
        // its Warnings tab.
        loaded.catalog.findings.push(catalog::Finding {
            place: config_shown,
            code: "roles-ignored",
            message: ROLES_IGNORED.to_owned(),
            answer: None,
        });
    }
    loaded.forget_held_roles();
    let mut registry = loaded.catalog.registry();
    if loaded.catalog.require == catalog::identity::Require::None {
        // Names are taken as given: an own account names no one.
        registry.os_users.clear();
    }
    crate::store::operator_key::Signing {
        registry,
        key_file: file.signing_key.as_deref().map(home_relative),
        agent: env("SSH_AUTH_SOCK")
            .filter(|s| !s.is_empty())
            .map(PathBuf::from),
    }
}

const ROLES_IGNORED: &str = "the roles of this config are ignored: roles come from the site's registry when it requires signatures, and from the journal's policy once one is published";

/// Where the catalog is read from: `check`'s paths, `--catalog`,
/// `RUNBOOK_CATALOG`, the config's `catalog`, the user's folder, or the
/// bundled checklists.
fn catalog_location(cli: &Cli, file: &config::File) -> source::Location {
    match &cli.command {
        Some(Command::Check(args)) if !args.paths.is_empty() => source::Location::Paths {
            paths: args.paths.clone(),
            from: "the command line",
        },
        _ if cli.global.catalog.is_empty()
            && env("RUNBOOK_CATALOG").is_none_or(|v| v.is_empty())
            && file.catalog.is_some() =>
        {
            source::Location::Paths {
                paths: file.catalog.clone().unwrap_or_default(),
                from: "the config file",
            }
        }
        _ => source::discover(&cli.global.catalog, env, source::config_dir(env)),
    }
}

/// The rules an audit judges by, and the site's registry of operators:
/// the catalog, when it loads; `None` when it does not (a broken
/// checklist never stops an audit: the chain and the signatures are then
/// checked without knowing whose keys they are, and no entry is judged).
fn audit_rules(cli: &Cli, file: &config::File) -> Option<catalog::Catalog> {
    let sites = site_layers(&cli.global.site, file);
    let layers: Vec<catalog::Site> = sites.into_iter().map(|(s, _)| s).collect();
    let loaded = crate::bundled::load_layered(&catalog_location(cli, file), &layers);
    if loaded.has_errors() {
        tracing::warn!(
            "audit: the catalog has errors: signatures are checked without the registry"
        );
        return None;
    }
    Some(loaded.catalog)
}

/// The site layers, in the order they apply: `/etc/runbook/site.toml` and
/// the user's `site.toml` when they exist, the config's `site`,
/// `RUNBOOK_SITE` (paths separated by `:`), then `--site`.
fn site_layers(flags: &[PathBuf], file: &config::File) -> Vec<(catalog::Site, config::Origin)> {
    let site = |path: PathBuf| catalog::Site {
        name: path.display().to_string(),
        paths: vec![path],
    };
    let mut sites = Vec::new();
    let system = PathBuf::from("/etc/runbook/site.toml");
    if system.exists() {
        sites.push((site(system), config::Origin::Default));
    }
    if let Some(user) = source::config_dir(env).map(|d| d.join("site.toml"))
        && user.exists()
    {
        sites.push((site(user), config::Origin::Default));
    }
    for path in file.site.iter().flatten() {
        sites.push((site(home_relative(path)), config::Origin::File));
    }
    for path in env("RUNBOOK_SITE")
        .unwrap_or_default()
        .split(':')
        .filter(|p| !p.is_empty())
    {
        sites.push((
            site(PathBuf::from(path)),
            config::Origin::Env("RUNBOOK_SITE"),
        ));
    }
    for path in flags {
        sites.push((site(path.clone()), config::Origin::Flag));
    }
    // One file named twice (the service's XDG_CONFIG_HOME=/etc makes the
    // user's site.toml /etc/runbook/site.toml) is applied once: a second
    // pass would add its new entities again.
    let mut seen = Vec::new();
    sites.retain(|(s, _)| {
        let key = s
            .paths
            .iter()
            .map(|p| p.canonicalize().unwrap_or_else(|_| p.clone()))
            .collect::<Vec<_>>();
        let first = !seen.contains(&key);
        seen.push(key);
        first
    });
    sites
}

/// `~/x` in the config file means the user's `x`, as a shell would read it.
fn home_relative(path: &std::path::Path) -> PathBuf {
    match (path.strip_prefix("~"), env("HOME")) {
        (Ok(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => path.to_path_buf(),
    }
}

/// The journal's history through its index (the closed runs' summaries
/// when `closed`), every unreadable line said on standard error; `None`
/// when the journal cannot be read, which is said too.
fn history(context: &Context, closed: bool) -> Option<crate::store::History> {
    let history = match crate::store::load(
        context.journal.journal(),
        context.journal.key.as_deref(),
        closed,
    ) {
        Ok(history) => history,
        Err(e) => {
            crate::say!("runbook: {e}");
            return None;
        }
    };
    for p in &history.problems {
        crate::say!(
            "runbook: {}:{}: {}",
            context.journal.shown(),
            p.line,
            p.what(context.words())
        );
    }
    Some(history)
}

/// A catalog with errors is never used: the operator sees every error and
/// where it is, and the command stops.
///
/// Warnings are not repeated on every command: `runbook check` lists them,
/// and the console says how many there are and opens the list.
fn refuse_invalid(context: &Context) -> Option<u8> {
    let w = context.words().commands;
    if context.loaded.has_errors() {
        crate::say!(
            "{}",
            context
                .loaded
                .render_diagnostics_in(context.words())
                .trim_end()
        );
        crate::say!(
            "{}",
            (w.catalog_errors)(&context.location.describe_in(context.words()))
        );
        return Some(exit::USAGE);
    }
    None
}

/// `runbook` alone, until the console exists: what there is to run, and
/// whether a maintenance window is open.
pub fn overview(context: &Context, out: &mut dyn Write) -> io::Result<u8> {
    list::run(context, false, out)?;
    writeln!(out)?;
    window::run(context, chrono::Utc::now(), false, out)?;
    writeln!(out, "{}", context.words().commands.overview_hint)?;
    Ok(exit::OK)
}

/// A drafted document (a post-mortem, a breach notification) as JSON or
/// in Markdown, on standard output or written to `to`, which is said.
pub fn write_document(
    out: &mut dyn Write,
    to: Option<&Path>,
    format: &crate::cli::ReportFormat,
    value: &impl serde::Serialize,
    markdown: impl FnOnce() -> String,
    words: &crate::text::Words,
) -> io::Result<u8> {
    let text = match format {
        crate::cli::ReportFormat::Json => {
            let mut bytes = Vec::new();
            crate::text::json::pretty(&mut bytes, value)?;
            bytes.push(b'\n');
            bytes
        }
        crate::cli::ReportFormat::Md => markdown().into_bytes(),
    };
    match to {
        None => out.write_all(&text)?,
        Some(path) => {
            if let Err(e) = std::fs::write(path, &text) {
                crate::say!("runbook: {}: {e}", path.display());
                return Ok(exit::USAGE);
            }
            let shown = path.display().to_string();
            writeln!(out, "{}", (words.learn.written_to)(&shown))?;
        }
    }
    Ok(exit::OK)
}

pub fn write_json(out: &mut dyn Write, value: &impl serde::Serialize) -> io::Result<u8> {
    crate::text::json::pretty(&mut *out, value)?;
    writeln!(out)?;
    Ok(exit::OK)
}
