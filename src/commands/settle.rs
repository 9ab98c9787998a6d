//! `runbook settle RUN STEP --reason TEXT`: a closed run's owed step (a
//! post-mortem, a legal notification with a fixed deadline) settled
//! otherwise than by doing it, by a holder of its role, with why. The
//! rule is `run::settle`, which `audit verify` asks again.

use std::io::{self, Write};

use chrono::Utc;

use super::{Context, exit};
use crate::cli::SettleArgs;
use crate::journal::{Entry, Record};
use crate::run::Event;

pub fn run(context: &Context, args: &SettleArgs, out: &mut dyn Write) -> io::Result<u8> {
    let words = context.words();
    let entries = match super::runs::load(context) {
        Ok(entries) => entries,
        Err(code) => return Ok(code),
    };
    let runs = crate::run_list::fold_all(&entries);
    let Some(state) = runs.iter().find(|r| r.id == args.run) else {
        let path = context.journal.shown();
        crate::say!("{}", (words.commands.no_run)(&args.run, &path));
        return Ok(exit::USAGE);
    };
    let mut ledger = crate::learn::Ledger::default();
    for entry in entries.iter().filter(|e| e.run.is_none()) {
        ledger.apply(&entry.meta(), &entry.event);
    }
    // Judged by the procedure the run pinned, as verify judges it.
    let procedure = match started_with(&entries, &args.run) {
        Some(Ok(procedure)) => procedure,
        Some(Err(why)) => {
            crate::say!("runbook: {}: {why}", args.run);
            return Ok(exit::JOURNAL_FAILED);
        }
        None => {
            let Some(procedure) = context.loaded.catalog.procedure(&state.procedure) else {
                let gone = (words.run.procedure_gone)(&args.run, &state.procedure);
                crate::say!("runbook: {gone}");
                return Ok(exit::USAGE);
            };
            procedure.clone()
        }
    };
    drop(entries);
    let mut writer = match context.journal.open() {
        Ok(writer) => writer,
        Err(e) => {
            crate::say!("runbook: {}", e.text(words));
            return Ok(exit::JOURNAL_FAILED);
        }
    };
    let (operator, proof) = (
        writer.identity().operator.clone(),
        writer.identity().proof(),
    );
    let roles = context.configured_roles();
    let now = Utc::now();
    let ctx = crate::run::Context {
        catalog: &context.loaded.catalog,
        procedure: &procedure,
        operator: &operator,
        proof: &proof,
        extra_roles: &roles,
        now,
        readings: None,
    };
    let settled = procedure
        .step(&args.step)
        .is_some_and(|s| ledger.settles(&args.run, s));
    let event = match crate::run::settle::settle(state, &ctx, &args.step, &args.reason, settled) {
        Ok(event) => event,
        Err(rejection) => {
            crate::say!("runbook: {}: {}", words.run.refused, rejection.text(words));
            return Ok(exit::USAGE);
        }
    };
    match writer.append(&[Record { run: None, event }], now) {
        Ok(appended) => {
            let seq = appended.first().map_or(0, |a| a.seq);
            writeln!(
                out,
                "{}",
                (words.learn.step_settled)(&args.step, &args.run, seq)
            )?;
            Ok(exit::OK)
        }
        Err(e) => {
            crate::say!("runbook: {}", e.text(words));
            Ok(exit::JOURNAL_FAILED)
        }
    }
}

/// The procedure run `id` pinned at its start, if it pinned one.
fn started_with(entries: &[Entry], id: &str) -> Option<Result<crate::catalog::Procedure, String>> {
    entries.iter().find_map(|entry| match &entry.event {
        Event::RunStarted {
            pinned: Some(pin),
            procedure_hash,
            ..
        } if entry.run.as_deref() == Some(id) => Some(pin.procedure(procedure_hash)),
        _ => None,
    })
}
