//! `runbook followup`: actions decided after a run, with an owner and a
//! due date, journaled from added to done or dropped, so none is lost.

use std::io::{self, Write};

use chrono::Utc;

use super::{Context, columns, exit, write_json};
use crate::cli::{FollowupCommand, FollowupListArgs};
use crate::journal::Record;
use crate::learn::{Followup, FollowupState, Standing};
use crate::run::Event;
use crate::text::inert;

pub fn run(context: &Context, command: &FollowupCommand, out: &mut dyn Write) -> io::Result<u8> {
    let w = context.words().learn;
    let Some(history) = super::history(context, true) else {
        return Ok(exit::JOURNAL_FAILED);
    };
    let ledger = &history.ledger;
    // The entry to append, and what to say once it is recorded.
    let (event, said): (Event, Box<dyn Fn(u64) -> String>) = match command {
        FollowupCommand::List(args) => return list(context, ledger, args, out),
        FollowupCommand::Add(args) => {
            let known = history.open.iter().any(|r| r.id == args.run)
                || history.closed.iter().any(|r| r.id == args.run);
            if !known {
                crate::say!("runbook: {}", (w.no_run)(&args.run));
                return Ok(exit::USAGE);
            }
            let due = args
                .due
                .as_deref()
                .map(|text| crate::learn::ledger::due_at(text, Utc::now()).ok_or(text));
            let due = match due.transpose() {
                Ok(due) => due,
                Err(text) => {
                    crate::say!("runbook: {}", (w.bad_due)(text));
                    return Ok(exit::USAGE);
                }
            };
            let run = inert(&args.run).into_owned();
            let event = Event::FollowupAdded {
                run: args.run.clone(),
                text: args.text.clone(),
                owner: args.owner.clone(),
                due,
            };
            (event, Box::new(move |seq| (w.added)(seq, &run)))
        }
        FollowupCommand::Done(args) => {
            if let Err(code) = still_open(context, ledger, args.id) {
                return Ok(code);
            }
            let event = Event::FollowupDone {
                followup: args.id,
                note: args.note.clone(),
            };
            let id = args.id;
            (event, Box::new(move |_| (w.closed_followup)(id, w.done)))
        }
        FollowupCommand::Drop(args) => {
            if let Err(code) = still_open(context, ledger, args.id) {
                return Ok(code);
            }
            let event = Event::FollowupDropped {
                followup: args.id,
                reason: args.reason.clone(),
            };
            let id = args.id;
            (event, Box::new(move |_| (w.closed_followup)(id, w.dropped)))
        }
    };
    match append(context, Record { run: None, event }) {
        Ok(seq) => writeln!(out, "{}", said(seq))?,
        Err(code) => return Ok(code),
    }
    Ok(exit::OK)
}

/// Whether follow-up `id` exists and is open; `Err` is the exit code,
/// what is wrong said.
fn still_open(context: &Context, ledger: &crate::learn::Ledger, id: u64) -> Result<(), u8> {
    let w = context.words().learn;
    match ledger.followup(id) {
        None => {
            crate::say!("runbook: {}", (w.no_followup)(id));
            Err(exit::USAGE)
        }
        Some(f) if !f.is_open() => {
            crate::say!(
                "runbook: {}",
                (w.followup_closed_already)(id, state_word(f, context))
            );
            Err(exit::USAGE)
        }
        Some(_) => Ok(()),
    }
}

fn state_word(f: &Followup, context: &Context) -> &'static str {
    let w = context.words().learn;
    match f.state {
        FollowupState::Open => w.open,
        FollowupState::Done { .. } => w.done,
        FollowupState::Dropped { .. } => w.dropped,
    }
}

/// Appends one record outside any run; its sequence number, or the exit
/// code once the failure is said.
pub(super) fn append(context: &Context, record: Record) -> Result<u64, u8> {
    let words = context.words();
    let mut writer = context.journal.open().map_err(|e| {
        crate::say!("runbook: {}", e.text(words));
        exit::JOURNAL_FAILED
    })?;
    let appended = writer.append(&[record], Utc::now()).map_err(|e| {
        crate::say!("runbook: {}", e.text(words));
        exit::JOURNAL_FAILED
    })?;
    appended.first().map(|a| a.seq).ok_or(exit::JOURNAL_FAILED)
}

fn list(
    context: &Context,
    ledger: &crate::learn::Ledger,
    args: &FollowupListArgs,
    out: &mut dyn Write,
) -> io::Result<u8> {
    let now = args.at.unwrap_or_else(Utc::now);
    let mut shown: Vec<(&Followup, Option<Standing>)> = ledger
        .followups
        .iter()
        .filter(|f| args.run.as_ref().is_none_or(|r| *r == f.run))
        .filter(|f| !args.open || f.is_open())
        .map(|f| (f, crate::learn::owed::followup(f, now).map(|o| o.standing)))
        .collect();
    // Overdue first, then due soonest, then open without a date, then
    // closed ones, last closed first.
    shown.sort_by_key(|(f, standing)| match standing {
        Some(Standing::Overdue { since }) => (0, since.timestamp(), f.id),
        Some(Standing::Due { by }) => (1, by.timestamp(), f.id),
        Some(Standing::Open) => (2, 0, f.id),
        None => (3, 0, u64::MAX - f.id),
    });
    if args.json {
        #[derive(serde::Serialize)]
        struct Listed<'a> {
            #[serde(flatten)]
            followup: &'a Followup,
            standing: Option<Standing>,
        }
        let listed: Vec<Listed<'_>> = shown
            .iter()
            .map(|(followup, standing)| Listed {
                followup,
                standing: *standing,
            })
            .collect();
        return write_json(out, &listed);
    }
    let words = context.words();
    let w = words.learn;
    if shown.is_empty() {
        writeln!(out, "{}", w.no_followups)?;
        return Ok(exit::OK);
    }
    let mut rows = vec![
        [w.h_id, w.h_what, w.h_owner, w.h_state, w.h_run]
            .map(str::to_owned)
            .to_vec(),
    ];
    for (f, standing) in &shown {
        let state = standing.map_or_else(
            || state_word(f, context).to_owned(),
            |s| crate::learn::said::standing(words, s, now),
        );
        rows.push(vec![
            format!("#{}", f.id),
            inert(&f.text).into_owned(),
            f.owner
                .as_deref()
                .map_or_else(|| w.no_owner.to_owned(), |o| inert(o).into_owned()),
            state,
            inert(&f.run).into_owned(),
        ]);
    }
    out.write_all(columns(&rows).as_bytes())?;
    Ok(exit::OK)
}
