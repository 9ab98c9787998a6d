//! The full-screen console: one loop owns the terminal and the model;
//! keys, clock seconds, journal changes and signals arrive as messages;
//! `update` decides, the live run records, `view` draws when something
//! changed.
//!
//! It asks and shows: decisions are the domain's, flows the application's
//! (`runbook-app`). It may not import the command line.

use runbook_app::{config, exec, live_run, metrics, notify, run_list, status_update};
use runbook_domain::{
    catalog, drill, due, journal, learn, overview, reference, report, run, text, windows,
};
use runbook_store as store;

pub mod action;
pub mod app;
pub mod board;
mod delivery;
pub mod keymap;
pub mod model;
pub mod pane;
mod panel;
pub mod replay;
pub mod running;
pub mod terminal;
pub mod theme;
pub mod update;
pub mod view;
