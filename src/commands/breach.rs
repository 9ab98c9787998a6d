//! `runbook breach-notice RUN --for authority|people`: a breach's GDPR
//! notification drafted from the record; with `--sent --reference ID`,
//! recorded as sent (initial, then complementary).

use std::io::{self, Write};

use chrono::Utc;

use super::{Context, exit};
use crate::cli::BreachNoticeArgs;
use crate::gdpr::{self, Audience, Sent, SentAt};
use crate::journal::Record;
use crate::run::Event;

pub fn run(context: &Context, args: &BreachNoticeArgs, out: &mut dyn Write) -> io::Result<u8> {
    let words = context.words();
    let Some(audience) = Audience::parse(&args.audience) else {
        crate::say!("runbook: {}", (words.gdpr.unknown_audience)(&args.audience));
        return Ok(exit::USAGE);
    };
    let entries = match super::runs::load(context) {
        Ok(entries) => entries,
        Err(code) => return Ok(code),
    };
    let runs = crate::run_list::fold_all(&entries);
    let Some(run) = runs.iter().find(|r| r.id == args.run) else {
        let path = context.journal.shown();
        crate::say!("{}", (words.commands.no_run)(&args.run, &path));
        return Ok(exit::USAGE);
    };
    let catalog = &context.loaded.catalog;
    let is_breach = catalog
        .procedure(&run.procedure)
        .is_some_and(|p| p.step(gdpr::steps::PERSONAL_DATA).is_some());
    if !is_breach {
        crate::say!("runbook: {}", (words.gdpr.not_a_breach)(&args.run));
        return Ok(exit::USAGE);
    }
    let sent: Vec<SentAt> = entries
        .iter()
        .filter_map(|e| match &e.event {
            Event::BreachNoticeSent(sent) => Some(SentAt {
                seq: e.seq,
                at: e.meta().at,
                by: e.operator.clone(),
                sent: sent.clone(),
            }),
            _ => None,
        })
        .collect();
    let now = args.at.unwrap_or_else(Utc::now);
    let notice = gdpr::notice(run, catalog, audience, &sent, context.lang(), now);
    drop(entries);
    if args.sent {
        return record(context, args, &notice, out);
    }
    super::write_document(
        out,
        args.out.as_deref(),
        &args.format,
        &notice,
        || gdpr::markdown::markdown(&notice, words),
        words,
    )
}

/// The notification recorded as sent; one to the authority past its
/// deadline says why it is late.
fn record(
    context: &Context,
    args: &BreachNoticeArgs,
    notice: &gdpr::Notice,
    out: &mut dyn Write,
) -> io::Result<u8> {
    let words = context.words();
    let reference = args.reference.clone().unwrap_or_default();
    let delay_reason = args
        .delay_reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_owned);
    if notice.audience == Audience::Authority
        && notice.late
        && delay_reason.is_none()
        && let Some(deadline) = notice.deadline
    {
        let at = deadline.format("%Y-%m-%d %H:%M UTC").to_string();
        crate::say!("runbook: {}", (words.gdpr.delay_reason_required)(&at));
        return Ok(exit::USAGE);
    }
    let mut writer = match context.journal.open() {
        Ok(writer) => writer,
        Err(e) => {
            crate::say!("runbook: {}", e.text(words));
            return Ok(exit::JOURNAL_FAILED);
        }
    };
    let event = Event::BreachNoticeSent(Sent {
        run: args.run.clone(),
        audience: notice.audience,
        reference: reference.trim().to_owned(),
        delay_reason,
    });
    match writer.append(&[Record { run: None, event }], Utc::now()) {
        Ok(appended) => {
            let seq = appended.first().map_or(0, |a| a.seq);
            let kind = if notice.kind == "initial" {
                words.gdpr.initial
            } else {
                words.gdpr.complementary
            };
            let said = (words.gdpr.recorded)(notice.audience.name(), &reference, seq, kind);
            writeln!(out, "{}", crate::text::inert(&said))?;
            Ok(exit::OK)
        }
        Err(e) => {
            crate::say!("runbook: {}", e.text(words));
            Ok(exit::JOURNAL_FAILED)
        }
    }
}
