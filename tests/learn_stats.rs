//! The team's numbers and what is owed, through the binary: `runbook
//! stats` on a journal written here with fixed clocks, stats and `due`
//! read the same through the index, follow-ups added from line mode and
//! the console, and `watch` telling what is overdue once.

// Helpers of tests may unwrap: a failure there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "learn/support.rs"]
mod support;

use std::path::Path;

use chrono::{DateTime, TimeDelta, Utc};
use runbook::journal::Record;
use runbook::run::Event;

use support::*;

/// Four deploys a week apart, the second followed by a rollback within a
/// day; a drill deploy and a drill rollback just after the third (counted,
/// they would fail it); three P2 incidents, the first three days after the
/// last deploy. Written in the order it happened: a journal's times never
/// go back.
fn delivery_history(journal: &Path, t0: DateTime<Utc>) {
    let script = Script { path: journal };
    let day = |d: i64| t0 + TimeDelta::days(d);
    let deploy = |d: i64| {
        let id = format!("deploy-{d}");
        script.start(&id, "deploy", None, day(d * 7));
        script.done(&id, "rollout-10", day(d * 7) + TimeDelta::minutes(30));
        script.finish(&id, day(d * 7) + TimeDelta::hours(1));
    };
    deploy(0);
    deploy(1);
    script.start("rollback-1", "rollback", None, day(7) + TimeDelta::hours(4));
    script.finish("rollback-1", day(7) + TimeDelta::hours(5));
    deploy(2);
    for id in ["drill-deploy", "drill-rollback"] {
        let procedure = id.trim_start_matches("drill-");
        let start = day(14) + TimeDelta::hours(3);
        script.start(id, procedure, None, start);
        let event = Event::DrillStarted {
            drill: "d1".into(),
            scenario: None,
            speed: 60,
        };
        script.write("alice", Some(id), start, event);
        script.finish(id, start + TimeDelta::hours(1));
    }
    deploy(3);
    for (i, respond, resolve) in [(0, 10, 60), (1, 20, 120), (2, 30, 180)] {
        let id = format!("inc-{i}");
        let start = day(24 + i);
        script.start(&id, "incident", Some("P2"), start);
        script.done(&id, "qualification", start + TimeDelta::minutes(respond));
        script.done(&id, "resolution", start + TimeDelta::minutes(resolve));
        script.finish(&id, start + TimeDelta::minutes(resolve + 1));
    }
}

/// A deploy finished; the next reaches production (rollout-10) and, while
/// it rolls out, a rollback starts, and it is aborted; a third is aborted
/// before it reached production.
#[test]
fn a_rollback_during_a_rollout_fails_that_deploy_which_counts_though_aborted() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let t0 = at("2026-10-01T09:00:00Z");
    let script = Script { path: &journal };
    let hours = |h: i64| t0 + TimeDelta::hours(h);
    script.start("deploy-a", "deploy", None, hours(0));
    script.done("deploy-a", "rollout-10", hours(1));
    script.finish("deploy-a", hours(2));
    script.start("deploy-b", "deploy", None, hours(3));
    script.done("deploy-b", "rollout-10", hours(4));
    script.start("rollback-b", "rollback", None, hours(6));
    script.finish("rollback-b", hours(7));
    let aborted = Event::RunAborted {
        reason: "rolled back".into(),
    };
    script.write("alice", Some("deploy-b"), hours(8), aborted.clone());
    script.start("deploy-c", "deploy", None, hours(9));
    script.write("alice", Some("deploy-c"), hours(10), aborted);
    let until = rfc(t0 + TimeDelta::days(3));
    let stats = json(&run(
        &journal,
        &["stats", "--since", "7d", "--at", &until, "--json"],
    ));
    let delivery = &stats["delivery"];
    assert_eq!(delivery["deploys"], 2, "{delivery}");
    assert_eq!(delivery["failed"], 1, "{delivery}");
    assert_eq!(
        delivery["failed_runs"],
        serde_json::json!(["deploy-b"]),
        "{delivery}"
    );
    assert_eq!(delivery["change_failure_rate"], 0.5, "{delivery}");
}

#[test]
fn stats_count_change_failures_and_medians_and_keep_drills_apart() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let t0 = at("2026-10-01T09:00:00Z");
    delivery_history(&journal, t0);
    let until = rfc(t0 + TimeDelta::days(40));
    let stats = json(&run(
        &journal,
        &["stats", "--since", "60d", "--at", &until, "--json"],
    ));
    let delivery = &stats["delivery"];
    assert_eq!(delivery["deploys"], 4);
    assert_eq!(delivery["failed"], 1);
    assert_eq!(delivery["change_failure_rate"], 0.25);
    assert_eq!(delivery["failure_window_seconds"], 24 * 3600);
    assert_eq!(delivery["time_to_restore"]["p50"]["seconds"], 120 * 60);
    let p2 = stats["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["severity"] == "P2")
        .unwrap();
    assert_eq!(p2["runs"], 3);
    assert_eq!(p2["respond"]["p50"]["seconds"], 20 * 60);
    assert_eq!(p2["respond"]["p90"]["seconds"], 30 * 60);
    assert_eq!(p2["resolve"]["p50"]["seconds"], 120 * 60);
    // P2 responds within 30 min: all three met.
    assert_eq!(p2["response_met"]["met"], 3);
    assert_eq!(p2["response_met"]["of"], 3);
    let count = |list: &serde_json::Value, procedure: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|r| r["procedure"] == procedure)
            .map_or(0, |r| r["finished"].as_u64().unwrap())
    };
    assert_eq!(count(&stats["runs"], "deploy"), 4);
    assert_eq!(count(&stats["drills"], "deploy"), 1);
    assert_eq!(count(&stats["drills"], "rollback"), 1);
    // Incidents owe their post-mortems (their steps were never done).
    assert_eq!(stats["postmortems"]["owed"], 3);

    // The window moves: from day 25 on, only two incidents remain.
    let narrow = json(&run(
        &journal,
        &["stats", "--since", "15d", "--at", &until, "--json"],
    ));
    assert_eq!(narrow["delivery"]["deploys"], 0);
    assert_eq!(
        narrow["delivery"]["change_failure_rate"],
        serde_json::Value::Null
    );
    assert_eq!(narrow["incidents"][0]["severity"], "P2", "{narrow}");
    assert_eq!(narrow["incidents"][0]["runs"], 2, "{narrow}");
    assert_eq!(narrow["drills"], serde_json::json!([]), "{narrow}");

    let shown = text(&run(&journal, &["stats", "--since", "60d", "--at", &until]));
    assert!(
        shown.contains("change failure rate: 25% (1 of 4 deploys"),
        "{shown}"
    );
    assert!(
        shown.contains("2 drill run(s), not counted above"),
        "{shown}"
    );
    let french = text(&run(
        &journal,
        &["--lang", "fr", "stats", "--since", "60d", "--at", &until],
    ));
    assert!(
        french.contains("taux d'échec des changements : 25 %"),
        "{french}"
    );
    assert!(french.contains("Incidents par sévérité"), "{french}");
}

#[test]
fn stats_and_due_read_the_same_through_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let t0 = at("2026-10-01T09:00:00Z");
    delivery_history(&journal, t0);
    closed_incident(&journal, t0 + TimeDelta::days(30));
    let script = Script { path: &journal };
    script.write(
        "alice",
        None,
        t0 + TimeDelta::days(31),
        Event::FollowupAdded {
            run: "inc-1".into(),
            text: "Alert on lag".into(),
            owner: Some("bob".into()),
            due: Some(t0 + TimeDelta::days(32)),
        },
    );
    let until = rfc(t0 + TimeDelta::days(40));
    let read = || {
        (
            json(&run(
                &journal,
                &["stats", "--since", "60d", "--at", &until, "--json"],
            )),
            owed(&journal, t0 + TimeDelta::days(40)),
        )
    };
    let without = read();
    // Enough entries for the next reading to write the index.
    let mut w = writer(&journal, "gen");
    let notes: Vec<Record> = (0..1_200)
        .map(|n| Record {
            run: Some("inc-1".into()),
            event: Event::NoteAdded {
                step: None,
                text: format!("late note {n}"),
            },
        })
        .collect();
    w.append(&notes, t0 + TimeDelta::days(33)).unwrap();
    drop(w);
    let index = runbook::store::index::path_for(&journal);
    let _ = std::fs::remove_file(&index);
    let first = read();
    assert!(index.exists(), "the index was not written");
    let with = read();
    assert_eq!(with.0, first.0);
    assert_eq!(with.0, without.0);
    assert_eq!(with.1, without.1);
    assert_eq!(
        with.1.1.iter().filter(|o| o["kind"] == "follow_up").count(),
        1
    );
}

#[test]
fn line_mode_and_the_console_add_follow_ups_to_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let walked = common::feed(
        common::runbook(&journal, "alice").args(["run", "deploy", "--plain"]),
        "followup Add a canary stage @bob +3d\nsuivi\nquit\n",
    );
    let said = text(&walked);
    assert!(walked.status.success(), "{said}");
    assert!(said.contains("a follow-up needs its text"), "{said}");
    let listed = json(&run(&journal, &["followup", "list", "--json"]));
    assert_eq!(listed[0]["text"], "Add a canary stage");
    assert_eq!(listed[0]["owner"], "bob");
    let due = at(listed[0]["due"].as_str().unwrap());
    let expected = Utc::now() + TimeDelta::days(3);
    assert!((expected - due).num_seconds().abs() < 120, "{due}");

    let mut console = common::pty::Console::spawn(&journal, "alice", &["resume"]);
    console.wait_for("1.1 All tests pass");
    console.send("F");
    console.wait_for("follow-up (@owner +7d)");
    console.send("Page the PSP earlier @carol\r");
    console.wait_for("recorded #");
    console.send("q");
    console.wait_for("Open runs");
    console.send("q");
    assert_eq!(console.exit_within(std::time::Duration::from_secs(5)), 0);
    let listed = json(&run(&journal, &["followup", "list", "--json"]));
    let texts: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["text"].as_str().unwrap())
        .collect();
    assert!(texts.contains(&"Page the PSP earlier"), "{texts:?}");
    let carol = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["owner"] == "carol");
    assert!(carol.is_some(), "{listed}");
}

#[test]
fn the_console_lists_owed_post_mortems_with_the_duties() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let script = Script { path: &journal };
    let t0 = Utc::now() - TimeDelta::hours(30);
    script.start("incident-owed", "incident", Some("P1"), t0);
    script.write(
        "alice",
        Some("incident-owed"),
        t0 + TimeDelta::hours(1),
        Event::StepSkipped {
            step: "post-mortem".into(),
            reason: "next week".into(),
        },
    );
    script.finish("incident-owed", t0 + TimeDelta::hours(1));
    let mut console = common::pty::Console::spawn(&journal, "alice", &[]);
    // Its line, narrowed by the home's two columns at 80x24.
    console.wait_for("due in 17h59m Post-mortem for incident");
    console.send("q");
    assert_eq!(console.exit_within(std::time::Duration::from_secs(5)), 0);
}

#[test]
fn watch_tells_an_overdue_post_mortem_and_an_overdue_follow_up_once() {
    let receiver = common::receiver::Receiver::start();
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let site = dir.path().join("site.toml");
    std::fs::write(
        &site,
        "[[notify]]\nid = \"leads\"\nkind = \"webhook\"\nurl = \"${HOOK_URL}\"\nsecret = \"${HOOK_SECRET}\"\non = [\"duty_overdue\", \"followup_overdue\"]\ntimeout = \"2s\"\n",
    )
    .unwrap();
    let script = Script { path: &journal };
    let t0 = Utc::now() - TimeDelta::days(3);
    script.start("incident-late", "incident", Some("P2"), t0);
    let skipped = Event::StepSkipped {
        step: "post-mortem".into(),
        reason: "later".into(),
    };
    script.write(
        "alice",
        Some("incident-late"),
        t0 + TimeDelta::hours(1),
        skipped,
    );
    script.finish("incident-late", t0 + TimeDelta::hours(1));
    let followup = Event::FollowupAdded {
        run: "incident-late".into(),
        text: "Alert on lag".into(),
        owner: Some("bob".into()),
        due: Some(t0 + TimeDelta::days(1)),
    };
    script.write("alice", None, t0 + TimeDelta::hours(2), followup);

    let mut command = common::runbook(&journal, "watcher");
    command
        .env("RUNBOOK_SITE", &site)
        .env("HOOK_URL", receiver.url("/hook"))
        .env("HOOK_SECRET", "whsec_d2ViaG9vay10ZXN0LWtleS0wMTIz")
        .env("XDG_CONFIG_HOME", dir.path().join("config"));
    std::fs::create_dir_all(dir.path().join("config/runbook")).unwrap();
    std::fs::write(
        dir.path().join("config/runbook/config.toml"),
        "duties_since = \"2099-01-01\"\n",
    )
    .unwrap();
    let log = std::fs::File::create(dir.path().join("watch.log")).unwrap();
    let mut watch = common::watch(command, log.into());
    let told = receiver.wait_for("/hook", 2, std::time::Duration::from_secs(30));
    // Each journaled as sent, so no later watch tells it again.
    let sent = || {
        common::events(&journal)
            .into_iter()
            .filter(|e| matches!(e, Event::NotificationSent(_)))
            .count()
    };
    common::wait_until(std::time::Duration::from_secs(10), || sent() == 2);
    let _ = watch.kill();
    let _ = watch.wait();
    let mut types: Vec<String> = told
        .iter()
        .map(|r| r.json()["type"].as_str().unwrap().to_owned())
        .collect();
    types.sort();
    assert_eq!(types, ["runbook.duty_overdue", "runbook.followup_overdue"]);
    let summaries: Vec<String> = told
        .iter()
        .map(|r| r.json()["data"]["summary"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        summaries
            .iter()
            .any(|s| s.contains("post-mortem overdue") && s.contains("incident-late")),
        "{summaries:?}"
    );
    assert!(
        summaries
            .iter()
            .any(|s| s.contains("follow-up #") && s.contains("owner bob")),
        "{summaries:?}"
    );
}
