//! Words of the reference tables: contacts, access, backups, dashboards.

words! {
    /// Words of the reference tables.
    pub struct Reference;
    fixed {
        t_contacts: "Contacts", "Contacts";
        t_access: "Access", "Accès";
        holders_from: "Who holds each role, and what gave it:", "Qui tient chaque rôle, et d'où il le tient :";
        from_role: "the role's holders", "titulaires du rôle";
        from_registry: "site registry", "registre du site";
        from_config: "own config", "config personnelle";
        t_backups: "Backups", "Sauvegardes";
        t_dashboards: "Dashboards", "Tableaux de bord";
        t_severities: "Severities", "Sévérités";
        t_windows: "Windows", "Fenêtres";
        t_findings: "Warnings", "Avertissements";
        h_where: "WHERE", "OÙ";
        h_site_key: "SITE KEY", "CLÉ DU SITE";
        h_escalate_to: "ESCALATE TO", "ESCALADE VERS";
        h_window: "WINDOW", "FENÊTRE";
        h_when: "WHEN", "QUAND";
        h_notice: "NOTICE", "PRÉAVIS";
        nothing_to_copy: "nothing to copy on this line", "rien à copier sur cette ligne";
        tabs_hint: "←/→ tab · ↑/↓ line · y copy · Esc close", "←/→ onglet · ↑/↓ ligne · y copier · Échap fermer";
        h_name: "NAME", "NOM";
        h_reach: "HOW TO REACH", "JOINDRE";
        h_available: "AVAILABLE", "DISPONIBLE";
        h_for: "FOR", "POUR";
        h_role: "ROLE", "RÔLE";
        h_access: "ACCESS", "ACCÈS";
        h_mfa: "MFA", "MFA";
        h_may: "MAY", "PEUT";
        h_holders: "HOLDERS", "TITULAIRES";
        h_what: "WHAT", "QUOI";
        h_every: "EVERY", "FRÉQUENCE";
        h_kept: "KEPT", "CONSERVÉ";
        h_note: "NOTE", "NOTE";
        h_dashboard: "DASHBOARD", "TABLEAU DE BORD";
        h_url: "URL", "URL";
        not_set: "not set: add it to your site file", "non renseigné : ajoutez-le à votre fichier de site";
        mfa_required: "required", "requis";
        mfa_no: "no", "non";
        every_commit: "every commit", "à chaque commit";
        forever: "forever", "pour toujours";
        emergency: "EMERGENCY", "URGENCE";
        nobody: "nobody named", "personne de nommé";
        none: "none in the catalog", "aucun dans le catalogue";
    }
    shaped {
        call(name: &str, reach: &str): "reach {name}: {reach}", "joindre {name} : {reach}";
        escalate(severity: &str, name: &str, reach: &str): "escalate at {severity} to {name}: {reach}", "escalade en {severity} vers {name} : {reach}";
        via(role: &str): "only through {role}", "seulement via {role}";
        every(span: &str): "every {span}", "tous les {span}";
        unset(name: &str): "<{name}: unset>", "<{name} : non défini>";
    }
}
