//! Exit codes, shared by the command line and the console so neither has
//! to reach into the other for them.

pub const OK: u8 = 0;
/// A journal that fails is fatal: the operator is told, and nothing more is
/// shown as done.
pub const JOURNAL_FAILED: u8 = 1;
/// `audit verify`: the chain does not hold.
pub const DAMAGED: u8 = 1;
/// Invalid catalog, unknown procedure, bad arguments.
pub const USAGE: u8 = 2;
/// The shell's conventions for death by SIGHUP and SIGTERM.
/// Monitoring-plugin UNKNOWN (`metrics`, `due`): the state cannot be read.
pub const UNKNOWN: u8 = 3;
pub const HANGUP: u8 = 129;
pub const TERMINATED: u8 = 143;
