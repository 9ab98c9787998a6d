//! Time arithmetic over the catalog: maintenance windows and their notice
//! periods. The current time is always passed in, never read here, so every
//! answer can be tested at any instant.

pub mod window;
