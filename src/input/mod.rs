//! Sources of actions: keyboards and presenter clickers (and, later, GPIO buttons).

pub mod keys;
