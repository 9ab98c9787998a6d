//! Executable steps end to end: the real binary runs real processes from
//! `tests/fixtures/exec/catalog.toml`, and the journal, the output files
//! and `audit verify` are read back.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::events;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use runbook::run::Event;

const TOKEN: &str = "tok-9f8e7d6c5b4a";
const OTHER: &str = "other-1a2b3c4d";

struct Setup {
    _dir: tempfile::TempDir,
    journal: PathBuf,
    config: PathBuf,
    run: String,
}

fn catalog() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/exec/catalog.toml")
}

fn runbook(setup: &Setup, operator: &str) -> Command {
    let mut command = common::runbook(&setup.journal, operator);
    command
        .env("RUNBOOK_CATALOG", catalog())
        .env("XDG_CONFIG_HOME", &setup.config)
        .env("EXEC_TEST_TOKEN", TOKEN)
        .env("EXEC_OTHER_SECRET", OTHER)
        .stdin(Stdio::null());
    command
}

/// A journal with one open run of the `ops` procedure, and a config that
/// allows running commands (unless `exec` is false).
fn setup(exec: bool) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    std::fs::create_dir_all(config.join("runbook")).unwrap();
    std::fs::write(
        config.join("runbook/config.toml"),
        format!("exec = {exec}\nredact = [\"EXEC_OTHER_SECRET\"]\n"),
    )
    .unwrap();
    let mut setup = Setup {
        journal: dir.path().join("journal.jsonl"),
        config,
        _dir: dir,
        run: String::new(),
    };
    let out = common::feed(
        runbook(&setup, "alice").args(["run", "ops", "--plain"]),
        "quit\n",
    );
    let stdout = text(&out);
    let line = stdout.lines().find(|l| l.contains(" — run ")).unwrap();
    line.split(" — run ")
        .nth(1)
        .unwrap()
        .trim()
        .clone_into(&mut setup.run);
    setup
}

fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn exec(setup: &Setup, step: &str, extra: &[&str]) -> Output {
    runbook(setup, "alice")
        .args(["exec", &setup.run, step])
        .args(extra)
        .output()
        .unwrap()
}

/// `runbook exec` of `step` under way: its command has printed `first`.
fn started(setup: &Setup, step: &str, first: &[u8]) -> std::process::Child {
    let mut child = runbook(setup, "alice")
        .args(["exec", &setup.run, step, "--yes"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = vec![0u8; first.len()];
    std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut line).unwrap();
    assert_eq!(line, first);
    child
}

/// The last `command_finished` of `step`: outcome and output as JSON.
fn finished(journal: &Path, step: &str) -> serde_json::Value {
    let event = events(journal)
        .into_iter()
        .rev()
        .find(|e| matches!(e, Event::CommandFinished { step: s, .. } if s == step))
        .unwrap_or_else(|| panic!("no command_finished for {step}"));
    serde_json::to_value(event).unwrap()["command_finished"].clone()
}

fn output_file(setup: &Setup, finished: &serde_json::Value) -> PathBuf {
    setup
        .journal
        .parent()
        .unwrap()
        .join(finished["output"]["file"].as_str().unwrap())
}

fn verify(setup: &Setup) -> Output {
    runbook(setup, "auditor")
        .args(["audit", "verify"])
        .output()
        .unwrap()
}

#[test]
fn a_command_that_succeeds_is_recorded_before_and_after_and_its_file_pinned() {
    let setup = setup(true);
    let out = exec(&setup, "tick", &["--yes"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(text(&out), "fine\n");
    let all = events(&setup.journal);
    let started = all
        .iter()
        .position(|e| matches!(e, Event::CommandStarted { step, .. } if step == "tick"))
        .unwrap();
    assert!(matches!(&all[started + 1], Event::CommandFinished { .. }));
    assert!(
        matches!(&all[started + 2], Event::StepCompleted { step, .. } if step == "tick"),
        "done_on_success ticks the step: {:?}",
        &all[started..]
    );
    let done = finished(&setup.journal, "tick");
    assert_eq!(done["outcome"]["exit"], 0);
    assert_eq!(done["output"]["bytes"], 5);
    assert_eq!(done["output"]["tail"], "fine\n");
    let file = output_file(&setup, &done);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "fine\n");
    let mode = std::fs::metadata(&file).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    assert_eq!(verify(&setup).status.code(), Some(0));

    // An edited output file is found by verify.
    std::fs::write(&file, "fine, honest\n").unwrap();
    let out = verify(&setup);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out).contains("is not what was recorded"),
        "{}",
        text(&out)
    );
}

#[test]
fn a_command_that_fails_exits_with_its_status_and_keeps_its_tail() {
    let setup = setup(true);
    let out = exec(&setup, "fails", &["--yes"]);
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("exit 3"), "{stderr}");
    assert!(stderr.contains("the command failed"), "{stderr}");
    let done = finished(&setup.journal, "fails");
    assert_eq!(done["outcome"]["exit"], 3);
    assert_eq!(done["output"]["tail"], "about to fail\nthe disk is full\n");
    // Not ticked: the step is still open.
    let resumed = common::feed(
        runbook(&setup, "alice").args(["resume", &setup.run, "--plain"]),
        "goto fails\nquit\n",
    );
    let shown = text(&resumed);
    assert!(shown.contains("status: to do"), "{shown}");
    assert!(shown.contains("exit 3"), "{shown}");
}

#[test]
fn secrets_never_reach_the_journal_the_output_file_or_the_screen() {
    let setup = setup(true);
    let out = exec(&setup, "secret", &["--yes"]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = text(&out);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        stdout,
        "token=[redacted]\nenv=[redacted]\nalso [redacted]\n"
    );
    let done = finished(&setup.journal, "secret");
    let file = std::fs::read_to_string(output_file(&setup, &done)).unwrap();
    let journal = std::fs::read_to_string(&setup.journal).unwrap();
    for (place, text) in [
        ("stdout", &stdout),
        ("stderr", &stderr),
        ("file", &file),
        ("journal", &journal),
    ] {
        assert!(
            !text.contains(TOKEN) && !text.contains(OTHER),
            "{place}: {text}"
        );
    }
    assert!(
        journal.contains("token='[redacted]'"),
        "the command as shown is masked too"
    );
    let dry = text(&exec(&setup, "secret", &["--dry-run"]));
    assert!(dry.contains("[redacted]") && !dry.contains(TOKEN), "{dry}");
}

#[test]
fn a_command_that_ignores_sigint_is_killed_after_grace_and_recorded_so() {
    let setup = setup(true);
    // Its first line says it is up: the trap is set.
    let child = started(&setup, "stubborn", b"ready\n");
    let pid = child.id().to_string();
    let status = Command::new("sh")
        .args(["-c", "kill -s INT \"$1\"", "sh", &pid])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(128 + 15), "ended by SIGTERM");
    let done = finished(&setup.journal, "stubborn");
    assert_eq!(done["outcome"]["stopped"], "interrupted");
    assert_eq!(
        done["outcome"]["sent"],
        serde_json::json!(["SIGINT", "SIGTERM"])
    );
    assert_eq!(done["outcome"]["signal"], "SIGTERM");
}

#[test]
fn a_command_that_outlives_its_timeout_is_stopped_and_recorded_so() {
    let setup = setup(true);
    let out = exec(&setup, "slow", &["--yes"]);
    assert_eq!(out.status.code(), Some(128 + 15));
    let done = finished(&setup.journal, "slow");
    assert_eq!(done["outcome"]["stopped"], "timed_out");
    assert_eq!(done["outcome"]["sent"], serde_json::json!(["SIGTERM"]));
    assert!(done["duration_ms"].as_u64().unwrap() < 10_000);
    assert_eq!(done["output"]["tail"], "started\n");
}

#[test]
fn exec_off_refuses_and_says_how_to_allow_it() {
    let setup = setup(false);
    let out = exec(&setup, "hello", &["--yes"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("add `exec = true` to"), "{stderr}");
    assert!(stderr.contains("config.toml"), "{stderr}");
    assert!(
        !events(&setup.journal)
            .iter()
            .any(|e| matches!(e, Event::CommandStarted { .. }))
    );
    // A dry run is still allowed: it runs nothing.
    let dry = exec(&setup, "hello", &["--dry-run"]);
    assert_eq!(dry.status.code(), Some(0));
    assert!(text(&dry).contains(&format!("would run: echo hello from {}", setup.run)));
    let shown = text(&runbook(&setup, "alice").arg("config").output().unwrap());
    assert!(
        shown
            .lines()
            .any(|l| l.starts_with("exec") && l.contains("false")),
        "{shown}"
    );
}

#[test]
fn a_confirm_step_needs_its_id_and_a_two_person_step_a_second_operator_first() {
    let setup = setup(true);
    let out = exec(&setup, "wipe", &["--yes"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--confirm wipe"));
    assert_eq!(
        exec(&setup, "wipe", &["--confirm", "wipe"]).status.code(),
        Some(0)
    );

    let asked = exec(&setup, "pair", &["--yes"]);
    assert_eq!(asked.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&asked.stderr).contains("--approve"));
    let own = runbook(&setup, "alice")
        .args(["exec", &setup.run, "pair", "--approve"])
        .output()
        .unwrap();
    assert_eq!(own.status.code(), Some(2), "the asker cannot approve");
    // Bob on the asker's OS account is the same person under another name.
    let same = runbook(&setup, "bob")
        .args(["exec", &setup.run, "pair", "--approve"])
        .output()
        .unwrap();
    assert_eq!(same.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&same.stderr)
            .contains("a shared account cannot stand for two people"),
        "{same:?}"
    );
    // A site that takes names as given.
    let site = setup.config.join("names.toml");
    std::fs::write(&site, "[identity]\nrequire = \"none\"\n").unwrap();
    let approved = runbook(&setup, "bob")
        .args([
            "--site",
            site.to_str().unwrap(),
            "exec",
            &setup.run,
            "pair",
            "--approve",
        ])
        .output()
        .unwrap();
    assert_eq!(approved.status.code(), Some(0));
    let ran = exec(&setup, "pair", &["--yes"]);
    assert_eq!(text(&ran), "paired\n");
    let all = events(&setup.journal);
    let approval = all
        .iter()
        .position(|e| matches!(e, Event::CommandApproved { .. }))
        .unwrap();
    let start = all
        .iter()
        .position(|e| matches!(e, Event::CommandStarted { step, .. } if step == "pair"))
        .unwrap();
    assert!(approval < start, "approved before it ran, not after");
}

#[test]
fn a_request_for_a_second_operator_is_told_before_runbook_exec_ends() {
    let setup = setup(true);
    let receiver = common::receiver::Receiver::start();
    let site = setup.config.join("site.toml");
    std::fs::write(
        &site,
        "[[notify]]\nid = \"chat\"\nkind = \"slack\"\nurl = \"${CHAT_URL}\"\non = [\"approval_needed\"]\n",
    )
    .unwrap();
    let asked = runbook(&setup, "alice")
        .args(["exec", &setup.run, "pair", "--yes"])
        .env("RUNBOOK_SITE", &site)
        .env("CHAT_URL", receiver.url("/chat"))
        .output()
        .unwrap();
    assert_eq!(asked.status.code(), Some(2), "{asked:?}");
    // No watch, no console: the process told the team itself.
    let told = receiver.received("/chat");
    assert_eq!(told.len(), 1, "{told:#?}");
    let text = told[0].json()["text"].as_str().unwrap().to_owned();
    assert!(
        text.contains("a second operator is needed") && text.contains("alice"),
        "{text}"
    );
}

#[test]
fn not_runnable_steps_and_unknown_ones_are_refused() {
    let setup = setup(true);
    let out = exec(&setup, "manual", &["--yes"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("has no command runbook may run"));
    assert_eq!(exec(&setup, "nope", &["--yes"]).status.code(), Some(2));
}

/// The peak resident memory of `pid` so far, in KiB.
fn peak_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[test]
fn two_hundred_megabytes_of_output_keep_memory_bounded() {
    let setup = setup(true);
    let mut child = runbook(&setup, "alice")
        .args(["exec", &setup.run, "big", "--yes"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut stdout = child.stdout.take().unwrap();
    let mut total = 0u64;
    let mut peak = 0;
    let mut buf = vec![0u8; 1 << 16];
    let mut last = Instant::now();
    loop {
        let n = std::io::Read::read(&mut stdout, &mut buf).unwrap();
        if n == 0 {
            break;
        }
        total += n as u64;
        if last.elapsed() > Duration::from_millis(20) {
            peak = peak.max(peak_kib(pid).unwrap_or(0));
            last = Instant::now();
        }
    }
    assert!(child.wait().unwrap().success());
    // 200 MiB of `x` in lines of 100.
    // `fold` puts no newline after the last line.
    let expected = 209_715_200 + 209_715_200 / 100 - 1;
    assert_eq!(total, expected);
    let done = finished(&setup.journal, "big");
    assert_eq!(done["output"]["bytes"], expected);
    assert_eq!(done["output"]["tail"].as_str().unwrap().len(), 4096);
    assert!(peak > 0, "the peak was read while it ran");
    assert!(peak < 64 * 1024, "peak RSS {peak} KiB for 200 MB of output");
}

#[test]
fn runbook_killed_while_its_command_runs_leaves_it_started_outcome_unknown() {
    let setup = setup(true);
    let mut child = started(&setup, "long", b"begun\n");
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        !events(&setup.journal)
            .iter()
            .any(|e| matches!(e, Event::CommandFinished { step, .. } if step == "long"))
    );
    let resumed = common::feed(
        runbook(&setup, "alice").args(["resume", &setup.run, "--plain"]),
        "goto long\nquit\n",
    );
    let shown = text(&resumed);
    assert!(shown.contains("started, outcome unknown"), "{shown}");
    assert!(shown.contains("status: to do"), "never done: {shown}");
    let report = text(
        &runbook(&setup, "alice")
            .args(["report", &setup.run])
            .output()
            .unwrap(),
    );
    assert!(report.contains("started, outcome unknown"), "{report}");
}

/// The second operator's "run" on a command someone else asked for is
/// the approval in every front end, given deliberately: line mode asks
/// and takes `oui` as well as `yes` whatever the language, `runbook exec`
/// wants its `--approve` and says so.
#[test]
fn a_second_operator_approves_through_the_same_flow_in_every_front_end() {
    let setup = setup(true);
    let asked = exec(&setup, "pair", &["--yes"]);
    assert_eq!(asked.status.code(), Some(2));
    let site = setup.config.join("names.toml");
    std::fs::write(&site, "[identity]\nrequire = \"none\"\n").unwrap();
    let site = site.to_str().unwrap();

    let unflagged = runbook(&setup, "bob")
        .args(["--site", site, "exec", &setup.run, "pair", "--yes"])
        .output()
        .unwrap();
    assert_eq!(unflagged.status.code(), Some(2));
    let said = String::from_utf8_lossy(&unflagged.stderr);
    assert!(said.contains("alice asks to run `echo paired`"), "{said}");
    assert!(said.contains("--approve"), "{said}");
    let approvals = |setup: &Setup| {
        events(&setup.journal)
            .iter()
            .filter(|e| matches!(e, Event::CommandApproved { .. }))
            .count()
    };
    assert_eq!(approvals(&setup), 0, "--yes is not an approval");

    let declined = common::feed(
        runbook(&setup, "bob").args(["--site", site, "resume", &setup.run, "--plain"]),
        "goto pair\nexec\nno\nquit\n",
    );
    assert!(
        text(&declined).contains("Approve it?"),
        "{}",
        text(&declined)
    );
    assert_eq!(approvals(&setup), 0, "a no approves nothing");

    let approved = common::feed(
        runbook(&setup, "bob").args(["--site", site, "resume", &setup.run, "--plain"]),
        "goto pair\nexec\noui\nquit\n",
    );
    assert!(
        text(&approved).contains("approved: the command of pair may now run"),
        "{}",
        text(&approved)
    );
    assert_eq!(approvals(&setup), 1);
    assert_eq!(text(&exec(&setup, "pair", &["--yes"])), "paired\n");
}
