//! Words of the command line: listings, tables, settings, checks, audits.

words! {
    /// Words of the command line.
    pub struct Commands;
    fixed {
        h_id: "ID", "ID";
        h_kind: "KIND", "TYPE";
        h_steps: "STEPS", "ÉTAPES";
        h_every: "EVERY", "RÉCURRENCE";
        h_title: "TITLE", "TITRE";
        h_level: "LEVEL", "NIVEAU";
        h_meaning: "MEANING", "SIGNIFICATION";
        h_response: "RESPONSE", "RÉPONSE";
        h_escalation: "ESCALATION", "ESCALADE";
        h_run: "RUN", "DÉROULÉ";
        h_state: "STATE", "ÉTAT";
        h_done: "DONE", "FAIT";
        h_started: "STARTED", "COMMENCÉ";
        h_by: "BY", "PAR";
        h_next_deadline: "NEXT DEADLINE", "PROCHAIN DÉLAI";
        h_answers: "ANSWERS", "RÉPONSES";
        h_setting: "SETTING", "RÉGLAGE";
        h_duty: "DUTY", "TÂCHE";
        h_last_done: "LAST DONE", "DERNIÈRE FOIS";
        h_next_due: "NEXT DUE", "PROCHAINE ÉCHÉANCE";
        duty_done: "done", "faite";
        never_done: "never done", "jamais faite";
        no_duties: "no procedure of the catalog recurs", "aucune procédure du catalogue n'est récurrente";
        h_value: "VALUE", "VALEUR";
        h_from: "FROM", "ORIGINE";
        h_metric: "METRIC", "MÉTRIQUE";
        h_thresholds: "THRESHOLDS", "SEUILS";
        not_applicable: "n/a", "s.o.";
        immediate: "immediate", "immédiate";
        two_person: "two-person rule", "règle des deux personnes";
        confirm_before: "confirm before running", "à confirmer avant de lancer";
        optional: "optional", "facultative";
        at_alert: " at alert", " en alerte";
        at_critical: " at critical", " en critique";
        then: "then", "ensuite";
        response_time: "the severity's response time", "le temps de réponse de la sévérité";
        escalation_delay: "the severity's escalation delay", "le délai d'escalade de la sévérité";
        run_start: "the start of the run", "le début du déroulé";
        windows_at: "Maintenance windows at", "Fenêtres de maintenance au";
        no_window: "  no maintenance window is defined in the catalog", "  aucune fenêtre de maintenance n'est définie dans le catalogue";
        closed_now: "  closed: no window is open now", "  fermée : aucune fenêtre n'est ouverte maintenant";
        origin_rest: "  every other value: the catalog", "  toute autre valeur : le catalogue";
        origin_catalog: "  every value: the catalog (no site layer amends it)", "  toutes les valeurs : le catalogue (aucune couche de site ne le modifie)";
        overview_hint: "\n`runbook show ID` prints a procedure; `runbook --help` lists every command.", "\n`runbook show ID` affiche une procédure ; `runbook --help` liste toutes les commandes.";
        strict_note: "--strict: warnings count as errors", "--strict : les avertissements comptent comme des erreurs";
        no_home: "(no HOME: none)", "(pas de HOME : aucun)";
        absent: " (absent)", " (absent)";
        key_set: "set (RUNBOOK_JOURNAL_KEY; never shown)", "définie (RUNBOOK_JOURNAL_KEY ; jamais affichée)";
        key_unset: "not set", "non définie";
        s_config_file: "config file", "fichier de configuration";
        s_catalog: "catalog", "catalogue";
        s_journal: "journal", "journal";
        s_journal_key: "journal key", "clé du journal";
        s_woken: "teammates' entries", "entrées des coéquipiers";
        woken_watched: "seen at once (inotify on the journal's folder)", "vues aussitôt (inotify sur le dossier du journal)";
        woken_announced: "seen at once (the database's NOTIFY; a poll every 500 ms while it reconnects)", "vues aussitôt (NOTIFY de la base ; interrogée toutes les 500 ms pendant une reconnexion)";
        s_language: "language", "langue";
        s_theme: "theme", "thème";
        s_ascii: "ascii", "ascii";
        s_links: "links", "liens";
        s_exec: "exec (run step commands)", "exec (lancer les commandes)";
        roles_ignored: "config file: IGNORED, the site requires signatures and takes roles from its registry", "fichier de config : IGNORÉ, le site exige des signatures et prend les rôles de son registre";
        s_identity: "identity (who acts)", "identité (qui agit)";
        identity_signature: "every entry signed by a key of the registry", "chaque entrée signée par une clé du registre";
        identity_account: "a signing key, else the OS account on its host: one account is one person", "une clé de signature, sinon le compte système sur son hôte : un compte est une personne";
        policy_none: "no identity policy is published in this journal: the site's registry and roles are judged by (a team publishes its own with `runbook policy publish`)", "aucune politique d'identité n'est publiée dans ce journal : on juge selon le registre et les rôles du site (une équipe publie la sienne avec `runbook policy publish`)";
        policy_no_publisher: "name the roles that may publish the next policy: --publisher ROLE (the journal's first policy names them)", "nommez les rôles qui pourront publier la politique suivante : --publisher RÔLE (la première politique du journal les nomme)";
        policy_unsigned: "a policy is published with the operator's own key: load it in ssh-agent (SSH_AUTH_SOCK) or set `signing_key` in the config", "une politique se publie avec la clé propre de l'opérateur : chargez-la dans ssh-agent (SSH_AUTH_SOCK) ou réglez `signing_key` dans la configuration";
        policy_first_use: " (the journal's first: trusted on first use)", " (la première du journal : admise à la première utilisation)";
        s_policy: "identity policy", "politique d'identité";
        policy_from_site: "the site's (none published in the journal)", "celle du site (aucune publiée dans le journal)";
        identity_none: "who acts is not checked: names are taken as given", "qui agit n'est pas vérifié : les noms sont pris tels quels";
        identity_unchecked: "[identity] require = \"none\": who acts is not checked (a second name on one account passes as a second person)", "[identity] require = \"none\" : qui agit n'est pas vérifié (un second nom sur un même compte passe pour une seconde personne)";
        s_duties_since: "duties owed since", "tâches dues depuis";
        s_redact: "redact (environment)", "redact (environnement)";
        s_colour: "colour", "couleur";
        s_site: "site layer", "couche de site";
        colour_off: "off (NO_COLOR)", "désactivée (NO_COLOR)";
        colour_on: "on", "activée";
        o_default: "default", "par défaut";
        o_file: "config file", "fichier de configuration";
        o_flag: "command line", "ligne de commande";
        bundled: "the bundled checklists", "les listes fournies";
        src_command_line: "the command line", "la ligne de commande";
        src_config_file: "the config file", "le fichier de configuration";
        src_config_folder: "the user's config folder", "le dossier de configuration de l'utilisateur";
        tampered: "TAMPERED OR DAMAGED", "ALTÉRÉ OU ENDOMMAGÉ";
        rules_unjudged: "warning: the catalog has errors, so no entry is judged by the rules (only the chain and the signatures are checked); `runbook check` shows them", "attention : le catalogue a des erreurs, aucune entrée n'est donc jugée selon les règles (seuls la chaîne et les signatures sont vérifiées) ; `runbook check` les montre";
        macs_checked: ", MACs checked", ", MAC vérifiés";
        no_source: "no source: add `source` to this [[metric]]", "pas de source : ajoutez `source` à cette [[metric]]";
        no_metric_source: "runbook: no metric can be read here: set RUNBOOK_PROMETHEUS_URL (the bundled metrics read Prometheus), or give the metrics a `source` in your site file (docs/checklist-format.md)", "runbook : aucune métrique ne peut être lue ici : définissez RUNBOOK_PROMETHEUS_URL (les métriques fournies lisent Prometheus), ou donnez aux métriques une `source` dans votre fichier de site (docs/checklist-format.md)";
        plugin_ok: "OK", "OK";
        plugin_warning: "WARNING", "ATTENTION";
        plugin_critical: "CRITICAL", "CRITIQUE";
        plugin_unknown: "UNKNOWN", "INCONNU";
        dumb_line_mode: "runbook: TERM=dumb: walking in line mode", "runbook : TERM=dumb : déroulé en mode ligne";
        j_not_database: "`runbook journal init` needs --journal (or RUNBOOK_JOURNAL) naming a postgres:// database; a journal file needs no init", "`runbook journal init` demande que --journal (ou RUNBOOK_JOURNAL) nomme une base postgres:// ; un fichier journal n'a pas besoin d'init";
        head_not_verified: "runbook: warning: the journal does not verify; run `runbook audit verify`", "runbook : avertissement : le journal ne se vérifie pas ; lancez `runbook audit verify`";
        not_a_terminal: "runbook: standard input or output is not a terminal: add --plain to walk the run in line mode", "runbook : l'entrée ou la sortie standard n'est pas un terminal : ajoutez --plain pour dérouler en mode ligne";
        drill_terminal: "runbook: a drill and a replay play in the console: standard input and output must be a terminal", "runbook : un exercice et un rejeu se jouent dans la console : l'entrée et la sortie standard doivent être un terminal";
        drill_what: "runbook drill: say which procedure to rehearse (see `runbook list`), or give a --scenario", "runbook drill : dites quelle procédure répéter (voir `runbook list`), ou donnez un --scenario";
    }
    shaped {
        no_procedure(id: &str): "runbook: no procedure `{id}`", "runbook : pas de procédure `{id}`";
        did_you_mean(near: &str): "  did you mean `{near}`?", "  vouliez-vous dire `{near}` ?";
        known_procedures(ids: &str): "  known procedures: {ids}", "  procédures connues : {ids}";
        asks_severity(levels: &str): "asks for a severity when started: {levels}", "demande une sévérité au démarrage : {levels}";
        if_wrong(rollback: &str): "if it goes wrong: runbook show {rollback}", "si ça tourne mal : runbook show {rollback}";
        content(hash: &str): "content: sha256:{hash}", "contenu : sha256:{hash}";
        evidence(text: &str): "evidence required: {text}", "preuve requise : {text}";
        sign_off(title: &str): "sign-off: {title}", "validation : {title}";
        not_before(wait: &str, after: &str): "not before {wait} after `{after}` is done", "pas avant {wait} après que `{after}` est faite";
        hold(metrics: &str, period: &str): "only after {metrics} stayed below alert for {period}", "seulement après que {metrics} est resté sous l'alerte pendant {period}";
        then_procedure(procedure: &str): "then: {procedure}", "ensuite : {procedure}";
        step_done(step: &str): "`{step}` is done", "la fin de `{step}`";
        deadline(label: &str, within: &str, after: &str): "deadline{label}: within {within} of {after}", "délai{label} : sous {within} après {after}";
        open_now(name: &str, closes: &str, left: &str): "  OPEN now: {name} window, closes {closes} (in {left})", "  OUVERTE maintenant : fenêtre {name}, ferme à {closes} (dans {left})";
        next_window(name: &str, opens: &str, closes: &str, left: &str): "  next: {name} window, {opens} to {closes} (opens in {left})", "  prochaine : fenêtre {name}, du {opens} à {closes} (ouvre dans {left})";
        notice_on_time(notice: &str, by: &str, left: &str): "  notice: {notice} required; send it by {by} (in {left}) — still on time", "  préavis : {notice} requis ; à envoyer avant {by} (dans {left}) — encore dans les temps";
        notice_missed(notice: &str, by: &str, ago: &str): "  notice: {notice} required; it was due by {by} ({ago} ago) — MISSED for this window", "  préavis : {notice} requis ; il était dû avant {by} (il y a {ago}) — MANQUÉ pour cette fenêtre";
        earliest(name: &str, opens: &str, by: &str, left: &str): "  earliest window with notice on time: {name} window, {opens}; notify by {by} (in {left})", "  première fenêtre avec préavis à temps : fenêtre {name}, {opens} ; prévenir avant {by} (dans {left})";
        no_runs(path: &str): "no runs in {path}", "aucun déroulé dans {path}";
        policy_in_force(seq: u64, by: &str, at: &str, first: &str): "identity policy in force: entry #{seq}, published by {by} at {at}{first}", "politique d'identité en vigueur : entrée n°{seq}, publiée par {by} le {at}{first}";
        policy_entry(seq: u64, by: &str): "the journal's, entry #{seq} by {by}", "celle du journal, entrée n°{seq} par {by}";
        policy_refused(why: &str): "this policy would not take effect: {why}", "cette politique ne prendrait pas effet : {why}";
        policy_published(seq: u64, first: &str): "identity policy published (entry #{seq}){first}: every process now judges by it", "politique d'identité publiée (entrée n°{seq}){first} : tout processus juge désormais selon elle";
        no_run(id: &str, path: &str): "runbook: no run `{id}` in {path} (see `runbook runs`)", "runbook : pas de déroulé `{id}` dans {path} (voir `runbook runs`)";
        checked(files: usize, from: &str): "checked {files} file(s) from {from}", "{files} fichier(s) vérifié(s) depuis {from}";
        counts(procedures: usize, steps: usize, severities: usize, metrics: usize, dashboards: usize, windows: usize, roles: usize, contacts: usize, backups: usize, components: usize, templates: usize): "  {procedures} procedures, {steps} steps, {severities} severities, {metrics} metrics, {dashboards} dashboards, {windows} maintenance windows, {roles} roles, {contacts} contacts, {backups} backup policies, {components} status components, {templates} update templates", "  {procedures} procédures, {steps} étapes, {severities} sévérités, {metrics} métriques, {dashboards} tableaux de bord, {windows} fenêtres de maintenance, {roles} rôles, {contacts} contacts, {backups} politiques de sauvegarde, {components} composants de statut, {templates} modèles de point de situation";
        layer(name: &str, amended: usize, added: usize, disabled: usize): "  site layer {name}: {amended} amended, {added} added, {disabled} disabled", "  couche de site {name} : {amended} modifié(s), {added} ajouté(s), {disabled} désactivé(s)";
        sets(name: &str): "the evidence is ${{{name}}} in the steps after it", "la preuve devient ${{{name}}} dans les étapes suivantes";
        needs_variable(name: &str): "not configured: set {name} or give it a source in your site file", "non configurée : définissez {name} ou donnez-lui une source dans votre fichier de site";
        to_fill_in(count: usize): "Still to give in a site file ({count}): where, the key, what", "Encore à donner dans un fichier de site ({count}) : où, la clé, quoi";
        man_written(count: usize, dir: &str): "wrote {count} manual page(s) in {dir}", "{count} page(s) de manuel écrite(s) dans {dir}";
        man_failed(dir: &str, why: &str): "runbook man: cannot write in {dir}: {why}", "runbook man : impossible d'écrire dans {dir} : {why}";
        duty_due(left: &str): "due, {left} left", "à faire, reste {left}";
        duty_overdue(late: &str): "OVERDUE by {late}", "EN RETARD de {late}";
        duty_not_started(first: &str, left: &str): "not started yet (first due {first}, in {left})", "pas encore commencée (première échéance {first}, dans {left})";
        duty_open(run: &str): "in progress: {run}", "en cours : {run}";
        done_by(at: &str, by: &str): "{at} by {by}", "{at} par {by}";
        duties_at(at: &str): "Recurring duties at {at}", "Tâches récurrentes au {at}";
        origins_of(kind: &str, id: &str): "{kind} {id}", "{kind} {id}";
        origin_set(key: &str, at: &str, layer: &str): "  {key} = set at {at} (site layer {layer})", "  {key} = défini à {at} (couche de site {layer})";
        origin_added(at: &str, layer: &str): "  added at {at} (site layer {layer})", "  ajouté à {at} (couche de site {layer})";
        origin_disabled(at: &str, layer: &str): "  disabled at {at} (site layer {layer})", "  désactivé à {at} (couche de site {layer})";
        no_entity(id: &str): "runbook: nothing in the catalog has the id `{id}`", "runbook : rien dans le catalogue n'a l'identifiant `{id}`";
        tally(errors: usize, warnings: usize): "{errors} error(s), {warnings} warning(s)", "{errors} erreur(s), {warnings} avertissement(s)";
        catalog_errors(location: &str): "runbook: the catalog ({location}) has errors; fix them, or run `runbook check` for details", "runbook : le catalogue ({location}) a des erreurs ; corrigez-les, ou lancez `runbook check` pour le détail";
        roles_of(operator: &str): "roles of {operator}", "rôles de {operator}";
        key_of(action: &str): "key {action}", "touche {action}";
        o_env(name: &str): "environment ({name})", "environnement ({name})";
        from_paths(paths: &str, from: &str): "{paths} (from {from})", "{paths} (depuis {from})";
        warning(place: &str, what: &str): "warning: {place}: {what}", "avertissement : {place} : {what}";
        output_unreadable(line: u64, file: &str, error: &str): "line {line}: the output file {file} cannot be read: {error}", "ligne {line} : le fichier de sortie {file} est illisible : {error}";
        outputs_checked(count: usize, in_db: usize): "outputs: {count} match their entries, {in_db} of them held by the database", "sorties : {count} conformes à leurs entrées, dont {in_db} conservées en base";
        outputs_match(count: usize): "outputs: {count} match their entries", "sorties : {count} conformes à leurs entrées";
        outputs_elsewhere(count: usize): "outputs: {count} kept only on the host that ran them, not checked here", "sorties : {count} conservées seulement sur l'hôte qui les a produites, non vérifiées ici";
        output_changed(line: u64, file: &str, recorded: u64, found: u64): "line {line}: the output file {file} is not what was recorded ({recorded} bytes recorded, {found} found, or its SHA-256 differs)", "ligne {line} : le fichier de sortie {file} n'est pas celui enregistré ({recorded} octets enregistrés, {found} trouvés, ou son SHA-256 diffère)";
        first_bad(line: u64, what: &str): "first bad line: {line} — {what}", "première ligne fautive : {line} — {what}";
        more_problems(count: usize): "({count} more problem(s) after it)", "({count} autre(s) problème(s) après)";
        woken_polled(why: &str): "polled every 500 ms: {why}", "interrogé toutes les 500 ms : {why}";
        index_checkpoint(why: &str): "index checkpoint: {why}", "point de contrôle de l'index : {why}";
        index_matches(seq: u64): ", index checkpoint #{seq} matches", ", point de contrôle de l'index n°{seq} conforme";
        index_unused(why: &str): "warning: the index beside the journal is not used ({why}); the next reader rebuilds it", "avertissement : l'index à côté du journal n'est pas utilisé ({why}) ; le prochain lecteur le reconstruit";
        intact(path: &str, entries: u64, bytes: u64, head: &str): "intact: {path}: {entries} entries, {bytes} bytes, head {head}", "intact : {path} : {entries} entrées, {bytes} octets, tête {head}";
        signed_entries(signed: u64, entries: u64): "signatures: {signed} of {entries} entries signed, each by a key of its operator", "signatures : {signed} entrées sur {entries} signées, chacune par une clé de son opérateur";
        db_logins(list: &str): "database logins that wrote rows (recorded by the server): {list}", "identifiants de base ayant écrit des lignes (relevés par le serveur) : {list}";
        no_entries(path: &str): "runbook: the journal {path} has no entries", "runbook : le journal {path} n'a aucune entrée";
        a_folder(path: &str): "{path} is a folder, not a journal", "{path} est un dossier, pas un journal";
        cannot_open(path: &str, error: &str): "cannot open the journal {path}: {error}", "impossible d'ouvrir le journal {path} : {error}";
        cannot_read(path: &str, error: &str): "cannot read the journal {path}: {error}", "impossible de lire le journal {path} : {error}";
        j_init_done(at: &str): "the journal's table is ready in {at}: append-only (UPDATE, DELETE and TRUNCATE refused)", "la table du journal est prête dans {at} : ajout seul (UPDATE, DELETE et TRUNCATE refusés)";
        j_init_granted(role: &str): "the role {role} may read and append, nothing else", "le rôle {role} peut lire et ajouter, rien d'autre";
        out_none(seq: u64): "no finished command started at entry #{seq}: `runbook report` names each command by its entry", "aucune commande terminée lancée à l'entrée #{seq} : `runbook report` nomme chaque commande par son entrée";
        out_elsewhere(seq: u64, host: &str, file: &str): "the output of #{seq} is kept only on {host}, in {file}: the database does not hold it", "la sortie de #{seq} n'est conservée que sur {host}, dans {file} : la base ne la contient pas";
        out_mismatch(seq: u64, recorded: u64, found: u64): "the output of #{seq} is not what was recorded ({recorded} bytes recorded, {found} read, or its SHA-256 differs)", "la sortie de #{seq} n'est pas celle enregistrée ({recorded} octets enregistrés, {found} lus, ou son SHA-256 diffère)";
        j_outputs_carried(count: usize): "outputs: {count} carried with the lines, each checked against its entry", "sorties : {count} emportées avec les lignes, chacune vérifiée d'après son entrée";
        j_output_not_carried(what: &str): "output not carried: {what}", "sortie non emportée : {what}";
        j_exists(path: &str): "{path} exists already: export writes a new file only", "{path} existe déjà : l'export n'écrit qu'un nouveau fichier";
        j_exported(entries: u64, path: &str, head: &str): "exported {entries} entries to {path}, head {head}", "{entries} entrées exportées vers {path}, tête {head}";
        j_export_damaged(path: &str): "the copy {path} is byte for byte the journal, which does not verify: run `runbook audit verify`", "la copie {path} est octet pour octet le journal, qui ne se vérifie pas : lancez `runbook audit verify`";
        j_import_damaged(path: &str, line: u64, what: &str): "{path} does not verify (line {line}: {what}); nothing imported", "{path} ne se vérifie pas (ligne {line} : {what}) ; rien n'a été importé";
        j_import_diverges(seq: u64): "the journal and the file differ at entry {seq}: they are not the same chain; nothing imported", "le journal et le fichier diffèrent à l'entrée {seq} : ce n'est pas la même chaîne ; rien n'a été importé";
        j_import_longer(entries: u64): "the journal holds {entries} entries, more than the file: nothing to import", "le journal contient {entries} entrées, plus que le fichier : rien à importer";
        j_imported(added: u64, kept: u64, head: &str): "imported {added} entries ({kept} were there already), head {head}", "{added} entrées importées ({kept} y étaient déjà), tête {head}";
        value_old(value: &str, unit: &str, age: i64): "{value} {unit} ({age}s old)", "{value} {unit} (il y a {age} s)";
    }
}

/// A kind of catalog entity (`contact`, `metric`…), as named to the operator.
pub fn entity(lang: &str, kind: &'static str) -> &'static str {
    if lang != "fr" {
        return kind;
    }
    match kind {
        "procedure" => "procédure",
        "severity" => "sévérité",
        "metric" => "métrique",
        "dashboard" => "tableau de bord",
        "window" => "fenêtre",
        "role" => "rôle",
        "backup" => "sauvegarde",
        other => other,
    }
}
