//! What a step may run: `run = true` (its one command, by `sh -c`) or
//! `run = { argv = [...] | shell = "…", timeout = "30m", done_on_success
//! = true }`. Only what the catalog marks runs; whether it runs here is
//! the operator's config (`exec = true`), decided in the shell.

use serde::{Deserialize, Serialize};

use super::duration::Duration;
use super::reader::{Reader, Table};

/// How long a command may run when the catalog does not say.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_minutes(10);

const RUN_KEYS: &[&str] = &["argv", "shell", "timeout", "done_on_success"];

/// The program a step runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Program {
    /// Run as given, no shell in between.
    Argv(Vec<String>),
    /// A shell line, run by `sh -c`.
    Shell(String),
}

impl Program {
    /// The program as one line an operator can read and paste: a shell
    /// line as written, an argv quoted for a POSIX shell.
    pub fn line(&self) -> String {
        match self {
            Program::Shell(line) => line.clone(),
            Program::Argv(argv) => argv
                .iter()
                .map(|a| quote(a).into_owned())
                .collect::<Vec<_>>()
                .join(" "),
        }
    }

    /// Every text of the program, for variables to be put in place.
    pub fn texts_mut(&mut self) -> Box<dyn Iterator<Item = &mut String> + '_> {
        match self {
            Program::Argv(argv) => Box::new(argv.iter_mut()),
            Program::Shell(line) => Box::new(std::iter::once(line)),
        }
    }

    pub fn texts(&self) -> Box<dyn Iterator<Item = &String> + '_> {
        match self {
            Program::Argv(argv) => Box::new(argv.iter()),
            Program::Shell(line) => Box::new(std::iter::once(line)),
        }
    }
}

/// A runnable step's command and how it runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Runnable {
    pub program: Program,
    pub timeout: Duration,
    /// A zero exit ticks the step.
    pub done_on_success: bool,
}

/// `text` quoted for a POSIX shell when it holds anything but plain
/// characters: a value put into a shell line stays one word, whatever an
/// operator typed as evidence.
pub fn quote(text: &str) -> std::borrow::Cow<'_, str> {
    let plain = !text.is_empty()
        && text.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(c, '-' | '_' | '.' | '/' | ':' | '=' | '@' | ',' | '+' | '%')
        });
    if plain {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(format!("'{}'", text.replace('\'', r"'\''")))
    }
}

/// Reads a step's `run`; `commands` are the step's command lines, of which
/// `run = true` runs the one.
pub fn read(reader: &mut Reader, table: Table<'_, '_>, commands: &[String]) -> Option<Runnable> {
    let value = table.get("run")?;
    if let Some(flag) = value.get_ref().as_bool() {
        if !flag {
            return None;
        }
        if let [one] = commands {
            return Some(Runnable {
                program: Program::Shell(one.clone()),
                timeout: DEFAULT_TIMEOUT,
                done_on_success: false,
            });
        }
        reader.error_help(
            "bad-run",
            value.span(),
            format!(
                "`run = true` runs the step's one command, and it has {}",
                commands.len()
            ),
            "name the command that runs: run = { shell = \"…\" } or run = { argv = [\"…\"] }",
        );
        return None;
    }
    let run = reader.table(value, "a run", RUN_KEYS)?;
    let argv = run.get("argv").map(|v| {
        reader
            .array(v)
            .iter()
            .filter_map(|item| reader.string(item))
            .collect::<Vec<_>>()
    });
    let shell = reader.opt_string(run, "shell");
    let program = match (argv, shell) {
        (Some(argv), None) if !argv.is_empty() && !argv[0].is_empty() => Program::Argv(argv),
        (None, Some(line)) if !line.get_ref().trim().is_empty() => {
            Program::Shell(line.into_inner())
        }
        _ => {
            reader.error_help(
                "bad-run",
                run.span(),
                "a run table names one program: `argv` (a list, the program first) or `shell` (a line)",
                "run = { argv = [\"flutter\", \"test\"] }",
            );
            return None;
        }
    };
    let timeout = reader.opt_duration(run, "timeout");
    if timeout.is_some_and(|t| t.is_zero())
        && let Some(v) = run.get("timeout")
    {
        reader.error_help(
            "bad-run",
            v.span(),
            "a timeout of zero would stop the command at once",
            "timeout = \"30m\"",
        );
    }
    let done_on_success = reader.opt_bool(run, "done_on_success");
    Some(Runnable {
        program,
        timeout: timeout.unwrap_or(DEFAULT_TIMEOUT),
        done_on_success,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_what_a_shell_would_split_or_expand() {
        assert_eq!(quote("1.4.2"), "1.4.2");
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("1; rm -rf /"), "'1; rm -rf /'");
        assert_eq!(quote("it's"), r"'it'\''s'");
        assert_eq!(quote("$(id)"), "'$(id)'");
        assert_eq!(quote(""), "''");
        let argv = Program::Argv(vec!["echo".into(), "a b".into(), "c".into()]);
        assert_eq!(argv.line(), "echo 'a b' c");
    }
}
