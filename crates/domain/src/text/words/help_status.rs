//! The French help of the commands that tell people outside the terminal
//! (`update`, `serve`, `breach-notice`): as `help.rs`, one English text of
//! the clap definitions beside its French.

pub const HELP: &[(&str, &str)] = &[
    (
        "Draft a breach's GDPR notification (to the authority, art. 33; to the people, art. 34) from the record, or record one as sent",
        "Rédiger la notification RGPD d'une violation (à l'autorité, art. 33 ; aux personnes, art. 34) d'après le journal, ou en enregistrer une comme envoyée",
    ),
    (
        "Examples:\n  runbook breach-notice breach-20261205-021400-ab12 --for authority > cnil.md\n  runbook breach-notice breach-20261205-021400-ab12 --for people --format json --out people.json\n  runbook breach-notice breach-20261205-021400-ab12 --for authority --sent --reference CNIL-2026-1142\n\nThe draft reads the breach procedure's steps (analyse, personal-data, data-categories, people-affected, records-affected, consequences, high-risk, measures-proposed, isolate, remediate) and the site's `dpo` contact, counts the 72 h from the run's start, and lists what the record does not hold yet. The first notification recorded as sent is the initial one, the next complementary (art. 33(4)); one to the authority past the 72 h needs --delay-reason.",
        "Exemples :\n  runbook breach-notice breach-20261205-021400-ab12 --for authority > cnil.md\n  runbook breach-notice breach-20261205-021400-ab12 --for people --format json --out people.json\n  runbook breach-notice breach-20261205-021400-ab12 --for authority --sent --reference CNIL-2026-1142\n\nLe brouillon lit les étapes de la procédure de violation (analyse, personal-data, data-categories, people-affected, records-affected, consequences, high-risk, measures-proposed, isolate, remediate) et le contact `dpo` du site, compte les 72 h depuis le début du déroulé, et liste ce que le journal ne contient pas encore. La première notification enregistrée comme envoyée est l'initiale, la suivante complémentaire (art. 33(4)) ; une notification à l'autorité au-delà des 72 h demande --delay-reason.",
    ),
    (
        "The breach run's id (see `runbook runs`)",
        "L'identifiant du déroulé de la violation (voir `runbook runs`)",
    ),
    (
        "Whom it is for: authority (art. 33) or people (art. 34)",
        "Pour qui : authority (l'autorité, art. 33) ou people (les personnes, art. 34)",
    ),
    (
        "Record that this notification was sent (with --reference)",
        "Enregistrer que cette notification a été envoyée (avec --reference)",
    ),
    (
        "With --sent: the authority's reference for it, or the message's",
        "Avec --sent : la référence que lui a donnée l'autorité, ou celle du message",
    ),
    (
        "With --sent, past the 72 h: why it comes late (recorded)",
        "Avec --sent, au-delà des 72 h : pourquoi elle arrive en retard (enregistré)",
    ),
    (
        "Serve the status page: public page, Statuspage summary, live events, the company's page",
        "Servir la page de statut : page publique, résumé Statuspage, événements en direct, page de l'entreprise",
    ),
    (
        "Examples:\n  runbook serve\n  runbook serve --listen 127.0.0.1:8080 --name Tontetic --url https://status.tontetic.example\n  runbook serve --hash-password < password.txt\n\nServes / (the public page: overall state, components, open incidents with their public updates, maintenances announced, the last 30 days' resolved; French or English by Accept-Language; live through server-sent events), /api/v2/summary.json (Statuspage's summary shape), and /internal (every update, the runs' progress and deadlines, the team's numbers) to the site's [[viewer]]s. Put it behind a reverse proxy for TLS; see packaging/runbook-serve.service.",
        "Exemples :\n  runbook serve\n  runbook serve --listen 127.0.0.1:8080 --name Tontetic --url https://status.tontetic.example\n  runbook serve --hash-password < password.txt\n\nSert / (la page publique : état général, composants, incidents ouverts avec leurs points de situation publics, maintenances annoncées, résolus des 30 derniers jours ; en français ou en anglais selon Accept-Language ; en direct par événements serveur), /api/v2/summary.json (la forme du résumé de Statuspage) et /internal (tous les points de situation, l'avancement et les échéances des déroulés, les chiffres de l'équipe) aux [[viewer]] du site. Placez-le derrière un proxy inverse pour le TLS ; voir packaging/runbook-serve.service.",
    ),
    (
        "Where to listen (behind a reverse proxy that adds TLS)",
        "Où écouter (derrière un proxy inverse qui ajoute le TLS)",
    ),
    (
        "The page's name; default: the site's `status_page_name` variable",
        "Le nom de la page ; par défaut : la variable `status_page_name` du site",
    ),
    (
        "The page's public address; default: the site's `status_page_url` variable",
        "L'adresse publique de la page ; par défaut : la variable `status_page_url` du site",
    ),
    (
        "Read a password on standard input, print its hash for a [[viewer]], and exit",
        "Lire un mot de passe sur l'entrée standard, afficher son hachage pour un [[viewer]], et sortir",
    ),
    (
        "Read a token on standard input, print its SHA-256 for a [[viewer]], and exit",
        "Lire un jeton sur l'entrée standard, afficher son SHA-256 pour un [[viewer]], et sortir",
    ),
    (
        "Tell the people outside the terminal where a run stands: a status update, public or internal",
        "Dire aux personnes hors du terminal où en est un déroulé : un point de situation, public ou interne",
    ),
    (
        "Examples:\n  runbook update incident-20261205-021400-ab12 --status investigating --impact major --component payments --public \"Some payments are failing; next update in 30 minutes.\"\n  runbook update incident-20261205-021400-ab12 --status identified --draft\n  runbook update rollback-20261205-031000-cd34 --status resolved --public\n\nThe update is a journal entry: who wrote it, when, its status, impact and components. A public one is shown on `runbook serve`'s status page and in `/api/v2/summary.json`; an internal one only on `/internal`. Without a message, the catalog's template for the run's procedure, severity and status is used, with the run's facts filled in; `--draft` prints it without recording. An update does the run's step marked `update` (the incident's communication, the rollback's notify-users, the breach's communicate) when you may do that step.",
        "Exemples :\n  runbook update incident-20261205-021400-ab12 --status investigating --impact major --component payments --public \"Some payments are failing; next update in 30 minutes.\"\n  runbook update incident-20261205-021400-ab12 --status identified --draft\n  runbook update rollback-20261205-031000-cd34 --status resolved --public\n\nLe point de situation est une entrée du journal : qui l'a écrit, quand, son état, son impact et ses composants. Un point public s'affiche sur la page de statut de `runbook serve` et dans `/api/v2/summary.json` ; un point interne seulement sur `/internal`. Sans message, le modèle du catalogue pour la procédure, la sévérité et l'état du déroulé est utilisé, avec les faits du déroulé en place ; `--draft` l'affiche sans rien enregistrer. Le point fait l'étape du déroulé marquée `update` (la communication de l'incident, le notify-users du rollback, le communicate de la fuite de données) quand vous pouvez faire cette étape.",
    ),
    (
        "What the people are told; without it, the catalog's template for the run",
        "Ce qui est dit aux gens ; sans lui, le modèle du catalogue pour ce déroulé",
    ),
    (
        "Where things stand: investigating, identified, monitoring or resolved",
        "Où en sont les choses : investigating, identified, monitoring ou resolved",
    ),
    (
        "How badly users are touched: none, minor, major or critical",
        "À quel point les utilisateurs sont touchés : none, minor, major ou critical",
    ),
    (
        "A component the update is about, by its catalog id (repeat for several)",
        "Un composant que concerne le point, par son identifiant dans le catalogue (à répéter)",
    ),
    (
        "Shown on the public status page; otherwise to the company only",
        "Affiché sur la page de statut publique ; sinon pour l'entreprise seulement",
    ),
    (
        "Print the template's draft for this run and status, record nothing",
        "Afficher le brouillon du modèle pour ce déroulé et cet état, sans rien enregistrer",
    ),
];
