//! `runbook update RUN --status S [--impact I] [--component ID]...
//! [--public] [MESSAGE]`: tell the people outside the terminal where a
//! run stands. The words are the operator's, or the catalog's template
//! for the run; the entry is decided and journaled like any step.

use std::io::{self, Write};

use chrono::Utc;

use super::walk::report_failure as fail;
use super::{Context, exit};
use crate::cli::UpdateArgs;
use crate::live_run::{LiveRun, LiveRunError};
use crate::status_update::{self, Asked};

pub fn run(context: &Context, args: &UpdateArgs, out: &mut dyn Write) -> io::Result<u8> {
    let words = context.words();
    let writer = match context.journal.open() {
        Ok(writer) => writer,
        Err(e) => return Ok(fail(&LiveRunError::Journal(e), words)),
    };
    let mut session = match LiveRun::attach_even_closed(&context.loaded.catalog, writer, &args.run)
    {
        Ok(session) => session,
        Err(e) => return Ok(fail(&e, words)),
    };
    session.extra_roles = context.configured_roles();
    let asked = Asked {
        status: args.status.clone(),
        impact: args.impact.clone(),
        components: args.components.clone(),
        public: args.public,
        message: args.message.clone(),
    };
    let update =
        match status_update::compose(session.catalog, &session.state, &asked, context.lang()) {
            Ok(update) => update,
            Err(why) => {
                crate::say!("runbook: {why}");
                return Ok(exit::USAGE);
            }
        };
    if args.draft {
        writeln!(out, "{}", update.text)?;
        return Ok(exit::OK);
    }
    let notifier = super::notify::front_service(context);
    let code = match status_update::post(&mut session, update, Utc::now(), words) {
        Ok(posted) => {
            for line in status_update::said(&posted, &args.run, words) {
                writeln!(out, "{line}")?;
            }
            exit::OK
        }
        Err(e) => fail(&e, words),
    };
    super::notify::settle_front(context, notifier, session.state.last_seq);
    Ok(code)
}
