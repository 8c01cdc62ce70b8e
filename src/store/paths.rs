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

    /// Where an unreadable database is set aside with its key, at `stamp`.
    pub fn aside(&self, stamp: &str) -> PathBuf {
        self.dir.join(format!("{SET_ASIDE_PREFIX}{stamp}"))
    }

    /// The directories unreadable databases were set aside in.
    pub fn set_aside(&self) -> std::io::Result<Vec<PathBuf>> {
        let mut found = Vec::new();
        for entry in std::fs::read_dir(&self.dir)? {
            let entry = entry?;
            let named = entry
                .file_name()
                .to_string_lossy()
                .starts_with(SET_ASIDE_PREFIX);
            if named && entry.file_type()?.is_dir() {
                found.push(entry.path());
            }
        }
        found.sort();
        Ok(found)
    }

    /// The key's file name, the same inside a set-aside directory.
    pub fn key_file_name(&self) -> &std::ffi::OsStr {
        self.key.file_name().expect("the key has a file name")
    }
}

const SET_ASIDE_PREFIX: &str = "damaged-";
