//! Drills: a run rehearsed on a simulated clock, fed by a scenario's
//! timed injections instead of live metrics, marked in every entry so the
//! real audit trail is never polluted, and scored at the end. Pure: the
//! console plays it, the journal records it.

pub mod clock;
pub mod scenario;
pub mod score;
pub mod script;

/// The scenarios that come with runbook: `(id, text)`.
pub const BUNDLED: &[(&str, &str)] = &[
    (
        "p1-outage",
        include_str!("../../../../scenarios/p1-outage.toml"),
    ),
    (
        "bad-deploy",
        include_str!("../../../../scenarios/bad-deploy.toml"),
    ),
    (
        "data-breach",
        include_str!("../../../../scenarios/data-breach.toml"),
    ),
];

/// The bundled scenario `id`, as `(name, text)`.
pub fn bundled(id: &str) -> Option<(String, &'static str)> {
    BUNDLED
        .iter()
        .find(|(name, _)| *name == id)
        .map(|(name, text)| (format!("bundled:{name}.toml"), *text))
}

/// The catalog as a drill or a replay sees it: every metric read from
/// the scenario (or the recorded crossings), none from a live source, and
/// a reading holds until the next.
pub fn scenario_catalog(catalog: &crate::catalog::Catalog) -> crate::catalog::Catalog {
    let mut drill = catalog.clone();
    for metric in &mut drill.metrics {
        metric.needs = None;
        metric.source = Some(crate::catalog::MetricSource::Scenario {
            polling: crate::catalog::Polling {
                interval: crate::catalog::Duration::from_secs(365 * 86_400),
                ..crate::catalog::Polling::default()
            },
        });
    }
    drill
}

/// The bundled scenario `id`, read against `catalog` (none if it does not
/// fit it: a site layer removed what it injects).
pub fn bundled_scenario(id: &str, catalog: &crate::catalog::Catalog) -> Option<scenario::Scenario> {
    let (name, text) = bundled(id)?;
    scenario::parse(&name, text, catalog).ok()
}

/// The bundled scenario that rehearses `procedure`, if one does.
pub fn for_procedure(
    procedure: &str,
    catalog: &crate::catalog::Catalog,
) -> Option<scenario::Scenario> {
    BUNDLED
        .iter()
        .filter_map(|(id, _)| bundled_scenario(id, catalog))
        .find(|s| s.procedure == procedure)
}
