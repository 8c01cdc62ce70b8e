//! intervisie-kiosk: a room appliance that guides a group through an intervisie meeting.

pub mod cli;
pub mod config;
pub mod domain;
pub mod methods_dir;
