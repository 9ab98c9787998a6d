//! One task per metric source, off the render path: each polls at its own
//! interval and sends samples over a channel. A hung source delays only
//! itself.

use chrono::Utc;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::sample::Sample;
use super::source;
use crate::catalog::Catalog;

/// Starts a poller for every metric that has a source. Stops when the
/// receiver is dropped.
/// Polls every metric that can be read here.
pub fn spawn_all(catalog: &Catalog, tx: &mpsc::Sender<Sample>) -> Vec<JoinHandle<()>> {
    let polled: Vec<_> = catalog
        .metrics
        .iter()
        .filter(|metric| metric.readable() && metric.source.is_some())
        .collect();
    if polled.is_empty() {
        // No client built: TLS and its roots stay off the start-up path.
        return Vec::new();
    }
    let client = source::client();
    polled
        .into_iter()
        .filter_map(|metric| {
            let source = metric.source.clone()?;
            let id = metric.id.clone();
            let tx = tx.clone();
            let client = client.clone();
            let interval = source::polling(&source)
                .interval
                .to_chrono()
                .to_std()
                .unwrap_or(std::time::Duration::from_secs(15))
                .max(std::time::Duration::from_millis(100));
            Some(tokio::spawn(async move {
                let mut ticks = tokio::time::interval(interval);
                ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                let env = |name: &str| std::env::var(name).ok();
                loop {
                    ticks.tick().await;
                    let reading = source::read(&client, &source, &env).await;
                    let sample = Sample {
                        metric: id.clone(),
                        at: Utc::now(),
                        reading,
                    };
                    if tx.send(sample).await.is_err() {
                        break;
                    }
                }
            }))
        })
        .collect()
}
