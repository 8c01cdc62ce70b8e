//! Sessions on disk: an encrypted SQLite database (SQLCipher) with its key in a file of its own,
//! resume after a power cut, history, settings, and a wipe that destroys the key.

mod connection;
pub mod dir;
mod error;
pub mod files;
mod handle;
pub mod key;
mod paths;
pub mod pin;
pub mod record;
pub mod schema;
mod sessions;
pub mod wipe;
pub mod wipe_step;
pub mod worker;

pub use connection::{Notice, connect};
pub use error::StoreError;
pub use handle::Store;
pub use paths::Paths;
pub use record::{EndedMeeting, Overrun, PastSession, PhaseOutcome, SessionRecord};
pub use sessions::{RunningSession, StoreStatus};
pub use wipe::Keep;
pub use wipe_step::WipeStep;

use connection::{open_connection, take_lock};
use error::io_error;
use key::Key;
use rusqlite::Connection;
use std::path::Path;

/// What `inspect` finds: facts, and the running session for its place and time.
pub struct Inspection {
    pub status: StoreStatus,
    pub running: Option<RunningSession>,
}

/// Looks at the store without changing anything, even while the kiosk runs: no lock, no
/// migration, no wipe recovery. `None` when nothing has been kept yet.
pub fn inspect(dir: &Path) -> Result<Option<Inspection>, StoreError> {
    let paths = Paths::new(dir);
    if !paths.db.exists() || !paths.key.exists() {
        return Ok(None);
    }
    let key = Key::read(&paths.key)?;
    let conn = Connection::open_with_flags(&paths.db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    conn.pragma_update(None, "key", key.sql_literal())?;
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))
        .map_err(|e| StoreError::Database {
            path: paths.db.display().to_string(),
            reason: e.to_string(),
        })?;
    let store = Store {
        conn,
        paths,
        current: None,
        next_seq: 0,
        _lock: None,
    };
    if schema::version(store.conn())? < schema::VERSION {
        return Err(StoreError::Database {
            path: store.paths.db.display().to_string(),
            reason: format!(
                "schema version {} (it is brought up to {} when the kiosk starts)",
                schema::version(store.conn())?,
                schema::VERSION
            ),
        });
    }
    Ok(Some(Inspection {
        status: store.status()?,
        running: store.running()?,
    }))
}

impl Store {
    /// Opens the store in `dir`: finishes a wipe that was cut short, creates the key and the
    /// database when needed, moves a damaged database aside and migrates an old one.
    pub fn open(dir: &Path) -> Result<(Store, Vec<Notice>), StoreError> {
        files::ensure_private_dir(dir).map_err(io_error(dir))?;
        if !files::is_writable(dir) {
            return Err(StoreError::ReadOnly {
                dir: dir.display().to_string(),
            });
        }
        let paths = Paths::new(dir);
        let lock = take_lock(&paths)?;
        let mut notices = Vec::new();
        if paths.wipe_marker.exists() {
            wipe::finish_interrupted(&paths)?;
            notices.push(Notice::WipeFinished);
        }
        let conn = match open_connection(&paths, &mut notices)? {
            Some(conn) => conn,
            None => {
                // Unreadable: moved aside; the second try starts from nothing.
                open_connection(&paths, &mut notices)?.ok_or_else(|| StoreError::Database {
                    path: paths.db.display().to_string(),
                    reason: "a new database could not be read back".into(),
                })?
            }
        };
        let mut store = Store {
            conn,
            paths,
            current: None,
            next_seq: 0,
            _lock: Some(lock),
        };
        store.migrate(schema::VERSION)?;
        store.current = store.running_id()?;
        store.next_seq = store.next_event_seq()?;
        Ok((store, notices))
    }

    pub(crate) fn migrate(&mut self, target: u32) -> Result<u32, StoreError> {
        schema::migrate_to(&mut self.conn, target).map_err(|e| match e {
            schema::MigrateError::Sql(e) => e.into(),
            too_new => StoreError::TooNew {
                path: self.paths.db.display().to_string(),
                source: too_new,
            },
        })
    }

    /// Wipes with `keep` and returns the store on its new database. A power cut anywhere in
    /// between is finished by the next `open`.
    pub fn wipe(self, keep: Keep) -> Result<Store, StoreError> {
        self.wipe_until(keep, None)
    }

    /// `wipe`, stopping dead after `stop` as if the power went (for tests).
    pub fn wipe_until(self, keep: Keep, stop: Option<WipeStep>) -> Result<Store, StoreError> {
        let Store {
            conn, paths, _lock, ..
        } = self;
        wipe::run(conn, &paths, &keep, stop)?;
        drop(_lock);
        Ok(Store::open(&paths.dir)?.0)
    }
}
