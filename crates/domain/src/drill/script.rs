//! A scenario being played: which injections are due at a drill time, in
//! order, each once.

use chrono::{DateTime, Utc};

use super::scenario::{Injection, Scenario};

#[derive(Debug, Clone)]
pub struct Script {
    pub scenario: Scenario,
    /// The drill time the scenario's `at`s count from.
    start: DateTime<Utc>,
    next: usize,
}

impl Script {
    pub fn new(scenario: Scenario, start: DateTime<Utc>) -> Self {
        Script {
            scenario,
            start,
            next: 0,
        }
    }

    /// The injections due by `now` not given yet, in order.
    pub fn due(&mut self, now: DateTime<Utc>) -> Vec<Injection> {
        let from = self.next;
        while let Some(injection) = self.scenario.injections.get(self.next)
            && self.start + injection.at.to_chrono() <= now
        {
            self.next += 1;
        }
        self.scenario.injections[from..self.next].to_vec()
    }
}
