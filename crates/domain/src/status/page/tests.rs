use chrono::{DateTime, TimeDelta, Utc};

use super::*;
use crate::run::{Event, Meta};
use crate::status::Update;

fn t0() -> DateTime<Utc> {
    "2026-12-05T02:00:00Z".parse().unwrap()
}

struct Runs {
    seq: u64,
}

impl Runs {
    fn apply(&mut self, run: &mut RunState, at: DateTime<Utc>, event: &Event) {
        self.seq += 1;
        let meta = Meta {
            seq: self.seq,
            at,
            operator: "alice".into(),
            proof: "account alice@bastion".into(),
        };
        run.apply(&meta, event);
    }

    fn start(
        &mut self,
        id: &str,
        procedure: &str,
        severity: Option<&str>,
        at: DateTime<Utc>,
    ) -> RunState {
        let mut run = RunState::new(id);
        let started = Event::RunStarted {
            procedure: procedure.into(),
            procedure_hash: String::new(),
            severity: severity.map(Into::into),
            pinned: None,
        };
        self.apply(&mut run, at, &started);
        run
    }

    fn update(
        &mut self,
        run: &mut RunState,
        at: DateTime<Utc>,
        status: Status,
        impact: Impact,
        public: bool,
        text: &str,
    ) {
        let update = Update {
            status,
            impact,
            components: vec!["payments".into()],
            public,
            text: text.into(),
        };
        self.apply(run, at, &Event::StatusUpdated(update));
    }
}

fn catalog() -> Catalog {
    crate::catalog::load_bundled().catalog
}

fn source(catalog: &Catalog, now: DateTime<Utc>, audience: Audience) -> Source<'_> {
    Source {
        catalog,
        now,
        seq: 9,
        lang: "en",
        audience,
    }
}

#[test]
fn an_open_incident_sets_the_indicator_and_its_components_and_lists_its_public_updates_newest_first()
 {
    let catalog = catalog();
    let mut runs = Runs { seq: 0 };
    let mut p2 = runs.start("inc-1", "incident", Some("P2"), t0());
    runs.update(
        &mut p2,
        t0() + TimeDelta::minutes(5),
        Status::Investigating,
        Impact::Major,
        true,
        "Payments fail",
    );
    runs.update(
        &mut p2,
        t0() + TimeDelta::minutes(9),
        Status::Identified,
        Impact::Major,
        false,
        "Stripe key expired: rotating",
    );
    runs.update(
        &mut p2,
        t0() + TimeDelta::minutes(20),
        Status::Monitoring,
        Impact::Minor,
        true,
        "Fix in place",
    );
    let now = t0() + TimeDelta::minutes(30);

    let public = build(&source(&catalog, now, Audience::Public), [&p2]);
    assert_eq!(public.indicator, "major");
    let incident = &public.incidents[0];
    assert_eq!(incident.name, "Payments blocked");
    assert_eq!(incident.status, Status::Monitoring);
    let said: Vec<&str> = incident
        .updates
        .iter()
        .map(|u| u.update.text.as_str())
        .collect();
    assert_eq!(
        said,
        ["Fix in place", "Payments fail"],
        "the internal word is not public"
    );
    let payments = public
        .components
        .iter()
        .find(|c| c.id == "payments")
        .unwrap();
    assert_eq!(payments.status, "partial_outage");
    let login = public.components.iter().find(|c| c.id == "login").unwrap();
    assert_eq!(login.status, "operational");

    let internal = build(&source(&catalog, now, Audience::Internal), [&p2]);
    assert_eq!(internal.incidents[0].updates.len(), 3);
}

#[test]
fn an_incident_told_only_inside_is_not_on_the_public_page() {
    let catalog = catalog();
    let mut runs = Runs { seq: 0 };
    let mut quiet = runs.start("inc-2", "incident", Some("P3"), t0());
    runs.update(
        &mut quiet,
        t0(),
        Status::Investigating,
        Impact::Minor,
        false,
        "Looking at webhook lag",
    );
    let page = build(&source(&catalog, t0(), Audience::Public), [&quiet]);
    assert!(page.incidents.is_empty());
    assert_eq!(page.indicator, "none");
    assert!(page.components.iter().all(|c| c.status == "operational"));
}

#[test]
fn a_resolved_incident_stays_thirty_days_and_a_closed_run_resolves_its_incident() {
    let catalog = catalog();
    let mut runs = Runs { seq: 0 };
    let mut old = runs.start("inc-old", "incident", Some("P2"), t0());
    runs.update(
        &mut old,
        t0(),
        Status::Investigating,
        Impact::Major,
        true,
        "down",
    );
    runs.update(
        &mut old,
        t0() + TimeDelta::hours(1),
        Status::Resolved,
        Impact::Major,
        true,
        "up",
    );
    let mut closed = runs.start("inc-closed", "incident", Some("P3"), t0());
    runs.update(
        &mut closed,
        t0(),
        Status::Identified,
        Impact::Minor,
        true,
        "slow",
    );
    runs.apply(
        &mut closed,
        t0() + TimeDelta::hours(2),
        &Event::RunAborted {
            reason: "done".into(),
        },
    );

    let soon = build(
        &source(&catalog, t0() + TimeDelta::days(29), Audience::Public),
        [&old, &closed],
    );
    assert!(soon.incidents.is_empty());
    let ids: Vec<&str> = soon.resolved.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["inc-closed", "inc-old"]);
    assert_eq!(soon.resolved[0].status, Status::Resolved);
    let later = build(
        &source(&catalog, t0() + TimeDelta::days(31), Audience::Public),
        [&old, &closed],
    );
    assert!(later.resolved.is_empty());
}

#[test]
fn a_maintenance_announced_is_scheduled_for_the_window_its_notice_was_in_time_for() {
    let catalog = catalog();
    let mut runs = Runs { seq: 0 };
    // Thursday 2026-12-03: the next window with 48 h notice is Sunday's.
    let thursday: DateTime<Utc> = "2026-12-03T10:00:00Z".parse().unwrap();
    let mut m = runs.start("maint-1", "maintenance", None, thursday);
    runs.update(
        &mut m,
        thursday,
        Status::Scheduled,
        Impact::None,
        true,
        "Database upgrade",
    );
    let page = build(&source(&catalog, thursday, Audience::Public), [&m]);
    let maintenance = &page.maintenances[0];
    assert_eq!(maintenance.status, Status::Scheduled);
    assert_eq!(
        maintenance.scheduled_for,
        Some("2026-12-06T02:00:00Z".parse().unwrap())
    );
    assert_eq!(
        maintenance.scheduled_until,
        Some("2026-12-06T05:00:00Z".parse().unwrap())
    );
    let during: DateTime<Utc> = "2026-12-06T03:00:00Z".parse().unwrap();
    let page = build(&source(&catalog, during, Audience::Public), [&m]);
    assert_eq!(page.maintenances[0].status, Status::InProgress);
    assert_eq!(page.indicator, "maintenance");
    let payments = page.components.iter().find(|c| c.id == "payments").unwrap();
    assert_eq!(payments.status, "under_maintenance");
}

#[test]
fn the_summary_has_statuspage_shape_field_by_field() {
    let catalog = catalog();
    let mut runs = Runs { seq: 0 };
    let mut p1 = runs.start("inc-3", "incident", Some("P1"), t0());
    runs.update(
        &mut p1,
        t0() + TimeDelta::minutes(2),
        Status::Investigating,
        Impact::Critical,
        true,
        "Down",
    );
    let page = build(
        &source(&catalog, t0() + TimeDelta::minutes(3), Audience::Public),
        [&p1],
    );
    let identity = crate::status::summary::Identity {
        id: "tontetic".into(),
        name: "Tontetic".into(),
        url: "https://status.example".into(),
    };
    let json = crate::status::summary::summary(&page, &identity, &crate::text::words::EN);
    assert_eq!(json["page"]["id"], "tontetic");
    assert_eq!(json["page"]["time_zone"], "Etc/UTC");
    assert_eq!(json["status"]["indicator"], "critical");
    assert_eq!(json["status"]["description"], "Major system outage");
    assert_eq!(
        json["components"].as_array().unwrap().len(),
        catalog.components.len()
    );
    let incident = &json["incidents"][0];
    assert_eq!(incident["id"], "inc-3");
    assert_eq!(incident["status"], "investigating");
    assert_eq!(incident["impact"], "critical");
    assert_eq!(incident["resolved_at"], serde_json::Value::Null);
    assert_eq!(incident["shortlink"], "https://status.example/#inc-3");
    let update = &incident["incident_updates"][0];
    assert_eq!(update["body"], "Down");
    assert_eq!(update["status"], "investigating");
    assert_eq!(update["created_at"], "2026-12-05T02:02:00.000Z");
    assert_eq!(update["affected_components"][0]["code"], "payments");
    assert_eq!(
        update["affected_components"][0]["new_status"],
        "major_outage"
    );
    assert_eq!(json["scheduled_maintenances"], serde_json::json!([]));
}
