//! Where the journal is and how it is sealed, for every front end.

use std::path::{Path, PathBuf};

use super::{File, Origin};
use crate::journal;
use crate::store::pg;

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// Where the journal is and how it is sealed. The key is held here only in
/// memory and never printed.
#[derive(Clone)]
pub struct JournalSettings {
    /// The journal file; for a database journal, where this host keeps
    /// what lives beside a journal file (command outputs, locks).
    pub path: PathBuf,
    /// The database, when the journal is `postgres://…`.
    pub database: Option<pg::Database>,
    pub origin: Origin,
    pub key: Option<Vec<u8>>,
    pub group: Option<u32>,
    /// The person's own key and the registry it must be in, once the
    /// catalog is read; `None` before.
    pub signing: Option<crate::store::operator_key::Signing>,
}

impl std::fmt::Debug for JournalSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JournalSettings")
            .field("path", &self.path)
            .field("database", &self.database.as_ref().map(pg::Database::shown))
            .field("origin", &self.origin)
            .field("key", &self.key.as_ref().map(|_| "<set>"))
            .field("group", &self.group)
            .field("signing", &self.signing)
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
        let location = path.to_string_lossy().into_owned();
        let (path, database) = if pg::is_database(&location) {
            let target = pg::target::parse(&location, &env)?;
            let side = side_path(&target);
            if let Some(folder) = side.parent() {
                use std::os::unix::fs::DirBuilderExt;
                // Where command outputs and locks go; a failure shows
                // where they are used.
                let _ = std::fs::DirBuilder::new()
                    .recursive(true)
                    .mode(0o700)
                    .create(folder);
            }
            (side, Some(pg::Database::new(target)))
        } else {
            (path, None)
        };
        Ok(JournalSettings {
            path,
            database,
            origin,
            key: journal::key_from(env),
            group: journal::group_from(env)?,
            signing: None,
        })
    }

    pub fn open(&self) -> Result<crate::store::Writer, journal::JournalError> {
        self.open_as(self.identity()?)
    }

    /// Who this process records as: the OS account and `RUNBOOK_OPERATOR`,
    /// or the registry's name for the key that signs.
    pub fn identity(&self) -> Result<journal::Identity, journal::JournalError> {
        let mut identity = crate::store::whoami::detect(env);
        if let Some(signing) = &self.signing {
            let named = env("RUNBOOK_OPERATOR").filter(|n| !n.trim().is_empty());
            signing
                .apply(&mut identity, named.as_deref())
                .map_err(|detail| journal::JournalError::Refused {
                    at: "identity".to_owned(),
                    detail,
                })?;
        }
        Ok(identity)
    }

    /// A writer recording as `identity` (a drill's simulated teammate).
    pub fn open_as(
        &self,
        identity: journal::Identity,
    ) -> Result<crate::store::Writer, journal::JournalError> {
        if let Some(db) = &self.database {
            return Ok(crate::store::Writer::database(
                db,
                identity,
                self.key.clone(),
                &self.path,
            ));
        }
        let options = crate::store::Options {
            key: self.key.clone(),
            group: self.group,
        };
        crate::store::Writer::open(&self.path, identity, options)
    }

    /// The journal, for reading.
    pub fn journal(&self) -> crate::store::Journal {
        match &self.database {
            Some(db) => crate::store::Journal::Postgres(db.clone()),
            None => crate::store::Journal::File(self.path.clone()),
        }
    }

    /// The journal as named to a person: its path, or its URL without a
    /// password.
    pub fn shown(&self) -> String {
        match &self.database {
            Some(db) => db.shown().to_owned(),
            None => self.path.display().to_string(),
        }
    }
}

/// Where this host keeps, for a database journal, what lives beside a
/// journal file: `$XDG_STATE_HOME/runbook/db/<host>-<port>-<db>/journal`.
fn side_path(target: &pg::Target) -> PathBuf {
    let host = match target.config.get_hosts().first() {
        Some(tokio_postgres::config::Host::Tcp(h)) => h.clone(),
        _ => "local".to_owned(),
    };
    let port = target.config.get_ports().first().copied().unwrap_or(5432);
    let db = target.config.get_dbname().unwrap_or("postgres");
    let name: String = format!("{host}-{port}-{db}")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    // This host's state folder, never one named after the journal's URL
    // (RUNBOOK_JOURNAL holds it) in the working directory.
    journal::state_dir(env)
        .unwrap_or_else(|| PathBuf::from("."))
        .join("db")
        .join(name)
        .join("journal")
}
