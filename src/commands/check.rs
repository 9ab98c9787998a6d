//! `runbook check`: every error and warning, then a summary of what loaded.

use std::io::{self, Write};

use super::{Context, exit};

pub fn run(context: &Context, strict: bool, out: &mut dyn Write) -> io::Result<u8> {
    let loaded = &context.loaded;
    if !loaded.diagnostics.is_empty() {
        crate::say!(
            "{}",
            loaded.render_diagnostics_in(context.words()).trim_end()
        );
        crate::say!("");
    }
    let catalog = &loaded.catalog;
    let steps: usize = catalog
        .procedures
        .iter()
        .map(crate::catalog::Procedure::step_count)
        .sum();
    let errors = loaded.errors().count();
    let warnings = loaded.warnings().count();
    let words = context.words();
    let w = words.commands;
    let from = context.location.describe_in(words);
    writeln!(out, "{}", (w.checked)(loaded.sources.files.len(), &from))?;
    let counts = (w.counts)(
        catalog.procedures.len(),
        steps,
        catalog.severities.len(),
        catalog.metrics.len(),
        catalog.dashboards.len(),
        catalog.windows.len(),
        catalog.roles.len(),
        catalog.contacts.len(),
        catalog.backups.len(),
        catalog.components.len(),
        catalog.templates.len(),
    );
    writeln!(out, "{counts}")?;
    for layer in &loaded.layers {
        let (amended, added, disabled) = layer.counts();
        let line = (w.layer)(&layer.name, amended, added, disabled);
        writeln!(out, "{line}")?;
    }
    writeln!(out, "{}", (w.tally)(errors, warnings))?;
    if catalog.require == crate::catalog::identity::Require::None {
        writeln!(out, "{}", w.identity_unchecked)?;
    }
    to_fill_in(context, out)?;
    let failed = errors > 0 || (strict && warnings > 0);
    if strict && errors == 0 && warnings > 0 {
        writeln!(out, "{}", w.strict_note)?;
    }
    Ok(if failed { exit::USAGE } else { exit::OK })
}

/// The values a site still has to give, one line each: where, the key
/// that answers it, and what is missing.
fn to_fill_in(context: &Context, out: &mut dyn Write) -> io::Result<()> {
    let words = context.words();
    let missing: Vec<Vec<String>> = context
        .loaded
        .catalog
        .findings
        .iter()
        .filter_map(|f| {
            let answer = f.answer.as_ref()?;
            Some(vec![
                f.place.clone(),
                answer.clone(),
                crate::text::words::diagnostics::said(&f.message, words),
            ])
        })
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "{}", (words.commands.to_fill_in)(missing.len()))?;
    let text = super::columns(&missing);
    for line in text.lines() {
        writeln!(out, "  {line}")?;
    }
    Ok(())
}
