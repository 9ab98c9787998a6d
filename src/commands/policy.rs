//! The journal's identity policy: which one is in force (so that every
//! command judges by it rather than by the site it was given), and
//! `runbook policy publish|show`.

use std::io::{self, Write};

use chrono::Utc;

use super::{Context, JournalSettings, exit};
use crate::cli::{PolicyCommand, PublishArgs};
use crate::journal::Record;
use crate::journal::policy::{Policy, Published};
use crate::learn::InForce;
use crate::run::Event;

/// The policy the journal published last, if it published one. A journal
/// that cannot be read is said by the command that reads it: here it
/// gives none.
pub fn in_force(journal: &JournalSettings) -> Option<InForce> {
    let history = crate::store::load(journal.journal(), journal.key.as_deref(), false);
    history.ok()?.ledger.policy
}

/// Judges by the journal's policy: its operators, keys and roles replace
/// the site's, and each way the site differs is said where warnings are
/// (`runbook config`, the console's Warnings).
pub fn apply(loaded: &mut crate::catalog::Loaded, in_force: &InForce) {
    let place = format!("journal policy, entry #{}", in_force.seq);
    for difference in in_force.policy.differences(&loaded.catalog) {
        loaded.catalog.findings.push(crate::catalog::Finding {
            place: place.clone(),
            code: "site-not-policy",
            message: format!("ignored: {difference}"),
            answer: None,
        });
    }
    in_force.policy.apply(&mut loaded.catalog);
}

pub fn run(context: &Context, command: &PolicyCommand, out: &mut dyn Write) -> io::Result<u8> {
    match command {
        PolicyCommand::Publish(args) => publish(context, args, out),
        PolicyCommand::Show => show(context, out),
    }
}

fn show(context: &Context, out: &mut dyn Write) -> io::Result<u8> {
    let w = context.words().commands;
    let Some(in_force) = &context.policy else {
        writeln!(out, "{}", w.policy_none)?;
        return Ok(exit::OK);
    };
    let at = crate::text::words::run::moment(in_force.at, context.lang());
    let first = if in_force.first_use {
        w.policy_first_use
    } else {
        ""
    };
    writeln!(
        out,
        "{}",
        (w.policy_in_force)(in_force.seq, &in_force.by, &at, first)
    )?;
    let mut bytes = Vec::new();
    crate::text::json::pretty(&mut bytes, &in_force.policy)?;
    out.write_all(&bytes)?;
    writeln!(out)?;
    Ok(exit::OK)
}

/// Publishes the site's registry as the journal's policy, signed by the
/// operator's own key: taken only if a publisher of the policy in force
/// signs it (the first one is trusted on first use, and said so).
fn publish(context: &Context, args: &PublishArgs, out: &mut dyn Write) -> io::Result<u8> {
    let words = context.words();
    let w = words.commands;
    let publishers = if args.publisher.is_empty() {
        context
            .policy
            .as_ref()
            .map(|p| p.policy.publishers.clone())
            .unwrap_or_default()
    } else {
        args.publisher.clone()
    };
    if publishers.is_empty() {
        crate::say!("runbook: {}", w.policy_no_publisher);
        return Ok(exit::USAGE);
    }
    let policy = Policy {
        publishers,
        ..context.site_policy.clone()
    };
    let mut writer = match context.journal.open() {
        Ok(writer) => writer,
        Err(e) => {
            crate::say!("runbook: {}", e.text(words));
            return Ok(exit::JOURNAL_FAILED);
        }
    };
    let identity = writer.identity().clone();
    let Some(signer) = identity.signer.as_ref() else {
        crate::say!("runbook: {}", w.policy_unsigned);
        return Ok(exit::USAGE);
    };
    let signature = match signer.0.sign(&policy.message()) {
        Ok(signature) => signature,
        Err(e) => {
            crate::say!("runbook: {e}");
            return Ok(exit::USAGE);
        }
    };
    let published = Published { policy, signature };
    let now = Utc::now();
    let current = context.policy.as_ref().map(|p| &p.policy);
    // Refused here as the ledger and `audit verify` would refuse it.
    let accepted = match published.accept(current, &identity.operator, now) {
        Ok(accepted) => accepted,
        Err(why) => {
            crate::say!("runbook: {}", (w.policy_refused)(&why));
            return Ok(exit::USAGE);
        }
    };
    let record = Record {
        run: None,
        event: Event::PolicyPublished(published),
    };
    match writer.append(&[record], now) {
        Ok(appended) => {
            let seq = appended.first().map_or(0, |a| a.seq);
            let first = accepted == crate::journal::policy::Accepted::OnFirstUse;
            let first = if first { w.policy_first_use } else { "" };
            writeln!(out, "{}", (w.policy_published)(seq, first))?;
            Ok(exit::OK)
        }
        Err(e) => {
            crate::say!("runbook: {}", e.text(words));
            Ok(exit::JOURNAL_FAILED)
        }
    }
}
