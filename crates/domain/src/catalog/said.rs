//! How the catalog's kinds, recurrences and typed answers are said to
//! the operator, in their language.

/// A procedure kind, as listed.
pub fn kind(lang: &str, kind: crate::catalog::ProcedureKind) -> &'static str {
    use crate::catalog::ProcedureKind as K;
    if lang != "fr" {
        return kind.name();
    }
    match kind {
        K::Deploy => "déploiement",
        K::Rollback => "retour arrière",
        K::Incident => "incident",
        K::Maintenance => "maintenance",
        K::Security => "sécurité",
        K::Recovery => "reprise",
        K::Reconciliation => "rapprochement",
        K::Compliance => "conformité",
    }
}

/// How often a recurring procedure comes back.
pub fn recurrence(lang: &str, recurrence: crate::catalog::Recurrence) -> &'static str {
    use crate::catalog::Recurrence as R;
    if lang != "fr" {
        return recurrence.name();
    }
    match recurrence {
        R::Daily => "quotidienne",
        R::Weekly => "hebdomadaire",
        R::Monthly => "mensuelle",
        R::Quarterly => "trimestrielle",
        R::Yearly => "annuelle",
    }
}

/// What a typed answer must be, in words.
pub fn expected(words: &crate::text::Words, expect: &crate::catalog::answer::Expect) -> String {
    use crate::catalog::answer::Expect;
    let w = words.run;
    match expect {
        Expect::Number { unit } => (w.expects_number)(unit),
        Expect::YesNo => w.expects_yes_no.to_owned(),
        Expect::Choice(choices) => (w.expects_choice)(&choices.join(", ")),
    }
}

/// A step's typed answer and the condition it is needed on, as lines.
pub fn answer_rules(words: &crate::text::Words, step: &crate::catalog::Step) -> Vec<String> {
    let w = words.run;
    let mut lines = Vec::new();
    if let Some(expect) = &step.expects {
        lines.push((w.answer_is)(&expected(words, expect)));
    }
    if let Some(condition) = &step.when {
        lines.push((w.needed_when)(&condition.text));
    }
    lines
}
