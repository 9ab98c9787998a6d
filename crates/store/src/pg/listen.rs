//! LISTEN on the journal's channel, on a connection of its own, kept up
//! with backoff. A notification carries only the new head's sequence:
//! readers fetch what they miss. While the listener is down, `announced`
//! says so and readers poll.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use tokio_postgres::AsyncMessage;

use super::schema::CHANNEL;
use super::target::Target;

#[derive(Debug)]
pub struct Listen {
    target: Target,
    started: AtomicBool,
    state: Arc<State>,
}

#[derive(Debug)]
struct State {
    up: AtomicBool,
    /// One past the newest announced sequence.
    next: AtomicU64,
    changed: tokio::sync::watch::Sender<u64>,
}

impl Listen {
    pub fn new(target: Target) -> Self {
        Listen {
            target,
            started: AtomicBool::new(false),
            state: Arc::new(State {
                up: AtomicBool::new(false),
                next: AtomicU64::new(0),
                changed: tokio::sync::watch::Sender::new(0),
            }),
        }
    }

    pub fn start(&self) {
        if self.started.swap(true, Ordering::SeqCst) {
            return;
        }
        let Ok(runtime) = super::link::runtime() else {
            return;
        };
        let target = self.target.clone();
        let state = self.state.clone();
        runtime.spawn(keep_listening(target, state));
    }

    /// A count of what was heard (heads, reconnections), when listening:
    /// a reader that saw the same count at its last look has nothing new.
    pub fn generation(&self) -> Option<u64> {
        self.state
            .up
            .load(Ordering::SeqCst)
            .then(|| *self.state.changed.borrow())
    }

    pub fn subscribe(&self) -> tokio::sync::watch::Receiver<u64> {
        self.state.changed.subscribe()
    }
}

async fn keep_listening(target: Target, state: Arc<State>) {
    let mut backoff = Duration::from_millis(250);
    loop {
        match listen_once(&target, &state).await {
            Ok(()) => backoff = Duration::from_millis(250),
            Err(e) => tracing::debug!("journal listener: {e}"),
        }
        state.up.store(false, Ordering::SeqCst);
        // Whatever came while down is fetched by the readers' poll; wake
        // them so they look now.
        state.changed.send_modify(|n| *n += 1);
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(Duration::from_secs(30));
    }
}

/// Listens until the connection is lost.
async fn listen_once(target: &Target, state: &State) -> Result<(), String> {
    let (tls, mode) = super::tls::connector(target)?;
    let mut config = target.config.clone();
    config.ssl_mode(mode);
    let (client, mut connection) = config
        .connect(tls)
        .await
        .map_err(|e| super::link::describe(&e))?;
    let client = Arc::new(client);
    let listening = client.clone();
    let (said, mut heard) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        let _ = said.send(listening.batch_execute(&format!("LISTEN {CHANNEL}")).await);
    });
    loop {
        tokio::select! {
            message = std::future::poll_fn(|cx| connection.poll_message(cx)) => match message {
                Some(Ok(AsyncMessage::Notification(n))) => {
                    if let Ok(seq) = n.payload().parse::<u64>() {
                        state.next.fetch_max(seq + 1, Ordering::SeqCst);
                        state.changed.send_modify(|n| *n += 1);
                    }
                }
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(super::link::describe(&e)),
                None => return Ok(()),
            },
            answer = &mut heard, if !state.up.load(Ordering::SeqCst) => match answer {
                Ok(Ok(())) => {
                    state.up.store(true, Ordering::SeqCst);
                    // Anything committed before LISTEN took hold is read
                    // by the readers' next look.
                    state.changed.send_modify(|n| *n += 1);
                }
                Ok(Err(e)) => return Err(super::link::describe(&e)),
                Err(_) => return Err("the LISTEN request was lost".into()),
            },
        }
    }
}
