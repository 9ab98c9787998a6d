//! Appending to a database journal: in one transaction, take the
//! appenders' advisory lock, read the head, let the caller decide against
//! it, insert the sealed lines after it, announce the new head, commit.
//! Only a commit the server confirmed is reported as recorded. When the
//! connection is lost with the commit's outcome unknown, the batch's last
//! hash is looked up once the database answers again: found, it was
//! recorded; not found, it was not, and the caller is told so.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use super::Database;
use super::link::Link;
use super::schema::{CHANNEL, LOCK, TABLE};
use crate::journal::chain::{self, Head, Sealed};
use crate::journal::{Appended, Identity, JournalError, Record, Stamp};

/// How often an append that met a concurrent appender (a client not taking
/// the lock) is tried again.
const CONFLICT_RETRIES: usize = 5;

#[derive(Debug)]
pub struct PgWriter {
    /// The writer's own connection: its transactions are its own.
    link: Link,
    /// A reader of the same database, shared.
    db: Database,
    key: Option<Vec<u8>>,
    identity: Identity,
    side: PathBuf,
    /// The server's time at the last transaction's start, and this host's
    /// then: entries are dated, and gates judged, by the server's.
    server: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

impl PgWriter {
    pub fn new(db: Database, identity: Identity, key: Option<Vec<u8>>, side: &Path) -> Self {
        PgWriter {
            link: Link::new(db.target().clone()),
            db,
            key,
            identity,
            side: side.to_path_buf(),
            server: None,
        }
    }

    pub fn side(&self) -> &Path {
        &self.side
    }

    pub fn key(&self) -> Option<&[u8]> {
        self.key.as_deref()
    }

    pub fn identity(&self) -> &Identity {
        &self.identity
    }

    pub fn shown(&self) -> &str {
        &self.link.target().shown
    }

    /// Opens the transaction, takes the appenders' lock and reads the
    /// head, with the time of its entry, and the server's time now.
    fn begin(&mut self) -> Result<(Option<Head>, Option<DateTime<Utc>>), JournalError> {
        let read = self.link.call(|client| async move {
            client.batch_execute("BEGIN").await?;
            client
                .execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK])
                .await?;
            let sql = format!("SELECT line FROM {TABLE} ORDER BY seq DESC LIMIT 1");
            let row = client.query_opt(&sql, &[]).await?;
            let now = format!("SELECT {}", super::schema::micros("clock_timestamp()"));
            let server = client.query_one(&now, &[]).await?.get::<_, i64>(0);
            Ok((row.map(|r| r.get::<_, Vec<u8>>(0)), server))
        });
        let (line, server) = read.map_err(|e| super::missing_table(self.shown(), e))?;
        self.server = DateTime::from_timestamp_micros(server).map(|at| (at, Utc::now()));
        let head = line
            .as_deref()
            .map(|line| {
                crate::file::head_of(line).ok_or_else(|| JournalError::Refused {
                    at: self.shown().to_owned(),
                    detail: "its last row is not a journal entry".into(),
                })
            })
            .transpose()
            .inspect_err(|_| self.rollback())?;
        Ok((head, line.as_deref().and_then(chain::time_of)))
    }

    fn rollback(&self) {
        if self
            .link
            .call(|client| async move { client.batch_execute("ROLLBACK").await })
            .is_err()
        {
            // A connection that cannot roll back is closed: the server
            // rolls the transaction back itself.
            self.link.drop_connection();
        }
    }

    /// Inserts the lines, announces the head and commits.
    fn insert(&self, sealed: &[Sealed]) -> Result<(), JournalError> {
        let seqs: Vec<i64> = sealed
            .iter()
            .map(|s| i64::try_from(s.seq).unwrap_or(i64::MAX))
            .collect();
        let hashes: Vec<String> = sealed.iter().map(|s| s.hash.clone()).collect();
        let lines: Vec<Vec<u8>> = sealed
            .iter()
            .map(|s| s.line.strip_suffix(b"\n").unwrap_or(&s.line).to_vec())
            .collect();
        let last = seqs.last().copied().unwrap_or_default().to_string();
        self.link.call(move |client| async move {
            let sql = format!(
                "INSERT INTO {TABLE} (seq, hash, line) \
                 SELECT * FROM unnest($1::bigint[], $2::text[], $3::bytea[])"
            );
            client.execute(&sql, &[&seqs, &hashes, &lines]).await?;
            client
                .execute("SELECT pg_notify($1, $2)", &[&CHANNEL, &last])
                .await?;
            client.batch_execute("COMMIT").await
        })
    }

    /// Whether an entry with `hash` is in the journal.
    fn holds(&self, hash: &str) -> Result<bool, JournalError> {
        let hash = hash.to_owned();
        self.link.call(move |client| async move {
            let sql = format!("SELECT 1 FROM {TABLE} WHERE hash = $1");
            Ok(client.query_opt(&sql, &[&hash]).await?.is_some())
        })
    }

    /// As the file's: `decide` runs with the lock held and the head read,
    /// so what it decided on is still the head when its entries land.
    pub fn append_decided<E: From<JournalError>>(
        &mut self,
        now: Stamp,
        mut decide: impl FnMut(DateTime<Utc>) -> Result<Vec<Record>, E>,
    ) -> Result<Vec<Appended>, E> {
        let mut tries = 0;
        loop {
            let (head, floor) = self.begin()?;
            let server = self.server.map(|(server, _)| server);
            let now = server.map_or(now, |at| now.by_server(at)).not_before(floor);
            let records = match decide(now.run_time()) {
                Ok(records) if records.is_empty() => {
                    self.rollback();
                    return Ok(Vec::new());
                }
                Ok(records) => records,
                Err(refused) => {
                    self.rollback();
                    return Err(refused);
                }
            };
            let mut batch = Vec::with_capacity(records.len() + 1);
            batch.extend(chain::genesis(head.as_ref(), self.key.is_some()));
            batch.extend(records.iter().cloned());
            let sealed = chain::seal_batch(head.as_ref(), &batch, &self.identity, self.key(), now)
                .map_err(|e| JournalError::Refused {
                    at: self.shown().to_owned(),
                    detail: e.to_string(),
                })?;
            match self.insert(&sealed) {
                Ok(()) => return Ok(chain::appended(&sealed, records.len(), now.real)),
                Err(JournalError::Refused { detail, .. })
                    if detail.contains("(23505)") && tries < CONFLICT_RETRIES =>
                {
                    // Another appender took the place: decide again on the
                    // new head.
                    tries += 1;
                    self.rollback();
                }
                Err(e) if e.is_transient() => {
                    return self
                        .settle(&sealed, records.len(), now.real, e)
                        .map_err(E::from);
                }
                Err(e) => {
                    self.rollback();
                    return Err(e.into());
                }
            }
        }
    }

    /// The connection was lost around the commit: the batch is recorded
    /// if its last hash is in the journal now (the lookup connects again).
    fn settle(
        &self,
        sealed: &[Sealed],
        asked: usize,
        now: DateTime<Utc>,
        lost: JournalError,
    ) -> Result<Vec<Appended>, JournalError> {
        let recorded = sealed
            .last()
            .is_some_and(|last| matches!(self.holds(&last.hash), Ok(true)));
        if recorded {
            Ok(chain::appended(sealed, asked, now))
        } else {
            Err(lost)
        }
    }

    /// Appends `records`, decided already.
    pub fn append(
        &mut self,
        records: &[Record],
        now: Stamp,
    ) -> Result<Vec<Appended>, JournalError> {
        self.append_decided(now, |_| Ok::<_, JournalError>(records.to_vec()))
    }

    /// Appends lines sealed elsewhere (an import), after `expected`: the
    /// head the caller read; refused if another appender moved it.
    pub fn append_sealed(
        &mut self,
        expected: Option<&Head>,
        sealed: &[Sealed],
    ) -> Result<(), JournalError> {
        let (head, _) = self.begin()?;
        if head.as_ref() != expected {
            self.rollback();
            return Err(JournalError::Refused {
                at: self.shown().to_owned(),
                detail: "another appender wrote to it during the import".into(),
            });
        }
        match self.insert(sealed) {
            Ok(()) => Ok(()),
            Err(e) => {
                self.rollback();
                Err(e)
            }
        }
    }

    /// How far this host's clock is from the server's, when it is more
    /// than a minute: said to the operator at once, since every entry is
    /// dated, and every gate judged, by the server's.
    pub fn clock_off(&self) -> Option<chrono::TimeDelta> {
        let (server, here) = self.server?;
        let off = here - server;
        (off.abs() > chrono::TimeDelta::minutes(1)).then_some(off)
    }

    /// A reader of the same database.
    pub fn database(&self) -> Database {
        self.db.clone()
    }
}
