//! `runbook config`: the effective settings and where each came from.

use std::io::{self, Write};

use super::{Context, columns, exit};
use crate::store::wake::How;

pub fn print(context: &Context, out: &mut dyn Write) -> io::Result<u8> {
    let words = context.words();
    let w = words.commands;
    let origin = |o: &crate::config::Origin| o.text(words);
    let config_file = context.config_path.as_ref().map_or_else(
        || w.no_home.to_owned(),
        |p| {
            let state = if p.exists() { "" } else { w.absent };
            format!("{}{state}", p.display())
        },
    );
    let display = &context.display;
    let key = if context.journal.key.is_some() {
        w.key_set
    } else {
        w.key_unset
    };
    let mut rows = vec![
        vec![
            w.h_setting.to_owned(),
            w.h_value.to_owned(),
            w.h_from.to_owned(),
        ],
        vec![w.s_config_file.into(), config_file, "-".into()],
        vec![
            w.s_catalog.into(),
            context.location.describe_in(words),
            "-".into(),
        ],
        vec![
            w.s_journal.into(),
            context.journal.shown(),
            origin(&context.journal.origin),
        ],
        vec![w.s_journal_key.into(), key.into(), "-".into()],
        vec![
            w.s_woken.into(),
            match context.journal.journal().woken() {
                How::Watched => w.woken_watched.to_owned(),
                How::Announced => w.woken_announced.to_owned(),
                How::Polled(why) => (w.woken_polled)(&crate::text::inert(&why)),
            },
            "-".into(),
        ],
        vec![
            w.s_language.into(),
            context.lang.value.clone(),
            origin(&context.lang.origin),
        ],
        vec![
            w.s_theme.into(),
            display.theme.value.clone(),
            origin(&display.theme.origin),
        ],
        vec![
            w.s_ascii.into(),
            display.ascii.value.to_string(),
            origin(&display.ascii.origin),
        ],
        vec![
            w.s_links.into(),
            display.links.value.to_string(),
            origin(&display.links.origin),
        ],
        vec![
            w.s_colour.into(),
            if display.no_color {
                w.colour_off.into()
            } else {
                w.colour_on.into()
            },
            "-".into(),
        ],
    ];
    rows.extend(from_the_file(context));
    out.write_all(columns(&rows).as_bytes())?;
    Ok(exit::OK)
}

/// The settings only the config file gives, and the site layers.
fn from_the_file(context: &Context) -> Vec<Vec<String>> {
    let words = context.words();
    let w = words.commands;
    let origin = |o: &crate::config::Origin| o.text(words);
    let mut rows = Vec::new();
    let exec_from = if context.config.exec.is_some() {
        w.o_file
    } else {
        w.o_default
    };
    rows.push(vec![
        w.s_exec.into(),
        context.config.exec.unwrap_or(false).to_string(),
        exec_from.into(),
    ]);
    let require = context.loaded.catalog.require;
    let identity = match require {
        crate::catalog::identity::Require::Signature => w.identity_signature,
        crate::catalog::identity::Require::Account => w.identity_account,
        crate::catalog::identity::Require::None => w.identity_none,
    };
    rows.push(vec![
        w.s_identity.into(),
        format!("{}: {identity}", require.name()),
        "[identity]".into(),
    ]);
    let policy = context.policy.as_ref().map_or_else(
        || w.policy_from_site.to_owned(),
        |p| (w.policy_entry)(p.seq, &crate::text::inert(&p.by)),
    );
    rows.push(vec![w.s_policy.into(), policy, "-".into()]);
    for finding in context
        .loaded
        .catalog
        .findings
        .iter()
        .filter(|f| f.code == "site-not-policy")
    {
        rows.push(vec![
            String::new(),
            crate::text::inert(&finding.message).into_owned(),
            finding.place.clone(),
        ]);
    }
    if let Some(since) = context.config.duties_since {
        rows.push(vec![
            w.s_duties_since.into(),
            since.to_string(),
            w.o_file.into(),
        ]);
    }
    if !context.config.redact.is_empty() {
        rows.push(vec![
            w.s_redact.into(),
            context.config.redact.join(", "),
            w.o_file.into(),
        ]);
    }
    for (site, from) in &context.sites {
        rows.push(vec![w.s_site.into(), site.name.clone(), origin(from)]);
    }
    let signature = context.loaded.catalog.require == crate::catalog::identity::Require::Signature;
    for (operator, roles) in &context.config.roles {
        let from = if signature { w.roles_ignored } else { w.o_file };
        rows.push(vec![(w.roles_of)(operator), roles.join(", "), from.into()]);
    }
    for (action, key) in &context.config.keys {
        rows.push(vec![(w.key_of)(action), key.clone(), w.o_file.into()]);
    }
    rows
}
