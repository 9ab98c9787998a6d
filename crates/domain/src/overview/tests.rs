use chrono::{DateTime, TimeDelta, Utc};

use super::*;
use crate::catalog::{self, Sources};
use crate::due::State;
use crate::learn::What;
use crate::run::Event;

const CATALOG: &str = r#"
[[procedure]]
id = "monthly"
kind = "compliance"
title = "Monthly check"
recurrence = "monthly"
schedule = { day = 1, at = "09:00", zone = "UTC", grace = "5d" }
[[procedure.section]]
id = "s"
title = "S"
[[procedure.section.step]]
id = "check"
text = "Check"

[[procedure]]
id = "incident"
kind = "incident"
title = "Incident"
[[procedure.section]]
id = "s"
title = "S"
[[procedure.section.step]]
id = "fix"
text = "Fix"
[[procedure.section.step]]
id = "pm"
text = "Write the post-mortem"
marks = "post-mortem"
"#;

fn catalog() -> Catalog {
    let mut sources = Sources::default();
    sources.add("test.toml", CATALOG);
    let loaded = catalog::load(sources);
    assert!(!loaded.has_errors(), "{}", loaded.render_diagnostics());
    loaded.catalog
}

/// From the journal's first entry to the next month's first period.
const DAYS_30: i64 = 30 * 24 * 60;

fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-02T10:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

/// A journal written one entry at a time, kept as entries so that the
/// same history can be folded and seeded.
#[derive(Default)]
struct Journal {
    entries: Vec<Entry>,
}

impl Journal {
    fn push(&mut self, minutes: i64, run: Option<&str>, event: Event) {
        let seq = self.entries.len() as u64 + 1;
        let ts = t0() + TimeDelta::minutes(minutes);
        self.entries
            .push(crate::testing::entry(seq, ts, run, event));
    }

    fn start(&mut self, minutes: i64, run: &str, procedure: &str) {
        let event = Event::RunStarted {
            procedure: procedure.into(),
            procedure_hash: String::new(),
            severity: None,
            pinned: None,
        };
        self.push(minutes, Some(run), event);
    }

    fn folded(&self, catalog: &Catalog) -> Overview {
        let mut overview = Overview::default();
        for entry in &self.entries {
            overview.push(entry, catalog);
        }
        overview
    }
}

fn ids<'a>(runs: impl Iterator<Item = &'a RunState>) -> Vec<&'a str> {
    runs.map(|r| r.id.as_str()).collect()
}

#[test]
fn a_finished_run_leaves_the_open_runs_and_does_its_duty() {
    let catalog = catalog();
    let mut j = Journal::default();
    j.start(0, "i1", "incident");
    j.start(DAYS_30, "m1", "monthly");
    let before = j.folded(&catalog);
    assert_eq!(ids(before.open_runs()), ["i1", "m1"]);
    let now = t0() + TimeDelta::minutes(DAYS_30 + 60);
    let duty = &before.duties(&catalog, now, false)[0];
    assert!(matches!(duty.state, State::Due { .. }), "{duty:?}");

    j.push(DAYS_30 + 2, Some("m1"), Event::RunFinished);
    let after = j.folded(&catalog);
    assert_eq!(ids(after.open_runs()), ["i1"]);
    assert!(after.run("m1").is_none());
    assert_eq!(after.duties(&catalog, now, false)[0].state, State::Done);
    assert_eq!(after.began(), Some(t0()));
}

#[test]
fn a_closed_incident_owes_its_post_mortem_until_one_is_recorded() {
    let catalog = catalog();
    let mut j = Journal::default();
    j.start(0, "i1", "incident");
    j.push(5, Some("i1"), Event::RunFinished);
    let now = t0() + TimeDelta::hours(2);
    let owed = j.folded(&catalog).owed(&catalog, now);
    assert!(
        matches!(&owed[..], [Owed { what: What::PostMortem { run, .. }, .. }] if run == "i1"),
        "{owed:?}"
    );
    let recorded = Event::PostmortemDone {
        run: "i1".into(),
        link: Some("https://wiki/pm".into()),
        sha256: None,
    };
    j.push(60, None, recorded);
    assert_eq!(j.folded(&catalog).owed(&catalog, now), []);
}

#[test]
fn a_late_entry_of_a_closed_run_does_not_open_it_again() {
    let catalog = catalog();
    let mut j = Journal::default();
    j.start(0, "i1", "incident");
    j.push(5, Some("i1"), Event::RunFinished);
    let note = Event::NoteAdded {
        step: None,
        text: "late word".into(),
    };
    j.push(6, Some("i1"), note);
    assert_eq!(ids(j.folded(&catalog).open_runs()), Vec::<&str>::new());
}

#[test]
fn a_drill_does_a_duty_only_when_drills_count() {
    let catalog = catalog();
    let mut j = Journal::default();
    // The journal begins a month before the drill.
    j.push(0, None, Event::RunFinished);
    j.start(DAYS_30, "m1", "monthly");
    let drill = Event::DrillStarted {
        drill: "d1".into(),
        scenario: None,
        speed: 1,
    };
    j.push(DAYS_30, Some("m1"), drill);
    j.push(DAYS_30 + 2, Some("m1"), Event::RunFinished);
    let overview = j.folded(&catalog);
    let now = t0() + TimeDelta::minutes(DAYS_30 + 60);
    assert_ne!(overview.duties(&catalog, now, false)[0].state, State::Done);
    assert_eq!(overview.duties(&catalog, now, true)[0].state, State::Done);
    // A rehearsal owes no post-mortem.
    assert_eq!(overview.owed(&catalog, now), []);
}

/// The history read through the index and the entries folded one by one
/// give the same overview: the console, `due` and the ledger agree.
#[test]
fn seeded_from_a_history_it_says_what_the_fold_of_its_entries_says() {
    let catalog = catalog();
    let mut j = Journal::default();
    j.start(0, "i1", "incident");
    j.start(1, "i2", "incident");
    j.start(DAYS_30, "m1", "monthly");
    j.push(DAYS_30 + 3, Some("m1"), Event::RunFinished);
    j.push(DAYS_30 + 4, Some("i1"), Event::RunFinished);
    let folded = j.folded(&catalog);

    let all = crate::run::Folder::default();
    let states = j.entries.iter().fold(all, |mut f, e| {
        f.push(e);
        f
    });
    let (open, closed): (Vec<RunState>, Vec<RunState>) =
        states.finish().into_iter().partition(RunState::is_open);
    let closed: Vec<ClosedRun> = closed.iter().map(ClosedRun::of).collect();
    let seed = Seed {
        open,
        closed: &closed,
        learned: Ledger::default(),
        began: Some(t0()),
    };
    let seeded = Overview::seeded(seed, &catalog);

    let now = t0() + TimeDelta::minutes(DAYS_30 + 60);
    assert_eq!(seeded.duties(&catalog, now, false)[0].state, State::Done);
    assert_eq!(ids(seeded.open_runs()), ids(folded.open_runs()));
    assert_eq!(
        seeded.duties(&catalog, now, false),
        folded.duties(&catalog, now, false)
    );
    assert_eq!(seeded.owed(&catalog, now), folded.owed(&catalog, now));
    assert!(!seeded.owed(&catalog, now).is_empty());
}
