//! Consoles in pseudo-terminals on a database journal: two operators on
//! two "hosts" (two processes, one database) see each other's ticks within
//! a second; a server that goes away under a run refuses the tick and says
//! so, and the run goes on once the server is back.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::process::Command;
use std::time::Duration;

use common::pg::{PASSWORD, Pg};
use common::pty::Console;

fn console(url: &str, state: &std::path::Path, operator: &str, args: &[&str]) -> Console {
    let state = state.to_str().unwrap();
    Console::spawn_env(
        url,
        operator,
        args,
        "xterm-256color",
        &[("RUNBOOK_PG_PASSWORD", PASSWORD), ("XDG_STATE_HOME", state)],
    )
}

fn init(url: &str, state: &std::path::Path) {
    let out = common::runbook(url, "ana")
        .env("RUNBOOK_PG_PASSWORD", PASSWORD)
        .env("XDG_STATE_HOME", state)
        .args(["journal", "init"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
}

/// `audit verify` of the database journal, with the team's `site` (the
/// rules its entries are judged by) when given.
fn verify(url: &str, state: &std::path::Path, site: Option<&str>) -> String {
    let out: std::process::Output = Command::new(env!("CARGO_BIN_EXE_runbook"))
        .args(site.map(|s| ["--site", s]).into_iter().flatten())
        .args(["audit", "verify", "--journal", url])
        .env("RUNBOOK_PG_PASSWORD", PASSWORD)
        .env("XDG_STATE_HOME", state)
        .env_remove("RUNBOOK_JOURNAL_KEY")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{said}");
    said
}

#[test]
fn two_consoles_on_one_database_see_each_other_within_a_second() {
    let pg = Pg::start();
    let state = tempfile::tempdir().unwrap();
    let url = pg.url();
    init(&url, state.path());
    // Alice and Bob share this test's OS account: the site takes their
    // names as given (tests/signed.rs has them sign with their own keys).
    let site = state.path().join("names.toml");
    std::fs::write(&site, "[identity]\nrequire = \"none\"\n").unwrap();
    let site = site.to_str().unwrap();
    let mut alice = console(
        &url,
        state.path(),
        "alice",
        &["--site", site, "run", "breach"],
    );
    alice.wait_for("1.1 Isolate");
    let mut bob = console(&url, state.path(), "bob", &["--site", site, "resume"]);
    bob.wait_for("bob with alice");
    alice.wait_for_within("alice with bob", Duration::from_millis(1500));

    alice.send(" ");
    alice.wait_for("Evidence (required)");
    alice.send("key K1 revoked\r");
    alice.wait_for("cannot be undone");
    alice.send("y");
    alice.wait_for("recorded #");
    bob.wait_for_within("2nd-op  1.1 Isolate", Duration::from_secs(1));

    // Bob, on the other process, confirms it as the second operator.
    bob.send(" ");
    bob.wait_for("recorded #");
    alice.wait_for_within("bob: confirmed (second operator)", Duration::from_secs(1));
    alice.wait_for("✔ done    1.1 Isolate");
    for console in [&mut alice, &mut bob] {
        console.send("q");
        console.wait_for("Open runs");
        console.send("q");
        assert_eq!(console.exit_within(Duration::from_secs(5)), 0);
    }
    assert!(verify(&url, state.path(), Some(site)).contains("intact"));
}

/// A journal made on `pg`, and Alice's console on a deploy there.
fn alice_deploys(pg: &Pg) -> (tempfile::TempDir, String, Console) {
    let state = tempfile::tempdir().unwrap();
    let url = pg.url();
    init(&url, state.path());
    let alice = console(&url, state.path(), "alice", &["run", "deploy"]);
    alice.wait_for("1.1 All tests pass");
    (state, url, alice)
}

#[test]
fn a_tick_while_the_database_is_down_is_refused_and_the_run_goes_on_after() {
    let pg = Pg::start();
    let (state, url, mut alice) = alice_deploys(&pg);
    alice.send(" ");
    alice.wait_for("Evidence (required)");
    alice.send("120 tests passed\r");
    alice.wait_for("recorded #2");

    pg.stop_server();
    alice.send(" ");
    alice.wait_for("Evidence (required)");
    alice.send("https://review.example/42\r");
    alice.wait_for("journal unreachable, nothing recorded");
    // The run is still on screen, the step still open.
    alice.wait_for("1.2");
    assert!(
        !alice.screen().contains("recorded #3"),
        "{}",
        alice.screen()
    );
    assert!(!alice.screen().contains(PASSWORD));

    pg.start_server();
    // The backoff lets a new connection be tried within a few seconds.
    let deadline = std::time::Instant::now() + Duration::from_secs(40);
    loop {
        alice.send(" ");
        alice.wait_for("Evidence (required)");
        alice.send("https://review.example/42\r");
        // A refusal comes at once; a reconnecting append holds the
        // console until it is recorded: either way, 3 s tell.
        let told = std::time::Instant::now() + Duration::from_secs(3);
        while std::time::Instant::now() < told && !alice.screen().contains("recorded #3") {
            std::thread::sleep(Duration::from_millis(50));
        }
        if alice.screen().contains("recorded #3") {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the console did not come back:\n{}",
            alice.screen()
        );
        std::thread::sleep(Duration::from_millis(700));
    }
    alice.send("q");
    alice.wait_for("Open runs");
    alice.send("q");
    assert_eq!(alice.exit_within(Duration::from_secs(5)), 0);
    let said = verify(&url, state.path(), None);
    // Genesis, start, two ticks, the leaving: nothing lost, nothing twice.
    assert!(said.contains("5 entries"), "{said}");
}

/// Stops (or lets go on) every process of the server, as a stalled
/// server, a failover or a partition looks from the client.
fn freeze(pg: &Pg, signal: &str) {
    let pid = std::fs::read_to_string(pg.data().join("postmaster.pid")).unwrap();
    let pid = pid.lines().next().unwrap().trim().to_owned();
    let children = Command::new("pgrep").args(["-P", &pid]).output().unwrap();
    let mut pids: Vec<String> = String::from_utf8_lossy(&children.stdout)
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    pids.push(pid);
    let status = Command::new("kill")
        .arg(format!("-{signal}"))
        .args(&pids)
        .status()
        .unwrap();
    assert!(status.success());
}

/// Issue 25: with the database stalled, the console still answers every
/// key: a note shows "sending", the cursor moves, the status line says
/// the journal is not answering; once the server goes on, the note is
/// recorded.
#[test]
fn a_stalled_database_never_holds_the_keys() {
    let pg = Pg::start();
    let (state, url, mut alice) = alice_deploys(&pg);
    freeze(&pg, "STOP");
    alice.send("n");
    alice.wait_for("Note");
    alice.send("sent while the server was stopped\r");
    alice.wait_for("sending 1.1 All tests pass");
    alice.send("j");
    alice.wait_for_within("›○ to do   1.2", Duration::from_millis(500));
    alice.send("r");
    alice.wait_for_within("Contacts", Duration::from_millis(500));
    alice.send("\x1b");
    alice.wait_for("journal not answering for");
    freeze(&pg, "CONT");
    alice.wait_for_within("recorded #", Duration::from_secs(20));
    // Esc closed the reference screen; it cancelled nothing.
    assert!(!alice.screen().contains("after all"), "{}", alice.screen());
    let said = verify(&url, state.path(), None);
    assert!(said.contains("intact"), "{said}");
    alice.send("q");
    alice.wait_for("Open runs");
    alice.send("q");
    assert_eq!(alice.exit_within(Duration::from_secs(10)), 0);
}
