//! Learning from runs, through the binary: owed post-mortems listed by
//! `runbook due` until recorded, follow-ups from added to done, the
//! post-mortem draft's times on a walked P1, and `runbook stats` on a
//! journal written here with fixed clocks. In French too.

// Helpers of tests may unwrap: a failure there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;
use std::process::Output;

use chrono::{DateTime, TimeDelta, Utc};
use runbook::journal::Record;
use runbook::run::Event;
use runbook::store::Writer;

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

fn writer(path: &Path, operator: &str) -> Writer {
    common::writer(path, operator, None)
}

/// Writes a run's events, each at its own time.
struct Script<'a> {
    path: &'a Path,
}

impl Script<'_> {
    fn write(&self, operator: &str, run: Option<&str>, when: DateTime<Utc>, event: Event) {
        let mut w = writer(self.path, operator);
        let record = Record {
            run: run.map(str::to_owned),
            event,
        };
        w.append(&[record], when).unwrap();
    }

    fn start(&self, run: &str, procedure: &str, severity: Option<&str>, when: DateTime<Utc>) {
        let event = Event::RunStarted {
            procedure: procedure.into(),
            procedure_hash: "h".into(),
            severity: severity.map(str::to_owned),
        };
        self.write("alice", Some(run), when, event);
    }

    fn done(&self, run: &str, step: &str, when: DateTime<Utc>) {
        let event = Event::StepCompleted {
            step: step.into(),
            note: Some(format!("{step} done")),
            value: None,
        };
        self.write("alice", Some(run), when, event);
    }

    fn finish(&self, run: &str, when: DateTime<Utc>) {
        self.write("alice", Some(run), when, Event::RunFinished);
    }
}

/// The binary on `journal`, its recurring duties owed only from 2099 on,
/// so that the exit codes tell what runs left owed alone.
fn run(journal: &Path, args: &[&str]) -> Output {
    let home = journal.parent().unwrap().join("config");
    let config = home.join("runbook/config.toml");
    if !config.exists() {
        std::fs::create_dir_all(config.parent().unwrap()).unwrap();
        std::fs::write(&config, "duties_since = \"2099-01-01\"\n").unwrap();
    }
    common::runbook(journal, "alice")
        .env("XDG_CONFIG_HOME", &home)
        .args(args)
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(out)))
}

fn rfc(time: DateTime<Utc>) -> String {
    time.to_rfc3339()
}

/// The owed items of `runbook due --json` (the duties have no `kind`).
fn owed(journal: &Path, when: DateTime<Utc>) -> (Option<i32>, Vec<serde_json::Value>) {
    let out = run(journal, &["due", "--json", "--at", &rfc(when)]);
    let all = json(&out);
    let items = all
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v.get("kind").is_some())
        .cloned()
        .collect();
    (out.status.code(), items)
}

#[test]
fn a_skipped_post_mortem_is_owed_until_it_is_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let walked = common::feed(
        common::runbook(&journal, "alice").args(["run", "incident", "--severity", "P2", "--plain"]),
        "done pager 02:10\ndone P2: payments blocked\ndone told #incident\ndone restarted the worker\ndone fix 1.2.3\nskip post-mortem next week\nfinish\n",
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

/// A closed incident to hang follow-ups on.
fn closed_incident(journal: &Path, t0: DateTime<Utc>) {
    let script = Script { path: journal };
    script.start("inc-1", "incident", Some("P2"), t0);
    for (step, minutes) in [
        ("detection", 1),
        ("qualification", 5),
        ("communication", 10),
        ("mitigation", 20),
        ("resolution", 60),
        ("post-mortem", 120),
    ] {
        script.done("inc-1", step, t0 + TimeDelta::minutes(minutes));
    }
    script.finish("inc-1", t0 + TimeDelta::minutes(121));
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
