//! A team's first hour, through the binary: `runbook init` writes a starter
//! site file that `check` accepts and whose `check --strict` list names
//! every value still to give at its line; filled in, nothing is missing;
//! it never overwrites; commands do not repeat the catalog's warnings.

// Helpers of tests may unwrap: a failure there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

/// The binary with its config folder (and so its default site file) in
/// `home`.
fn runbook(home: &Path) -> std::process::Command {
    let mut command = common::runbook(home.join("journal.jsonl"), "alice");
    command.env("XDG_CONFIG_HOME", home.join("config"));
    command
}

fn said(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

#[test]
fn init_writes_a_starter_that_check_accepts_and_strict_lists_each_value_at_its_line() {
    let home = tempfile::tempdir().unwrap();
    let out = runbook(home.path()).arg("init").output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", said(&out));
    let site = home.path().join("config/runbook/site.toml");
    let text = std::fs::read_to_string(&site).unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(&site.display().to_string()), "{stdout}");
    assert!(stdout.contains("runbook check --strict"), "{stdout}");

    // Every value the bundled catalog cannot know, blank where it goes.
    for wanted in [
        "firebase_app_id = \"\"",
        "id = \"tech-lead\"",
        "id = \"cto\"",
        "id = \"sentry\"",
        "id = \"supabase\"",
        "holders = []",
        "RUNBOOK_PROMETHEUS_URL",
        "kind = \"pagerduty\"",
        "kind = \"slack\"",
    ] {
        assert!(text.contains(wanted), "the starter lacks {wanted}:\n{text}");
    }
    let blanks: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && (l.ends_with("= \"\"") || l.ends_with("= []")))
        .map(|(i, _)| i + 1)
        .collect();
    assert!(
        stdout.contains(&format!("{} value(s) to give", blanks.len())),
        "{stdout}"
    );

    // The default site file is read by every command of this account:
    // plain `check` accepts it (warnings only).
    let check = runbook(home.path()).arg("check").output().unwrap();
    assert_eq!(check.status.code(), Some(0), "{}", said(&check));

    // --strict fails, and lists each blank once, at its own line.
    let strict = runbook(home.path())
        .args(["check", "--strict"])
        .output()
        .unwrap();
    assert_eq!(strict.status.code(), Some(2), "{}", said(&strict));
    let listed = String::from_utf8_lossy(&strict.stdout);
    let name = site.display().to_string();
    let mut lines_named: Vec<usize> = listed
        .lines()
        .filter_map(|l| l.trim().strip_prefix(&format!("{name}:")))
        .map(|rest| rest.split(':').next().unwrap().parse().unwrap())
        .collect();
    lines_named.sort_unstable();
    assert_eq!(lines_named, blanks, "{listed}\n{text}");
    for key in [
        "[vars] firebase_app_id",
        "[[contact]] id = \"cto\" reach",
        "[[role]] id = \"tech-lead\" holders",
        "[[dashboard]] id = \"stripe\" url",
    ] {
        assert!(listed.contains(key), "{key} not in:\n{listed}");
    }

    // Filled in, nothing is missing: the list named every value.
    let filled = text
        .lines()
        .map(|l| {
            if l.starts_with('#') {
                l.to_owned()
            } else if l.starts_with("url = ") {
                "url = \"https://ops.example.org/\"".to_owned()
            } else if let Some(key) = l.strip_suffix(" = \"\"") {
                format!("{key} = \"+33 6 00 00 00 00\"")
            } else if l == "holders = []" {
                "holders = [\"alice\"]".to_owned()
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&site, filled).unwrap();
    let strict = runbook(home.path())
        .args(["check", "--strict"])
        .output()
        .unwrap();
    assert_eq!(strict.status.code(), Some(0), "{}", said(&strict));
    assert!(
        said(&strict).contains("0 error(s), 0 warning(s)"),
        "{}",
        said(&strict)
    );
}

#[test]
fn init_never_overwrites_and_writes_where_site_says_in_french_too() {
    let home = tempfile::tempdir().unwrap();
    let site = home.path().join("ops/runbook/site.toml");
    let out = runbook(home.path())
        .args(["--lang", "fr", "init", "--site"])
        .arg(&site)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", said(&out));
    let text = std::fs::read_to_string(&site).unwrap();
    assert!(text.contains("Écrit par `runbook init`"), "{text}");
    assert!(text.contains("# utilisée par deploy/upload"), "{text}");
    // Another path than the default: how to check it and use it everywhere.
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(&format!("runbook --site {} check --strict", site.display())),
        "{stdout}"
    );
    assert!(!home.path().join("config/runbook/site.toml").exists());

    std::fs::write(&site, "# the team's own\n").unwrap();
    let again = runbook(home.path())
        .arg("init")
        .arg("--site")
        .arg(&site)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2), "{}", said(&again));
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(err.contains(&format!("{} exists", site.display())), "{err}");
    assert!(err.contains("never overwrites"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&site).unwrap(),
        "# the team's own\n"
    );
}

#[test]
fn commands_do_not_repeat_the_catalogs_warnings() {
    let home = tempfile::tempdir().unwrap();
    let walked = common::feed(
        runbook(home.path()).args(["run", "deploy", "--plain"]),
        "quit\n",
    );
    assert!(walked.status.success(), "{walked:?}");
    let stderr = String::from_utf8_lossy(&walked.stderr);
    assert!(!stderr.contains("warning"), "{stderr}");
    // `check` still shows them all, each with the key that answers it.
    let check = runbook(home.path()).arg("check").output().unwrap();
    let all = said(&check);
    assert!(all.contains("warning[unreachable-contact]"), "{all}");
    assert!(all.contains("[[contact]] id = \"cto\" reach"), "{all}");
}
