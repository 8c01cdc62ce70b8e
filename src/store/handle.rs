//! The open store: its connection, its files and the session it is keeping. What it does is
//! written beside it (`sessions`, and opening and wiping in the module's root).

use super::error::StoreError;
use super::paths::Paths;
use rusqlite::Connection;
use std::fs::File;

/// The open store: one connection, used from one thread (the store thread, or a command).
pub struct Store {
    pub(super) conn: Connection,
    pub(super) paths: Paths,
    /// The session being kept: the running meeting, or the one that just ended.
    pub(super) current: Option<i64>,
    pub(super) next_seq: i64,
    /// Held while this process owns the store; `None` for a read-only look (`status`).
    pub(super) _lock: Option<File>,
}

impl Store {
    pub fn paths(&self) -> &Paths {
        &self.paths
    }

    /// Caps the database at `pages` pages, so writes beyond it fail as on a full disk (tests).
    pub fn limit_pages(&self, pages: u32) -> Result<(), StoreError> {
        self.conn
            .query_row(&format!("PRAGMA max_page_count = {pages}"), [], |_| Ok(()))?;
        Ok(())
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }
}
