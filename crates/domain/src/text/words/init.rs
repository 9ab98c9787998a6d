//! Words of `runbook init`: the starter site file's comments, and what the
//! command says.

words! {
    /// Words of `runbook init`.
    pub struct Init;
    fixed {
        head_keep: "# Keep it in your team's operations repository, reviewed like code, and\n# point every operator at it (the config's `site`, or RUNBOOK_SITE).", "# Gardez-le dans le dépôt d'exploitation de l'équipe, relu comme du code,\n# et indiquez-le à chaque opérateur (`site` dans la config, ou RUNBOOK_SITE).";
        head_blank: "# Each empty value (\"\" or []) is still to give: `runbook check --strict`\n# lists them, one per line, with the line where each goes. The format is\n# in docs/checklist-format.md, \"Site layers\".", "# Chaque valeur vide (\"\" ou []) reste à donner : `runbook check --strict`\n# les liste, une par ligne, avec la ligne où chacune va. Le format est dans\n# docs/checklist-format.md, « Site layers ».";
        since: "# Recurring duties owe nothing from before the journal's first entry. To\n# start them later, give the day, per duty or for all (`duties_since` in\n# ~/.config/runbook/config.toml):\n# [[procedure]]\n# id = \"reconciliation-daily\"\n# schedule = { since = 2027-01-04 }", "# Les tâches récurrentes ne doivent rien d'avant la première entrée du\n# journal. Pour les commencer plus tard, donnez le jour, par tâche ou pour\n# toutes (`duties_since` dans ~/.config/runbook/config.toml) :\n# [[procedure]]\n# id = \"reconciliation-daily\"\n# schedule = { since = 2027-01-04 }";
        vars: "# Values the procedures' commands and texts use as ${name}.", "# Valeurs que les commandes et textes des procédures utilisent en ${name}.";
        contacts: "# How to reach each contact at 3 a.m.: a phone number, an address. Shown\n# by `runbook contacts --emergency` and the console's reference screen (r).", "# Comment joindre chaque contact à 3 h du matin : un numéro, une adresse.\n# Affiché par `runbook contacts --emergency` et l'écran de référence (r).";
        roles: "# Who holds each role: login names, as RUNBOOK_OPERATOR or the account\n# gives them. A step signed off by a role is ticked only by its holders.", "# Qui tient chaque rôle : les noms de connexion, tels que RUNBOOK_OPERATOR\n# ou le compte les donnent. Une étape validée par un rôle n'est cochée que\n# par ses titulaires.";
        other_roles: "# Roles no step requires (who may do what: `runbook access`):", "# Rôles qu'aucune étape ne demande (qui peut quoi : `runbook access`) :";
        dashboards: "# Where each dashboard is: `runbook dashboards` and the console (r) open it.", "# Où est chaque tableau de bord : `runbook dashboards` et la console (r) l'ouvrent.";
        metrics: "# Live metrics are read from Prometheus at the address in the environment\n# variable RUNBOOK_PROMETHEUS_URL, its token (if any) in\n# RUNBOOK_PROMETHEUS_TOKEN, never in this file:\n#   export RUNBOOK_PROMETHEUS_URL=http://prometheus.internal:9090\n# A metric can be read from elsewhere; the thresholds stay the catalog's:", "# Les métriques sont lues dans Prometheus à l'adresse de la variable\n# d'environnement RUNBOOK_PROMETHEUS_URL, son jeton (s'il y en a un) dans\n# RUNBOOK_PROMETHEUS_TOKEN, jamais dans ce fichier :\n#   export RUNBOOK_PROMETHEUS_URL=http://prometheus.internal:9090\n# Une métrique peut être lue ailleurs ; les seuils restent ceux du catalogue :";
        notify: "# Whom to tell (secrets come from the environment, never from this file).\n# A pager for P1 and P2 incidents, and the team's chat:", "# Qui prévenir (les secrets viennent de l'environnement, jamais de ce fichier).\n# Un pager pour les incidents P1 et P2, et la messagerie de l'équipe :";
        next_default: "next: fill them in, then `runbook check --strict` lists what is still missing", "ensuite : remplissez-les, puis `runbook check --strict` liste ce qui manque encore";
        nothing: "# The catalog lacks nothing a site gives: this file amends nothing yet.", "# Il ne manque au catalogue rien de ce qu'un site donne : ce fichier ne modifie rien encore.";
        exists_hint: "runbook init never overwrites a file: edit it, or give another path with --site", "runbook init n'écrase jamais un fichier : modifiez-le, ou donnez un autre chemin avec --site";
        one_site: "runbook init: give one --site, the file to write", "runbook init : donnez un seul --site, le fichier à écrire";
        no_home: "runbook init: no home folder to write ~/.config/runbook/site.toml in: give --site PATH", "runbook init : pas de dossier personnel où écrire ~/.config/runbook/site.toml : donnez --site CHEMIN";
    }
    shaped {
        head(date: &str): "# runbook site file: what the bundled runbook cannot know about your team.\n# Written by `runbook init` on {date}.", "# Fichier de site de runbook : ce que le runbook fourni ne peut pas savoir\n# de votre équipe. Écrit par `runbook init` le {date}.";
        used_by(steps: &str): "# used by {steps}", "# utilisée par {steps}";
        signs_off(steps: &str): "# signs off {steps}", "# valide {steps}";
        exists(path: &str): "runbook init: {path} exists", "runbook init : {path} existe";
        cannot_write(path: &str, why: &str): "runbook init: cannot write {path}: {why}", "runbook init : impossible d'écrire {path} : {why}";
        wrote(path: &str, count: usize): "wrote {path}: {count} value(s) to give, each commented with what it is and where it is used", "écrit {path} : {count} valeur(s) à donner, chacune commentée (ce qu'elle est, où elle sert)";
        next_site(path: &str): "next: fill them in, then `runbook --site {path} check --strict` lists what is still missing; add `site = [\"{path}\"]` to ~/.config/runbook/config.toml to use it everywhere", "ensuite : remplissez-les, puis `runbook --site {path} check --strict` liste ce qui manque encore ; ajoutez `site = [\"{path}\"]` à ~/.config/runbook/config.toml pour l'utiliser partout";
    }
}
