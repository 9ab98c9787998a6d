//! What a team learns from its runs once they are over: the post-mortems
//! they owe, the follow-ups decided, the draft a review starts from, and
//! the team's numbers.

pub mod draft;
pub mod ledger;
pub mod moments;
pub mod owed;
pub mod said;
pub mod stats;

pub use ledger::{Followup, FollowupState, InForce, Ledger};
pub use owed::{Owed, Standing, What};
