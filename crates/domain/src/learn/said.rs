//! What runs left owed, as said to the operator.

/// What is owed, in a title: `Post-mortem for incident-… (P1)`,
/// `Follow-up #12: update the runbook`. Text from people is made inert.
pub fn owed_title(words: &crate::text::Words, owed: &crate::learn::Owed) -> String {
    use crate::learn::What;
    let w = words.learn;
    let inert = |t: &str| crate::text::inert(t).into_owned();
    match &owed.what {
        What::PostMortem { run, severity, .. } => (w.postmortem_for)(
            &inert(run),
            &severity
                .as_deref()
                .map(|s| format!(" ({})", inert(s)))
                .unwrap_or_default(),
        ),
        What::Deadline {
            run, label, step, ..
        } => (w.owed_step)(&inert(label), &inert(step), &inert(run)),
        What::FollowUp { id, text, .. } => (w.followup_of)(*id, &inert(text)),
    }
}

/// Where it stands at `at`: `due in 20h`, `OVERDUE by 3h`, `no due date`.
pub fn standing(
    words: &crate::text::Words,
    standing: crate::learn::Standing,
    at: chrono::DateTime<chrono::Utc>,
) -> String {
    use crate::catalog::duration::human;
    use crate::learn::Standing;
    let w = words.learn;
    match standing {
        Standing::Due { by } => (w.due_in)(&human(by - at)),
        Standing::Overdue { since } => (w.overdue_by)(&human(at - since)),
        Standing::Open => w.no_due.to_owned(),
    }
}

/// Who is to do it: a follow-up's owner.
pub fn owner(words: &crate::text::Words, owed: &crate::learn::Owed) -> String {
    match &owed.what {
        crate::learn::What::FollowUp {
            owner: Some(owner), ..
        } => crate::text::inert(owner).into_owned(),
        _ => words.learn.no_owner.to_owned(),
    }
}
