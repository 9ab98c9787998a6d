//! Words of line mode: the walk on plain lines of text.

words! {
    /// Words of line mode.
    pub struct Line;
    fixed {
        help: "\
commands:
  done [note]      tick the current step (a note is the evidence, when one is asked)
  confirm          confirm, as a second operator, a two-person step
  skip <reason>    skip the current step, saying why
  fail <note>      record that the current step failed
  override <reason>  tick a step whose metric hold cannot be read here, saying why
  note <text>      add a note to the current step
  exec [dry]       run the current step's command (dry: show what would run)
  approve          approve, as a second operator, a two-person step's command
  reopen [reason]  reopen the current step
  next, back       move to the next or previous step
  goto <step>      move to a step by id or number (e.g. 2.1)
  status           progress and deadlines
  severity <P>     change the run's severity
  finish           finish the run (every required step done or skipped)
  abort <reason>   abort the run, saying why
  followup <text> [@owner] [+7d]  an action for after the run
  update <status> [public] [impact] [+component]... [words]
                   tell people where things stand (status: investigating,
                   identified, monitoring, resolved); no words: the template
  quit             leave; the run stays open: `runbook resume --plain`
  help             this list", "\
commandes :
  fait [note]         cocher l'étape en cours (la note sert de preuve quand il en faut une)
  confirmer           confirmer, en second opérateur, une étape à deux personnes
  sauter <raison>     sauter l'étape en cours, en disant pourquoi
  echec <note>        enregistrer l'échec de l'étape en cours
  outrepasser <raison>  cocher une étape dont l'attente sur des métriques est illisible ici, en disant pourquoi
  note <texte>        ajouter une note à l'étape en cours
  lancer [essai]      lancer la commande de l'étape (essai : montrer ce qui serait lancé)
  approuver           approuver, en second opérateur, la commande d'une étape à deux personnes
  rouvrir [raison]    rouvrir l'étape en cours
  suivante, precedente  aller à l'étape suivante ou précédente
  aller <étape>       aller à une étape par son id ou son numéro (ex. 2.1)
  etat                avancement et délais
  severite <P>        changer la sévérité du déroulé
  terminer            terminer le déroulé (toutes les étapes obligatoires faites ou sautées)
  abandonner <raison> abandonner le déroulé, en disant pourquoi
  suivi <texte> [@responsable] [+7d]  une action pour après le déroulé
  point <état> [public] [impact] [+composant]... [mots]
                      dire où en sont les choses (état : investigating,
                      identified, monitoring, resolved) ; sans mots : le modèle
  quitter             partir ; le déroulé reste ouvert : `runbook resume --plain`
  aide                cette liste
(les commandes anglaises marchent aussi)";
        cancelled: "cancelled: nothing recorded", "annulé : rien n'est enregistré";
        type_yes: "type `yes` to confirm it was done, anything else to cancel:", "tapez `oui` pour confirmer que c'est fait, autre chose pour annuler :";
        all_closed: "every step is closed: type `finish` to finish the run", "toutes les étapes sont closes : tapez `terminer` pour terminer le déroulé";
        no_step_that_way: "no step that way", "pas d'étape dans cette direction";
        yes: "yes", "oui";
        draft_post: "Enter posts these words; or type the words to post instead:", "Entrée publie ces mots ; ou tapez les mots à publier à la place :";
        followup_needs_text: "a follow-up needs its text: followup <text> [@owner] [+7d]", "un suivi a besoin de son texte : suivi <texte> [@responsable] [+7d]";
    }
    shaped {
        header(title: &str, run: &str, severity: &str): "{title} — run {run}{severity}", "{title} — déroulé {run}{severity}";
        severity(level: &str): ", severity {level}", ", sévérité {level}";
        operator_line(operator: &str, journal: &str): "operator {operator}; journal {journal}; type `help` for the commands", "opérateur {operator} ; journal {journal} ; tapez `aide` pour les commandes";
        step_heading(n: usize, total: usize, section: &str): "\nstep {n}/{total} · {section}", "\nétape {n}/{total} · {section}";
        status(word: &str, who: &str): "      status: {word}{who}", "      état : {word}{who}";
        deadline(label: &str, words: &str): "  deadline · {label}: {words}", "  délai · {label} : {words}";
        progress(closed: usize, total: usize): "\nprogress: {closed}/{total} steps closed", "\navancement : {closed}/{total} étapes closes";
        left(run: &str): "left the run; it stays open. Resume with: runbook resume {run} --plain", "déroulé quitté ; il reste ouvert. Reprendre avec : runbook resume {run} --plain";
        unknown_command(word: &str): "unknown command `{word}`; type `help`", "commande inconnue `{word}` ; tapez `aide`";
        destructive(step: &str, command: &str): "step `{step}` runs a destructive command:\n    $ {command}", "l'étape `{step}` lance une commande destructrice :\n    $ {command}";
        irreversible(step: &str): "step `{step}` cannot be undone.", "l'étape `{step}` est irréversible.";
        refused(why: &str): "refused: {why}", "refusé : {why}";
        recorded(seqs: &str): "  recorded {seqs}", "  enregistré {seqs}";
        clock_off(off: &str): "  this host's clock is {off} off the database's: entries are dated, and gates judged, by the server's; set this host's time right (NTP)", "  l'horloge de cet hôte est décalée de {off} par rapport à celle de la base : les entrées sont datées, et les délais jugés, selon le serveur ; remettez l'heure de cet hôte à jour (NTP)";
        journal_silent(secs: u64): "  journal not answering for {secs} s: nothing recorded yet, still waiting", "  le journal ne répond pas depuis {secs} s : rien d'enregistré pour l'instant, attente";
        finished(run: &str): "run finished. Report: runbook report {run}", "déroulé terminé. Rapport : runbook report {run}";
        aborted(run: &str): "run aborted. Report: runbook report {run}", "déroulé abandonné. Rapport : runbook report {run}";
        no_step(step: &str): "no step `{step}`; `status` lists them", "pas d'étape `{step}` ; `etat` les liste";
        cannot_write(error: &str): "cannot write to the terminal: {error}", "impossible d'écrire sur le terminal : {error}";
    }
}

/// A line-mode command word, French or English, as its English name.
pub fn command(word: &str) -> &str {
    match word {
        "fait" => "done",
        "confirmer" => "confirm",
        "sauter" => "skip",
        "echec" | "échec" => "fail",
        "rouvrir" => "reopen",
        "outrepasser" => "override",
        "suivante" => "next",
        "precedente" | "précédente" => "back",
        "aller" => "goto",
        "etat" | "état" => "status",
        "severite" | "sévérité" => "severity",
        "terminer" => "finish",
        "abandonner" => "abort",
        "quitter" => "quit",
        "aide" => "help",
        "montrer" => "show",
        "lancer" => "exec",
        "approuver" => "approve",
        "suivi" => "followup",
        "point" => "update",
        other => other,
    }
}
