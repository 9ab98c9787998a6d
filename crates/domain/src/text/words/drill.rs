//! Words of drills and replays: the badge, the drill clock, the scenario's
//! injections, the score, `runbook drill` and `runbook replay`.

words! {
    /// Words of rehearsing.
    pub struct Drill;
    fixed {
        badge: "DRILL", "EXERCICE";
        replay_badge: "REPLAY", "REJEU";
        no_exec: "a drill runs no command: do it as you would, then tick the step", "un exercice ne lance aucune commande : faites comme en vrai, puis cochez l'étape";
        nothing_ahead: "nothing ahead to jump to: no deadline running, no gate waiting", "rien devant : aucun délai en cours, aucune attente";
        score_title: "Drill score", "Score de l'exercice";
        no_deadline: "no deadline in this run", "aucun délai dans ce run";
        none_before: "first drill of this scenario: nothing to compare with", "premier exercice de ce scénario : rien à comparer";
        paused: "paused", "en pause";
        replay_end: "end of the run", "fin du run";
        not_done: "not done", "non faite";
        real_run: "this is a real run, not a drill: nothing simulated is recorded in it", "ce run est réel, pas un exercice : rien de simulé n'y est enregistré";
    }
    shaped {
        ev_started(speed: u32, scenario: &str): "drill at ×{speed}{scenario}", "exercice à ×{speed}{scenario}";
        ev_scenario(id: &str): ", scenario {id}", ", scénario {id}";
        ev_jumped(from: &str): "drill clock moved forward (it read {from})", "horloge de l'exercice avancée (elle marquait {from})";
        clock(speed: u32, elapsed: &str): "×{speed} T+{elapsed}", "×{speed} T+{elapsed}";
        jumped(to: &str): "drill clock: now {to}", "horloge de l'exercice : maintenant {to}";
        scenario_unreadable(file: &str, error: &str): "cannot read the scenario {file}: {error}", "lecture impossible du scénario {file} : {error}";
        scenario_other(scenario: &str, procedure: &str, asked: &str): "the scenario {scenario} rehearses `{procedure}`, not `{asked}`", "le scénario {scenario} répète `{procedure}`, pas `{asked}`";
        score_head(run: &str, scenario: &str, speed: u32): "Drill {run} · scenario {scenario} · ×{speed}", "Exercice {run} · scénario {scenario} · ×{speed}";
        score_step(step: &str, took: &str, verdict: &str): "  {step}: {took}{verdict}", "  {step} : {took}{verdict}";
        took(after: &str): "done at T+{after}", "fait à T+{after}";
        met(label: &str, due: &str): " · {label} met (due T+{due})", " · {label} tenu (dû à T+{due})";
        missed(label: &str, due: &str, late: &str): " · {label} MISSED (due T+{due}, {late} late)", " · {label} MANQUÉ (dû à T+{due}, {late} de retard)";
        open_deadline(label: &str, due: &str): " · {label} not met (due T+{due})", " · {label} non tenu (dû à T+{due})";
        deadlines(met: usize, missed: usize): "Deadlines: {met} met, {missed} missed", "Délais : {met} tenu(s), {missed} manqué(s)";
        skipped(step: &str, reason: &str): "  skipped: {step} ({reason})", "  sautée : {step} ({reason})";
        failed(step: &str, note: &str): "  failed: {step} ({note})", "  en échec : {step} ({note})";
        rollback_taken(metric: &str, at: &str, after: &str): "Rollback criterion met ({metric} critical at T+{at}): rollback started {after} later", "Critère de rollback rempli ({metric} critique à T+{at}) : rollback lancé {after} plus tard";
        rollback_missed(metric: &str, at: &str): "Rollback criterion met ({metric} critical at T+{at}): NO rollback started", "Critère de rollback rempli ({metric} critique à T+{at}) : AUCUN rollback lancé";
        outcome(outcome: &str, total: &str): "Outcome: {outcome} at T+{total}", "Issue : {outcome} à T+{total}";
        compared(count: usize, best: &str, missed: &str): "Compared with {count} earlier drill(s) of this scenario: best time to finish {best}; deadlines missed before {missed}", "Comparé à {count} exercice(s) précédent(s) de ce scénario : meilleur temps {best} ; délais manqués avant {missed}";
        previous(run: &str, total: &str, met: usize, missed: usize): "  {run}: {total}, {met} met, {missed} missed", "  {run} : {total}, {met} tenu(s), {missed} manqué(s)";
        replay_head(run: &str, at: usize, total: usize, speed: u32): "replay {run} · {at}/{total} · ×{speed}", "rejeu {run} · {at}/{total} · ×{speed}";
    }
}
