//! The starter site file `runbook init` writes: every value the catalog
//! cannot know and no layer gives yet, left blank (`""`, `[]`) where it
//! goes, each commented with what it is and where the runbook uses it. A
//! blank value is one still to give: `runbook check --strict` lists each at
//! its line.

use std::fmt::Write;

use super::model::{Catalog, MetricSource, Procedure, Step};
use crate::text::Words;

/// The file's text, and how many values it leaves to give.
pub fn starter(catalog: &Catalog, words: &Words, date: &str) -> (String, usize) {
    let w = words.init;
    let mut out = String::new();
    let mut blanks = 0;
    let _ = writeln!(
        out,
        "{}\n#\n{}\n#\n{}\n",
        (w.head)(date),
        w.head_keep,
        w.head_blank
    );

    blanks += vars(catalog, words, &mut out);
    blanks += contacts(catalog, words, &mut out);
    blanks += roles(catalog, words, &mut out);
    blanks += dashboards(catalog, words, &mut out);
    if let Some((id, query)) = prometheus_metric(catalog) {
        let _ = writeln!(
            out,
            "{}\n# [[metric]]\n# id = \"{id}\"\n# source = {{ kind = \"prometheus\", url = \"${{RUNBOOK_PROMETHEUS_URL}}\", query = {} }}\n",
            w.metrics,
            toml_string(&query)
        );
    }
    let _ = writeln!(out, "{}\n{NOTIFY}\n\n{}", w.notify, w.since);
    if blanks == 0 {
        let _ = writeln!(out, "\n{}", w.nothing);
    }
    (out, blanks)
}

/// `[vars]`: each variable the steps use that no file gives.
fn vars(catalog: &Catalog, words: &Words, out: &mut String) -> usize {
    let w = words.init;
    let mut blanks = 0;
    let vars = unset_vars(catalog);
    if !vars.is_empty() {
        let _ = writeln!(out, "{}\n[vars]", w.vars);
        for (name, steps) in &vars {
            let _ = writeln!(out, "{}\n{name} = \"\"", (w.used_by)(&steps.join(", ")));
            blanks += 1;
        }
        out.push('\n');
    }
    blanks
}

/// Each contact without a way to reach it, emergency ones first.
fn contacts(catalog: &Catalog, words: &Words, out: &mut String) -> usize {
    let (w, lang) = (words.init, words.lang);
    let mut blanks = 0;
    let mut contacts: Vec<_> = catalog
        .contacts
        .iter()
        .filter(|c| c.reach.is_none())
        .collect();
    contacts.sort_by_key(|c| !c.emergency);
    if !contacts.is_empty() {
        let _ = writeln!(out, "{}", w.contacts);
        for c in contacts {
            let about = [c.availability.as_ref(), c.usage.as_ref()]
                .into_iter()
                .flatten()
                .map(|t| t.get(lang))
                .collect::<Vec<_>>();
            let title = line(
                &[c.name.get(lang)]
                    .into_iter()
                    .chain(about)
                    .collect::<Vec<_>>(),
            );
            let _ = writeln!(
                out,
                "[[contact]]\nid = \"{}\"\n# {title}\nreach = \"\"\n",
                c.id
            );
            blanks += 1;
        }
    }
    blanks
}

/// The roles steps need and nobody holds; the others, commented.
fn roles(catalog: &Catalog, words: &Words, out: &mut String) -> usize {
    let (w, lang) = (words.init, words.lang);
    let mut blanks = 0;
    let unheld: Vec<_> = catalog
        .roles
        .iter()
        .filter(|r| r.holders.is_empty())
        .collect();
    let (required, others): (Vec<_>, Vec<_>) = unheld
        .into_iter()
        .partition(|r| !signed_off_by(catalog, &r.id).is_empty());
    if !required.is_empty() {
        let _ = writeln!(out, "{}", w.roles);
        for role in required {
            let steps = signed_off_by(catalog, &role.id).join(", ");
            let _ = writeln!(
                out,
                "[[role]]\nid = \"{}\"\n# {}\n{}\nholders = []\n",
                role.id,
                line(&[role.title.get(lang)]),
                (w.signs_off)(&steps)
            );
            blanks += 1;
        }
    }
    if !others.is_empty() {
        let _ = writeln!(out, "{}", w.other_roles);
        for role in others {
            let title = line(&[role.title.get(lang)]);
            let _ = writeln!(
                out,
                "# [[role]]\n# id = \"{}\"   # {title}\n# holders = []",
                role.id
            );
        }
        out.push('\n');
    }
    blanks
}

/// Each dashboard without its address.
fn dashboards(catalog: &Catalog, words: &Words, out: &mut String) -> usize {
    let (w, lang) = (words.init, words.lang);
    let mut blanks = 0;
    let dashboards: Vec<_> = catalog
        .dashboards
        .iter()
        .filter(|d| d.url.is_none())
        .collect();
    if !dashboards.is_empty() {
        let _ = writeln!(out, "{}", w.dashboards);
        for d in dashboards {
            let title = line(&[d.title.get(lang), d.purpose.get(lang)]);
            let _ = writeln!(
                out,
                "[[dashboard]]\nid = \"{}\"\n# {title}\nurl = \"\"\n",
                d.id
            );
            blanks += 1;
        }
    }
    blanks
}

/// Commented targets: a pager for P1 and P2, and a chat.
const NOTIFY: &str = "# [[notify]]
# id = \"oncall\"
# kind = \"pagerduty\"                     # Events API v2
# routing_key = \"${PAGERDUTY_ROUTING_KEY}\"
# severities = [\"P1\", \"P2\"]
#
# [[notify]]
# id = \"team-chat\"
# kind = \"slack\"                         # an incoming webhook: its URL is the secret
# url = \"${SLACK_WEBHOOK_URL}\"
# on = [\"run_started\", \"severity_changed\", \"deadline_missed\", \"step_failed\", \"approval_needed\", \"duty_overdue\", \"run_finished\"]";

/// The variables steps use that no file gives, each with the steps
/// (`procedure/step`) that use it.
fn unset_vars(catalog: &Catalog) -> Vec<(String, Vec<String>)> {
    let mut vars: Vec<(String, Vec<String>)> = Vec::new();
    let given = |name: &str| {
        catalog.vars.contains_key(name)
            || catalog.env_vars.contains_key(name)
            || catalog.run_vars.contains(name)
    };
    for procedure in &catalog.procedures {
        for step in procedure.steps() {
            for text in step_texts(step) {
                for (_, name) in super::vars::uses(text).filter(|(_, n)| !given(n)) {
                    let at = format!("{}/{}", procedure.id, step.id);
                    match vars.iter_mut().find(|(n, _)| n == name) {
                        Some((_, steps)) if !steps.contains(&at) => steps.push(at),
                        Some(_) => {}
                        None => vars.push((name.to_owned(), vec![at])),
                    }
                }
            }
        }
    }
    vars
}

fn step_texts(step: &Step) -> impl Iterator<Item = &str> {
    let texts = [
        Some(&step.text),
        step.detail.as_ref(),
        step.evidence.as_ref(),
    ];
    step.commands
        .iter()
        .map(String::as_str)
        .chain(
            step.run
                .iter()
                .flat_map(|r| r.program.texts().map(String::as_str)),
        )
        .chain(
            texts
                .into_iter()
                .flatten()
                .flat_map(|t| t.variants().map(|(_, v)| v)),
        )
}

/// The steps (`procedure/step`) a role signs off.
fn signed_off_by(catalog: &Catalog, role: &str) -> Vec<String> {
    catalog
        .procedures
        .iter()
        .flat_map(|p: &Procedure| p.steps().map(move |s| (p, s)))
        .filter(|(_, s)| s.role.as_deref() == Some(role))
        .map(|(p, s)| format!("{}/{}", p.id, s.id))
        .collect()
}

/// A metric read from Prometheus, to show how a site reads it elsewhere.
fn prometheus_metric(catalog: &Catalog) -> Option<(String, String)> {
    catalog.metrics.iter().find_map(|m| match &m.source {
        Some(MetricSource::Prometheus { query, .. }) => Some((m.id.clone(), query.clone())),
        _ => None,
    })
}

/// Texts joined on one comment line: a title never breaks the comment.
fn line(parts: &[&str]) -> String {
    parts
        .iter()
        .map(|p| p.replace(['\n', '\r'], " "))
        .collect::<Vec<_>>()
        .join(" · ")
}

fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}
