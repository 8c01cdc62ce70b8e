//! The kiosk's own flow between pages (home, set-up, the meeting, the summary), kept free of the
//! UI toolkit so it is tested like the domain: with values in and values out.

pub mod dimming;
pub mod kiosk;
pub mod page;
pub mod setup;
pub mod summary;
pub mod wake;
