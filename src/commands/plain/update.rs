//! Line mode's `update`: a status update in the run, its words typed on
//! the line or, without them, the catalog's draft offered to post as is
//! or replace.

use std::io::{BufRead, Write};

use chrono::Utc;

use super::{Ending, Walk, WalkError};
use crate::status_update::{self, Asked};

impl Walk<'_, '_> {
    pub(super) fn update(
        &mut self,
        rest: &str,
        input: &mut dyn BufRead,
        out: &mut dyn Write,
    ) -> Result<Option<Ending>, WalkError> {
        let w = self.words.line;
        let asked = Asked::from_line(rest);
        let mut update = match status_update::compose(
            self.session.catalog,
            &self.session.state,
            &asked,
            &self.lang,
        ) {
            Ok(update) => update,
            Err(why) => {
                writeln!(out, "{}", (w.refused)(&why))?;
                return Ok(None);
            }
        };
        if asked.message.is_none() {
            writeln!(out, "  {}", crate::text::inert(&update.text))?;
            writeln!(out, "{}", w.draft_post)?;
            out.flush()?;
            let mut answer = String::new();
            input.read_line(&mut answer)?;
            if !answer.trim().is_empty() {
                answer.trim().clone_into(&mut update.text);
            }
        }
        let posted = status_update::post(self.session, update, Utc::now(), self.words)?;
        let run = self.session.state.id.clone();
        for line in status_update::said(&posted, &run, self.words) {
            writeln!(out, "  {}", crate::text::inert(&line))?;
        }
        // The step it did was the one at hand: on to the next, as a tick.
        match posted.completed {
            Some(step) if self.current().as_deref() == Some(step.as_str()) => {
                self.after(&crate::run::Command::tick(step, None), out)
            }
            _ => Ok(None),
        }
    }
}
