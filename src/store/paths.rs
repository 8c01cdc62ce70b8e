//! The files the store keeps in its data directory, by name.

use std::path::{Path, PathBuf};

/// The files in the data directory.
#[derive(Clone, Debug)]
pub struct Paths {
    pub dir: PathBuf,
    pub db: PathBuf,
    pub key: PathBuf,
    /// The database a wipe writes what it keeps into, and its key.
    pub next_db: PathBuf,
    pub next_key: PathBuf,
    /// Present while a wipe is under way; a start that finds it finishes the wipe first.
    pub wipe_marker: PathBuf,
    pub lock: PathBuf,
    pub pin: PathBuf,
}

impl Paths {
    pub fn new(dir: &Path) -> Paths {
        Paths {
            dir: dir.to_path_buf(),
            db: dir.join("sessions.db"),
            key: dir.join("sessions.key"),
            next_db: dir.join("next.db"),
            next_key: dir.join("next.key"),
            wipe_marker: dir.join("wipe-pending"),
            lock: dir.join("lock"),
            pin: dir.join("pin"),
        }
    }
}
