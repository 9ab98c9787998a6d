//! Entry point: parse the command line and dispatch. Everything else lives
//! in the library so tests and benchmarks use the same code.

use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = runbook::cli::parse();
    runbook::commands::run(&cli)
}
