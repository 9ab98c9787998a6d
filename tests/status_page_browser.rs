//! The status page in a real browser (issue 36, part 6): Debian's
//! chromium, headless, driven through chromedriver. It shows the incident
//! and its public update, in French for a French browser, never the
//! internal word, and shows a second update without a reload, through
//! its event stream.

// Helpers of tests may unwrap: a failure there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

#[path = "serve/support.rs"]
mod support;

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{ClientBuilder, Locator};
use support::{Served, start_incident, update};

const INTERNAL_WORDS: &str = "Root cause: Stripe key K7 leaked";

/// chromedriver on a loopback port of its own, stopped with the test.
struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    fn start() -> Driver {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start chromedriver ({e}): scripts/test installs Debian's chromium and chromium-driver")
            });
        let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(addr).is_err() {
            assert!(
                Instant::now() < deadline,
                "chromedriver never listened on {addr}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Driver {
            child,
            url: format!("http://{addr}"),
        }
    }
}

fn capabilities(profile: &std::path::Path) -> serde_json::Map<String, serde_json::Value> {
    let options = serde_json::json!({
        "binary": "/usr/bin/chromium",
        "args": [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--lang=fr-FR",
            format!("--user-data-dir={}", profile.display()),
        ],
        "prefs": { "intl.accept_languages": "fr-FR,fr" },
    });
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".into(), options);
    caps
}

#[test]
fn the_page_shows_the_incident_and_a_second_update_arrives_without_a_reload() {
    let served = Served::start();
    let run = start_incident(&served, "P2");
    update(
        &served,
        &run,
        &[
            "--status",
            "investigating",
            "--impact",
            "major",
            "--component",
            "payments",
            "--public",
            "Card payments fail for some users.",
        ],
    );
    update(
        &served,
        &run,
        &["--status", "investigating", INTERNAL_WORDS],
    );
    served.wait_for_seq_at_least(served.last_seq());

    let driver = Driver::start();
    let profile = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = ClientBuilder::new(connector)
            .capabilities(capabilities(profile.path()))
            .connect(&driver.url)
            .await
            .expect("a chromium session through chromedriver");
        client
            .goto(&format!("http://{}/", served.addr))
            .await
            .unwrap();

        the_first_update_is_shown_in_french(&client).await;
        the_second_arrives_without_a_reload(&client, &served, &run).await;
        client.close().await.unwrap();
    });
}

async fn the_first_update_is_shown_in_french(client: &fantoccini::Client) {
    let overall = client
        .find(Locator::Id("overall"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        overall, "Panne partielle",
        "the French page for a French browser"
    );
    let live = client
        .find(Locator::Id("live"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(live.contains("Paiements bloqués"), "{live}");
    assert!(
        live.contains("Card payments fail for some users."),
        "{live}"
    );
    assert!(!live.contains(INTERNAL_WORDS), "{live}");
    let payments = client
        .find(Locator::Css("#component-payments .partial_outage"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(payments, "Panne partielle");
}

async fn the_second_arrives_without_a_reload(
    client: &fantoccini::Client,
    served: &Served,
    run: &str,
) {
    // A mark on this very page: a reload would lose it.
    client
        .execute("window.stayed = 'this page'; return true;", Vec::new())
        .await
        .unwrap();
    update(
        served,
        run,
        &[
            "--status",
            "identified",
            "--impact",
            "major",
            "--component",
            "payments",
            "--public",
            "Cause found: a certificate expired.",
        ],
    );
    let second = client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::XPath(
            "//li[contains(., 'Cause found: a certificate expired.')]",
        ))
        .await
        .expect("the second update shown without a reload");
    assert!(second.text().await.unwrap().contains("Cause identifiée"));
    let stayed = client
        .execute("return window.stayed;", Vec::new())
        .await
        .unwrap();
    assert_eq!(
        stayed,
        serde_json::json!("this page"),
        "the page was not reloaded"
    );
    let live = client
        .find(Locator::Id("live"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!live.contains(INTERNAL_WORDS), "{live}");
}
