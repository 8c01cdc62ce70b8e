//! Opening the database: the lock that makes one process its owner, the key, the settings
//! every connection needs, the first read that shows damage, and setting a damaged one aside.

use super::error::{StoreError, io_error};
use super::files;
use super::key::{Key, KeyError};
use super::paths::Paths;
use rusqlite::{Connection, ErrorCode};
use std::fs::File;
use std::io;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

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

pub fn take_lock(paths: &Paths) -> Result<File, StoreError> {
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
pub fn open_connection(
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
        Err(KeyError::Shredded { .. }) => {
            // A wipe destroyed it: what remains of the database is noise, and goes too.
            files::shred(&paths.key).map_err(io_error(&paths.key))?;
            remove_database(&paths.db)?;
            notices.push(Notice::KeyLost);
            Key::create(&paths.key)?
        }
        Err(e @ KeyError::Damaged { .. }) => {
            // Not a wipe's doing: the database may be recoverable with the right key, so it
            // is set aside with what is left of this one, as a damaged database is.
            tracing::error!("{e}; setting the database aside");
            let aside = move_aside(paths)?;
            notices.push(Notice::MovedAside(aside));
            Key::create(&paths.key)?
        }
        Err(e) => return Err(e.into()),
    };
    let conn = connect(&paths.db, &key)?;
    match check_readable(&conn) {
        Ok(()) => Ok(Some(conn)),
        Err(Unreadable::Damaged(reason)) => {
            drop(conn);
            tracing::error!("the database cannot be read ({reason}); moving it aside");
            let aside = move_aside(paths)?;
            notices.push(Notice::MovedAside(aside));
            Ok(None)
        }
        // A full disk or a failing read says nothing about the database: it stays as it is.
        Err(Unreadable::Io(e)) => Err(e.into()),
    }
}

/// Why a database could not be read: damage (set it aside), or trouble around it (a full
/// disk, an I/O error), which must not cost a healthy store.
enum Unreadable {
    Damaged(String),
    Io(rusqlite::Error),
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
fn check_readable(conn: &Connection) -> Result<(), Unreadable> {
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
        Ok(problem) => Err(Unreadable::Damaged(problem)),
        Err(e) => match e.sqlite_error_code() {
            Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) | None => {
                Err(Unreadable::Damaged(e.to_string()))
            }
            Some(_) => Err(Unreadable::Io(e)),
        },
    }
}

/// Moves an unreadable database and its key into `damaged-<time>/` (the owner's only), so
/// nothing is lost that IT might still want, and the kiosk can start afresh. The next wipe
/// destroys it with everything else.
fn move_aside(paths: &Paths) -> Result<PathBuf, StoreError> {
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let aside = paths.aside(&stamp.to_string());
    files::ensure_private_dir(&aside).map_err(io_error(&aside))?;
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

pub fn remove_database(db: &Path) -> Result<(), StoreError> {
    for file in files::database_files(db) {
        files::remove_durably(&file).map_err(io_error(&file))?;
    }
    Ok(())
}
