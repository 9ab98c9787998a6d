//! `runbook serve`: the status page on the journal, until SIGTERM or
//! Ctrl-C; and the hashes a `[[viewer]]` is written with.

use std::io::{self, Read, Write};

use super::{Context, exit};
use crate::cli::ServeArgs;

pub fn run(context: &Context, args: &ServeArgs, out: &mut dyn Write) -> io::Result<u8> {
    let words = context.words().status;
    if args.hash_password || args.hash_token {
        let mut secret = String::new();
        io::stdin().read_to_string(&mut secret)?;
        let secret = secret.trim_end_matches(['\r', '\n']);
        if secret.is_empty() {
            crate::say!("runbook: {}", words.secret_on_stdin);
            return Ok(exit::USAGE);
        }
        let hashed = if args.hash_token {
            runbook_serve::auth::hash_token(secret)
        } else {
            let Ok(hashed) =
                runbook_serve::auth::hash_password(secret, runbook_serve::auth::ROUNDS)
            else {
                crate::say!("runbook: {}", words.no_randomness);
                return Ok(exit::USAGE);
            };
            hashed
        };
        writeln!(out, "{hashed}")?;
        return Ok(exit::OK);
    }
    let catalog = &context.loaded.catalog;
    let var = |name: &str| catalog.vars.get(name).filter(|v| !v.is_empty()).cloned();
    let identity = runbook_serve::Identity {
        id: "runbook".to_owned(),
        name: args
            .name
            .clone()
            .or_else(|| var("status_page_name"))
            .unwrap_or_else(|| "runbook".to_owned()),
        url: args
            .url
            .clone()
            .or_else(|| var("status_page_url"))
            .unwrap_or_else(|| format!("http://{}", args.listen)),
    };
    let setup = runbook_serve::Setup {
        catalog: catalog.clone(),
        journal: context.journal.journal(),
        identity,
    };
    let viewers = catalog.viewers.len();
    let said = |at: std::net::SocketAddr| {
        let _ = writeln!(out, "{}", (words.serving)(&at.to_string(), viewers));
        let _ = out.flush();
    };
    match runbook_serve::run(args.listen, setup, said) {
        Ok(()) => Ok(exit::OK),
        Err(e) => {
            crate::say!(
                "runbook: {}",
                (words.cannot_serve)(&args.listen.to_string(), &e.to_string())
            );
            Ok(exit::JOURNAL_FAILED)
        }
    }
}
