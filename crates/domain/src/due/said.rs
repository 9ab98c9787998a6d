//! A duty's standing, as said to the operator.

/// A duty's state in words: done, due and for how long, overdue and since
/// how long, and the run open for it.
pub fn duty_state(
    words: &crate::text::Words,
    duty: &crate::due::Duty,
    at: chrono::DateTime<chrono::Utc>,
) -> String {
    use crate::catalog::duration::human;
    use crate::due::State;
    let w = words.commands;
    let mut text = match duty.state {
        State::Done => w.duty_done.to_owned(),
        State::Due { by } => (w.duty_due)(&human(by - at)),
        State::Overdue { since } => (w.duty_overdue)(&human(at - since)),
        State::NotStarted { first_due } => (w.duty_not_started)(
            &crate::text::words::run::moment(first_due, words.lang),
            &human(first_due - at),
        ),
    };
    if let Some(run) = &duty.open {
        text.push_str(" · ");
        text.push_str(&(w.duty_open)(run));
    }
    text
}
