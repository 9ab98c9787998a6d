//! Words of notifications: what a target is told, the deliveries in a
//! timeline and the status line, `runbook notify` and `runbook watch`.

words! {
    /// Words of telling people.
    pub struct Notify;
    fixed {
        test_summary: "runbook test notification: this target is reachable", "notification de test de runbook : cette cible est joignable";
        nothing_pending: "every notification is delivered", "toutes les notifications sont remises";
        yielded: "notifications: sent by another process (runbook watch)", "notifications : envoyées par un autre processus (runbook watch)";
        watch_started: "runbook watch: following the journal and the clock; Ctrl-C or SIGTERM stops", "runbook watch : suit le journal et l'horloge ; Ctrl-C ou SIGTERM l'arrête";
        no_targets: "no notification target in the catalog or the site files ([[notify]])", "aucune cible de notification dans le catalogue ou les fichiers de site ([[notify]])";
        anchors_ok: "every anchored head is still in the chain", "chaque tête ancrée est toujours dans la chaîne";
    }
    shaped {
        s_run_started(severity: &str, procedure: &str, run: &str, by: &str, host: &str): "{severity}{procedure} started: run {run} by {by} on {host}", "{severity}{procedure} démarré : run {run} par {by} sur {host}";
        s_run_finished(procedure: &str, run: &str, by: &str): "{procedure} finished: run {run}, closed by {by}", "{procedure} terminé : run {run}, clos par {by}";
        s_run_aborted(procedure: &str, run: &str, reason: &str): "{procedure} aborted: run {run} ({reason})", "{procedure} abandonné : run {run} ({reason})";
        s_severity(procedure: &str, run: &str, from: &str, to: &str): "{procedure} severity {from} → {to}: run {run}", "{procedure} sévérité {from} → {to} : run {run}";
        s_responded(procedure: &str, run: &str, by: &str): "{procedure} taken in hand by {by}: run {run}", "{procedure} pris en main par {by} : run {run}";
        s_deadline_soon(label: &str, due: &str, run: &str): "due soon: {label} by {due} (run {run})", "échéance proche : {label} avant {due} (run {run})";
        s_deadline_missed(label: &str, due: &str, run: &str): "deadline missed: {label} was due {due} (run {run})", "échéance manquée : {label} était dû {due} (run {run})";
        s_metric(metric: &str, value: &str, run: &str): "metric critical: {metric} = {value} (run {run})", "métrique critique : {metric} = {value} (run {run})";
        s_step_failed(step: &str, run: &str, note: &str): "step failed: {step} (run {run}): {note}", "étape en échec : {step} (run {run}) : {note}";
        s_approval(step: &str, run: &str, by: &str): "a second operator is needed: {by} asks to run the command of {step} (run {run})", "un second opérateur est requis : {by} demande à lancer la commande de {step} (run {run})";
        s_duty(procedure: &str, since: &str): "recurring duty overdue: {procedure} since {since}", "tâche récurrente en retard : {procedure} depuis {since}";
        s_postmortem(procedure: &str, run: &str, since: &str): "post-mortem overdue: {procedure} run {run}, due {since}", "post-mortem en retard : {procedure}, déroulé {run}, dû le {since}";
        s_followup(id: u64, text: &str, owner: &str, run: &str, since: &str): "follow-up #{id} overdue: {text} (owner {owner}; run {run}), due {since}", "suivi n°{id} en retard : {text} (responsable {owner} ; déroulé {run}), dû le {since}";
        s_anchor(seq: u64, hash: &str): "journal head #{seq} {hash}", "tête du journal #{seq} {hash}";
        s_update(status: &str, procedure: &str, run: &str, impact: &str, text: &str): "{status}: {procedure} {run} ({impact}): {text}", "{status} : {procedure} {run} ({impact}) : {text}";
        settling(count: usize): "sending {count} notification(s) before leaving (Ctrl-C leaves them to runbook watch or the next runbook)", "envoi de {count} notification(s) avant de partir (Ctrl-C les laisse à runbook watch ou au prochain runbook)";
        ev_sent(trigger: &str, target: &str, attempts: u32): "notified {target} ({trigger}, {attempts} attempt(s))", "{target} notifié ({trigger}, {attempts} essai(s))";
        ev_failed(trigger: &str, target: &str, error: &str): "could not notify {target} ({trigger}): {error}", "impossible de notifier {target} ({trigger}) : {error}";
        ev_anchored(seq: u64, target: &str): "journal head #{seq} anchored at {target}", "tête du journal #{seq} ancrée chez {target}";
        status(sent: usize, pending: usize): "notify: {sent} sent, {pending} pending", "notif. : {sent} envoyée(s), {pending} en attente";
        status_retrying(target: &str, error: &str): "{target} retrying ({error})", "{target} nouvel essai ({error})";
        status_failed(target: &str, error: &str): "{target} FAILED ({error})", "{target} ÉCHEC ({error})";
        unknown_target(id: &str, known: &str): "no notification target `{id}` (known: {known})", "pas de cible de notification `{id}` (connues : {known})";
        answer(target: &str, answer: &str): "{target}: {answer}", "{target} : {answer}";
        test_failed(target: &str, error: &str): "{target}: not delivered: {error}", "{target} : non remise : {error}";
        pending_line(target: &str, trigger: &str, about: &str, state: &str): "{target}  {trigger}  {about}  {state}", "{target}  {trigger}  {about}  {state}";
        watch_locked(lock: &str): "another runbook watch follows this journal (lock {lock} is held)", "un autre runbook watch suit ce journal (le verrou {lock} est pris)";
        delivered(target: &str, trigger: &str, answer: &str): "delivered to {target} ({trigger}): {answer}", "remise à {target} ({trigger}) : {answer}";
        gave_up(target: &str, trigger: &str, error: &str): "gave up on {target} ({trigger}): {error}", "abandon pour {target} ({trigger}) : {error}";
        anchor_missing(seq: u64, hash: &str, last: u64): "anchored head #{seq} {hash} is not in the journal, which ends at #{last}: it was truncated", "la tête ancrée #{seq} {hash} n'est pas dans le journal, qui s'arrête à #{last} : il a été tronqué";
        anchor_rewritten(seq: u64, hash: &str, now: &str): "anchored head #{seq} {hash} was rewritten: entry #{seq} now has hash {now}", "la tête ancrée #{seq} {hash} a été réécrite : l'entrée #{seq} a maintenant le hash {now}";
        anchors_read(count: usize, file: &str): "{count} anchored head(s) read from {file}", "{count} tête(s) ancrée(s) lue(s) dans {file}";
        anchors_bad_line(file: &str, line: usize): "{file}:{line}: not an anchored head (expected JSON with `seq` and `hash`)", "{file}:{line} : pas une tête ancrée (JSON avec `seq` et `hash` attendu)";
    }
}
