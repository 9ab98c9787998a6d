//! The runbook's reference tables as rows of text, in the operator's
//! language: contacts, access, backups, dashboards, severities, windows.
//! The command line prints them; the console shows them in tabs. A value
//! the catalog lacks is said plainly, never left empty.

pub mod said;

use crate::catalog::{BackupFrequency, Catalog, Retention};
use crate::text::Words;
use said::{copyable, shown};

/// The tables, in the order the console's tabs show them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Contacts,
    Access,
    Backups,
    Dashboards,
    Severities,
    Windows,
    /// The catalog's warnings: what a site file should still give.
    Findings,
}

impl Table {
    pub const ALL: [Table; 7] = [
        Table::Contacts,
        Table::Access,
        Table::Backups,
        Table::Dashboards,
        Table::Severities,
        Table::Windows,
        Table::Findings,
    ];

    pub fn title(self, words: &Words) -> &'static str {
        let w = words.reference;
        match self {
            Table::Contacts => w.t_contacts,
            Table::Access => w.t_access,
            Table::Backups => w.t_backups,
            Table::Dashboards => w.t_dashboards,
            Table::Severities => w.t_severities,
            Table::Windows => w.t_windows,
            Table::Findings => w.t_findings,
        }
    }
}

/// One row: its cells, and what copying it puts on the clipboard (a
/// number, an address, a URL), if anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub cells: Vec<String>,
    pub copy: Option<String>,
    /// An emergency contact: shown first, and alone with `--emergency`.
    pub urgent: bool,
}

/// `table`'s heading and rows. `holders` adds the operators a config gives
/// a role to the catalog's own holders.
pub fn rows(
    table: Table,
    catalog: &Catalog,
    words: &Words,
    holders: &dyn Fn(&str) -> Vec<String>,
) -> (Vec<String>, Vec<Row>) {
    match table {
        Table::Contacts => contacts(catalog, words),
        Table::Access => access(catalog, words, holders),
        Table::Backups => backups(catalog, words),
        Table::Dashboards => dashboards(catalog, words),
        Table::Severities => severities(catalog, words),
        Table::Windows => windows(catalog, words),
        Table::Findings => findings(catalog, words),
    }
}

/// Each warning: where, the site key that answers it (copied by `y`),
/// and what it says.
fn findings(catalog: &Catalog, words: &Words) -> (Vec<String>, Vec<Row>) {
    let w = words.reference;
    let rows = catalog
        .findings
        .iter()
        .map(|f| Row {
            cells: vec![
                f.place.clone(),
                f.answer.clone().unwrap_or_else(|| "-".to_owned()),
                crate::text::words::diagnostics::said(&f.message, words),
            ],
            copy: f.answer.clone(),
            urgent: false,
        })
        .collect();
    (heading(&[w.h_where, w.h_site_key, w.h_what]), rows)
}

fn heading(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| (*c).to_owned()).collect()
}

fn text(t: Option<&crate::catalog::text::Text>, lang: &str) -> String {
    t.map_or("-", |t| t.get(lang)).to_owned()
}

fn contacts(catalog: &Catalog, words: &Words) -> (Vec<String>, Vec<Row>) {
    let lang = words.lang;
    let w = words.reference;
    let mut contacts: Vec<_> = catalog.contacts.iter().collect();
    // Emergency contacts first: they are the ones wanted at 3 a.m.
    contacts.sort_by_key(|c| !c.emergency);
    let rows = contacts
        .into_iter()
        .map(|c| {
            let name = if c.emergency {
                format!("{} ({})", c.name.get(lang), w.emergency)
            } else {
                c.name.get(lang).to_owned()
            };
            let role = c.role.as_deref().map_or_else(
                || "-".to_owned(),
                |r| {
                    catalog
                        .role(r)
                        .map_or(r, |role| role.title.get(lang))
                        .to_owned()
                },
            );
            Row {
                cells: vec![
                    name,
                    c.reach.as_deref().map_or_else(
                        || w.not_set.to_owned(),
                        |r| shown(words, catalog, r).into_owned(),
                    ),
                    text(c.availability.as_ref(), lang),
                    text(c.usage.as_ref(), lang),
                    role,
                ],
                copy: c.reach.as_deref().and_then(|t| copyable(catalog, t)),
                urgent: c.emergency,
            }
        })
        .collect();
    (
        heading(&[w.h_name, w.h_reach, w.h_available, w.h_for, w.h_role]),
        rows,
    )
}

fn access(
    catalog: &Catalog,
    words: &Words,
    holders: &dyn Fn(&str) -> Vec<String>,
) -> (Vec<String>, Vec<Row>) {
    let lang = words.lang;
    let w = words.reference;
    let rows = catalog
        .roles
        .iter()
        .map(|r| {
            let access = match (&r.access, &r.via) {
                (Some(access), _) => access.get(lang).to_owned(),
                (None, Some(via)) => (w.via)(via),
                (None, None) => "-".to_owned(),
            };
            let names = holders(&r.id);
            // Permission names are identifiers, shown as such.
            let may = if r.may.is_empty() {
                "-".to_owned()
            } else {
                r.may
                    .iter()
                    .map(|m| format!("`{m}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            Row {
                cells: vec![
                    r.title.get(lang).to_owned(),
                    access,
                    if r.mfa { w.mfa_required } else { w.mfa_no }.to_owned(),
                    may,
                    if names.is_empty() {
                        w.nobody.to_owned()
                    } else {
                        names.join(", ")
                    },
                ],
                copy: None,
                urgent: false,
            }
        })
        .collect();
    (
        heading(&[w.h_role, w.h_access, w.h_mfa, w.h_may, w.h_holders]),
        rows,
    )
}

fn backups(catalog: &Catalog, words: &Words) -> (Vec<String>, Vec<Row>) {
    let lang = words.lang;
    let w = words.reference;
    let rows = catalog
        .backups
        .iter()
        .map(|b| {
            let every = match &b.every {
                BackupFrequency::Interval(d) => (w.every)(&d.to_string()),
                BackupFrequency::EveryCommit => w.every_commit.to_owned(),
            };
            let kept = match &b.retention {
                Retention::For(d) => d.to_string(),
                Retention::Forever => w.forever.to_owned(),
            };
            Row {
                cells: vec![
                    b.data.get(lang).to_owned(),
                    every,
                    kept,
                    text(b.note.as_ref(), lang),
                ],
                copy: None,
                urgent: false,
            }
        })
        .collect();
    (heading(&[w.h_what, w.h_every, w.h_kept, w.h_note]), rows)
}

fn dashboards(catalog: &Catalog, words: &Words) -> (Vec<String>, Vec<Row>) {
    let lang = words.lang;
    let w = words.reference;
    let rows = catalog
        .dashboards
        .iter()
        .map(|d| Row {
            cells: vec![
                d.title.get(lang).to_owned(),
                d.purpose.get(lang).to_owned(),
                d.url.as_deref().map_or_else(
                    || w.not_set.to_owned(),
                    |u| shown(words, catalog, u).into_owned(),
                ),
            ],
            copy: d.url.as_deref().and_then(|t| copyable(catalog, t)),
            urgent: false,
        })
        .collect();
    (heading(&[w.h_dashboard, w.h_for, w.h_url]), rows)
}

fn severities(catalog: &Catalog, words: &Words) -> (Vec<String>, Vec<Row>) {
    let lang = words.lang;
    let w = words.reference;
    let c = words.commands;
    let rows = catalog
        .severities
        .iter()
        .map(|s| {
            let escalation = match s.escalation {
                None => c.not_applicable.to_owned(),
                Some(d) if d.as_secs() == 0 => c.immediate.to_owned(),
                Some(d) => d.to_string(),
            };
            let to = s.escalate_to.as_deref().and_then(|id| catalog.contact(id));
            Row {
                cells: vec![
                    s.id.clone(),
                    s.title.get(lang).to_owned(),
                    s.response.to_string(),
                    escalation,
                    to.map_or_else(|| "-".to_owned(), |k| k.name.get(lang).to_owned()),
                ],
                copy: to
                    .and_then(|k| k.reach.as_deref())
                    .and_then(|t| copyable(catalog, t)),
                urgent: false,
            }
        })
        .collect();
    (
        heading(&[
            c.h_level,
            c.h_meaning,
            c.h_response,
            c.h_escalation,
            w.h_escalate_to,
        ]),
        rows,
    )
}

fn windows(catalog: &Catalog, words: &Words) -> (Vec<String>, Vec<Row>) {
    let lang = words.lang;
    let w = words.reference;
    let rows = catalog
        .windows
        .iter()
        .map(|win| Row {
            cells: vec![
                win.title.get(lang).to_owned(),
                format!(
                    "{} {}–{} UTC",
                    crate::text::words::run::weekday(lang, win.weekday),
                    win.start.format("%H:%M"),
                    win.end.format("%H:%M")
                ),
                win.notice.to_string(),
            ],
            copy: None,
            urgent: false,
        })
        .collect();
    (heading(&[w.h_window, w.h_when, w.h_notice]), rows)
}
