//! The drill clock: another source of `now`. It runs at `speed` times real
//! time from where it was set, and moves forward by hand to the next thing
//! that will happen (a gate opening, a deadline falling due).

use chrono::{DateTime, TimeDelta, Utc};

use crate::catalog::{Catalog, Procedure};
use crate::journal::Stamp;
use crate::run::RunState;
use crate::run::deadline::{DeadlineState, deadlines};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DrillClock {
    /// A real instant and the drill time it stood for.
    real: DateTime<Utc>,
    drill: DateTime<Utc>,
    speed: u32,
}

impl DrillClock {
    /// A clock that reads `drill` at the real instant `real`.
    pub fn new(real: DateTime<Utc>, drill: DateTime<Utc>, speed: u32) -> Self {
        DrillClock {
            real,
            drill,
            speed: speed.max(1),
        }
    }

    pub fn speed(&self) -> u32 {
        self.speed
    }

    /// The drill time at the real instant `real`.
    pub fn at(&self, real: DateTime<Utc>) -> DateTime<Utc> {
        // Microseconds: at any speed a drill instant is never before the
        // real one it was stamped at.
        let elapsed = (real - self.real)
            .num_microseconds()
            .unwrap_or(i64::MAX)
            .max(0);
        let drill = elapsed.saturating_mul(i64::from(self.speed));
        self.drill + TimeDelta::microseconds(drill)
    }

    /// What an entry recorded at `real` carries.
    pub fn stamp(&self, real: DateTime<Utc>) -> Stamp {
        Stamp {
            real,
            drill: Some(self.at(real)),
            clock: None,
        }
    }

    /// The real instant at which the clock will read `drill`.
    pub fn real_at(&self, drill: DateTime<Utc>) -> DateTime<Utc> {
        let ahead = (drill - self.drill).num_milliseconds().max(0);
        self.real + TimeDelta::milliseconds(ahead / i64::from(self.speed))
    }

    /// Sets the clock forward to `to` at the real instant `real`; never
    /// back (a drill's journal must not go back in time).
    pub fn jump(&mut self, real: DateTime<Utc>, to: DateTime<Utc>) -> bool {
        if to <= self.at(real) {
            return false;
        }
        self.real = real;
        self.drill = to;
        true
    }
}

/// The next instant after `now` at which something changes in the run: a
/// deadline falls due (or its grace runs out), a gate opens. One second
/// past it, so that what it changes has happened when the clock lands.
pub fn next_instant(
    state: &RunState,
    catalog: &Catalog,
    procedure: &Procedure,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let due = deadlines(state, catalog, procedure, "en", now)
        .into_iter()
        .filter_map(|d| match d.state {
            DeadlineState::Pending { due, .. } => Some(due),
            DeadlineState::Now { until, .. } => Some(until),
            _ => None,
        });
    let gates = procedure.steps().filter_map(|step| {
        let gate = step.gate.as_ref()?;
        if !state.status(&step.id).is_open() {
            return None;
        }
        state
            .status(&gate.after)
            .done_at()
            .map(|done| done + gate.wait.to_chrono())
    });
    due.chain(gates)
        .filter(|at| *at > now)
        .min()
        .map(|at| at + TimeDelta::seconds(1))
}

/// Drill time since the start, as `T+` shows it: `00:12:30`, `3d 04:00:00`.
pub fn elapsed(delta: TimeDelta) -> String {
    let secs = delta.num_seconds().max(0);
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let clock = format!(
        "{:02}:{:02}:{:02}",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    );
    if days > 0 {
        format!("{days}d {clock}")
    } else {
        clock
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn the_clock_runs_at_its_speed_from_where_it_was_set() {
        let clock = DrillClock::new(t("2026-11-25T10:00:00Z"), t("2026-01-01T00:00:00Z"), 60);
        assert_eq!(
            clock.at(t("2026-11-25T10:00:10Z")),
            t("2026-01-01T00:10:00Z")
        );
        assert_eq!(
            clock.real_at(t("2026-01-01T01:00:00Z")),
            t("2026-11-25T10:01:00Z")
        );
        // Before it was set, it reads where it was set.
        assert_eq!(
            clock.at(t("2026-11-25T09:00:00Z")),
            t("2026-01-01T00:00:00Z")
        );
        let stamp = clock.stamp(t("2026-11-25T10:00:01Z"));
        assert_eq!(stamp.real, t("2026-11-25T10:00:01Z"));
        assert_eq!(stamp.drill, Some(t("2026-01-01T00:01:00Z")));
    }

    #[test]
    fn a_jump_goes_forward_only_and_the_clock_runs_on_from_it() {
        let mut clock = DrillClock::new(t("2026-11-25T10:00:00Z"), t("2026-01-01T00:00:00Z"), 10);
        let real = t("2026-11-25T10:00:06Z");
        assert!(!clock.jump(real, t("2026-01-01T00:00:30Z")), "backwards");
        assert_eq!(clock.at(real), t("2026-01-01T00:01:00Z"));
        assert!(clock.jump(real, t("2026-01-03T00:00:00Z")));
        assert_eq!(
            clock.at(t("2026-11-25T10:00:07Z")),
            t("2026-01-03T00:00:10Z")
        );
    }
}
