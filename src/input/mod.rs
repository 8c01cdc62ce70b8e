//! Sources of actions: keyboards and presenter clickers, and the two push buttons.

pub mod gestures;
pub mod gpio;
pub mod keys;
pub mod outputs;
pub mod wiring;
