//! The journal followed and the pages rendered from it: a `Snapshot` per
//! change, handed to every reader through a watch channel.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::catalog::Catalog;
use crate::html::{self, Internal, Rendered, RunFacts};
use crate::journal::Entry;
use crate::learn::Ledger;
use crate::run::Folder;
use crate::status::page::{self, Page, Source};
use crate::status::{Audience, summary};
use crate::store::Journal;
use crate::store::read::{Follower, Position};
use crate::{Identity, LANGS, Setup};

/// Everything served, as of journal entry `seq`.
#[derive(Debug)]
pub struct Snapshot {
    pub seq: u64,
    /// By language (`LANGS`).
    pub public: Vec<Rendered>,
    pub internal: Vec<Rendered>,
    /// `/api/v2/summary.json`.
    pub summary: Arc<str>,
}

impl Snapshot {
    fn same_as(&self, other: &Snapshot) -> bool {
        let pages = |a: &[Rendered], b: &[Rendered]| a.iter().zip(b).all(|(a, b)| a.live == b.live);
        pages(&self.public, &other.public)
            && pages(&self.internal, &other.internal)
            && self.summary == other.summary
    }
}

/// The runs and what was learned from them, as the journal says so far.
struct Live {
    catalog: Catalog,
    identity: Identity,
    folder: Folder,
    ledger: Ledger,
    seq: u64,
}

impl Live {
    fn push(&mut self, entry: &Entry) {
        self.seq = self.seq.max(entry.seq);
        if entry.run.is_some() {
            self.folder.push(entry);
        } else if Ledger::keeps(&entry.event) {
            self.ledger.apply(&entry.meta(), &entry.event);
        }
    }

    fn page(&self, now: DateTime<Utc>, lang: &str, audience: Audience) -> Page {
        let source = Source {
            catalog: &self.catalog,
            now,
            seq: self.seq,
            lang,
            audience,
        };
        page::build(&source, self.folder.states())
    }

    fn render(&self, now: DateTime<Utc>) -> Snapshot {
        let mut public = Vec::new();
        let mut internal = Vec::new();
        let mut summary = String::new();
        let numbers = crate::learn::stats::stats(
            self.folder.states(),
            &self.catalog,
            &self.ledger,
            now - TimeDelta::days(30),
            now,
        );
        for lang in LANGS {
            let words = crate::text::words(lang);
            let shown = self.page(now, lang, Audience::Public);
            if lang == LANGS[0] {
                summary = summary::summary(&shown, &self.identity, words).to_string();
            }
            public.push(html::public(&shown, &self.identity, words));
            let all = self.page(now, lang, Audience::Internal);
            let facts = all
                .incidents
                .iter()
                .filter_map(|i| Some((i.id.clone(), self.facts(&i.id, lang, now)?)))
                .collect();
            let company = Internal {
                page: &all,
                runs: facts,
                numbers: &numbers,
            };
            internal.push(html::internal(&company, &self.identity, words));
        }
        Snapshot {
            seq: self.seq,
            public,
            internal,
            summary: summary.into(),
        }
    }

    /// A run's deadlines in words, for the company's page.
    fn facts(&self, id: &str, lang: &str, now: DateTime<Utc>) -> Option<RunFacts> {
        let run = self.folder.get(id)?;
        let procedure = self.catalog.procedure(&run.procedure)?;
        let words = crate::text::words(lang);
        let deadlines = crate::run::deadline::deadlines(run, &self.catalog, procedure, lang, now)
            .into_iter()
            .map(|d| (d.label, crate::report::deadline_words(&d.state, words)))
            .collect();
        Some(RunFacts {
            procedure: procedure.title.get(lang).to_owned(),
            deadlines,
        })
    }
}

/// Reads the journal once, renders it, and follows it from there.
pub async fn start(
    setup: &Setup,
) -> std::io::Result<(watch::Receiver<Arc<Snapshot>>, JoinHandle<()>)> {
    let journal = setup.journal.clone();
    let mut live = Live {
        catalog: setup.catalog.clone(),
        identity: setup.identity.clone(),
        folder: Folder::default(),
        ledger: Ledger::default(),
        seq: 0,
    };
    let read = tokio::task::spawn_blocking(move || {
        let scanned = crate::store::read::scan(&journal, Position::default(), |entry: Entry| {
            live.push(&entry);
        });
        scanned.map(|(at, problems)| (live, at, problems))
    })
    .await
    .map_err(std::io::Error::other)?;
    let (live, at, problems) = read.map_err(|e| std::io::Error::other(e.to_string()))?;
    for problem in problems {
        tracing::warn!("{}: {problem:?}", setup.journal.shown());
    }
    let (tx, rx) = watch::channel(Arc::new(live.render(Utc::now())));
    let follow = tokio::spawn(follow(live, setup.journal.clone(), at, tx));
    Ok((rx, follow))
}

async fn changed(announced: &mut Option<watch::Receiver<u64>>) -> bool {
    match announced {
        Some(rx) => rx.changed().await.is_ok(),
        None => std::future::pending().await,
    }
}

async fn follow(mut live: Live, journal: Journal, at: Position, tx: watch::Sender<Arc<Snapshot>>) {
    // A watched file wakes on each write, a database announces its heads;
    // the poll is what is left where no watch can be set.
    let mut announced = journal.changes();
    let poll_too = journal.polled_even_when_woken();
    let mut poll = tokio::time::interval(Duration::from_millis(500));
    // Time alone changes a page: a maintenance opens, a resolved incident
    // ages out.
    let mut clock = tokio::time::interval(Duration::from_secs(30));
    let mut follower = Some(Follower::from(journal.clone(), at));
    loop {
        tokio::select! {
            woken = changed(&mut announced) => if !woken { announced = None },
            _ = poll.tick(), if poll_too || announced.is_none() => {}
            _ = clock.tick() => {}
        }
        let Some(mut reading) = follower.take() else {
            return;
        };
        let read = tokio::task::spawn_blocking(move || {
            let mut entries = Vec::new();
            let read = reading.poll_each(|entry| entries.push(entry));
            (reading, read.map(|problems| (entries, problems)))
        })
        .await;
        let Ok((reading, read)) = read else {
            return;
        };
        follower = Some(reading);
        match read {
            Ok((entries, problems)) => {
                for entry in &entries {
                    live.push(entry);
                }
                for problem in problems {
                    tracing::warn!("{}: {problem:?}", journal.shown());
                }
            }
            Err(e) => tracing::warn!("{}: {e}", journal.shown()),
        }
        let next = live.render(Utc::now());
        if !tx.borrow().same_as(&next) {
            tx.send_replace(Arc::new(next));
        }
        if tx.is_closed() {
            return;
        }
    }
}
