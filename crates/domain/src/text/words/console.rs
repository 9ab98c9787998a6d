//! Words of the console: panes, overlays, the status line, notices, keys.

words! {
    /// Words of the console.
    pub struct Console;
    fixed {
        open_runs: "Open runs", "Déroulés ouverts";
        recording: "recording…", "enregistrement…";
        short_recording: "sending", "envoi";
        cancelling: "cancelling: what waited is dropped; the entry already sent is recorded only if the journal takes it", "annulation : ce qui attendait est abandonné ; l'entrée déjà envoyée n'est enregistrée que si le journal la prend";
        procedures: " Procedures ", " Procédures ";
        severity_title: " Severity · response · escalation ", " Sévérité · réponse · escalade ";
        maintenance_title: " Maintenance (UTC) ", " Maintenance (UTC) ";
        metrics_title: " Metrics ", " Métriques ";
        steps_title: " Steps ", " Étapes ";
        keys_title: " Keys ", " Touches ";
        command_title: " Command ", " Commande ";
        confirm_title: " Confirm ", " Confirmer ";
        quit_title: " Quit ", " Quitter ";
        severity_pick: " Severity of this incident (Enter) ", " Sévérité de cet incident (Entrée) ";
        closed: "closed", "fermée";
        notice_on_time: "notice on time", "préavis à temps";
        notice_missed: "notice MISSED", "préavis MANQUÉ";
        immediate: "immediate", "immédiate";
        not_applicable: "n/a", "s.o.";
        no_deadline: "no deadline running", "aucun délai en cours";
        now_at_once: "NOW, at once", "MAINTENANT, sans attendre";
        met: "met", "tenu";
        not_started: "not started", "pas commencé";
        done: "done", "fait";
        skipped: "skipped", "sautée";
        failed: "FAILED", "ÉCHEC";
        awaiting: "awaiting 2nd", "attend 2e";
        todo: "to do", "à faire";
        short_gated: "gated", "attente";
        short_claimed: "claimed", "prise";
        short_role: "role", "rôle";
        short_second: "2nd-op", "2e-op";
        short_not_needed: "unneeded", "inutile";
        copies: "  y copies the command", "  y copie la commande";
        two_person: "two-person rule", "règle des deux personnes";
        cannot_undo: "cannot be undone: confirm", "irréversible : à confirmer";
        confirm_done: "Press y to confirm it was done, any other key to cancel.", "Appuyez sur y pour confirmer que c'est fait, toute autre touche pour annuler.";
        leave_ask: "Leave runbook? Open runs stay open and can be resumed.", "Quitter runbook ? Les déroulés ouverts le restent et peuvent être repris.";
        leave_keys: "Press y to leave, any other key to stay.", "Appuyez sur y pour partir, toute autre touche pour rester.";
        help_closes: "Any key closes this help.", "Une touche ferme cette aide.";
        p_evidence: "Evidence (required)", "Preuve (requise)";
        p_note: "Note", "Note";
        p_skip: "Reason for skipping", "Raison de sauter l'étape";
        p_override: "Why pass the hold without its readings", "Pourquoi passer outre l'attente sans ses mesures";
        p_fail: "What failed", "Ce qui a échoué";
        p_search: "Search", "Recherche";
        tone_ok: "ok: ", "ok : ";
        tone_note: "note: ", "note : ";
        cancelled: "cancelled: nothing recorded", "annulé : rien n'est enregistré";
        open_run_first: "open a run first: Enter starts or joins the selected line", "ouvrez d'abord un déroulé : Entrée commence ou rejoint la ligne choisie";
        waits_second: "this two-person step waits for another operator to confirm it", "cette étape à deux personnes attend qu'un autre opérateur la confirme";
        unset_in_command: "not copied: the command uses a site variable that is not set (see `runbook check`)", "rien de copié : la commande utilise une variable de site sans valeur (voir `runbook check`)";
        due_title: "Due", "À faire";
        no_command: "this step has no command to copy", "cette étape n'a pas de commande à copier";
        journal_failed: "the journal failed: nothing more can be recorded. Leave (q) and check the disk", "le journal a échoué : plus rien ne peut être enregistré. Partez (q) et vérifiez le disque";
        sources_configured: "metrics: sources configured", "métriques : sources configurées";
        no_metric_source: "No metric can be read here: set RUNBOOK_PROMETHEUS_URL (the bundled metrics read Prometheus), or give the metrics a `source` in your site file (see docs/checklist-format.md).", "Aucune métrique ne peut être lue ici : définissez RUNBOOK_PROMETHEUS_URL (les métriques fournies lisent Prometheus), ou donnez aux métriques une `source` dans votre fichier de site (voir docs/checklist-format.md).";
        no_source: "no source", "pas de source";
        not_configured: "not configured", "non configurée";
        held: "held", "tenu";
        holding: "holding", "en cours";
        m_ok: "ok", "ok";
        m_alert: "ALERT", "ALERTE";
        m_critical: "CRITICAL", "CRITIQUE";
        m_stale: "stale", "périmée";
        m_error: "error", "erreur";
        m_waiting: "waiting", "en attente";
        k_start: "start/join", "commencer/rejoindre";
        k_search: "search", "chercher";
        k_help: "help", "aide";
        k_quit: "quit", "quitter";
        k_tick: "tick", "cocher";
        k_skip: "skip", "sauter";
        k_note: "note", "note";
        k_fail: "fail", "échec";
        k_commands: "commands", "commandes";
        k_leave: "leave", "partir";
        a_up: "move up", "monter";
        a_down: "move down", "descendre";
        a_top: "go to the first step", "aller à la première étape";
        a_bottom: "go to the last step", "aller à la dernière étape";
        a_page_up: "page up", "page précédente";
        a_page_down: "page down", "page suivante";
        a_open: "start or join the selected procedure or run", "commencer ou rejoindre la procédure ou le déroulé choisi";
        a_complete: "tick the step (asks for evidence when required)", "cocher l'étape (demande une preuve quand il en faut une)";
        a_skip: "skip the step, with a reason", "sauter l'étape, avec une raison";
        a_override: "pass a metric hold that cannot be read here, with a reason", "passer outre une attente illisible ici, avec une raison";
        a_fail: "record that the step failed, with a note", "enregistrer l'échec de l'étape, avec une note";
        a_note: "add a note to the step", "ajouter une note à l'étape";
        a_reopen: "reopen the step", "rouvrir l'étape";
        a_claim: "take the step in hand, for teammates to see", "prendre l'étape en main, à la vue des coéquipiers";
        a_search: "search steps or procedures", "chercher des étapes ou des procédures";
        a_help: "this help", "cette aide";
        a_palette: "command palette: any action, by name", "palette de commandes : toute action, par son nom";
        a_warnings: "the catalog's warnings: what the site file should give", "les avertissements du catalogue : ce que le fichier de site doit donner";
        a_reference: "reference tables (contacts, access, backups…)", "tables de référence (contacts, accès, sauvegardes…)";
        reference_title: " Reference ", " Référence ";
        a_copy: "copy the command (OSC 52, works over SSH)", "copier la commande (OSC 52, marche via SSH)";
        a_leave: "leave the run (it stays open), or quit", "quitter le déroulé (il reste ouvert), ou sortir";
        a_exec: "run the step's command", "lancer la commande de l'étape";
        a_output: "the output of the step's last command, whichever host ran it", "la sortie de la dernière commande de l'étape, quel que soit l'hôte qui l'a lancée";
        a_followup: "add a follow-up to the run (text, then @owner +7d)", "ajouter un suivi au déroulé (texte, puis @responsable +7d)";
        p_followup: "follow-up (@owner +7d)", "suivi (@responsable +7d)";
        a_status_update: "post a status update (no words: the template's)", "publier un point de situation (sans mots : le modèle)";
        p_update: "update: investigating|identified|monitoring|resolved [public] [minor|major|critical] [+component] words", "point : investigating|identified|monitoring|resolved [public] [minor|major|critical] [+composant] mots";
        a_interrupt: "quit, after asking", "sortir, après confirmation";
        a_cancel: "close the overlay or input; drop what waits for the journal", "fermer la fenêtre ou la saisie ; abandonner ce qui attend le journal";
        drill_only: "`+` moves a drill's clock: this is not a drill", "`+` avance l'horloge d'un exercice : ceci n'en est pas un";
        a_jump: "drill: move the clock to the next gate or deadline", "exercice : avancer l'horloge jusqu'à la prochaine attente ou échéance";
    }
    shaped {
        owed_hint_postmortem(run: &str): "once written: runbook postmortem {run} --done --link URL", "une fois rédigé : runbook postmortem {run} --done --link URL";
        owed_hint_settle(run: &str, step: &str): "once dealt with, a holder of its role: runbook settle {run} {step} --reason TEXT", "une fois traité, un titulaire de son rôle : runbook settle {run} {step} --reason TEXTE";
        owed_hint_followup(id: u64): "close it: runbook followup done {id} (or drop {id} --reason …)", "le clore : runbook followup done {id} (ou drop {id} --reason …)";
        title(operator: &str): " runbook {operator} ", " runbook {operator} ";
        run_row(done: usize, total: usize, by: &str, age: &str, phase: &str): "{done}/{total} {by} {age} ago {phase}", "{done}/{total} {by} il y a {age} {phase}";
        warnings_hint(count: usize, key: &str): "{count} warning(s) {key}", "{count} avertissement(s) {key}";
        overdue_count(n: usize): "{n} overdue", "{n} en retard";
        steps_count(count: usize): "  {count} steps", "  {count} étapes";
        open_until(name: &str, until: &str): "OPEN: {name} until {until}", "OUVERTE : {name} jusqu'à {until}";
        next_window(name: &str, opens: &str): "next: {name} {opens}", "prochaine : {name} {opens}";
        in_time(left: &str): "in {left} · ", "dans {left} · ";
        due_in(left: &str): "due in {left}", "échéance dans {left}";
        due_soon(left: &str): "due in {left} (soon)", "échéance dans {left} (bientôt)";
        overdue_by(late: &str): "OVERDUE by {late}", "EN RETARD de {late}";
        missed_by(late: &str): "missed by {late}", "manqué de {late}";
        opens_in(left: &str): "opens in {left}", "s'ouvre dans {left}";
        after(step: &str): "after {step}", "après {step}";
        claimed_by(who: &str): "claimed by {who}", "prise par {who}";
        needs(role: &str): "needs {role}", "demande {role}";
        with(me: &str, others: &str): "{me} with {others}", "{me} avec {others}";
        steps_gauge(closed: usize, total: usize): " {closed}/{total} steps", " {closed}/{total} étapes";
        evidence(text: &str): "Evidence: {text}", "Preuve : {text}";
        sign_off(title: &str): "sign-off: {title}", "validation : {title}";
        not_before(wait: &str, after: &str): "not before {wait} after `{after}`", "pas avant {wait} après `{after}`";
        hold_unchecked(title: &str): "hold: {title} (no source: not checked)", "maintien : {title} (pas de source : non vérifié)";
        hold_progress(title: &str, word: &str, kept: &str, period: &str): "hold: {title} {word} {kept} of {period}", "maintien : {title} {word} {kept} sur {period}";
        hold_broken(title: &str, state: &str, period: &str): "hold: {title} {state} — must stay below alert for {period}", "maintien : {title} {state} — doit rester sous l'alerte pendant {period}";
        cannot_undo_step(step: &str): "Step `{step}` cannot be undone.", "L'étape `{step}` est irréversible.";
        input_title(prompt: &str): " {prompt} — Enter saves, Esc cancels ", " {prompt} — Entrée enregistre, Échap annule ";
        respond_within(title: &str, response: &str): "{title} — respond within {response}", "{title} — répondre sous {response}";
        too_small(width: u16, height: u16, min_width: u16, min_height: u16): "Terminal too small: {width}x{height}.\nrunbook needs at least {min_width}x{min_height}.\nEnlarge the window, or use `runbook run … --plain`.", "Terminal trop petit : {width}x{height}.\nrunbook demande au moins {min_width}x{min_height}.\nAgrandissez la fenêtre, ou utilisez `runbook run … --plain`.";
        refused(why: &str): "REFUSED: {why}", "REFUSÉ : {why}";
        already(status: &str): "already {status}: u reopens it", "déjà {status} : u la rouvre";
        cannot_be_empty(prompt: &str): "{prompt} cannot be empty (Esc cancels)", "{prompt} ne peut pas être vide (Échap annule)";
        nothing_matches(query: &str): "nothing matches “{query}”", "rien ne correspond à « {query} »";
        opened(run: &str): "run {run}", "déroulé {run}";
        copied(text: &str): "copied: {text}", "copié : {text}";
        copy_failed(error: &str): "could not copy: {error}", "copie impossible : {error}";
        recorded(seqs: &str): "recorded {seqs}", "enregistré {seqs}";
        cancel_too_late(seqs: &str): "recorded {seqs} after all: the journal answered before the cancel could stop it", "enregistré {seqs} malgré tout : le journal a répondu avant que l'annulation ne l'arrête";
        journal_silent(secs: u64): "journal not answering for {secs} s: nothing recorded yet, retrying (Esc cancels)", "le journal ne répond pas depuis {secs} s : rien d'enregistré pour l'instant, nouvel essai (Échap annule)";
        critical_rollback(title: &str, value: &str, procedure: &str): "{title} CRITICAL {value}: rollback criterion met, see `{procedure}` procedure", "{title} CRITIQUE {value} : critère de retour arrière atteint, voir la procédure `{procedure}`";
        critical(title: &str, value: &str): "{title} CRITICAL at {value}", "{title} CRITIQUE à {value}";
        alert(title: &str, value: &str): "{title} above its alert threshold: {value}", "{title} au-dessus de son seuil d'alerte : {value}";
        back_to_normal(title: &str): "{title} back to normal", "{title} revenu à la normale";
        thresholds(sign: &str, alert: &str, critical: &str): "alert {sign}{alert}, critical {sign}{critical}", "alerte {sign}{alert}, critique {sign}{critical}";
    }
}

/// A key's name as the keymap labels it (`Enter`, `Ctrl-C`, `x`), in the
/// operator's language.
pub fn key_name(words: &super::Words, label: &str) -> String {
    if words.lang != "fr" {
        return label.to_owned();
    }
    let (ctrl, name) = match label.strip_prefix("Ctrl-") {
        Some(name) => ("Ctrl-", name),
        None => ("", label),
    };
    let name = match name {
        "Enter" => "Entrée",
        "Space" => "Espace",
        "Esc" => "Échap",
        "Home" => "Début",
        "End" => "Fin",
        "PgUp" => "PgPréc",
        "PgDn" => "PgSuiv",
        "Up" => "Haut",
        "Down" => "Bas",
        "Left" => "Gauche",
        "Right" => "Droite",
        "Tab" => "Tab",
        "Backspace" => "Retour",
        other => other,
    };
    format!("{ctrl}{name}")
}

/// An action's name for the palette: the name `[keys]` knows in English,
/// a French verb in French.
pub fn action_name(words: &super::Words, name: &'static str) -> &'static str {
    if words.lang != "fr" {
        return name;
    }
    match name {
        "up" => "monter",
        "down" => "descendre",
        "top" => "début",
        "bottom" => "fin",
        "page-up" => "page-préc",
        "page-down" => "page-suiv",
        "open" => "ouvrir",
        "complete" => "cocher",
        "skip" => "sauter",
        "fail" => "échec",
        "note" => "note",
        "reopen" => "rouvrir",
        "claim" => "prendre",
        "search" => "chercher",
        "help" => "aide",
        "palette" => "palette",
        "copy" => "copier",
        "reference" => "référence",
        "leave" => "partir",
        "interrupt" => "interrompre",
        "cancel" => "annuler",
        other => other,
    }
}
