//! The database journal across hosts, against a real PostgreSQL started
//! here: decisions under the lock, each row's login checked against the
//! registry, command output kept in the database, and a console of
//! another host seeing what was recorded.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "pg_journal/support.rs"]
mod support;

use common::wait_until;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::pg::{PASSWORD, Pg};

use support::*;

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
        foreign_account: None,
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
                hold: None,
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
                override_hold: None,
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
