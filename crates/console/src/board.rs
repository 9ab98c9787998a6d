//! What the console shows of the journal as a whole: the overview every
//! front end shares, and the lists the home draws from it, worked out
//! when the journal or the clock moves rather than at every frame.

use chrono::{DateTime, Utc};

use crate::catalog::Catalog;
use crate::due::Duty;
use crate::journal::Entry;
use crate::learn::Owed;
use crate::overview::{Overview, Summary};

#[derive(Debug, Default)]
pub struct Board {
    overview: Overview,
    /// The open runs: drills in a drill's console, real runs in another.
    pub summaries: Vec<Summary>,
    /// The recurring duties (a drill does none).
    pub duties: Vec<Duty>,
    /// What closed runs left owed.
    pub owed: Vec<Owed>,
}

impl Board {
    pub fn new(overview: Overview) -> Self {
        Board {
            overview,
            ..Board::default()
        }
    }

    /// Folds what teammates appended.
    pub fn push(&mut self, entry: &Entry, catalog: &Catalog) {
        self.overview.push(entry, catalog);
    }

    /// The run list, after the journal moved.
    pub fn refresh_runs(
        &mut self,
        catalog: &Catalog,
        lang: &str,
        now: DateTime<Utc>,
        drilling: bool,
    ) {
        self.summaries = self.overview.summaries(catalog, lang, now, drilling);
        self.refresh_due(catalog, now);
    }

    /// The duties and what is owed, after the clock moved.
    pub fn refresh_due(&mut self, catalog: &Catalog, now: DateTime<Utc>) {
        self.duties = self.overview.duties(catalog, now, false);
        self.owed = self.overview.owed(catalog, now);
    }
}
