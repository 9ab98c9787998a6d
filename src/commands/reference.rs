//! `runbook contacts`, `access`, `backups`, `dashboards`: the runbook's
//! reference tables, for the question asked first during an incident:
//! whom to call, on what number, who may do what.

use std::io::{self, Write};

use serde::Serialize;

use super::{Context, columns, exit, write_json};
use crate::cli::ContactsArgs;
use crate::reference::{self, Row, Table};

/// The operators holding `role` (the config's `[roles]` are among them
/// since the catalog was loaded).
fn holders(context: &Context, role: &str) -> Vec<String> {
    context
        .loaded
        .catalog
        .role(role)
        .map(|r| r.holders.clone())
        .unwrap_or_default()
}

/// A table as text: its heading, then the rows `keep` keeps.
fn print(
    context: &Context,
    table: Table,
    keep: &dyn Fn(&Row) -> bool,
    out: &mut dyn Write,
) -> io::Result<u8> {
    let holders = |role: &str| holders(context, role);
    let (heading, rows) =
        reference::rows(table, &context.loaded.catalog, context.words(), &holders);
    let mut lines = vec![heading];
    lines.extend(rows.into_iter().filter(|r| keep(r)).map(|r| r.cells));
    out.write_all(columns(&lines).as_bytes())?;
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
    print(
        context,
        Table::Contacts,
        &|row| !args.emergency || row.urgent,
        out,
    )
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
    /// Each holder with what gave them the role, and where.
    holders_from: Vec<HolderFrom>,
}

#[derive(Serialize)]
struct HolderFrom {
    operator: String,
    /// `role`, `registry` or `config`.
    from: &'static str,
    at: String,
}

/// What gave each holder of `role` the role: the role's own `holders`,
/// an `[[operator]]`'s `roles`, an operator's own config.
fn holders_from(context: &Context, role: &crate::catalog::Role) -> Vec<HolderFrom> {
    let sources = &context.loaded.sources;
    let mut out: Vec<HolderFrom> = role
        .holders
        .iter()
        .filter(|h| role.lists(h))
        .map(|h| HolderFrom {
            operator: h.clone(),
            from: "role",
            at: sources.locate(&role.origin),
        })
        .collect();
    out.extend(role.granted.iter().map(|g| match &g.by {
        crate::catalog::Grant::Registry(at) => HolderFrom {
            operator: g.operator.clone(),
            from: "registry",
            at: sources.locate(at),
        },
        crate::catalog::Grant::Config(path) => HolderFrom {
            operator: g.operator.clone(),
            from: "config",
            at: path.clone(),
        },
    }));
    out
}

pub fn access(context: &Context, json: bool, out: &mut dyn Write) -> io::Result<u8> {
    let lang = context.lang();
    let catalog = &context.loaded.catalog;
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
                holders: holders(context, &r.id),
                holders_from: holders_from(context, r),
            })
            .collect();
        return write_json(out, &rows);
    }
    print(context, Table::Access, &|_| true, out)?;
    let w = context.words().reference;
    let mut lines = Vec::new();
    for role in &catalog.roles {
        for h in holders_from(context, role) {
            let from = match h.from {
                "registry" => w.from_registry,
                "config" => w.from_config,
                _ => w.from_role,
            };
            lines.push(vec![
                role.id.clone(),
                h.operator,
                format!("{from} {}", h.at),
            ]);
        }
    }
    if !lines.is_empty() {
        writeln!(out, "\n{}", w.holders_from)?;
        out.write_all(columns(&lines).as_bytes())?;
    }
    Ok(exit::OK)
}

pub fn backups(context: &Context, json: bool, out: &mut dyn Write) -> io::Result<u8> {
    let backups = &context.loaded.catalog.backups;
    if json {
        return write_json(out, backups);
    }
    print(context, Table::Backups, &|_| true, out)
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
    print(context, Table::Dashboards, &|_| true, out)
}
