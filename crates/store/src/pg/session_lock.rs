//! Locks that hold for a whole database journal, whatever host takes them:
//! the notification sender's and `runbook watch`'s. A lock file beside
//! the journal only covers one host, and operators on several bastions
//! share one database. Each lock is a session-level advisory lock on a
//! connection of its own, so a process that dies or loses the database
//! lets go of it with its connection.

use super::link::Link;
use super::schema::SESSION_LOCKS;
use super::target::Target;
use crate::journal::JournalError;

/// One of the journal's session locks.
#[derive(Debug)]
pub struct SessionLock {
    link: Link,
    key: i32,
    held: bool,
}

impl SessionLock {
    /// The lock `key` (one of `schema`'s) of the database at `target`.
    pub fn new(target: &Target, key: i32) -> Self {
        SessionLock {
            link: Link::new(target.clone()),
            key,
            held: false,
        }
    }

    /// Takes the lock unless another session holds it. Asked again while
    /// held, it checks that this session still has it: a connection that
    /// was lost and made again holds nothing until it takes it anew.
    pub fn try_take(&mut self) -> Result<bool, JournalError> {
        let key = self.key;
        let class = u32::try_from(SESSION_LOCKS).unwrap_or_default();
        let object = u32::try_from(key).unwrap_or_default();
        let taken = self.link.call(move |client| async move {
            client
                .query_one(
                    "SELECT CASE WHEN EXISTS (
                         SELECT 1 FROM pg_locks
                          WHERE locktype = 'advisory' AND granted
                            AND pid = pg_backend_pid()
                            AND classid = $3 AND objid = $4 AND objsubid = 2)
                     THEN true ELSE pg_try_advisory_lock($1, $2) END",
                    &[&SESSION_LOCKS, &key, &class, &object],
                )
                .await
                .map(|row| row.get::<_, bool>(0))
        });
        self.held = matches!(taken, Ok(true));
        taken
    }

    pub fn held(&self) -> bool {
        self.held
    }

    /// Lets the lock go. Should the database not answer, the connection is
    /// dropped, which lets it go as well.
    pub fn release(&mut self) {
        if !self.held {
            return;
        }
        self.held = false;
        let key = self.key;
        let released = self.link.call(move |client| async move {
            client
                .query_one("SELECT pg_advisory_unlock($1, $2)", &[&SESSION_LOCKS, &key])
                .await
                .map(|row| row.get::<_, bool>(0))
        });
        if !matches!(released, Ok(true)) {
            self.link.drop_connection();
        }
    }

    /// Whether another session holds the lock now (this one never takes
    /// it: a front end asking whether a watch runs).
    pub fn held_elsewhere(&self) -> Result<bool, JournalError> {
        let key = self.key;
        self.link.call(move |client| async move {
            client
                .query_one(
                    "SELECT CASE WHEN pg_try_advisory_lock($1, $2)
                     THEN NOT pg_advisory_unlock($1, $2) ELSE true END",
                    &[&SESSION_LOCKS, &key],
                )
                .await
                .map(|row| row.get::<_, bool>(0))
        })
    }

    /// The lock in words: the database (password never shown) and its key.
    pub fn shown(&self) -> String {
        format!(
            "advisory lock ({SESSION_LOCKS}, {}) on {}",
            self.key,
            self.link.target().shown
        )
    }
}
