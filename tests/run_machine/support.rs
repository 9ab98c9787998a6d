//! Helpers the `run_machine` and `run_machine_props` tests share.

// Each test file uses a part of them.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{DateTime, Utc};
use runbook::catalog::{self, Catalog};
use runbook::run::{Command, Context, Event, Meta, Rejection, RunState, decide, start};

/// The bundled catalog on a machine where its metrics' Prometheus is not
/// configured: they cannot be read, so holds on them are not enforced.
pub fn catalog() -> Catalog {
    let mut catalog = catalog::load_bundled().catalog;
    runbook::metrics::source::configure(&mut catalog, &|_: &str| None);
    catalog
}

pub fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-24T10:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

/// Runs commands through decide and apply, as the session does, with a
/// clock and operator per command.
pub struct Harness {
    pub catalog: Catalog,
    pub procedure: String,
    pub state: RunState,
    pub seq: u64,
    pub roles: Vec<String>,
    pub readings: Option<FakeReadings>,
    /// Operators whose proof is not their own name's account: two names
    /// on one account.
    pub proofs: std::collections::HashMap<String, String>,
}

/// Each operator on an OS account of their own.
pub fn proof(operator: &str) -> String {
    format!("account {operator}@bastion")
}

/// Readings as a console would have them: per metric, since when it is
/// below alert, or that it is critical.
#[derive(Debug, Default)]
pub struct FakeReadings {
    pub ok_since: std::collections::HashMap<String, DateTime<Utc>>,
    pub critical: Vec<String>,
}

impl runbook::run::Readings for FakeReadings {
    fn ok_since(&self, metric: &str) -> Option<DateTime<Utc>> {
        self.ok_since.get(metric).copied()
    }

    fn is_critical(&self, metric: &str) -> bool {
        self.critical.iter().any(|m| m == metric)
    }
}

impl Harness {
    pub fn new(procedure: &str, severity: Option<&str>) -> Self {
        let catalog = catalog();
        let started = start(&catalog, procedure, severity).unwrap();
        let mut h = Harness {
            catalog,
            procedure: procedure.to_owned(),
            state: RunState::new("run-1"),
            seq: 0,
            roles: Vec::new(),
            readings: None,
            proofs: std::collections::HashMap::new(),
        };
        h.record("alice", t0(), vec![started]);
        h
    }

    pub fn record(&mut self, operator: &str, at: DateTime<Utc>, events: Vec<Event>) {
        for event in events {
            self.seq += 1;
            let meta = Meta {
                seq: self.seq,
                at,
                operator: operator.to_owned(),
                proof: self
                    .proofs
                    .get(operator)
                    .cloned()
                    .unwrap_or_else(|| proof(operator)),
            };
            self.state.apply(&meta, &event);
        }
    }

    pub fn try_as(
        &mut self,
        operator: &str,
        at: DateTime<Utc>,
        command: Command,
    ) -> Result<Vec<Event>, Rejection> {
        let procedure = self.catalog.procedure(&self.procedure).unwrap().clone();
        let proof = self
            .proofs
            .get(operator)
            .cloned()
            .unwrap_or_else(|| proof(operator));
        let ctx = Context {
            catalog: &self.catalog,
            procedure: &procedure,
            operator,
            proof: &proof,
            extra_roles: &self.roles,
            now: at,
            readings: self
                .readings
                .as_ref()
                .map(|r| r as &dyn runbook::run::Readings),
        };
        let events = decide(&self.state, &ctx, &command)?;
        self.record(operator, at, events.clone());
        Ok(events)
    }
}

pub fn done(step: &str, note: Option<&str>) -> Command {
    Command::Complete {
        step: step.into(),
        note: note.map(str::to_owned),
        confirmed: false,
        override_hold: None,
    }
}

/// An internal status update: what does the incident's communication step.
pub fn internal_update(text: &str) -> Command {
    Command::Update(runbook::status::Update {
        status: runbook::status::Status::Investigating,
        impact: runbook::status::Impact::Major,
        components: Vec::new(),
        public: false,
        text: text.into(),
    })
}
