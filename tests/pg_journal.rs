//! The journal on a real PostgreSQL server, started by each test on a
//! loopback port in a temporary folder: concurrent appenders, what the
//! database refuses, a killed appender, a server restarted under a run,
//! and a journal moved between a file and a database with every hash kept.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::wait_until;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::pg::{PASSWORD, Pg};

/// The binary on `journal` (a path or a URL), as `operator`, with the
/// database password in the environment and its own state folder.
fn runbook(journal: &str, state: &Path, operator: &str) -> Command {
    let mut command = common::runbook(journal, operator);
    command
        .env("RUNBOOK_PG_PASSWORD", PASSWORD)
        .env("XDG_STATE_HOME", state)
        .env_remove("PGPASSWORD");
    command
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn ok(command: &mut Command) -> String {
    let out = command.output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn sql(pg: &Pg, query: &str) -> String {
    let out = pg.psql(query);
    assert!(out.status.success(), "{query}: {}", text(&out));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

fn started(pg: &Pg) -> (tempfile::TempDir, String) {
    let state = tempfile::tempdir().unwrap();
    let url = pg.url();
    ok(runbook(&url, state.path(), "ana").args(["journal", "init"]));
    (state, url)
}

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

/// An entry whose announcement never came (a listener reconnecting, a
/// client that inserts without NOTIFY): the decision taken under the lock
/// must still see it, and the state after an append must show the append.
#[test]
fn a_decision_under_the_lock_sees_an_entry_never_announced() {
    use runbook::journal::{Identity, Record, chain};
    use runbook::live_run::{LiveRun, LiveRunError};
    use runbook::run::{Command as Act, Event};
    use runbook::store::Writer;
    use runbook::store::pg::{Database, target};

    let pg = Pg::start();
    let (state, url) = started(&pg);
    let env = |name: &str| (name == "RUNBOOK_PG_PASSWORD").then(|| PASSWORD.to_owned());
    let db = Database::new(target::parse(&url, &env).unwrap());
    let identity = |operator: &str| Identity {
        operator: operator.to_owned(),
        os_user: None,
        from: None,
        host: "test".into(),
        session: format!("{operator}-session"),
        signer: None,
    };
    db.listen();
    wait_until(Duration::from_secs(10), || db.generation().is_some());
    // The listener's own wake-up on connecting lands first.
    std::thread::sleep(Duration::from_millis(100));
    let mut announced = db.generation().unwrap();
    let writer = Writer::database(&db, identity("alice"), None, state.path());
    let catalog = runbook::catalog::load_bundled().catalog;
    let mut alice = LiveRun::start(&catalog, writer, "deploy", None, chrono::Utc::now()).unwrap();
    let run = alice.state.id.clone();
    for step in ["tests-pass", "code-review", "version-bumped", "changelog"] {
        // Alice's last append is announced and read: her next look
        // queries only if something new is announced.
        wait_until(Duration::from_secs(10), || {
            db.generation().is_some_and(|now| now > announced)
        });
        announced = db.generation().unwrap();
        alice.catch_up().unwrap();
        let head = db.head().unwrap().unwrap();
        // Bob's tick goes in by hand, sealed on the head, announced to nobody.
        let record = Record {
            run: Some(run.clone()),
            event: Event::StepCompleted {
                step: step.to_owned(),
                note: Some("bob did it".into()),
                value: None,
            },
        };
        let sealed = chain::seal_batch(
            Some(&head),
            &[record],
            &identity("bob"),
            None,
            chrono::Utc::now(),
        )
        .unwrap();
        let row = &sealed[0];
        let line = row.line.strip_suffix(b"\n").unwrap();
        let hex = line.iter().fold(String::new(), |mut hex, b| {
            use std::fmt::Write as _;
            let _ = write!(hex, "{b:02x}");
            hex
        });
        sql(
            &pg,
            &format!(
                "INSERT INTO runbook_journal (seq, hash, line) VALUES ({}, '{}', decode('{hex}', 'hex'))",
                row.seq, row.hash
            ),
        );
        let second = alice.execute(
            &Act::Complete {
                step: step.to_owned(),
                note: Some("alice did it".into()),
                confirmed: false,
            },
            chrono::Utc::now(),
        );
        assert!(
            matches!(second, Err(LiveRunError::Rejected(_))),
            "{step} recorded twice: {second:?}"
        );
        // Her own note, appended, is in her state at once.
        let noted = alice
            .execute(
                &Act::Note {
                    step: Some(step.to_owned()),
                    text: "seen".into(),
                },
                chrono::Utc::now(),
            )
            .unwrap();
        assert_eq!(alice.state.last_seq, noted.last().unwrap().seq);
    }
}

/// The login that wrote each row, as the server knows it: `journal init`
/// adds the column to a journal from before it (its old rows stay
/// unknown), a client that sends another login is overruled, and `audit
/// verify`, `audit show` and `report` show it; with `db_roles` in the
/// registry, an entry in another operator's name than the login's owner
/// is reported.
#[test]
fn the_server_records_each_row_s_login_and_verify_checks_it_against_the_registry() {
    let pg = Pg::start();
    let state = tempfile::tempdir().unwrap();
    let url = pg.url();
    sql(
        &pg,
        "CREATE TABLE runbook_journal (seq bigint PRIMARY KEY, hash text NOT NULL UNIQUE, \
         line bytea NOT NULL, committed_at timestamptz NOT NULL DEFAULT clock_timestamp())",
    );
    ok(runbook(&url, state.path(), "ana").args(["__append", "--count", "2"]));
    ok(runbook(&url, state.path(), "ana").args(["journal", "init"]));
    // Its rows were written before anyone recorded who: unknown, never
    // guessed.
    assert_eq!(
        sql(
            &pg,
            "SELECT count(*) FILTER (WHERE db_login IS NULL) = count(*) AND count(*) >= 2 \
             FROM runbook_journal"
        ),
        "t"
    );

    sql(
        &pg,
        &format!(
            "CREATE ROLE operators; \
             CREATE ROLE alice_db LOGIN PASSWORD '{PASSWORD}' IN ROLE operators; \
             CREATE ROLE bob_db LOGIN PASSWORD '{PASSWORD}' IN ROLE operators"
        ),
    );
    ok(runbook(&url, state.path(), "ana").args(["journal", "init", "--grant", "operators"]));
    let as_login = |login: &str| url.replacen("postgres:$", &format!("{login}:$"), 1);
    let site = state.path().join("site.toml");
    std::fs::write(
        &site,
        "[[operator]]\nid = \"alice\"\ndb_roles = [\"alice_db\"]\n\n\
         [[operator]]\nid = \"bob\"\ndb_roles = [\"bob_db\"]\n",
    )
    .unwrap();
    let with_site = |journal: &str, operator: &str| {
        let mut command = runbook(journal, state.path(), operator);
        command.arg("--site").arg(&site);
        command
    };
    let walked = common::feed(
        with_site(&as_login("alice_db"), "alice").args(["run", "deploy", "--plain"]),
        "note from alice's own login\nquit\n",
    );
    assert!(walked.status.success(), "{}", text(&walked));
    // The harness's command line comes first.
    let append = |journal: &str, operator: &str| {
        let mut command = runbook(journal, state.path(), operator);
        command.arg("__append").arg("--site").arg(&site);
        command
    };
    ok(&mut append(&as_login("bob_db"), "bob"));

    // A client that says it is bob_db: the server writes who it is.
    let overruled = sql(
        &pg,
        "BEGIN; SET SESSION AUTHORIZATION alice_db; \
         INSERT INTO runbook_journal (seq, hash, line, db_login) \
         SELECT max(seq) + 1, repeat('b', 64), 'x'::bytea, 'bob_db' FROM runbook_journal \
         RETURNING db_login; ROLLBACK",
    );
    assert_eq!(overruled, "alice_db");

    let verified = ok(with_site(&url, "ana").args(["audit", "verify"]));
    assert!(
        verified.contains("database logins that wrote rows (recorded by the server): alice_db (")
            && verified.contains("bob_db (1)"),
        "{verified}"
    );
    let shown = ok(with_site(&url, "ana").args(["audit", "show"]));
    assert!(
        shown
            .lines()
            .any(|l| l.contains("alice db:alice_db") && l.contains("from alice's own login")),
        "{shown}"
    );
    let run = shown
        .lines()
        .find(|l| l.contains("from alice's own login"))
        .and_then(|l| l.split_whitespace().find(|w| w.starts_with("deploy-")))
        .unwrap()
        .to_owned();
    let report = ok(with_site(&url, "ana").args(["report", &run]));
    // Markdown escapes the underscore.
    assert!(report.contains("db alice\\_db"), "{report}");

    // Bob's name under alice's login: reported, naming the entry.
    ok(&mut append(&as_login("alice_db"), "bob"));
    let seq = sql(&pg, "SELECT max(seq) FROM runbook_journal");
    let out = with_site(&url, "ana")
        .args(["audit", "verify"])
        .output()
        .unwrap();
    let said = text(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(
        said.contains(&format!(
            "entry #{seq} (run -) was written under alice's database login alice_db but names bob"
        )),
        "{said}"
    );
}

/// Issue 25: on a database journal a command's output goes to the
/// database as it is printed, and any host reads and checks it there:
/// written from state folder A, which is then removed, it is printed and
/// verified from state folder B, carried by an export to a file journal
/// and by an import into another database, and a part changed behind the
/// triggers' back is caught.
#[test]
fn a_command_output_lives_in_the_database_and_any_host_reads_and_checks_it() {
    let pg = Pg::start();
    let (a, url) = started(&pg);
    let b = tempfile::tempdir().unwrap();
    let folder = tempfile::tempdir().unwrap();
    let (catalog, config) = streaming_catalog(folder.path());
    let on = |state: &Path| {
        let mut command = runbook(&url, state, "ana");
        command
            .env("RUNBOOK_CATALOG", &catalog)
            .env("XDG_CONFIG_HOME", &config)
            .stdin(Stdio::null());
        command
    };
    let out = common::feed(on(a.path()).args(["run", "ops", "--plain"]), "quit\n");
    let said = text(&out);
    let run = said
        .lines()
        .find_map(|l| l.split(" — run ").nth(1))
        .unwrap()
        .trim()
        .to_owned();

    let mut exec = on(a.path())
        .args(["exec", &run, "stream", "--yes"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The first part is in the database while the command still runs.
    wait_until(Duration::from_secs(10), || {
        sql(&pg, "SELECT count(*) FROM runbook_output") != "0"
    });
    assert!(exec.try_wait().unwrap().is_none(), "the command still runs");
    let status = exec.wait().unwrap();
    assert!(status.success());
    let seq = sql(&pg, "SELECT DISTINCT started FROM runbook_output");
    let parts: u32 = sql(&pg, "SELECT count(*) FROM runbook_output")
        .parse()
        .unwrap();
    assert!(
        parts >= 4,
        "1 s of slow output, then 600 kB in 256 KiB parts: {parts}"
    );
    let mut expected = b"first part\n".to_vec();
    expected.extend(std::iter::repeat_n(b'x', 600_000));
    expected.extend(b"\nlast part\n");

    // Host A's own copy is gone: B reads the database's.
    std::fs::remove_dir_all(a.path().join("runbook")).unwrap();
    let verified = ok(on(b.path()).args(["audit", "verify"]));
    assert!(
        verified.contains("outputs: 1 match their entries, 1 of them held by the database"),
        "{verified}"
    );
    let printed = on(b.path())
        .args(["journal", "output", &seq])
        .output()
        .unwrap();
    assert_eq!(printed.status.code(), Some(0), "{}", text(&printed));
    assert!(
        printed.stdout == expected,
        "{} bytes printed",
        printed.stdout.len()
    );
    seen_in_a_console_of_another_host(&url, b.path(), &catalog, &config, &run);
    let report = ok(on(b.path()).args(["report", &run]));
    assert!(
        report.contains(&format!("`runbook journal output {seq}`")),
        "{report}"
    );

    carried_to_a_file_and_another_database(&pg, &url, &on, b.path(), &seq, &expected);

    // A part changed by a superuser past the triggers is caught.
    sql(
        &pg,
        "ALTER TABLE runbook_output DISABLE TRIGGER runbook_output_no_change; \
         UPDATE runbook_output SET chunk = 'y' WHERE part = 1; \
         ALTER TABLE runbook_output ENABLE TRIGGER runbook_output_no_change",
    );
    let out = on(b.path()).args(["audit", "verify"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains(&format!("#{seq} (runbook_output)")),
        "{}",
        text(&out)
    );
    let out = on(b.path())
        .args([
            "journal",
            "output",
            &seq,
            "--out",
            folder.path().join("o").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("is not what was recorded"),
        "{}",
        text(&out)
    );
}

/// The output of `seq` (`expected`) carried by an export to a file journal
/// and by an import of that file into another database.
fn carried_to_a_file_and_another_database(
    pg: &Pg,
    url: &str,
    on: &dyn Fn(&Path) -> Command,
    b: &Path,
    seq: &str,
    expected: &[u8],
) {
    let folder = tempfile::tempdir().unwrap();
    let folder = folder.path();
    // Exported to a file journal, the output goes along, beside it.
    let exported = folder.join("export").join("journal.jsonl");
    std::fs::create_dir_all(exported.parent().unwrap()).unwrap();
    let said = ok(on(b).args(["journal", "export", exported.to_str().unwrap()]));
    assert!(said.contains("outputs: 1 carried"), "{said}");
    let exported_s = exported.to_str().unwrap();
    let said = ok(runbook(exported_s, b, "ana").args(["audit", "verify"]));
    assert!(said.contains("outputs: 1 match their entries"), "{said}");
    let printed = runbook(exported_s, b, "ana")
        .args(["journal", "output", seq])
        .output()
        .unwrap();
    assert!(printed.stdout == expected, "{}", text(&printed));

    // Imported into another database, the output is stored there.
    sql(pg, "CREATE DATABASE copy");
    let copy = url.replace("/postgres?", "/copy?");
    let c = tempfile::tempdir().unwrap();
    ok(runbook(&copy, c.path(), "ana").args(["journal", "init"]));
    let said = ok(runbook(&copy, c.path(), "ana").args(["journal", "import", exported_s]));
    assert!(said.contains("outputs: 1 carried"), "{said}");
    let said = ok(runbook(&copy, c.path(), "ana").args(["audit", "verify"]));
    assert!(
        said.contains("outputs: 1 match their entries, 1 of them held by the database"),
        "{said}"
    );
}

/// A catalog whose one step prints a line, waits 3 s, then prints 600 kB,
/// and a config that lets it run.
fn streaming_catalog(folder: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let catalog = folder.join("catalog.toml");
    std::fs::write(
        &catalog,
        "[[procedure]]\nid = \"ops\"\nkind = \"maintenance\"\ntitle = \"Commands\"\nasks_severity = false\n\n\
         [[procedure.section]]\nid = \"s\"\ntitle = \"Steps\"\n\n\
         [[procedure.section.step]]\nid = \"stream\"\ntext = \"Prints, waits, prints more\"\n\
         run = { shell = \"echo first part; sleep 3; head -c 600000 /dev/zero | tr '\\\\0' x; echo; echo last part\" }\n",
    )
    .unwrap();
    let config = folder.join("config");
    std::fs::create_dir_all(config.join("runbook")).unwrap();
    std::fs::write(config.join("runbook/config.toml"), "exec = true\n").unwrap();
    (catalog, config)
}

/// The console of host B, whose state folder never held the file: `o` on
/// the step shows the end of its output, read from the database.
fn seen_in_a_console_of_another_host(
    url: &str,
    b: &Path,
    catalog: &Path,
    config: &Path,
    run: &str,
) {
    let mut console = common::pty::Console::spawn_env(
        url,
        "ana",
        &["resume", run],
        "xterm-256color",
        &[
            ("RUNBOOK_PG_PASSWORD", PASSWORD),
            ("XDG_STATE_HOME", b.to_str().unwrap()),
            ("RUNBOOK_CATALOG", catalog.to_str().unwrap()),
            ("XDG_CONFIG_HOME", config.to_str().unwrap()),
        ],
    );
    console.wait_for("1.1 Prints, waits, prints more");
    console.send("o");
    console.wait_for_all(&[" Output ", "last part", "xxxxxxxx"]);
    console.send("q");
    console.wait_for("Open runs");
    console.send("q");
    assert_eq!(console.exit_within(Duration::from_secs(5)), 0);
}
