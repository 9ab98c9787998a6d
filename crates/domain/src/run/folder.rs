//! Runs folded one entry at a time, in order of first appearance: the one
//! fold of entries into run states that `runbook runs`, the store's tail,
//! the overview and the notification ledger all go through.

use super::{Event, Meta, RunState};
use crate::journal::Entry;

#[derive(Debug, Default)]
pub struct Folder {
    order: Vec<String>,
    runs: crate::keyed::ByRun<RunState>,
    seeded: bool,
}

impl Folder {
    /// A folder that goes on from runs already folded (the open runs of a
    /// journal's history): it follows them, and runs that start later.
    pub fn seeded(runs: Vec<RunState>) -> Self {
        let order = runs.iter().map(|r| r.id.clone()).collect();
        let runs = runs.into_iter().map(|r| (r.id.clone(), r)).collect();
        Folder {
            order,
            runs,
            seeded: true,
        }
    }

    pub fn push(&mut self, entry: &Entry) -> Option<&RunState> {
        self.apply(entry.run.as_deref(), &entry.meta(), &entry.event)
    }

    /// Folds one event into its run; the run's state after it, when the
    /// folder follows that run.
    pub fn apply(&mut self, run: Option<&str>, meta: &Meta, event: &Event) -> Option<&RunState> {
        let id = run?;
        if !self.runs.contains_key(id) {
            // Seeded with the open runs only, a folder meets the late
            // entries of closed runs, which it does not follow.
            if !matches!(event, Event::RunStarted { .. }) && self.seeded {
                return None;
            }
            self.order.push(id.to_owned());
            self.runs.insert(id.to_owned(), RunState::new(id));
        }
        let state = self.runs.get_mut(id)?;
        state.apply(meta, event);
        Some(state)
    }

    /// The run `id`, if the folder follows it.
    pub fn get(&self, id: &str) -> Option<&RunState> {
        self.runs.get(id)
    }

    /// Stops following run `id` (it closed): its state.
    pub fn remove(&mut self, id: &str) -> Option<RunState> {
        let state = self.runs.remove(id)?;
        self.order.retain(|o| o != id);
        Some(state)
    }

    /// The runs so far, in order of first appearance.
    pub fn states(&self) -> impl Iterator<Item = &RunState> {
        self.order.iter().filter_map(|id| self.runs.get(id))
    }

    pub fn finish(mut self) -> Vec<RunState> {
        self.order
            .iter()
            .filter_map(|id| self.runs.remove(id.as_str()))
            .collect()
    }
}
