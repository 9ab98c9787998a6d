//! The status page on a database journal (issue 36): `runbook serve`
//! reads a PostgreSQL journal and stays live through the database's
//! announcements, as the console does.

// Helpers of tests may unwrap: a failure there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "serve/support.rs"]
mod serve;
#[path = "pg_journal/support.rs"]
mod support;

use std::net::SocketAddr;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::pg::Pg;
use support::{ok, runbook, started, text};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Until `/api/v2/summary.json` says `wanted`: the server reads the
/// database as soon as it announces a new head.
fn summary_saying(addr: SocketAddr, wanted: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (_, _, body) = serve::get(addr, "/api/v2/summary.json", &[]);
        if body.contains(wanted) {
            return body;
        }
        assert!(
            Instant::now() < deadline,
            "the summary never said {wanted:?}: {body}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn the_status_page_follows_a_database_journal_live() {
    let pg = Pg::start();
    let (state, url) = started(&pg);
    let child = runbook(&url, state.path(), "server")
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (child, addr) = serve::listening(child);
    let server = Server(child);

    let out = common::feed(
        runbook(&url, state.path(), "alice").args([
            "run",
            "incident",
            "--severity",
            "P2",
            "--plain",
        ]),
        "quit\n",
    );
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    let run = said
        .lines()
        .find_map(|l| l.split(" — run ").nth(1))
        .and_then(|rest| rest.split(',').next())
        .unwrap()
        .trim()
        .to_owned();
    ok(runbook(&url, state.path(), "alice").args([
        "update",
        &run,
        "--status",
        "investigating",
        "--impact",
        "major",
        "--public",
        "Payments fail from the database's journal.",
    ]));
    let body = summary_saying(addr, "Payments fail from the database's journal.");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["incidents"][0]["id"], run.as_str());
    assert_eq!(json["status"]["indicator"], "major");

    // Live: an event stream hears the next update.
    let mut events = serve::Events::open(addr, "/events?lang=en", None);
    let first = events.next_event();
    assert!(first.data.contains("Payments fail"), "{first:?}");
    ok(runbook(&url, state.path(), "alice").args([
        "update",
        &run,
        "--status",
        "resolved",
        "--public",
        "Resolved, said through PostgreSQL.",
    ]));
    let next = events.next_event();
    assert!(
        next.data.contains("Resolved, said through PostgreSQL."),
        "{next:?}"
    );
    assert!(next.id.parse::<u64>().unwrap() > first.id.parse::<u64>().unwrap());
    drop(server);
}
