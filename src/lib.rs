//! `runbook`: a terminal console that walks on-call operators through
//! operational procedures, with the deadlines and thresholds that matter.
//!
//! The domain modules (`catalog`, `clock`) never import the terminal, async
//! or network crates; `tests/architecture.rs` checks it.

pub mod catalog;
pub mod clock;

// -- the shell: command line and output --
pub mod cli;
pub mod commands;
