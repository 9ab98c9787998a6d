//! A benchmark's child: its wall time and its own peak resident memory,
//! read with wait4 (std does not offer it).

#![allow(unsafe_code, clippy::zombie_processes, clippy::unwrap_used)]

use std::process::{Command, Stdio};
use std::time::Instant;

/// Runs `command` to its end, its output dropped: wall time (ms) and peak
/// resident memory (KiB).
pub fn measure(command: &mut Command) -> (f64, i64) {
    let start = Instant::now();
    let child = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id().cast_signed();
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: the pid is our own child, not yet waited for; wait4 reaps it
    // (so std's `wait` is not called) and gives its own peak memory.
    let waited = unsafe { libc::wait4(pid, &raw mut status, 0, &raw mut usage) };
    assert_eq!(waited, pid);
    assert!(libc::WIFEXITED(status), "{command:?} did not exit");
    (start.elapsed().as_secs_f64() * 1e3, usage.ru_maxrss)
}
