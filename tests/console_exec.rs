//! The console's `x`, end to end in a pseudo-terminal: the confirmation
//! overlay with the expanded command, its output in the pane, a step
//! ticked by its command, a step that cannot be undone, a failure
//! recorded with the output's end, Ctrl-C, and a terminal lost while a
//! command runs. Real processes from `tests/fixtures/exec/catalog.toml`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::events;
use common::pty::Console;
use runbook::run::Event;

struct Setup {
    _dir: tempfile::TempDir,
    journal: PathBuf,
    config: PathBuf,
}

/// A journal, and a config that allows running commands.
fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    std::fs::create_dir_all(config.join("runbook")).unwrap();
    std::fs::write(config.join("runbook/config.toml"), "exec = true\n").unwrap();
    Setup {
        journal: dir.path().join("journal.jsonl"),
        config,
        _dir: dir,
    }
}

/// The console on a new run of the `ops` procedure, its cursor on the
/// first step.
fn console(setup: &Setup) -> Console {
    let catalog = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/exec/catalog.toml");
    let console = Console::spawn_env(
        &setup.journal,
        "alice",
        &["run", "ops"],
        "xterm-256color",
        &[
            ("RUNBOOK_CATALOG", catalog.to_str().unwrap()),
            ("XDG_CONFIG_HOME", setup.config.to_str().unwrap()),
            ("EXEC_TEST_TOKEN", "tok-9f8e7d6c5b4a"),
        ],
    );
    console.wait_for("›○ to do   1.1 Says hello");
    console
}

/// Moves the cursor `down` steps, then asks to run the step's command.
fn ask(console: &mut Console, down: usize, step: &str) {
    console.send(&"j".repeat(down));
    console.wait_for(&format!("›○ to do   {step}"));
    console.send("x");
    console.wait_for(" Run the step's command ");
}

/// Waits until the journal holds an entry `found` accepts.
fn wait_event(journal: &Path, found: impl Fn(&Event) -> bool) -> Event {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Some(e) = events(journal).into_iter().find(&found) {
            return e;
        }
        assert!(
            Instant::now() < deadline,
            "no such entry: {:#?}",
            events(journal)
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// How many commands the journal says were started.
fn started(journal: &Path) -> usize {
    events(journal)
        .iter()
        .filter(|e| matches!(e, Event::CommandStarted { .. }))
        .count()
}

fn finished(journal: &Path, step: &str) -> Event {
    wait_event(
        journal,
        |e| matches!(e, Event::CommandFinished { step: s, .. } if s == step),
    )
}

fn leave(console: &mut Console) {
    console.send("q");
    console.wait_for("Open runs");
    console.send("q");
    assert_eq!(console.exit_within(Duration::from_secs(5)), 0);
    console.assert_restored();
}

#[test]
fn x_shows_the_expanded_command_runs_it_into_the_pane_and_its_success_ticks_the_step() {
    let setup = setup();
    let mut console = console(&setup);
    // The confirmation shows the line as it will run, run id in place.
    console.send("x");
    console.wait_for_all(&[
        " Run the step's command ",
        "echo hello from ops-",
        "Enter: run",
    ]);
    // Escape cancels: nothing is recorded. Keys are taken in order, so
    // once the next confirmed run is recorded, one the Esc had started
    // would be recorded before it.
    console.send("\x1b");
    console.wait_for("1.2 Succeeds and ticks");
    console.send("x");
    console.wait_for("Enter: run");
    console.send("\r");
    console.wait_for_all(&[" Output ", "hello from ops-", "red"]);
    let Event::CommandFinished { outcome, .. } = finished(&setup.journal, "hello") else {
        unreachable!()
    };
    assert_eq!(outcome.exit, Some(0));
    assert_eq!(started(&setup.journal), 1, "Esc ran the command");
    // A plain `run = true` step stays to be ticked by the operator.
    assert!(
        !events(&setup.journal)
            .iter()
            .any(|e| matches!(e, Event::StepCompleted { step, .. } if step == "hello"))
    );

    // done_on_success: the command's exit 0 ticks the step.
    ask(&mut console, 1, "1.2 Succeeds and ticks");
    console.send("\r");
    wait_event(
        &setup.journal,
        |e| matches!(e, Event::StepCompleted { step, .. } if step == "tick"),
    );
    console.wait_for_all(&["✔ done    1.2 Succeeds and ticks", "fine"]);
    leave(&mut console);
}

#[test]
fn a_step_that_cannot_be_undone_runs_only_once_its_id_is_typed() {
    let setup = setup();
    let mut console = console(&setup);
    ask(&mut console, 8, "1.9 Cannot be undone");
    console.wait_for("Type the step's id");
    // Enter alone, or the wrong id, runs nothing: once the id typed runs
    // it, that start must be the only one.
    console.send("\r");
    console.send("wip\r");
    if !console.screen().contains("Type the step's id") {
        console.send("x");
        console.wait_for("Type the step's id");
    }
    // Clears whatever was typed, then the id.
    console.send(&"\x7f".repeat(8));
    console.send("wipe\r");
    let Event::CommandFinished { outcome, .. } = finished(&setup.journal, "wipe") else {
        unreachable!()
    };
    assert_eq!(outcome.exit, Some(0));
    assert_eq!(started(&setup.journal), 1, "ran without its id typed");
    console.wait_for("wiped");
    leave(&mut console);
}

#[test]
fn a_failed_command_is_recorded_as_the_steps_failure_with_its_output_end() {
    let setup = setup();
    let mut console = console(&setup);
    ask(&mut console, 2, "1.3 Fails");
    console.send("\r");
    let Event::CommandFinished { outcome, .. } = finished(&setup.journal, "fails") else {
        unreachable!()
    };
    assert_eq!(outcome.exit, Some(3));
    console.wait_for_all(&["the disk is full", "f: record the step as failed"]);
    console.send("f");
    console.wait_for("the disk is full");
    console.send("\r");
    let Event::StepFailed { note, .. } = wait_event(
        &setup.journal,
        |e| matches!(e, Event::StepFailed { step, .. } if step == "fails"),
    ) else {
        unreachable!()
    };
    assert!(note.contains("the disk is full"), "{note}");
    leave(&mut console);
}

#[test]
fn ctrl_c_asks_then_interrupts_a_command_that_ignores_sigint() {
    let setup = setup();
    let mut console = console(&setup);
    ask(&mut console, 4, "1.5 Ignores SIGINT");
    console.send("\r");
    console.wait_for("ready");
    // Leaving is refused while it runs.
    console.send("q");
    console.wait_for("a command is running");
    console.send("\x03");
    console.wait_for("Interrupt the running command?");
    console.send("y");
    let Event::CommandFinished { outcome, .. } = finished(&setup.journal, "stubborn") else {
        unreachable!()
    };
    assert_eq!(outcome.sent[..2], ["SIGINT", "SIGTERM"], "{outcome:?}");
    assert_eq!(
        outcome.stopped,
        Some(runbook::run::command::Stop::Interrupted)
    );
    leave(&mut console);
}

#[test]
fn a_terminal_lost_while_a_command_runs_waits_for_it_and_records_its_end() {
    let setup = setup();
    let mut console = console(&setup);
    ask(&mut console, 6, "1.7 Runs a while");
    console.send("\r");
    console.wait_for("begun");
    console.close_terminal();
    // The command (3 s) ends, is recorded whole, then the run is left.
    assert_eq!(console.exit_within(Duration::from_secs(15)), 129);
    let recorded = events(&setup.journal);
    let end = recorded
        .iter()
        .position(|e| matches!(e, Event::CommandFinished { step, .. } if step == "long"))
        .expect("the command's end recorded");
    let Event::CommandFinished {
        outcome, output, ..
    } = &recorded[end]
    else {
        unreachable!()
    };
    assert_eq!(outcome.exit, Some(0));
    assert!(output.tail.contains("over"), "{output:?}");
    let detached = recorded
        .iter()
        .position(|e| matches!(e, Event::RunDetached { .. }))
        .expect("the run left");
    assert!(detached > end);
}

/// `o` on a step shows its last command's output, read back from the
/// journal's side (here the file beside a file journal) in a console
/// opened after the command ran; on a step whose command never ran, it
/// says so.
#[test]
fn o_shows_the_output_of_a_command_run_before_the_console_opened() {
    let setup = setup();
    let mut console = console(&setup);
    console.send("x");
    console.wait_for("Enter: run");
    console.send("\r");
    console.wait_for("hello from ops-");
    finished(&setup.journal, "hello");
    leave(&mut console);

    let catalog = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/exec/catalog.toml");
    let mut again = Console::spawn_env(
        &setup.journal,
        "alice",
        &["resume"],
        "xterm-256color",
        &[
            ("RUNBOOK_CATALOG", catalog.to_str().unwrap()),
            ("XDG_CONFIG_HOME", setup.config.to_str().unwrap()),
        ],
    );
    again.wait_for("1.1 Says hello");
    assert!(!again.screen().contains("hello from ops-"));
    again.send("o");
    again.wait_for_all(&[" Output ", "hello from ops-", "red"]);
    again.send("j");
    again.wait_for("›○ to do   1.2 Succeeds and ticks");
    again.send("o");
    again.wait_for("has not finished here or on another host yet");
    leave(&mut again);
}
