//! The metrics panel: where the sources stand, the recent readings, and
//! what a crossing says to the operator (a critical one tied to a rollback
//! criterion points at the rollback procedure).

use crate::catalog::Catalog;
use crate::metrics::sample::rollback_metrics;
use crate::metrics::{Crossing, History, Level, Sample};
use crate::model::Tone;

#[derive(Debug, Default)]
pub struct Panel {
    /// Whether any metric can be read here, in words.
    pub hint: String,
    /// Recent readings.
    pub history: History,
    /// Metrics whose critical reading points to a rollback procedure.
    rollback: Vec<(String, String)>,
}

impl Panel {
    pub fn new(catalog: &Catalog, lang: &str) -> Self {
        let w = crate::text::words(lang).console;
        let readable = catalog.metrics.iter().any(crate::catalog::Metric::readable);
        let hint = if readable {
            w.sources_configured
        } else {
            w.no_metric_source
        };
        Panel {
            hint: hint.to_owned(),
            history: History::default(),
            rollback: rollback_metrics(catalog),
        }
    }

    /// Keeps a reading; the crossing it makes, if it makes one.
    pub fn record(&mut self, catalog: &Catalog, sample: &Sample) -> Option<Crossing> {
        let metric = catalog.metric(&sample.metric)?;
        self.history.record(metric, sample)
    }

    /// What a crossing says to the operator, and how loud.
    pub fn said(
        &self,
        catalog: &Catalog,
        lang: &str,
        crossing: &Crossing,
    ) -> Option<(Tone, String)> {
        let metric = catalog.metric(&crossing.metric)?;
        let title = metric.title.get(lang);
        let rollback = self.rollback.iter().find(|(m, _)| *m == metric.id);
        let w = crate::text::words(lang).console;
        let value = format!("{} {}", crossing.value, metric.unit);
        Some(match (crossing.to, rollback) {
            (Level::Critical, Some((_, procedure))) => (
                Tone::Danger,
                (w.critical_rollback)(title, &value, procedure),
            ),
            (Level::Critical, None) => (Tone::Danger, (w.critical)(title, &value)),
            (Level::Alert, _) => (Tone::Warning, (w.alert)(title, &value)),
            (Level::Ok, _) => (Tone::Ok, (w.back_to_normal)(title)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crossing(metric: &str, to: Level) -> Crossing {
        Crossing {
            metric: metric.to_owned(),
            from: Level::Ok,
            to,
            value: 7.5,
            at: chrono::Utc::now(),
        }
    }

    #[test]
    fn a_critical_reading_tied_to_a_rollback_names_the_rollback_procedure() {
        let catalog = crate::catalog::load_bundled().catalog;
        let panel = Panel::new(&catalog, "en");
        let (metric, procedure) = rollback_metrics(&catalog).remove(0);
        let (tone, said) = panel
            .said(&catalog, "en", &crossing(&metric, Level::Critical))
            .unwrap();
        assert_eq!(tone, Tone::Danger);
        assert!(said.contains(&procedure), "{said}");
        let (tone, said) = panel
            .said(&catalog, "en", &crossing(&metric, Level::Alert))
            .unwrap();
        assert_eq!(tone, Tone::Warning);
        assert!(!said.contains(&procedure), "{said}");
        assert!(
            panel
                .said(&catalog, "en", &crossing("nonesuch", Level::Critical))
                .is_none()
        );
    }
}
