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

/// How a wipe went that did not fail.
pub enum WipeOutcome {
    /// Done as asked: the store on its new database.
    Done(Box<Store>),
    /// There was no room for it (`cause`): the key was destroyed in place, so nothing kept can
    /// be read; the files are removed, and a new store begins, at the next open with room.
    KeyDestroyed { cause: StoreError },
}

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
        let mut erased_at = None;
        if paths.wipe_marker.exists() {
            wipe::finish_interrupted(&paths)?;
            notices.push(Notice::WipeFinished);
        } else if Key::is_destroyed(&paths.key) {
            wipe::finish_erased(&paths)?;
            notices.push(Notice::WipeFinished);
            erased_at = Some(chrono::Local::now().naive_local());
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
        if let Some(at) = erased_at {
            store.set_meta("last_wipe", &at.format("%Y-%m-%dT%H:%M:%S").to_string())?;
        }
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

    /// Wipes with `keep` as `wipe` does when the disk has room. When it has not (or the wipe
    /// cannot begin for another reason), the key is destroyed where it lies instead, which
    /// needs no room: everything kept goes, not only what `keep` names, but a running meeting
    /// is never lost to retention's quiet clean-up (that waits for room).
    pub fn wipe_or_destroy_key(self, keep: Keep) -> Result<WipeOutcome, StoreError> {
        let nothing_running = matches!(self.running_id(), Ok(None));
        let may_take_all = !matches!(keep, Keep::SessionsSince { .. }) || nothing_running;
        let Store {
            conn, paths, _lock, ..
        } = self;
        match wipe::run(conn, &paths, &keep, None) {
            Ok(()) => {
                drop(_lock);
                Ok(WipeOutcome::Done(Box::new(Store::open(&paths.dir)?.0)))
            }
            Err(cause) if may_take_all && !paths.wipe_marker.exists() => {
                tracing::error!("the wipe cannot be done as usual: {cause}");
                if let Err(e) = wipe::erase_in_place(&paths) {
                    tracing::error!("the key cannot be destroyed in place either: {e}");
                    return Err(cause);
                }
                Ok(WipeOutcome::KeyDestroyed { cause })
            }
            Err(e) => Err(e),
        }
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
