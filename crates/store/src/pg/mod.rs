//! A journal kept in PostgreSQL: the same canonical lines as a file, one
//! row each, so hashes, verification and export are the same. Appends
//! serialise on an advisory lock inside one transaction and are
//! acknowledged only after commit; readers learn of new entries through
//! LISTEN/NOTIFY (a head, never the entries) with a slow poll behind it.

mod append;
mod link;
mod listen;
pub mod schema;
mod session_lock;
pub mod target;
mod tls;

use std::ops::ControlFlow;
use std::sync::Arc;

pub use append::PgWriter;
pub use link::Link;
pub use session_lock::SessionLock;
pub use target::{Target, is_database};

use crate::journal::JournalError;
use crate::journal::chain::Head;

/// How many rows one read fetches: about 400 KB of lines, so that reading
/// a long journal stays within a few hundred KiB of an empty one's memory
/// (round trips are cheap beside what a row costs to fold).
const BATCH: i64 = 1_000;

/// A database journal, for reading: cheap to clone (one connection and one
/// listener shared by the clones).
#[derive(Debug, Clone)]
pub struct Database {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    link: Link,
    listen: listen::Listen,
    /// Whether the table has the login column, once asked.
    logins: std::sync::OnceLock<bool>,
}

impl Database {
    pub fn new(target: Target) -> Self {
        Database {
            shared: Arc::new(Shared {
                listen: listen::Listen::new(target.clone()),
                link: Link::new(target),
                logins: std::sync::OnceLock::new(),
            }),
        }
    }

    pub fn target(&self) -> &Target {
        self.shared.link.target()
    }

    pub fn shown(&self) -> &str {
        &self.target().shown
    }

    /// Gives each line from sequence `from` on, in order, to `each`, until
    /// the end or until `each` breaks; returns the next sequence to read
    /// and whether it broke.
    pub fn scan(
        &self,
        from: u64,
        mut each: impl FnMut(u64, &[u8]) -> ControlFlow<()>,
    ) -> Result<(u64, bool), JournalError> {
        self.scan_rows(from, false, |seq, line, _| each(seq, line))
    }

    /// Gives each line of sequence `from` up to `until` (excluded) that
    /// holds one of `needles` (a handful) to `each`, in order: the server
    /// looks, and sends only those rows.
    pub fn scan_naming(
        &self,
        mut from: u64,
        until: u64,
        needles: Vec<&[u8]>,
        mut each: impl FnMut(u64, &[u8]),
    ) -> Result<(), JournalError> {
        let needles: Vec<Vec<u8>> = needles.into_iter().map(<[u8]>::to_vec).collect();
        let any: Vec<String> = (0..needles.len())
            .map(|n| format!("position(${} in line) > 0", n + 4))
            .collect();
        let sql = std::sync::Arc::new(format!(
            "SELECT seq, line FROM {} WHERE seq >= $1 AND seq < $2 AND ({}) \
             ORDER BY seq LIMIT $3",
            schema::TABLE,
            any.join(" OR ")
        ));
        let needles = std::sync::Arc::new(needles);
        let end = i64::try_from(until).unwrap_or(i64::MAX);
        while from < until {
            let start = i64::try_from(from).unwrap_or(i64::MAX);
            let (sql, needles) = (sql.clone(), needles.clone());
            let rows = self.shared.link.call(move |client| async move {
                let mut params: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> =
                    vec![&start, &end, &BATCH];
                params.extend(
                    needles
                        .iter()
                        .map(|n| n as &(dyn tokio_postgres::types::ToSql + Sync)),
                );
                client.query(sql.as_str(), &params).await
            })?;
            let full = i64::try_from(rows.len()).is_ok_and(|n| n == BATCH);
            for row in &rows {
                let seq = u64::try_from(row.get::<_, i64>(0)).unwrap_or_default();
                from = seq + 1;
                each(seq, row.get::<_, &[u8]>(1));
            }
            if !full {
                break;
            }
        }
        Ok(())
    }

    /// As `scan`, each line with what the server recorded for its row:
    /// the login (`None` for rows written before `journal init` added the
    /// column) and the time it stamped the row with.
    pub fn scan_logins(
        &self,
        mut each: impl FnMut(&[u8], Option<&str>, Option<chrono::DateTime<chrono::Utc>>),
    ) -> Result<(), JournalError> {
        let logins = self.has_logins()?;
        self.scan_rows(0, logins, |_, line, row| {
            each(line, row.login, row.stamped);
            ControlFlow::Continue(())
        })
        .map(|_| ())
    }

    /// Whether the table has the server-filled login column (asked once
    /// per process: `audit show` asks for every batch).
    pub fn has_logins(&self) -> Result<bool, JournalError> {
        if let Some(known) = self.shared.logins.get() {
            return Ok(*known);
        }
        let found = self
            .shared
            .link
            .call(|client| async move {
                let sql = "SELECT 1 FROM information_schema.columns \
                           WHERE table_name = $1 AND column_name = $2";
                let row = client
                    .query_opt(sql, &[&schema::TABLE, &schema::LOGIN])
                    .await?;
                Ok(row.is_some())
            })
            .map_err(|e| self.missing_table(e))?;
        Ok(*self.shared.logins.get_or_init(|| found))
    }

    /// The login recorded for each of `seqs`, where there is one.
    pub fn logins(&self, seqs: &[u64]) -> Result<Vec<(u64, String)>, JournalError> {
        if seqs.is_empty() || !self.has_logins()? {
            return Ok(Vec::new());
        }
        let seqs: Vec<i64> = seqs.iter().filter_map(|s| i64::try_from(*s).ok()).collect();
        self.shared.link.call(move |client| async move {
            let sql = format!(
                "SELECT seq, {} FROM {} WHERE seq = ANY($1) AND {} IS NOT NULL",
                schema::LOGIN,
                schema::TABLE,
                schema::LOGIN
            );
            let rows = client.query(&sql, &[&seqs]).await?;
            Ok(rows
                .iter()
                .map(|r| {
                    let seq = u64::try_from(r.get::<_, i64>(0)).unwrap_or_default();
                    (seq, r.get::<_, String>(1))
                })
                .collect())
        })
    }
}

/// What the server recorded of a row beside its line.
struct Row<'r> {
    login: Option<&'r str>,
    stamped: Option<chrono::DateTime<chrono::Utc>>,
}

impl Database {
    fn scan_rows(
        &self,
        mut from: u64,
        logins: bool,
        mut each: impl FnMut(u64, &[u8], Row<'_>) -> ControlFlow<()>,
    ) -> Result<(u64, bool), JournalError> {
        let login = if logins { schema::LOGIN } else { "NULL::text" };
        loop {
            let start = i64::try_from(from).unwrap_or(i64::MAX);
            let rows = self.shared.link.call(move |client| async move {
                let sql = format!(
                    "SELECT seq, line, {login}, {} FROM {} WHERE seq >= $1 ORDER BY seq LIMIT $2",
                    schema::micros("committed_at"),
                    schema::TABLE
                );
                client.query(&sql, &[&start, &BATCH]).await
            });
            let rows = rows.map_err(|e| self.missing_table(e))?;
            let full = i64::try_from(rows.len()).is_ok_and(|n| n == BATCH);
            // Each line is read where the row holds it: a batch is in
            // memory once.
            for row in &rows {
                let seq = u64::try_from(row.get::<_, i64>(0)).unwrap_or_default();
                from = seq + 1;
                let line = row.get::<_, &[u8]>(1);
                let stamped = row
                    .get::<_, Option<i64>>(3)
                    .and_then(chrono::DateTime::from_timestamp_micros);
                let login = row.get::<_, Option<&str>>(2);
                if each(seq, line, Row { login, stamped }).is_break() {
                    return Ok((from, true));
                }
            }
            if !full {
                return Ok((from, false));
            }
        }
    }

    /// The last entry's sequence and hash, read from its line.
    pub fn head(&self) -> Result<Option<Head>, JournalError> {
        let line = self
            .shared
            .link
            .call(|client| async move {
                let sql = format!(
                    "SELECT line FROM {} ORDER BY seq DESC LIMIT 1",
                    schema::TABLE
                );
                let row = client.query_opt(&sql, &[]).await?;
                Ok(row.map(|r| r.get::<_, Vec<u8>>(0)))
            })
            .map_err(|e| self.missing_table(e))?;
        line.map(|line| {
            crate::file::head_of(&line).ok_or_else(|| JournalError::Refused {
                at: self.shown().to_owned(),
                detail: "its last row is not a journal entry".into(),
            })
        })
        .transpose()
    }

    /// The first entry's line, `None` for an empty journal.
    pub fn first(&self) -> Result<Option<Vec<u8>>, JournalError> {
        self.shared
            .link
            .call(|client| async move {
                let sql = format!("SELECT line FROM {} ORDER BY seq LIMIT 1", schema::TABLE);
                let row = client.query_opt(&sql, &[]).await?;
                Ok(row.map(|r| r.get::<_, Vec<u8>>(0)))
            })
            .map_err(|e| self.missing_table(e))
    }

    /// The index's bytes, `None` when none was written (or the journal is
    /// from before the index's table: `journal init` adds it).
    pub fn index(&self) -> Result<Option<Vec<u8>>, JournalError> {
        let read = self.shared.link.call(|client| async move {
            let sql = format!("SELECT body FROM {} WHERE id = 1", schema::INDEX);
            let row = client.query_opt(&sql, &[]).await?;
            Ok(row.map(|r| r.get::<_, Vec<u8>>(0)))
        });
        match read {
            Err(e) if is_absent_table(&e) => {
                tracing::warn!(
                    "the database journal has no index table: run `runbook journal init`"
                );
                Ok(None)
            }
            other => other,
        }
    }

    /// Writes the index whole, in one statement: a reader sees the old
    /// or the new.
    pub fn write_index(&self, body: Vec<u8>) -> Result<(), JournalError> {
        self.shared.link.call(move |client| async move {
            let sql = format!(
                "INSERT INTO {} (id, body) VALUES (1, $1) \
                 ON CONFLICT (id) DO UPDATE SET body = excluded.body, written_at = clock_timestamp()",
                schema::INDEX
            );
            client.execute(&sql, &[&body]).await.map(|_| ())
        })
    }

    /// The lines of entries `seqs`, in order of sequence.
    pub fn lines_at(&self, seqs: &[u64]) -> Result<Vec<(u64, Vec<u8>)>, JournalError> {
        let seqs: Vec<i64> = seqs.iter().filter_map(|s| i64::try_from(*s).ok()).collect();
        self.shared.link.call(move |client| async move {
            let sql = format!(
                "SELECT seq, line FROM {} WHERE seq = ANY($1) ORDER BY seq",
                schema::TABLE
            );
            let rows = client.query(&sql, &[&seqs]).await?;
            Ok(rows
                .iter()
                .map(|r| {
                    let seq = u64::try_from(r.get::<_, i64>(0)).unwrap_or_default();
                    (seq, r.get::<_, Vec<u8>>(1))
                })
                .collect())
        })
    }

    /// Appends part `part` of the output of the command started at entry
    /// `started`; the database refuses a part that is not the next one.
    pub fn write_output_part(
        &self,
        started: u64,
        part: u32,
        chunk: Vec<u8>,
    ) -> Result<(), JournalError> {
        let started = i64::try_from(started).unwrap_or(i64::MAX);
        let part = i32::try_from(part).unwrap_or(i32::MAX);
        self.shared.link.call(move |client| async move {
            let sql = format!(
                "INSERT INTO {} (started, part, chunk) VALUES ($1, $2, $3)",
                schema::OUTPUT
            );
            client
                .execute(&sql, &[&started, &part, &chunk])
                .await
                .map(|_| ())
        })
    }

    /// Gives each part of the output of the command started at `started`,
    /// in order, to `each`, a few at a time; returns how many there were
    /// (0: the database holds none, or the journal is from before outputs
    /// were kept in it).
    pub fn read_output(
        &self,
        started: u64,
        each: impl FnMut(&[u8]) -> std::io::Result<()>,
    ) -> Result<u32, JournalError> {
        self.read_output_from(started, 0, each)
    }

    /// As `read_output`, from part `first` on; returns the number of the
    /// part after the last.
    pub fn read_output_from(
        &self,
        started: u64,
        first: u32,
        mut each: impl FnMut(&[u8]) -> std::io::Result<()>,
    ) -> Result<u32, JournalError> {
        const PARTS: i32 = 16;
        let start = i64::try_from(started).unwrap_or(i64::MAX);
        let mut next = i32::try_from(first).unwrap_or(i32::MAX);
        loop {
            let from = next;
            let read = self.shared.link.call(move |client| async move {
                let sql = format!(
                    "SELECT part, chunk FROM {} WHERE started = $1 AND part >= $2 \
                     ORDER BY part LIMIT $3",
                    schema::OUTPUT
                );
                let limit = i64::from(PARTS);
                client.query(&sql, &[&start, &from, &limit]).await
            });
            let rows = match read {
                Err(e) if is_absent_table(&e) => return Ok(0),
                other => other?,
            };
            let full = rows.len() == PARTS as usize;
            for row in &rows {
                let (part, chunk) = (row.get::<_, i32>(0), row.get::<_, &[u8]>(1));
                if part != next {
                    return Err(JournalError::Damaged {
                        path: std::path::PathBuf::from(self.shown()),
                        detail: format!("output of #{started}: part {next} is missing"),
                    });
                }
                each(chunk).map_err(|e| JournalError::Damaged {
                    path: std::path::PathBuf::from(self.shown()),
                    detail: format!("output of #{started}: {e}"),
                })?;
                next += 1;
            }
            if !full {
                return Ok(u32::try_from(next).unwrap_or_default());
            }
        }
    }

    /// How many parts of the output of the command started at `started`
    /// the database holds.
    pub fn output_parts(&self, started: u64) -> Result<u32, JournalError> {
        let start = i64::try_from(started).unwrap_or(i64::MAX);
        let count = self.shared.link.call(move |client| async move {
            let sql = format!("SELECT count(*) FROM {} WHERE started = $1", schema::OUTPUT);
            let row = client.query_one(&sql, &[&start]).await?;
            Ok(row.get::<_, i64>(0))
        });
        match count {
            Err(e) if is_absent_table(&e) => Ok(0),
            other => Ok(u32::try_from(other?).unwrap_or(u32::MAX)),
        }
    }

    /// Starts listening for new heads (once; later calls do nothing).
    pub fn listen(&self) {
        self.shared.listen.start();
    }

    /// What the listener has heard so far, when it is connected; `None`
    /// when it is not (readers must poll).
    pub fn generation(&self) -> Option<u64> {
        self.shared.listen.generation()
    }

    /// A receiver woken at each announced head.
    pub fn changes(&self) -> tokio::sync::watch::Receiver<u64> {
        self.shared.listen.subscribe()
    }

    /// Says "not initialised" in words when the table is missing.
    fn missing_table(&self, e: JournalError) -> JournalError {
        missing_table(self.shown(), e)
    }
}

/// A table `journal init` creates is not there yet (a journal from
/// before it): what it would hold is absent, not an error.
fn is_absent_table(e: &JournalError) -> bool {
    matches!(e, JournalError::Refused { detail, .. } if detail.contains("(42P01)"))
}

fn missing_table(shown: &str, e: JournalError) -> JournalError {
    match e {
        JournalError::Refused { at, detail } if detail.contains("(42P01)") => {
            JournalError::Refused {
                at,
                detail: format!(
                    "it has no runbook journal yet: run `runbook journal init --journal {shown}`"
                ),
            }
        }
        other => other,
    }
}

/// Creates the schema (idempotent), and grants `role` read and append.
pub fn init(target: &Target, role: Option<&str>) -> Result<(), JournalError> {
    let link = Link::new(target.clone());
    let mut sql = schema::CREATE.to_owned();
    if let Some(role) = role {
        sql.push_str(&schema::grant(role));
    }
    link.call(move |client| async move { client.batch_execute(&sql).await })
}

/// Every line of a database journal as a byte stream, each with its
/// newline, fetched a batch at a time: what a file reader would read.
#[derive(Debug)]
pub struct Lines {
    db: Database,
    next: u64,
    buf: Vec<u8>,
    at: usize,
    done: bool,
}

impl Lines {
    pub fn new(db: Database) -> Self {
        Lines {
            db,
            next: 0,
            buf: Vec::new(),
            at: 0,
            done: false,
        }
    }
}

impl std::io::Read for Lines {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.at == self.buf.len() && !self.done {
            self.buf.clear();
            self.at = 0;
            let mut count = 0;
            let buf = &mut self.buf;
            let (next, _) = self
                .db
                .scan(self.next, |_, line| {
                    buf.extend_from_slice(line);
                    buf.push(b'\n');
                    count += 1;
                    if count >= BATCH {
                        ControlFlow::Break(())
                    } else {
                        ControlFlow::Continue(())
                    }
                })
                .map_err(|e| std::io::Error::other(e.to_string()))?;
            self.next = next;
            self.done = count == 0;
        }
        let n = out.len().min(self.buf.len() - self.at);
        out[..n].copy_from_slice(&self.buf[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}
