//! Where the journal is and how it is sealed, for every front end.

use std::path::{Path, PathBuf};

use super::{File, Origin};
use crate::journal;

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// Where the journal is and how it is sealed. The key is held here only in
/// memory and never printed.
#[derive(Clone)]
pub struct JournalSettings {
    pub path: PathBuf,
    pub origin: Origin,
    pub key: Option<Vec<u8>>,
    pub group: Option<u32>,
}

impl std::fmt::Debug for JournalSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JournalSettings")
            .field("path", &self.path)
            .field("origin", &self.origin)
            .field("key", &self.key.as_ref().map(|_| "<set>"))
            .field("group", &self.group)
            .finish()
    }
}

impl JournalSettings {
    pub fn from_env(flag: Option<&Path>, file: &File) -> Result<Self, String> {
        let (path, origin) = if let Some(path) = flag {
            (path.to_path_buf(), Origin::Flag)
        } else if let Some(path) = env("RUNBOOK_JOURNAL").filter(|p| !p.is_empty()) {
            (PathBuf::from(path), Origin::Env("RUNBOOK_JOURNAL"))
        } else if let Some(path) = &file.journal {
            (path.clone(), Origin::File)
        } else {
            let path = journal::location(None, env).ok_or(
                "no journal location: set --journal, RUNBOOK_JOURNAL, XDG_STATE_HOME or HOME",
            )?;
            (path, Origin::Default)
        };
        Ok(JournalSettings {
            path,
            origin,
            key: journal::key_from(env),
            group: journal::group_from(env)?,
        })
    }

    pub fn open(&self) -> Result<journal::Writer, journal::JournalError> {
        let options = journal::Options {
            key: self.key.clone(),
            group: self.group,
        };
        journal::Writer::open(&self.path, journal::identity::detect(env), options)
    }
}
