//! Helpers the `pg_journal` and `pg_journal_hosts` tests share.

// Each test file uses a part of them.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output};

use crate::common::pg::{PASSWORD, Pg};

/// The binary on `journal` (a path or a URL), as `operator`, with the
/// database password in the environment and its own state folder.
pub fn runbook(journal: &str, state: &Path, operator: &str) -> Command {
    let mut command = crate::common::runbook(journal, operator);
    command
        .env("RUNBOOK_PG_PASSWORD", PASSWORD)
        .env("XDG_STATE_HOME", state)
        .env_remove("PGPASSWORD");
    command
}

pub fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

pub fn ok(command: &mut Command) -> String {
    let out = command.output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn sql(pg: &Pg, query: &str) -> String {
    let out = pg.psql(query);
    assert!(out.status.success(), "{query}: {}", text(&out));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

pub fn started(pg: &Pg) -> (tempfile::TempDir, String) {
    let state = tempfile::tempdir().unwrap();
    let url = pg.url();
    ok(runbook(&url, state.path(), "ana").args(["journal", "init"]));
    (state, url)
}
