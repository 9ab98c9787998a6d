//! What a team records about runs once they are over: post-mortems
//! written, follow-ups added, done or dropped. Folded from entries outside
//! any run, and small enough for the journal's index to carry whole, so
//! that `due` and `stats` never read the history for it.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::run::{Event, Meta};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ledger {
    /// The post-mortems recorded, by run.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub postmortems: BTreeMap<String, Written>,
    /// Every follow-up, in the order added.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub followups: Vec<Followup>,
    /// The owed steps settled, by run and step.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub settled: BTreeMap<String, BTreeMap<String, Settled>>,
    /// The identity policy in force: the journal's latest accepted one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<InForce>,
}

/// A published policy that took effect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InForce {
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub by: String,
    /// The journal's first, trusted on first use.
    #[serde(default)]
    pub first_use: bool,
    pub policy: crate::journal::policy::Policy,
}

/// An owed step settled otherwise than by doing it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settled {
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub by: String,
    pub reason: String,
}

/// A post-mortem recorded as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Written {
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Followup {
    /// The entry that added it.
    pub id: u64,
    pub run: String,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<DateTime<Utc>>,
    pub added_at: DateTime<Utc>,
    pub added_by: String,
    #[serde(flatten)]
    pub state: FollowupState,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum FollowupState {
    Open,
    Done {
        at: DateTime<Utc>,
        by: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    Dropped {
        at: DateTime<Utc>,
        by: String,
        reason: String,
    },
}

impl Followup {
    pub fn is_open(&self) -> bool {
        self.state == FollowupState::Open
    }
}

impl Ledger {
    /// Whether the owed `step` of `run` is settled: by a record that
    /// settles it, or, for a post-mortem, by the post-mortem recorded.
    pub fn settles(&self, run: &str, step: &crate::catalog::Step) -> bool {
        self.settled
            .get(run)
            .is_some_and(|s| s.contains_key(&step.id))
            || (step.marks == Some(crate::catalog::Mark::PostMortem)
                && self.postmortems.contains_key(run))
    }

    /// Whether `event` is one the ledger keeps.
    pub fn keeps(event: &Event) -> bool {
        matches!(
            event,
            Event::PostmortemDone { .. }
                | Event::StepSettled { .. }
                | Event::PolicyPublished(_)
                | Event::FollowupAdded { .. }
                | Event::FollowupDone { .. }
                | Event::FollowupDropped { .. }
        )
    }

    /// Folds one entry; any other event leaves the ledger as it is.
    pub fn apply(&mut self, meta: &Meta, event: &Event) {
        match event {
            Event::PostmortemDone { run, link, sha256 } => {
                // The first record stands; a later one changes nothing.
                self.postmortems.entry(run.clone()).or_insert(Written {
                    seq: meta.seq,
                    at: meta.at,
                    by: meta.operator.clone(),
                    link: link.clone(),
                    sha256: sha256.clone(),
                });
            }
            Event::PolicyPublished(published) => {
                let current = self.policy.as_ref().map(|p| &p.policy);
                // One refused changes nothing: `audit verify` names it.
                if let Ok(accepted) = published.accept(current, &meta.operator, meta.at) {
                    self.policy = Some(InForce {
                        seq: meta.seq,
                        at: meta.at,
                        by: meta.operator.clone(),
                        first_use: accepted == crate::journal::policy::Accepted::OnFirstUse,
                        policy: published.policy.clone(),
                    });
                }
            }
            Event::StepSettled { run, step, reason } => {
                let steps = self.settled.entry(run.clone()).or_default();
                steps.entry(step.clone()).or_insert(Settled {
                    seq: meta.seq,
                    at: meta.at,
                    by: meta.operator.clone(),
                    reason: reason.clone(),
                });
            }
            Event::FollowupAdded {
                run,
                text,
                owner,
                due,
            } => self.followups.push(Followup {
                id: meta.seq,
                run: run.clone(),
                text: text.clone(),
                owner: owner.clone(),
                due: *due,
                added_at: meta.at,
                added_by: meta.operator.clone(),
                state: FollowupState::Open,
            }),
            Event::FollowupDone { followup, note } => self.close(
                *followup,
                FollowupState::Done {
                    at: meta.at,
                    by: meta.operator.clone(),
                    note: note.clone(),
                },
            ),
            Event::FollowupDropped { followup, reason } => self.close(
                *followup,
                FollowupState::Dropped {
                    at: meta.at,
                    by: meta.operator.clone(),
                    reason: reason.clone(),
                },
            ),
            _ => {}
        }
    }

    fn close(&mut self, id: u64, state: FollowupState) {
        if let Some(followup) = self
            .followups
            .iter_mut()
            .find(|f| f.id == id && f.is_open())
        {
            followup.state = state;
        }
    }

    pub fn followup(&self, id: u64) -> Option<&Followup> {
        self.followups.iter().find(|f| f.id == id)
    }

    /// A run's follow-ups, in the order added.
    pub fn of_run<'a>(&'a self, run: &'a str) -> impl Iterator<Item = &'a Followup> + 'a {
        self.followups.iter().filter(move |f| f.run == run)
    }
}

/// A due date as given (`--due`, `+7d` in the console): a span from `now`
/// (`7d`), a date (due by its end, UTC), or a time.
pub fn due_at(text: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    if let Ok(span) = text.parse::<crate::catalog::Duration>() {
        return Some(now + span.to_chrono());
    }
    if let Ok(date) = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") {
        return Some(date.and_hms_opt(0, 0, 0)?.and_utc() + TimeDelta::days(1));
    }
    crate::time::parse(text).ok()
}

/// A follow-up typed on one line, as the console and line mode take it:
/// its text, then, last, `@owner` and `+7d` (or `+2026-12-24`) in any
/// order. A word that only looks like one (`+x`) stays in the text.
pub fn quick(line: &str, now: DateTime<Utc>) -> (String, Option<String>, Option<DateTime<Utc>>) {
    let mut words: Vec<&str> = line.split_whitespace().collect();
    let (mut owner, mut due) = (None, None);
    while let Some(last) = words.last() {
        if let Some(name) = last
            .strip_prefix('@')
            .filter(|n| !n.is_empty() && owner.is_none())
        {
            owner = Some(name.to_owned());
        } else if let Some(at) = last
            .strip_prefix('+')
            .filter(|_| due.is_none())
            .and_then(|d| due_at(d, now))
        {
            due = Some(at);
        } else {
            break;
        }
        words.pop();
    }
    (words.join(" "), owner, due)
}
