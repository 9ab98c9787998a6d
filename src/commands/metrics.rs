//! `runbook metrics`: every metric read now and judged, with the
//! monitoring-plugin exit codes, so cron or an existing monitoring system
//! can use it; `--watch` keeps reading.

use std::io::{self, Write};

use chrono::Utc;
use serde::Serialize;

use super::{Context, columns, exit, write_json};
use crate::catalog::Metric;
use crate::cli::MetricsArgs;
use crate::metrics::sample::thresholds_text;
use crate::metrics::{History, Sample, State, poller};
use crate::text::Words;

#[derive(Serialize)]
struct Row<'a> {
    metric: &'a str,
    title: &'a str,
    unit: &'a str,
    alert: f64,
    critical: f64,
    #[serde(flatten)]
    state: State,
}

fn value_text(state: &State, metric: &Metric, words: &Words) -> String {
    let w = words.commands;
    match state {
        State::Ok { value } | State::Alert { value } | State::Critical { value } => {
            format!("{value} {}", metric.unit)
        }
        State::Stale { value, age_seconds } => {
            (w.value_old)(&value.to_string(), &metric.unit, *age_seconds)
        }
        State::Error { reason } => reason.text(words),
        State::Unconfigured { needs: None } => w.no_source.to_owned(),
        State::Unconfigured { needs: Some(name) } => (w.needs_variable)(name),
        State::Waiting => "-".to_owned(),
    }
}

fn print(context: &Context, history: &History, json: bool, out: &mut dyn Write) -> io::Result<u8> {
    let now = Utc::now();
    let metrics = &context.loaded.catalog.metrics;
    let states: Vec<(&Metric, State)> =
        metrics.iter().map(|m| (m, history.state(m, now))).collect();
    // A metric that cannot be read here says so in its row; it makes the
    // whole UNKNOWN only when nothing can be read at all.
    let worst = states
        .iter()
        .filter(|(_, s)| !matches!(s, State::Unconfigured { .. }))
        .map(|(_, s)| s.plugin_code())
        // UNKNOWN only wins when nothing is WARNING or CRITICAL.
        .max_by_key(|code| match code {
            2 => 3,
            1 => 2,
            3 => 1,
            _ => 0,
        })
        .unwrap_or(3);
    if json {
        let rows: Vec<Row<'_>> = states
            .iter()
            .map(|(m, s)| Row {
                metric: &m.id,
                title: m.title.get(context.lang()),
                unit: &m.unit,
                alert: m.alert,
                critical: m.critical,
                state: s.clone(),
            })
            .collect();
        write_json(out, &rows)?;
        return Ok(worst);
    }
    let words = context.words();
    let w = words.commands;
    let mut rows = vec![
        [w.h_metric, w.h_state, w.h_value, w.h_thresholds]
            .map(str::to_owned)
            .to_vec(),
    ];
    for (metric, state) in &states {
        rows.push(vec![
            metric.title.get(context.lang()).to_owned(),
            state.word(words).to_owned(),
            value_text(state, metric, words),
            thresholds_text(metric, words),
        ]);
    }
    out.write_all(columns(&rows).as_bytes())?;
    let word = [
        w.plugin_ok,
        w.plugin_warning,
        w.plugin_critical,
        w.plugin_unknown,
    ][usize::from(worst)];
    writeln!(out, "{word}")?;
    Ok(worst)
}

pub fn run(context: &Context, args: &MetricsArgs, out: &mut dyn Write) -> io::Result<u8> {
    let catalog = &context.loaded.catalog;
    let mut history = History::default();
    let readable = catalog.metrics.iter().filter(|m| m.readable()).count();
    if readable == 0 {
        print(context, &history, args.json, out)?;
        crate::say!("{}", context.words().commands.no_metric_source);
        return Ok(3);
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Sample>(64);
        let tasks = poller::spawn_all(catalog, &tx);
        drop(tx);
        let mut seen = std::collections::HashSet::new();
        while let Some(sample) = rx.recv().await {
            if let Some(metric) = catalog.metric(&sample.metric) {
                history.record(metric, &sample);
            }
            seen.insert(sample.metric.clone());
            if args.watch {
                let metric = catalog.metric(&sample.metric);
                let state = metric.map(|m| history.state(m, Utc::now()));
                let line = match (metric, state) {
                    (Some(m), Some(state)) => format!(
                        "{} {} {} {}",
                        sample.at.format("%H:%M:%S"),
                        m.id,
                        state.word(context.words()),
                        value_text(&state, m, context.words())
                    ),
                    _ => continue,
                };
                writeln!(out, "{line}")?;
                out.flush()?;
            } else if seen.len() == readable {
                break;
            }
        }
        for task in tasks {
            task.abort();
        }
        if args.watch {
            Ok(exit::OK)
        } else {
            print(context, &history, args.json, out)
        }
    })
}
