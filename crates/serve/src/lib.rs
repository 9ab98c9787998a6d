//! `runbook serve`: the status page, fed by the journal's status updates.
//!
//! One task follows the journal (through the same wake-ups as the
//! console: a file's inotify watch, a database's announcements) and
//! renders the pages once per change into a `Snapshot`; every request and
//! every event stream reads the latest snapshot, so a thousand readers
//! cost one render. It may not import the console or the command line.

use std::net::SocketAddr;
use std::sync::Arc;

use runbook_domain::{catalog, journal, learn, report, run, status, text};
use runbook_store as store;

pub mod auth;
pub mod html;
pub mod live;
mod routes;

pub use live::Snapshot;
pub use status::summary::Identity;

/// What the server serves.
#[derive(Debug, Clone)]
pub struct Setup {
    pub catalog: catalog::Catalog,
    pub journal: store::Journal,
    pub identity: Identity,
}

/// Serves `setup` on `listener` until `stop` resolves (a signal, a test's
/// end); open event streams end with it.
pub async fn serve(
    listener: tokio::net::TcpListener,
    setup: Setup,
    stop: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (snapshots, follow) = live::start(&setup).await?;
    let (quit_tx, quit_rx) = tokio::sync::watch::channel(false);
    let state = routes::State::new(&setup, snapshots, quit_rx);
    let app = routes::router(state);
    let shutdown = async move {
        stop.await;
        let _ = quit_tx.send(true);
    };
    let served = axum::serve(listener, app.into_make_service())
        .with_graceful_shutdown(shutdown)
        .await;
    follow.abort();
    served
}

/// Binds `listen`, says where (`bound`: a port 0 is chosen by the
/// system), and serves until SIGINT or SIGTERM.
pub fn run(
    listen: SocketAddr,
    setup: Setup,
    bound: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(listen).await?;
        bound(listener.local_addr()?);
        serve(listener, setup, signalled()).await
    })
}

async fn signalled() {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut term), Ok(mut int)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) else {
        return std::future::pending().await;
    };
    tokio::select! {
        _ = term.recv() => {}
        _ = int.recv() => {}
    }
}

/// The page's languages, the first the default.
pub const LANGS: [&str; 2] = ["en", "fr"];

/// The language a reader asked for: `?lang=`, else the first of
/// `Accept-Language` this page speaks, else English.
pub fn language(query: Option<&str>, accept: Option<&str>) -> usize {
    let wanted = |tag: &str| {
        let tag = tag.trim().to_ascii_lowercase();
        LANGS
            .iter()
            .position(|l| tag == *l || tag.starts_with(&format!("{l}-")))
    };
    if let Some(found) = query.and_then(wanted) {
        return found;
    }
    let Some(accept) = accept else { return 0 };
    let mut ranked: Vec<(f32, usize)> = accept
        .split(',')
        .enumerate()
        .filter_map(|(order, part)| {
            let mut pieces = part.split(';');
            let lang = wanted(pieces.next()?)?;
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            // Earlier wins a tie, as written.
            #[allow(clippy::cast_precision_loss)]
            let rank = q - order as f32 * 1e-6;
            (q > 0.0).then_some((rank, lang))
        })
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
    ranked.first().map_or(0, |(_, lang)| *lang)
}

/// Shared by the handlers: a clone is cheap.
pub type Shared = Arc<routes::State>;

#[cfg(test)]
mod tests {
    use super::language;

    #[test]
    fn the_language_is_the_query_s_else_the_best_accepted_else_english() {
        assert_eq!(language(Some("fr"), Some("en")), 1);
        assert_eq!(language(None, Some("fr-FR,fr;q=0.9,en;q=0.8")), 1);
        assert_eq!(language(None, Some("de-DE,en;q=0.5,fr;q=0.7")), 1);
        assert_eq!(language(None, Some("en-GB,fr;q=0.1")), 0);
        assert_eq!(language(None, Some("de")), 0);
        assert_eq!(language(None, Some("fr;q=0")), 0);
        assert_eq!(language(None, None), 0);
    }
}
