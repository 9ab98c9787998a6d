//! `runbook contacts`, `access`, `backups`, `dashboards`: the runbook's
//! reference tables, for the question asked first during an incident:
//! whom to call, on what number, who may do what.

use std::io::{self, Write};

use serde::Serialize;

use super::{Context, columns, exit, write_json};
use crate::catalog::{BackupFrequency, Retention};
use crate::cli::ContactsArgs;

/// A missing value, said plainly: never an empty cell.
fn or_not_set(value: Option<&str>, context: &Context) -> String {
    value.map_or_else(
        || context.words().reference.not_set.to_owned(),
        str::to_owned,
    )
}

fn table(rows: &[Vec<String>], out: &mut dyn Write) -> io::Result<u8> {
    out.write_all(columns(rows).as_bytes())?;
    Ok(exit::OK)
}

#[derive(Serialize)]
struct ContactRow<'a> {
    id: &'a str,
    name: &'a str,
    reach: Option<&'a str>,
    availability: Option<&'a str>,
    usage: Option<&'a str>,
    emergency: bool,
    role: Option<&'a str>,
}

pub fn contacts(context: &Context, args: &ContactsArgs, out: &mut dyn Write) -> io::Result<u8> {
    let lang = context.lang();
    let mut contacts: Vec<_> = context
        .loaded
        .catalog
        .contacts
        .iter()
        .filter(|c| !args.emergency || c.emergency)
        .collect();
    // Emergency contacts first: they are the ones wanted at 3 a.m.
    contacts.sort_by_key(|c| !c.emergency);
    if args.json {
        let rows: Vec<ContactRow<'_>> = contacts
            .iter()
            .map(|c| ContactRow {
                id: &c.id,
                name: c.name.get(lang),
                reach: c.reach.as_deref(),
                availability: c.availability.as_ref().map(|t| t.get(lang)),
                usage: c.usage.as_ref().map(|t| t.get(lang)),
                emergency: c.emergency,
                role: c.role.as_deref(),
            })
            .collect();
        return write_json(out, &rows);
    }
    let w = context.words().reference;
    let mut rows = vec![
        [w.h_name, w.h_reach, w.h_available, w.h_for, w.h_role]
            .map(str::to_owned)
            .to_vec(),
    ];
    for c in contacts {
        let role = c.role.as_deref().map(|r| {
            context
                .loaded
                .catalog
                .role(r)
                .map_or_else(|| r.to_owned(), |role| role.title.get(lang).to_owned())
        });
        let name = if c.emergency {
            format!("{} ({})", c.name.get(lang), w.emergency)
        } else {
            c.name.get(lang).to_owned()
        };
        rows.push(vec![
            name,
            or_not_set(c.reach.as_deref(), context),
            c.availability
                .as_ref()
                .map_or("-", |t| t.get(lang))
                .to_owned(),
            c.usage.as_ref().map_or("-", |t| t.get(lang)).to_owned(),
            role.unwrap_or_else(|| "-".to_owned()),
        ]);
    }
    table(&rows, out)
}

#[derive(Serialize)]
struct AccessRow<'a> {
    role: &'a str,
    title: &'a str,
    access: Option<&'a str>,
    mfa: bool,
    via: Option<&'a str>,
    may: &'a [String],
    holders: Vec<String>,
}

pub fn access(context: &Context, json: bool, out: &mut dyn Write) -> io::Result<u8> {
    let lang = context.lang();
    let catalog = &context.loaded.catalog;
    // Holders: the catalog's, and the operators the config gives the role.
    let holders = |role: &str| -> Vec<String> {
        let mut all: Vec<String> = catalog
            .role(role)
            .map(|r| r.holders.clone())
            .unwrap_or_default();
        for (operator, roles) in &context.config.roles {
            if roles.iter().any(|r| r == role) && !all.contains(operator) {
                all.push(operator.clone());
            }
        }
        all
    };
    if json {
        let rows: Vec<AccessRow<'_>> = catalog
            .roles
            .iter()
            .map(|r| AccessRow {
                role: &r.id,
                title: r.title.get(lang),
                access: r.access.as_ref().map(|t| t.get(lang)),
                mfa: r.mfa,
                via: r.via.as_deref(),
                may: &r.may,
                holders: holders(&r.id),
            })
            .collect();
        return write_json(out, &rows);
    }
    let w = context.words().reference;
    let mut rows = vec![
        [w.h_role, w.h_access, w.h_mfa, w.h_may, w.h_holders]
            .map(str::to_owned)
            .to_vec(),
    ];
    for r in &catalog.roles {
        let access = match (&r.access, &r.via) {
            (Some(access), _) => access.get(lang).to_owned(),
            (None, Some(via)) => (w.via)(via),
            (None, None) => "-".to_owned(),
        };
        let names = holders(&r.id);
        rows.push(vec![
            r.title.get(lang).to_owned(),
            access,
            if r.mfa { w.mfa_required } else { w.mfa_no }.to_owned(),
            // Permission names are identifiers, shown as such.
            if r.may.is_empty() {
                "-".to_owned()
            } else {
                r.may
                    .iter()
                    .map(|m| format!("`{m}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            if names.is_empty() {
                w.nobody.to_owned()
            } else {
                names.join(", ")
            },
        ]);
    }
    table(&rows, out)
}

pub fn backups(context: &Context, json: bool, out: &mut dyn Write) -> io::Result<u8> {
    let lang = context.lang();
    let backups = &context.loaded.catalog.backups;
    if json {
        return write_json(out, backups);
    }
    let w = context.words().reference;
    let mut rows = vec![
        [w.h_what, w.h_every, w.h_kept, w.h_note]
            .map(str::to_owned)
            .to_vec(),
    ];
    for b in backups {
        let every = match &b.every {
            BackupFrequency::Interval(d) => (w.every)(&d.to_string()),
            BackupFrequency::EveryCommit => w.every_commit.to_owned(),
        };
        let kept = match &b.retention {
            Retention::For(d) => d.to_string(),
            Retention::Forever => w.forever.to_owned(),
        };
        rows.push(vec![
            b.data.get(lang).to_owned(),
            every,
            kept,
            b.note.as_ref().map_or("-", |t| t.get(lang)).to_owned(),
        ]);
    }
    table(&rows, out)
}

#[derive(Serialize)]
struct DashboardRow<'a> {
    id: &'a str,
    title: &'a str,
    purpose: &'a str,
    url: Option<&'a str>,
}

pub fn dashboards(context: &Context, json: bool, out: &mut dyn Write) -> io::Result<u8> {
    let lang = context.lang();
    let dashboards = &context.loaded.catalog.dashboards;
    if json {
        let rows: Vec<DashboardRow<'_>> = dashboards
            .iter()
            .map(|d| DashboardRow {
                id: &d.id,
                title: d.title.get(lang),
                purpose: d.purpose.get(lang),
                url: d.url.as_deref(),
            })
            .collect();
        return write_json(out, &rows);
    }
    let w = context.words().reference;
    let mut rows = vec![
        [w.h_dashboard, w.h_for, w.h_url]
            .map(str::to_owned)
            .to_vec(),
    ];
    for d in dashboards {
        rows.push(vec![
            d.title.get(lang).to_owned(),
            d.purpose.get(lang).to_owned(),
            or_not_set(d.url.as_deref(), context),
        ]);
    }
    table(&rows, out)
}
