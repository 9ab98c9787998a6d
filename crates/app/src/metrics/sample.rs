//! Readings and what they mean against a metric's thresholds: ok, alert,
//! critical, stale (no fresh reading for two intervals) or error (with the
//! reason in words). Pure: time is passed in.

use std::collections::{HashMap, VecDeque};

use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;

use super::source::SourceError;
use crate::catalog::{Catalog, Metric, MetricSource, ThresholdLevel};

/// One poll of one metric.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sample {
    pub metric: String,
    pub at: DateTime<Utc>,
    /// The value, or why there is none.
    pub reading: Result<f64, SourceError>,
}

/// Where a metric stands against its thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Ok,
    Alert,
    Critical,
}

impl Level {
    pub fn of(metric: &Metric, value: f64) -> Level {
        match metric.level_of(value) {
            None => Level::Ok,
            Some(ThresholdLevel::Alert) => Level::Alert,
            Some(ThresholdLevel::Critical) => Level::Critical,
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            Level::Ok => "ok",
            Level::Alert => "alert",
            Level::Critical => "critical",
        }
    }
}

/// A metric's state now, for the panel and `runbook metrics`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "state", rename_all = "lowercase")]
pub enum State {
    Ok {
        value: f64,
    },
    Alert {
        value: f64,
    },
    Critical {
        value: f64,
    },
    /// The last good reading is older than two intervals.
    Stale {
        value: f64,
        age_seconds: i64,
    },
    Error {
        reason: SourceError,
    },
    /// No source is configured for the metric, or its source needs an
    /// environment variable (`needs`) that is not set here.
    Unconfigured {
        #[serde(skip_serializing_if = "Option::is_none")]
        needs: Option<String>,
    },
    /// Configured, nothing read yet.
    Waiting,
}

impl State {
    /// The state in a word (upper case where it calls for action).
    pub fn word(&self, words: &crate::text::Words) -> &'static str {
        let w = words.console;
        match self {
            State::Ok { .. } => w.m_ok,
            State::Alert { .. } => w.m_alert,
            State::Critical { .. } => w.m_critical,
            State::Stale { .. } => w.m_stale,
            State::Error { .. } => w.m_error,
            State::Unconfigured { needs: None } => w.no_source,
            State::Unconfigured { needs: Some(_) } => w.not_configured,
            State::Waiting => w.m_waiting,
        }
    }

    /// The monitoring-plugin exit code: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
    pub fn plugin_code(&self) -> u8 {
        match self {
            State::Ok { .. } => 0,
            State::Alert { .. } => 1,
            State::Critical { .. } => 2,
            _ => 3,
        }
    }
}

/// A change of level, to be journaled into the open runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Crossing {
    pub metric: String,
    pub from: Level,
    pub to: Level,
    pub value: f64,
    pub at: DateTime<Utc>,
}

pub fn interval_of(metric: &Metric) -> Option<TimeDelta> {
    let polling = match metric.source.as_ref()? {
        MetricSource::Prometheus { polling, .. }
        | MetricSource::HttpJson { polling, .. }
        | MetricSource::Command { polling, .. }
        | MetricSource::Scenario { polling } => polling,
    };
    Some(polling.interval.to_chrono())
}

#[derive(Debug, Clone, Default)]
struct Track {
    recent: VecDeque<(DateTime<Utc>, f64)>,
    last_error: Option<(DateTime<Utc>, SourceError)>,
    /// The level now, and since when it has held.
    level: Option<(Level, DateTime<Utc>)>,
}

/// Recent readings of every metric: the sparkline, the age, the level and
/// how long it has held. Bounded: the last `KEEP` readings each.
#[derive(Debug, Clone, Default)]
pub struct History {
    tracks: HashMap<String, Track>,
}

pub const KEEP: usize = 60;

impl History {
    /// Records a sample; returns the crossing it makes, if any.
    pub fn record(&mut self, metric: &Metric, sample: &Sample) -> Option<Crossing> {
        let track = self.tracks.entry(metric.id.clone()).or_default();
        match &sample.reading {
            Err(reason) => {
                track.last_error = Some((sample.at, reason.clone()));
                None
            }
            Ok(value) => {
                track.last_error = None;
                if track.recent.len() == KEEP {
                    track.recent.pop_front();
                }
                track.recent.push_back((sample.at, *value));
                let level = Level::of(metric, *value);
                match track.level {
                    Some((previous, _)) if previous == level => None,
                    previous => {
                        track.level = Some((level, sample.at));
                        let from = previous.map_or(Level::Ok, |(l, _)| l);
                        // The first reading is only a crossing if it is bad.
                        (previous.is_some() || level != Level::Ok).then(|| Crossing {
                            metric: metric.id.clone(),
                            from,
                            to: level,
                            value: *value,
                            at: sample.at,
                        })
                    }
                }
            }
        }
    }

    pub fn state(&self, metric: &Metric, now: DateTime<Utc>) -> State {
        let Some(interval) = interval_of(metric) else {
            return State::Unconfigured { needs: None };
        };
        if let Some(needs) = &metric.needs {
            return State::Unconfigured {
                needs: Some(needs.clone()),
            };
        }
        let Some(track) = self.tracks.get(&metric.id) else {
            return State::Waiting;
        };
        let last = track.recent.back();
        if let Some((at, reason)) = &track.last_error
            && last.is_none_or(|(good, _)| good < at)
        {
            return State::Error {
                reason: reason.clone(),
            };
        }
        let Some((at, value)) = last.copied() else {
            return State::Waiting;
        };
        let age = now - at;
        if age > interval * 2 {
            return State::Stale {
                value,
                age_seconds: age.num_seconds(),
            };
        }
        match Level::of(metric, value) {
            Level::Ok => State::Ok { value },
            Level::Alert => State::Alert { value },
            Level::Critical => State::Critical { value },
        }
    }

    /// Since when the metric has stayed below its alert threshold, if it
    /// has fresh readings and is below now.
    pub fn ok_since(&self, metric: &Metric, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self.state(metric, now) {
            State::Ok { .. } => self.tracks.get(&metric.id)?.level.map(|(_, since)| since),
            _ => None,
        }
    }

    pub fn values(&self, metric: &str) -> Vec<f64> {
        self.tracks
            .get(metric)
            .map(|t| t.recent.iter().map(|(_, v)| *v).collect())
            .unwrap_or_default()
    }

    pub fn last_at(&self, metric: &str) -> Option<DateTime<Utc>> {
        self.tracks.get(metric).and_then(|t| {
            let good = t.recent.back().map(|(at, _)| *at);
            let bad = t.last_error.as_ref().map(|(at, _)| *at);
            good.max(bad)
        })
    }
}

/// The thresholds in words: `alert >1 %, critical >5 %`, with the rate's
/// window (`/hour`) when the metric is a rate.
pub fn thresholds_text(metric: &Metric, words: &crate::text::Words) -> String {
    let sign = match metric.direction {
        crate::catalog::Direction::Above => ">",
        crate::catalog::Direction::Below => "<",
    };
    let per = metric
        .per
        .map(|p| format!("/{}", p.name()))
        .unwrap_or_default();
    (words.console.thresholds)(
        sign,
        &format!("{}{per}", metric.alert),
        &format!("{}{per}", metric.critical),
    )
}

pub use crate::catalog::rollback_metrics;

/// A sparkline of recent values, one character each, scaled between the
/// smallest and the largest.
pub fn sparkline(values: &[f64], width: usize, ascii: bool) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    const ASCII: [char; 8] = ['_', '.', '-', '~', '=', '+', '*', '#'];
    let bars = if ascii { ASCII } else { BARS };
    let shown = &values[values.len().saturating_sub(width)..];
    let (low, high) = shown
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
            (l.min(*v), h.max(*v))
        });
    shown
        .iter()
        .map(|v| {
            let span = high - low;
            let fraction = if span > 0.0 { (v - low) / span } else { 0.0 };
            // Eight buckets over the range, rounded to the nearest.
            let rank = (1..8u8)
                .filter(|i| fraction * 7.0 >= f64::from(*i) - 0.5)
                .count();
            bars[rank]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Direction, Duration, Polling, Text};

    fn metric(direction: Direction, alert: f64, critical: f64) -> Metric {
        Metric {
            id: "m".into(),
            title: Text::plain("M"),
            unit: "%".into(),
            direction,
            alert,
            critical,
            per: None,
            source: Some(MetricSource::Command {
                argv: vec!["true".into()],
                polling: Polling {
                    interval: Duration::from_secs(10),
                    ..Polling::default()
                },
            }),
            needs: None,
            origin: crate::catalog::diagnostic::Origin::default(),
        }
    }

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + seconds, 0).unwrap()
    }

    fn sample(seconds: i64, reading: Result<f64, SourceError>) -> Sample {
        Sample {
            metric: "m".into(),
            at: at(seconds),
            reading,
        }
    }

    #[test]
    fn levels_follow_the_direction_and_boundaries_are_not_crossings() {
        let above = metric(Direction::Above, 1.0, 5.0);
        assert_eq!(
            Level::of(&above, 1.0),
            Level::Ok,
            "at the threshold is not above it"
        );
        assert_eq!(Level::of(&above, 1.01), Level::Alert);
        assert_eq!(Level::of(&above, 5.01), Level::Critical);
        let below = metric(Direction::Below, 99.0, 95.0);
        assert_eq!(Level::of(&below, 99.5), Level::Ok);
        assert_eq!(Level::of(&below, 98.0), Level::Alert);
        assert_eq!(Level::of(&below, 90.0), Level::Critical);
    }

    #[test]
    fn crossings_are_reported_once_each_way() {
        let m = metric(Direction::Above, 1.0, 5.0);
        let mut history = History::default();
        assert_eq!(
            history.record(&m, &sample(0, Ok(0.5))),
            None,
            "a first good reading is no crossing"
        );
        assert_eq!(history.record(&m, &sample(10, Ok(0.7))), None);
        let up = history.record(&m, &sample(20, Ok(7.0))).unwrap();
        assert_eq!((up.from, up.to), (Level::Ok, Level::Critical));
        assert_eq!(history.record(&m, &sample(30, Ok(8.0))), None);
        assert_eq!(
            history.record(&m, &sample(35, Err(SourceError::Connect))),
            None,
            "an error is no crossing"
        );
        let down = history.record(&m, &sample(40, Ok(2.0))).unwrap();
        assert_eq!((down.from, down.to), (Level::Critical, Level::Alert));
        assert_eq!(history.ok_since(&m, at(40)), None);
        history.record(&m, &sample(50, Ok(0.2)));
        assert_eq!(history.ok_since(&m, at(55)), Some(at(50)));
    }

    #[test]
    fn stale_and_error_states() {
        let m = metric(Direction::Above, 1.0, 5.0);
        let mut history = History::default();
        assert_eq!(history.state(&m, at(0)), State::Waiting);
        history.record(&m, &sample(0, Ok(0.5)));
        assert_eq!(history.state(&m, at(20)), State::Ok { value: 0.5 });
        assert_eq!(
            history.state(&m, at(21)),
            State::Stale {
                value: 0.5,
                age_seconds: 21
            }
        );
        let refused = SourceError::Status { status: 500 };
        history.record(&m, &sample(22, Err(refused.clone())));
        assert_eq!(history.state(&m, at(22)), State::Error { reason: refused });
        assert_eq!(history.state(&m, at(22)).plugin_code(), 3);
        let mut unconfigured = m.clone();
        unconfigured.source = None;
        assert_eq!(
            history.state(&unconfigured, at(0)),
            State::Unconfigured { needs: None }
        );
    }

    #[test]
    fn history_is_bounded() {
        let m = metric(Direction::Above, 1.0, 5.0);
        let mut history = History::default();
        for i in 0..1000 {
            history.record(&m, &sample(i, Ok(0.1)));
        }
        assert_eq!(history.values("m").len(), KEEP);
    }

    #[test]
    fn sparklines_scale_to_the_range() {
        assert_eq!(sparkline(&[0.0, 1.0, 2.0], 10, false), "▁▅█");
        assert_eq!(sparkline(&[3.0, 3.0], 10, true), "__");
        assert_eq!(
            sparkline(&[1.0, 2.0, 3.0, 4.0], 2, false).chars().count(),
            2
        );
        assert_eq!(sparkline(&[], 5, false), "");
    }
}

/// The console's live readings, as metric-gated steps ask for them.
#[derive(Debug, Clone, Copy)]
pub struct Live<'a> {
    pub history: &'a History,
    pub catalog: &'a Catalog,
    pub now: DateTime<Utc>,
}

impl crate::run::Readings for Live<'_> {
    fn ok_since(&self, metric: &str) -> Option<DateTime<Utc>> {
        let metric = self.catalog.metric(metric)?;
        self.history.ok_since(metric, self.now)
    }

    fn is_critical(&self, metric: &str) -> bool {
        self.catalog
            .metric(metric)
            .is_some_and(|m| matches!(self.history.state(m, self.now), State::Critical { .. }))
    }

    fn reads(&self, metric: &str) -> bool {
        self.catalog
            .metric(metric)
            .is_some_and(crate::catalog::Metric::readable)
    }
}
