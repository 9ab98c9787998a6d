//! One journal entry: who, where, when, which run, what happened, and the
//! chain that seals it.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

pub use super::identity::Identity;
use crate::run::{Event, Meta};

/// The serialised form, in the order the members appear in the file.
/// Members are spelt out rather than flattened: flattening makes serde
/// buffer every entry on replay.
#[derive(Serialize)]
pub(super) struct Body<'a> {
    pub seq: u64,
    pub ts: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub drill_ts: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clock: Option<String>,
    pub operator: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub os_user: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<&'a str>,
    pub host: &'a str,
    pub session: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run: Option<&'a str>,
    pub event: &'a Event,
    pub prev: &'a str,
}

pub fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// An entry as read back.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Entry {
    pub seq: u64,
    pub ts: DateTime<Utc>,
    /// The drill clock's time, in an entry of a drill: the time its run
    /// lives by.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drill_ts: Option<DateTime<Utc>>,
    /// The writer's own clock, when it was behind the journal's last
    /// entry and `ts` was raised to keep the journal in order: `audit
    /// verify` names an entry dated ahead of a later writer's clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock: Option<DateTime<Utc>>,
    pub operator: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os_user: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    pub host: String,
    pub session: String,
    #[serde(default)]
    pub run: Option<String>,
    pub event: Event,
    pub prev: String,
    /// The fingerprint of the key that signed it, when one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sig: Option<String>,
    pub hash: String,
    #[serde(default)]
    pub mac: Option<String>,
}

impl Entry {
    pub fn meta(&self) -> Meta {
        Meta {
            seq: self.seq,
            at: self.drill_ts.unwrap_or(self.ts),
            operator: self.operator.clone(),
            proof: super::identity::proof(
                &self.operator,
                self.os_user.as_deref(),
                &self.host,
                self.signer.as_deref(),
            ),
        }
    }
}

/// What folding a run needs of an entry, and nothing more: replaying a
/// long journal reads these, not whole entries.
#[derive(Debug, Deserialize)]
pub struct Folded {
    pub seq: u64,
    pub ts: DateTime<Utc>,
    #[serde(default)]
    pub drill_ts: Option<DateTime<Utc>>,
    pub operator: String,
    #[serde(default)]
    pub os_user: Option<String>,
    pub host: String,
    #[serde(default)]
    pub run: Option<String>,
    pub event: Event,
    #[serde(default)]
    pub signer: Option<String>,
}

impl Folded {
    pub fn meta(&self) -> Meta {
        Meta {
            seq: self.seq,
            at: self.drill_ts.unwrap_or(self.ts),
            operator: self.operator.clone(),
            proof: super::identity::proof(
                &self.operator,
                self.os_user.as_deref(),
                &self.host,
                self.signer.as_deref(),
            ),
        }
    }
}

/// What a caller asks to record: the event and the run it belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub run: Option<String>,
    pub event: Event,
}

/// When a batch is recorded: the real time, and in a drill the drill
/// clock's time too (the run's deadlines and gates live by it, the audit
/// by the real one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub real: DateTime<Utc>,
    pub drill: Option<DateTime<Utc>>,
    /// The writer's clock, when `real` was raised above it.
    pub clock: Option<DateTime<Utc>>,
}

impl Stamp {
    /// The time the run lives by.
    pub fn run_time(&self) -> DateTime<Utc> {
        self.drill.unwrap_or(self.real)
    }

    /// This stamp, its real time never before `floor` (the chain's last
    /// entry): appenders on hosts whose clocks differ by a few
    /// milliseconds, or more, keep the journal's time in its order.
    #[must_use]
    pub fn not_before(self, floor: Option<DateTime<Utc>>) -> Stamp {
        let raised = floor.filter(|floor| *floor > self.real);
        Stamp {
            real: raised.unwrap_or(self.real),
            drill: self.drill,
            clock: raised.map(|_| self.real).or(self.clock),
        }
    }
}

impl Stamp {
    /// This stamp dated by a server's clock, `server`, not the writer's:
    /// the writer's own is kept beside it when they differ by more than a
    /// minute, so the record says which clock was off.
    #[must_use]
    pub fn by_server(self, server: DateTime<Utc>) -> Stamp {
        let off = (self.real - server).abs() > chrono::TimeDelta::minutes(1);
        Stamp {
            real: server,
            drill: self.drill,
            clock: off.then_some(self.real).or(self.clock),
        }
    }
}

impl From<DateTime<Utc>> for Stamp {
    fn from(real: DateTime<Utc>) -> Self {
        Stamp {
            real,
            drill: None,
            clock: None,
        }
    }
}

/// What a successful append returns: the entry's place in the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appended {
    pub seq: u64,
    pub hash: String,
    pub at: DateTime<Utc>,
}
