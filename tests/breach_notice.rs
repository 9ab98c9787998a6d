//! The GDPR notifications drafted from a walked breach (issue 36, part
//! 4), through the binary: the facts the breach procedure asked for, step
//! by step, fill the authority's notification (art. 33) and the people's
//! (art. 34); its 72 h count from the run's start; sent ones are journaled,
//! the first initial and the next complementary; a late one says why.

// Helpers of tests may unwrap: a failure there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use runbook::run::Event;

const SITE: &str = "[[contact]]\nid = \"dpo\"\nreach = \"dpo@tontetic.example\"\n";

fn runbook(journal: &Path, site: &Path, operator: &str) -> Command {
    let mut command = common::runbook(journal, operator);
    command.arg("--site").arg(site);
    command
}

fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

/// Alice walks a breach as far as the CNIL notification, answering every
/// fact; Bob confirms the isolation. The run's id.
fn walked(dir: &Path) -> (PathBuf, PathBuf, String) {
    let journal = dir.join("journal.jsonl");
    let site = dir.join("site.toml");
    std::fs::write(&site, SITE).unwrap();
    let alice = "done API key K1 disabled, host db-2 cut off\nyes\n\
                 done logs copied to s3://evidence/breach-1\n\
                 done members table read through a leaked support token\n\
                 done yes\n\
                 done identity, phone, IBAN of tontine members\n\
                 done 1200\n\
                 done 5400\n\
                 done targeted phishing, fraudulent debit attempts\n\
                 done yes\n\
                 done token revoked, IBAN changes held 30 days, members warned by SMS\n\
                 quit\n";
    let out = common::feed(
        runbook(&journal, &site, "alice").args(["run", "breach", "--plain"]),
        alice,
    );
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    let line = said.lines().find(|l| l.contains(" — run ")).expect(&said);
    let run = line
        .split(" — run ")
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap()
        .trim()
        .to_owned();
    let out = common::feed(
        runbook(&journal, &site, "bob").args(["resume", &run, "--plain"]),
        "goto isolate\nconfirm\nquit\n",
    );
    assert!(out.status.success(), "{}", text(&out));
    (journal, site, run)
}

#[test]
fn the_authority_s_notification_holds_every_fact_walked() {
    let dir = tempfile::tempdir().unwrap();
    let (journal, site, run) = walked(dir.path());

    let out = runbook(&journal, &site, "alice")
        .args([
            "breach-notice",
            &run,
            "--for",
            "authority",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["for"], "authority");
    assert_eq!(json["kind"], "initial");
    assert_eq!(json["personal_data"], true);
    assert_eq!(
        json["nature"],
        "members table read through a leaked support token"
    );
    assert_eq!(
        json["categories"],
        "identity, phone, IBAN of tontine members"
    );
    assert_eq!(json["people"], "1200 people");
    assert_eq!(json["records"], "5400 records");
    assert_eq!(
        json["consequences"],
        "targeted phishing, fraudulent debit attempts"
    );
    assert_eq!(json["high_risk"], true);
    assert_eq!(
        json["measures_taken"][0],
        "API key K1 disabled, host db-2 cut off"
    );
    assert_eq!(
        json["measures_proposed"],
        "token revoked, IBAN changes held 30 days, members warned by SMS"
    );
    assert_eq!(json["contact"][1], "dpo@tontetic.example");
    assert_eq!(json["late"], false);
    let known: chrono::DateTime<chrono::Utc> =
        json["became_known"].as_str().unwrap().parse().unwrap();
    let deadline: chrono::DateTime<chrono::Utc> =
        json["deadline"].as_str().unwrap().parse().unwrap();
    assert_eq!(deadline - known, chrono::TimeDelta::hours(72));
    assert_eq!(json["missing"], serde_json::json!([]));
}

#[test]
fn the_authority_s_notification_reads_in_french_and_sent_ones_are_journaled() {
    let dir = tempfile::tempdir().unwrap();
    let (journal, site, run) = walked(dir.path());
    // In French Markdown, the CNIL's fields in order.
    let out = runbook(&journal, &site, "alice")
        .args(["--lang", "fr", "breach-notice", &run, "--for", "authority"])
        .output()
        .unwrap();
    let md = text(&out);
    assert!(md.starts_with("# Notification d'une violation de données personnelles à l'autorité de contrôle (RGPD art. 33)"), "{md}");
    for heading in [
        "## Chronologie",
        "## Nature de la violation",
        "## Point de contact",
        "## Conséquences probables",
        "## Mesures prises et envisagées",
    ] {
        assert!(md.contains(heading), "{heading} in {md}");
    }
    assert!(
        md.contains("- Nombre approximatif de personnes concernées: 1200 people"),
        "{md}"
    );

    // Sent: journaled; the next draft is complementary (art. 33(4)).
    let out = runbook(&journal, &site, "alice")
        .args([
            "breach-notice",
            &run,
            "--for",
            "authority",
            "--sent",
            "--reference",
            "CNIL-2026-1142",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains(
            "Initial notification to the authority recorded as sent: reference CNIL-2026-1142"
        ),
        "{}",
        text(&out)
    );
    let sent = common::events(&journal).into_iter().any(|e| {
        matches!(e, Event::BreachNoticeSent(s) if s.run == run && s.reference == "CNIL-2026-1142")
    });
    assert!(sent);
    let out = runbook(&journal, &site, "alice")
        .args(["breach-notice", &run, "--for", "authority"])
        .output()
        .unwrap();
    let md = text(&out);
    assert!(
        md.contains("Complementary notification (art. 33(4))"),
        "{md}"
    );
    assert!(
        md.contains("reference CNIL-2026-1142 (recorded by alice)"),
        "{md}"
    );
    // The run's report names the notification.
    let report = runbook(&journal, &site, "alice")
        .args(["report", &run])
        .output()
        .unwrap();
    assert!(
        text(&report)
            .contains("breach notification to the authority sent, reference CNIL-2026-1142"),
        "{}",
        text(&report)
    );
}

#[test]
fn past_72_hours_the_draft_says_it_is_late_and_a_late_notification_needs_its_reasons() {
    let dir = tempfile::tempdir().unwrap();
    let (journal, site, run) = walked(dir.path());
    let later = (chrono::Utc::now() + chrono::TimeDelta::hours(80)).to_rfc3339();
    let out = runbook(&journal, &site, "alice")
        .args(["breach-notice", &run, "--for", "authority", "--at", &later])
        .output()
        .unwrap();
    let md = text(&out);
    assert!(md.contains("this notification is late"), "{md}");
    assert!(
        md.contains("Reasons for the delay (required past 72 h, art. 33(1)): (to write)"),
        "{md}"
    );
    let out = runbook(&journal, &site, "alice")
        .args([
            "breach-notice",
            &run,
            "--for",
            "authority",
            "--at",
            &later,
            "--sent",
            "--reference",
            "CNIL-2026-2000",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("say why with --delay-reason"),
        "{}",
        text(&out)
    );
    let out = runbook(&journal, &site, "alice")
        .args([
            "breach-notice",
            &run,
            "--for",
            "authority",
            "--at",
            &later,
            "--sent",
            "--reference",
            "CNIL-2026-2000",
        ])
        .args(["--delay-reason", "the extent was known only on day 3"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
}

#[test]
fn the_people_s_notice_says_it_plainly_with_the_exceptions_art_34_allows() {
    let dir = tempfile::tempdir().unwrap();
    let (journal, site, run) = walked(dir.path());
    let out = runbook(&journal, &site, "alice")
        .args(["breach-notice", &run, "--for", "people"])
        .output()
        .unwrap();
    let md = text(&out);
    assert!(
        md.starts_with(
            "# Information of the people concerned by a personal data breach (GDPR art. 34)"
        ),
        "{md}"
    );
    assert!(
        md.contains("the risk to the people is high: they must be told"),
        "{md}"
    );
    assert!(
        md.contains("## Which of your data")
            && md.contains("identity, phone, IBAN of tontine members"),
        "{md}"
    );
    assert!(
        md.contains("## Whom to ask") && md.contains("dpo@tontetic.example"),
        "{md}"
    );
    assert!(
        md.contains("encryption) (a)")
            && md.contains("(b)")
            && md.contains("public communication instead (c)"),
        "{md}"
    );

    // Not a breach run: said, nothing drafted.
    let incident = common::feed(
        runbook(&journal, &site, "alice").args(["run", "incident", "--severity", "P3", "--plain"]),
        "quit\n",
    );
    let said = text(&incident);
    let line = said.lines().find(|l| l.contains(" — run ")).expect(&said);
    let other = line
        .split(" — run ")
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap()
        .trim()
        .to_owned();
    let out = runbook(&journal, &site, "alice")
        .args(["breach-notice", &other, "--for", "people"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("has no breach steps"), "{}", text(&out));
}
