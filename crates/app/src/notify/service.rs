//! The sending service: follows the journal into the ledger, sends what
//! is owed through one worker per target (in order, so a page is opened
//! before it is acknowledged), and journals each outcome. It runs on its
//! own thread with its own runtime: the console never waits on it, and
//! reads its status without blocking.
//!
//! One process sends for a journal at a time: the one holding the
//! journal's notify lock. `runbook watch` holds it for its whole life; a
//! console or line mode takes it only while it has something to send,
//! and leaves sending to a running watch.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;
use tokio::sync::{Notify, mpsc};

use super::deliver::{Attempt, Tools, attempt};
use super::lock::Lock;
use crate::catalog::Catalog;
use crate::catalog::notify::{Target, Trigger};
use crate::config::JournalSettings;
use crate::journal::Record;
use crate::outbox::{Ledger, Notice, Subject};
use crate::run::Event;
use crate::run::event::Delivery;
use crate::store::Writer;
use crate::store::read::Follower;

/// Attempts in one go before the process sets a notification aside.
const ATTEMPTS: u32 = 6;
/// How long a notification set aside waits before this process tries it
/// again (a later process tries it at once).
const COOLDOWN: Duration = Duration::from_secs(300);
const BACKOFF_BASE: Duration = Duration::from_secs(1);
const BACKOFF_CAP: Duration = Duration::from_secs(60);
const RETRY_AFTER_CAP: Duration = Duration::from_secs(600);

/// Who runs the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A console or line mode: sends only when no watch runs.
    Front,
    /// `runbook watch`: the journal's one sender.
    Watch,
}

#[derive(Debug)]
pub struct Setup {
    pub catalog: Catalog,
    pub journal: JournalSettings,
    pub lang: String,
    pub role: Role,
}

/// What the status line shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Status {
    pub sent: usize,
    pub pending: usize,
    /// Target → the last error, while it is being retried.
    pub retrying: BTreeMap<String, String>,
    /// Target → why it refused, or gave up.
    pub failed: BTreeMap<String, String>,
    /// Another process (a watch) does the sending.
    pub yielded: bool,
    /// The journal could not record a delivery.
    pub journal: Option<String>,
    /// The last entry the service has read.
    pub seen: Option<u64>,
}

/// The front end's side: the status to show, and a nudge after it
/// journals something, so notices go out without waiting for the tick.
#[derive(Debug, Clone)]
pub struct Handle {
    status: Arc<Mutex<Status>>,
    nudge: Arc<Notify>,
}

impl Handle {
    /// The status now, unless the service is writing it this instant.
    pub fn status(&self) -> Option<Status> {
        self.status.try_lock().ok().map(|s| s.clone())
    }

    pub fn nudge(&self) {
        self.nudge.notify_one();
    }

    /// Before a short-lived front end exits: gives the service up to
    /// `within` to read the journal to entry `upto` and deliver what is
    /// owed, unless a watch sends or a target is failing (then it is left
    /// to the watch or the next process, as it would be anyway).
    /// `waiting` is told once, with how many are owed, if it takes long
    /// enough for a person to wonder.
    pub fn settle(&self, upto: u64, within: Duration, waiting: impl FnOnce(usize)) {
        let start = Instant::now();
        let mut waiting = Some(waiting);
        self.nudge();
        loop {
            let status = self.status().unwrap_or_default();
            let read = status.seen.is_some_and(|seen| seen >= upto);
            let done =
                read && (status.pending == 0 || status.yielded || !status.retrying.is_empty());
            if done || start.elapsed() >= within {
                return;
            }
            if start.elapsed() >= SETTLE_QUIET
                && status.pending > 0
                && let Some(say) = waiting.take()
            {
                say(status.pending);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// How long a front end waits on its deliveries before saying so.
const SETTLE_QUIET: Duration = Duration::from_millis(300);

/// What a worker reports.
#[derive(Debug)]
enum Outcome {
    Sent { attempts: u32, answer: String },
    Refused { attempts: u32, error: String },
    SetAside { attempts: u32, error: String },
    Retrying { error: String },
}

/// Starts the service on its own thread; `None` when no target is
/// declared (nothing to send, no thread).
pub fn spawn(setup: Setup) -> Option<Handle> {
    if setup.catalog.notify.is_empty() {
        return None;
    }
    let handle = Handle {
        status: Arc::default(),
        nudge: Arc::new(Notify::new()),
    };
    let inner = handle.clone();
    let started = std::thread::Builder::new()
        .name("notify".into())
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build();
            match runtime {
                Ok(runtime) => runtime.block_on(serve(setup, &inner, &|_| {})),
                Err(e) => tracing::error!("notifications: cannot start: {e}"),
            }
        });
    if let Err(e) = started {
        tracing::error!("notifications: cannot start: {e}");
        return None;
    }
    Some(handle)
}

/// A fresh handle for a caller that runs `serve` itself (`runbook watch`).
pub fn handle() -> Handle {
    Handle {
        status: Arc::default(),
        nudge: Arc::new(Notify::new()),
    }
}

struct Service<'a> {
    setup: &'a Setup,
    ledger: Ledger,
    follower: Follower,
    writer: Option<Writer>,
    lock: Lock,
    watch_lock: Lock,
    queues: HashMap<String, mpsc::UnboundedSender<Notice>>,
    in_flight: HashMap<String, Notice>,
    set_aside: HashMap<String, Instant>,
    status: Status,
    said: &'a dyn Fn(String),
}

/// Runs until the runtime is dropped: the tick (one second), a nudge, or
/// a worker's report wakes it.
pub async fn serve(setup: Setup, handle: &Handle, said: &dyn Fn(String)) {
    let client = super::deliver::Http::default();
    let mut service = Service {
        ledger: Ledger::new(&setup.catalog, &setup.lang),
        follower: Follower::new(setup.journal.journal()),
        writer: None,
        lock: super::lock::notify(&setup.journal),
        watch_lock: super::lock::watch(&setup.journal),
        queues: HashMap::new(),
        in_flight: HashMap::new(),
        set_aside: HashMap::new(),
        status: Status::default(),
        said,
        setup: &setup,
    };
    let (reports_tx, mut reports) = mpsc::unbounded_channel::<(String, Outcome)>();
    let env = |name: &str| std::env::var(name).ok();
    let journal = setup.journal.shown();
    let tools = Tools {
        client: &client,
        words: crate::text::words(&setup.lang),
        env: &env,
        journal: &journal,
    };
    let workers = tokio::task::LocalSet::new();
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    workers
        .run_until(async {
            loop {
                tokio::select! {
                    _ = tick.tick() => {}
                    () = handle.nudge.notified() => {}
                    Some((key, outcome)) = reports.recv() => service.report(&key, outcome),
                }
                service.round(&tools, &reports_tx);
                if let Ok(mut shown) = handle.status.lock() {
                    shown.clone_from(&service.status);
                }
            }
        })
        .await;
}

impl Service<'_> {
    /// Reads what arrived, and sends what is owed, if this process is the
    /// one sending.
    fn round(&mut self, tools: &Tools<'_>, reports: &mpsc::UnboundedSender<(String, Outcome)>) {
        let catalog = &self.setup.catalog;
        let ledger = &mut self.ledger;
        let seen = &mut self.status.seen;
        if let Err(e) = self.follower.poll_each(|entry| {
            *seen = Some(entry.seq);
            ledger.push(&entry, catalog);
        }) {
            tracing::warn!("notifications: reading the journal: {e}");
        }
        let now = Utc::now();
        let owed: Vec<Notice> = self
            .ledger
            .owed(catalog, now)
            .into_iter()
            .filter(|n| !self.in_flight.contains_key(&n.key))
            .filter(|n| {
                self.set_aside
                    .get(&n.key)
                    .is_none_or(|since| since.elapsed() >= COOLDOWN)
            })
            .collect();
        self.status.pending = owed.len() + self.in_flight.len();
        if !self.may_send(!owed.is_empty()) {
            return;
        }
        // Taken the lock: what another sender journaled before letting go
        // is read before anything is sent again, announced or not (on a
        // database another host's announcement may still be on its way).
        let ledger = &mut self.ledger;
        let seen = &mut self.status.seen;
        if let Err(e) = self.follower.refresh_each(|entry| {
            *seen = Some(entry.seq);
            ledger.push(&entry, catalog);
        }) {
            tracing::warn!("notifications: reading the journal: {e}");
        }
        let still_owed: HashSet<String> = self
            .ledger
            .owed(catalog, now)
            .into_iter()
            .map(|n| n.key)
            .collect();
        for notice in owed.into_iter().filter(|n| still_owed.contains(&n.key)) {
            let Some(target) = catalog.notify.iter().find(|t| t.id == notice.target) else {
                continue;
            };
            self.set_aside.remove(&notice.key);
            self.in_flight.insert(notice.key.clone(), notice.clone());
            let queue = self
                .queues
                .entry(target.id.clone())
                .or_insert_with(|| worker(target.clone(), tools, reports.clone()));
            // The worker lives as long as the service: sending cannot fail.
            let _ = queue.send(notice);
        }
    }

    /// Whether this process sends now: a front end yields to a watch, and
    /// holds the lock only while it has something to send.
    fn may_send(&mut self, work: bool) -> bool {
        if self.setup.role == Role::Front && self.watch_lock.held_by_other() {
            if self.in_flight.is_empty() {
                self.lock.release();
            }
            self.status.yielded = true;
            return !self.in_flight.is_empty() && self.lock.held();
        }
        self.status.yielded = false;
        if !work && self.in_flight.is_empty() {
            if self.setup.role == Role::Front {
                self.lock.release();
            }
            return false;
        }
        if !self.lock.try_take() {
            self.status.yielded = true;
            return false;
        }
        true
    }

    /// A worker's report: journaled when final.
    fn report(&mut self, key: &str, outcome: Outcome) {
        let Some(notice) = self.in_flight.get(key).cloned() else {
            return;
        };
        let target = notice.target.clone();
        let event = match outcome {
            Outcome::Retrying { error } => {
                self.status.retrying.insert(target, error);
                return;
            }
            Outcome::Sent { attempts, answer } => {
                self.status.sent += 1;
                self.status.retrying.remove(&target);
                self.status.failed.remove(&target);
                (self.said)((self.words().delivered)(
                    &target,
                    notice.trigger.word(),
                    &answer,
                ));
                sent_event(&notice, attempts, answer)
            }
            Outcome::Refused { attempts, error } => {
                self.status.retrying.remove(&target);
                self.status.failed.insert(target.clone(), error.clone());
                (self.said)((self.words().gave_up)(
                    &target,
                    notice.trigger.word(),
                    &error,
                ));
                Event::NotificationFailed {
                    delivery: delivery(&notice, attempts, None),
                    error,
                    permanent: true,
                }
            }
            Outcome::SetAside { attempts, error } => {
                self.status.retrying.remove(&target);
                self.status.failed.insert(target.clone(), error.clone());
                (self.said)((self.words().gave_up)(
                    &target,
                    notice.trigger.word(),
                    &error,
                ));
                self.set_aside.insert(key.to_owned(), Instant::now());
                Event::NotificationFailed {
                    delivery: delivery(&notice, attempts, None),
                    error,
                    permanent: false,
                }
            }
        };
        match self.record(event) {
            Ok(()) => {
                self.status.journal = None;
            }
            Err(e) => {
                // Not recorded: sending it again would be a guess; set it
                // aside, and say the journal failed.
                tracing::error!("notifications: journal: {e}");
                self.status.journal = Some(e);
                self.set_aside.insert(key.to_owned(), Instant::now());
            }
        }
        self.in_flight.remove(key);
    }

    fn words(&self) -> &'static crate::text::words::notify::Notify {
        crate::text::words(&self.setup.lang).notify
    }

    fn record(&mut self, event: Event) -> Result<(), String> {
        if self.writer.is_none() {
            self.writer = Some(self.setup.journal.open().map_err(|e| e.to_string())?);
        }
        let Some(writer) = self.writer.as_mut() else {
            return Err("no journal".into());
        };
        let record = Record { run: None, event };
        match writer.append(&[record], Utc::now()) {
            Ok(_) => Ok(()),
            Err(e) => {
                self.writer = None;
                Err(e.to_string())
            }
        }
    }
}

fn delivery(notice: &Notice, attempts: u32, answer: Option<String>) -> Delivery {
    Delivery {
        target: notice.target.clone(),
        key: notice.key.clone(),
        trigger: notice.trigger.word().to_owned(),
        run: notice.run.as_ref().map(|r| r.id.clone()),
        about: notice.about,
        attempts,
        answer,
    }
}

fn sent_event(notice: &Notice, attempts: u32, answer: String) -> Event {
    match (&notice.subject, notice.trigger) {
        (Subject::Head { seq, hash }, Trigger::Anchor) => Event::HeadAnchored {
            target: notice.target.clone(),
            key: notice.key.clone(),
            seq: *seq,
            hash: hash.clone(),
        },
        _ => Event::NotificationSent(delivery(notice, attempts, Some(answer))),
    }
}

/// One target's worker: its notices one at a time, in order, each
/// retried with backoff until sent, refused, or set aside.
fn worker(
    target: Target,
    tools: &Tools<'_>,
    reports: mpsc::UnboundedSender<(String, Outcome)>,
) -> mpsc::UnboundedSender<Notice> {
    let (tx, mut rx) = mpsc::unbounded_channel::<Notice>();
    let client = tools.client.clone();
    let words = tools.words;
    let journal = tools.journal.to_owned();
    tokio::task::spawn_local(async move {
        let env = |name: &str| std::env::var(name).ok();
        let tools = Tools {
            client: &client,
            words,
            env: &env,
            journal: &journal,
        };
        while let Some(notice) = rx.recv().await {
            let outcome = deliver(&target, &notice, &tools, &reports).await;
            if reports.send((notice.key.clone(), outcome)).is_err() {
                return;
            }
        }
    });
    tx
}

async fn deliver(
    target: &Target,
    notice: &Notice,
    tools: &Tools<'_>,
    reports: &mpsc::UnboundedSender<(String, Outcome)>,
) -> Outcome {
    let mut attempts = 0;
    loop {
        attempts += 1;
        match attempt(target, notice, tools).await {
            Attempt::Sent { answer } => return Outcome::Sent { attempts, answer },
            Attempt::Refused { error } => return Outcome::Refused { attempts, error },
            Attempt::Retry { error, .. } if attempts >= ATTEMPTS => {
                return Outcome::SetAside { attempts, error };
            }
            Attempt::Retry { error, after } => {
                let _ = reports.send((
                    notice.key.clone(),
                    Outcome::Retrying {
                        error: error.clone(),
                    },
                ));
                tokio::time::sleep(backoff(attempts, &notice.key, after)).await;
            }
        }
    }
}

/// Exponential backoff with jitter (half to whole of the step, spread by
/// the key so many notices do not retry in step), never sooner than the
/// receiver's `Retry-After`.
pub fn backoff(attempt: u32, key: &str, retry_after: Option<Duration>) -> Duration {
    use sha2::{Digest, Sha256};
    let step = BACKOFF_BASE
        .saturating_mul(1 << attempt.saturating_sub(1).min(16))
        .min(BACKOFF_CAP);
    let digest = Sha256::digest(format!("{key}/{attempt}").as_bytes());
    let spread = f64::from(digest[0]) / 255.0;
    let jittered = step.mul_f64(0.5 + spread / 2.0);
    match retry_after {
        Some(after) => jittered.max(after.min(RETRY_AFTER_CAP)),
        None => jittered,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_stays_capped_and_honours_retry_after() {
        let first = backoff(1, "k", None);
        assert!(first >= Duration::from_millis(500) && first <= BACKOFF_BASE);
        let fifth = backoff(5, "k", None);
        assert!(fifth >= Duration::from_secs(8) && fifth <= Duration::from_secs(16));
        assert!(backoff(30, "k", None) <= BACKOFF_CAP);
        assert_eq!(
            backoff(1, "k", Some(Duration::from_secs(7))),
            Duration::from_secs(7)
        );
        assert_eq!(
            backoff(1, "k", Some(Duration::from_secs(86_400))),
            RETRY_AFTER_CAP
        );
    }
}
