//! The status updates of a run, as its report and post-mortem list them:
//! what the people outside the terminal were told, when, by whom.

use std::fmt::Write as _;

use crate::status::Posted;
use crate::text::Words;
use crate::text::markdown as md;

pub fn markdown(out: &mut String, updates: &[Posted], words: &Words) {
    let w = words.status;
    let _ = writeln!(out, "\n## {}\n", w.updates);
    if updates.is_empty() {
        let _ = writeln!(out, "{}", w.no_update);
    }
    for posted in updates {
        let update = &posted.update;
        let components = if update.components.is_empty() {
            String::new()
        } else {
            format!(" [{}]", md(&update.components.join(", ")))
        };
        let _ = writeln!(
            out,
            "- {} — {}, {}, {}{components} — {} (#{}): {}",
            posted.at.format("%Y-%m-%d %H:%M:%S UTC"),
            w.status(update.status),
            w.impact(update.impact),
            w.audience(update.audience()),
            md(&posted.by),
            posted.seq,
            md(&update.text),
        );
    }
}
