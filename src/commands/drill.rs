//! `runbook drill`: a procedure rehearsed in the console on the drill
//! clock, fed by a scenario, then scored against the team's earlier
//! drills; and the score of a drill run for `runbook report`.

use std::io::{self, Write};

use super::{Context, console, exit};
use crate::cli::DrillArgs;
use crate::drill::scenario::{self, Scenario};
use crate::drill::score::{self, Crossing, Input};
use crate::journal::entry::Folded;
use crate::run::{Event, RunState};
use crate::tui::app::Start;
use crate::tui::app::drill::Plan;

/// The drill speed when neither the command line nor the scenario says.
const SPEED: u32 = 60;

pub fn run(context: &Context, args: &DrillArgs, out: &mut dyn Write) -> io::Result<u8> {
    let w = context.words().drill;
    let scenario = match find_scenario(context, args) {
        Ok(scenario) => scenario,
        Err(code) => return Ok(code),
    };
    let Some(procedure) = args
        .procedure
        .clone()
        .or_else(|| scenario.as_ref().map(|s| s.procedure.clone()))
    else {
        crate::say!("{}", context.words().commands.drill_what);
        return Ok(exit::USAGE);
    };
    if let Some(s) = &scenario
        && s.procedure != procedure
    {
        crate::say!("{}", (w.scenario_other)(&s.id, &s.procedure, &procedure));
        return Ok(exit::USAGE);
    }
    if !matches!(console::fit(), console::Fit::Console) {
        crate::say!("{}", context.words().commands.drill_terminal);
        return Ok(exit::USAGE);
    }
    let severity = args
        .severity
        .clone()
        .or_else(|| scenario.as_ref().and_then(|s| s.severity.clone()));
    let speed = args
        .speed
        .or_else(|| scenario.as_ref().and_then(|s| s.speed))
        .unwrap_or(SPEED);
    let start = Start::New {
        procedure,
        severity,
    };
    // A drill's metrics come from its scenario, never from live sources.
    let catalog = crate::drill::scenario_catalog(&context.loaded.catalog);
    let plan = Plan { speed, scenario };
    let (code, played) = console::open_with(context, &catalog, start, Some(plan))?;
    if let Some(drill) = played {
        write_scores(context, &drill, out)?;
    }
    Ok(code)
}

/// The scenario asked for (a file, or a bundled one by name), else the
/// bundled one for the procedure, else none: the drill plays the clock
/// alone.
fn find_scenario(context: &Context, args: &DrillArgs) -> Result<Option<Scenario>, u8> {
    let catalog = &context.loaded.catalog;
    let w = context.words().drill;
    let Some(given) = &args.scenario else {
        return Ok(args
            .procedure
            .as_deref()
            .and_then(|p| crate::drill::for_procedure(p, catalog)));
    };
    let (name, text) = match crate::drill::bundled(given) {
        Some((name, text)) => (name, text.to_owned()),
        None => match std::fs::read_to_string(given) {
            Ok(text) => (given.clone(), text),
            Err(e) => {
                crate::say!("{}", (w.scenario_unreadable)(given, &e.to_string()));
                return Err(exit::USAGE);
            }
        },
    };
    match scenario::parse(&name, &text, catalog) {
        Ok(scenario) => Ok(Some(scenario)),
        Err((sources, diagnostics)) => {
            for d in &diagnostics {
                crate::say!("{}", sources.render_in(d, context.words()).trim_end());
            }
            Err(exit::USAGE)
        }
    }
}

/// The score of every run of drill `drill`, after the console closed.
fn write_scores(context: &Context, drill: &str, out: &mut dyn Write) -> io::Result<()> {
    let runs = match crate::run_list::fold_file(context.journal.journal()) {
        Ok((runs, _)) => runs,
        Err(e) => {
            crate::say!("runbook: {e}");
            return Ok(());
        }
    };
    for run in runs
        .iter()
        .filter(|r| r.drill.as_ref().is_some_and(|d| d.id == drill))
    {
        for line in score_lines(context, run, &runs) {
            writeln!(out, "{line}")?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// A drill run's score as lines, for the end of a drill and its report.
pub fn score_lines(context: &Context, run: &RunState, runs: &[RunState]) -> Vec<String> {
    let crossings = crossings(context, &run.id);
    let score = score::score(&Input {
        catalog: &context.loaded.catalog,
        run,
        runs,
        crossings: &crossings,
        lang: context.lang(),
    });
    score::render(&score, context.words())
}

/// The crossings recorded in run `run`, on its clock.
fn crossings(context: &Context, run: &str) -> Vec<Crossing> {
    let mut found = Vec::new();
    let scanned = crate::store::read::scan(
        &context.journal.journal(),
        crate::store::read::Position::default(),
        |entry: Folded| {
            if entry.run.as_deref() != Some(run) {
                return;
            }
            let at = entry.meta().at;
            if let Event::MetricCrossed { metric, to, .. } = entry.event {
                found.push(Crossing { metric, to, at });
            }
        },
    );
    if let Err(e) = scanned {
        crate::say!("runbook: {e}");
    }
    found
}

/// `runbook replay RUN`: the run played back in the console, read-only.
pub fn replay(
    context: &Context,
    args: &crate::cli::ReplayArgs,
    _out: &mut dyn Write,
) -> io::Result<u8> {
    let words = context.words();
    let entries = match crate::store::read::read_all(context.journal.journal()) {
        Ok((entries, _)) => entries,
        Err(e) => {
            crate::say!("runbook: {e}");
            return Ok(exit::JOURNAL_FAILED);
        }
    };
    let entries: Vec<_> = entries
        .into_iter()
        .filter(|e| e.run.as_deref() == Some(args.run.as_str()))
        .collect();
    let procedure = entries.iter().find_map(|e| match &e.event {
        Event::RunStarted { procedure, .. } => context.loaded.catalog.procedure(procedure),
        _ => None,
    });
    let Some(procedure) = procedure else {
        let shown = context.journal.shown();
        crate::say!("{}", (words.commands.no_run)(&args.run, &shown));
        return Ok(exit::USAGE);
    };
    if !matches!(console::fit(), console::Fit::Console) {
        crate::say!("{}", words.commands.drill_terminal);
        return Ok(exit::USAGE);
    }
    let display = &context.display;
    let theme = match crate::tui::theme::Theme::load(
        &display.theme.value,
        display.no_color,
        display.ascii.value,
    ) {
        Ok(theme) => theme.badged(words.drill.replay_badge),
        Err(e) => {
            crate::say!("runbook: {e}");
            return Ok(exit::USAGE);
        }
    };
    let keymap = match crate::tui::keymap::Keymap::new(&context.config.keys) {
        Ok(keymap) => keymap,
        Err(e) => {
            crate::say!("runbook: {e}");
            return Ok(exit::USAGE);
        }
    };
    // A drill's metrics are shown as its console showed them: from the
    // scenario; a real run's as the console did.
    let drilled = entries
        .iter()
        .any(|e| matches!(e.event, Event::DrillStarted { .. }));
    let catalog = if drilled {
        crate::drill::scenario_catalog(&context.loaded.catalog)
    } else {
        context.loaded.catalog.clone()
    };
    let setup = crate::tui::replay::Setup {
        catalog: &catalog,
        procedure,
        run: args.run.clone(),
        lang: context.lang().to_owned(),
        theme,
        keymap,
        journal: context.journal.shown(),
    };
    crate::tui::replay::run(&setup, crate::tui::replay::Player::new(entries, args.speed))?;
    Ok(exit::OK)
}
