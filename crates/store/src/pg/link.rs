//! One connection to the database, reconnected with backoff when lost, and
//! called from ordinary (blocking) code: the journal's callers are
//! synchronous, so each query runs on the store's own runtime thread and
//! the caller waits for its answer with a deadline. A connection lost in
//! the middle of a call is dropped; the next call connects again, no
//! sooner than the backoff allows.

use std::future::Future;
use std::sync::mpsc;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use tokio_postgres::Client;

use super::target::Target;
use crate::journal::JournalError;

/// How long a query may take before the connection is given up.
const ANSWER_WITHIN: Duration = Duration::from_secs(10);
const FIRST_BACKOFF: Duration = Duration::from_millis(250);
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// The store's runtime: one thread, started on first use, that drives
/// every connection of the process.
pub fn runtime() -> Result<&'static tokio::runtime::Handle, JournalError> {
    static RUNTIME: OnceLock<Option<tokio::runtime::Handle>> = OnceLock::new();
    RUNTIME
        .get_or_init(|| {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            let handle = runtime.handle().clone();
            std::thread::Builder::new()
                .name("runbook-pg".into())
                .spawn(move || runtime.block_on(std::future::pending::<()>()))
                .ok()?;
            Some(handle)
        })
        .as_ref()
        .ok_or_else(|| JournalError::Unreachable {
            at: "PostgreSQL".into(),
            detail: "could not start the database thread".into(),
        })
}

/// Runs `future` on the store's runtime and waits for it, at most `within`.
pub fn block_on<T: Send + 'static>(
    future: impl Future<Output = T> + Send + 'static,
    within: Duration,
) -> Result<Option<T>, JournalError> {
    let (tx, rx) = mpsc::sync_channel(1);
    runtime()?.spawn(async move {
        let answer = tokio::time::timeout(within, future).await.ok();
        let _ = tx.send(answer);
    });
    // The task always answers (its timeout sees to it); a closed channel
    // means the runtime itself is gone.
    Ok(rx.recv().ok().flatten())
}

#[derive(Debug)]
struct State {
    client: Option<Arc<Client>>,
    /// No new attempt before this, after a failed one.
    retry_at: Option<Instant>,
    backoff: Duration,
    last_error: String,
}

/// A reconnecting connection.
#[derive(Debug)]
pub struct Link {
    target: Target,
    state: Mutex<State>,
}

impl Link {
    pub fn new(target: Target) -> Self {
        Link {
            target,
            state: Mutex::new(State {
                client: None,
                retry_at: None,
                backoff: FIRST_BACKOFF,
                last_error: String::new(),
            }),
        }
    }

    pub fn target(&self) -> &Target {
        &self.target
    }

    fn unreachable(&self, detail: impl Into<String>) -> JournalError {
        JournalError::Unreachable {
            at: self.target.shown.clone(),
            detail: detail.into(),
        }
    }

    /// The live client, connecting if there is none and the backoff allows.
    fn client(&self) -> Result<Arc<Client>, JournalError> {
        let mut state = self
            .state
            .lock()
            .map_err(|_| self.unreachable("a thread panicked holding the connection"))?;
        if let Some(client) = &state.client {
            if !client.is_closed() {
                return Ok(client.clone());
            }
            state.client = None;
        }
        if let Some(at) = state.retry_at
            && Instant::now() < at
        {
            return Err(self.unreachable(state.last_error.clone()));
        }
        match connect(&self.target) {
            Ok(client) => {
                let client = Arc::new(client);
                state.client = Some(client.clone());
                state.retry_at = None;
                state.backoff = FIRST_BACKOFF;
                Ok(client)
            }
            Err(e) => {
                state.retry_at = Some(Instant::now() + state.backoff);
                state.backoff = (state.backoff * 2).min(MAX_BACKOFF);
                state.last_error.clone_from(&e);
                Err(self.unreachable(e))
            }
        }
    }

    /// Forgets the connection: the next call makes a new one.
    pub fn drop_connection(&self) {
        if let Ok(mut state) = self.state.lock() {
            state.client = None;
        }
    }

    /// Runs one exchange with the database. A lost connection or no answer
    /// in time is `Unreachable` (and the connection is dropped: whatever
    /// transaction it held is rolled back by the server); an answer of the
    /// server's is `Refused`, but for those that a failover or restart
    /// cures, which are `Unreachable` too.
    pub fn call<T, F, Fut>(&self, exchange: F) -> Result<T, JournalError>
    where
        T: Send + 'static,
        F: FnOnce(Arc<Client>) -> Fut,
        Fut: Future<Output = Result<T, tokio_postgres::Error>> + Send + 'static,
    {
        let client = self.client()?;
        let answer = block_on(exchange(client), ANSWER_WITHIN)?;
        match answer {
            Some(Ok(value)) => Ok(value),
            Some(Err(e)) => {
                let error = classify(&self.target, &e);
                if error.is_transient() {
                    self.drop_connection();
                }
                Err(error)
            }
            None => {
                self.drop_connection();
                Err(self.unreachable(format!("no answer within {} s", ANSWER_WITHIN.as_secs())))
            }
        }
    }
}

/// A new connection, its driving task spawned on the store's runtime.
pub fn connect(target: &Target) -> Result<Client, String> {
    let (tls, mode) = super::tls::connector(target)?;
    let mut config = target.config.clone();
    config.ssl_mode(mode);
    let timeout = config
        .get_connect_timeout()
        .copied()
        .unwrap_or(Duration::from_secs(5));
    let connected = block_on(
        async move {
            let (client, connection) = config.connect(tls).await?;
            tokio::spawn(async move {
                if let Err(e) = connection.await {
                    tracing::debug!("journal database connection ended: {e}");
                }
            });
            Ok::<_, tokio_postgres::Error>(client)
        },
        timeout + Duration::from_secs(1),
    )
    .map_err(|e| e.to_string())?;
    match connected {
        Some(Ok(client)) => Ok(client),
        Some(Err(e)) => Err(describe(&e)),
        None => Err(format!("no answer within {} s", timeout.as_secs())),
    }
}

/// The error in a line: the server's message when it sent one, else the
/// cause, never the password (tokio-postgres never puts it in an error).
pub fn describe(e: &tokio_postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        return format!("{} ({})", db.message(), db.code().code());
    }
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        text = format!("{text}: {cause}");
        source = cause.source();
    }
    text
}

fn classify(target: &Target, e: &tokio_postgres::Error) -> JournalError {
    let at = target.shown.clone();
    let detail = describe(e);
    let transient = match e.as_db_error() {
        // Class 08: connection; 57P: shutdown, crash, cannot connect now;
        // 25006: a read-only transaction (a standby, until failover).
        Some(db) => {
            let code = db.code().code();
            code.starts_with("08") || code.starts_with("57P") || code == "25006"
        }
        None => true,
    };
    if transient {
        JournalError::Unreachable { at, detail }
    } else {
        JournalError::Refused { at, detail }
    }
}
