//! `runbook audit verify|head|show`: judging and reading the journal.
//! A broken checklist never stops an audit: the chain and the signatures
//! are still checked, and the report says the rules were not judged.

use std::io::{self, Write};

use super::JournalSettings;
use crate::catalog::Catalog;
use crate::cli::{AuditCommand, ShowEntriesArgs, VerifyArgs};
use crate::journal::Entry;
use crate::journal::verify::{ExpectedHead, Report, Verifier, scan};
use crate::store::read;
use crate::text::{Words, inert};

use crate::exit::{DAMAGED, OK as INTACT, USAGE};

/// How many judges re-decide the runs, side by side: the chain is checked
/// on the caller's thread, so two keep two cores busy.
const JUDGES: usize = 2;

pub fn run(
    settings: &JournalSettings,
    rules: Option<&Catalog>,
    command: &AuditCommand,
    words: &'static Words,
    out: &mut dyn Write,
) -> io::Result<u8> {
    match command {
        AuditCommand::Verify(args) => verify_command(settings, rules, args, words, out),
        AuditCommand::Head => head(settings, words, out),
        AuditCommand::Show(args) => show(settings, args, words, out),
    }
}

/// Verifies the journal, and judges every entry by `rules` when given;
/// `Err` carries a message for a usage error.
pub fn check(
    settings: &JournalSettings,
    rules: Option<&Catalog>,
    expect: Option<&ExpectedHead>,
    words: &'static Words,
) -> Result<Report, String> {
    let w = words.commands;
    let journal = settings.journal();
    let shown = journal.shown();
    if journal.file().is_some_and(std::path::Path::is_dir) {
        return Err((w.a_folder)(&shown));
    }
    let registry = settings.signing.as_ref().map(|s| &s.registry);
    let mut verifier = Verifier::new(settings.key.as_deref(), expect, registry);
    if let Some(rules) = rules {
        verifier = verifier.judged_by(crate::run::judge::judges(rules, JUDGES, words));
    }
    // A database journal's rows carry the login the server recorded:
    // checked against the registry's `db_roles` as each line passes.
    if let crate::store::Journal::Postgres(db) = &journal {
        db.scan_logins(|line, login, stamped| verifier.push_row(line, login, stamped))
            .map_err(|e| (w.cannot_read)(&shown, &e.to_string()))?;
        return Ok(verifier.finish());
    }
    let lines = journal
        .lines()
        .map_err(|e| (w.cannot_open)(&shown, &e.to_string()))?;
    scan(verifier, lines).map_err(|e| (w.cannot_read)(&shown, &e.to_string()))
}

fn verify_command(
    settings: &JournalSettings,
    rules: Option<&Catalog>,
    args: &VerifyArgs,
    words: &'static Words,
    out: &mut dyn Write,
) -> io::Result<u8> {
    let w = words.commands;
    let expect = match args
        .expect_head
        .as_deref()
        .map(str::parse::<ExpectedHead>)
        .transpose()
    {
        Ok(expect) => expect,
        Err(e) => {
            crate::say!("runbook: --expect-head: {e}");
            return Ok(USAGE);
        }
    };
    if rules.is_none() {
        writeln!(out, "{}", w.rules_unjudged)?;
    }
    let report = match check(settings, rules, expect.as_ref(), words) {
        Ok(report) => report,
        Err(e) => {
            crate::say!("runbook: {e}");
            return Ok(USAGE);
        }
    };
    let path = settings.shown();
    for warning in &report.warnings {
        let place = format!("{path}:{}", warning.line);
        writeln!(out, "{}", (w.warning)(&place, &warning.what(words)))?;
    }
    if let Some(first) = report.errors.first() {
        writeln!(out, "{}: {path}", w.tampered)?;
        writeln!(out, "{}", (w.first_bad)(first.line, &first.what(words)))?;
        if report.errors.len() > 1 {
            writeln!(out, "{}", (w.more_problems)(report.errors.len() - 1))?;
        }
        return Ok(DAMAGED);
    }
    let outputs = match outputs(settings, words, out)? {
        Ok(checked) => checked,
        Err(code) => return Ok(code),
    };
    if let Some(file) = &args.anchors
        && let Some(code) = anchors(settings, file, words, out)?
    {
        return Ok(code);
    }
    // The index's checkpoint is a head recorded beside the journal: a
    // truncation or a rewrite before it shows here even without the key.
    let mut checkpoint = String::new();
    let index = if settings.database.is_some() {
        Ok(None)
    } else {
        crate::store::index::read(&settings.path, settings.key.as_deref(), false)
    };
    match index {
        Ok(Some(index)) => {
            if let Err(why) =
                crate::store::index::check_checkpoint(&settings.path, &index.checkpoint)
            {
                writeln!(out, "{}: {path}", w.tampered)?;
                writeln!(out, "{}", (w.index_checkpoint)(&why))?;
                return Ok(DAMAGED);
            }
            checkpoint = (w.index_matches)(index.checkpoint.seq);
        }
        Ok(None) => {}
        Err(why) => writeln!(out, "{}", (w.index_unused)(&why))?,
    }
    let head = report
        .head
        .as_ref()
        .map_or_else(|| "-".to_owned(), |(seq, hash)| format!("{seq}:{hash}"));
    let macs = if report.macs_checked {
        w.macs_checked
    } else {
        ""
    };
    let intact = (w.intact)(&path, report.lines, report.bytes, &head);
    writeln!(out, "{intact}{macs}{checkpoint}")?;
    if report.signed > 0 {
        writeln!(out, "{}", (w.signed_entries)(report.signed, report.lines))?;
    }
    if !report.logins.is_empty() {
        let list: Vec<String> = report
            .logins
            .iter()
            .map(|(login, rows)| format!("{login} ({rows})"))
            .collect();
        writeln!(out, "{}", (w.db_logins)(&list.join(", ")))?;
    }
    if outputs.matching > 0 {
        let said = if settings.database.is_some() {
            (w.outputs_checked)(outputs.matching, outputs.in_database)
        } else {
            (w.outputs_match)(outputs.matching)
        };
        writeln!(out, "{said}")?;
    }
    if outputs.elsewhere > 0 {
        writeln!(out, "{}", (w.outputs_elsewhere)(outputs.elsewhere))?;
    }
    Ok(INTACT)
}

/// The heads an anchor target kept, against the chain: a head that is no
/// longer there means the journal was truncated, or rewritten (even with
/// the key); `Some` status when one does not match.
fn anchors(
    settings: &JournalSettings,
    file: &std::path::Path,
    words: &'static Words,
    out: &mut dyn Write,
) -> io::Result<Option<u8>> {
    let w = words.notify;
    let shown = file.display().to_string();
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(e) => {
            crate::say!(
                "runbook: {}",
                (words.commands.cannot_read)(&shown, &e.to_string())
            );
            return Ok(Some(USAGE));
        }
    };
    let mut heads = Vec::new();
    for (number, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let Some(head) = crate::journal::verify::anchored_head(line) else {
            crate::say!("runbook: {}", (w.anchors_bad_line)(&shown, number + 1));
            return Ok(Some(USAGE));
        };
        heads.push(head);
    }
    let mut found = std::collections::HashMap::new();
    let mut last = 0;
    let wanted: std::collections::HashSet<u64> = heads.iter().map(|(seq, _)| *seq).collect();
    let read = crate::store::read::for_each(settings.journal(), |entry| {
        last = last.max(entry.seq);
        if wanted.contains(&entry.seq) {
            found.insert(entry.seq, entry.hash);
        }
    });
    if let Err(e) = read {
        crate::say!("runbook: {e}");
        return Ok(Some(USAGE));
    }
    let path = settings.shown();
    for (seq, hash) in &heads {
        let problem = match found.get(seq) {
            None => (w.anchor_missing)(*seq, hash, last),
            Some(now) if now != hash => (w.anchor_rewritten)(*seq, hash, now),
            Some(_) => continue,
        };
        writeln!(out, "{}: {path}", words.commands.tampered)?;
        writeln!(out, "{problem}")?;
        return Ok(Some(DAMAGED));
    }
    writeln!(out, "{}", (w.anchors_read)(heads.len(), &shown))?;
    writeln!(out, "{}", w.anchors_ok)?;
    Ok(None)
}

/// The commands' outputs against their entries; `Err` status when one
/// does not match.
fn outputs(
    settings: &JournalSettings,
    words: &'static Words,
    out: &mut dyn Write,
) -> io::Result<Result<crate::exec::verify::Checked, u8>> {
    use crate::exec::verify::Why;
    let w = words.commands;
    let path = settings.shown();
    let host = crate::store::whoami::detect(|n| std::env::var(n).ok()).host;
    let outputs = crate::exec::verify::Outputs {
        journal: &settings.path,
        database: settings.database.as_ref().map(|db| (db, host.as_str())),
    };
    let checked = match settings
        .journal()
        .lines()
        .and_then(|lines| crate::exec::verify::check(lines, outputs))
    {
        Ok(found) => found,
        Err(e) => {
            crate::say!("runbook: {}", (w.cannot_read)(&path, &e.to_string()));
            return Ok(Err(USAGE));
        }
    };
    if checked.mismatches.is_empty() {
        return Ok(Ok(checked));
    }
    writeln!(out, "{}: {path}", w.tampered)?;
    for m in &checked.mismatches {
        let file = crate::text::inert(&m.file);
        let line = match &m.why {
            Why::Unreadable(e) => (w.output_unreadable)(m.line, &file, e),
            Why::Changed {
                recorded_bytes,
                found_bytes,
            } => (w.output_changed)(m.line, &file, *recorded_bytes, *found_bytes),
        };
        writeln!(out, "{line}")?;
    }
    Ok(Err(DAMAGED))
}

fn head(settings: &JournalSettings, words: &'static Words, out: &mut dyn Write) -> io::Result<u8> {
    let w = words.commands;
    let report = match check(settings, None, None, words) {
        Ok(report) => report,
        Err(e) => {
            crate::say!("runbook: {e}");
            return Ok(USAGE);
        }
    };
    let Some((seq, hash)) = &report.head else {
        crate::say!("{}", (w.no_entries)(&settings.shown()));
        return Ok(DAMAGED);
    };
    writeln!(out, "{seq}:{hash}")?;
    if report.errors.is_empty() {
        Ok(INTACT)
    } else {
        crate::say!("{}", w.head_not_verified);
        Ok(DAMAGED)
    }
}

fn show(
    settings: &JournalSettings,
    args: &ShowEntriesArgs,
    words: &'static Words,
    out: &mut dyn Write,
) -> io::Result<u8> {
    let mut failure: Option<io::Error> = None;
    let wanted = |entry: &Entry| {
        args.run
            .as_deref()
            .is_none_or(|run| entry.run.as_deref() == Some(run))
            && args.since.is_none_or(|since| entry.ts >= since)
    };
    let journal = settings.journal();
    let database = match &journal {
        crate::store::Journal::Postgres(db) => Some(db.clone()),
        crate::store::Journal::File(_) => None,
    };
    // Entries are printed a batch at a time, so that a database journal's
    // logins are fetched for a batch, never held for the whole history.
    let mut batch: Vec<Entry> = Vec::new();
    let flush = |batch: &mut Vec<Entry>, out: &mut dyn Write| -> io::Result<()> {
        let mut logins: std::collections::HashMap<u64, String> = match &database {
            Some(db) => {
                let seqs: Vec<u64> = batch.iter().map(|e| e.seq).collect();
                db.logins(&seqs)
                    .map_err(|e| io::Error::other(e.to_string()))?
                    .into_iter()
                    .collect()
            }
            None => std::collections::HashMap::new(),
        };
        for entry in batch.drain(..) {
            let login = logins.remove(&entry.seq);
            show_entry(&entry, login.as_deref(), args.json, words, out)?;
        }
        Ok(())
    };
    let problems = read::for_each(journal, |entry| {
        if failure.is_some() || !wanted(&entry) {
            return;
        }
        batch.push(entry);
        if batch.len() >= 500
            && let Err(e) = flush(&mut batch, out)
        {
            failure = Some(e);
        }
    });
    if failure.is_none()
        && let Err(e) = flush(&mut batch, out)
    {
        failure = Some(e);
    }
    if let Some(e) = failure {
        return Err(e);
    }
    match problems {
        Ok(problems) => {
            for p in problems {
                crate::say!(
                    "runbook: {}:{}: {}",
                    settings.shown(),
                    p.line,
                    p.what(words)
                );
            }
            Ok(INTACT)
        }
        Err(e) => {
            crate::say!("runbook: {e}");
            Ok(USAGE)
        }
    }
}

/// One entry on one line (a note cannot fake an entry of its own), with
/// the login the database recorded for it.
fn show_entry(
    entry: &Entry,
    login: Option<&str>,
    json: bool,
    words: &'static Words,
    out: &mut dyn Write,
) -> io::Result<()> {
    if json {
        let mut value = serde_json::to_value(entry).map_err(io::Error::other)?;
        if let (Some(login), Some(object)) = (login, value.as_object_mut()) {
            object.insert("db_login".to_owned(), login.into());
        }
        crate::text::json::line(&mut *out, &value)?;
        return writeln!(out);
    }
    let step_text = |id: &str| format!("`{id}`");
    let mut who = entry.from.as_ref().map_or_else(
        || entry.operator.clone(),
        |f| format!("{}@{f}", entry.operator),
    );
    if entry.signer.is_some() {
        who.push_str(" ✓");
    }
    if let Some(login) = login {
        who.push_str(" db:");
        who.push_str(login);
    }
    let line = format!(
        "#{:<6} {}  {:<12} {:<28} {}",
        entry.seq,
        entry.ts.format("%Y-%m-%d %H:%M:%S%.3f"),
        who,
        entry.run.as_deref().unwrap_or("-"),
        crate::report::describe(&entry.event, &step_text, words)
    );
    writeln!(out, "{}", inert(&line))
}
