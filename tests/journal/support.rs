//! Helpers the `journal` and `journal_writers` tests share.

// Each test file uses a part of them.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::Utc;
use runbook::journal::verify::{ExpectedHead, Report, verify};
use runbook::journal::{Identity, Record};
use runbook::run::Event;
use runbook::store::{Options, Writer};

pub fn runbook() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_runbook"));
    command
        .env_remove("RUNBOOK_JOURNAL")
        .env_remove("RUNBOOK_JOURNAL_KEY")
        .env_remove("RUNBOOK_CATALOG")
        .env_remove("RUNBOOK_OPERATOR")
        .env("LANG", "C")
        .env("XDG_CONFIG_HOME", "/nonexistent-runbook-test-config");
    command
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub fn identity(name: &str) -> Identity {
    Identity {
        operator: name.to_owned(),
        os_user: None,
        from: Some("192.0.2.1".into()),
        host: "bastion".into(),
        session: "s1".into(),
        signer: None,
        foreign_account: None,
    }
}

pub fn note(run: &str, text: &str) -> Record {
    Record {
        run: Some(run.to_owned()),
        event: Event::NoteAdded {
            step: None,
            text: text.to_owned(),
        },
    }
}

/// A journal of a genesis entry and `notes` notes.
pub fn journal(dir: &Path, notes: usize, key: Option<&[u8]>) -> PathBuf {
    let path = dir.join("journal.jsonl");
    let options = Options {
        key: key.map(<[u8]>::to_vec),
        group: None,
    };
    let mut writer = Writer::open(&path, identity("alice"), options).unwrap();
    for n in 0..notes {
        writer
            .append(&[note("run-1", &format!("note {n}"))], Utc::now())
            .unwrap();
    }
    path
}

pub fn check(bytes: &[u8], key: Option<&[u8]>, expect: Option<&ExpectedHead>) -> Report {
    verify(bytes, key, expect).unwrap()
}

pub fn lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

pub fn write_lines(path: &Path, lines: &[String]) {
    let mut text = lines.join("\n");
    text.push('\n');
    std::fs::write(path, text).unwrap();
}

pub fn audit_verify(path: &Path, extra: &[&str], key: Option<&str>) -> Output {
    let mut command = runbook();
    command
        .args(["audit", "verify", "--journal", path.to_str().unwrap()])
        .args(extra);
    if let Some(key) = key {
        command.env("RUNBOOK_JOURNAL_KEY", key);
    }
    command.output().unwrap()
}
