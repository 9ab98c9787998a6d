//! Words of what a team learns from runs: owed post-mortems, the
//! post-mortem draft, follow-ups and `runbook stats`.

words! {
    /// Words of post-mortems, follow-ups and the team's numbers.
    pub struct Learn;
    fixed {
        owed_title: "Owed after runs", "Dû après les runs";
        h_what: "WHAT", "QUOI";
        h_owner: "OWNER", "RESPONSABLE";
        h_state: "STATE", "ÉTAT";
        h_id: "ID", "ID";
        h_run: "RUN", "RUN";
        h_due: "DUE", "ÉCHÉANCE";
        no_owner: "-", "-";
        no_due: "no due date", "sans échéance";
        open: "open", "ouvert";
        done: "done", "fait";
        dropped: "dropped", "abandonné";
        no_followups: "no follow-up recorded", "aucun suivi enregistré";
        pm_title: "Post-mortem", "Post-mortem";
        pm_summary: "Summary", "Résumé";
        pm_key_times: "Key times", "Moments clés";
        pm_durations: "Durations", "Durées";
        pm_deadlines: "Deadlines", "Délais";
        pm_crossings: "Metric crossings", "Franchissements de seuils";
        pm_commands: "Commands run", "Commandes lancées";
        pm_notifications: "Notifications", "Notifications";
        pm_timeline: "Timeline", "Chronologie";
        pm_impact: "Impact", "Impact";
        pm_root_cause: "Root cause", "Cause racine";
        pm_went_well: "What went well", "Ce qui a bien marché";
        pm_went_badly: "What went badly", "Ce qui a mal marché";
        pm_followups: "Follow-ups", "Suivis";
        pm_to_write: "_To be written by the team._", "_À rédiger par l'équipe._";
        pm_none: "None.", "Aucun.";
        pm_not_marked: "not recorded", "non enregistré";
        pm_procedure: "Procedure", "Procédure";
        pm_severity: "Severity", "Sévérité";
        pm_people: "Who took part", "Participants";
        pm_outcome: "Outcome", "Issue";
        pm_started: "Started", "Début";
        pm_settled: "Post-mortem written", "Post-mortem rédigé";
        pm_owed: "Post-mortem owed", "Post-mortem dû";
        to_respond: "time to respond", "délai de réponse";
        to_escalate: "time to escalate", "délai d'escalade";
        to_mitigate: "time to mitigate", "délai de mitigation";
        to_resolve: "time to resolve", "délai de résolution";
        m_detected: "detected", "détecté";
        m_responded: "responded", "pris en charge";
        m_escalated: "escalated", "escaladé";
        m_mitigated: "mitigated", "mitigé";
        m_resolved: "resolved", "résolu";
        m_post_mortem: "post-mortem", "post-mortem";
        st_title: "The team's numbers", "Les chiffres de l'équipe";
        st_runs: "Runs by procedure", "Runs par procédure";
        st_incidents: "Incidents by severity", "Incidents par sévérité";
        st_delivery: "Delivery", "Livraison";
        st_learning: "Post-mortems and follow-ups", "Post-mortems et suivis";
        st_drills: "Drills (counted apart)", "Exercices (comptés à part)";
        st_no_incident: "no incident", "aucun incident";
        st_none: "-", "-";
        h_procedure: "PROCEDURE", "PROCÉDURE";
        h_finished: "FINISHED", "TERMINÉS";
        h_aborted: "ABORTED", "ABANDONNÉS";
        h_open: "OPEN", "OUVERTS";
        h_severity: "SEVERITY", "SÉVÉRITÉ";
        h_count: "RUNS", "RUNS";
        h_respond: "RESPOND p50/p90", "RÉPONSE p50/p90";
        h_resolve: "RESOLVE p50/p90", "RÉSOLUTION p50/p90";
        h_response_met: "RESPONSE MET", "RÉPONSE TENUE";
        h_escalation_met: "ESCALATION MET", "ESCALADE TENUE";
    }
    shaped {
        ev_postmortem(run: &str, link: &str): "post-mortem of {run} written{link}", "post-mortem de {run} rédigé{link}";
        ev_followup(text: &str, owner: &str): "follow-up added: {text}{owner}", "suivi ajouté : {text}{owner}";
        ev_followup_done(id: u64, note: &str): "follow-up #{id} done{note}", "suivi n°{id} fait{note}";
        ev_followup_dropped(id: u64, reason: &str): "follow-up #{id} dropped: {reason}", "suivi n°{id} abandonné : {reason}";
        owner_is(owner: &str): " (owner {owner})", " (responsable {owner})";
        postmortem_for(run: &str, severity: &str): "Post-mortem for {run}{severity}", "Post-mortem de {run}{severity}";
        followup_of(id: u64, text: &str): "Follow-up #{id}: {text}", "Suivi n°{id} : {text}";
        due_in(left: &str): "due in {left}", "dû dans {left}";
        overdue_by(late: &str): "OVERDUE by {late}", "EN RETARD de {late}";
        no_run(run: &str): "no run {run} in the journal", "aucun run {run} dans le journal";
        not_closed(run: &str): "run {run} is still open: its post-mortem is settled once it is finished or aborted", "le run {run} est encore ouvert : son post-mortem se règle une fois qu'il est terminé ou abandonné";
        already_settled(run: &str, at: &str): "the post-mortem of {run} was already recorded at {at}", "le post-mortem de {run} est déjà enregistré depuis {at}";
        settled(run: &str, seq: u64): "post-mortem of {run} recorded (entry #{seq})", "post-mortem de {run} enregistré (entrée n°{seq})";
        added(id: u64, run: &str): "follow-up #{id} added to {run}", "suivi n°{id} ajouté à {run}";
        closed_followup(id: u64, how: &str): "follow-up #{id} {how}", "suivi n°{id} {how}";
        no_followup(id: u64): "no follow-up #{id} in the journal", "aucun suivi n°{id} dans le journal";
        followup_closed_already(id: u64, how: &str): "follow-up #{id} is already {how}", "le suivi n°{id} est déjà {how}";
        bad_due(text: &str): "`{text}` is neither a duration (7d, 36h) nor a date (2026-12-24)", "`{text}` n'est ni une durée (7d, 36h) ni une date (2026-12-24)";
        unreadable_document(path: &str, error: &str): "cannot read the post-mortem document {path}: {error}", "lecture impossible du document de post-mortem {path} : {error}";
        written_to(path: &str): "draft written to {path}", "brouillon écrit dans {path}";
        done_late(late: &str): "done {late} late", "fait avec {late} de retard";
        st_window(since: &str, until: &str): "from {since} to {until}", "du {since} au {until}";
        st_deploys(count: usize, per_week: &str): "deploys: {count} ({per_week} a week)", "déploiements : {count} ({per_week} par semaine)";
        st_failure(rate: &str, failed: usize, deploys: usize, window: &str): "change failure rate: {rate} ({failed} of {deploys} deploys followed by a rollback or an incident within {window})", "taux d'échec des changements : {rate} ({failed} déploiement(s) sur {deploys} suivis d'un rollback ou d'un incident dans les {window})";
        st_restore(median: &str, count: usize): "time to restore (incident start → resolved): median {median} over {count} incident(s)", "temps de rétablissement (début de l'incident → résolu) : médiane {median} sur {count} incident(s)";
        st_weeks(spark: &str): "deploys per week, oldest first: {spark}", "déploiements par semaine, du plus ancien : {spark}";
        st_postmortems(owed: usize, late: usize, on_time: usize, done_late: usize): "post-mortems: {owed} owed ({late} overdue), {on_time} written in time, {done_late} late", "post-mortems : {owed} dû(s) (dont {late} en retard), {on_time} rédigé(s) à temps, {done_late} en retard";
        st_followups(open: usize, late: usize, done: usize, dropped: usize): "follow-ups: {open} open ({late} overdue), {done} done, {dropped} dropped", "suivis : {open} ouvert(s) (dont {late} en retard), {done} fait(s), {dropped} abandonné(s)";
        st_drill_runs(count: usize): "{count} drill run(s), not counted above", "{count} run(s) d'exercice, non comptés ci-dessus";
        share(met: usize, of: usize): "{met}/{of}", "{met}/{of}";
    }
}
