//! Words of the GDPR breach notifications (art. 33 and 34).

words! {
    /// Words of the breach notifications.
    pub struct Gdpr;
    fixed {
        title_authority: "Personal data breach notification to the supervisory authority (GDPR art. 33)", "Notification d'une violation de données personnelles à l'autorité de contrôle (RGPD art. 33)";
        title_people: "Information of the people concerned by a personal data breach (GDPR art. 34)", "Information des personnes concernées par une violation de données personnelles (RGPD art. 34)";
        initial: "Initial notification", "Notification initiale";
        complementary: "Complementary notification (art. 33(4))", "Notification complémentaire (art. 33(4))";
        h_timing: "When", "Chronologie";
        h_nature: "Nature of the breach", "Nature de la violation";
        h_contact: "Contact point", "Point de contact";
        h_consequences: "Likely consequences", "Conséquences probables";
        h_measures: "Measures taken and proposed", "Mesures prises et envisagées";
        h_sent: "Notifications already sent", "Notifications déjà envoyées";
        h_exceptions: "When the people need not be told (art. 34(3))", "Quand les personnes n'ont pas à être informées (art. 34(3))";
        h_missing: "Not yet in the record", "Pas encore dans le journal";
        to_write: "(to write)", "(à rédiger)";
        unknown: "not known yet", "pas encore connu";
        no_personal_data: "The record says no personal data is involved: no notification to the authority is required (art. 33(1)); keep this record of the breach (art. 33(5)).", "Le journal indique qu'aucune donnée personnelle n'est concernée : aucune notification à l'autorité n'est requise (art. 33(1)) ; conservez cette trace de la violation (art. 33(5)).";
        late_reasons: "Reasons for the delay (required past 72 h, art. 33(1)):", "Motifs du retard (requis au-delà de 72 h, art. 33(1)) :";
        categories: "Categories of data and of people concerned", "Catégories de données et de personnes concernées";
        people: "Approximate number of people concerned", "Nombre approximatif de personnes concernées";
        records: "Approximate number of records concerned", "Nombre approximatif d'enregistrements concernés";
        taken: "Taken", "Prises";
        proposed: "Proposed", "Envisagées";
        exception_a: "the data was made unintelligible to anyone not authorised (encryption) (a)", "les données étaient rendues incompréhensibles à toute personne non autorisée (chiffrement) (a)";
        exception_b: "measures taken since make the high risk no longer likely (b)", "des mesures prises depuis rendent le risque élevé improbable (b)";
        exception_c: "telling each person would take disproportionate effort: then a public communication instead (c)", "informer chaque personne exigerait des efforts disproportionnés : alors une communication publique à la place (c)";
        people_required: "The record says the risk to the people is high: they must be told without undue delay, unless an exception below applies.", "Le journal indique un risque élevé pour les personnes : elles doivent être informées dans les meilleurs délais, sauf si une exception ci-dessous s'applique.";
        people_not_required: "The record does not say the risk is high: telling the people is not required by art. 34; the authority may still ask for it.", "Le journal n'indique pas de risque élevé : l'art. 34 n'impose pas d'informer les personnes ; l'autorité peut toutefois le demander.";
        plain_what: "What happened", "Ce qui s'est passé";
        plain_data: "Which of your data", "Quelles données vous concernant";
        plain_risk: "What it may mean for you", "Ce que cela peut signifier pour vous";
        plain_done: "What we have done, and what you can do", "Ce que nous avons fait, et ce que vous pouvez faire";
        plain_contact: "Whom to ask", "Qui contacter";
    }
    shaped {
        known(at: &str): "The breach became known: {at}", "Violation connue le : {at}";
        deadline(at: &str): "Deadline to notify the authority (72 h): {at}", "Échéance de notification à l'autorité (72 h) : {at}";
        late(at: &str): "The 72 h deadline passed on {at}: this notification is late.", "L'échéance des 72 h est passée le {at} : cette notification est tardive.";
        sent(at: &str, reference: &str, by: &str): "{at}: reference {reference} (recorded by {by})", "{at} : référence {reference} (enregistrée par {by})";
        run(run: &str): "Drafted by runbook from the journal of run `{run}`.", "Rédigé par runbook d'après le journal du déroulé `{run}`.";
        missing_step(step: &str): "step `{step}`", "étape `{step}`";
        recorded(audience: &str, reference: &str, seq: u64, kind: &str): "{kind} to the {audience} recorded as sent: reference {reference} (entry #{seq})", "{kind} ({audience}) enregistrée comme envoyée : référence {reference} (entrée n°{seq})";
        delay_reason_required(deadline: &str): "the 72 h deadline passed on {deadline}: say why with --delay-reason (art. 33(1))", "l'échéance des 72 h est passée le {deadline} : dites pourquoi avec --delay-reason (art. 33(1))";
        not_a_breach(run: &str): "run `{run}` has no breach steps to draft from (personal-data, data-categories…)", "le déroulé `{run}` n'a pas d'étapes de violation d'où rédiger (personal-data, data-categories…)";
        ev_sent(audience: &str, reference: &str, delay: &str): "breach notification to the {audience} sent, reference {reference}{delay}", "notification de violation ({audience}) envoyée, référence {reference}{delay}";
        unknown_audience(given: &str): "`{given}` is not an audience: authority or people", "`{given}` n'est pas un destinataire : authority ou people";
    }
}
