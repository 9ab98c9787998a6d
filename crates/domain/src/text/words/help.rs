//! The command line's `--help` in French: each English text of the clap
//! definitions (`src/cli.rs`) beside its French. A text missing here stays
//! English in French help; `tests/french.rs` reads every `--help` in French
//! and fails on any English word, so a new flag cannot slip through.

const HELP: &[(&str, &str)] = &[
    (
        "The journal's identity policy: publish the team's, or show the one in force",
        "La politique d'identité du journal : publier celle de l'équipe, ou montrer celle en vigueur",
    ),
    (
        "Publish the site's operators, keys and roles into the journal, signed with your key",
        "Publier dans le journal les opérateurs, clés et rôles du site, signés de votre clé",
    ),
    (
        "Examples:\n  runbook --site team.toml policy publish --publisher tech-lead\n  runbook --site team.toml policy publish\n\nFrom its entry on, every process judges by the journal's policy, not by its own site: a role or key added in a local site layer grants nothing. The journal's first policy is trusted on first use (and said so); each later one must be signed by a holder of a role the policy in force names as a publisher.",
        "Exemples :\n  runbook --site team.toml policy publish --publisher tech-lead\n  runbook --site team.toml policy publish\n\nÀ partir de son entrée, tout processus juge selon la politique du journal, non selon son propre site : un rôle ou une clé ajoutés dans une couche de site locale n'accordent rien. La première politique du journal est admise à la première utilisation (et c'est dit) ; chacune des suivantes doit être signée par un titulaire d'un rôle que la politique en vigueur nomme comme éditeur.",
    ),
    (
        "Show the identity policy in force",
        "Montrer la politique d'identité en vigueur",
    ),
    (
        "A role whose holders may publish the next policy (repeat for more); default: the roles the policy in force names",
        "Un rôle dont les titulaires pourront publier la politique suivante (à répéter) ; par défaut : les rôles que nomme la politique en vigueur",
    ),
    (
        "Settle what a closed run still owes (a legal notification, a post-mortem) with a reason",
        "Régler ce qu'un déroulé clos doit encore (une notification légale, un post-mortem), avec une raison",
    ),
    (
        "Examples:\n  runbook settle breach-20261124-001521-ab12 notify-cnil --reason \"No personal data: the leaked table held only public product ids\"\n\nA finished or aborted run that left a step with a fixed deadline (the CNIL notification) or its post-mortem undone owes it: `runbook due` lists it until a holder of the step's role settles it here, and `audit verify` judges the settlement again.",
        "Exemples :\n  runbook settle breach-20261124-001521-ab12 notify-cnil --reason \"Aucune donnée personnelle : la table divulguée ne contenait que des identifiants publics de produits\"\n\nUn déroulé terminé ou abandonné qui a laissé non faite une étape à délai fixe (la notification CNIL) ou son post-mortem la doit : `runbook due` la liste jusqu'à ce qu'un titulaire du rôle de l'étape la règle ici, et `audit verify` juge ce règlement à nouveau.",
    ),
    ("The owed step's id", "L'identifiant de l'étape due"),
    (
        "Why it is settled without being done (recorded)",
        "Pourquoi elle est réglée sans être faite (enregistré)",
    ),
    (
        "Write a run's post-mortem draft, or record its post-mortem as written",
        "Écrire le brouillon du post-mortem d'un déroulé, ou enregistrer son post-mortem comme rédigé",
    ),
    (
        "Examples:\n  runbook postmortem incident-20261124-001521-ab12 > postmortem.md\n  runbook postmortem incident-20261124-001521-ab12 --format json --out pm.json\n  runbook postmortem incident-20261124-001521-ab12 --done --link https://wiki/pm/42\n  runbook postmortem incident-20261124-001521-ab12 --done --document pm.pdf\n\nA finished or aborted run whose post-mortem step was not done owes one: `runbook due` lists it until --done records it.",
        "Exemples :\n  runbook postmortem incident-20261124-001521-ab12 > postmortem.md\n  runbook postmortem incident-20261124-001521-ab12 --format json --out pm.json\n  runbook postmortem incident-20261124-001521-ab12 --done --link https://wiki/pm/42\n  runbook postmortem incident-20261124-001521-ab12 --done --document pm.pdf\n\nUn déroulé terminé ou abandonné dont l'étape de post-mortem n'a pas été faite en doit un : `runbook due` le liste jusqu'à ce que --done l'enregistre.",
    ),
    (
        "Actions decided after a run: add them, list them, close them",
        "Les actions décidées après un déroulé : les ajouter, les lister, les clore",
    ),
    (
        "The team's numbers: runs, incidents, delivery, post-mortems and follow-ups",
        "Les chiffres de l'équipe : déroulés, incidents, livraison, post-mortems et suivis",
    ),
    (
        "Examples:\n  runbook stats\n  runbook stats --since 30d\n  runbook stats --since 365d --json > stats.json\n\nDrills are counted apart, never with real runs.",
        "Exemples :\n  runbook stats\n  runbook stats --since 30d\n  runbook stats --since 365d --json > stats.json\n\nLes exercices sont comptés à part, jamais avec les vrais déroulés.",
    ),
    (
        "The draft's format: md (Markdown) or json",
        "Le format du brouillon : md (Markdown) ou json",
    ),
    (
        "Write the draft to this file instead of standard output",
        "Écrire le brouillon dans ce fichier plutôt que sur la sortie standard",
    ),
    (
        "Record that the run's post-mortem is written (it is then owed no more)",
        "Enregistrer que le post-mortem du déroulé est rédigé (il n'est alors plus dû)",
    ),
    (
        "With --done: where the post-mortem is",
        "Avec --done : où se trouve le post-mortem",
    ),
    (
        "With --done: the post-mortem's file, whose SHA-256 is recorded",
        "Avec --done : le fichier du post-mortem, dont le SHA-256 est enregistré",
    ),
    (
        "The moment the draft is made at, in UTC; default now",
        "Le moment auquel le brouillon est établi, en UTC ; par défaut maintenant",
    ),
    (
        "Add an action decided after a run",
        "Ajouter une action décidée après un déroulé",
    ),
    (
        "Examples:\n  runbook followup add incident-20261124-001521-ab12 \"Alert on webhook lag\" --owner alice --due 7d\n  runbook followup add rollback-20261124-001521-ab12 \"Add a canary\" --due 2026-12-24\n\n--due takes a duration from now (7d, 36h) or a date (the end of that day, UTC) or a time.",
        "Exemples :\n  runbook followup add incident-20261124-001521-ab12 \"Alerter sur le retard des webhooks\" --owner alice --due 7d\n  runbook followup add rollback-20261124-001521-ab12 \"Ajouter un canari\" --due 2026-12-24\n\n--due prend une durée à partir de maintenant (7d, 36h), une date (la fin de ce jour, UTC) ou une heure.",
    ),
    (
        "List follow-ups, overdue first",
        "Lister les suivis, ceux en retard d'abord",
    ),
    (
        "Examples:\n  runbook followup list\n  runbook followup list --open\n  runbook followup list --run incident-20261124-001521-ab12 --json",
        "Exemples :\n  runbook followup list\n  runbook followup list --open\n  runbook followup list --run incident-20261124-001521-ab12 --json",
    ),
    ("Mark a follow-up done", "Marquer un suivi comme fait"),
    (
        "Examples:\n  runbook followup done 1042 --note \"merged in #812\"",
        "Exemples :\n  runbook followup done 1042 --note \"fusionné dans #812\"",
    ),
    (
        "Give a follow-up up, saying why",
        "Abandonner un suivi, en disant pourquoi",
    ),
    (
        "Examples:\n  runbook followup drop 1042 --reason \"superseded by the new alerting\"",
        "Exemples :\n  runbook followup drop 1042 --reason \"remplacé par la nouvelle alerte\"",
    ),
    ("The run it comes from", "Le déroulé dont il vient"),
    ("What is to be done", "Ce qu'il faut faire"),
    ("Who is to do it", "Qui doit le faire"),
    (
        "When it is due: a duration from now (7d) or a date (2026-12-24)",
        "Son échéance : une durée à partir de maintenant (7d) ou une date (2026-12-24)",
    ),
    ("Only those still open", "Seulement ceux encore ouverts"),
    ("Only those of this run", "Seulement ceux de ce déroulé"),
    (
        "The moment to judge them at, in UTC; default now",
        "Le moment auquel les juger, en UTC ; par défaut maintenant",
    ),
    (
        "The follow-up's number (see `runbook followup list`)",
        "Le numéro du suivi (voir `runbook followup list`)",
    ),
    ("What was done", "Ce qui a été fait"),
    ("Why it is given up", "Pourquoi il est abandonné"),
    (
        "How far back to count: runs started within this time before --at",
        "Jusqu'où remonter : les déroulés commencés dans ce délai avant --at",
    ),
    (
        "The moment to count up to, in UTC; default now",
        "Le moment jusqu'auquel compter, en UTC ; par défaut maintenant",
    ),
    (
        "Rehearse a procedure on a simulated clock, fed by a scenario, and score it",
        "Répéter une procédure sur une horloge simulée, nourrie par un scénario, et la noter",
    ),
    (
        "Examples:\n  runbook drill incident --severity P1\n  runbook drill incident --speed 600 --scenario p1-outage\n  runbook drill deploy --scenario ./scenarios/bad-deploy.toml\n\nA drill is marked in every journal entry it makes, and left out of the run list, the duties and the notifications (but for targets marked `drill = true`).\nIn the console, `+` moves the drill clock to the next gate or deadline. The score is printed when the console closes.",
        "Exemples :\n  runbook drill incident --severity P1\n  runbook drill incident --speed 600 --scenario p1-outage\n  runbook drill deploy --scenario ./scenarios/bad-deploy.toml\n\nUn exercice est marqué dans chaque entrée du journal qu'il écrit, et laissé hors de la liste des déroulés, des tâches récurrentes et des notifications (sauf pour les cibles marquées `drill = true`).\nDans la console, `+` avance l'horloge de l'exercice jusqu'à la prochaine attente ou échéance. La note s'affiche à la fermeture de la console.",
    ),
    (
        "Play a recorded run back in the console, read-only, its timing compressed",
        "Rejouer un déroulé enregistré dans la console, en lecture seule, son rythme accéléré",
    ),
    (
        "Examples:\n  runbook replay incident-20261124-001521-ab12\n  runbook replay drill-incident-20261125-101500-9f3c --speed 600\n\nKeys: space pauses, → steps one entry, + jumps to the next step event, g and G go to the start and the end, q leaves.",
        "Exemples :\n  runbook replay incident-20261124-001521-ab12\n  runbook replay drill-incident-20261125-101500-9f3c --speed 600\n\nTouches : espace suspend ou reprend, → avance d'une entrée, + saute à la prochaine étape, g et G vont au début et à la fin, q quitte.",
    ),
    (
        "The procedure to rehearse (see `runbook list`); the scenario's when not given",
        "La procédure à répéter (voir `runbook list`) ; celle du scénario à défaut",
    ),
    (
        "The severity, for procedures that ask for one (e.g. P1); the scenario's when not given",
        "La sévérité, pour les procédures qui en demandent une (par ex. P1) ; celle du scénario à défaut",
    ),
    (
        "How many times faster than real time the drill clock runs; the scenario's, or 60",
        "Combien de fois plus vite que le temps réel avance l'horloge de l'exercice ; celle du scénario, ou 60",
    ),
    (
        "A scenario file, or a bundled scenario (p1-outage, bad-deploy, data-breach)",
        "Un fichier de scénario, ou un scénario fourni (p1-outage, bad-deploy, data-breach)",
    ),
    (
        "The run's id (see `runbook runs --drills`)",
        "L'id du déroulé (voir `runbook runs --drills`)",
    ),
    (
        "How many times faster than recorded the entries follow each other",
        "Combien de fois plus vite qu'enregistré les entrées se suivent",
    ),
    (
        "Count drills as if they were real runs",
        "Compter les exercices comme des déroulés réels",
    ),
    ("List drills too", "Lister aussi les exercices"),
    (
        "Send notifications and anchor journal heads while no console is open",
        "Envoyer les notifications et ancrer les têtes du journal quand aucune console n'est ouverte",
    ),
    (
        "Examples:\n  runbook watch\n  RUNBOOK_JOURNAL=/srv/runbook/journal.jsonl runbook watch\n\nOne watch per journal (a lock beside it). Runs until SIGTERM or Ctrl-C; see packaging/runbook-watch.service (installed by the Debian package).",
        "Exemples :\n  runbook watch\n  RUNBOOK_JOURNAL=/srv/runbook/journal.jsonl runbook watch\n\nUn seul watch par journal (un verrou à côté de lui). Tourne jusqu'à SIGTERM ou Ctrl-C ; voir packaging/runbook-watch.service (installé par le paquet Debian).",
    ),
    (
        "Notification targets: send a test event, list what is not delivered",
        "Cibles de notification : envoyer un événement de test, lister ce qui n'est pas remis",
    ),
    (
        "Send a test event to one target now and print its answer",
        "Envoyer tout de suite un événement de test à une cible et afficher sa réponse",
    ),
    (
        "Examples:\n  runbook notify test oncall\n  runbook notify test team-chat",
        "Exemples :\n  runbook notify test oncall\n  runbook notify test team-chat",
    ),
    (
        "List the notifications not delivered yet, and those refused",
        "Lister les notifications pas encore remises, et celles refusées",
    ),
    (
        "Examples:\n  runbook notify pending\n  runbook notify pending --json",
        "Exemples :\n  runbook notify pending\n  runbook notify pending --json",
    ),
    (
        "The target's id (its `[[notify]]` entry)",
        "L'identifiant de la cible (son entrée `[[notify]]`)",
    ),
    (
        "A file of anchored heads, as an anchor target keeps them: each must still be in the chain",
        "Un fichier de têtes ancrées, tel qu'une cible d'ancrage les garde : chacune doit être encore dans la chaîne",
    ),
    (
        "What is done, due or overdue: recurring duties (daily reconciliation, monthly and quarterly checklists), post-mortems owed, follow-ups",
        "Ce qui est fait, à faire ou en retard : tâches récurrentes (rapprochement quotidien, listes mensuelles et trimestrielles), post-mortems dus, suivis",
    ),
    (
        "Examples:\n  runbook due\n  runbook due --at 2026-12-01T10:00Z\n  runbook due --json\n\nExit codes, as monitoring plugins: 0 all done, 1 something due within its grace (or a follow-up overdue), 2 something overdue, 3 the journal cannot be read.",
        "Exemples :\n  runbook due\n  runbook due --at 2026-12-01T10:00Z\n  runbook due --json\n\nCodes de sortie, comme les greffons de supervision : 0 tout est fait, 1 une tâche est à faire dans son délai (ou un suivi en retard), 2 une tâche est en retard, 3 le journal est illisible.",
    ),
    (
        "A terminal runbook console for on-call operators",
        "Une console de procédures, dans le terminal, pour les opérateurs d'astreinte",
    ),
    (
        "runbook walks operators through deploy, rollback, incident, maintenance, security, recovery, reconciliation and compliance procedures, with the deadlines and thresholds that matter. With no command it opens the full-screen console.\n\nThe catalog of procedures is read from --catalog, else RUNBOOK_CATALOG, else the config file's `catalog`, else ~/.config/runbook/checklists, else the checklists bundled in the binary. Settings: ~/.config/runbook/config.toml (see `runbook config`).",
        "runbook guide les opérateurs pas à pas dans les procédures de déploiement, de retour arrière, d'incident, de maintenance, de sécurité, de reprise, de rapprochement et de conformité, avec les délais et les seuils qui comptent. Sans commande, il ouvre la console plein écran.\n\nLe catalogue des procédures est lu depuis --catalog, sinon RUNBOOK_CATALOG, sinon le `catalog` du fichier de configuration, sinon ~/.config/runbook/checklists, sinon les listes fournies avec le programme. Réglages : ~/.config/runbook/config.toml (voir `runbook config`).",
    ),
    (
        "Examples:\n  runbook list\n  runbook show deploy\n  runbook check --strict ./checklists\n  runbook window --at 2026-11-29T01:00Z",
        "Exemples :\n  runbook list\n  runbook show deploy\n  runbook check --strict ./checklists\n  runbook window --at 2026-11-29T01:00Z",
    ),
    (
        "Checklist file or folder to load instead of the default catalog (repeatable)",
        "Fichier ou dossier de listes à charger au lieu du catalogue habituel (peut se répéter)",
    ),
    (
        "Language of the texts shown, e.g. `fr` or `en` (default: from LANG)",
        "Langue des textes affichés, par ex. `fr` ou `en` (à défaut : d'après LANG)",
    ),
    (
        "The journal file (default: RUNBOOK_JOURNAL, else ~/.local/state/runbook/journal.jsonl)",
        "Le fichier journal (à défaut : RUNBOOK_JOURNAL, sinon ~/.local/state/runbook/journal.jsonl)",
    ),
    (
        "Colour theme of the console: dark, light, high-contrast or mono",
        "Thème de couleurs de la console : dark, light, high-contrast ou mono",
    ),
    (
        "Validate checklists and summarise what was loaded",
        "Valider les listes et résumer ce qui a été chargé",
    ),
    (
        "Examples:\n  runbook check\n  runbook check ./my-checklists\n  runbook check --strict deploy.toml rollback.toml\n\nExit codes: 0 valid, 2 errors (or warnings with --strict).",
        "Exemples :\n  runbook check\n  runbook check ./mes-listes\n  runbook check --strict deploy.toml rollback.toml\n\nCodes de sortie : 0 valide, 2 erreurs (ou avertissements avec --strict).",
    ),
    (
        "List the procedures with their step counts",
        "Lister les procédures avec leur nombre d'étapes",
    ),
    (
        "Examples:\n  runbook list\n  runbook list --json | jq '.[].id'",
        "Exemples :\n  runbook list\n  runbook list --json | jq '.[].id'",
    ),
    (
        "Print one procedure as readable text",
        "Afficher une procédure en texte lisible",
    ),
    (
        "Examples:\n  runbook show deploy\n  runbook show breach --lang fr\n  runbook show rollback --json",
        "Exemples :\n  runbook show deploy\n  runbook show breach --lang fr\n  runbook show rollback --json",
    ),
    (
        "Print the severity table",
        "Afficher le tableau des sévérités",
    ),
    (
        "Examples:\n  runbook severity\n  runbook severity --json",
        "Exemples :\n  runbook severity\n  runbook severity --json",
    ),
    (
        "Say whether a maintenance window is open, when the next opens, and whether its notice can still be given",
        "Dire si une fenêtre de maintenance est ouverte, quand s'ouvre la suivante, et si son préavis peut encore être donné",
    ),
    (
        "Examples:\n  runbook window\n  runbook window --at 2026-11-29T02:30Z\n  runbook window --at '2026-11-25 01:00' --json\n\nTimes are UTC.",
        "Exemples :\n  runbook window\n  runbook window --at 2026-11-29T02:30Z\n  runbook window --at '2026-11-25 01:00' --json\n\nLes heures sont en UTC.",
    ),
    (
        "Start a run of a procedure and walk through it",
        "Commencer le déroulé d'une procédure et le suivre pas à pas",
    ),
    (
        "Examples:\n  runbook run deploy --plain\n  runbook run incident --severity P1 --plain\n  printf 'done 120 tests passed\\nquit\\n' | runbook run deploy --plain\n\nIn line mode, type `help` for the commands.",
        "Exemples :\n  runbook run deploy --plain\n  runbook run incident --severity P1 --plain\n  printf 'fait 120 tests réussis\\nquitter\\n' | runbook run deploy --plain\n\nEn mode ligne, tapez `aide` pour les commandes.",
    ),
    (
        "Resume an open run (yours, most recent first, when no id is given)",
        "Reprendre un déroulé ouvert (le vôtre, le plus récent d'abord, sans id)",
    ),
    (
        "Examples:\n  runbook resume --plain\n  runbook resume deploy-20261124-001521-ab12 --plain",
        "Exemples :\n  runbook resume --plain\n  runbook resume deploy-20261124-001521-ab12 --plain",
    ),
    (
        "Examples:\n  runbook exec deploy-20261124-001521-ab12 verify-tests --yes\n  runbook exec rollback-20261124-001521-ab12 restore-db --dry-run\n  runbook exec rollback-20261124-001521-ab12 restore-db --confirm restore-db\n\nRuns only steps the catalog marks `run`, and only where the config says `exec = true`.\nExits with the command's own status (128 + the signal when one ended it).",
        "Exemples :\n  runbook exec deploy-20261124-001521-ab12 verify-tests --yes\n  runbook exec rollback-20261124-001521-ab12 restore-db --dry-run\n  runbook exec rollback-20261124-001521-ab12 restore-db --confirm restore-db\n\nNe lance que les étapes que le catalogue marque `run`, et seulement là où la configuration dit `exec = true`.\nSort avec le code de la commande elle-même (128 + le signal quand un signal l'a terminée).",
    ),
    (
        "Run a step's command, record it in the journal, and print its output",
        "Lancer la commande d'une étape, l'enregistrer au journal, et afficher sa sortie",
    ),
    (
        "The step whose command runs",
        "L'étape dont la commande est lancée",
    ),
    (
        "Confirms an ordinary step's command without asking",
        "Confirme la commande d'une étape ordinaire sans demander",
    ),
    (
        "Confirms a step that cannot be undone: its id, typed again",
        "Confirme une étape irréversible : son id, tapé à nouveau",
    ),
    (
        "Shows exactly what would run, and runs nothing",
        "Montre exactement ce qui serait lancé, et ne lance rien",
    ),
    (
        "Approves, as the second operator, a two-person step's command",
        "Approuve, en second opérateur, la commande d'une étape à deux personnes",
    ),
    (
        "List the runs in the journal, with progress and deadlines",
        "Lister les déroulés du journal, avec leur avancement et leurs délais",
    ),
    (
        "Examples:\n  runbook runs\n  runbook runs --open\n  runbook runs --json",
        "Exemples :\n  runbook runs\n  runbook runs --open\n  runbook runs --json",
    ),
    (
        "Write a run's timeline: who did what and when, for the post-mortem",
        "Écrire la chronologie d'un déroulé : qui a fait quoi et quand, pour le post-mortem",
    ),
    (
        "Examples:\n  runbook report incident-20261124-001521-ab12\n  runbook report incident-20261124-001521-ab12 --format json > timeline.json",
        "Exemples :\n  runbook report incident-20261124-001521-ab12\n  runbook report incident-20261124-001521-ab12 --format json > chronologie.json",
    ),
    ("Check and read the journal", "Vérifier et lire le journal"),
    (
        "Create a database journal, and move a journal between a file and a database",
        "Créer un journal en base, et déplacer un journal entre un fichier et une base",
    ),
    (
        "Create the journal's table in the database named by --journal, append-only",
        "Créer la table du journal dans la base que nomme --journal, en ajout seul",
    ),
    (
        "Examples:\n  runbook journal init --journal 'postgres://ops@db.internal/runbook?sslmode=verify-full'\n  runbook journal init --journal postgres://admin@127.0.0.1/runbook --grant operators\n\nThe password comes from ${RUNBOOK_PG_PASSWORD} in the URL, PGPASSWORD or ~/.pgpass.",
        "Exemples :\n  runbook journal init --journal 'postgres://ops@db.internal/runbook?sslmode=verify-full'\n  runbook journal init --journal postgres://admin@127.0.0.1/runbook --grant operators\n\nLe mot de passe vient de ${RUNBOOK_PG_PASSWORD} dans l'URL, de PGPASSWORD ou de ~/.pgpass.",
    ),
    (
        "Copy every line of the journal to a new file, byte for byte",
        "Copier chaque ligne du journal dans un nouveau fichier, octet pour octet",
    ),
    (
        "Examples:\n  runbook journal export backup.jsonl --journal postgres://ops@db.internal/runbook\n  runbook audit verify --journal backup.jsonl",
        "Exemples :\n  runbook journal export backup.jsonl --journal postgres://ops@db.internal/runbook\n  runbook audit verify --journal backup.jsonl",
    ),
    (
        "Append a journal file's lines to the journal, chain checked first",
        "Ajouter au journal les lignes d'un fichier journal, chaîne vérifiée d'abord",
    ),
    (
        "Examples:\n  runbook journal import ~/.local/state/runbook/journal.jsonl --journal postgres://ops@db.internal/runbook\n\nThe journal must be empty, or hold the first lines of the file (an import cut short goes on).",
        "Exemples :\n  runbook journal import ~/.local/state/runbook/journal.jsonl --journal postgres://ops@db.internal/runbook\n\nLe journal doit être vide, ou contenir les premières lignes du fichier (un import interrompu reprend).",
    ),
    (
        "The operators' role: it may read and append, nothing else",
        "Le rôle des opérateurs : il peut lire et ajouter, rien d'autre",
    ),
    ("The journal file", "Le fichier journal"),
    (
        "Print the whole output of a command, checked against its entry",
        "Afficher la sortie complète d'une commande, vérifiée d'après son entrée",
    ),
    (
        "Examples:\n  runbook journal output 1234\n  runbook journal output 1234 --out deploy.log\n\nSEQ is the command's `command_started` entry, as `runbook report` names it (#1234). On a database journal the output is read from the database, whichever host ran it.",
        "Exemples :\n  runbook journal output 1234\n  runbook journal output 1234 --out deploy.log\n\nSEQ est l'entrée `command_started` de la commande, telle que `runbook report` la nomme (#1234). Sur un journal en base, la sortie est lue dans la base, quel que soit l'hôte qui l'a produite.",
    ),
    (
        "The command's entry (its `command_started`)",
        "L'entrée de la commande (son `command_started`)",
    ),
    (
        "Write it to this new file instead of the standard output",
        "L'écrire dans ce nouveau fichier plutôt que sur la sortie standard",
    ),
    (
        "Read the metrics now and judge them against their thresholds",
        "Lire les métriques maintenant et les juger d'après leurs seuils",
    ),
    (
        "Examples:\n  runbook metrics\n  runbook metrics --json\n  runbook metrics --watch\n\nExit codes, as monitoring plugins: 0 OK, 1 WARNING (alert), 2 CRITICAL, 3 UNKNOWN (error, stale, or no source).",
        "Exemples :\n  runbook metrics\n  runbook metrics --json\n  runbook metrics --watch\n\nCodes de sortie, comme les greffons de supervision : 0 correct, 1 attention (alerte), 2 critique, 3 inconnu (erreur, mesure périmée ou pas de source).",
    ),
    (
        "Write a starter site file: every value the bundled runbook cannot know, to fill in",
        "Écrire un fichier de site de départ : chaque valeur que le runbook fourni ne peut connaître, à remplir",
    ),
    (
        "Examples:\n  runbook init\n  runbook init --site ~/ops/runbook/site.toml\n  runbook --lang fr init\n\nWrites ~/.config/runbook/site.toml (read by every runbook of this account), or the --site file; never over an existing file.\nEach value to give is left empty (\"\" or []) and commented; `runbook check --strict` then lists what is still missing.",
        "Exemples :\n  runbook init\n  runbook init --site ~/ops/runbook/site.toml\n  runbook --lang fr init\n\nÉcrit ~/.config/runbook/site.toml (lu par chaque runbook de ce compte), ou le fichier de --site ; jamais par-dessus un fichier existant.\nChaque valeur à donner est laissée vide (\"\" ou []) et commentée ; `runbook check --strict` liste ensuite ce qui manque encore.",
    ),
    (
        "Print a shell completion script: bash, zsh, fish, elvish or powershell",
        "Afficher un script de complétion pour le shell : bash, zsh, fish, elvish ou powershell",
    ),
    (
        "Examples:\n  runbook completions bash > ~/.local/share/bash-completion/completions/runbook\n  runbook completions zsh > ~/.zfunc/_runbook\n  runbook completions fish > ~/.config/fish/completions/runbook.fish\n\nThe Debian package installs them for bash, zsh and fish.",
        "Exemples :\n  runbook completions bash > ~/.local/share/bash-completion/completions/runbook\n  runbook completions zsh > ~/.zfunc/_runbook\n  runbook completions fish > ~/.config/fish/completions/runbook.fish\n\nLe paquet Debian les installe pour bash, zsh et fish.",
    ),
    ("The shell", "Le shell"),
    (
        "Print the manual page, or write one page per command to a folder",
        "Afficher la page de manuel, ou écrire une page par commande dans un dossier",
    ),
    (
        "Examples:\n  runbook man | man -l -\n  runbook man --dir ~/.local/share/man/man1\n\nThe pages (runbook.1, runbook-run.1, runbook-audit-verify.1…) come from the same definitions as --help.",
        "Exemples :\n  runbook man | man -l -\n  runbook man --dir ~/.local/share/man/man1\n\nLes pages (runbook.1, runbook-run.1, runbook-audit-verify.1…) viennent des mêmes définitions que --help.",
    ),
    (
        "Write one page per command in this folder instead of printing runbook(1)",
        "Écrire une page par commande dans ce dossier au lieu d'afficher runbook(1)",
    ),
    (
        "Print the effective settings and where each came from",
        "Afficher les réglages en vigueur et d'où vient chacun",
    ),
    (
        "Examples:\n  runbook config\n  RUNBOOK_THEME=mono runbook config\n\nSettings come from ~/.config/runbook/config.toml, then environment variables, then flags.",
        "Exemples :\n  runbook config\n  RUNBOOK_THEME=mono runbook config\n\nLes réglages viennent de ~/.config/runbook/config.toml, puis des variables d'environnement, puis des options.",
    ),
    (
        "The procedure's id (see `runbook list`)",
        "L'identifiant de la procédure (voir `runbook list`)",
    ),
    (
        "The procedure's id (see `runbook list`); with --origins, any entity's id",
        "L'identifiant de la procédure (voir `runbook list`) ; avec --origins, celui de toute entité",
    ),
    (
        "Say which site layer set each value of the entity, instead of showing it",
        "Dire quelle couche de site a défini chaque valeur de l'entité, au lieu de l'afficher",
    ),
    (
        "The severity, for procedures that ask for one (e.g. P1)",
        "La sévérité, pour les procédures qui en demandent une (par ex. P1)",
    ),
    (
        "Line mode: one step at a time, for scripts, screen readers and dumb terminals",
        "Mode ligne : une étape à la fois, pour les scripts, les lecteurs d'écran et les terminaux simples",
    ),
    (
        "The run's id (see `runbook runs --open`)",
        "L'id du déroulé (voir `runbook runs --open`)",
    ),
    ("Line mode", "Mode ligne"),
    (
        "Only runs still open",
        "Seulement les déroulés encore ouverts",
    ),
    (
        "Print JSON instead of text",
        "Écrire du JSON au lieu du texte",
    ),
    (
        "The run's id (see `runbook runs`)",
        "L'id du déroulé (voir `runbook runs`)",
    ),
    (
        "Check every entry's hash and link; exit 0 intact, 1 tampered or damaged",
        "Vérifier le hachage et le lien de chaque entrée ; sortie 0 intact, 1 altéré ou endommagé",
    ),
    (
        "Examples:\n  runbook audit verify\n  runbook audit verify --journal /srv/runbook/journal.jsonl --expect-head 1042:3f7a…\n\nWith RUNBOOK_JOURNAL_KEY set, every entry's MAC is checked too.\nExit codes: 0 intact, 1 tampered or damaged, 2 usage error.",
        "Exemples :\n  runbook audit verify\n  runbook audit verify --journal /srv/runbook/journal.jsonl --expect-head 1042:3f7a…\n\nAvec RUNBOOK_JOURNAL_KEY définie, le MAC de chaque entrée est vérifié aussi.\nCodes de sortie : 0 intact, 1 altéré ou endommagé, 2 erreur d'usage.",
    ),
    (
        "Print the journal's head (SEQ:HASH), to record elsewhere and give to --expect-head later",
        "Afficher la tête du journal (SEQ:HASH), à noter ailleurs et à redonner plus tard à --expect-head",
    ),
    (
        "Examples:\n  runbook audit head\n  runbook audit verify --expect-head \"$(runbook audit head)\"",
        "Exemples :\n  runbook audit head\n  runbook audit verify --expect-head \"$(runbook audit head)\"",
    ),
    ("Print entries readably", "Afficher les entrées lisiblement"),
    (
        "Examples:\n  runbook audit show\n  runbook audit show --run deploy-20261124-001521-ab12\n  runbook audit show --since '2026-11-24 00:00' --json",
        "Exemples :\n  runbook audit show\n  runbook audit show --run deploy-20261124-001521-ab12\n  runbook audit show --since '2026-11-24 00:00' --json",
    ),
    (
        "The head recorded earlier (`runbook audit head`): catches a truncated journal",
        "La tête notée plus tôt (`runbook audit head`) : révèle un journal tronqué",
    ),
    (
        "Only this run's entries",
        "Seulement les entrées de ce déroulé",
    ),
    (
        "Only entries at or after this time (UTC)",
        "Seulement les entrées à partir de cette heure (UTC)",
    ),
    (
        "Print JSON lines instead of text",
        "Écrire des lignes JSON au lieu du texte",
    ),
    (
        "Read once and exit with the worst state's code (the default)",
        "Lire une fois et sortir avec le code du pire état (par défaut)",
    ),
    (
        "Keep reading at each source's interval, printing every change",
        "Continuer à lire à l'intervalle de chaque source, en affichant chaque changement",
    ),
    (
        "Files or folders to check (default: the catalog in use)",
        "Fichiers ou dossiers à vérifier (à défaut : le catalogue utilisé)",
    ),
    (
        "Treat warnings as errors",
        "Traiter les avertissements comme des erreurs",
    ),
    (
        "The moment to ask about, in UTC (RFC 3339, or `YYYY-MM-DD HH:MM`); default now",
        "Le moment voulu, en UTC (RFC 3339, ou `AAAA-MM-JJ HH:MM`) ; à défaut maintenant",
    ),
    (
        "Whom to call: the contacts, emergency ones first, with how to reach them",
        "Qui appeler : les contacts, ceux d'urgence d'abord, avec comment les joindre",
    ),
    (
        "Examples:\n  runbook contacts\n  runbook contacts --emergency\n  runbook contacts --json",
        "Exemples :\n  runbook contacts\n  runbook contacts --emergency\n  runbook contacts --json",
    ),
    (
        "Who may do what in production: roles, access, MFA, holders",
        "Qui peut faire quoi en production : rôles, accès, MFA, titulaires",
    ),
    (
        "Examples:\n  runbook access\n  runbook access --json",
        "Exemples :\n  runbook access\n  runbook access --json",
    ),
    (
        "What is backed up, how often, and how long it is kept",
        "Ce qui est sauvegardé, à quelle fréquence, et combien de temps c'est gardé",
    ),
    (
        "Examples:\n  runbook backups\n  runbook backups --json",
        "Exemples :\n  runbook backups\n  runbook backups --json",
    ),
    (
        "The dashboards, with their URLs",
        "Les tableaux de bord, avec leurs URL",
    ),
    (
        "Examples:\n  runbook dashboards\n  runbook dashboards --json",
        "Exemples :\n  runbook dashboards\n  runbook dashboards --json",
    ),
    (
        "Only the emergency contacts",
        "Seulement les contacts d'urgence",
    ),
    (
        "A site file or folder applied over the catalog (repeatable; after /etc/runbook/site.toml, ~/.config/runbook/site.toml, the config's `site` and RUNBOOK_SITE)",
        "Un fichier ou dossier de site appliqué par-dessus le catalogue (peut se répéter ; après /etc/runbook/site.toml, ~/.config/runbook/site.toml, le `site` de la configuration et RUNBOOK_SITE)",
    ),
    ("Print help", "Afficher l'aide"),
    (
        "Print help (see more with '--help')",
        "Afficher l'aide (plus avec '--help')",
    ),
    ("Print version", "Afficher la version"),
    (
        "Print this message or the help of the given subcommand(s)",
        "Afficher ce message ou l'aide des sous-commandes données",
    ),
    (
        "The report's format: md (Markdown) or json",
        "Le format du rapport : md (Markdown) ou json",
    ),
];

/// The French for an English help text of the command line, if there is one.
pub fn french(english: &str) -> Option<&'static str> {
    HELP.iter()
        .chain(super::help_status::HELP)
        .find(|(en, _)| *en == english)
        .map(|(_, fr)| *fr)
}

/// The French for a value's placeholder (`<PATH>`), if it needs one.
pub fn value_name(english: &str) -> Option<&'static str> {
    Some(match english {
        "PATH" | "PATHS" => "CHEMIN",
        "NAME" => "NOM",
        "TIME" => "HEURE",
        "LANG" => "LANGUE",
        "RUN" => "DÉROULÉ",
        "PROCEDURE" => "PROCÉDURE",
        "SEVERITY" => "SÉVÉRITÉ",
        "COUNT" => "NOMBRE",
        "SINCE" => "DEPUIS",
        "FILE" => "FICHIER",
        "ROLE" => "RÔLE",
        "SPEED" => "VITESSE",
        _ => return None,
    })
}
