//! The application: an open run bound to a journal writer (`session`),
//! runs read from the journal (`runs`), running a step's command (`exec`),
//! telling people (`notify`), live metrics (`metrics`) and the operator's
//! settings (`config`). Front ends (the console, the command line) call it
//! to act; it may not import them.

use runbook_domain::{catalog, drill, journal, outbox, overview, run, status, text};
use runbook_store as store;

pub mod config;
pub mod exec;
pub mod live_run;
pub mod metrics;
pub mod notify;
pub mod run_list;
pub mod status_update;
