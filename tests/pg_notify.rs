//! Notifications from a journal in PostgreSQL shared by several hosts
//! (each a state folder of its own, as each bastion has): the sending lock
//! and `runbook watch`'s lock live in the database, not in files beside
//! one host's copy, so two hosts never send the same notification and
//! never run two watches. A real server, started by the test; a real HTTP
//! receiver on 127.0.0.1.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::pg::{PASSWORD, Pg};
use common::receiver::Receiver;
use common::wait_until;

const SLACK: &str = "/slack/T0/B0/s3cr3t";

struct Host {
    state: tempfile::TempDir,
    /// The working directory the host's commands run in.
    cwd: tempfile::TempDir,
}

impl Host {
    fn new() -> Host {
        Host {
            state: tempfile::tempdir().unwrap(),
            cwd: tempfile::tempdir().unwrap(),
        }
    }

    fn runbook(&self, url: &str, receiver: &Receiver, operator: &str) -> Command {
        let mut command = common::runbook(url, operator);
        command
            .env("RUNBOOK_PG_PASSWORD", PASSWORD)
            .env("XDG_STATE_HOME", self.state.path())
            .env_remove("PGPASSWORD")
            .env(
                "RUNBOOK_CATALOG",
                Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/notify/catalog.toml"),
            )
            .env("PD_KEY", "pd-routing-key-5f4e3d2c1b")
            .env("PD_URL", receiver.url("/pd"))
            .env("SLACK_URL", receiver.url(SLACK))
            .env("HOOK_URL", receiver.url("/hook"))
            .env("HOOK_SECRET", "whsec_d2ViaG9vay10ZXN0LWtleS0wMTIz")
            .env("ANCHOR_FILE", self.state.path().join("heads.jsonl"))
            .current_dir(self.cwd.path())
            .stdin(Stdio::null());
        command
    }

    /// `runbook watch`, once it says it follows the journal.
    fn watch(&self, url: &str, receiver: &Receiver) -> Child {
        common::watch(self.runbook(url, receiver, "watcher"), Stdio::null())
    }

    fn pending(&self, url: &str, receiver: &Receiver) -> String {
        let out = self
            .runbook(url, receiver, "alice")
            .args(["notify", "pending"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// How many sessions hold the journal's session lock `key` (1: the
/// sender's, 2: the watch's), as the database sees it.
fn holders(pg: &Pg, key: u32) -> usize {
    let out = pg.psql(&format!(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted \
         AND classid = {} AND objid = {key} AND objsubid = 2",
        0x7275_6e62
    ));
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
}

/// When a runbook connection that holds no advisory lock last asked for
/// one: a sender refused the sending lock (the watch's own lock is held on
/// a connection of its own). Each round of a refused watch moves it on.
fn refused_at(pg: &Pg) -> Option<String> {
    let out = pg.psql(
        "SELECT query_start FROM pg_stat_activity a \
          WHERE application_name = 'runbook' AND query LIKE '%pg_try_advisory_lock%' \
            AND NOT EXISTS (SELECT 1 FROM pg_locks l \
                             WHERE l.pid = a.pid AND l.locktype = 'advisory' AND l.granted)",
    );
    let text = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    (!text.is_empty()).then_some(text)
}

/// A server with a journal, a receiver, and two hosts on it.
fn started() -> (Pg, Receiver, String, Host, Host) {
    let pg = Pg::start();
    let receiver = Receiver::start();
    let url = pg.url();
    let (a, b) = (Host::new(), Host::new());
    let init = a
        .runbook(&url, &receiver, "ana")
        .args(["journal", "init"])
        .output()
        .unwrap();
    assert!(init.status.success(), "{init:?}");
    (pg, receiver, url, a, b)
}

#[test]
fn the_sending_lock_is_the_databases_so_no_other_host_sends_while_it_is_held() {
    let (pg, receiver, url, a, b) = started();

    // Another session (another host's sender) holds the sending lock.
    let holder = Killed(
        pg.psql_command(&format!(
            "SELECT pg_advisory_lock({}, 1); SELECT pg_sleep(600)",
            0x7275_6e62
        ))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap(),
    );
    wait_until(Duration::from_secs(10), || holders(&pg, 1) == 1);

    // Host A starts a run; host B's watch follows the journal.
    let out = common::feed(
        a.runbook(&url, &receiver, "alice").args([
            "run",
            "incident",
            "--severity",
            "P3",
            "--plain",
        ]),
        "quit\n",
    );
    assert!(out.status.success(), "{out:?}");
    let watch = Killed(b.watch(&url, &receiver));
    // Rounds are a second apart: three of them asked for the lock and
    // were refused, and nobody sent.
    let mut refusals = std::collections::BTreeSet::new();
    wait_until(Duration::from_secs(20), || {
        refusals.extend(refused_at(&pg));
        refusals.len() >= 3
    });
    assert!(receiver.received(SLACK).is_empty());
    assert!(
        b.pending(&url, &receiver).contains("run_started"),
        "owed while the lock is held elsewhere"
    );

    // The other session ends: B's watch takes the lock and sends, once.
    let ended = pg.psql(&format!(
        "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' \
         AND classid = {} AND objid = 1 AND objsubid = 2",
        0x7275_6e62
    ));
    assert!(ended.status.success(), "{ended:?}");
    drop(holder);
    receiver.wait_for(SLACK, 1, Duration::from_secs(20));
    wait_until(Duration::from_secs(20), || {
        b.pending(&url, &receiver)
            .contains("every notification is delivered")
    });
    assert_eq!(receiver.received(SLACK).len(), 1);
    drop(watch);
}

#[test]
fn a_second_watch_on_another_host_is_refused_and_the_password_never_shown() {
    let (pg, receiver, url, a, b) = started();

    let first = Killed(a.watch(&url, &receiver));
    wait_until(Duration::from_secs(10), || holders(&pg, 2) == 1);
    let second = b
        .runbook(&url, &receiver, "watcher")
        .arg("watch")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(1), "{said}");
    assert!(said.contains("another runbook watch"), "{said}");
    assert!(said.contains(&format!("127.0.0.1:{}", pg.port)), "{said}");
    assert!(!said.contains(PASSWORD), "{said}");

    // Once the first is gone, the lock is free for another host.
    drop(first);
    wait_until(Duration::from_secs(10), || holders(&pg, 2) == 0);
    let _again = Killed(b.watch(&url, &receiver));
    assert_eq!(holders(&pg, 2), 1);

    // What a host keeps beside a database journal is in its own state
    // folder, never in the working directory.
    for host in [&a, &b] {
        let side = host
            .state
            .path()
            .join(format!("runbook/db/127.0.0.1-{}-postgres", pg.port));
        assert!(side.is_dir(), "{}", side.display());
        let left: Vec<_> = std::fs::read_dir(host.cwd.path()).unwrap().collect();
        assert!(left.is_empty(), "{left:?}");
    }
}
