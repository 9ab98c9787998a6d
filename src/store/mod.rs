//! Where journal lines live, beyond the line format itself. For now: the
//! index kept beside a journal file, so a year of history costs a reader
//! what its open runs cost.

pub mod index;
mod tail;

pub use index::{Checkpoint, ClosedRun};
pub use tail::{History, load};
