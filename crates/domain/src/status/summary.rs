//! The public page in the shape of Atlassian Statuspage's
//! `/api/v2/summary.json`, so the tools that read Statuspage read us:
//! `page`, `status` (indicator and description), `components`,
//! `incidents` (unresolved, with `incident_updates`) and
//! `scheduled_maintenances`.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};

use super::Posted;
use super::page::{Incident, Maintenance, Page};
use crate::text::Words;

/// Who the page is: its id, name and public address.
#[derive(Debug, Clone)]
pub struct Identity {
    pub id: String,
    pub name: String,
    pub url: String,
}

fn time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn opt_time(at: Option<DateTime<Utc>>) -> Value {
    at.map_or(Value::Null, |at| Value::String(time(at)))
}

/// The overall state in words, Statuspage's way.
pub fn description(indicator: &str, words: &Words) -> &'static str {
    let w = words.status;
    match indicator {
        "minor" => w.minor_outage,
        "major" => w.major_outage,
        "critical" => w.critical_outage,
        "maintenance" => w.under_maintenance,
        _ => w.all_operational,
    }
}

pub fn summary(page: &Page, identity: &Identity, words: &Words) -> Value {
    let page_id = identity.id.as_str();
    // Stable between changes: the time of the last update shown.
    let stamp = page.updated_at.unwrap_or(page.at);
    let components: Vec<Value> = page
        .components
        .iter()
        .map(|c| {
            json!({
                "id": c.id,
                "name": c.name,
                "status": c.status,
                "created_at": time(stamp),
                "updated_at": time(c.updated_at.unwrap_or(stamp)),
                "position": c.position,
                "description": c.detail,
                "showcase": true,
                "start_date": null,
                "group_id": null,
                "page_id": page_id,
                "group": false,
                "only_show_if_degraded": false,
            })
        })
        .collect();
    let incidents: Vec<Value> = page
        .incidents
        .iter()
        .map(|i| incident(i, page, identity))
        .collect();
    let maintenances: Vec<Value> = page
        .maintenances
        .iter()
        .map(|m| maintenance(m, page, identity))
        .collect();
    json!({
        "page": {
            "id": page_id,
            "name": identity.name,
            "url": identity.url,
            "time_zone": "Etc/UTC",
            "updated_at": time(stamp),
        },
        "status": {
            "indicator": page.indicator,
            "description": description(page.indicator, words),
        },
        "components": components,
        "incidents": incidents,
        "scheduled_maintenances": maintenances,
    })
}

fn updates(updates: &[Posted], of: &str, page: &Page) -> Vec<Value> {
    updates
        .iter()
        .map(|u| {
            let affected: Vec<Value> = u
                .update
                .components
                .iter()
                .map(|id| {
                    let name = page
                        .components
                        .iter()
                        .find(|c| c.id == *id)
                        .map_or(id.as_str(), |c| c.name.as_str());
                    json!({ "code": id, "name": name, "new_status": u.update.impact.component_status() })
                })
                .collect();
            json!({
                "id": u.seq.to_string(),
                "status": u.update.status.name(),
                "body": u.update.text,
                "incident_id": of,
                "created_at": time(u.at),
                "updated_at": time(u.at),
                "display_at": time(u.at),
                "affected_components": affected,
                "deliver_notifications": true,
            })
        })
        .collect()
}

fn components_of(ids: &[String], page: &Page, identity: &Identity) -> Vec<Value> {
    page.components
        .iter()
        .filter(|c| ids.contains(&c.id))
        .map(|c| {
            json!({
                "id": c.id,
                "name": c.name,
                "status": c.status,
                "page_id": identity.id,
                "position": c.position,
            })
        })
        .collect()
}

fn incident(i: &Incident, page: &Page, identity: &Identity) -> Value {
    json!({
        "id": i.id,
        "name": i.name,
        "status": i.status.name(),
        "created_at": time(i.created_at),
        "updated_at": time(i.updated_at),
        "monitoring_at": opt_time(i.monitoring_at),
        "resolved_at": opt_time(i.resolved_at),
        "impact": i.impact.name(),
        "shortlink": format!("{}/#{}", identity.url.trim_end_matches('/'), i.id),
        "started_at": time(i.created_at),
        "page_id": identity.id,
        "incident_updates": updates(&i.updates, &i.id, page),
        "components": components_of(&i.components, page, identity),
    })
}

fn maintenance(m: &Maintenance, page: &Page, identity: &Identity) -> Value {
    json!({
        "id": m.id,
        "name": m.name,
        "status": m.status.name(),
        "created_at": time(m.created_at),
        "updated_at": time(m.updated_at),
        "monitoring_at": null,
        "resolved_at": null,
        "impact": "maintenance",
        "shortlink": format!("{}/#{}", identity.url.trim_end_matches('/'), m.id),
        "started_at": time(m.created_at),
        "page_id": identity.id,
        "scheduled_for": opt_time(m.scheduled_for),
        "scheduled_until": opt_time(m.scheduled_until),
        "incident_updates": updates(&m.updates, &m.id, page),
        "components": components_of(&m.components, page, identity),
    })
}
