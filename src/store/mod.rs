//! Sessions on disk: an encrypted SQLite database (SQLCipher) with its key in a file of its own,
//! resume after a power cut, history, settings, and a wipe that destroys the key.

pub mod dir;
pub mod files;
pub mod key;
pub mod pin;
pub mod record;
pub mod schema;
mod sessions;
pub mod wipe;
pub mod worker;

pub use record::{Ending, Overrun, PastSession, PhaseOutcome, SessionRecord};
pub use sessions::{RunningSession, StoreStatus};
pub use wipe::{Keep, WipeStep};

use key::{Key, KeyError};
use rusqlite::{Connection, ErrorCode};
use std::fs::File;
use std::io;
use std::os::unix::fs::OpenOptionsExt;
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

pub(crate) fn io_error(path: &Path) -> impl FnOnce(io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Something the people in the room (or IT) should hear about the store after opening it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// A wipe cut short (by a power cut) was finished.
    WipeFinished,
    /// The database could not be read; it was moved here and a new one started.
    MovedAside(PathBuf),
    /// The key file was gone or damaged, so the database could not be read: treated as wiped.
    KeyLost,
}

/// The open store: one connection, used from one thread (the store thread, or a command).
pub struct Store {
    conn: Connection,
    paths: Paths,
    /// The session being kept: the running meeting, or the one that just ended.
    current: Option<i64>,
    next_seq: i64,
    /// Held while this process owns the store; `None` for a read-only look (`status`).
    _lock: Option<File>,
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

fn take_lock(paths: &Paths) -> Result<File, StoreError> {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .mode(0o600)
        .truncate(false)
        .write(true)
        .open(&paths.lock)
        .map_err(io_error(&paths.lock))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(StoreError::Busy {
            dir: paths.dir.display().to_string(),
        }),
        Err(std::fs::TryLockError::Error(e)) => Err(io_error(&paths.lock)(e)),
    }
}

/// Opens the database with its key. `None` means it was unreadable and has been moved aside.
fn open_connection(
    paths: &Paths,
    notices: &mut Vec<Notice>,
) -> Result<Option<Connection>, StoreError> {
    let db_exists = paths.db.exists();
    let key = match Key::read(&paths.key) {
        Ok(key) => key,
        Err(KeyError::Read { source, .. }) if source.kind() == io::ErrorKind::NotFound => {
            if db_exists {
                // Without its key the database is noise: what remains is a wipe.
                remove_database(&paths.db)?;
                notices.push(Notice::KeyLost);
            }
            Key::create(&paths.key)?
        }
        Err(KeyError::Damaged { .. }) => {
            files::shred(&paths.key).map_err(io_error(&paths.key))?;
            remove_database(&paths.db)?;
            notices.push(Notice::KeyLost);
            Key::create(&paths.key)?
        }
        Err(e) => return Err(e.into()),
    };
    let conn = connect(&paths.db, &key)?;
    match check_readable(&conn) {
        Ok(()) => Ok(Some(conn)),
        Err(reason) => {
            drop(conn);
            tracing::error!("the database cannot be read ({reason}); moving it aside");
            let aside = move_aside(paths)?;
            notices.push(Notice::MovedAside(aside));
            Ok(None)
        }
    }
}

/// A connection with the key and the settings every connection needs.
pub fn connect(db: &Path, key: &Key) -> Result<Connection, StoreError> {
    if !db.exists() {
        // SQLite gives its WAL and shared-memory files the database file's mode: so the
        // database starts as an empty file readable by the owner only.
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(db)
            .map_err(io_error(db))?;
    }
    let conn = Connection::open(db)?;
    // A wrong key or a damaged page is reported through our own errors; SQLCipher's own
    // lines on standard error would only confuse the log.
    conn.query_row("PRAGMA cipher_log_level = NONE", [], |_| Ok(()))
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(()),
            e => Err(e),
        })?;
    conn.pragma_update(None, "key", key.sql_literal())?;
    Ok(conn)
}

/// Reads the database once: a wrong key or a damaged file shows here, before anything is written.
fn check_readable(conn: &Connection) -> Result<(), String> {
    let check = || -> rusqlite::Result<String> {
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))?;
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get::<_, String>(0))?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "secure_delete", "ON")?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.query_row("PRAGMA quick_check", [], |r| r.get(0))
    };
    match check() {
        Ok(ok) if ok == "ok" => Ok(()),
        Ok(problem) => Err(problem),
        Err(e) => Err(e.to_string()),
    }
}

/// Moves an unreadable database and its key into `damaged-<time>/`, so nothing is lost that IT
/// might still want, and the kiosk can start afresh.
fn move_aside(paths: &Paths) -> Result<PathBuf, StoreError> {
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let aside = paths.dir.join(format!("damaged-{stamp}"));
    std::fs::create_dir_all(&aside).map_err(io_error(&aside))?;
    for file in files::database_files(&paths.db)
        .into_iter()
        .chain([paths.key.clone()])
    {
        if file.exists() {
            let to = aside.join(file.file_name().expect("a file name"));
            std::fs::rename(&file, &to).map_err(io_error(&file))?;
        }
    }
    files::sync_dir(&paths.dir).map_err(io_error(&paths.dir))?;
    Ok(aside)
}

pub(crate) fn remove_database(db: &Path) -> Result<(), StoreError> {
    for file in files::database_files(db) {
        files::remove_durably(&file).map_err(io_error(&file))?;
    }
    Ok(())
}
