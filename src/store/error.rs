//! What can go wrong with the store, said so that IT can act on it.

use super::key::KeyError;
use super::schema;
use super::wipe_step::WipeStep;
use rusqlite::ErrorCode;
use std::io;
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the data directory {dir} is not writable; sessions cannot be kept")]
    ReadOnly { dir: String },
    #[error(
        "another intervisie-kiosk is using {dir}; stop it first (sudo systemctl stop intervisie-kiosk)"
    )]
    Busy { dir: String },
    #[error("{path}: {source}")]
    Io { path: String, source: io::Error },
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error("the disk is full")]
    DiskFull,
    #[error("the database {path}: {reason}")]
    Database { path: String, reason: String },
    #[error("the database {path}: {source}")]
    TooNew {
        path: String,
        source: schema::MigrateError,
    },
    #[error("{0}")]
    Sql(rusqlite::Error),
    #[error("a saved record cannot be read: {0}")]
    Record(#[from] serde_json::Error),
    #[error("the wipe stopped after {0:?} (a test's simulated power cut)")]
    Interrupted(WipeStep),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        match e.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => StoreError::DiskFull,
            _ => StoreError::Sql(e),
        }
    }
}

impl StoreError {
    /// The disk (or the database's allowed size) is full, from SQLite or from a plain file.
    pub fn is_disk_full(&self) -> bool {
        match self {
            StoreError::DiskFull => true,
            StoreError::Io { source, .. } | StoreError::Key(KeyError::Write { source, .. }) => {
                source.raw_os_error() == Some(ENOSPC)
            }
            _ => false,
        }
    }
}

/// "No space left on device" on Linux.
const ENOSPC: i32 = 28;

pub fn io_error(path: &Path) -> impl FnOnce(io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.display().to_string(),
        source,
    }
}
