//! `runbook`: a terminal console that walks on-call operators through
//! operational procedures, with the deadlines and thresholds that matter.
//!
//! The domain modules (`catalog`, `clock`) never import the terminal, async
//! or network crates; `tests/architecture.rs` checks it.

pub mod catalog;
pub mod clock;
pub mod drill;
pub mod due;
pub mod journal;
pub mod learn;
pub mod notice;
pub mod reference;
pub mod report;
pub mod run;
pub mod text;

// -- binding the domain to files: runs read from and written to the journal --
pub mod runs;
pub mod session;
pub mod stderr;
pub mod store;

// -- the shell: command line and output --
pub mod cli;
pub mod commands;
pub mod config;
pub mod exec;
pub mod exit;
pub mod metrics;
pub mod notify;
pub mod tui;
