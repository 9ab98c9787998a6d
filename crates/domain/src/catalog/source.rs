//! Where the catalog comes from: files and folders named by the operator,
//! or the checklists bundled into the binary so that an installed
//! `runbook` works from any directory.

use std::fs;
use std::path::{Path, PathBuf};

use super::diagnostic::{Diagnostic, Sources};

/// The bundled checklists, compiled in. A test checks this list against
/// the `checklists/` folder so a new file cannot be forgotten.
pub const BUNDLED: &[(&str, &str)] = &[
    (
        "deploy.toml",
        include_str!("../../../../checklists/deploy.toml"),
    ),
    (
        "rollback.toml",
        include_str!("../../../../checklists/rollback.toml"),
    ),
    (
        "incident.toml",
        include_str!("../../../../checklists/incident.toml"),
    ),
    (
        "maintenance.toml",
        include_str!("../../../../checklists/maintenance.toml"),
    ),
    (
        "security.toml",
        include_str!("../../../../checklists/security.toml"),
    ),
    (
        "monitoring.toml",
        include_str!("../../../../checklists/monitoring.toml"),
    ),
    (
        "reconciliation.toml",
        include_str!("../../../../checklists/reconciliation.toml"),
    ),
    (
        "backup.toml",
        include_str!("../../../../checklists/backup.toml"),
    ),
    (
        "compliance.toml",
        include_str!("../../../../checklists/compliance.toml"),
    ),
    (
        "contacts.toml",
        include_str!("../../../../checklists/contacts.toml"),
    ),
    (
        "status.toml",
        include_str!("../../../../checklists/status.toml"),
    ),
];

/// Which catalog is in use, and why: shown by `runbook check` and
/// `runbook config` so an operator never wonders which files were read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Paths {
        paths: Vec<PathBuf>,
        from: &'static str,
    },
    Bundled,
}

impl Location {
    pub fn describe(&self) -> String {
        self.describe_in(&crate::text::words::EN)
    }

    /// Where the catalog came from, in the operator's words.
    pub fn describe_in(&self, words: &crate::text::Words) -> String {
        let w = words.commands;
        match self {
            Location::Bundled => w.bundled.to_owned(),
            Location::Paths { paths, from } => {
                let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
                let from = match *from {
                    "the command line" => w.src_command_line,
                    "the config file" => w.src_config_file,
                    "the user's config folder" => w.src_config_folder,
                    other => other,
                };
                (w.from_paths)(&shown.join(", "), from)
            }
        }
    }
}

/// The catalog location: the command line, then `RUNBOOK_CATALOG`, then
/// the user's config folder if it holds checklists, then the bundled ones.
pub fn discover(
    flag: &[PathBuf],
    env: impl Fn(&str) -> Option<String>,
    config_dir: Option<PathBuf>,
) -> Location {
    if !flag.is_empty() {
        return Location::Paths {
            paths: flag.to_vec(),
            from: "the command line",
        };
    }
    if let Some(value) = env("RUNBOOK_CATALOG").filter(|v| !v.is_empty()) {
        return Location::Paths {
            paths: std::env::split_paths(&value).collect(),
            from: "RUNBOOK_CATALOG",
        };
    }
    if let Some(dir) = config_dir.map(|d| d.join("checklists"))
        && dir.is_dir()
    {
        return Location::Paths {
            paths: vec![dir],
            from: "the user's config folder",
        };
    }
    Location::Bundled
}

/// The user's config folder for runbook: `$XDG_CONFIG_HOME/runbook`, else
/// `~/.config/runbook`.
pub fn config_dir(env: impl Fn(&str) -> Option<String>) -> Option<PathBuf> {
    let base = env("XDG_CONFIG_HOME")
        .filter(|v| Path::new(v).is_absolute())
        .map(PathBuf::from)
        .or_else(|| env("HOME").map(|home| Path::new(&home).join(".config")))?;
    Some(base.join("runbook"))
}

pub fn bundled_sources() -> Sources {
    let mut sources = Sources::default();
    for (name, text) in BUNDLED {
        sources.add(format!("bundled:{name}"), *text);
    }
    sources
}

/// Reads the files at `location`. Files that cannot be read are reported,
/// each by name, and the others are still read.
pub fn read(location: &Location) -> (Sources, Vec<Diagnostic>) {
    let Location::Paths { paths, .. } = location else {
        return (bundled_sources(), Vec::new());
    };
    let mut sources = Sources::default();
    let mut diagnostics = Vec::new();
    read_into(&mut sources, &mut diagnostics, paths);
    (sources, diagnostics)
}

/// Adds the files at `paths` (files, or folders of `*.toml`) to `sources`;
/// returns their ids.
pub fn read_into(
    sources: &mut Sources,
    diagnostics: &mut Vec<Diagnostic>,
    paths: &[PathBuf],
) -> Vec<super::diagnostic::FileId> {
    let first = sources.files.len();
    for path in paths {
        let mut files = Vec::new();
        if let Err(message) = collect(path, &mut files) {
            let file = sources.add(path.display().to_string(), "");
            diagnostics.push(Diagnostic::file_error("unreadable", file, message));
            continue;
        }
        if files.is_empty() {
            let file = sources.add(path.display().to_string(), "");
            diagnostics.push(
                Diagnostic::file_error("no-checklists", file, "no checklist (*.toml) files here")
                    .with_help("point --catalog at a folder of .toml checklists, or at one file"),
            );
        }
        for file in files {
            match fs::read(&file) {
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(text) => {
                        sources.add(file.display().to_string(), text);
                    }
                    Err(e) => {
                        let id = sources.add(file.display().to_string(), "");
                        let at = e.utf8_error().valid_up_to();
                        diagnostics.push(Diagnostic::file_error(
                            "not-utf8",
                            id,
                            format!("not UTF-8 text: invalid byte at offset {at}"),
                        ));
                    }
                },
                Err(e) => {
                    let id = sources.add(file.display().to_string(), "");
                    diagnostics.push(Diagnostic::file_error(
                        "unreadable",
                        id,
                        format!("cannot read: {e}"),
                    ));
                }
            }
        }
    }
    (first..sources.files.len()).collect()
}

/// A file as itself; a folder as its `*.toml` files, recursively, in name
/// order so that diagnostics come out in the same order every time.
fn collect(path: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let metadata = fs::metadata(path).map_err(|e| format!("cannot read: {e}"))?;
    if !metadata.is_dir() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = fs::read_dir(path)
        .map_err(|e| format!("cannot list folder: {e}"))?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .collect();
    entries.sort();
    for entry in entries {
        if entry.is_dir() {
            collect(&entry, out)?;
        } else if entry.extension().is_some_and(|ext| ext == "toml") {
            out.push(entry);
        }
    }
    Ok(())
}
