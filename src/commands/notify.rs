//! `runbook watch`, `runbook notify test` and `runbook notify pending`:
//! the headless sender, a target tried by hand, and what is still owed.

use std::io::{self, Write};

use chrono::Utc;

use super::{Context, exit};
use crate::catalog::notify::Trigger;
use crate::cli::NotifyCommand;
use crate::notify::deliver::{Attempt, Tools, attempt};
use crate::notify::{Role, Setup, lock, service};
use crate::outbox::{Ledger, Notice, Subject};
use crate::store::read::Follower;

fn setup(context: &Context, role: Role) -> Setup {
    Setup {
        catalog: context.loaded.catalog.clone(),
        journal: context.journal.clone(),
        lang: context.lang().to_owned(),
        role,
    }
}

/// The sending service of a console or line mode, when there are targets.
pub fn front_service(context: &Context) -> Option<crate::notify::Handle> {
    service::spawn(setup(context, Role::Front))
}

/// How long a short-lived front end waits, when it ends, for the
/// notifications it owes.
const SETTLE_WITHIN: std::time::Duration = std::time::Duration::from_secs(3);

/// Before a short-lived front end (line mode, `runbook exec`) exits: what
/// it journaled up to entry `upto` goes out now, not when some later
/// runbook or a watch comes by; said when it takes long.
pub fn settle_front(context: &Context, notifier: Option<crate::notify::Handle>, upto: u64) {
    let Some(notifier) = notifier else {
        return;
    };
    let w = context.words().notify;
    notifier.settle(upto, SETTLE_WITHIN, |count| {
        crate::say!("runbook: {}", (w.settling)(count));
    });
}

pub fn run(context: &Context, command: &NotifyCommand, out: &mut dyn Write) -> io::Result<u8> {
    match command {
        NotifyCommand::Test(args) => test(context, &args.target, out),
        NotifyCommand::Pending(args) => pending(context, args.json, out),
    }
}

/// Follows the journal and the clock, and sends, until a signal stops it.
pub fn watch(context: &Context, out: &mut dyn Write) -> io::Result<u8> {
    let w = context.words().notify;
    if context.loaded.catalog.notify.is_empty() {
        crate::say!("runbook: {}", w.no_targets);
        return Ok(exit::USAGE);
    }
    let mut watch_lock = lock::watch(&context.journal);
    if !watch_lock.try_take() {
        crate::say!("runbook: {}", (w.watch_locked)(&watch_lock.shown()));
        return Ok(exit::JOURNAL_FAILED);
    }
    writeln!(out, "{}", w.watch_started)?;
    out.flush()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let handle = service::handle();
    let said = |line: String| crate::say!("runbook watch: {}", crate::text::inert(&line));
    runtime.block_on(async {
        use tokio::signal::unix::{SignalKind, signal};
        let (Ok(mut terminate), Ok(mut interrupt)) = (
            signal(SignalKind::terminate()),
            signal(SignalKind::interrupt()),
        ) else {
            return;
        };
        // A database's lock lives with its connection: after a lost one
        // the watch takes it again, so front ends go on yielding to it.
        let keep = async {
            let mut every = tokio::time::interval(std::time::Duration::from_secs(5));
            loop {
                every.tick().await;
                if !watch_lock.try_take() {
                    tracing::warn!(
                        "runbook watch: the lock {} is held elsewhere",
                        watch_lock.shown()
                    );
                }
            }
        };
        tokio::select! {
            () = service::serve(setup(context, Role::Watch), &handle, &said) => {}
            () = keep => {}
            _ = terminate.recv() => {}
            _ = interrupt.recv() => {}
        }
    });
    drop(watch_lock);
    Ok(exit::OK)
}

/// Sends one test event to `target`, once, and prints the answer.
fn test(context: &Context, target: &str, out: &mut dyn Write) -> io::Result<u8> {
    let w = context.words().notify;
    let catalog = &context.loaded.catalog;
    let Some(found) = catalog.notify.iter().find(|t| t.id == target) else {
        let known: Vec<&str> = catalog.notify.iter().map(|t| t.id.as_str()).collect();
        crate::say!("runbook: {}", (w.unknown_target)(target, &known.join(", ")));
        return Ok(exit::USAGE);
    };
    let now = Utc::now();
    let notice = Notice {
        key: format!("test:{target}:{}", now.timestamp_millis()),
        target: target.to_owned(),
        trigger: Trigger::Test,
        run: None,
        about: None,
        at: now,
        subject: Subject::Test,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let client = crate::notify::deliver::Http::default();
    let env = |name: &str| std::env::var(name).ok();
    let journal = context.journal.shown();
    let tools = Tools {
        client: &client,
        words: context.words(),
        env: &env,
        journal: &journal,
    };
    match runtime.block_on(attempt(found, &notice, &tools)) {
        Attempt::Sent { answer } => {
            writeln!(out, "{}", (w.answer)(target, &answer))?;
            Ok(exit::OK)
        }
        Attempt::Retry { error, .. } | Attempt::Refused { error } => {
            writeln!(out, "{}", (w.test_failed)(target, &error))?;
            Ok(exit::JOURNAL_FAILED)
        }
    }
}

#[derive(serde::Serialize)]
struct Pending<'a> {
    owed: Vec<Owed<'a>>,
    refused: Vec<Refused<'a>>,
}

#[derive(serde::Serialize)]
struct Owed<'a> {
    #[serde(flatten)]
    notice: &'a Notice,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_error: Option<&'a str>,
}

#[derive(serde::Serialize)]
struct Refused<'a> {
    key: &'a str,
    error: &'a str,
}

/// What the journal says is owed now, and what was refused for good.
fn pending(context: &Context, json: bool, out: &mut dyn Write) -> io::Result<u8> {
    let catalog = &context.loaded.catalog;
    let mut ledger = Ledger::new(catalog, context.lang());
    let mut follower = Follower::new(context.journal.journal());
    if let Err(e) = follower.poll_each(|entry| ledger.push(&entry, catalog)) {
        crate::say!("runbook: {e}");
        return Ok(exit::JOURNAL_FAILED);
    }
    let owed = ledger.owed(catalog, Utc::now());
    let mut refused: Vec<(&String, &String)> = ledger.refused().collect();
    refused.sort();
    if json {
        let document = Pending {
            owed: owed
                .iter()
                .map(|n| Owed {
                    notice: n,
                    last_error: ledger.failing(&n.key),
                })
                .collect(),
            refused: refused
                .iter()
                .map(|(key, error)| Refused { key, error })
                .collect(),
        };
        return super::write_json(out, &document);
    }
    let w = context.words().notify;
    if owed.is_empty() && refused.is_empty() {
        writeln!(out, "{}", w.nothing_pending)?;
        return Ok(exit::OK);
    }
    let mut rows = Vec::new();
    for notice in &owed {
        let about = notice.run.as_ref().map_or_else(
            || notice.about.map(|s| format!("#{s}")).unwrap_or_default(),
            |r| r.id.clone(),
        );
        let state = ledger.failing(&notice.key).unwrap_or("-").to_owned();
        rows.push(vec![
            notice.target.clone(),
            notice.trigger.word().to_owned(),
            about,
            state,
        ]);
    }
    for (key, error) in refused {
        let mut parts = key.splitn(3, ':');
        let target = parts.next().unwrap_or_default().to_owned();
        rows.push(vec![
            target,
            key.clone(),
            String::new(),
            format!("REFUSED {error}"),
        ]);
    }
    write!(out, "{}", super::columns(&rows))?;
    Ok(exit::OK)
}
