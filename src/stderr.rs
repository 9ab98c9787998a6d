//! Messages to standard error. Written inert (they quote file names, journal
//! lines and HTTP answers), and never a panic: once the terminal is gone,
//! `eprintln!` would panic on the failed write, and an exit that should say
//! "hung up" would say 101.

use std::io::Write;

/// Writes one message (with its newline) to standard error; a failure to
/// write is logged, not raised, since there is nobody left to tell.
pub fn line(message: std::fmt::Arguments<'_>) {
    let text = message.to_string();
    let shown = crate::text::inert_lines(&text);
    if let Err(e) = writeln!(std::io::stderr().lock(), "{shown}") {
        tracing::debug!("standard error is gone: {e}");
    }
}

/// `eprintln!` for runbook: inert, and silent on a closed terminal.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::stderr::line(format_args!($($arg)*))
    };
}
