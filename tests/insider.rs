//! One person alone against the controls (issue 35), through the real
//! binary: what the rules refuse at the time, and what `audit verify`,
//! re-deciding every entry with the same decision function, names when a
//! tampered client or a line written by hand gets past them. The honest
//! paths (a holder's sign-off, two people, an approved command) stay
//! intact.

// Helpers of tests may unwrap: a failure there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::forge;

/// The team's site: alice holds tech-lead; names are taken as given (the
/// test runs every person on one OS account).
const TEAM: &str =
    "[identity]\nrequire = \"none\"\n\n[[role]]\nid = \"tech-lead\"\nholders = [\"alice\"]\n";

struct Team {
    dir: tempfile::TempDir,
    journal: PathBuf,
    site: PathBuf,
}

fn team() -> Team {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("team.toml");
    std::fs::write(&site, TEAM).unwrap();
    Team {
        journal: dir.path().join("journal.jsonl"),
        site,
        dir,
    }
}

fn runbook(team: &Team, operator: &str) -> Command {
    let mut command = common::runbook(&team.journal, operator);
    command.arg("--site").arg(&team.site);
    command
}

fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

/// Alice starts a deploy and leaves it open; its id.
fn deploy(team: &Team) -> String {
    let out = common::feed(
        runbook(team, "alice").args(["run", "deploy", "--plain"]),
        "quit\n",
    );
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    run_of(&said)
}

/// The id of the run a `run … --plain` started, from what it said.
fn run_of(said: &str) -> String {
    let line = said.lines().find(|l| l.contains(" — run ")).expect(said);
    let id = line.split(" — run ").nth(1).unwrap();
    id.split(',').next().unwrap().trim().to_owned()
}

fn verify(team: &Team) -> Output {
    runbook(team, "auditor")
        .args(["audit", "verify"])
        .output()
        .unwrap()
}

/// Appends, by hand, an entry of `run` by `operator` dated now: `event`
/// is its JSON.
fn forge_now(journal: &Path, operator: &str, run: &str, event: &str) {
    let fields = format!(
        "\"ts\":\"{}\",\"operator\":\"{operator}\",\"host\":\"vm\",\"session\":\"s\",\"run\":\"{run}\",\"event\":{event}",
        now()
    );
    forge(journal, &fields);
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[test]
fn a_sign_off_by_someone_without_the_role_is_refused_and_a_forged_one_is_named() {
    let team = team();
    let run = deploy(&team);
    // Mallory, no role: refused at the time, for doing, skipping and
    // failing the step alike.
    let out = common::feed(
        runbook(&team, "mallory").args(["resume", &run, "--plain"]),
        "goto rollout-10\ndone\nskip n/a\nfail broken\nquit\n",
    );
    let said = text(&out);
    assert_eq!(
        said.matches("holder of role `tech-lead`").count(),
        3,
        "{said}"
    );
    let verify_honest = verify(&team);
    assert_eq!(
        verify_honest.status.code(),
        Some(0),
        "{}",
        text(&verify_honest)
    );

    // A tampered client writes it anyway.
    let skipped = r#"{"step_skipped":{"step":"rollout-10","reason":"n/a"}}"#;
    forge_now(&team.journal, "mallory", &run, skipped);
    let out = verify(&team);
    let said = text(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("by mallory, breaks the rules"), "{said}");
    assert!(said.contains(&run), "{said}");
    assert!(said.contains("tech-lead"), "{said}");
}

#[test]
fn a_resume_under_an_edited_catalog_is_refused_and_its_entries_named() {
    let team = team();
    let run = deploy(&team);
    // A copy of the checklists with the deploy's roles, gates and holds
    // taken out.
    let edited = team.dir.path().join("mycat");
    std::fs::create_dir(&edited).unwrap();
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("checklists");
    for file in std::fs::read_dir(&bundled).unwrap() {
        let path = file.unwrap().path();
        let mut content = std::fs::read_to_string(&path).unwrap();
        if path.file_name().unwrap() == "deploy.toml" {
            content = content
                .lines()
                .filter(|l| {
                    !l.starts_with("role =") && !l.starts_with("gate =") && !l.starts_with("hold =")
                })
                .collect::<Vec<_>>()
                .join("\n");
        }
        std::fs::write(edited.join(path.file_name().unwrap()), content).unwrap();
    }
    let out = common::feed(
        runbook(&team, "mallory")
            .arg("--catalog")
            .arg(&edited)
            .args(["resume", &run, "--plain"]),
        "goto rollout-10\ndone\nquit\n",
    );
    let said = text(&out);
    assert!(!out.status.success(), "{said}");
    assert!(
        said.contains("a run goes on only under the rules it started with"),
        "{said}"
    );
    // The difference is named from the content the run pinned.
    assert!(said.contains("step `rollout-10`: "), "{said}");
    assert!(said.contains("`role`"), "{said}");
    assert!(
        !std::fs::read_to_string(&team.journal)
            .unwrap()
            .contains(r#"{"step_completed":{"step":"rollout-10""#)
    );

    // What such a client would have written, day one and then at once the
    // 50 % step two days early.
    for step in ["rollout-10", "rollout-50"] {
        let done = format!("{{\"step_completed\":{{\"step\":\"{step}\"}}}}");
        forge_now(&team.journal, "mallory", &run, &done);
    }
    let out = verify(&team);
    let said = text(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("tech-lead"), "{said}");
    assert!(said.contains("1 more problem"), "{said}");

    // Verified under the edited catalog, the run is still judged by the
    // procedure it pinned, and the other catalog is said.
    let out = runbook(&team, "auditor")
        .arg("--catalog")
        .arg(&edited)
        .args(["audit", "verify"])
        .output()
        .unwrap();
    let said = text(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("tech-lead"), "{said}");
    assert!(said.contains("judged by the one it pinned"), "{said}");
}

#[test]
fn a_line_dated_with_an_offset_is_named_not_compared_as_text() {
    let team = team();
    let run = deploy(&team);
    let fields = format!(
        "\"ts\":\"2026-01-02T03:00:00.000+23:00\",\"operator\":\"alice\",\"host\":\"vm\",\"session\":\"s\",\"run\":\"{run}\",\"event\":{{\"note_added\":{{\"text\":\"backdated\"}}}}"
    );
    forge(&team.journal, &fields);
    let out = verify(&team);
    let said = text(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("not a UTC instant ending in Z"), "{said}");
}

/// A catalog with one two-person step whose command takes a variable from
/// the environment, and a config that allows running commands.
fn purge_setup(team: &Team) -> PathBuf {
    let catalog = team.dir.path().join("purge.toml");
    std::fs::write(
        &catalog,
        r#"[vars]
purge_target = { env = "PURGE_TARGET" }

[[role]]
id = "tech-lead"
title = "Tech lead"

[[procedure]]
id = "purge"
kind = "maintenance"
title = "Purge a cache"

[[procedure.section]]
id = "s"
title = "Steps"

[[procedure.section.step]]
id = "purge"
text = "Purge, with a second operator's approval"
two_person = true
commands = ["echo PURGING ${purge_target}"]
run = true
"#,
    )
    .unwrap();
    let config = team.dir.path().join("config/runbook");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("config.toml"), "exec = true\n").unwrap();
    catalog
}

fn purge_as(team: &Team, catalog: &Path, operator: &str, target: &str) -> Command {
    let mut command = runbook(team, operator);
    command
        .env("RUNBOOK_CATALOG", catalog)
        .env("XDG_CONFIG_HOME", team.dir.path().join("config"))
        .env("PURGE_TARGET", target)
        .stdin(std::process::Stdio::null());
    command
}

#[test]
fn the_command_run_is_the_command_approved() {
    let team = team();
    let catalog = purge_setup(&team);
    let out = common::feed(
        purge_as(&team, &catalog, "mallory", "staging").args(["run", "purge", "--plain"]),
        "quit\n",
    );
    let said = text(&out);
    let run = run_of(&said);
    let exec = |operator: &str, target: &str, flag: &str| {
        purge_as(&team, &catalog, operator, target)
            .args(["exec", &run, "purge", flag])
            .output()
            .unwrap()
    };
    let asked = exec("mallory", "staging", "--yes");
    assert_eq!(asked.status.code(), Some(2), "{}", text(&asked));
    let approved = exec("bob", "staging", "--approve");
    assert_eq!(approved.status.code(), Some(0), "{}", text(&approved));

    let other = exec("mallory", "production", "--yes");
    let said = text(&other);
    assert_eq!(other.status.code(), Some(2), "{said}");
    assert!(said.contains("is not the command approved"), "{said}");
    assert!(said.contains("echo PURGING staging"), "{said}");
    let journal = std::fs::read_to_string(&team.journal).unwrap();
    assert!(
        !journal.contains("PURGING production"),
        "nothing ran: {journal}"
    );

    let ran = exec("mallory", "staging", "--yes");
    assert_eq!(String::from_utf8_lossy(&ran.stdout), "PURGING staging\n");
    let verify_out = purge_as(&team, &catalog, "auditor", "")
        .args(["audit", "verify"])
        .output()
        .unwrap();
    assert_eq!(verify_out.status.code(), Some(0), "{}", text(&verify_out));
}

/// A site whose registry gives alice her own OS account, under the
/// default `require = "account"`.
fn accounts_team() -> Team {
    let team = team();
    std::fs::write(
        &team.site,
        "[[role]]\nid = \"tech-lead\"\nholders = [\"alice\"]\n\n[[operator]]\nid = \"alice\"\nos_users = [\"alice\"]\nroles = [\"tech-lead\"]\n",
    )
    .unwrap();
    team
}

#[test]
fn a_name_that_is_not_the_account_s_is_refused_and_a_forged_one_named() {
    let team = accounts_team();
    // This test's account is not alice's: naming her is refused.
    let out = common::feed(
        runbook(&team, "alice").args(["run", "deploy", "--plain"]),
        "quit\n",
    );
    let said = text(&out);
    assert!(!out.status.success(), "{said}");
    assert!(said.contains("none of alice's accounts"), "{said}");
    assert!(
        !team.journal.exists()
            || !std::fs::read_to_string(&team.journal)
                .unwrap()
                .contains("run_started")
    );

    // Someone else starts a run; a line naming alice from this account is
    // written by hand.
    let run = {
        let out = common::feed(
            runbook(&team, "mallory").args(["run", "deploy", "--plain"]),
            "quit\n",
        );
        let said = text(&out);
        assert!(out.status.success(), "{said}");
        run_of(&said)
    };
    let account = runbook::store::whoami::account().name;
    let fields = format!(
        "\"ts\":\"{}\",\"operator\":\"alice\",\"os_user\":\"{account}\",\"host\":\"vm\",\"session\":\"s\",\"run\":\"{run}\",\"event\":{{\"note_added\":{{\"text\":\"signed off\"}}}}",
        now()
    );
    forge(&team.journal, &fields);
    let out = verify(&team);
    let said = text(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(
        said.contains("which is none of alice's in the registry"),
        "{said}"
    );
}

#[test]
fn an_account_inside_a_user_namespace_records_nothing_under_account_mode() {
    let team = team();
    std::fs::write(&team.site, "[identity]\nrequire = \"account\"\n").unwrap();
    let probe = Command::new("unshare")
        .args(["--user", "--map-user=1", "true"])
        .output();
    assert!(
        probe.as_ref().is_ok_and(|o| o.status.success()),
        "this test needs user namespaces (util-linux's `unshare --user`), which this kernel or container refuses: {probe:?}"
    );
    let mut inside = Command::new("unshare");
    inside
        .args(["--user", "--map-user=1", "--"])
        .arg(env!("CARGO_BIN_EXE_runbook"))
        .args(["--site"])
        .arg(&team.site)
        .args(["run", "deploy", "--plain"])
        .env("RUNBOOK_JOURNAL", &team.journal)
        .env_remove("RUNBOOK_OPERATOR")
        .env_remove("RUNBOOK_CATALOG")
        .env_remove("RUNBOOK_SITE")
        .env("USER", "alice")
        .env("LANG", "C")
        .env("XDG_CONFIG_HOME", "/nonexistent-runbook-test-config");
    let out = common::feed(&mut inside, "quit\n");
    let said = text(&out);
    assert!(!out.status.success(), "{said}");
    assert!(said.contains("user namespace (uid_map 1 0 1)"), "{said}");
    let journal = std::fs::read_to_string(&team.journal).unwrap_or_default();
    assert!(!journal.contains("run_started"), "{journal}");
}

#[test]
fn a_clock_set_forward_to_pass_a_gate_is_named_by_the_next_writer() {
    let team = team();
    let run = deploy(&team);
    let out = common::feed(
        runbook(&team, "alice").args(["resume", &run, "--plain"]),
        "goto rollout-10\ndone\nquit\n",
    );
    assert!(out.status.success(), "{}", text(&out));
    // Two days and an hour ahead: the 48-hour gate of rollout-50 opens.
    let Some(shim) = common::shim::clock_ahead(team.dir.path(), 49) else {
        return;
    };
    let out = common::feed(
        runbook(&team, "alice")
            .env("LD_PRELOAD", &shim)
            .args(["resume", &run, "--plain"]),
        "goto rollout-50\noverride error rate read by hand\nquit\n",
    );
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    let entries = runbook::store::read::read_all(&team.journal).unwrap().0;
    let ahead = chrono::Utc::now() + chrono::TimeDelta::hours(24);
    let done_ahead = entries.iter().any(|e| {
        e.ts > ahead
            && matches!(&e.event, runbook::run::Event::StepCompleted { step, .. } if step == "rollout-50")
    });
    assert!(
        done_ahead,
        "the shim moved the clock and the gate let it by: {said}"
    );
    let forward = entries.iter().find(|e| e.ts > ahead).unwrap();
    // An honest teammate writes after it: their entry keeps the journal
    // in order, and records their own clock beside it.
    let out = common::feed(
        runbook(&team, "bob").args(["resume", &run, "--plain"]),
        "note all quiet\nquit\n",
    );
    assert!(out.status.success(), "{}", text(&out));
    let entries = runbook::store::read::read_all(&team.journal).unwrap().0;
    let honest = entries.last().unwrap();
    assert!(honest.clock.is_some_and(|c| c < honest.ts), "{honest:?}");
    let out = verify(&team);
    let said = text(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(
        said.contains(&format!("entry #{} came from the future", forward.seq)),
        "{said}"
    );
}

#[test]
fn a_hold_that_cannot_be_read_is_refused_unless_overridden_on_the_record() {
    let team = team();
    let run = deploy(&team);
    let out = common::feed(
        runbook(&team, "alice").args(["resume", &run, "--plain"]),
        "goto firebase-metrics\ndone\noverride Prometheus unreachable; Crashlytics read by hand\nquit\n",
    );
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("which cannot be read here"), "{said}");
    let entries = runbook::store::read::read_all(&team.journal).unwrap().0;
    let held = entries
        .iter()
        .find_map(|e| match &e.event {
            runbook::run::Event::StepCompleted {
                step,
                hold: Some(held),
                ..
            } if step == "firebase-metrics" => Some(held.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("the override is recorded: {said}"));
    assert_eq!(
        held.overridden.as_deref(),
        Some("Prometheus unreachable; Crashlytics read by hand")
    );
    assert_eq!(held.unread, ["error-rate", "latency-p95"]);
    let verified = verify(&team);
    assert_eq!(verified.status.code(), Some(0), "{}", text(&verified));
    let report = runbook(&team, "auditor")
        .args(["report", &run])
        .output()
        .unwrap();
    let report = text(&report);
    assert!(
        report.contains("hold overridden without readings of error-rate, latency-p95"),
        "{report}"
    );

    // A tampered client that passes the hold without a word.
    let second = deploy(&team);
    let done = r#"{"step_completed":{"step":"firebase-metrics"}}"#;
    forge_now(&team.journal, "alice", &second, done);
    let out = verify(&team);
    let said = text(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("which cannot be read here"), "{said}");
}

/// A leak procedure: a two-person isolation, and a legal notification
/// with a fixed deadline that only the tech lead signs off.
const LEAK: &str = r#"[[role]]
id = "tech-lead"
title = "Tech lead"

[[procedure]]
id = "leak"
kind = "security"
title = "Data leak"

[[procedure.section]]
id = "s"
title = "Steps"

[[procedure.section.step]]
id = "isolate"
text = "Cut the compromised access"
two_person = true

[[procedure.section.step]]
id = "notify"
text = "Notify the authority within 72 h"
role = "tech-lead"
deadline = { within = "72h", after = "start", label = "Authority notification" }
"#;

#[test]
fn a_two_person_or_legal_step_is_not_closed_alone_and_a_deadline_left_stays_owed() {
    let team = team();
    let catalog = team.dir.path().join("leak.toml");
    std::fs::write(&catalog, LEAK).unwrap();
    let as_ = |operator: &str| {
        let mut command = runbook(&team, operator);
        command.env("RUNBOOK_CATALOG", &catalog);
        command
    };
    let leak = |operator: &str| {
        let out = common::feed(
            as_(operator).args(["run", "leak", "--plain"]),
            "goto isolate\nfail it broke\ngoto notify\nskip no data\nabort gave up\n",
        );
        let said = text(&out);
        assert!(said.contains("holder of role `tech-lead`"), "{said}");
        run_of(&said)
    };
    let run = leak("mallory");
    let journal = std::fs::read_to_string(&team.journal).unwrap();
    // The failure waits for a second person; the skip was refused.
    assert!(journal.contains(r#""step_fail_proposed":{"step":"isolate""#));
    assert!(!journal.contains(r#""step_failed""#));
    assert!(!journal.contains(r#""step_skipped""#));

    // The aborted run owes its notification, with its deadline.
    let due = as_("auditor").arg("due").output().unwrap();
    let said = text(&due);
    assert!(
        said.contains(&format!(
            "Authority notification (notify) left undone by {run}"
        )),
        "{said}"
    );
    assert_ne!(due.status.code(), Some(0), "{said}");

    let settle = |operator: &str, run: &str| {
        as_(operator)
            .args(["settle", run, "notify", "--reason", "no personal data"])
            .output()
            .unwrap()
    };
    let refused = settle("mallory", &run);
    let said = text(&refused);
    assert_eq!(refused.status.code(), Some(2), "{said}");
    assert!(said.contains("holder of role `tech-lead`"), "{said}");

    // A second run, settled by the holder: owed no more.
    let honest = leak("bob");
    let settled = settle("alice", &honest);
    assert_eq!(settled.status.code(), Some(0), "{}", text(&settled));
    let said = text(&as_("auditor").arg("due").output().unwrap());
    assert!(
        !said.contains(&format!("left undone by {honest}")),
        "{said}"
    );
    assert!(said.contains(&format!("left undone by {run}")), "{said}");
    let out = as_("auditor").args(["audit", "verify"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));

    // A tampered client settles the first run as mallory: named.
    let fields = format!(
        "\"ts\":\"{}\",\"operator\":\"mallory\",\"host\":\"vm\",\"session\":\"s\",\"event\":{{\"step_settled\":{{\"run\":\"{run}\",\"step\":\"notify\",\"reason\":\"n/a\"}}}}",
        now()
    );
    forge(&team.journal, &fields);
    let out = as_("auditor").args(["audit", "verify"]).output().unwrap();
    let said = text(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("by mallory, breaks the rules"), "{said}");
    assert!(said.contains("tech-lead"), "{said}");
    // Judged once, by the judge of its run alone.
    assert!(!said.contains("more problem"), "{said}");
}
