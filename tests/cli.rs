//! The built binary on good and broken catalogs: messages, locations and
//! exit codes, as an operator sees them.

// Helpers of tests may unwrap: a failure there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn runbook() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_runbook"));
    // Tests must not depend on the machine's locale or config.
    command
        .env_remove("RUNBOOK_CATALOG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C")
        .env("XDG_CONFIG_HOME", "/nonexistent-runbook-test-config");
    command
}

fn run(args: &[&str]) -> Output {
    runbook().args(args).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn fixtures(kind: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(kind);
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

/// Each invalid fixture names, in `# expect:` comments, what `runbook
/// check` must say about it (with `{file}` for its path), and in
/// `# expect-stdout:` what the summary must say.
#[test]
fn every_invalid_fixture_is_reported_where_and_as_expected() {
    let files = fixtures("invalid");
    assert!(files.len() >= 20, "fixtures missing: {files:?}");
    for file in files {
        let path = file.to_str().unwrap();
        let source = std::fs::read_to_string(&file).unwrap();
        let expect = |prefix: &str| -> Vec<String> {
            source
                .lines()
                .filter_map(|l| l.strip_prefix(prefix))
                .map(|l| l.trim().replace("{file}", path))
                .collect()
        };
        let stderr_wanted = expect("# expect:");
        let stdout_wanted = expect("# expect-stdout:");
        let forbidden = expect("# forbid:");
        assert!(!stderr_wanted.is_empty(), "{path} has no `# expect:` line");
        let has_errors = stderr_wanted.iter().any(|l| l.starts_with("error["));

        for strict in [false, true] {
            let mut args = vec!["check", path];
            if strict {
                args.push("--strict");
            }
            let out = run(&args);
            let stderr = text(&out.stderr);
            let stdout = text(&out.stdout);
            for wanted in &stderr_wanted {
                assert!(
                    stderr.contains(wanted.as_str()),
                    "{path}: stderr lacks «{wanted}»:\n{stderr}"
                );
            }
            for secret in &forbidden {
                assert!(
                    !stderr.contains(secret.as_str()) && !stdout.contains(secret.as_str()),
                    "{path}: «{secret}» was shown:\n{stderr}"
                );
            }
            for wanted in &stdout_wanted {
                assert!(
                    stdout.contains(wanted.as_str()),
                    "{path}: stdout lacks «{wanted}»:\n{stdout}"
                );
            }
            let expected_code = if has_errors || strict { 2 } else { 0 };
            assert_eq!(
                out.status.code(),
                Some(expected_code),
                "{path} strict={strict}:\n{stderr}"
            );
            assert!(!stderr.contains("panicked"), "{path}: {stderr}");
        }
    }
}

#[test]
fn valid_fixtures_pass_strict_checking() {
    let files = fixtures("valid");
    assert!(!files.is_empty());
    for file in files {
        let out = run(&["check", "--strict", file.to_str().unwrap()]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}:\n{}",
            file.display(),
            text(&out.stderr)
        );
        assert!(text(&out.stdout).contains("0 error(s), 0 warning(s)"));
    }
}

#[test]
fn the_bundled_catalog_checks_clean_and_is_summarised() {
    let out = run(&["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // Alone, it is not ready for a team: --strict asks for the site's values.
    let strict = run(&["check", "--strict"]);
    assert_eq!(strict.status.code(), Some(2));
    let said = text(&strict.stderr);
    assert!(
        said.contains("variable `firebase_app_id` in step `upload` is not set"),
        "{said}"
    );
    assert!(
        said.contains("emergency contact `cto` has no way to reach it"),
        "{said}"
    );
    let site = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/site.toml");
    let ready = run(&["--site", site, "check", "--strict"]);
    assert_eq!(ready.status.code(), Some(0), "{}", text(&ready.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("checked 11 file(s) from the bundled checklists"),
        "{stdout}"
    );
    assert!(stdout.contains("11 procedures"), "{stdout}");
    assert!(stdout.contains("4 severities, 4 metrics"), "{stdout}");
    assert!(
        stdout.contains("5 status components, 10 update templates"),
        "{stdout}"
    );
}

#[test]
fn all_errors_of_several_files_come_in_one_pass() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.toml"),
        "[[severity]]\nid = \"P1\"\ntitle = \"x\"\nresponse = \"fast\"\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("b.toml"), "[[metric]]\nid = \"m\"\n").unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not a checklist").unwrap();
    let out = run(&["check", dir.path().to_str().unwrap()]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("a.toml:4:12"), "{stderr}");
    for key in ["title", "unit", "alert", "critical"] {
        assert!(
            stderr.contains(&format!("missing key `{key}` in a metric")),
            "{stderr}"
        );
    }
    assert!(text(&out.stdout).contains("checked 2 file(s)"));
    assert!(
        text(&out.stdout).contains("5 error(s)"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn unreadable_and_non_utf8_files_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let binary = dir.path().join("binary.toml");
    std::fs::write(&binary, [b'i', b'd', 0xff, 0xfe]).unwrap();
    let missing = dir.path().join("missing.toml");
    let out = run(&["check", binary.to_str().unwrap(), missing.to_str().unwrap()]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains("error[not-utf8]: not UTF-8 text: invalid byte at offset 2"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("--> {}", binary.display())),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("--> {}", missing.display())),
        "{stderr}"
    );
    assert!(stderr.contains("cannot read"), "{stderr}");

    let empty = tempfile::tempdir().unwrap();
    let out = run(&["check", empty.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no checklist (*.toml) files here"));
}

#[test]
fn commands_refuse_a_broken_catalog_and_say_why() {
    let bad =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid/bad-duration.toml");
    let out = run(&["--catalog", bad.to_str().unwrap(), "list"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("`2 days` is not a duration"), "{stderr}");
    assert!(stderr.contains("has errors"), "{stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn list_shows_procedures_with_step_counts() {
    let out = run(&["list"]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = text(&out.stdout);
    let deploy = stdout.lines().find(|l| l.starts_with("deploy ")).unwrap();
    assert!(
        deploy.contains("16") && deploy.contains("Production deploy"),
        "{deploy}"
    );
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("key-rotation") && l.contains("quarterly"))
    );

    let json: serde_json::Value = serde_json::from_slice(&run(&["list", "--json"]).stdout).unwrap();
    let rows = json.as_array().unwrap();
    assert_eq!(rows.len(), 11);
    let breach = rows.iter().find(|r| r["id"] == "breach").unwrap();
    assert_eq!(breach["steps"], 13);
    assert_eq!(breach["kind"], "security");
}

#[test]
fn show_prints_a_procedure_in_the_chosen_language() {
    let out = run(&["show", "breach", "--lang", "fr"]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("Procédure de breach"), "{stdout}");
    assert!(
        stdout.contains("Notifier : CNIL dans les 72h si données perso"),
        "{stdout}"
    );
    assert!(
        stdout.contains("sous 72h après le début du déroulé"),
        "{stdout}"
    );
    assert!(stdout.contains("règle des deux personnes"), "{stdout}");

    let out = runbook()
        .env("LANG", "fr_FR.UTF-8")
        .args(["show", "rollback"])
        .output()
        .unwrap();
    let stdout = text(&out.stdout);
    assert!(stdout.contains("Identifier la version stable"), "{stdout}");
    assert!(stdout.contains(
        "$ firebase appdistribution:releases:rollback --app <firebase_app_id : non défini> --version ${version_code}"
    ), "{stdout}");
    assert!(
        stdout.contains("la preuve devient ${version_code} dans les étapes suivantes"),
        "{stdout}"
    );
    assert!(
        stdout.contains("sous 24h après la fin de `rollback`"),
        "{stdout}"
    );

    let out = run(&["show", "rollback", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["id"], "rollback");
    assert_eq!(json["sections"][1]["steps"][1]["confirm"], true);
    assert_eq!(json["content_hash"].as_str().unwrap().len(), 64);
}

#[test]
fn show_suggests_the_nearest_procedure() {
    let out = run(&["show", "brech"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("no procedure `brech`") && stderr.contains("did you mean `breach`?"),
        "{stderr}"
    );
}

#[test]
fn severity_prints_the_table() {
    let out = run(&["severity"]);
    let stdout = text(&out.stdout);
    let p1 = stdout.lines().find(|l| l.starts_with("P1")).unwrap();
    assert!(
        p1.contains("Total outage") && p1.contains("15m") && p1.contains("immediate"),
        "{p1}"
    );
    let p4 = stdout.lines().find(|l| l.starts_with("P4")).unwrap();
    assert!(p4.contains("24h") && p4.ends_with("n/a"), "{p4}");
    let json: serde_json::Value =
        serde_json::from_slice(&run(&["severity", "--json"]).stdout).unwrap();
    assert_eq!(json[1]["id"], "P2");
    assert_eq!(json[1]["response"], "30m");
    assert_eq!(json[1]["escalation"], "1h");
}

#[test]
fn window_reports_open_next_and_notice() {
    // Sunday 03:00 UTC: the preferred window is open.
    let out = run(&["window", "--at", "2026-11-29T03:00Z"]);
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("OPEN now: Preferred window, closes 05:00 UTC (in 2h)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("next: Secondary window, Wed 2026-12-02 02:00 UTC"),
        "{stdout}"
    );

    // Tuesday 00:15: Wednesday's notice is missed, Sunday's is still possible.
    let out = run(&["window", "--at", "2026-11-24 00:15"]);
    let stdout = text(&out.stdout);
    assert!(stdout.contains("closed"), "{stdout}");
    assert!(stdout.contains("MISSED"), "{stdout}");
    assert!(stdout.contains("earliest window with notice on time: Preferred window, Sun 2026-11-29 02:00 UTC; notify by Fri 2026-11-27 02:00 UTC"), "{stdout}");

    let json: serde_json::Value =
        serde_json::from_slice(&run(&["window", "--at", "2026-11-27T02:00:00Z", "--json"]).stdout)
            .unwrap();
    assert_eq!(json["next"]["window"], "preferred");
    assert_eq!(json["next_notice_met"], true);
    assert!(json["open"].is_null());

    let out = run(&["window", "--at", "next tuesday"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("is not a time"));
}

#[test]
fn the_catalog_is_found_in_the_documented_order() {
    let config = tempfile::tempdir().unwrap();
    let dir = config.path().join("runbook/checklists");
    std::fs::create_dir_all(&dir).unwrap();
    let valid = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid/minimal.toml");
    std::fs::copy(&valid, dir.join("mine.toml")).unwrap();
    let env_file =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid/severities.toml");

    let from_config = runbook()
        .env("XDG_CONFIG_HOME", config.path())
        .arg("check")
        .output()
        .unwrap();
    assert!(
        text(&from_config.stdout).contains("from the user's config folder"),
        "{}",
        text(&from_config.stdout)
    );

    let from_env = runbook()
        .env("XDG_CONFIG_HOME", config.path())
        .env("RUNBOOK_CATALOG", &env_file)
        .arg("check")
        .output()
        .unwrap();
    assert!(text(&from_env.stdout).contains("(from RUNBOOK_CATALOG)"));

    let from_flag = runbook()
        .env("RUNBOOK_CATALOG", &env_file)
        .args(["--catalog", valid.to_str().unwrap(), "check"])
        .output()
        .unwrap();
    assert!(text(&from_flag.stdout).contains("(from the command line)"));

    let bundled = run(&["check"]);
    assert!(text(&bundled.stdout).contains("from the bundled checklists"));
}

#[test]
fn the_bundled_catalog_works_from_any_directory() {
    let elsewhere = tempfile::tempdir().unwrap();
    let out = runbook()
        .current_dir(elsewhere.path())
        .arg("list")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("deploy"));
}

#[test]
fn every_command_has_help_with_examples() {
    for command in ["check", "list", "show", "severity", "window"] {
        let out = run(&[command, "--help"]);
        assert_eq!(out.status.code(), Some(0));
        assert!(
            text(&out.stdout).contains("Examples:"),
            "{command} --help has no examples"
        );
    }
}
