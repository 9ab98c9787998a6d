//! Steps that decide by the numbers: typed evidence read and recorded,
//! later steps made unneeded (and recorded so, with the reason) or kept
//! required by a condition on it, through line mode, the journal, `runs`
//! and `report`; and every mistake in a condition at its place.

// Helpers of tests may unwrap: a failure there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

fn walk(journal: &Path, args: &[&str], input: &str) -> String {
    let out = common::feed(common::runbook(journal, "alice").args(args), input);
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

fn events(journal: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(journal)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["event"].clone())
        .collect()
}

#[test]
fn a_gap_of_forty_cents_makes_the_investigation_unneeded() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let said = walk(
        &journal,
        &["run", "reconciliation-daily", "--plain"],
        "done stripe-2026-11-23.csv, 1204 transactions\ndone\ndone forty cents\ndone 0,40 EUR\nfinish\n",
    );
    assert!(
        said.contains("refused: step `find-gaps` expects a number in EUR"),
        "a wrong type is refused with what was expected: {said}"
    );
    assert!(said.contains("run finished"), "{said}");
    let events = events(&journal);
    let done = events
        .iter()
        .find(|e| e["step_completed"]["step"] == "find-gaps")
        .unwrap();
    assert_eq!(
        done["step_completed"]["value"], 0.4,
        "the typed value is journaled"
    );
    let unneeded: Vec<&str> = events
        .iter()
        .filter_map(|e| e["step_not_needed"]["step"].as_str())
        .collect();
    assert_eq!(unneeded, ["investigate", "log-corrections"]);
    let reason = &events
        .iter()
        .find(|e| e["step_not_needed"].is_object())
        .unwrap()["step_not_needed"];
    assert_eq!(reason["condition"], "find-gaps > 1");
    assert_eq!(reason["value"], "0.4 EUR");

    let runs = common::runbook(&journal, "alice")
        .args(["runs"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&runs.stdout).contains("find-gaps=0.4"));
    let id = {
        let json = common::runbook(&journal, "alice")
            .args(["runs", "--json"])
            .output()
            .unwrap();
        let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
        assert_eq!(json[0]["answers"]["find-gaps"], "0.4");
        json[0]["id"].as_str().unwrap().to_owned()
    };
    let report = common::runbook(&journal, "alice")
        .args(["report", &id])
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&report.stdout);
    assert!(
        report.contains("not needed: Investigate and correct (`investigate`) — `find-gaps \\> 1` is false for 0.4 EUR"),
        "the report says which branch was taken: {report}"
    );
}

#[test]
fn a_gap_of_twelve_euros_keeps_it_required_and_finish_refuses() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let said = walk(
        &journal,
        &["run", "reconciliation-daily", "--plain"],
        "done export.csv\ndone\ndone 12\nfinish\nstatus\nquit\n",
    );
    assert!(
        said.contains("required steps are still open: investigate, log-corrections"),
        "{said}"
    );
    assert!(
        said.contains("1.4 Investigate and correct — to do"),
        "{said}"
    );
    assert!(
        !std::fs::read_to_string(&journal)
            .unwrap()
            .contains("step_not_needed")
    );
}

#[test]
fn reopening_the_answer_makes_the_unneeded_steps_needed_again() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let said = walk(
        &journal,
        &["--lang", "fr", "run", "reconciliation-daily", "--plain"],
        "fait export.csv\nfait\nfait 0,4\naller find-gaps\nrouvrir erreur de lecture\nfait 3,5 EUR\netat\nquitter\n",
    );
    assert!(
        said.contains("1.4 Investiguer et corriger — à faire"),
        "a new answer of 3.5 EUR needs the investigation: {said}"
    );
    let events = events(&journal);
    let reopened: Vec<&str> = events
        .iter()
        .filter_map(|e| e["step_reopened"]["step"].as_str())
        .collect();
    assert_eq!(reopened, ["find-gaps", "investigate", "log-corrections"]);
}

fn check(dir: &Path, text: &str) -> String {
    let file = dir.join("c.toml");
    std::fs::write(&file, text).unwrap();
    let out = common::runbook(dir.join("j.jsonl"), "alice")
        .args(["check", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_condition_must_read_an_earlier_typed_answer_of_its_type() {
    let dir = tempfile::tempdir().unwrap();
    let procedure = |steps: &str| {
        format!(
            "[[procedure]]\nid = \"p\"\nkind = \"maintenance\"\ntitle = \"P\"\n[[procedure.section]]\nid = \"s\"\ntitle = \"S\"\n{steps}"
        )
    };
    let step = |id: &str, extra: &str| {
        format!("[[procedure.section.step]]\nid = \"{id}\"\ntext = \"{id}\"\n{extra}\n")
    };
    let said = check(
        dir.path(),
        &procedure(
            &(step("a", "when = \"b > 1\"")
                + &step("b", "evidence = { text = \"Gap\", number = \"EUR\" }")
                + &step("c", "when = \"nowhere == yes\"")
                + &step("d", "evidence = \"Plain\"")
                + &step("e", "when = \"d > 1\"")
                + &step("f", "evidence = { text = \"Met?\", yes_no = true }")
                + &step("g", "when = \"f > 1\"")
                + &step(
                    "h",
                    "evidence = { text = \"Size\", choices = [\"none\", \"major\"] }",
                )
                + &step("i", "when = \"h == huge\"")
                + &step(
                    "j",
                    "evidence = { text = \"Two\", number = \"EUR\", yes_no = true }",
                )
                + &step("k", "when = \"just words\"")),
        ),
    );
    for (at, what) in [
        (
            "c.toml:11:8",
            "`b` comes after the step whose need it decides",
        ),
        ("c.toml:19:8", "no step `nowhere` in this procedure"),
        ("c.toml:27:8", "step `d` asks for no typed answer"),
        (
            "c.toml:35:8",
            "`f > 1` compares order, but `f` is not a number",
        ),
        ("c.toml:43:8", "`huge` is not an answer `h` can give"),
        ("c.toml:47:12", "typed evidence says what it is, once"),
        ("c.toml:51:8", "`just words` is not a condition"),
    ] {
        let line = said
            .lines()
            .position(|l| l.contains(what))
            .unwrap_or_else(|| panic!("no «{what}» in:\n{said}"));
        let place = said.lines().nth(line + 1).unwrap_or_default();
        assert!(
            place.contains(at),
            "«{what}» should point at {at}, not {place}:\n{said}"
        );
    }
}

#[test]
fn the_rollback_criteria_answered_decide_whether_the_rollback_is_started() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let calm = walk(
        &journal,
        &["run", "deploy", "--plain"],
        "goto rollback-criteria\ndone maybe\ndone no\nstatus\nquit\n",
    );
    assert!(calm.contains("expects yes or no"), "{calm}");
    assert!(
        calm.contains("5.6 Start the rollback procedure — not needed"),
        "{calm}"
    );
    let burning = walk(
        &journal,
        &["run", "deploy", "--plain"],
        "goto rollback-criteria\ndone yes\nstatus\nquit\n",
    );
    assert!(
        burning.contains("5.6 Start the rollback procedure — to do"),
        "{burning}"
    );
}
