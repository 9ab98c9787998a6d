//! Words of status updates and the status page.

words! {
    /// Words of what people outside the terminal are told.
    pub struct Status;
    fixed {
        investigating: "Investigating", "En cours d'analyse";
        identified: "Identified", "Cause identifiée";
        monitoring: "Monitoring", "Sous surveillance";
        resolved: "Resolved", "Résolu";
        scheduled: "Scheduled", "Programmée";
        in_progress: "In progress", "En cours";
        verifying: "Verifying", "Vérification";
        completed: "Completed", "Terminée";
        impact_none: "no impact", "sans impact";
        impact_minor: "minor impact", "impact mineur";
        impact_major: "major impact", "impact majeur";
        impact_critical: "critical impact", "impact critique";
        public: "public", "public";
        internal: "internal", "interne";
        all_operational: "All systems operational", "Tous les services fonctionnent";
        minor_outage: "Minor service disruption", "Perturbation mineure";
        major_outage: "Partial system outage", "Panne partielle";
        critical_outage: "Major system outage", "Panne majeure";
        under_maintenance: "Under maintenance", "En maintenance";
        operational: "Operational", "Opérationnel";
        degraded_performance: "Degraded performance", "Performances dégradées";
        partial_outage: "Partial outage", "Panne partielle";
        major_outage_component: "Major outage", "Panne majeure";
        open_incidents: "Ongoing incidents", "Incidents en cours";
        past_incidents: "Resolved in the last 30 days", "Résolus ces 30 derniers jours";
        no_past_incidents: "No incident in the last 30 days.", "Aucun incident ces 30 derniers jours.";
        maintenances: "Scheduled maintenance", "Maintenances prévues";
        components: "Components", "Composants";
        updates: "Status updates", "Points de situation";
        no_update: "no status update yet", "aucun point de situation encore";
        internal_title: "Internal status", "État interne";
        progress: "Progress", "Avancement";
        deadlines: "Deadlines", "Échéances";
        numbers: "The team's numbers", "Les chiffres de l'équipe";
        live: "live", "en direct";
        page_title: "Status", "État des services";
        secret_on_stdin: "give the secret on standard input (`runbook serve --hash-password < file`)", "donnez le secret sur l'entrée standard (`runbook serve --hash-password < fichier`)";
        no_randomness: "no random source to salt the hash", "aucune source aléatoire pour saler le hachage";
        as_of: "As of", "Au";
        no_open_incident: "No incident open.", "Aucun incident ouvert.";
        n_deploys: "Deploys released (30 days)", "Déploiements en production (30 jours)";
        n_failure_rate: "Change failure rate", "Taux d'échec des changements";
        n_restore: "Time to restore (median)", "Temps de rétablissement (médiane)";
        n_postmortems: "Post-mortems owed / overdue", "Post-mortems dus / en retard";
        n_window: "Over the last 30 days, drills left out (runbook stats).", "Sur les 30 derniers jours, hors exercices (runbook stats).";
    }
    shaped {
        update_required(step: &str, audience: &str): "step `{step}` is done by a status update ({audience}): post one with `runbook update` (`update` in line mode, `U` in the console), and the step is ticked with it", "l'étape `{step}` se fait par un point de situation ({audience}) : publiez-le avec `runbook update` (`point` en mode ligne, `U` dans la console), l'étape est cochée avec lui";
        posted(seq: u64, run: &str): "status update #{seq} recorded in {run}", "point de situation n°{seq} enregistré dans {run}";
        completes(step: &str): "step `{step}` done by this update", "étape `{step}` faite par ce point de situation";
        still_open(step: &str, why: &str): "step `{step}` stays open: {why}", "l'étape `{step}` reste ouverte : {why}";
        unknown_component(given: &str, known: &str): "no component `{given}` in the catalog (known: {known})", "pas de composant `{given}` dans le catalogue (connus : {known})";
        unknown_status(given: &str): "`{given}` is not a status: investigating, identified, monitoring, resolved (an incident); scheduled, in_progress, verifying, completed (a maintenance)", "`{given}` n'est pas un état : investigating, identified, monitoring, resolved (un incident) ; scheduled, in_progress, verifying, completed (une maintenance)";
        unknown_impact(given: &str): "`{given}` is not an impact: none, minor, major or critical", "`{given}` n'est pas un impact : none, minor, major ou critical";
        last_update(status: &str, at: &str, by: &str, text: &str): "last update ({status}, {at}, {by}): {text}", "dernier point ({status}, {at}, {by}) : {text}";
        ev_update(status: &str, impact: &str, audience: &str, text: &str): "status update: {status}, {impact} ({audience}): {text}", "point de situation : {status}, {impact} ({audience}) : {text}";
        done_by_update(audience: &str): "done by a status update ({audience}): `update STATUS [public] [IMPACT] [+COMPONENT] [WORDS]`, or `runbook update`", "se fait par un point de situation ({audience}) : `point ÉTAT [public] [IMPACT] [+COMPOSANT] [MOTS]`, ou `runbook update`";
        n_severity(severity: &str, runs: usize): "{severity} incidents: {runs}", "incidents {severity} : {runs}";
        n_respond(p50: &str, met: usize, of: usize): "response median {p50}, response time met {met}/{of}", "réponse médiane {p50}, délai de réponse tenu {met}/{of}";
        serving(addr: &str, viewers: usize): "serving the status page on http://{addr}/ (summary: /api/v2/summary.json; /internal for {viewers} viewer(s)); Ctrl-C or SIGTERM stops it", "page de statut servie sur http://{addr}/ (résumé : /api/v2/summary.json ; /internal pour {viewers} lecteur(s)) ; Ctrl-C ou SIGTERM l'arrête";
        cannot_serve(addr: &str, error: &str): "cannot serve on {addr}: {error}", "impossible de servir sur {addr} : {error}";
        since(at: &str): "since {at}", "depuis {at}";
        notice(at: &str): "announced, starts {at}", "annoncée, début {at}";
    }
}

impl Status {
    pub fn status(&self, status: crate::status::Status) -> &'static str {
        use crate::status::Status as S;
        match status {
            S::Investigating => self.investigating,
            S::Identified => self.identified,
            S::Monitoring => self.monitoring,
            S::Resolved => self.resolved,
            S::Scheduled => self.scheduled,
            S::InProgress => self.in_progress,
            S::Verifying => self.verifying,
            S::Completed => self.completed,
        }
    }

    pub fn impact(&self, impact: crate::status::Impact) -> &'static str {
        use crate::status::Impact as I;
        match impact {
            I::None => self.impact_none,
            I::Minor => self.impact_minor,
            I::Major => self.impact_major,
            I::Critical => self.impact_critical,
        }
    }

    pub fn audience(&self, audience: crate::status::Audience) -> &'static str {
        match audience {
            crate::status::Audience::Public => self.public,
            crate::status::Audience::Internal => self.internal,
        }
    }

    /// A component's Statuspage state (`partial_outage`) in words.
    pub fn component_state(&self, state: &str) -> &'static str {
        match state {
            "degraded_performance" => self.degraded_performance,
            "partial_outage" => self.partial_outage,
            "major_outage" => self.major_outage_component,
            "under_maintenance" => self.under_maintenance,
            _ => self.operational,
        }
    }
}
