//! On a database journal the server's clock is the one that counts
//! (issue 35): each row is stamped by the server, entries are dated and
//! gates judged by its time, and a writer whose clock is set forward (a
//! preloaded shim, two days ahead) is told at once and passes no gate; a
//! row written by hand with a time of its own is named by `audit verify`.

// Helpers of tests may unwrap: a failure there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "pg_journal/support.rs"]
mod support;

use common::pg::Pg;
use support::{ok, runbook, sql, started, text};

const TEAM: &str =
    "[identity]\nrequire = \"none\"\n\n[[role]]\nid = \"tech-lead\"\nholders = [\"alice\"]\n";

#[test]
fn a_clock_set_forward_passes_no_gate_on_a_database_journal() {
    let pg = Pg::start();
    let (state, url) = started(&pg);
    let site = state.path().join("team.toml");
    std::fs::write(&site, TEAM).unwrap();
    let alice = || {
        let mut command = runbook(&url, state.path(), "alice");
        command.arg("--site").arg(&site);
        command
    };
    let out = common::feed(
        alice().args(["run", "deploy", "--plain"]),
        "goto rollout-10\ndone\nquit\n",
    );
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    let run = said
        .lines()
        .find_map(|l| l.split(" — run ").nth(1))
        .and_then(|rest| rest.split(',').next())
        .unwrap()
        .trim()
        .to_owned();

    // Two days and an hour ahead: by this host's clock, the 48-hour gate
    // of rollout-50 is open; by the server's, it is not.
    let Some(shim) = common::shim::clock_ahead(state.path(), 49) else {
        return;
    };
    let out = common::feed(
        alice()
            .env("LD_PRELOAD", &shim)
            .args(["resume", &run, "--plain"]),
        "goto rollout-50\noverride error rate read by hand\nnote clock check\nquit\n",
    );
    let said = text(&out);
    assert!(said.contains("step `rollout-50` opens at"), "{said}");
    assert!(
        said.contains("this host's clock is 49h off the database's"),
        "{said}"
    );
    let done = sql(
        &pg,
        "SELECT count(*) FROM runbook_journal WHERE convert_from(line, 'UTF8') LIKE '%\"step_completed\":{\"step\":\"rollout-50\"%'",
    );
    assert_eq!(done, "0");
    // What it did record is dated by the server, its own clock beside.
    let note = sql(
        &pg,
        "SELECT convert_from(line, 'UTF8') FROM runbook_journal WHERE convert_from(line, 'UTF8') LIKE '%clock check%'",
    );
    let entry: serde_json::Value = serde_json::from_str(&note).unwrap();
    let ts: chrono::DateTime<chrono::Utc> = entry["ts"].as_str().unwrap().parse().unwrap();
    let clock: chrono::DateTime<chrono::Utc> = entry["clock"].as_str().unwrap().parse().unwrap();
    assert!((ts - chrono::Utc::now()).num_minutes().abs() < 5, "{note}");
    assert!((clock - ts).num_hours() >= 48, "{note}");
    let verified = ok(alice().args(["audit", "verify"]));
    assert!(verified.contains("intact"), "{verified}");

    // A row a tampered client wrote with a time of its own, two days on.
    let last = sql(
        &pg,
        "SELECT convert_from(line, 'UTF8') FROM runbook_journal ORDER BY seq DESC LIMIT 1",
    );
    let last: serde_json::Value = serde_json::from_str(&last).unwrap();
    let seq = last["seq"].as_u64().unwrap() + 1;
    let prev = last["hash"].as_str().unwrap();
    let ahead = (chrono::Utc::now() + chrono::TimeDelta::hours(49))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let body = format!(
        "{{\"seq\":{seq},\"ts\":\"{ahead}\",\"operator\":\"alice\",\"host\":\"vm\",\"session\":\"s\",\"run\":\"{run}\",\"event\":{{\"step_completed\":{{\"step\":\"rollout-50\",\"hold\":{{\"overridden\":\"read by hand\"}}}}}},\"prev\":\"{prev}\""
    );
    let hash = runbook::journal::line::sha256_hex(body.as_bytes());
    let line = format!("{body},\"hash\":\"{hash}\"}}");
    let insert = format!(
        "INSERT INTO runbook_journal (seq, hash, line) VALUES ({seq}, '{hash}', convert_to('{}', 'UTF8'))",
        line.replace('\'', "''")
    );
    sql(&pg, &insert);
    let out = alice().args(["audit", "verify"]).output().unwrap();
    let said = text(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(
        said.contains(&format!(
            "entry #{seq} is dated {ahead}, but the database stamped its row"
        )),
        "{said}"
    );
    // Judged by the server's time, the step was also done before its
    // gate: the second problem.
    assert!(said.contains("(1 more problem(s) after it)"), "{said}");
}
