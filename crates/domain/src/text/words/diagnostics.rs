//! The catalog's diagnostics in French. The loader writes them in English
//! (it runs before anyone asks for a language, and the English is what the
//! invalid fixtures pin); they are said in French when rendered, from one
//! table of templates: the English with `{}` holes, the French naming the
//! holes `{0}`, `{1}`… A hole's content is itself translated when it is a
//! known fragment ("a step") or matches a template. `tests/french.rs`
//! renders every invalid fixture in French and fails on any English word.

const TEMPLATES: &[(&str, &str)] = &[
    (
        "`password` is not a PBKDF2 hash",
        "`password` n'est pas un hachage PBKDF2",
    ),
    (
        "write what `runbook serve --hash-password` prints (pbkdf2-sha256$…), never the password",
        "écrivez ce qu'affiche `runbook serve --hash-password` (pbkdf2-sha256$…), jamais le mot de passe",
    ),
    (
        "`token_sha256` is not a SHA-256 in hex",
        "`token_sha256` n'est pas un SHA-256 en hexadécimal",
    ),
    (
        "write what `runbook serve --hash-token` prints (64 hex digits), never the token",
        "écrivez ce qu'affiche `runbook serve --hash-token` (64 chiffres hexadécimaux), jamais le jeton",
    ),
    (
        "the roles of this config are ignored: the site requires signatures and takes roles from its registry",
        "les rôles de cette config sont ignorés : le site exige des signatures et prend les rôles de son registre",
    ),
    (
        "not an OpenSSH public key: {}",
        "pas une clé publique OpenSSH : {0}",
    ),
    (
        "paste the line of the `.pub` file: `ssh-ed25519 AAAA… alice@laptop`",
        "collez la ligne du fichier `.pub` : `ssh-ed25519 AAAA… alice@laptop`",
    ),
    (
        "key {} is also operator `{}`'s",
        "la clé {0} est aussi celle de l'opérateur `{1}`",
    ),
    (
        "one key, one person: give each operator their own key",
        "une clé, une personne : donnez à chaque opérateur sa propre clé",
    ),
    (
        "{} `{}` is also operator `{}`'s",
        "{0} `{1}` est aussi celui de l'opérateur `{2}`",
    ),
    (
        "a shared account stands for no one: list only a person's own",
        "un compte partagé ne désigne personne : ne listez que ceux propres à la personne",
    ),
    (
        "cannot read the signers file {}: {}",
        "impossible de lire le fichier des signataires {0} : {1}",
    ),
    (
        "an OpenSSH allowed_signers file, as git's `gpg.ssh.allowedSignersFile`",
        "un fichier allowed_signers d'OpenSSH, comme le `gpg.ssh.allowedSignersFile` de git",
    ),
    (
        "a certificate authority: runbook checks keys, not certificates",
        "une autorité de certification : runbook vérifie des clés, pas des certificats",
    ),
    (
        "list each operator's own key",
        "listez la clé propre à chaque opérateur",
    ),
    (
        "expected `principals [options] keytype base64`, as git's allowed_signers",
        "attendu `principaux [options] type-de-clé base64`, comme l'allowed_signers de git",
    ),
    ("unknown option `{}`", "option inconnue `{0}`"),
    (
        "`{}` is no date: write YYYYMMDD or YYYYMMDDHHMM[SS]",
        "`{0}` n'est pas une date : écrivez AAAAMMJJ ou AAAAMMJJHHMM[SS]",
    ),
    (
        "first given at {}; ids must be unique in a file",
        "donné d'abord en {0} ; un id est unique dans un fichier",
    ),
    (
        "the day the key was replaced, such as `until = 2026-10-01`",
        "le jour où la clé a été remplacée, par exemple `until = 2026-10-01`",
    ),
    (
        "the day the key was replaced: entries from then on may not be signed with it",
        "le jour où la clé a été remplacée : aucune entrée ne peut plus être signée avec elle",
    ),
    (
        "the day every entry had to be signed: unsigned entries after it are reported",
        "le jour où chaque entrée a dû être signée : les entrées non signées après lui sont signalées",
    ),
    ("unknown key `{}` in {}", "clé inconnue `{0}` dans {1}"),
    (
        "did you mean `{}`? expected one of: {}",
        "vouliez-vous dire `{0}` ? attendu l'un de : {1}",
    ),
    ("did you mean `{}`?", "vouliez-vous dire `{0}` ?"),
    ("expected one of: {}", "attendu l'un de : {0}"),
    ("expected a finite number", "attendu un nombre fini"),
    ("expected {}, found {}", "attendu {0}, trouvé {1}"),
    ("missing key `{}` in {}", "clé manquante `{0}` dans {1}"),
    ("add `{} = {}`", "ajoutez `{0} = {1}`"),
    ("`{}` is not a valid id", "`{0}` n'est pas un id valide"),
    (
        "an id is 1 to 64 letters, digits, `-` or `_`, e.g. `post-deploy-checks`",
        "un id a de 1 à 64 lettres, chiffres, `-` ou `_`, par ex. `post-deploy-checks`",
    ),
    (
        "`{}` is not a language code",
        "`{0}` n'est pas un code de langue",
    ),
    (
        "use a two-letter code such as `fr` or `en`",
        "utilisez un code de deux lettres comme `fr` ou `en`",
    ),
    (
        "a text needs at least one language",
        "un texte demande au moins une langue",
    ),
    (
        "write `{ fr = \"…\", en = \"…\" }` or a plain string",
        "écrivez `{ fr = \"…\", en = \"…\" }` ou une simple chaîne",
    ),
    ("`{}` is not allowed here", "`{0}` n'est pas permis ici"),
    ("TOML syntax: {}", "syntaxe TOML : {0}"),
    (
        "see docs/checklist-format.md",
        "voir docs/checklist-format.md",
    ),
    (
        "`{}` must be an array of tables",
        "`{0}` doit être un tableau de tables",
    ),
    (
        "write each one under its own `[[{}]]` header",
        "écrivez chacune sous son propre en-tête `[[{0}]]`",
    ),
    (
        "a procedure needs at least one section",
        "une procédure demande au moins une section",
    ),
    (
        "add a `[[procedure.section]]` with its `[[procedure.section.step]]`s",
        "ajoutez une `[[procedure.section]]` avec ses `[[procedure.section.step]]`",
    ),
    (
        "a section needs at least one step",
        "une section demande au moins une étape",
    ),
    (
        "add a `[[procedure.section.step]]` after it",
        "ajoutez une `[[procedure.section.step]]` après elle",
    ),
    (
        "`start` cannot be a step id",
        "`start` ne peut pas être un id d'étape",
    ),
    (
        "`start` stands for the start of the run in gates and deadlines; choose another id",
        "`start` désigne le début du déroulé dans les attentes et les délais ; choisissez un autre id",
    ),
    (
        "a metric hold names at least one metric",
        "un maintien de métrique nomme au moins une métrique",
    ),
    (
        "write `hold = { metrics = [\"error-rate\"], for = \"30m\" }`",
        "écrivez `hold = { metrics = [\"error-rate\"], for = \"30m\" }`",
    ),
    (
        "thresholds out of order: alert {} and critical {} for a metric that is bad above them",
        "seuils dans le désordre : alerte {0} et critique {1} pour une métrique mauvaise au-dessus",
    ),
    (
        "thresholds out of order: alert {} and critical {} for a metric that is bad below them",
        "seuils dans le désordre : alerte {0} et critique {1} pour une métrique mauvaise en dessous",
    ),
    (
        "the alert threshold must be lower than the critical one",
        "le seuil d'alerte doit être plus bas que le critique",
    ),
    (
        "the alert threshold must be higher than the critical one",
        "le seuil d'alerte doit être plus haut que le critique",
    ),
    (
        "a token must not be written in a checklist",
        "un jeton ne doit pas être écrit dans une liste",
    ),
    (
        "name the environment variable that holds it: `token = \"${RUNBOOK_PROMETHEUS_TOKEN}\"`",
        "nommez la variable d'environnement qui le contient : `token = \"${RUNBOOK_PROMETHEUS_TOKEN}\"`",
    ),
    (
        "a command source needs a program to run",
        "une source commande demande un programme à lancer",
    ),
    (
        "write `argv = [\"program\", \"argument\"]`",
        "écrivez `argv = [\"programme\", \"argument\"]`",
    ),
    (
        "a window cannot end when it starts",
        "une fenêtre ne peut pas finir quand elle commence",
    ),
    (
        "give an end after the start; an end before the start runs past midnight",
        "donnez une fin après le début ; une fin avant le début passe minuit",
    ),
    (
        "`{}` is not a time of day",
        "`{0}` n'est pas une heure du jour",
    ),
    (
        "write a UTC time as `HH:MM`, e.g. `02:00`",
        "écrivez une heure UTC en `HH:MM`, par ex. `02:00`",
    ),
    (
        "{} `{}` is defined twice in procedure `{}`",
        "{0} `{1}` : id défini deux fois dans la procédure `{2}`",
    ),
    (
        "{} `{}` is defined twice",
        "{0} `{1}` : id défini deux fois",
    ),
    (
        "first defined at {}; ids must be unique",
        "défini d'abord en {0} ; les id doivent être uniques",
    ),
    (
        "no {} is defined in procedure `{}`",
        "aucun id de type {0} n'est défini dans la procédure `{1}`",
    ),
    ("no {} is defined", "aucun id de type {0} n'est défini"),
    (
        "known {}s in procedure `{}`: {}",
        "id connus de type {0} dans la procédure `{1}` : {2}",
    ),
    ("known {}s: {}", "id connus de type {0} : {1}"),
    (
        "no {} `{}` in procedure `{}`",
        "{0} `{1}` introuvable dans la procédure `{2}`",
    ),
    ("no {} `{}`", "{0} `{1}` introuvable"),
    (
        "a {} deadline for {} is longer than the severity allows ({})",
        "un délai de {0} pour {1} dépasse ce que la sévérité permet ({2})",
    ),
    (
        "{} must be answered within {} and escalated never (n/a)",
        "{0} doit recevoir une réponse sous {1} et n'est jamais escaladée (s.o.)",
    ),
    (
        "{} must be answered within {} and escalated immediately",
        "{0} doit recevoir une réponse sous {1} et être escaladée immédiatement",
    ),
    (
        "{} must be answered within {} and escalated within {}",
        "{0} doit recevoir une réponse sous {1} et être escaladée sous {2}",
    ),
    (
        "deploy procedure `{}` names no rollback procedure",
        "la procédure de déploiement `{0}` ne nomme aucune procédure de retour arrière",
    ),
    (
        "add `rollback = \"<procedure id>\"` so the operator knows where to turn",
        "ajoutez `rollback = \"<id de procédure>\"` pour que l'opérateur sache vers où se tourner",
    ),
    (
        "deploy procedure `{}` points to `{}`, which is a {} procedure, not a rollback",
        "la procédure de déploiement `{0}` renvoie à `{1}`, qui est une procédure de type {2}, pas un retour arrière",
    ),
    (
        "step `{}` runs a destructive command (`{}`) without confirmation: {}",
        "l'étape `{0}` lance une commande destructrice (`{1}`) sans confirmation : {2}",
    ),
    (
        "add `confirm = true` so the operator confirms before it is marked run",
        "ajoutez `confirm = true` pour que l'opérateur confirme avant qu'elle soit marquée lancée",
    ),
    (
        "step `{}` has a deadline that depends on the severity, but procedure `{}` does not ask for one",
        "l'étape `{0}` a un délai qui dépend de la sévérité, mais la procédure `{1}` n'en demande pas",
    ),
    (
        "add `asks_severity = true` to the procedure, or give a fixed duration",
        "ajoutez `asks_severity = true` à la procédure, ou donnez une durée fixe",
    ),
    (
        "step `{}` can never be done: its gate waits, through other gates, on itself",
        "l'étape `{0}` ne pourra jamais être faite : son attente dépend, par d'autres attentes, d'elle-même",
    ),
    (
        "break the cycle of `gate.after` references",
        "cassez le cycle des références `gate.after`",
    ),
    (
        "step `{}` says the same as step `{}`: \"{}\"",
        "l'étape `{0}` dit la même chose que l'étape `{1}` : « {2} »",
    ),
    (
        "merge the two steps, or say how they differ",
        "fusionnez les deux étapes, ou dites en quoi elles diffèrent",
    ),
    (
        "no checklist (*.toml) files here",
        "aucun fichier de liste (*.toml) ici",
    ),
    (
        "point --catalog at a folder of .toml checklists, or at one file",
        "donnez à --catalog un dossier de listes .toml, ou un fichier",
    ),
    (
        "not UTF-8 text: invalid byte at offset {}",
        "pas du texte UTF-8 : octet invalide à la position {0}",
    ),
    ("cannot read: {}", "lecture impossible : {0}"),
    (
        "cannot list folder: {}",
        "impossible de lister le dossier : {0}",
    ),
    ("empty duration: expected {}", "durée vide : attendu {0}"),
    (
        "`{}` is not a duration: unexpected `{}`; expected {}",
        "`{0}` n'est pas une durée : `{1}` inattendu ; attendu {2}",
    ),
    (
        "`{}` is not a duration: a number must come before `{}`",
        "`{0}` n'est pas une durée : un nombre doit précéder `{1}`",
    ),
    (
        "`{}` is not a duration: units must go from largest to smallest, each once",
        "`{0}` n'est pas une durée : les unités vont de la plus grande à la plus petite, chacune une fois",
    ),
    (
        "`{}` is not a duration: the number is too large",
        "`{0}` n'est pas une durée : le nombre est trop grand",
    ),
    (
        "`{}` is too long a duration",
        "`{0}` est une durée trop longue",
    ),
    (
        "`{}` is not a duration: `{}` has no unit; expected {}",
        "`{0}` n'est pas une durée : `{1}` n'a pas d'unité ; attendu {2}",
    ),
    (
        "a token-like value must not be written in a checklist",
        "une valeur qui ressemble à un jeton ne doit pas être écrite dans une liste",
    ),
    ("a table ({})", "une table ({0})"),
    (
        "`run = true` runs the step's one command, and it has {}",
        "`run = true` exécute l'unique commande de l'étape, et elle en a {0}",
    ),
    (
        "name the command that runs: run = { shell = \"…\" } or run = { argv = [\"…\"] }",
        "nommez la commande exécutée : run = { shell = \"…\" } ou run = { argv = [\"…\"] }",
    ),
    (
        "a run table names one program: `argv` (a list, the program first) or `shell` (a line)",
        "une table run nomme un programme : `argv` (une liste, le programme d'abord) ou `shell` (une ligne)",
    ),
    (
        "`{}` is a secret: it is never written in a catalog",
        "`{0}` est un secret : il ne s'écrit jamais dans un catalogue",
    ),
    (
        "write `{} = \"${}\"` and set that variable in the environment",
        "écrivez `{0} = \"${{1}}\"` et donnez sa valeur à cette variable d'environnement",
    ),
    (
        "a command target needs the program to run",
        "une cible de type commande demande le programme à lancer",
    ),
    (
        "add `argv = [\"/usr/local/bin/notify-mail\", \"oncall@example.org\"]`",
        "ajoutez `argv = [\"/usr/local/bin/notify-mail\", \"oncall@example.org\"]`",
    ),
    ("a notification target", "une cible de notification"),
    (
        "a timeout of zero would stop the command at once",
        "un délai nul arrêterait la commande aussitôt",
    ),
    (
        "no {} `{}` to amend",
        "aucun id `{1}` de type {0} à modifier",
    ),
    ("known {}s: {}", "id connus de type {0} : {1}"),
    (
        "variable `{}` in {} is not set",
        "la variable `{0}` de {1} n'a pas de valeur",
    ),
    (
        "give it a value in a site file: [vars] {} = \"…\"",
        "donnez-lui une valeur dans un fichier de site : [vars] {0} = \"…\"",
    ),
    ("step `{}`", "l'étape `{0}`"),
    (
        "`{}` is not a time zone",
        "`{0}` n'est pas un fuseau horaire",
    ),
    (
        "a name of the tz database, such as `UTC` or `Europe/Paris`",
        "un nom de la base tz, comme `UTC` ou `Europe/Paris`",
    ),
    (
        "`{}` has no offset: write a day (`{}`) or an instant with its offset (`{}`)",
        "`{0}` n'a pas de décalage horaire : écrivez un jour (`{1}`) ou un instant avec son décalage (`{2}`)",
    ),
    (
        "`{}` is not a date: write a day (`{}`) or an instant (`{}`)",
        "`{0}` n'est pas une date : écrivez un jour (`{1}`) ou un instant (`{2}`)",
    ),
    (
        "the day the team started using runbook: nothing is owed for periods before it",
        "le jour où l'équipe a commencé à utiliser runbook : rien n'est dû pour les périodes d'avant",
    ),
    (
        "`{}` is not a cron expression",
        "`{0}` n'est pas une expression cron",
    ),
    (
        "{}; five fields: minute hour day-of-month month day-of-week",
        "{0} ; cinq champs : minute heure jour-du-mois mois jour-de-la-semaine",
    ),
    (
        "a `cron` expression says everything: leave out at, day, weekday and month",
        "une expression `cron` dit tout : retirez at, day, weekday et month",
    ),
    (
        "a schedule without `cron` needs the procedure's `recurrence`",
        "un calendrier sans `cron` demande la `recurrence` de la procédure",
    ),
    (
        "add `recurrence = \"daily\"` (or weekly, monthly, quarterly, yearly), or give `cron`",
        "ajoutez `recurrence = \"daily\"` (ou weekly, monthly, quarterly, yearly), ou donnez `cron`",
    ),
    (
        "a {} schedule has no `{}`",
        "un calendrier {0} n'a pas de `{1}`",
    ),
    (
        "a day of the month is 1 to 28, or \"last\"",
        "un jour du mois va de 1 à 28, ou \"last\"",
    ),
    (
        "days 29 to 31 do not come every month: write \"last\" for the month's end",
        "les jours 29 à 31 ne viennent pas tous les mois : écrivez \"last\" pour la fin du mois",
    ),
    ("a month is 1 to 12", "un mois va de 1 à 12"),
    ("1 is January", "1 est janvier"),
    (
        "write it as `HH:MM`, e.g. `09:00`, in the schedule's zone",
        "écrivez-la `HH:MM`, par ex. `09:00`, dans le fuseau du calendrier",
    ),
    (
        "emergency contact `{}` has no way to reach it",
        "le contact d'urgence `{0}` n'a aucun moyen d'être joint",
    ),
    (
        "contact `{}`, whom a step calls, has no way to reach it",
        "le contact `{0}`, qu'une étape fait appeler, n'a aucun moyen d'être joint",
    ),
    (
        "give its number in a site file: [[contact]] id = \"{}\" reach = \"…\"",
        "donnez son numéro dans un fichier de site : [[contact]] id = \"{0}\" reach = \"…\"",
    ),
    (
        "variable `{}` is empty; used by {}",
        "la variable `{0}` est vide ; utilisée par {1}",
    ),
    (
        "give its value here: {} = \"…\"",
        "donnez sa valeur ici : {0} = \"…\"",
    ),
    (
        "dashboard `{}` has no URL",
        "le tableau de bord `{0}` n'a pas d'adresse",
    ),
    (
        "give its address in a site file: [[dashboard]] id = \"{}\" url = \"https://…\"",
        "donnez son adresse dans un fichier de site : [[dashboard]] id = \"{0}\" url = \"https://…\"",
    ),
    (
        "nobody holds role `{}`, which steps {} require",
        "personne n'a le rôle `{0}`, que demandent les étapes {1}",
    ),
    (
        "name its holders in a site file: [[role]] id = \"{}\" holders = [\"login\"]",
        "nommez ses titulaires dans un fichier de site : [[role]] id = \"{0}\" holders = [\"login\"]",
    ),
    ("dashboard `{}`", "le tableau de bord `{0}`"),
    ("contact `{}`", "le contact `{0}`"),
    (
        "`{}` is not a variable name",
        "`{0}` n'est pas un nom de variable",
    ),
    (
        "letters, digits, `-` and `_`",
        "lettres, chiffres, `-` et `_`",
    ),
    (
        "a table of variables, `[vars]`",
        "une table de variables, `[vars]`",
    ),
];

/// What fills the holes: the kinds of things a checklist holds, and what a
/// value was expected to be.
const FRAGMENTS: &[(&str, &str)] = &[
    ("a status page viewer", "un lecteur de la page de statut"),
    ("a component", "un composant"),
    ("an update template", "un modèle de point de situation"),
    ("a checklist file", "un fichier de liste"),
    ("a site file", "un fichier de site"),
    ("a schedule", "un calendrier"),
    ("contact", "contact"),
    ("backup", "sauvegarde"),
    ("a procedure", "une procédure"),
    ("a section", "une section"),
    ("a step", "une étape"),
    ("a run", "une exécution"),
    (
        "a variable from the environment",
        "une variable de l'environnement",
    ),
    ("a gate", "une attente"),
    ("a deadline", "un délai"),
    ("a metric hold", "un maintien de métrique"),
    ("a criterion", "un critère"),
    ("a severity", "une sévérité"),
    ("a metric", "une métrique"),
    ("a metric source", "une source de métrique"),
    ("a dashboard", "un tableau de bord"),
    ("a maintenance window", "une fenêtre de maintenance"),
    ("a role", "un rôle"),
    ("an operator", "un opérateur"),
    ("a retired key", "une clé retirée"),
    ("OS account", "le compte système"),
    ("database login", "l'identifiant de base"),
    (
        "the identity policy, `[identity]`",
        "la politique d'identité, `[identity]`",
    ),
    ("a contact", "un contact"),
    ("a backup policy", "une politique de sauvegarde"),
    ("a string", "une chaîne"),
    ("true or false", "true ou false"),
    ("a number", "un nombre"),
    (
        "a whole number from 0 to 4294967295",
        "un nombre entier de 0 à 4294967295",
    ),
    (
        "a string or a table of languages",
        "une chaîne ou une table de langues",
    ),
    ("an array", "un tableau"),
    ("an integer", "un entier"),
    ("a float", "un nombre décimal"),
    ("a boolean", "un booléen"),
    ("a datetime", "une date"),
    ("a table", "une table"),
    (
        "a duration, `response`, `escalation`, or a table of durations by severity",
        "une durée, `response`, `escalation`, ou une table de durées par sévérité",
    ),
    (
        "a duration such as `15m`, `2h`, `1h30m`, `3d` (units y, w, d, h, m, s)",
        "une durée comme `15m`, `2h`, `1h30m`, `3d` (unités y, w, d, h, m, s)",
    ),
    ("procedure", "procédure"),
    ("section", "section"),
    ("step", "étape"),
    ("severity", "sévérité"),
    ("metric", "métrique"),
    ("dashboard", "tableau de bord"),
    ("window", "fenêtre"),
    ("role", "rôle"),
    ("response", "réponse"),
    ("escalation", "escalade"),
];

/// Splits `message` along `template`'s literal parts; the holes' contents.
fn holes<'m>(template: &str, message: &'m str) -> Option<Vec<&'m str>> {
    let parts: Vec<&str> = template.split("{}").collect();
    let (first, rest) = parts.split_first()?;
    let mut remaining = message.strip_prefix(first)?;
    let mut found = Vec::new();
    for (i, part) in rest.iter().enumerate() {
        let last = i + 1 == rest.len();
        let at = if last {
            if !remaining.ends_with(part) {
                return None;
            }
            remaining.len() - part.len()
        } else {
            remaining.find(part)?
        };
        found.push(&remaining[..at]);
        remaining = &remaining[at + part.len()..];
    }
    (rest.is_empty() && remaining.is_empty() || !rest.is_empty()).then_some(found)
}

/// A hole's content in French: a known fragment, a templated message, or
/// as it is (an id, a number, a path).
fn fill(text: &str) -> String {
    if let Some((_, fr)) = FRAGMENTS.iter().find(|(en, _)| *en == text) {
        return (*fr).to_owned();
    }
    translate(text).unwrap_or_else(|| text.to_owned())
}

fn translate(message: &str) -> Option<String> {
    for (english, french) in TEMPLATES {
        let Some(found) = holes(english, message) else {
            continue;
        };
        let mut out = (*french).to_owned();
        for (i, hole) in found.iter().enumerate() {
            out = out.replace(&format!("{{{i}}}"), &fill(hole));
        }
        return Some(out);
    }
    None
}

/// A diagnostic's message or help in French (unchanged when no template
/// knows it).
/// A diagnostic's message in the operator's language.
pub fn said(message: &str, words: &super::Words) -> String {
    if words.lang == "fr" {
        french(message)
    } else {
        message.to_owned()
    }
}

pub fn french(message: &str) -> String {
    translate(message).unwrap_or_else(|| message.to_owned())
}

#[cfg(test)]
mod tests {
    use super::french;

    #[test]
    fn templates_put_their_holes_in_french_order() {
        assert_eq!(
            french("unknown key `titel` in a step"),
            "clé inconnue `titel` dans une étape"
        );
        assert_eq!(
            french("expected a string, found an integer"),
            "attendu une chaîne, trouvé un entier"
        );
        assert_eq!(
            french("no role `cto` in procedure `x`"),
            "rôle `cto` introuvable dans la procédure `x`"
        );
        assert_eq!(french("something else"), "something else");
    }
}
