//! The reference tables through the binary: whom to call, who may do what,
//! what is backed up, where the dashboards are.

// Helpers of tests may unwrap: a failure there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

fn stdout(journal: &Path, args: &[&str]) -> String {
    let out = common::runbook(journal, "alice")
        .args(args)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{args:?}: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

fn json(journal: &Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&stdout(journal, args)).unwrap()
}

#[test]
fn contacts_put_emergencies_first_and_say_what_is_not_set() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let text = stdout(&journal, &["contacts"]);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("NAME"), "{text}");
    let first_plain = lines
        .iter()
        .position(|l| !l.contains("(EMERGENCY)"))
        .unwrap();
    let last_emergency = lines
        .iter()
        .rposition(|l| l.contains("(EMERGENCY)"))
        .unwrap();
    assert!(
        last_emergency < lines.len() - 1 && first_plain == 0,
        "{text}"
    );
    assert!(
        lines[1..=last_emergency]
            .iter()
            .all(|l| l.contains("(EMERGENCY)")),
        "emergency contacts first:\n{text}"
    );
    let cto = lines.iter().find(|l| l.starts_with("CTO")).unwrap();
    assert!(cto.contains("not set: add it to your site file"), "{cto}");
    assert!(
        text.contains("support@stripe.com") && text.contains("cnil.fr"),
        "{text}"
    );
    assert!(!text.contains("REDACTED"), "{text}");

    let emergency = json(&journal, &["contacts", "--emergency", "--json"]);
    let rows = emergency.as_array().unwrap();
    assert_eq!(rows.len(), 5);
    assert!(rows.iter().all(|r| r["emergency"] == true));
    let cto = rows.iter().find(|r| r["id"] == "cto").unwrap();
    assert!(cto["reach"].is_null());
    assert_eq!(cto["role"], "cto");
}

#[test]
fn access_lists_roles_with_mfa_and_the_configured_holders() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let config = dir.path().join("config");
    std::fs::create_dir_all(config.join("runbook")).unwrap();
    std::fs::write(
        config.join("runbook/config.toml"),
        "[roles]\nbob = [\"tech-lead\"]\ncarol = [\"tech-lead\", \"cto\"]\n",
    )
    .unwrap();
    let out = common::runbook(&journal, "alice")
        .env("XDG_CONFIG_HOME", &config)
        .args(["access", "--json"])
        .output()
        .unwrap();
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let lead = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["role"] == "tech-lead")
        .unwrap();
    assert_eq!(lead["mfa"], true);
    assert_eq!(lead["holders"], serde_json::json!(["bob", "carol"]));
    let text = stdout(&journal, &["access"]);
    let junior = text.lines().find(|l| l.starts_with("Junior")).unwrap();
    assert!(junior.contains("None") && junior.contains("no"), "{junior}");
    assert!(text.contains("Logs + monitoring"), "{text}");
}

#[test]
fn backups_and_dashboards_are_listed() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let backups = stdout(&journal, &["backups"]);
    assert!(
        backups.contains("Audit logs") && backups.contains("5y"),
        "{backups}"
    );
    assert!(
        backups.contains("every commit") && backups.contains("forever"),
        "{backups}"
    );
    let rows = json(&journal, &["backups", "--json"]);
    assert_eq!(rows.as_array().unwrap().len(), 3);
    let dashboards = stdout(&journal, &["dashboards"]);
    assert!(dashboards.contains("Sentry"), "{dashboards}");
    let rows = json(&journal, &["dashboards", "--json"]);
    assert!(rows.as_array().unwrap().iter().all(|d| d["url"].is_null()));
}

#[test]
fn steps_say_whom_to_reach_and_a_run_its_severity_s_escalation_contact() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let show = stdout(&journal, &["show", "incident"]);
    assert!(show.contains("reach On-call: PagerDuty"), "{show}");
    assert!(show.contains("escalate at P1 to CTO: not set"), "{show}");
    let breach = stdout(&journal, &["show", "breach"]);
    let notify = breach
        .split("(notify-cnil)")
        .nth(1)
        .and_then(|rest| rest.split("[ ]").next())
        .unwrap();
    assert!(notify.contains("reach CNIL: cnil.fr"), "{notify}");
    assert!(notify.contains("within 72h"), "{notify}");

    // In a P2 run there is no P1 escalation to show.
    let walked = common::feed(
        common::runbook(&journal, "alice").args(["run", "incident", "--severity", "P2", "--plain"]),
        "goto communication\nquit\n",
    );
    let said = String::from_utf8_lossy(&walked.stdout);
    assert!(said.contains("reach CTO: not set"), "{said}");
    assert!(!said.contains("escalate at P1"), "{said}");
}
