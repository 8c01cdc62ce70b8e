//! The pure core: methods, meeting plans, budgeting and the session engine. No clocks, files,
//! screens or hardware in here; time and text come in as values.

pub mod action;
pub mod budget;
pub mod diagnostic;
pub mod engine;
pub mod event;
pub mod library;
pub mod method;
pub mod method_file;
pub mod plan;
pub mod progress;
pub mod snapshot;
pub mod text;
pub mod time;
pub mod view;
