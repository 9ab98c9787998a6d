//! The full-screen console: one loop owns the terminal and the model;
//! keys, clock seconds, journal changes and signals arrive as messages;
//! `update` decides, the session records, `view` draws when something
//! changed.

pub mod action;
pub mod app;
pub mod exec;
pub mod keymap;
pub mod model;
pub mod replay;
pub mod terminal;
pub mod theme;
pub mod update;
pub mod view;
