//! The server's routes: the public page, its events, the Statuspage
//! summary, and the company's page behind its viewers.

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{RawQuery, State as Extract};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::sync::watch;

use crate::auth::Viewers;
use crate::html::Rendered;
use crate::live::Snapshot;
use crate::{Setup, Shared};

/// Open event streams beyond this are refused (503): memory stays
/// bounded whatever the readers do.
pub const MAX_STREAMS: usize = 4096;

#[derive(Debug)]
pub struct State {
    snapshots: watch::Receiver<Arc<Snapshot>>,
    viewers: Viewers,
    streams: AtomicUsize,
    quit: watch::Receiver<bool>,
}

impl State {
    pub fn new(
        setup: &Setup,
        snapshots: watch::Receiver<Arc<Snapshot>>,
        quit: watch::Receiver<bool>,
    ) -> Shared {
        Arc::new(State {
            snapshots,
            viewers: Viewers::new(setup.catalog.viewers.clone()),
            streams: AtomicUsize::new(0),
            quit,
        })
    }

    fn now(&self) -> Arc<Snapshot> {
        self.snapshots.borrow().clone()
    }
}

pub fn router(state: Shared) -> Router {
    Router::new()
        .route("/", get(public_page))
        .route("/events", get(public_events))
        .route("/api/v2/summary.json", get(summary))
        .route("/internal", get(internal_page))
        .route("/internal/events", get(internal_events))
        .route("/healthz", get(health))
        .with_state(state)
}

fn lang_of(query: Option<&str>, headers: &HeaderMap) -> usize {
    let asked = query.and_then(|q| q.split('&').find_map(|pair| pair.strip_prefix("lang=")));
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    crate::language(asked, accept)
}

fn html(body: &Arc<str>, private: bool) -> Response {
    let mut response = Response::new(Body::from(body.to_string()));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    if let Ok(policy) = HeaderValue::from_str(&crate::html::POLICY) {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if private {
            "private, no-store"
        } else {
            "no-cache"
        }),
    );
    headers.insert(header::VARY, HeaderValue::from_static("Accept-Language"));
    response
}

async fn public_page(
    Extract(state): Extract<Shared>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let lang = lang_of(query.as_deref(), &headers);
    html(&state.now().public[lang].page, false)
}

async fn summary(Extract(state): Extract<Shared>) -> Response {
    let snapshot = state.now();
    let mut response = Response::new(Body::from(snapshot.summary.to_string()));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

async fn health(Extract(state): Extract<Shared>) -> String {
    format!("ok {}\n", state.now().seq)
}

/// 401 unless a viewer is proved; the page never says which part failed.
fn refused(state: &State) -> Response {
    let why = if state.viewers.is_empty() {
        "no [[viewer]] is declared in the site: /internal stays closed\n"
    } else {
        "a viewer's password (basic auth) or token (bearer) is needed\n"
    };
    let mut response = (StatusCode::UNAUTHORIZED, why).into_response();
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Basic realm=\"runbook internal\", charset=\"UTF-8\""),
    );
    response
}

fn viewer(state: &State, headers: &HeaderMap) -> Option<String> {
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    state.viewers.check(authorization)
}

async fn internal_page(
    Extract(state): Extract<Shared>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    if viewer(&state, &headers).is_none() {
        return refused(&state);
    }
    let lang = lang_of(query.as_deref(), &headers);
    html(&state.now().internal[lang].page, true)
}

async fn public_events(
    Extract(state): Extract<Shared>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let lang = lang_of(query.as_deref(), &headers);
    events(&state, &headers, move |s| &s.public[lang])
}

async fn internal_events(
    Extract(state): Extract<Shared>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    if viewer(&state, &headers).is_none() {
        return refused(&state);
    }
    let lang = lang_of(query.as_deref(), &headers);
    events(&state, &headers, move |s| &s.internal[lang])
}

/// Counts an open stream for as long as it lives.
struct Open(Shared);

impl Drop for Open {
    fn drop(&mut self) {
        self.0.streams.fetch_sub(1, Ordering::Relaxed);
    }
}

struct Stream {
    snapshots: watch::Receiver<Arc<Snapshot>>,
    quit: watch::Receiver<bool>,
    sent: Option<Arc<str>>,
    /// The id the reader last had, on a reconnect: nothing older is sent.
    had: Option<u64>,
    _open: Open,
}

/// A page's live part on every change, each event's id the journal entry
/// it is as of; a reader reconnecting with `Last-Event-ID` gets the page
/// at once only if it changed since.
fn events(
    state: &Shared,
    headers: &HeaderMap,
    pick: impl Fn(&Snapshot) -> &Rendered + Send + Sync + 'static,
) -> Response {
    if state.streams.fetch_add(1, Ordering::Relaxed) >= MAX_STREAMS {
        state.streams.fetch_sub(1, Ordering::Relaxed);
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "too many open event streams\n",
        )
            .into_response();
    }
    let had = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let start = Stream {
        snapshots: state.snapshots.clone(),
        quit: state.quit.clone(),
        sent: None,
        had,
        _open: Open(state.clone()),
    };
    let pick = Arc::new(pick);
    let stream = futures_util::stream::unfold(start, move |mut s| {
        let pick = pick.clone();
        async move {
            loop {
                if *s.quit.borrow() {
                    return None;
                }
                let snapshot = s.snapshots.borrow_and_update().clone();
                let live = pick(&snapshot).live.clone();
                let fresh = match (&s.sent, s.had) {
                    (Some(sent), _) => **sent != *live,
                    (None, Some(had)) => snapshot.seq > had,
                    (None, None) => true,
                };
                if fresh {
                    let event = Event::default()
                        .event("page")
                        .id(snapshot.seq.to_string())
                        .data(&*live);
                    s.sent = Some(live);
                    return Some((Ok::<_, Infallible>(event), s));
                }
                tokio::select! {
                    changed = s.snapshots.changed() => if changed.is_err() { return None },
                    _ = s.quit.changed() => return None,
                }
            }
        }
    });
    let mut response = Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response();
    // A reverse proxy must pass events on as they come.
    response
        .headers_mut()
        .insert("x-accel-buffering", HeaderValue::from_static("no"));
    response
}
