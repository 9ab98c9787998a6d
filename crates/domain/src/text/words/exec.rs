//! Words of running a step's command: refusals, the confirmation, the
//! output pane, outcomes, and the timeline's lines.

words! {
    /// Words of executable steps.
    pub struct Exec;
    fixed {
        running: "running", "en cours";
        unknown_outcome: "started, outcome unknown", "lancée, issue inconnue";
        dry_run: "dry run: nothing was run", "essai à blanc : rien n'a été lancé";
        redacted_note: "secret values are shown as [redacted]", "les valeurs secrètes sont affichées [redacted]";
        nothing_ran: "nothing was run", "rien n'a été lancé";
        type_yes: "Run it? Type yes and press Enter (anything else cancels): ", "La lancer ? Tapez yes puis Entrée (toute autre réponse annule) : ";
        cancelled: "cancelled: nothing was run", "annulé : rien n'a été lancé";
        title: " Run the step's command ", " Lancer la commande de l'étape ";
        pane_title: " Output ([ ] scroll) ", " Sortie ([ ] défiler) ";
        keys_yes: "Enter: run · d: dry run · Esc: cancel", "Entrée : lancer · d : essai à blanc · Échap : annuler";
        keys_typed: "Type the step's id, then Enter · Tab: dry run · Esc: cancel", "Tapez l'identifiant de l'étape, puis Entrée · Tab : essai à blanc · Échap : annuler";
        interrupt_ask: "Interrupt the running command? y: send SIGINT (then SIGTERM, then SIGKILL) · any other key: let it run", "Interrompre la commande en cours ? y : envoyer SIGINT (puis SIGTERM, puis SIGKILL) · autre touche : la laisser tourner";
        no_output: "this step's command has not finished here or on another host yet", "la commande de cette étape ne s'est encore terminée ni ici ni sur un autre hôte";
        still_running: "a command is running: wait for it, or interrupt it with Ctrl-C", "une commande est en cours : attendez-la, ou interrompez-la avec Ctrl-C";
        hangup_wait: "the terminal is gone: waiting for the running command to end, to record it", "le terminal est parti : attente de la fin de la commande en cours, pour l'enregistrer";
        record_failure_hint: "f: record the step as failed, with the output's end as the note", "f : noter l'étape en échec, avec la fin de la sortie comme note";
        record_failure_ask: "type `yes` to record the step as failed, anything else to leave it open:", "tapez `oui` pour noter l'étape en échec, autre chose pour la laisser ouverte :";
    }
    shaped {
        output_head(shown: u64, bytes: u64, seq: u64): "[last {shown} of {bytes} bytes; `runbook journal output {seq}` prints the whole]", "[{shown} derniers octets sur {bytes} ; `runbook journal output {seq}` affiche le tout]";
        output_unread(error: &str): "[the output cannot be read: {error}]", "[la sortie est illisible : {error}]";
        not_runnable(step: &str): "step `{step}` has no command runbook may run (the catalog marks one with `run`)", "l'étape `{step}` n'a pas de commande que runbook peut lancer (le catalogue en marque une avec `run`)";
        approval_required(step: &str): "step `{step}` needs a second operator before its command runs: ask for it (`x`, `exec`), then someone else approves it", "l'étape `{step}` demande un second opérateur avant que sa commande soit lancée : demandez-la (`x`, `exec`), puis quelqu'un d'autre l'approuve";
        not_approved(step: &str, approved: &str, started: &str): "step `{step}`: `{started}` is not the command approved, `{approved}`: ask for this one to be approved", "étape `{step}` : `{started}` n'est pas la commande approuvée, `{approved}` : demandez l'approbation de celle-ci";
        nothing_to_approve(step: &str): "step `{step}` has no command waiting for approval", "l'étape `{step}` n'a pas de commande en attente d'approbation";
        already_finished(seq: u64): "the command started at entry #{seq} has already finished", "la commande lancée à l'entrée #{seq} est déjà terminée";
        ev_requested(command: &str, step: &str): "asked to run `{command}` for {step}; a second operator must approve", "a demandé à lancer `{command}` pour {step} ; un second opérateur doit approuver";
        ev_approved(command: &str, step: &str): "approved running `{command}` for {step}", "a approuvé le lancement de `{command}` pour {step}";
        ev_started(command: &str, step: &str, host: &str): "ran `{command}` for {step} on {host}", "a lancé `{command}` pour {step} sur {host}";
        ev_finished(step: &str, outcome: &str, took: &str, bytes: u64): "command for {step}: {outcome} after {took}, {bytes} bytes of output", "commande de {step} : {outcome} après {took}, {bytes} octets de sortie";
        not_started(error: &str): "could not start: {error}", "n'a pas pu démarrer : {error}";
        exec_off(config: &str): "running commands is off on this machine: add `exec = true` to {config} to allow it (`runbook config` shows the setting)", "le lancement de commandes est désactivé sur cette machine : ajoutez `exec = true` à {config} pour l'autoriser (`runbook config` montre le réglage)";
        unset(names: &str): "the command needs {names}, which have no value yet (set them in a site file or the environment, or do the step that sets them)", "la commande a besoin de {names}, qui n'ont pas encore de valeur (donnez-les dans un fichier de site ou l'environnement, ou faites l'étape qui les fixe)";
        would_run(command: &str): "would run: {command}", "lancerait : {command}";
        would_where(host: &str, cwd: &str, timeout: &str): "on {host}, in {cwd}, stopped after {timeout}", "sur {host}, dans {cwd}, arrêtée après {timeout}";
        would_env(vars: &str): "with {vars} in its environment", "avec {vars} dans son environnement";
        ask_typed(step: &str): "This step cannot be undone. Type its id ({step}) and press Enter to run it: ", "Cette étape est irréversible. Tapez son identifiant ({step}) puis Entrée pour la lancer : ";
        needs_typed(step: &str): "step `{step}` cannot be undone: confirm with --confirm {step} (--yes is not enough)", "l'étape `{step}` est irréversible : confirmez avec --confirm {step} (--yes ne suffit pas)";
        needs_yes(command: &str): "confirm running `{command}`: pass --yes, or run from a terminal to be asked", "confirmez le lancement de `{command}` : passez --yes, ou lancez depuis un terminal pour qu'on vous le demande";
        requested(run: &str, step: &str): "asked for a second operator: they approve with `runbook exec {run} {step} --approve`, then you run it again", "second opérateur demandé : il approuve avec `runbook exec {run} {step} --approve`, puis vous relancez";
        approve_ask(by: &str, command: &str): "{by} asks to run `{command}`. Approve it? Type yes and press Enter (anything else cancels): ", "{by} demande à lancer `{command}`. L'approuver ? Tapez oui puis Entrée (toute autre réponse annule) : ";
        needs_approve(by: &str, command: &str, run: &str, step: &str): "{by} asks to run `{command}`: approve it with `runbook exec {run} {step} --approve`", "{by} demande à lancer `{command}` : approuvez avec `runbook exec {run} {step} --approve`";
        waiting_approval(by: &str): "asked by {by}, waiting for a second operator's approval", "demandé par {by}, en attente de l'approbation d'un second opérateur";
        approved(step: &str): "approved: the command of {step} may now run", "approuvé : la commande de {step} peut maintenant être lancée";
        started(seq: u64, command: &str): "started (entry #{seq}): {command}", "lancée (entrée #{seq}) : {command}";
        finished(outcome: &str, took: &str, file: &str): "{outcome} after {took}; whole output in {file}", "{outcome} après {took} ; sortie complète dans {file}";
        output_fault(error: &str): "the output file could not be written ({error}): the journal keeps its size, hash and last 4 KiB", "le fichier de sortie n'a pas pu être écrit ({error}) : le journal garde sa taille, son empreinte et ses 4 derniers Kio";
        output_not_stored(error: &str, file: &str): "the output is not in the database journal ({error}): only this host has it, in {file}", "la sortie n'est pas dans le journal en base ({error}) : seul cet hôte l'a, dans {file}";
        ticked(step: &str): "{step} done: its command succeeded", "{step} faite : sa commande a réussi";
        failed_hint(run: &str, step: &str): "the command failed: record it with `runbook resume {run}` (f on {step}), or run it again", "la commande a échoué : notez-le avec `runbook resume {run}` (f sur {step}), ou relancez-la";
        success_note(command: &str): "`{command}` succeeded (exit 0)", "`{command}` a réussi (code 0)";
        failure_note(outcome: &str, tail: &str): "command {outcome}; its output ends with:\n{tail}", "commande {outcome} ; sa sortie se termine par :\n{tail}";
        elapsed(command: &str, took: &str): "{command} · {took}", "{command} · {took}";
        last(seq: u64, what: &str): "command #{seq}: {what}", "commande #{seq} : {what}";
        md_command(seq: u64, step: &str, by: &str, host: &str): "#{seq} · `{step}` · by {by} on {host}", "#{seq} · `{step}` · par {by} sur {host}";
        md_output(file: &str, bytes: u64, sha256: &str): "whole output: [{file}]({file}) ({bytes} bytes, sha256 {sha256}); it ends with:", "sortie complète : [{file}]({file}) ({bytes} octets, sha256 {sha256}) ; elle se termine par :";
        md_output_db(seq: u64, bytes: u64, sha256: &str): "whole output: in the database journal, printed by `runbook journal output {seq}` ({bytes} bytes, sha256 {sha256}); it ends with:", "sortie complète : dans le journal en base, affichée par `runbook journal output {seq}` ({bytes} octets, sha256 {sha256}) ; elle se termine par :";
        exit(code: i32): "exit {code}", "code de sortie {code}";
        ended_by(signal: &str): "ended by {signal}", "terminée par {signal}";
        interrupted(sent: &str): "interrupted ({sent})", "interrompue ({sent})";
        timed_out(sent: &str): "timed out ({sent})", "délai dépassé ({sent})";
    }
}
