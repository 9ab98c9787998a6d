//! Telling people: the targets' payloads, one attempt at a delivery (an
//! email through `email`), the
//! sending service that follows the journal (shared by the console, line
//! mode and `runbook watch`), and the locks that make one process the
//! journal's sender. What is owed is decided by `crate::notice`, a pure
//! fold over the journal; this is the part that talks to the world.

mod attempt;
pub mod deliver;
pub mod email;
pub mod lock;
pub mod payload;
pub mod service;

pub use service::{Handle, Role, Setup, Status};
