//! The overview: what the journal says stands now (the open runs, the
//! recurring duties, what closed runs left owed, post-mortems and
//! follow-ups) as one value built by one fold. The console's home,
//! `runbook due`, the notification ledger and any later front end read it;
//! none assembles its own.
//!
//! It is seeded from a journal's history (its open runs, and the closed
//! runs' summary lines) or built from the first entry, then kept current
//! one entry at a time. What it holds grows with the open runs and with
//! what is owed, never with the history: a run that closes leaves only
//! what a duty or a post-mortem still needs of it.

mod summary;

use chrono::{DateTime, Utc};

pub use summary::{Summary, summarise, summarise_closed};

use crate::catalog::{Catalog, Procedure};
use crate::due::{Duty, Finished, Runs};
use crate::journal::Entry;
use crate::learn::{Ledger, Owed};
use crate::run::{ClosedRun, Folder, Phase, RunState};

#[derive(Debug)]
pub struct Overview {
    open: Folder,
    /// Finished runs of recurring procedures: real ones, then drills
    /// (which count for a duty only when asked).
    finished: Vec<Finished>,
    finished_drills: Vec<Finished>,
    /// Closed real runs of procedures that write a post-mortem, none
    /// recorded when they were met: they may owe one.
    owing: Vec<RunState>,
    /// When the journal's first entry was written: duties owe nothing from
    /// before it.
    began: Option<DateTime<Utc>>,
    /// Post-mortems and follow-ups recorded.
    learned: Ledger,
}

/// What a history read through the journal's index gives the overview.
#[derive(Debug, Default)]
pub struct Seed<'h> {
    /// Runs neither finished nor aborted, folded from all their entries.
    pub open: Vec<RunState>,
    /// The closed runs' summary lines.
    pub closed: &'h [ClosedRun],
    pub learned: Ledger,
    pub began: Option<DateTime<Utc>>,
}

impl Default for Overview {
    /// The overview of an empty journal: a run is followed from its start.
    fn default() -> Self {
        Overview {
            open: Folder::seeded(Vec::new()),
            finished: Vec::new(),
            finished_drills: Vec::new(),
            owing: Vec::new(),
            began: None,
            learned: Ledger::default(),
        }
    }
}

impl Overview {
    /// An overview that goes on from a history: later entries of the runs
    /// it closed are not followed again.
    pub fn seeded(seed: Seed<'_>, catalog: &Catalog) -> Self {
        let mut overview = Overview {
            open: Folder::seeded(seed.open),
            began: seed.began,
            learned: seed.learned,
            ..Overview::default()
        };
        for run in seed.closed {
            if let (Phase::Finished { by, at }, Some(started_at)) = (&run.phase, run.started_at)
                && recurring(catalog, &run.procedure)
            {
                overview.finished_in(run.drill).push(Finished {
                    run: run.id.clone(),
                    procedure: run.procedure.clone(),
                    started_at,
                    finished_at: *at,
                    by: by.clone(),
                });
            }
            if crate::learn::owed::may_owe(run, catalog, &overview.learned) {
                overview.owing.push(run.state());
            }
        }
        overview
    }

    /// Folds one entry. Returns the state of the run it closed, if it
    /// closed one: the run has left the open runs by then.
    pub fn push(&mut self, entry: &Entry, catalog: &Catalog) -> Option<RunState> {
        self.began.get_or_insert(entry.ts);
        let meta = entry.meta();
        let Some(run) = entry.run.as_deref() else {
            self.learned.apply(&meta, &entry.event);
            return None;
        };
        let closed = !self.open.apply(Some(run), &meta, &entry.event)?.is_open();
        if !closed {
            return None;
        }
        let state = self.open.remove(run)?;
        self.closed(&state, catalog);
        Some(state)
    }

    /// Keeps of a run that closed what is still owed by it or counts for
    /// a duty.
    fn closed(&mut self, state: &RunState, catalog: &Catalog) {
        if let (Phase::Finished { by, at }, Some(started_at)) = (&state.phase, state.started_at)
            && recurring(catalog, &state.procedure)
        {
            self.finished_in(state.drill.is_some()).push(Finished {
                run: state.id.clone(),
                procedure: state.procedure.clone(),
                started_at,
                finished_at: *at,
                by: by.clone(),
            });
        }
        let writes_postmortem = catalog
            .procedure(&state.procedure)
            .is_some_and(Procedure::writes_postmortem);
        if writes_postmortem && state.drill.is_none() {
            let mut kept = state.clone();
            kept.forget_lengthy();
            self.owing.push(kept);
        }
    }

    fn finished_in(&mut self, drill: bool) -> &mut Vec<Finished> {
        if drill {
            &mut self.finished_drills
        } else {
            &mut self.finished
        }
    }

    /// The open runs, in order of first appearance.
    pub fn open_runs(&self) -> impl Iterator<Item = &RunState> {
        self.open.states()
    }

    /// The open run `id`.
    pub fn run(&self, id: &str) -> Option<&RunState> {
        self.open.get(id)
    }

    /// The open runs in a line each: drills only, or real runs only.
    pub fn summaries(
        &self,
        catalog: &Catalog,
        lang: &str,
        now: DateTime<Utc>,
        drills: bool,
    ) -> Vec<Summary> {
        self.open_runs()
            .filter(|state| state.drill.is_some() == drills)
            .map(|state| summarise(state, catalog, lang, now))
            .collect()
    }

    /// The recurring duties at `now`, overdue first. A drill does a duty
    /// only when `drills` says it counts.
    pub fn duties(&self, catalog: &Catalog, now: DateTime<Utc>, drills: bool) -> Vec<Duty> {
        let (_, open) = crate::due::from_states(self.open_runs(), drills);
        let mut finished = self.finished.clone();
        if drills {
            finished.extend(self.finished_drills.iter().cloned());
        }
        let runs = Runs {
            finished: &finished,
            open: &open,
            began: self.began,
        };
        crate::due::duties(catalog, runs, now)
    }

    /// What closed runs left owed at `now`: post-mortems and follow-ups,
    /// overdue first.
    pub fn owed(&self, catalog: &Catalog, now: DateTime<Utc>) -> Vec<Owed> {
        crate::learn::owed::owed(self.owing.iter(), catalog, &self.learned, now)
    }

    /// The closed run `id`, if it may still owe a post-mortem.
    pub fn owing(&self, id: &str) -> Option<&RunState> {
        self.owing.iter().find(|s| s.id == id)
    }

    /// The post-mortems and follow-ups recorded.
    pub fn learned(&self) -> &Ledger {
        &self.learned
    }

    /// When the journal's first entry was written.
    pub fn began(&self) -> Option<DateTime<Utc>> {
        self.began
    }
}

fn recurring(catalog: &Catalog, procedure: &str) -> bool {
    catalog
        .procedure(procedure)
        .is_some_and(|p| p.schedule.is_some())
}

#[cfg(test)]
mod tests;
