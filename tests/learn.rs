//! Learning from runs, through the binary: owed post-mortems listed by
//! `runbook due` until recorded, follow-ups from added to done, the
//! post-mortem draft's times on a walked P1, and `runbook stats` on a
//! journal written here with fixed clocks. In French too.

// Helpers of tests may unwrap: a failure there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "learn/support.rs"]
mod support;

use std::path::Path;
use std::process::Output;

use chrono::{DateTime, TimeDelta, Utc};
use runbook::run::Event;

use support::*;

#[test]
fn a_skipped_post_mortem_is_owed_until_it_is_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let walked = common::feed(
        common::runbook(&journal, "alice").args(["run", "incident", "--severity", "P2", "--plain"]),
        "done pager 02:10\ndone P2: payments blocked\nupdate investigating told #incident\ndone restarted the worker\ndone fix 1.2.3\nskip post-mortem next week\nfinish\n",
    );
    assert!(walked.status.success(), "{}", text(&walked));
    let runs = json(&run(&journal, &["runs", "--json"]));
    let id = runs[0]["id"].as_str().unwrap().to_owned();
    let started = at(runs[0]["started_at"].as_str().unwrap());

    // Within its 48 hours: due, WARNING.
    let soon = started + TimeDelta::hours(28);
    let out = run(&journal, &["due", "--at", &rfc(soon)]);
    let said = text(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(
        said.contains(&format!("Post-mortem for {id} (P2)")),
        "{said}"
    );
    assert!(said.contains("due in 20h"), "{said}");

    // Past them: overdue, CRITICAL, and said so in French.
    let late = started + TimeDelta::hours(49);
    let (code, items) = owed(&journal, late);
    assert_eq!(code, Some(2));
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["kind"], "post_mortem");
    assert_eq!(items[0]["run"], id.as_str());
    assert_eq!(items[0]["skipped"], true);
    assert_eq!(items[0]["standing"]["state"], "overdue");
    let out = run(&journal, &["--lang", "fr", "due", "--at", &rfc(late)]);
    let said = text(&out);
    assert!(
        said.contains(&format!("Post-mortem de {id} (P2)")),
        "{said}"
    );
    assert!(said.contains("EN RETARD de 1h"), "{said}");

    // Settled by its record, never by silence.
    let out = run(
        &journal,
        &[
            "postmortem",
            &id,
            "--done",
            "--link",
            "https://wiki.example/pm/42",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let last = common::events(&journal).pop().unwrap();
    assert_eq!(
        last,
        Event::PostmortemDone {
            run: id.clone(),
            link: Some("https://wiki.example/pm/42".into()),
            sha256: None,
        }
    );
    let (code, items) = owed(&journal, late);
    assert_eq!((code, items.len()), (Some(0), 0), "{items:?}");
    let again = run(&journal, &["postmortem", &id, "--done"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        text(&again).contains("already recorded"),
        "{}",
        text(&again)
    );
    let unknown = run(&journal, &["postmortem", "incident-nope", "--done"]);
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn a_post_mortem_given_as_a_document_is_recorded_by_its_hash() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let script = Script { path: &journal };
    let t0 = at("2026-11-02T10:00:00Z");
    script.start("rb-1", "rollback", None, t0);
    script.done("rb-1", "rollback", t0 + TimeDelta::minutes(5));
    script.write(
        "alice",
        Some("rb-1"),
        t0 + TimeDelta::minutes(6),
        Event::RunAborted {
            reason: "stopped".into(),
        },
    );
    let document = dir.path().join("pm.md");
    std::fs::write(&document, "# what happened\n").unwrap();
    let out = run(
        &journal,
        &[
            "postmortem",
            "rb-1",
            "--done",
            "--document",
            document.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let Some(Event::PostmortemDone { sha256, link, .. }) = common::events(&journal).pop() else {
        panic!("no post-mortem recorded");
    };
    assert_eq!(link, None);
    assert_eq!(
        sha256.as_deref(),
        Some(runbook::journal::line::sha256_hex(b"# what happened\n").as_str())
    );
    let missing = run(
        &journal,
        &[
            "postmortem",
            "rb-1",
            "--done",
            "--document",
            "/nonexistent/pm.md",
        ],
    );
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        text(&missing).contains("/nonexistent/pm.md"),
        "{}",
        text(&missing)
    );
}

#[test]
fn a_rollback_owes_its_post_mortem_24h_after_the_rollback_step() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let script = Script { path: &journal };
    let t0 = at("2026-11-02T10:00:00Z");
    let rolled = t0 + TimeDelta::minutes(10);
    script.start("rollback-a", "rollback", None, t0);
    script.done("rollback-a", "rollback", rolled);
    script.finish("rollback-a", t0 + TimeDelta::minutes(20));
    // A rollback aborted before rolling back has nothing to analyse.
    script.start("rollback-b", "rollback", None, t0 + TimeDelta::minutes(30));
    script.write(
        "alice",
        Some("rollback-b"),
        t0 + TimeDelta::minutes(31),
        Event::RunAborted {
            reason: "false alarm".into(),
        },
    );
    // Nor does a drill.
    script.start("rollback-drill", "rollback", None, t0);
    script.write(
        "alice",
        Some("rollback-drill"),
        t0,
        Event::DrillStarted {
            drill: "d1".into(),
            scenario: None,
            speed: 60,
        },
    );
    script.done("rollback-drill", "rollback", rolled);
    script.finish("rollback-drill", rolled);

    let (code, items) = owed(&journal, rolled + TimeDelta::hours(23));
    assert_eq!(code, Some(1), "{items:?}");
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["run"], "rollback-a");
    assert_eq!(items[0]["standing"]["state"], "due");
    assert_eq!(
        items[0]["standing"]["by"],
        rfc(rolled + TimeDelta::hours(24)).replace("+00:00", "Z")
    );
    assert_eq!(items[0]["skipped"], false);
    let out = run(
        &journal,
        &["due", "--at", &rfc(rolled + TimeDelta::hours(25))],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("OVERDUE by 1h"), "{}", text(&out));
}

fn added(out: &Output) -> u64 {
    let said = text(out);
    assert!(out.status.success(), "{said}");
    let number = said.split('#').nth(1).unwrap();
    number.split_whitespace().next().unwrap().parse().unwrap()
}

#[test]
fn a_follow_up_goes_from_added_to_done_overdue_first_in_due_and_in_the_draft() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let t0 = Utc::now() - TimeDelta::days(3);
    closed_incident(&journal, t0);
    let alert = added(&run(
        &journal,
        &[
            "followup",
            "add",
            "inc-1",
            "Alert on webhook lag",
            "--owner",
            "alice",
            "--due",
            "2d",
        ],
    ));
    let past = (Utc::now() - TimeDelta::days(2))
        .format("%Y-%m-%d")
        .to_string();
    let doc = added(&run(
        &journal,
        &[
            "followup",
            "add",
            "inc-1",
            "Document the PSP fallback",
            "--due",
            &past,
        ],
    ));
    let later = added(&run(
        &journal,
        &["followup", "add", "inc-1", "Try a canary"],
    ));
    let bad = run(
        &journal,
        &["followup", "add", "inc-1", "x", "--due", "someday"],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad).contains("someday"), "{}", text(&bad));
    let nowhere = run(&journal, &["followup", "add", "inc-404", "x"]);
    assert_eq!(nowhere.status.code(), Some(2));

    // Overdue first, then due soonest, then without a date.
    let listed = json(&run(&journal, &["followup", "list", "--json"]));
    let order: Vec<u64> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_u64().unwrap())
        .collect();
    assert_eq!(order, [doc, alert, later]);
    assert_eq!(listed[1]["owner"], "alice");
    let out = run(&journal, &["due"]);
    let said = text(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "an overdue follow-up warns: {said}"
    );
    let doc_at = said.find("Document the PSP fallback").unwrap();
    let alert_at = said.find("Alert on webhook lag").unwrap();
    assert!(doc_at < alert_at, "{said}");
    let alert_line = said
        .lines()
        .find(|l| l.contains("Alert on webhook"))
        .unwrap();
    assert!(
        alert_line.contains("alice") && alert_line.contains("due in 47h5"),
        "{alert_line}"
    );

    closes_and_drafts(&journal, alert, doc, later);
}

/// Done, dropped: gone from the open ones, kept in the draft and report.
fn closes_and_drafts(journal: &Path, alert: u64, doc: u64, later: u64) {
    let journal = journal.to_path_buf();
    let out = run(
        &journal,
        &[
            "followup",
            "done",
            &alert.to_string(),
            "--note",
            "merged #812",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let out = run(
        &journal,
        &[
            "followup",
            "drop",
            &later.to_string(),
            "--reason",
            "not worth it",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let twice = run(&journal, &["followup", "done", &alert.to_string()]);
    assert_eq!(twice.status.code(), Some(2));
    assert!(text(&twice).contains("already done"), "{}", text(&twice));
    let unknown = run(&journal, &["followup", "done", "99999"]);
    assert_eq!(unknown.status.code(), Some(2));
    let open = json(&run(&journal, &["followup", "list", "--open", "--json"]));
    assert_eq!(open.as_array().unwrap().len(), 1);
    assert_eq!(open[0]["id"].as_u64(), Some(doc));

    let draft = text(&run(&journal, &["postmortem", "inc-1"]));
    assert!(
        draft.contains(&format!(
            "- [x] #{alert} Alert on webhook lag (owner alice)"
        )),
        "{draft}"
    );
    assert!(
        draft.contains(&format!("- [ ] #{doc} Document the PSP fallback")),
        "{draft}"
    );
    assert!(draft.contains("dropped: not worth it"), "{draft}");
    let report = text(&run(&journal, &["report", "inc-1"]));
    assert!(
        report.contains("follow-up added: Alert on webhook lag"),
        "{report}"
    );
    assert!(
        report.contains(&format!("follow-up #{alert} done")),
        "{report}"
    );

    let french = text(&run(&journal, &["--lang", "fr", "followup", "list"]));
    assert!(
        french.contains("EN RETARD") && french.contains("fait"),
        "{french}"
    );
}

/// A P1 (declared P2, raised at 2 min) walked to its end: responded at
/// 4 min, escalated at 20 (past its grace), mitigated at 35, resolved at
/// 80; webhook latency critical at 6 min, at 40.5; the team told.
fn walk_p1(journal: &Path, t0: DateTime<Utc>) {
    let script = Script { path: journal };
    let m = |minutes: i64| t0 + TimeDelta::minutes(minutes);
    script.start("inc-p1", "incident", Some("P2"), t0);
    script.done("inc-p1", "detection", m(1));
    script.write(
        "bob",
        Some("inc-p1"),
        m(2),
        Event::SeverityChanged {
            from: Some("P2".into()),
            to: "P1".into(),
        },
    );
    script.done("inc-p1", "qualification", m(4));
    let crossed = |when: i64, to: &str, value: f64| {
        let event = Event::MetricCrossed {
            metric: "webhook-latency".into(),
            from: "ok".into(),
            to: to.into(),
            value,
        };
        script.write("alice", Some("inc-p1"), m(when), event);
    };
    crossed(5, "alert", 12.0);
    crossed(6, "critical", 40.5);
    script.done("inc-p1", "communication", m(20));
    crossed(30, "ok", 2.0);
    script.done("inc-p1", "mitigation", m(35));
    script.done("inc-p1", "resolution", m(80));
    script.write(
        "alice",
        None,
        m(81),
        Event::NotificationSent(runbook::run::event::Delivery {
            target: "team-chat".into(),
            key: "k1".into(),
            trigger: "run_finished".into(),
            run: Some("inc-p1".into()),
            about: None,
            attempts: 1,
            answer: Some("200".into()),
        }),
    );
    script.finish("inc-p1", m(82));
}

#[test]
fn the_draft_times_a_walked_p1_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let t0 = at("2026-11-10T02:00:00Z");
    let m = |minutes: i64| t0 + TimeDelta::minutes(minutes);
    walk_p1(&journal, t0);
    let draft = json(&run(
        &journal,
        &[
            "postmortem",
            "inc-p1",
            "--format",
            "json",
            "--at",
            &rfc(m(90)),
        ],
    ));
    assert_eq!(draft["format"], 1);
    assert_eq!(draft["severity"], "P1");
    assert_eq!(draft["severity_changes"][0]["by"], "bob");
    assert_eq!(draft["spans"]["to_respond"]["seconds"], 4 * 60);
    assert_eq!(draft["spans"]["to_escalate"]["seconds"], 20 * 60);
    assert_eq!(draft["spans"]["to_mitigate"]["seconds"], 35 * 60);
    assert_eq!(draft["spans"]["to_resolve"]["seconds"], 80 * 60);
    let marks: Vec<&str> = draft["moments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["mark"].as_str().unwrap())
        .collect();
    assert_eq!(
        marks,
        [
            "detected",
            "responded",
            "escalated",
            "mitigated",
            "resolved",
            "post-mortem"
        ]
    );
    assert_eq!(draft["moments"][5]["at"], serde_json::Value::Null);
    let deadline = |step: &str| {
        draft["deadlines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["step"] == step)
            .unwrap()["state"]["state"]
            .clone()
    };
    // P1: respond within 15 min (met at 4), escalate at once, missed once
    // its 15 min of grace passed (told at 20).
    assert_eq!(deadline("qualification"), "met");
    assert_eq!(deadline("communication"), "missed");
    assert_eq!(draft["crossings"][0]["peak"], 40.5);
    assert_eq!(draft["crossings"][0]["worst"], "critical");
    assert_eq!(draft["crossings"][0]["changes"], 3);
    assert_eq!(draft["notifications"][0]["target"], "team-chat");
    assert_eq!(draft["notifications"][0]["delivered"], true);
    assert_eq!(draft["owed"]["standing"]["state"], "due");
    assert!(draft["timeline"].as_array().unwrap().len() >= 12);

    draft_in_words(&journal, &dir.path().join("pm.md"), m(90));
}

/// The same draft in Markdown, in English then French.
fn draft_in_words(journal: &Path, out: &Path, when: DateTime<Utc>) {
    let m90 = rfc(when);
    let wrote = run(
        journal,
        &[
            "postmortem",
            "inc-p1",
            "--out",
            out.to_str().unwrap(),
            "--at",
            &m90,
        ],
    );
    assert!(wrote.status.success(), "{}", text(&wrote));
    let md = std::fs::read_to_string(out).unwrap();
    for part in [
        "- time to respond: 4m",
        "- time to mitigate: 35m",
        "- time to resolve: 1h20m",
        "- Severity: P1; P2 → P1 (bob, 2026-11-10 02:02:00 UTC)",
        "peak 40.5",
        "## Root cause",
        "| 1 | 2026-11-10 02:00:00 | alice · claimed |",
    ] {
        assert!(md.contains(part), "missing {part:?} in\n{md}");
    }
    let fr = text(&run(
        journal,
        &["--lang", "fr", "postmortem", "inc-p1", "--at", &m90],
    ));
    for part in [
        "délai de réponse: 4m",
        "## Cause racine",
        "## Chronologie",
        "Post-mortem dû",
    ] {
        assert!(fr.contains(part), "missing {part:?} in\n{fr}");
    }
}
