//! Live metrics: sources read by one task each (`poller`, `source`), and
//! readings judged against the catalog's thresholds (`sample`, pure).

pub mod poller;
pub mod sample;
pub mod source;

pub use sample::{Crossing, History, Level, Sample, State};
