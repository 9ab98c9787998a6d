//! A breach notification in Markdown: for the authority, the fields of
//! the CNIL's form in order; for the people, the same facts in plain
//! words. Every text from the record is escaped.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};

use super::{Audience, Notice};
use crate::text::Words;
use crate::text::markdown as md;

fn when(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

fn or_to_write(text: Option<&String>, words: &Words) -> String {
    text.map_or_else(|| words.gdpr.to_write.to_owned(), |t| md(t))
}

pub fn markdown(n: &Notice, words: &Words) -> String {
    match n.audience {
        Audience::Authority => authority(n, words),
        Audience::People => people(n, words),
    }
}

fn timing(out: &mut String, n: &Notice, words: &Words) {
    let w = words.gdpr;
    let _ = writeln!(out, "\n## {}\n", w.h_timing);
    match n.became_known {
        Some(at) => {
            let _ = writeln!(out, "- {}", (w.known)(&when(at)));
        }
        None => {
            let _ = writeln!(out, "- {}", (w.known)(w.unknown));
        }
    }
    if let Some(deadline) = n.deadline {
        let _ = writeln!(out, "- {}", (w.deadline)(&when(deadline)));
        if n.late {
            let _ = writeln!(out, "- **{}**", (w.late)(&when(deadline)));
            let _ = writeln!(out, "- {} {}", w.late_reasons, w.to_write);
        }
    }
}

fn contact(out: &mut String, n: &Notice, words: &Words, heading: &str) {
    let _ = writeln!(out, "\n## {heading}\n");
    match &n.contact {
        Some((name, Some(reach))) => {
            let _ = writeln!(out, "{}: {}", md(name), md(reach));
        }
        Some((name, None)) => {
            let _ = writeln!(out, "{}: {}", md(name), words.gdpr.to_write);
        }
        None => {
            let _ = writeln!(out, "{}", words.gdpr.to_write);
        }
    }
}

fn measures(out: &mut String, n: &Notice, words: &Words, heading: &str) {
    let w = words.gdpr;
    let _ = writeln!(out, "\n## {heading}\n");
    let _ = writeln!(out, "- {}:", w.taken);
    if n.measures_taken.is_empty() {
        let _ = writeln!(out, "  - {}", w.to_write);
    }
    for taken in &n.measures_taken {
        let _ = writeln!(out, "  - {}", md(taken));
    }
    let _ = writeln!(
        out,
        "- {}: {}",
        w.proposed,
        or_to_write(n.measures_proposed.as_ref(), words)
    );
}

fn tail(out: &mut String, n: &Notice, words: &Words) {
    let w = words.gdpr;
    if !n.sent.is_empty() {
        let _ = writeln!(out, "\n## {}\n", w.h_sent);
        for sent in &n.sent {
            let _ = writeln!(
                out,
                "- {}",
                (w.sent)(&when(sent.at), &md(&sent.sent.reference), &md(&sent.by))
            );
        }
    }
    if !n.missing.is_empty() {
        let _ = writeln!(out, "\n## {}\n", w.h_missing);
        for step in &n.missing {
            let _ = writeln!(out, "- {}", (w.missing_step)(step));
        }
    }
    let _ = writeln!(out, "\n---\n{}", (w.run)(&md(&n.run)));
}

fn authority(n: &Notice, words: &Words) -> String {
    let w = words.gdpr;
    let mut out = String::new();
    let kind = if n.kind == "initial" {
        w.initial
    } else {
        w.complementary
    };
    let _ = writeln!(out, "# {}\n\n{kind}", w.title_authority);
    if n.personal_data == Some(false) {
        let _ = writeln!(out, "\n{}", w.no_personal_data);
    }
    timing(&mut out, n, words);
    let _ = writeln!(out, "\n## {}\n", w.h_nature);
    let _ = writeln!(out, "{}\n", or_to_write(n.nature.as_ref(), words));
    let _ = writeln!(
        out,
        "- {}: {}",
        w.categories,
        or_to_write(n.categories.as_ref(), words)
    );
    let _ = writeln!(
        out,
        "- {}: {}",
        w.people,
        or_to_write(n.people.as_ref(), words)
    );
    let _ = writeln!(
        out,
        "- {}: {}",
        w.records,
        or_to_write(n.records.as_ref(), words)
    );
    contact(&mut out, n, words, w.h_contact);
    let _ = writeln!(out, "\n## {}\n", w.h_consequences);
    let _ = writeln!(out, "{}", or_to_write(n.consequences.as_ref(), words));
    measures(&mut out, n, words, w.h_measures);
    tail(&mut out, n, words);
    out
}

fn people(n: &Notice, words: &Words) -> String {
    let w = words.gdpr;
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", w.title_people);
    let required = if n.high_risk == Some(true) {
        w.people_required
    } else {
        w.people_not_required
    };
    let _ = writeln!(out, "> {required}");
    let _ = writeln!(out, "\n## {}\n", w.plain_what);
    if let Some(at) = n.became_known {
        let _ = writeln!(out, "{}\n", (w.known)(&when(at)));
    }
    let _ = writeln!(out, "{}", or_to_write(n.nature.as_ref(), words));
    let _ = writeln!(out, "\n## {}\n", w.plain_data);
    let _ = writeln!(out, "{}", or_to_write(n.categories.as_ref(), words));
    let _ = writeln!(out, "\n## {}\n", w.plain_risk);
    let _ = writeln!(out, "{}", or_to_write(n.consequences.as_ref(), words));
    measures(&mut out, n, words, w.plain_done);
    contact(&mut out, n, words, w.plain_contact);
    let _ = writeln!(out, "\n## {}\n", w.h_exceptions);
    for exception in [w.exception_a, w.exception_b, w.exception_c] {
        let _ = writeln!(out, "- {exception}");
    }
    tail(&mut out, n, words);
    out
}
