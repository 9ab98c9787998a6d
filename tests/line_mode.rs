//! Line mode end to end: the real binary driven through standard input,
//! then the journal verified and the report read.

// Helpers of tests may unwrap: a failure there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn runbook(journal: &Path, operator: &str) -> Command {
    common::runbook(journal, operator)
}

fn drive(journal: &Path, operator: &str, args: &[&str], input: &str) -> Output {
    common::feed(runbook(journal, operator).args(args), input)
}

/// The standard output of a run that must have exited 0 (else both outputs).
fn succeeded(out: &Output) -> String {
    let stdout = text(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        text(&out.stderr)
    );
    stdout
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn run_id(stdout: &str) -> String {
    let line = stdout.lines().find(|l| l.contains(" — run ")).unwrap();
    let id = line.split(" — run ").nth(1).unwrap();
    id.split(',').next().unwrap().trim().to_owned()
}

fn json(journal: &Path, args: &[&str]) -> serde_json::Value {
    let out = runbook(journal, "auditor").args(args).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A process's lines, read on a thread of their own: a process that never
/// says what is awaited fails the test at the deadline instead of hanging
/// it.
fn lines_of(output: impl std::io::Read + Send + 'static) -> std::sync::mpsc::Receiver<String> {
    use std::io::BufRead;
    let (lines, heard) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(output)
            .lines()
            .map_while(Result::ok)
        {
            let _ = lines.send(line);
        }
    });
    heard
}

/// Reads lines into `said` until one holds `text` (10 s at most).
fn wait_said(heard: &std::sync::mpsc::Receiver<String>, text: &str, said: &mut String) {
    while !said.contains(text) {
        let line = heard
            .recv_timeout(std::time::Duration::from_secs(10))
            .unwrap_or_else(|_| panic!("never said `{text}`: {said}"));
        said.push_str(&line);
        said.push('\n');
    }
}

#[test]
fn a_whole_procedure_walked_from_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let input = "done\nskip rotated last month, see key-rotation run\ndone\ndone\ndone nearest expiry 2027-03-01\nfinish\n";
    let out = drive(
        &journal,
        "alice",
        &["run", "psp-quarterly", "--plain"],
        input,
    );
    let stdout = succeeded(&out);
    assert!(
        stdout.contains("refused: step `ssl-valid` needs a note as evidence"),
        "{stdout}"
    );
    assert!(
        stdout.contains("run finished. Report: runbook report"),
        "{stdout}"
    );
    let id = run_id(&stdout);

    let verify = runbook(&journal, "auditor")
        .args(["audit", "verify"])
        .output()
        .unwrap();
    assert_eq!(verify.status.code(), Some(0), "{}", text(&verify.stdout));

    let report = runbook(&journal, "auditor")
        .args(["report", &id])
        .output()
        .unwrap();
    let md = text(&report.stdout);
    assert!(
        md.contains(&format!("# Run `{id}` — Quarterly PSP checklist")),
        "{md}"
    );
    assert!(md.contains("- Outcome: finished by alice"), "{md}");
    assert!(md.contains("skipped: API keys rotated (`api-keys-rotated`) — because “rotated last month, see key-rotation run”"), "{md}");
    assert!(
        md.contains("done: SSL certificates valid (`ssl-valid`) — “nearest expiry 2027-03-01”"),
        "{md}"
    );
    assert!(
        md.contains("- `api-keys-rotated`, by alice: rotated last month"),
        "{md}"
    );
    assert!(md.contains("- Journal: intact"), "{md}");

    let timeline = json(&journal, &["report", &id, "--format", "json"]);
    let shown = json(&journal, &["show", "psp-quarterly", "--json"]);
    assert_eq!(timeline["procedure_hash"], shown["content_hash"]);
    assert_eq!(timeline["procedure_unchanged"], true);
    assert_eq!(timeline["journal"]["intact"], true);
    assert_eq!(timeline["open_steps"].as_array().unwrap().len(), 0);

    let runs = json(&journal, &["runs", "--json"]);
    assert_eq!(runs[0]["id"], id.as_str());
    assert_eq!(runs[0]["phase"], "finished");
    assert_eq!(runs[0]["done"], 4);
    let open = json(&journal, &["runs", "--open", "--json"]);
    assert_eq!(open.as_array().unwrap().len(), 0);
}

#[test]
fn a_breach_needs_two_operators_and_its_deadline_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let alice = "done compromised API key K1 disabled\nyes\ndone logs copied to s3://evidence/1\n\
                 done one key, no personal data read\ndone no\n\
                 done no personal data: the CNIL is not notified\n\
                 done rotated and patched\nskip none needed: no user data\nfinish\nquit\n";
    let out = drive(&journal, "alice", &["run", "breach", "--plain"], alice);
    let stdout = succeeded(&out);
    assert!(
        stdout.contains("step `isolate` cannot be undone."),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "status: awaiting 2nd operator (proposed by alice; another operator must confirm it)"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("refused: required steps are still open: isolate, notify-cnil"),
        "{stdout}"
    );
    assert!(
        stdout.contains("deadline · CNIL notification: due"),
        "{stdout}"
    );
    let id = run_id(&stdout);

    // Alice cannot confirm her own step; Bob can.
    let own = drive(
        &journal,
        "alice",
        &["resume", &id, "--plain"],
        "confirm\nquit\n",
    );
    assert!(
        text(&own.stdout).contains("needs a second operator: alice proposed it"),
        "{}",
        text(&own.stdout)
    );
    // Bob on Alice's OS account is one person with two names: refused,
    // and nothing recorded.
    let before = std::fs::read(&journal).unwrap();
    let same = drive(
        &journal,
        "bob",
        &["resume", &id, "--plain"],
        "confirm\nquit\n",
    );
    assert!(
        text(&same.stdout).contains("a shared account cannot stand for two people"),
        "{}",
        text(&same.stdout)
    );
    let after = std::fs::read(&journal).unwrap();
    let added = String::from_utf8_lossy(&after[before.len()..]);
    assert!(!added.contains("step_confirmed"), "{added}");
    // A site that says names are taken as given (`require = "none"`).
    let site = dir.path().join("site.toml");
    std::fs::write(&site, "[identity]\nrequire = \"none\"\n").unwrap();
    let bob = drive(
        &journal,
        "bob",
        &["--site", site.to_str().unwrap(), "resume", &id, "--plain"],
        "confirm\nconfirm\nfinish\n",
    );
    let bob_out = text(&bob.stdout);
    assert_eq!(bob.status.code(), Some(0), "{bob_out}");
    assert!(bob_out.contains("run finished"), "{bob_out}");

    let timeline = json(&journal, &["report", &id, "--format", "json"]);
    let items = timeline["items"].as_array().unwrap();
    let confirmations: Vec<_> = items
        .iter()
        .filter(|i| i["event"].get("step_confirmed").is_some())
        .map(|i| i["operator"].as_str().unwrap())
        .collect();
    assert_eq!(confirmations, ["bob", "bob"]);
    let deadline = &timeline["deadlines"][0];
    assert_eq!(deadline["step"], "notify-cnil");
    assert_eq!(deadline["state"]["state"], "met");
    assert_eq!(timeline["operators"], serde_json::json!(["alice", "bob"]));
    let verify = runbook(&journal, "auditor")
        .args(["--site", site.to_str().unwrap(), "audit", "verify"])
        .output()
        .unwrap();
    assert_eq!(verify.status.code(), Some(0));
}

#[test]
fn leaving_and_resuming_finds_the_same_state() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    // Input ends without `quit`: the walk detaches by itself.
    let out = drive(
        &journal,
        "alice",
        &["run", "incident", "--severity", "P2", "--plain"],
        "done Sentry alert 02:14\n",
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(stdout.contains("left the run; it stays open"), "{stdout}");
    assert!(stdout.contains("deadline · Response time: due"), "{stdout}");
    let id = run_id(&stdout);

    let runs = json(&journal, &["runs", "--open", "--json"]);
    assert_eq!(runs[0]["phase"], "detached");
    assert_eq!(runs[0]["severity"], "P2");
    assert_eq!(runs[0]["next_deadline"]["step"], "qualification");

    // `resume` with no id picks the operator's open run, at its first open step.
    let again = drive(&journal, "alice", &["resume", "--plain"], "status\nquit\n");
    let again_out = text(&again.stdout);
    assert!(again_out.contains(&id), "{again_out}");
    assert!(again_out.contains("[x] 1.1 Detection"), "{again_out}");
    assert!(again_out.contains("step 2/6"), "{again_out}");

    // Abort needs a reason; then the run is closed and cannot be resumed.
    let closing = drive(
        &journal,
        "alice",
        &["resume", &id, "--plain"],
        "abort\nabort false alarm\n",
    );
    let closing_out = text(&closing.stdout);
    assert!(
        closing_out.contains("refused: a reason is required"),
        "{closing_out}"
    );
    assert!(closing_out.contains("run aborted"), "{closing_out}");
    let closed = drive(&journal, "alice", &["resume", &id, "--plain"], "");
    assert_eq!(closed.status.code(), Some(2));
    assert!(
        text(&closed.stderr).contains("the run is closed"),
        "{}",
        text(&closed.stderr)
    );
}

#[test]
fn an_incident_without_severity_is_refused_with_the_choices() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let out = drive(&journal, "alice", &["run", "incident", "--plain"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("needs a severity to start: one of P1, P2, P3, P4"));
    assert!(!journal.exists() || std::fs::read_to_string(&journal).unwrap().lines().count() <= 1);
}

#[test]
fn roles_given_in_the_config_file_allow_the_sign_off() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let input = "done crit: error rate 7 %\ndone VERSION_CODE 41\ndone\nyes\nquit\n";
    let refused = drive(&journal, "carol", &["run", "rollback", "--plain"], input);
    assert!(text(&refused.stdout).contains("must be signed off by a holder of role `tech-lead`"));

    let config = dir.path().join("config/runbook");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("config.toml"),
        "[roles]\ncarol = [\"tech-lead\"]\n",
    )
    .unwrap();
    let mut command = runbook(&journal, "carol");
    command.env("XDG_CONFIG_HOME", dir.path().join("config"));
    let out = common::feed(command.args(["run", "rollback", "--plain"]), input);
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(
            "runs a destructive command:\n    $ firebase appdistribution:releases:rollback"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("deadline · Rollback post-mortem: due"),
        "{stdout}"
    );

    let shown = runbook(&journal, "carol")
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .env("RUNBOOK_THEME", "mono")
        .arg("config")
        .output()
        .unwrap();
    let shown = text(&shown.stdout);
    assert!(
        shown.contains("roles of carol") && shown.contains("tech-lead"),
        "{shown}"
    );
    assert!(
        shown
            .lines()
            .any(|l| l.starts_with("theme") && l.contains("mono") && l.contains("RUNBOOK_THEME")),
        "{shown}"
    );
    assert!(
        shown
            .lines()
            .any(|l| l.starts_with("journal ") && l.contains("RUNBOOK_JOURNAL")),
        "{shown}"
    );
}

#[test]
fn a_broken_config_file_is_named_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("runbook");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("config.toml"),
        "theme = \"dark\"\nthme = \"mono\"\n",
    )
    .unwrap();
    let out = runbook(&dir.path().join("j.jsonl"), "carol")
        .env("XDG_CONFIG_HOME", dir.path())
        .arg("list")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("config.toml") && stderr.contains("line 2") && stderr.contains("thme"),
        "{stderr}"
    );
}

/// Issue 25: line mode waits for a journal that does not answer, and says
/// so every few seconds; once the journal takes the entry, it is recorded
/// and the walk goes on.
#[test]
fn line_mode_waits_for_a_stuck_journal_and_says_so() {
    use std::io::{BufRead, Write};
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    succeeded(&drive(
        &journal,
        "ana",
        &["run", "deploy", "--plain"],
        "quit\n",
    ));
    let mut child = runbook(&journal, "ana")
        .args(["resume", "--plain"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Resumed (that is an entry too), then the journal gets stuck.
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut shown = String::new();
    while !shown.contains(" — run ") {
        let mut line = String::new();
        assert!(stdout.read_line(&mut line).unwrap() > 0, "{shown}");
        shown.push_str(&line);
    }
    let held = common::Held::lock(&journal);
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(b"note while the journal is stuck\n")
        .unwrap();
    stdin.flush().unwrap();
    let heard = lines_of(child.stderr.take().unwrap());
    let mut said = String::new();
    wait_said(&heard, "journal not answering for", &mut said);
    assert!(
        said.contains("nothing recorded yet, still waiting"),
        "{said}"
    );
    assert!(
        !common::events(&journal)
            .iter()
            .any(|e| matches!(e, runbook::run::Event::NoteAdded { .. }))
    );
    drop(held);
    stdin.write_all(b"quit\n").unwrap();
    drop(stdin);
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut rest).unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{rest}");
    assert!(rest.contains("recorded #"), "{rest}");
    assert!(common::events(&journal).iter().any(|e| matches!(
        e,
        runbook::run::Event::NoteAdded { text, .. } if text == "while the journal is stuck"
    )));
}

#[test]
fn a_teammates_note_is_said_without_waiting_for_a_line() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let mut alice = runbook(&journal, "alice")
        .args(["run", "deploy", "--plain"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let heard = lines_of(alice.stdout.take().unwrap());
    let mut said = String::new();
    wait_said(&heard, " — run ", &mut said);
    let run = run_id(&said);
    // Bob joins and writes a note; Alice types nothing meanwhile.
    let bob = drive(
        &journal,
        "bob",
        &["resume", &run, "--plain"],
        "note hello from bob\nquit\n",
    );
    succeeded(&bob);
    wait_said(&heard, "hello from bob", &mut said);
    let line = said.lines().find(|l| l.contains("hello from bob")).unwrap();
    assert!(line.contains("bob: "), "{said}");
    let mut stdin = alice.stdin.take().unwrap();
    stdin.write_all(b"quit\n").unwrap();
    drop(stdin);
    assert_eq!(alice.wait().unwrap().code(), Some(0));
}

/// `done` on a step another operator proposed is its confirmation, as
/// Enter is in the console; on one's own it waits for a second operator.
#[test]
fn done_by_a_second_operator_confirms_a_two_person_step() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let alice = "done compromised API key K1 disabled\nyes\ngoto isolate\ndone\nquit\n";
    let out = drive(&journal, "alice", &["run", "breach", "--plain"], alice);
    let stdout = succeeded(&out);
    assert!(
        stdout.contains("waits for another operator to confirm it"),
        "{stdout}"
    );
    let id = run_id(&stdout);
    let site = dir.path().join("site.toml");
    std::fs::write(&site, "[identity]\nrequire = \"none\"\n").unwrap();
    let bob = drive(
        &journal,
        "bob",
        &["--site", site.to_str().unwrap(), "resume", &id, "--plain"],
        "goto isolate\ndone\nquit\n",
    );
    succeeded(&bob);
    let confirmed = common::events(&journal)
        .into_iter()
        .any(|e| matches!(e, runbook::run::Event::StepConfirmed { step } if step == "isolate"));
    assert!(confirmed, "{}", text(&bob.stdout));
}
