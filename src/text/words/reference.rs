//! Words of the reference tables: contacts, access, backups, dashboards.

words! {
    /// Words of the reference tables.
    pub struct Reference;
    fixed {
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
        via(role: &str): "only through {role}", "seulement via {role}";
        every(span: &str): "every {span}", "tous les {span}";
    }
}
