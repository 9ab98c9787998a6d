//! Words of runs: step states, refusals, deadlines, events in a timeline,
//! the report, and the journal's and session's errors.

words! {
    /// Words of runs and their journal.
    pub struct Run;
    fixed {
        todo: "to do", "à faire";
        run_still_open: "the run is still open: do the step in it, or skip it there with a reason", "le déroulé est encore ouvert : faites l'étape dans celui-ci, ou sautez-la avec une raison";
        awaiting: "awaiting 2nd operator", "attend un 2e opérateur";
        done: "done", "fait";
        skipped: "skipped", "sautée";
        not_needed: "not needed", "pas nécessaire";
        expects_yes_no: "yes or no, e.g. `done yes`", "oui ou non, par ex. `fait oui`";
        failed: "failed", "échouée";
        run_closed: "the run is closed (finished or aborted)", "le déroulé est clos (terminé ou abandonné)";
        reason_required: "a reason is required", "une raison est requise";
        note_required: "a note is required", "une note est requise";
        refused: "refused", "refusé";
        none: "none", "aucune";
        not_started: "not started (its clock runs from a step not done yet)", "pas commencé (son horloge part d'une étape pas encore faite)";
        not_applicable: "does not apply at this severity", "ne s'applique pas à cette sévérité";
        resumed: "resumed the run", "a repris le déroulé";
        finished_run: "finished the run", "a terminé le déroulé";
        open: "open", "ouvert";
        detached: "detached", "quitté";
        finished: "finished", "terminé";
        aborted: "aborted", "abandonné";
        md_procedure: "Procedure", "Procédure";
        md_content: "Procedure content", "Contenu de la procédure";
        md_differs: " (differs from the catalog in use)", " (diffère du catalogue utilisé)";
        md_severity: "Severity", "Sévérité";
        md_started: "Started", "Commencé";
        md_outcome: "Outcome", "Issue";
        md_operators: "Operators", "Opérateurs";
        md_claimed: "claimed", "déclaré";
        md_journal: "Journal", "Journal";
        md_timeline: "Timeline (UTC)", "Chronologie (UTC)";
        md_columns: "| # | time | who | what |", "| # | heure | qui | quoi |";
        md_deadlines: "Deadlines", "Délais";
        md_no_deadline: "None in this procedure.", "Aucun dans cette procédure.";
        md_skipped: "Skipped steps", "Étapes sautées";
        md_nothing: "None.", "Aucune.";
        md_open_steps: "Steps still open", "Étapes encore ouvertes";
        md_commands: "Commands run", "Commandes lancées";
        md_unknown_problem: "unknown problem", "problème inconnu";
        title_run: "Run", "Déroulé";
        ev_journal_created: "journal created", "journal créé";
        r_quit: "quit", "sortie";
        r_left: "left", "parti";
        r_hangup: "hangup", "connexion perdue";
        r_end_of_input: "end of input", "fin de l'entrée";
        r_terminal_closed: "terminal closed", "terminal fermé";
        r_terminated: "terminated", "arrêté";
        f_no_seal: "not a journal entry: no hash seal at the end of the line", "pas une entrée du journal : pas de sceau de hachage en fin de ligne";
        f_hash: "hash mismatch: the line was changed after it was written", "hachage différent : la ligne a été modifiée après son écriture";
        f_mac: "MAC mismatch: the line was forged, or the key is not this journal's", "MAC différent : la ligne a été forgée, ou la clé n'est pas celle de ce journal";
        f_no_mac: "no MAC on a journal checked with a key: written without the key (forged?)", "pas de MAC sur un journal vérifié avec une clé : écrite sans la clé (forgée ?)";
        f_macs_unchecked: "entries carry MACs, but RUNBOOK_JOURNAL_KEY is not set: MACs were not checked", "les entrées portent des MAC, mais RUNBOOK_JOURNAL_KEY n'est pas définie : les MAC n'ont pas été vérifiés";
        f_not_genesis: "the first entry is not a genesis entry (seq 0, zero prev): the start of the journal is missing", "la première entrée n'est pas une entrée d'origine (seq 0, prev nul) : le début du journal manque";
        no_open_run: "no open run to resume (see `runbook runs --open`)", "aucun déroulé ouvert à reprendre (voir `runbook runs --open`)";
    }
    shaped {
        proposed_by(by: &str): " (proposed by {by}; another operator must confirm it)", " (proposée par {by} ; un autre opérateur doit la confirmer)";
        done_by(by: &str, at: &str): " by {by} at {at}", " par {by} à {at}";
        confirmed_by(by: &str): ", confirmed by {by}", ", confirmée par {by}";
        closed_by(by: &str, why: &str): " by {by}: {why}", " par {by} : {why}";
        unknown_step(step: &str): "no step `{step}` in this procedure", "pas d'étape `{step}` dans cette procédure";
        already(step: &str, status: &str): "step `{step}` is already {status}", "l'étape `{step}` est déjà {status}";
        not_done(step: &str): "step `{step}` has nothing recorded to reopen", "l'étape `{step}` n'a rien d'enregistré à rouvrir";
        evidence_required(step: &str, evidence: &str): "step `{step}` needs a note as evidence: {evidence}", "l'étape `{step}` demande une note comme preuve : {evidence}";
        gated_until(step: &str, at: &str, after: &str): "step `{step}` opens at {at} (it waits after `{after}`)", "l'étape `{step}` s'ouvre à {at} (elle attend après `{after}`)";
        gated_after(step: &str, after: &str): "step `{step}` waits until `{after}` is done", "l'étape `{step}` attend que `{after}` soit faite";
        role_required(step: &str, role: &str): "step `{step}` must be signed off by a holder of role `{role}`", "l'étape `{step}` doit être validée par un titulaire du rôle `{role}`";
        confirm_command(step: &str, command: &str): "step `{step}` runs a destructive command ({command}): confirm it explicitly", "l'étape `{step}` lance une commande destructrice ({command}) : confirmez-la explicitement";
        confirm_step(step: &str): "step `{step}` cannot be undone: confirm it explicitly", "l'étape `{step}` est irréversible : confirmez-la explicitement";
        same_person(step: &str, first: &str, proof: &str): "step `{step}` needs a second person: {first} and you are both {proof}, and a shared account cannot stand for two people: sign with your own key, from your SSH agent or the config's signing_key (docs/journal-format.md, \"Signed entries and who acted\")", "l'étape `{step}` demande une seconde personne : {first} et vous êtes tous deux {proof}, et un compte partagé ne vaut pas deux personnes : signez avec votre propre clé, depuis votre agent SSH ou le signing_key de la config (docs/journal-format.md, « Signed entries and who acted »)";
        sign_off_by_another(step: &str, first: &str, proof: &str): "step `{step}` is its role holder's sign-off, and {proof} already acted in this run as {first}: a shared account cannot stand for two people: sign with your own key, from your SSH agent or the config's signing_key (docs/journal-format.md, \"Signed entries and who acted\")", "l'étape `{step}` est la validation du titulaire de son rôle, et {proof} a déjà agi dans ce déroulé en tant que {first} : un compte partagé ne vaut pas deux personnes : signez avec votre propre clé, depuis votre agent SSH ou le signing_key de la config (docs/journal-format.md, « Signed entries and who acted »)";
        second_operator(step: &str, first: &str): "step `{step}` needs a second operator: {first} proposed it, someone else must confirm", "l'étape `{step}` demande un second opérateur : {first} l'a proposée, quelqu'un d'autre doit confirmer";
        not_owed(step: &str): "step `{step}` is not owed: it was done, it was settled already, or the run owes nothing for it", "l'étape `{step}` n'est pas due : elle a été faite, déjà réglée, ou le déroulé ne la doit pas";
        not_awaiting(step: &str): "step `{step}` is not waiting for a confirmation", "l'étape `{step}` n'attend pas de confirmation";
        unknown_severity(given: &str, known: &str): "no severity `{given}` (known: {known})", "pas de sévérité `{given}` (connues : {known})";
        severity_required(known: &str): "this procedure needs a severity to start: one of {known}", "cette procédure demande une sévérité pour commencer : parmi {known}";
        steps_open(steps: &str): "required steps are still open: {steps}; finish them, skip them with a reason, or abort the run with a reason", "des étapes obligatoires sont encore ouvertes : {steps} ; faites-les, sautez-les avec une raison, ou abandonnez le déroulé avec une raison";
        unknown_procedure(id: &str): "no procedure `{id}`", "pas de procédure `{id}`";
        hold_left(step: &str, metric: &str, left: &str): "step `{step}` waits for {metric} to stay below its alert threshold {left} more", "l'étape `{step}` attend que {metric} reste sous son seuil d'alerte encore {left}";
        hold_back(step: &str, metric: &str): "step `{step}` waits for {metric} to come back below its alert threshold", "l'étape `{step}` attend que {metric} repasse sous son seuil d'alerte";
        hold_critical_rollback(step: &str, metric: &str, rollback: &str): "{metric} is CRITICAL: do not go on with `{step}`; open the `{rollback}` procedure", "{metric} est CRITIQUE : n'allez pas plus loin avec `{step}` ; ouvrez la procédure `{rollback}`";
        hold_critical(step: &str, metric: &str): "{metric} is CRITICAL: do not go on with `{step}`", "{metric} est CRITIQUE : n'allez pas plus loin avec `{step}`";
        ev_hold_overridden(reason: &str, unread: &str): " — hold overridden without readings of {unread}: {reason}", " — attente passée outre, sans mesures de {unread} : {reason}";
        hold_unjudged(step: &str, metrics: &str): "step `{step}` holds on {metrics}, which cannot be read here: tick it where they are read (the console, with their source set), or override the hold with a reason (`override REASON` in line mode, `O` in the console), which is recorded", "l'étape `{step}` attend {metrics}, illisibles ici : cochez-la là où elles sont lues (la console, leur source définie), ou passez outre avec une raison (`outrepasser RAISON` en mode ligne, `O` dans la console), qui est enregistrée";
        due_in(due: &str, left: &str): "due {due} (in {left})", "échéance {due} (dans {left})";
        due_now(until: &str): "due at once: do it NOW (missed if not done by {until})", "immédiat : à faire MAINTENANT (manqué si pas fait avant {until})";
        overdue_since(due: &str, late: &str): "OVERDUE since {due} ({late} late)", "EN RETARD depuis {due} ({late} de retard)";
        met_at(at: &str, due: &str): "met at {at} (due {due})", "tenu à {at} (échéance {due})";
        missed(at: &str, late: &str, due: &str): "MISSED: done {at}, {late} after the due time {due}", "MANQUÉ : fait {at}, {late} après l'échéance {due}";
        started(procedure: &str, severity: &str): "started `{procedure}`{severity}", "a commencé `{procedure}`{severity}";
        at_severity(severity: &str): " at severity {severity}", " en sévérité {severity}";
        ev_done(step: &str, note: &str): "done: {step}{note}", "fait : {step}{note}";
        ev_proposed(step: &str, note: &str): "done, awaiting a second operator: {step}{note}", "fait, attend un second opérateur : {step}{note}";
        ev_claimed(step: &str): "took in hand: {step}", "a pris en main : {step}";
        ev_confirmed(step: &str): "confirmed (second operator): {step}", "a confirmé (second opérateur) : {step}";
        ev_not_needed(step: &str, condition: &str, value: &str): "not needed: {step} — `{condition}` is false for {value}", "pas nécessaire : {step} — `{condition}` est faux pour {value}";
        not_needed_because(condition: &str, value: &str): " (`{condition}` is false for {value})", " (`{condition}` est faux pour {value})";
        wrong_answer(step: &str, expected: &str): "step `{step}` expects {expected}", "l'étape `{step}` attend {expected}";
        expects_number(unit: &str): "a number in {unit}, e.g. `done 12.5`", "un nombre en {unit}, par ex. `fait 12,5`";
        expects_choice(choices: &str): "one of: {choices}", "l'un de : {choices}";
        answer_is(expected: &str): "answer: {expected}", "réponse : {expected}";
        needed_when(condition: &str): "needed only when `{condition}`", "nécessaire seulement si `{condition}`";
        ev_skipped(step: &str, reason: &str): "skipped: {step} — because “{reason}”", "a sauté : {step} — parce que « {reason} »";
        ev_failed(step: &str, note: &str): "FAILED: {step} — “{note}”", "ÉCHEC : {step} — « {note} »";
        ev_skip_proposed(step: &str, reason: &str): "skip proposed, awaiting a second operator: {step} — because “{reason}”", "saut proposé, attend un second opérateur : {step} — parce que « {reason} »";
        ev_fail_proposed(step: &str, note: &str): "failure proposed, awaiting a second operator: {step} — “{note}”", "échec proposé, attend un second opérateur : {step} — « {note} »";
        ev_reopened(step: &str, reason: &str): "reopened: {step}{reason}", "a rouvert : {step}{reason}";
        ev_note_on(step: &str, text: &str): "note on {step}: “{text}”", "note sur {step} : « {text} »";
        ev_note(text: &str): "note: “{text}”", "note : « {text} »";
        ev_quote(text: &str): " — “{text}”", " — « {text} »";
        ev_metric(metric: &str, from: &str, to: &str, value: &str): "metric {metric}: {from} → {to} ({value})", "métrique {metric} : {from} → {to} ({value})";
        ev_severity(from: &str, to: &str): "severity changed {from} → {to}", "sévérité changée {from} → {to}";
        ev_left(reason: &str): "left the run{reason}", "a quitté le déroulé{reason}";
        ev_tail_recovered(bytes: u64): "torn tail of {bytes} bytes recovered", "fin déchirée de {bytes} octets récupérée";
        f_not_an_entry(detail: &str): "not a journal entry: {detail}", "pas une entrée du journal : {detail}";
        f_time_backwards(at: &str, after: &str): "time goes backwards: {at} after {after}", "le temps recule : {at} après {after}";
        f_expected_hash(seq: u64, hash: &str): "entry #{seq} does not have the expected hash {hash}: the journal was rewritten", "l'entrée n°{seq} n'a pas le hachage attendu {hash} : le journal a été réécrit";
        f_truncated(ends: u64, expected: u64): "the journal ends at #{ends}, before the expected head #{expected}: it was truncated", "le journal s'arrête au n°{ends}, avant la tête attendue n°{expected} : il a été tronqué";
        f_empty(expected: u64): "the journal is empty, before the expected head #{expected}: it was truncated", "le journal est vide, avant la tête attendue n°{expected} : il a été tronqué";
        f_jump(from: u64, to: u64): "sequence jumps from #{from} to #{to}: an entry was deleted, inserted or moved", "la séquence saute du n°{from} au n°{to} : une entrée a été supprimée, insérée ou déplacée";
        md_signed(key: &str): "signed {key}…", "signé {key}…";
        md_db_login(login: &str): "db {login}", "base {login}";
        f_bad_signature(seq: u64, run: &str, detail: &str): "entry #{seq} (run {run}): its signature is bad: {detail}", "l'entrée n°{seq} (déroulé {run}) : sa signature est mauvaise : {detail}";
        f_unknown_key(seq: u64, run: &str, key: &str): "entry #{seq} (run {run}) is signed by {key}, a key of no operator in the registry", "l'entrée n°{seq} (déroulé {run}) est signée par {key}, clé d'aucun opérateur du registre";
        f_key_of_another(seq: u64, run: &str, key: &str, owner: &str, named: &str): "entry #{seq} (run {run}) is signed by {owner}'s key {key} but names {named}", "l'entrée n°{seq} (déroulé {run}) est signée par la clé {key} de {owner} mais nomme {named}";
        f_key_out_of_period(seq: u64, run: &str, key: &str, owner: &str, period: &str): "entry #{seq} (run {run}) is signed by {owner}'s key {key} outside its period ({period})", "l'entrée n°{seq} (déroulé {run}) est signée par la clé {key} de {owner} hors de sa période ({period})";
        f_unsigned(seq: u64, run: &str, named: &str): "entry #{seq} (run {run}), in {named}'s name, is not signed, and the site requires every entry signed", "l'entrée n°{seq} (déroulé {run}), au nom de {named}, n'est pas signée, et le site exige que chaque entrée le soit";
        f_account_not_theirs(seq: u64, run: &str, account: &str, named: &str): "entry #{seq} (run {run}) names {named} but was written from the account {account}, which is none of {named}'s in the registry", "l'entrée n°{seq} (déroulé {run}) nomme {named} mais a été écrite depuis le compte {account}, qui n'est aucun des comptes de {named} dans le registre";
        f_account_of_another(seq: u64, run: &str, account: &str, owner: &str, named: &str): "entry #{seq} (run {run}) was written from {owner}'s own account {account} but names {named}", "l'entrée n°{seq} (déroulé {run}) a été écrite depuis le compte {account}, propre à {owner}, mais nomme {named}";
        f_refused(seq: u64, run: &str, named: &str, why: &str): "entry #{seq} (run {run}), by {named}, breaks the rules: {why}", "l'entrée n°{seq} (déroulé {run}), de {named}, enfreint les règles : {why}";
        f_unjudged(seq: u64, run: &str, why: &str): "run {run} (entry #{seq}) is not judged by the rules: {why}", "le déroulé {run} (entrée n°{seq}) n'est pas jugé selon les règles : {why}";
        f_not_server_time(seq: u64, ts: &str, server: &str): "entry #{seq} is dated {ts}, but the database stamped its row {server}: its writer's clock was off, and the rules go by the server's", "l'entrée n°{seq} est datée {ts}, mais la base a horodaté sa ligne {server} : l'horloge de son auteur était décalée, et les règles suivent celle du serveur";
        f_policy_refused(seq: u64, named: &str, why: &str): "entry #{seq}, by {named}, publishes an identity policy that does not take effect: {why}", "l'entrée n°{seq}, par {named}, publie une politique d'identité qui ne prend pas effet : {why}";
        f_policy_first_use(seq: u64, named: &str): "entry #{seq}: the journal's first identity policy, published by {named}, is trusted on first use: check with the team that it is theirs", "entrée n°{seq} : la première politique d'identité du journal, publiée par {named}, est admise à la première utilisation : vérifiez avec l'équipe qu'elle est la sienne";
        f_pinned_other(seq: u64, run: &str, why: &str): "run {run} (entry #{seq}) started with a procedure other than these rules' own, and is judged by the one it pinned: {why}", "le déroulé {run} (entrée n°{seq}) a commencé avec une autre procédure que celle de ces règles ; il est jugé selon celle qu'il a fixée : {why}";
        f_from_the_future(seq: u64, at: &str, next: u64, clock: &str): "entry #{seq} is dated {at}, but the writer of entry #{next} read {clock} on its clock after it: entry #{seq} came from the future (a clock set forward?)", "l'entrée n°{seq} est datée {at}, mais l'auteur de l'entrée n°{next} lisait {clock} sur son horloge après elle : l'entrée n°{seq} vient du futur (une horloge avancée ?)";
        f_not_utc(seq: u64, ts: &str): "entry #{seq} is dated `{ts}`, which is not a UTC instant ending in Z", "l'entrée n°{seq} est datée `{ts}`, qui n'est pas un instant UTC finissant par Z";
        f_login_of_another(seq: u64, run: &str, login: &str, owner: &str, named: &str): "entry #{seq} (run {run}) was written under {owner}'s database login {login} but names {named}", "l'entrée n°{seq} (déroulé {run}) a été écrite sous l'identifiant de base {login}, propre à {owner}, mais nomme {named}";
        f_login_not_theirs(seq: u64, run: &str, login: &str, named: &str): "entry #{seq} (run {run}) names {named} but was written under the database login {login}, none of theirs", "l'entrée n°{seq} (déroulé {run}) nomme {named} mais a été écrite sous l'identifiant de base {login}, qui n'est pas le sien";
        f_link(seq: u64): "entry #{seq} does not link to the line before it: an entry was replaced, inserted or moved", "l'entrée n°{seq} ne se lie pas à la ligne d'avant : une entrée a été remplacée, insérée ou déplacée";
        f_torn(bytes: u64): "torn last line ({bytes} bytes without a newline): a write was cut short; the next append records and removes it", "dernière ligne déchirée ({bytes} octets sans fin de ligne) : une écriture a été interrompue ; le prochain ajout l'enregistre et la retire";
        f_torn_ignored(bytes: u64): "torn last line ({bytes} bytes): ignored until the next append records it", "dernière ligne déchirée ({bytes} octets) : ignorée jusqu'à ce que le prochain ajout l'enregistre";
        f_unreadable(detail: &str): "unreadable entry: {detail}", "entrée illisible : {detail}";
        line_problem(line: u64, what: &str): "line {line}: {what}", "ligne {line} : {what}";
        ev_aborted(reason: &str): "ABORTED the run — “{reason}”", "a ABANDONNÉ le déroulé — « {reason} »";
        outcome_finished(by: &str, at: &str): "finished by {by} at {at}", "terminé par {by} le {at}";
        outcome_aborted(by: &str, at: &str, reason: &str): "aborted by {by} at {at} — “{reason}”", "abandonné par {by} le {at} — « {reason} »";
        md_intact(entries: u64, head: &str): "intact ({entries} entries, head {head})", "intact ({entries} entrées, tête {head})";
        md_not_intact(problem: &str): "NOT INTACT — {problem}", "NON INTACT — {problem}";
        md_skipped_by(step: &str, by: &str, reason: &str): "- `{step}`, by {by}: {reason}", "- `{step}`, par {by} : {reason}";
        no_such_run(id: &str): "no run `{id}` in the journal (see `runbook runs`)", "pas de déroulé `{id}` dans le journal (voir `runbook runs`)";
        procedure_changed(run: &str, procedure: &str, started: &str, now: &str): "run `{run}` started with procedure `{procedure}` of content {started}; this catalog's is {now}: a run goes on only under the rules it started with (use the catalog and site it started with; `runbook report` names the content it recorded)", "le déroulé `{run}` a commencé avec la procédure `{procedure}` de contenu {started} ; celle de ce catalogue est {now} : un déroulé ne continue que sous les règles avec lesquelles il a commencé (utilisez le catalogue et le site de son début ; `runbook report` nomme le contenu enregistré)";
        procedure_gone(run: &str, procedure: &str): "run `{run}` follows procedure `{procedure}`, which is not in the catalog in use", "le déroulé `{run}` suit la procédure `{procedure}`, absente du catalogue utilisé";
        j_symlink(path: &str): "refusing the journal {path}: it is a symbolic link (point --journal at the real file)", "journal {path} refusé : c'est un lien symbolique (donnez à --journal le vrai fichier)";
        j_not_a_file(path: &str): "the journal {path} is not a regular file (a folder?)", "le journal {path} n'est pas un fichier ordinaire (un dossier ?)";
        j_open(path: &str, error: &str): "cannot open the journal {path}: {error}", "impossible d'ouvrir le journal {path} : {error}";
        j_io(path: &str, error: &str): "cannot use the journal {path}: {error}", "impossible d'utiliser le journal {path} : {error}";
        j_damaged(path: &str, detail: &str): "the journal {path} is damaged: {detail}; nothing was recorded. Run `runbook audit verify --journal {path}`", "le journal {path} est endommagé : {detail} ; rien n'a été enregistré. Lancez `runbook audit verify --journal {path}`";
        j_write(path: &str, error: &str): "could not write to the journal {path}: {error}. Nothing was recorded: the step is NOT done", "écriture impossible dans le journal {path} : {error}. Rien n'a été enregistré : l'étape n'est PAS faite";
        j_unreachable(at: &str, error: &str): "journal unreachable, nothing recorded: {at}: {error}. Reconnecting; try again in a moment", "journal injoignable, rien n'a été enregistré : {at} : {error}. Reconnexion en cours ; réessayez dans un instant";
        j_refused(at: &str, error: &str): "the journal {at} refused the entry: {error}. Nothing was recorded", "le journal {at} a refusé l'entrée : {error}. Rien n'a été enregistré";
        j_full(path: &str): "disk full: nothing recorded in the journal {path}, which is left whole; the step stays open: free some space and do it again", "disque plein : rien n'a été enregistré dans le journal {path}, qui reste intact ; l'étape reste ouverte : libérez de la place et recommencez";
        j_not_recorded(path: &str, error: &str): "could not write to the journal {path} ({error}): nothing recorded, and the journal is left whole; the step stays open: try again once the disk is fixed", "écriture impossible dans le journal {path} ({error}) : rien n'a été enregistré, et le journal reste intact ; l'étape reste ouverte : recommencez une fois le disque réparé";
        j_poisoned(path: &str): "the journal {path} failed earlier in this session; nothing more is recorded until runbook is restarted", "le journal {path} a échoué plus tôt dans cette session ; plus rien n'est enregistré avant de relancer runbook";
    }
}

/// A moment, with its weekday in the operator's language, in UTC.
pub fn moment(at: chrono::DateTime<chrono::Utc>, lang: &str) -> String {
    use chrono::Datelike;
    format!(
        "{} {}",
        weekday(lang, at.weekday()),
        at.format("%Y-%m-%d %H:%M UTC")
    )
}

/// Short weekday names, Monday first.
pub fn weekday(lang: &str, day: chrono::Weekday) -> &'static str {
    const EN_DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const FR_DAYS: [&str; 7] = ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."];
    let days = if lang == "fr" { FR_DAYS } else { EN_DAYS };
    days[day.num_days_from_monday() as usize]
}
