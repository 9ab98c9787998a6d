//! `runbook config`: the effective settings and where each came from.

use std::io::{self, Write};

use super::{Context, columns, exit};

pub fn print(context: &Context, out: &mut dyn Write) -> io::Result<u8> {
    let config_file = context.config_path.as_ref().map_or_else(
        || "(no HOME: none)".to_owned(),
        |p| {
            let state = if p.exists() { "" } else { " (absent)" };
            format!("{}{state}", p.display())
        },
    );
    let display = &context.display;
    let key = if context.journal.key.is_some() {
        "set (RUNBOOK_JOURNAL_KEY; never shown)"
    } else {
        "not set"
    };
    let mut rows = vec![
        vec!["SETTING".to_owned(), "VALUE".to_owned(), "FROM".to_owned()],
        vec!["config file".into(), config_file, "-".into()],
        vec!["catalog".into(), context.location.describe(), "-".into()],
        vec![
            "journal".into(),
            context.journal.path.display().to_string(),
            context.journal.origin.to_string(),
        ],
        vec!["journal key".into(), key.into(), "-".into()],
        vec![
            "language".into(),
            context.lang.value.clone(),
            context.lang.origin.to_string(),
        ],
        vec![
            "theme".into(),
            display.theme.value.clone(),
            display.theme.origin.to_string(),
        ],
        vec![
            "ascii".into(),
            display.ascii.value.to_string(),
            display.ascii.origin.to_string(),
        ],
        vec![
            "colour".into(),
            if display.no_color {
                "off (NO_COLOR)".into()
            } else {
                "on".into()
            },
            "-".into(),
        ],
    ];
    for (operator, roles) in &context.config.roles {
        rows.push(vec![
            format!("roles of {operator}"),
            roles.join(", "),
            "config file".into(),
        ]);
    }
    for (action, key) in &context.config.keys {
        rows.push(vec![
            format!("key {action}"),
            key.clone(),
            "config file".into(),
        ]);
    }
    out.write_all(columns(&rows).as_bytes())?;
    Ok(exit::OK)
}
