//! A step's command as the run records it: started (before the process
//! exists), finished (how it ended, what it printed), and for a
//! two-person step the request and the second operator's approval that
//! must come before it runs. Pure: the process itself is the shell's.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Why runbook stopped a command, when it did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stop {
    /// The operator interrupted it.
    Interrupted,
    /// It outlived the catalog's timeout.
    TimedOut,
}

/// How a command ended.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Outcome {
    /// Its exit status, when it exited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit: Option<i32>,
    /// The signal that ended it (`SIGKILL`), when one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signal: Option<String>,
    /// The signals runbook sent its process group, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sent: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped: Option<Stop>,
    /// Why it could not be started at all (no such program).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl Outcome {
    /// Exited 0 of its own accord.
    pub fn success(&self) -> bool {
        self.exit == Some(0) && self.stopped.is_none()
    }
}

/// What a command printed: the whole of it is in `file` (beside the
/// journal; on a database journal, beside this host's state) and, on a
/// database journal, in `parts` rows of its output table, which `sha256`
/// and `bytes` pin; `tail` is its end, for a report or a failure note.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Output {
    pub file: String,
    pub bytes: u64,
    pub sha256: String,
    pub tail: String,
    /// How many parts the database holds (`None`: none was stored, the
    /// file alone has it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parts: Option<u32>,
}

/// A command as the state knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ran {
    /// The sequence of its `command_started` entry: its name in the journal.
    pub seq: u64,
    pub step: String,
    pub command: String,
    pub by: String,
    pub at: DateTime<Utc>,
    pub host: String,
    pub finished: Option<Finished>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finished {
    pub at: DateTime<Utc>,
    pub outcome: Outcome,
    pub duration_ms: u64,
    pub output: Output,
}

/// A two-person step's command asked for by one operator, and approved
/// (or not yet) by another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Request {
    pub command: String,
    pub by: String,
    /// The asker's proof, which the approver's must differ from.
    #[serde(skip)]
    pub proof: String,
    pub approved_by: Option<String>,
}

/// The last of `lines` that fits in `limit` bytes, cut at a character
/// boundary: an output's tail for the journal.
pub fn tail(bytes: &[u8], limit: usize) -> String {
    let from = bytes.len().saturating_sub(limit);
    let text = String::from_utf8_lossy(&bytes[from..]);
    // A cut through a multi-byte character shows as one replacement mark
    // at the start; drop it.
    text.trim_start_matches('\u{fffd}').to_owned()
}
