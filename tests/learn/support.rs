//! Helpers the `learn` and `learn_stats` tests share.

// Each test file uses a part of them.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::Output;

use chrono::{DateTime, TimeDelta, Utc};
use runbook::journal::Record;
use runbook::run::Event;
use runbook::store::Writer;

pub fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

pub fn writer(path: &Path, operator: &str) -> Writer {
    crate::common::writer(path, operator, None)
}

/// Writes a run's events, each at its own time.
pub struct Script<'a> {
    pub path: &'a Path,
}

impl Script<'_> {
    pub fn write(&self, operator: &str, run: Option<&str>, when: DateTime<Utc>, event: Event) {
        let mut w = writer(self.path, operator);
        let record = Record {
            run: run.map(str::to_owned),
            event,
        };
        w.append(&[record], when).unwrap();
    }

    pub fn start(&self, run: &str, procedure: &str, severity: Option<&str>, when: DateTime<Utc>) {
        let event = Event::RunStarted {
            procedure: procedure.into(),
            procedure_hash: "h".into(),
            severity: severity.map(str::to_owned),
            pinned: None,
        };
        self.write("alice", Some(run), when, event);
    }

    pub fn done(&self, run: &str, step: &str, when: DateTime<Utc>) {
        let event = Event::StepCompleted {
            step: step.into(),
            note: Some(format!("{step} done")),
            value: None,
            hold: None,
        };
        self.write("alice", Some(run), when, event);
    }

    pub fn finish(&self, run: &str, when: DateTime<Utc>) {
        self.write("alice", Some(run), when, Event::RunFinished);
    }
}

/// The binary on `journal`, its recurring duties owed only from 2099 on,
/// so that the exit codes tell what runs left owed alone.
pub fn run(journal: &Path, args: &[&str]) -> Output {
    let home = journal.parent().unwrap().join("config");
    let config = home.join("runbook/config.toml");
    if !config.exists() {
        std::fs::create_dir_all(config.parent().unwrap()).unwrap();
        std::fs::write(&config, "duties_since = \"2099-01-01\"\n").unwrap();
    }
    crate::common::runbook(journal, "alice")
        .env("XDG_CONFIG_HOME", &home)
        .args(args)
        .output()
        .unwrap()
}

pub fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

pub fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(out)))
}

pub fn rfc(time: DateTime<Utc>) -> String {
    time.to_rfc3339()
}

/// The owed items of `runbook due --json` (the duties have no `kind`).
pub fn owed(journal: &Path, when: DateTime<Utc>) -> (Option<i32>, Vec<serde_json::Value>) {
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

/// A closed incident to hang follow-ups on.
pub fn closed_incident(journal: &Path, t0: DateTime<Utc>) {
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
