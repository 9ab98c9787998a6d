//! Posting a status update in a run, the same way from the command line,
//! line mode and the console: the operator's words (or the catalog's
//! template for the run), checked against the catalog's components, then
//! decided and journaled like any command; the step it does is said, or
//! why it stays open.

use chrono::{DateTime, Utc};

use crate::catalog::Catalog;
use crate::live_run::{LiveRun, LiveRunError};
use crate::run::{self, Command, Context, RunState};
use crate::status::template::{self, Facts};
use crate::status::{Impact, Status, Update};
use crate::text::Words;

/// What the operator asked to tell, as typed.
#[derive(Debug, Clone, Default)]
pub struct Asked {
    pub status: String,
    pub impact: String,
    pub components: Vec<String>,
    pub public: bool,
    pub message: Option<String>,
}

impl Asked {
    /// The line-mode and console form: `STATUS [public] [IMPACT]
    /// [+COMPONENT]... [WORDS]`, e.g. `identified public major +payments
    /// The cause is found`.
    pub fn from_line(line: &str) -> Asked {
        let mut asked = Asked::default();
        let mut rest = line.trim();
        let mut first = true;
        while let Some(word) = rest.split_whitespace().next() {
            let after = rest[word.len()..].trim_start();
            if first {
                word.clone_into(&mut asked.status);
                first = false;
            } else if word == "public" {
                asked.public = true;
            } else if Impact::parse(word).is_some() {
                word.clone_into(&mut asked.impact);
            } else if let Some(component) = word.strip_prefix('+') {
                asked.components.push(component.to_owned());
            } else {
                break;
            }
            rest = after;
        }
        asked.message = (!rest.is_empty()).then(|| rest.to_owned());
        asked
    }

    /// The asking with `draft` as its words: what the console offers to
    /// edit when none were typed.
    pub fn line_with(&self, draft: &str) -> String {
        let mut line = self.status.clone();
        if self.public {
            line.push_str(" public");
        }
        if !self.impact.is_empty() {
            line.push(' ');
            line.push_str(&self.impact);
        }
        for component in &self.components {
            line.push_str(" +");
            line.push_str(component);
        }
        format!("{line} {draft}")
    }
}

/// What posting did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posted {
    pub seq: u64,
    /// The step the update did.
    pub completed: Option<String>,
    /// The step it would have done, left open, and why.
    pub left_open: Option<(String, String)>,
}

/// The update the operator asked for, or what is wrong with the asking,
/// in the operator's words.
pub fn compose(
    catalog: &Catalog,
    state: &RunState,
    asked: &Asked,
    lang: &str,
) -> Result<Update, String> {
    let words = crate::text::words(lang);
    let w = words.status;
    let status =
        Status::parse(asked.status.trim()).ok_or_else(|| (w.unknown_status)(&asked.status))?;
    let impact = match asked.impact.trim() {
        "" => Impact::None,
        given => Impact::parse(given).ok_or_else(|| (w.unknown_impact)(given))?,
    };
    for id in &asked.components {
        if catalog.component(id).is_none() {
            let known: Vec<&str> = catalog.components.iter().map(|c| c.id.as_str()).collect();
            return Err((w.unknown_component)(id, &known.join(", ")));
        }
    }
    let text = match asked.message.as_deref().map(str::trim) {
        Some(text) if !text.is_empty() => text.to_owned(),
        _ => draft(catalog, state, status, impact, &asked.components, lang)
            .ok_or_else(|| words.run.note_required.to_owned())?,
    };
    Ok(Update {
        status,
        impact,
        components: asked.components.clone(),
        public: asked.public,
        text,
    })
}

/// The catalog's words for this run, status and impact, its facts in place.
pub fn draft(
    catalog: &Catalog,
    state: &RunState,
    status: Status,
    impact: Impact,
    components: &[String],
    lang: &str,
) -> Option<String> {
    let facts = Facts {
        procedure: &state.procedure,
        severity: state.severity.as_deref(),
        started: state.started_at,
        status,
        impact,
        components,
        now: Utc::now(),
    };
    template::draft(catalog, &facts, lang)
}

/// Records `update` in the session's run.
pub fn post(
    session: &mut LiveRun<'_>,
    update: Update,
    now: DateTime<Utc>,
    words: &Words,
) -> Result<Posted, LiveRunError> {
    let would = run::update::completes(&session.state, session.procedure, &update).cloned();
    let appended = session.execute(&Command::Update(update), now)?;
    let seq = appended.first().map_or(0, |a| a.seq);
    let completed = would
        .as_ref()
        .filter(|s| !session.state.status(&s.id).is_open())
        .map(|s| s.id.clone());
    let left_open = match (&would, &completed) {
        (Some(step), None) if session.state.is_open() => {
            Some((step.id.clone(), why_open(session, step, now, words)))
        }
        _ => None,
    };
    Ok(Posted {
        seq,
        completed,
        left_open,
    })
}

/// Why the step an update would have done was not: the rules' answer.
fn why_open(
    session: &LiveRun<'_>,
    step: &crate::catalog::Step,
    now: DateTime<Utc>,
    words: &Words,
) -> String {
    let (operator, proof) = (session.operator().to_owned(), session.proof());
    let ctx = Context {
        catalog: session.catalog,
        procedure: session.procedure,
        operator: &operator,
        proof: &proof,
        extra_roles: &session.extra_roles,
        now,
        readings: None,
    };
    match run::decide(&session.state, &ctx, &Command::tick(step.id.clone(), None)) {
        Err(rejection) => rejection.text(words),
        Ok(_) => String::new(),
    }
}

/// What posting did, in lines for the operator.
pub fn said(posted: &Posted, run: &str, words: &Words) -> Vec<String> {
    let w = words.status;
    let mut lines = vec![(w.posted)(posted.seq, run)];
    if let Some(step) = &posted.completed {
        lines.push((w.completes)(step));
    }
    if let Some((step, why)) = &posted.left_open {
        lines.push((w.still_open)(step, why));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_reads_status_audience_impact_components_then_words() {
        let asked = Asked::from_line("identified public major +payments +login The cause is found");
        assert_eq!(asked.status, "identified");
        assert!(asked.public);
        assert_eq!(asked.impact, "major");
        assert_eq!(asked.components, ["payments", "login"]);
        assert_eq!(asked.message.as_deref(), Some("The cause is found"));
        let words_first = Asked::from_line("monitoring public a fix is in place");
        assert_eq!(words_first.message.as_deref(), Some("a fix is in place"));
        assert_eq!(words_first.impact, "");
        let bare = Asked::from_line("resolved");
        assert_eq!((bare.status.as_str(), bare.message), ("resolved", None));
    }
}
