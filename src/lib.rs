//! intervisie-kiosk: a room appliance that guides a group through an intervisie meeting.

pub mod app;
pub mod backlight;
pub mod cli;
pub mod config;
pub mod device_files;
pub mod domain;
pub mod format;
pub mod input;
pub mod methods_dir;
pub mod service;
pub mod store;
pub mod time_source;
pub mod ui;
