//! Entry point: parse the command line and dispatch. Everything else lives
//! in the library so tests and benchmarks use the same code.

use std::process::ExitCode;

fn main() -> ExitCode {
    one_heap();
    let cli = runbook::cli::parse();
    runbook::commands::run(&cli)
}

/// glibc gives each thread that allocates a heap of its own (an arena,
/// about 130 KiB each once touched): the console's short-lived journal
/// threads would leave several behind. Its threads seldom allocate at
/// once, so one heap costs no waiting.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
fn one_heap() {
    // SAFETY: mallopt only sets an allocator parameter; it is called
    // before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn one_heap() {}
