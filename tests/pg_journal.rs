//! The journal on a real PostgreSQL server, started by each test on a
//! loopback port in a temporary folder: concurrent appenders, what the
//! database refuses, a killed appender, a server restarted under a run,
//! and a journal moved between a file and a database with every hash kept.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "pg_journal/support.rs"]
mod support;

use common::wait_until;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::pg::{PASSWORD, Pg};

use support::*;

#[test]
fn four_processes_appending_500_each_make_one_chain_without_gaps() {
    let pg = Pg::start();
    let (state, url) = started(&pg);
    let appenders: Vec<Child> = (0..4)
        .map(|n| {
            runbook(&url, state.path(), &format!("op{n}"))
                .args(["__append", "--count", "500"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut seqs = Vec::new();
    for child in appenders {
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            seqs.push(
                line.split_whitespace()
                    .nth(1)
                    .unwrap()
                    .parse::<u64>()
                    .unwrap(),
            );
        }
    }
    assert_eq!(seqs.len(), 2000);
    seqs.sort_unstable();
    // Every acknowledged append has its own number, and none is missing:
    // the genesis entry is 0, the appends are 1..=2000.
    assert_eq!(seqs, (1..=2000).collect::<Vec<u64>>());
    assert_eq!(
        sql(&pg, "SELECT count(*), max(seq) FROM runbook_journal"),
        "2001|2000"
    );
    let verified = ok(runbook(&url, state.path(), "ana").args(["audit", "verify"]));
    assert!(
        verified.contains("intact") && verified.contains("2001 entries"),
        "{verified}"
    );
    // Stamped before the lock, an entry could carry a time before the one
    // under it; under the lock, never.
    assert!(!verified.contains("time goes backwards"), "{verified}");
    assert!(!verified.contains(PASSWORD), "{verified}");
}

#[test]
fn the_database_refuses_update_delete_truncate_and_gaps() {
    let pg = Pg::start();
    let (state, url) = started(&pg);
    ok(runbook(&url, state.path(), "ana").args(["__append", "--count", "3"]));
    sql(
        &pg,
        "INSERT INTO runbook_output (started, part, chunk) VALUES (1, 0, 'a'::bytea)",
    );
    let gap = pg.psql("INSERT INTO runbook_output (started, part, chunk) VALUES (1, 2, 'c')");
    assert!(text(&gap).contains("not the next one"), "{}", text(&gap));
    let stray = pg.psql("INSERT INTO runbook_output (started, part, chunk) VALUES (7, 0, 'c')");
    assert!(text(&stray).contains("foreign key"), "{}", text(&stray));
    for attempt in [
        "UPDATE runbook_journal SET line = line || 'x'::bytea WHERE seq = 1",
        "DELETE FROM runbook_journal WHERE seq = 3",
        // The outputs' table refers to the journal's: only a cascade
        // reaches the trigger.
        "TRUNCATE runbook_journal CASCADE",
        "UPDATE runbook_output SET chunk = 'x'::bytea",
        "DELETE FROM runbook_output",
        "TRUNCATE runbook_output",
    ] {
        let out = pg.psql(attempt);
        assert!(!out.status.success(), "{attempt} was accepted");
        assert!(
            text(&out).contains("append-only"),
            "{attempt}: {}",
            text(&out)
        );
    }
    let gap = pg.psql(
        "INSERT INTO runbook_journal (seq, hash, line) VALUES (9, repeat('a', 64), 'x'::bytea)",
    );
    assert!(!gap.status.success());
    assert!(text(&gap).contains("not the next one"), "{}", text(&gap));
    assert_eq!(sql(&pg, "SELECT count(*) FROM runbook_journal"), "4");
    ok(runbook(&url, state.path(), "ana").args(["audit", "verify"]));

    // The operators' role: read and append, nothing else.
    sql(&pg, "CREATE ROLE operators");
    ok(runbook(&url, state.path(), "ana").args(["journal", "init", "--grant", "operators"]));
    let rights = sql(
        &pg,
        "SELECT has_table_privilege('operators', 'runbook_journal', 'SELECT'), \
                has_table_privilege('operators', 'runbook_journal', 'INSERT'), \
                has_table_privilege('operators', 'runbook_journal', 'UPDATE'), \
                has_table_privilege('operators', 'runbook_journal', 'DELETE'), \
                has_table_privilege('operators', 'runbook_output', 'SELECT'), \
                has_table_privilege('operators', 'runbook_output', 'INSERT'), \
                has_table_privilege('operators', 'runbook_output', 'UPDATE'), \
                has_table_privilege('operators', 'runbook_output', 'DELETE')",
    );
    assert_eq!(rights, "t|t|f|f|t|t|f|f");
}

#[test]
fn an_appender_killed_inside_its_transaction_leaves_the_chain_whole() {
    let pg = Pg::start();
    let (state, url) = started(&pg);
    ok(runbook(&url, state.path(), "ana").args(["__append", "--count", "2"]));
    // A session holding the appenders' lock keeps the next appender inside
    // its transaction, waiting: that is where it is killed.
    let socket = pg.dir.path().to_str().unwrap().to_owned();
    let holder = Command::new("runuser")
        .args([
            "-u", "postgres", "--", "psql", "-X", "-q", "-h", &socket, "-p",
        ])
        .arg(pg.port.to_string())
        .args([
            "-U",
            "postgres",
            "-c",
            "SELECT pg_advisory_lock(32217264303337323); SELECT pg_sleep(4)",
        ])
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    wait_until(Duration::from_secs(10), || {
        sql(
            &pg,
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted",
        ) == "1"
    });
    let mut appender = runbook(&url, state.path(), "bob")
        .args(["__append", "--count", "1"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    wait_until(Duration::from_secs(10), || {
        sql(
            &pg,
            "SELECT count(*) FROM pg_stat_activity \
             WHERE application_name = 'runbook' AND state = 'active' AND wait_event_type = 'Lock'",
        ) == "1"
    });
    appender.kill().unwrap();
    appender.wait().unwrap();
    drop(holder);
    // Its transaction is gone with its connection: nothing of it remains,
    // and the lock is free for the next appender.
    wait_until(Duration::from_secs(10), || {
        sql(
            &pg,
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'runbook'",
        ) == "0"
    });
    assert_eq!(sql(&pg, "SELECT count(*) FROM runbook_journal"), "3");
    let started = Instant::now();
    let out = ok(runbook(&url, state.path(), "carol").args(["__append", "--count", "1"]));
    assert!(out.starts_with("durable 3 "), "{out}");
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "the lock was held too long"
    );

    // And killed in full flight: whatever it acknowledged is there, and
    // the chain verifies.
    let mut flying = runbook(&url, state.path(), "dan")
        .args(["__append", "--count", "100000"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(flying.stdout.take().unwrap()).lines();
    let mut last = 0;
    for _ in 0..50 {
        let line = lines.next().unwrap().unwrap();
        last = line
            .split_whitespace()
            .nth(1)
            .unwrap()
            .parse::<u64>()
            .unwrap();
    }
    flying.kill().unwrap();
    flying.wait().unwrap();
    let max: u64 = sql(&pg, "SELECT max(seq) FROM runbook_journal")
        .parse()
        .unwrap();
    assert!(
        max >= last && max <= last + 2,
        "acknowledged {last}, found {max}"
    );
    ok(runbook(&url, state.path(), "ana").args(["audit", "verify"]));
}

/// The text with each "(in 14m59s)" made "(in …)": two readings a second
/// apart count down differently, whatever the store.
fn without_countdowns(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("(in ") {
        out.push_str(&rest[..at + 4]);
        rest = &rest[at + 4..];
        let end = rest.find(')').unwrap_or(0);
        out.push('…');
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The database adds the login that wrote its rows (here, the one that
/// imported them) to `report` and `audit show`; all else reads the same.
fn same_but_logins(args: &[&str], file: (Option<i32>, String), db: (Option<i32>, String)) {
    if args[0] == "report" || args[0] == "audit" {
        assert!(
            db.1.contains("db postgres") || db.1.contains("db:postgres"),
            "{args:?}: {}",
            db.1
        );
    }
    let without_logins = |(code, text): (Option<i32>, String)| {
        let text = text
            .replace(" · db postgres", "")
            .replace(" db:postgres", "");
        let words: Vec<&str> = text.split(' ').filter(|w| !w.is_empty()).collect();
        (code, words.join(" "))
    };
    assert_eq!(without_logins(file), without_logins(db), "{args:?}");
}

#[test]
fn a_journal_moved_to_a_database_and_back_keeps_every_hash_and_reads_the_same() {
    let pg = Pg::start();
    let (state, url) = started(&pg);
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("journal.jsonl");
    let file_s = file.to_str().unwrap().to_owned();
    let keyed = |mut c: Command| {
        c.env("RUNBOOK_JOURNAL_KEY", "team-key");
        c
    };
    // A real run in line mode, on a keyed file journal.
    let mut walk = keyed(runbook(&file_s, state.path(), "ana"));
    let out = common::feed(
        walk.args(["run", "incident", "--severity", "P1", "--plain"]),
        "done triaged\nnote the DB is slow\ndone\nquit\n",
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let head_before = ok(keyed(runbook(&file_s, state.path(), "ana")).args(["audit", "head"]));

    let imported =
        ok(keyed(runbook(&url, state.path(), "ana")).args(["journal", "import", &file_s]));
    assert!(imported.contains(head_before.trim()), "{imported}");
    let head_db = ok(keyed(runbook(&url, state.path(), "ana")).args(["audit", "head"]));
    assert_eq!(head_db, head_before);
    ok(keyed(runbook(&url, state.path(), "ana")).args([
        "audit",
        "verify",
        "--expect-head",
        head_before.trim(),
    ]));
    // A second import finds everything there already.
    let again = ok(keyed(runbook(&url, state.path(), "ana")).args(["journal", "import", &file_s]));
    assert!(again.contains("imported 0 entries"), "{again}");

    // The same commands say the same things of both.
    let run = ok(runbook(&file_s, state.path(), "ana").args(["runs", "--json"]));
    let run_id = serde_json::from_str::<serde_json::Value>(&run).unwrap()[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for args in [
        vec!["runs"],
        vec!["report", &run_id],
        vec!["audit", "show"],
        vec!["due", "--at", "2026-12-02T09:00:00Z"],
    ] {
        let said = |journal: &str| {
            let out = keyed(runbook(journal, state.path(), "ana"))
                .args(&args)
                .output()
                .unwrap();
            (
                out.status.code(),
                without_countdowns(&String::from_utf8_lossy(&out.stdout)),
            )
        };
        let (from_file, from_db) = (said(&file_s), said(&url));
        assert!(!from_file.1.is_empty(), "{args:?} said nothing");
        same_but_logins(&args, from_file, from_db);
    }

    // Appends go on in the database, then back out to a file, byte for
    // byte what the database holds.
    ok(keyed(runbook(&url, state.path(), "bob")).args(["__append", "--count", "5"]));
    let exported = folder.path().join("exported.jsonl");
    let exported_s = exported.to_str().unwrap();
    ok(keyed(runbook(&url, state.path(), "ana")).args(["journal", "export", exported_s]));
    let original = std::fs::read(&file).unwrap();
    let copy = std::fs::read(&exported).unwrap();
    assert!(
        copy.starts_with(&original),
        "the exported file does not begin with the original"
    );
    assert_eq!(
        String::from_utf8_lossy(&copy).lines().count(),
        String::from_utf8_lossy(&original).lines().count() + 5
    );
    ok(keyed(runbook(exported_s, state.path(), "ana")).args([
        "audit",
        "verify",
        "--expect-head",
        head_before.trim(),
    ]));
    // Export never overwrites.
    let out = keyed(runbook(&url, state.path(), "ana"))
        .args(["journal", "export", exported_s])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));

    // A file that is not the database's chain is refused whole.
    let mut other = std::fs::read_to_string(&file).unwrap();
    other = other.replacen("the DB is slow", "the DB is fine", 1);
    let forged = folder.path().join("forged.jsonl");
    std::fs::write(&forged, other).unwrap();
    let out = keyed(runbook(&url, state.path(), "ana"))
        .args(["journal", "import", forged.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("does not verify"), "{}", text(&out));
}

#[test]
fn line_mode_stops_when_the_database_goes_and_the_run_resumes_when_it_is_back() {
    let pg = Pg::start();
    let (state, url) = started(&pg);
    let mut walk = runbook(&url, state.path(), "ana")
        .args(["run", "deploy", "--plain"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = walk.stdin.take().unwrap();
    input.write_all(b"done all green\n").unwrap();
    input.flush().unwrap();
    wait_until(Duration::from_secs(10), || {
        sql(
            &pg,
            "SELECT count(*) FROM runbook_journal WHERE convert_from(line, 'UTF8') LIKE '%step_completed%'",
        ) == "1"
    });
    pg.stop_server();
    input.write_all(b"done ok\n").unwrap();
    drop(input);
    let out = walk.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("journal unreachable, nothing recorded"),
        "{}",
        text(&out)
    );
    assert!(!text(&out).contains(PASSWORD));

    pg.start_server();
    let out = common::feed(
        runbook(&url, state.path(), "ana").args(["resume", "--plain"]),
        "done ok\nquit\n",
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let done = sql(
        &pg,
        "SELECT count(*) FROM runbook_journal WHERE convert_from(line, 'UTF8') LIKE '%step_completed%'",
    );
    assert_eq!(
        done, "2",
        "the step refused while down was not recorded, the next one was"
    );
    ok(runbook(&url, state.path(), "ana").args(["audit", "verify"]));
}

#[test]
fn tls_is_required_and_verify_full_checks_the_certificate_and_the_name() {
    let pg = Pg::start_tls();
    let state = tempfile::tempdir().unwrap();
    let cert = pg.dir.path().join("ca.pem");
    let url = |host: &str, mode: &str| {
        format!(
            "postgres://postgres:${{RUNBOOK_PG_PASSWORD}}@{host}:{}/postgres?{mode}",
            pg.port
        )
    };
    let run = |journal: &str, args: &[&str]| {
        runbook(journal, state.path(), "ana")
            .args(args)
            .output()
            .unwrap()
    };
    // The server rejects a connection without TLS.
    let plain = run(&url("127.0.0.1", "sslmode=disable"), &["journal", "init"]);
    assert_eq!(plain.status.code(), Some(1), "{}", text(&plain));
    assert!(
        text(&plain).contains("unreachable") || text(&plain).contains("refused"),
        "{}",
        text(&plain)
    );
    // require: encrypted, the certificate not checked (as libpq).
    let required = url("127.0.0.1", "sslmode=require");
    ok(runbook(&required, state.path(), "ana").args(["journal", "init"]));
    ok(runbook(&required, state.path(), "ana").args(["__append", "--count", "2"]));
    // verify-full: the certificate chains to sslrootcert and names the host.
    let full = url(
        "localhost",
        &format!("sslmode=verify-full&sslrootcert={}", cert.display()),
    );
    let verified = ok(runbook(&full, state.path(), "ana").args(["audit", "verify"]));
    assert!(verified.contains("3 entries"), "{verified}");
    // The same certificate for another name is refused...
    let wrong_name = url(
        "127.0.0.1",
        &format!("sslmode=verify-full&sslrootcert={}", cert.display()),
    );
    let out = run(&wrong_name, &["audit", "verify"]);
    assert_ne!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).to_lowercase().contains("certificate"),
        "{}",
        text(&out)
    );
    // ...but verify-ca checks the chain only.
    let ca_only = url(
        "127.0.0.1",
        &format!("sslmode=verify-ca&sslrootcert={}", cert.display()),
    );
    ok(runbook(&ca_only, state.path(), "ana").args(["audit", "verify"]));
    // And a certificate no trusted root signed is refused.
    let out = run(
        &url("localhost", "sslmode=verify-full"),
        &["audit", "verify"],
    );
    assert_ne!(out.status.code(), Some(0), "{}", text(&out));
    assert!(!text(&out).contains(PASSWORD));
}
