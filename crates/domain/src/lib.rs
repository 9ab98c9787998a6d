//! The runbook domain: what a procedure is (`catalog`), how one walk
//! through it moves (`run`), the journal's lines, chain and verification
//! (`journal`), deadlines and windows, the duties and post-mortems owed, the
//! report, the drills, and the words said to a person (`text`).
//!
//! Pure: it decides and folds, and is handed the clock and the operator.
//! It may not import tokio, ratatui, crossterm, reqwest or tokio-postgres,
//! nor any other runbook crate: this crate's manifest does not name them,
//! so the compiler refuses it.

pub mod catalog;
pub mod drill;
pub mod due;
pub mod gdpr;
pub mod journal;
pub mod keyed;
pub mod learn;
pub mod outbox;
pub mod overview;
pub mod reference;
pub mod report;
pub mod run;
pub mod status;
pub mod text;
pub mod time;
pub mod windows;

/// What the domain's own tests share: an entry as the journal would hold
/// it, without a chain behind it.
#[cfg(test)]
pub(crate) mod testing {
    use chrono::{DateTime, Utc};

    use crate::journal::Entry;
    use crate::run::Event;

    /// Entry `seq` of `run`, written by alice on bastion at `ts`.
    pub fn entry(seq: u64, ts: DateTime<Utc>, run: Option<&str>, event: Event) -> Entry {
        Entry {
            drill_ts: None,
            clock: None,
            seq,
            ts,
            operator: "alice".into(),
            os_user: None,
            from: None,
            host: "bastion".into(),
            session: "s".into(),
            run: run.map(str::to_owned),
            event,
            prev: String::new(),
            signer: None,
            sig: None,
            hash: format!("h{seq}"),
            mac: None,
        }
    }
}
