//! `runbook`: a terminal console that walks on-call operators through
//! operational procedures, with the deadlines and thresholds that matter.
//!
//! This crate is the command line (`cli`, `commands`, line mode). The
//! layers below it are crates of their own, so the compiler keeps them
//! apart (docs/architecture.md): `runbook-domain` (pure), `runbook-store`
//! (where the journal lives), `runbook-app` (flows, notifications,
//! metrics, configuration) and `runbook-console` (the full-screen
//! console). Their modules are re-exported here under the names the tests
//! and benches use.

pub use runbook_app::{config, exec, live_run, metrics, notify, run_list, status_update};
pub use runbook_console as tui;
pub use runbook_domain::{
    catalog, drill, due, gdpr, journal, learn, outbox, overview, reference, report, run, status,
    text, time, windows,
};
pub use runbook_store as store;

pub mod bundled;
pub mod cli;
pub mod commands;
pub mod exit;
pub mod stderr;
