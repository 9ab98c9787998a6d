//! Drills and replays, end to end: a P1 drill played in a pseudo-terminal
//! on the drill clock and scored; drills kept out of the real lists and
//! away from real notification targets; a recorded run replayed screen by
//! screen as it was lived; a broken scenario said at `file:line:column`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;
use std::time::Duration;

use common::pty::Console;

fn out(command: &mut std::process::Command) -> (Option<i32>, String) {
    let output = command.output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code(), text)
}

fn entries(journal: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(journal)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Waits until the journal holds an entry of `event`: what a key did,
/// whatever the screen showed meanwhile (a notice may be replaced before
/// a frame is read).
fn wait_for_entry(journal: &Path, event: &str) {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let text = std::fs::read_to_string(journal).unwrap_or_default();
        if text
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .any(|e| e["event"][event].is_object())
        {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no {event} in the journal within 10 s:\n{text}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Plays the bundled P1 scenario at ×120, lets the escalation run out
/// with `+`, finishes the run, and returns the console (exited) and the
/// journal's folder.
fn p1_drill(dir: &Path) -> Console {
    let journal = dir.join("journal.jsonl");
    let mut drill = Console::spawn(&journal, "alice", &["drill", "incident", "--speed", "120"]);
    drill.wait_for_all(&["DRILL", "×120 T+", "1.1 Detection"]);
    drill.send(" ");
    drill.wait_for("Evidence (required)");
    drill.send("Sentry alert on the API\r");
    drill.wait_for("recorded #");
    drill.send(" ");
    drill.wait_for("Evidence (required)");
    drill.send("P1: nobody can pay\r");
    drill.wait_for("recorded #");
    // The escalation to the CTO is let run out on purpose.
    drill.send("+");
    wait_for_entry(&journal, "drill_clock_jumped");
    drill
}

#[test]
fn a_p1_drill_marks_every_entry_and_its_score_says_the_escalation_was_missed() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let mut drill = p1_drill(dir.path());
    // The scenario's teammate has joined, its critical error rate is in.
    drill.wait_for_all(&[
        "Escalation OVERDUE",
        "Error rate 6 %",
        "Latency P95 2400 ms",
    ]);
    // The communication step is done by a status update: `U`.
    drill.send("U");
    drill.wait_for("investigating|identified");
    drill.send("investigating CTO told by phone\r");
    drill.wait_for("recorded #");
    drill.send("q");
    drill.wait_for("Open runs");
    drill.send("q");
    assert_eq!(drill.exit_within(Duration::from_secs(5)), 0);
    drill.wait_for("Drill score");
    let score = drill.screen();
    assert!(
        score.contains("Escalation MISSED (due T+00:00:00"),
        "{score}"
    );
    assert!(
        score.contains("Response time met (due T+00:15:00)"),
        "{score}"
    );
    assert!(score.contains("Deadlines: 1 met, 1 missed"), "{score}");
    assert!(score.contains("first drill of this scenario"), "{score}");

    // Every entry of the drill carries both clocks; the drill's runs ahead.
    let all = entries(&journal);
    let run: Vec<&serde_json::Value> = all.iter().filter(|e| e["run"].is_string()).collect();
    assert!(run.len() >= 10, "{all:#?}");
    for e in &run {
        let real: chrono::DateTime<chrono::Utc> = e["ts"].as_str().unwrap().parse().unwrap();
        let drill: chrono::DateTime<chrono::Utc> = e["drill_ts"]
            .as_str()
            .expect("every drill entry has its drill time")
            .parse()
            .unwrap();
        assert!(drill >= real, "{e}");
    }
    let names: Vec<&str> = run
        .iter()
        .filter_map(|e| {
            e["event"]
                .as_object()
                .and_then(|o| o.keys().next())
                .map(String::as_str)
        })
        .collect();
    for expected in [
        "drill_started",
        "drill_clock_jumped",
        "metric_crossed",
        "command_finished",
    ] {
        assert!(names.contains(&expected), "{expected} in {names:?}");
    }
    // The teammate the scenario brought in is recorded as himself.
    assert!(
        run.iter()
            .any(|e| e["operator"] == "bob" && e["event"] == "run_resumed")
    );
    // He leaves with the operator: nobody is left playing the drill.
    assert!(
        run.iter()
            .any(|e| e["operator"] == "bob" && e["event"]["run_detached"].is_object()),
        "{run:#?}"
    );
    assert_eq!(
        out(common::runbook(&journal, "alice").args(["audit", "verify"])).0,
        Some(0)
    );

    // The second drill of the scenario is compared with the first.
    let mut again = p1_drill(dir.path());
    again.send(" ");
    again.wait_for("Evidence (required)");
    again.send("CTO told\r");
    again.wait_for("recorded #");
    again.send("q");
    again.wait_for("Open runs");
    again.send("q");
    assert_eq!(again.exit_within(Duration::from_secs(5)), 0);
    again.wait_for("Drill score");
    let second = again.screen();
    let (_, listed) = out(common::runbook(&journal, "alice").args(["runs", "--drills", "--json"]));
    assert!(
        second.contains("Compared with 1 earlier drill(s) of this scenario"),
        "{second}{listed}"
    );
}

#[test]
fn drills_stay_out_of_runs_due_and_the_reports_of_real_runs() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let real = common::feed(
        common::runbook(&journal, "alice").args(["run", "deploy", "--plain"]),
        "done 120 tests passed\nquit\n",
    );
    assert!(real.status.success(), "{real:?}");
    let mut drill = p1_drill(dir.path());
    drill.send("q");
    drill.wait_for("Open runs");
    drill.send("q");
    assert_eq!(drill.exit_within(Duration::from_secs(5)), 0);

    let (code, runs) = out(common::runbook(&journal, "alice").args(["runs"]));
    assert_eq!(code, Some(0), "{runs}");
    assert!(runs.contains("deploy-"), "{runs}");
    assert!(!runs.contains("drill-"), "{runs}");
    let (_, all) = out(common::runbook(&journal, "alice").args(["runs", "--drills", "--json"]));
    let listed: Vec<serde_json::Value> = serde_json::from_str(&all).unwrap();
    let ids: Vec<&str> = listed.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 2, "{ids:?}");
    let real_id = ids.iter().find(|i| i.starts_with("deploy-")).unwrap();
    let drill_id = ids
        .iter()
        .find(|i| i.starts_with("drill-incident-"))
        .unwrap();

    let (code, report) = out(common::runbook(&journal, "alice").args(["report", real_id]));
    assert_eq!(code, Some(0), "{report}");
    assert!(report.contains("120 tests passed"), "{report}");
    for drilled in ["Sentry alert", "bob", "error-rate", "Drill score"] {
        assert!(!report.contains(drilled), "{drilled} in {report}");
    }
    // Asked for by its id, a drill's report ends with its score.
    let (_, drilled) = out(common::runbook(&journal, "alice").args(["report", drill_id]));
    assert!(drilled.contains("Drill score"), "{drilled}");
}

/// Two webhook targets, one of them marked for drills, both on a receiver.
fn notifying(dir: &Path) -> std::path::PathBuf {
    let site = dir.join("site.toml");
    std::fs::write(
        &site,
        "[[notify]]\nid = \"real-hook\"\nkind = \"webhook\"\nurl = \"${REAL_URL}\"\nsecret = \"${HOOK_SECRET}\"\non = [\"run_started\", \"metric_critical\", \"deadline_missed\"]\n\n\
         [[notify]]\nid = \"drill-hook\"\nkind = \"webhook\"\nurl = \"${DRILL_URL}\"\nsecret = \"${HOOK_SECRET}\"\ndrill = true\non = [\"run_started\", \"metric_critical\", \"deadline_missed\"]\n",
    )
    .unwrap();
    site
}

#[test]
fn a_drill_reaches_only_the_targets_marked_for_drills() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let receiver = common::receiver::Receiver::start();
    let site = notifying(dir.path());
    let real_url = receiver.url("/real");
    let drill_url = receiver.url("/drill");
    let env = [
        ("RUNBOOK_SITE", site.to_str().unwrap()),
        ("REAL_URL", real_url.as_str()),
        ("DRILL_URL", drill_url.as_str()),
        ("HOOK_SECRET", "whsec_d2ViaG9vay10ZXN0LWtleS0wMTIz"),
    ];
    let mut drill = Console::spawn_env(
        &journal,
        "alice",
        &["drill", "incident", "--speed", "120"],
        "xterm-256color",
        &env,
    );
    drill.wait_for("1.1 Detection");
    drill.send("+");
    wait_for_entry(&journal, "drill_clock_jumped");
    // The drill target hears the start and the critical error rate.
    let heard = receiver.wait_for("/drill", 2, Duration::from_secs(20));
    assert!(
        heard.iter().any(|r| r.body.contains("run_started")),
        "{heard:#?}"
    );
    drill.send("q");
    drill.wait_for("Open runs");
    drill.send("q");
    assert_eq!(drill.exit_within(Duration::from_secs(10)), 0);
    // Nothing was sent to the real target, and nothing is owed to it.
    assert!(receiver.received("/real").is_empty());
    let mut pending = common::runbook(&journal, "alice");
    for (key, value) in env {
        pending.env(key, value);
    }
    let (code, owed) = out(pending.args(["notify", "pending", "--json"]));
    assert_eq!(code, Some(0), "{owed}");
    assert!(!owed.contains("real-hook"), "{owed}");
    let sent: Vec<serde_json::Value> = entries(&journal)
        .into_iter()
        .filter(|e| e["event"]["notification_sent"].is_object())
        .collect();
    assert!(
        sent.iter()
            .all(|e| e["event"]["notification_sent"]["target"] == "drill-hook")
    );
}

#[test]
fn a_scenario_with_a_mistake_is_said_at_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let scenario = dir.path().join("outage.toml");
    std::fs::write(
        &scenario,
        "[scenario]\nid = \"outage\"\ntitle = \"Outage\"\nprocedure = \"incident\"\nseverity = \"P1\"\n\n[[inject]]\nat = \"2m\"\nmetric = \"eror-rate\"\nvalue = 6\n",
    )
    .unwrap();
    let (code, said) = out(common::runbook(&journal, "alice").args([
        "drill",
        "--scenario",
        scenario.to_str().unwrap(),
    ]));
    assert_eq!(code, Some(2), "{said}");
    let at = format!("{}:9:10", scenario.display());
    assert!(said.contains(&at), "{said}");
    assert!(said.contains("did you mean `error-rate`?"), "{said}");
    // Nothing was recorded.
    assert!(!journal.exists() || entries(&journal).iter().all(|e| e["run"].is_null()));
}

/// The steps list of a run screen: each step's status and name as shown,
/// the selection marker left out.
fn steps(screen: &str) -> Vec<String> {
    const MARKS: [char; 8] = ['○', '✔', '↷', '✘', '◐', '⧗', '⚑', '◆'];
    screen
        .lines()
        .filter_map(|line| {
            let panel = line.strip_prefix('│')?;
            let left: String = panel.chars().take_while(|c| *c != '│').collect();
            let left = left.replace('›', " ");
            let left = left.trim();
            left.starts_with(MARKS).then(|| left.to_owned())
        })
        .collect()
}

#[test]
fn a_replay_shows_the_states_of_the_live_run_in_the_same_order() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let mut live = Console::spawn(&journal, "alice", &["run", "deploy"]);
    live.wait_for_all(&["1.1 All tests pass", "5.3 PSP webhooks working"]);
    let mut lived = vec![steps(&live.screen())];
    for (n, evidence) in ["120 tests passed", "https://review.example/42", "2.4.1"]
        .iter()
        .enumerate()
    {
        live.send(" ");
        live.wait_for("Evidence (required)");
        live.send(&format!("{evidence}\r"));
        live.wait_for(&format!("recorded #{}", n + 2));
        live.wait_for_all(&[&format!("{}/16 steps", n + 1), "5.3 PSP webhooks working"]);
        lived.push(steps(&live.screen()));
    }
    live.send("q");
    live.wait_for("Open runs");
    live.send("q");
    assert_eq!(live.exit_within(Duration::from_secs(5)), 0);
    assert!(lived.iter().all(|s| s.len() >= 10), "{lived:#?}");
    assert_ne!(lived[0], lived[1]);

    let (_, listed) = out(common::runbook(&journal, "alice").args(["runs", "--json"]));
    let runs: Vec<serde_json::Value> = serde_json::from_str(&listed).unwrap();
    let run = runs[0]["id"].as_str().unwrap().to_owned();
    let mut replay = Console::spawn(&journal, "bob", &["replay", &run, "--speed", "1"]);
    replay.wait_for("REPLAY");
    replay.send("g");
    replay.wait_for_all(&["1/5 · ×1 · paused", "5.3 PSP webhooks working"]);
    let mut replayed = vec![steps(&replay.screen())];
    for shown in 2..=5 {
        replay.send("n");
        replay.wait_for_all(&[&format!("{shown}/5 · ×1"), "5.3 PSP webhooks working"]);
        replayed.push(steps(&replay.screen()));
    }
    // The leaving changes no step: the last two screens are the same.
    assert_eq!(replayed[4], replayed[3]);
    replayed.pop();
    assert_eq!(replayed, lived);
    replay.send("q");
    assert_eq!(replay.exit_within(Duration::from_secs(5)), 0);
    replay.assert_restored();
    // Read-only: the replay recorded nothing.
    let after = entries(&journal);
    assert!(after.iter().all(|e| e["operator"] != "bob"), "{after:#?}");
}
