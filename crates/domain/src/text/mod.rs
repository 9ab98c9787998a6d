//! Text on its way to a person: outside text made inert on a terminal
//! (`inert`), and the program's own words in the operator's language
//! (`words`). Every writer, the console and the command line alike, goes
//! through here, so neither a hostile note nor a missing translation can
//! slip past one front end.

pub mod answer;
pub mod inert;
pub mod json;
pub mod layout;
pub mod words;

pub use answer::is_yes;
pub use inert::{Inert, inert, inert_lines, markdown};
pub use words::{Words, words};
