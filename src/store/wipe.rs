//! Crypto-erase: what is kept goes into a new database under a new key, then the old key is
//! overwritten and unlinked and the old database files removed. A marker written first makes a
//! wipe that a power cut interrupted finish at the next start, before anything else happens.

use super::connection::{connect, remove_database};
use super::error::{StoreError, io_error};
use super::files;
use super::key::Key;
use super::paths::Paths;
use super::schema::{self, KEPT_TABLES, SESSION_TABLES};
use super::wipe_step::WipeStep;
use chrono::NaiveDateTime;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

/// What survives a wipe besides the settings, which always do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "keep", rename_all = "kebab-case")]
pub enum Keep {
    /// No session at all: "wipe everything".
    NoSessions,
    /// Every session but one: "forget this session".
    AllSessionsBut { id: i64 },
    /// Retention: sessions that ended at or after `since`, and one still running.
    SessionsSince { since: NaiveDateTime },
}

#[derive(Debug, Serialize, Deserialize)]
struct Marker {
    #[serde(flatten)]
    keep: Keep,
    /// The new database holds everything kept: from here on the wipe only goes forward.
    copied: bool,
    at: NaiveDateTime,
}

fn write_marker(paths: &Paths, marker: &Marker) -> Result<(), StoreError> {
    let json = serde_json::to_vec(marker)?;
    files::replace_durably(&paths.wipe_marker, &json).map_err(io_error(&paths.wipe_marker))
}

fn stop_here(step: WipeStep, stop: Option<WipeStep>) -> Result<(), StoreError> {
    if stop == Some(step) {
        return Err(StoreError::Interrupted(step));
    }
    Ok(())
}

/// Runs a whole wipe on the open database `conn`.
pub(super) fn run(
    conn: Connection,
    paths: &Paths,
    keep: &Keep,
    stop: Option<WipeStep>,
) -> Result<(), StoreError> {
    let mut marker = Marker {
        keep: keep.clone(),
        copied: false,
        at: chrono::Local::now().naive_local(),
    };
    write_marker(paths, &marker)?;
    tracing::info!("wipe started ({})", describe(keep));
    if stop == Some(WipeStep::MarkerWritten) {
        // A power cut leaves the connection as it was: no checkpoint, no clean close.
        std::mem::forget(conn);
        return Err(StoreError::Interrupted(WipeStep::MarkerWritten));
    }
    copy_kept(&conn, paths, keep, marker.at)?;
    drop(conn);
    marker.copied = true;
    write_marker(paths, &marker)?;
    stop_here(WipeStep::KeptCopied, stop)?;
    go_forward(paths, stop)
}

/// Finishes a wipe that a power cut (or a crash) interrupted.
pub(super) fn finish_interrupted(paths: &Paths) -> Result<(), StoreError> {
    let marker: Option<Marker> = std::fs::read(&paths.wipe_marker)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok());
    let key_present = paths.key.exists();
    let copied = marker.as_ref().is_some_and(|m| m.copied);
    tracing::warn!("a wipe was interrupted; finishing it");
    if key_present && !copied {
        // The copy may be half done: start it again from the old database, if it still opens.
        // If it does not (or the marker is damaged), nothing is kept: a wipe errs on wiping.
        discard_next(paths)?;
        let kept = match (&marker, Key::read(&paths.key)) {
            (Some(marker), Ok(key)) => connect(&paths.db, &key)
                .and_then(|mut conn| {
                    conn.pragma_update(None, "temp_store", "MEMORY")?;
                    conn.pragma_update(None, "foreign_keys", "ON")?;
                    // Written into a database about to go: the copy needs the same columns.
                    schema::migrate_to(&mut conn, schema::VERSION).map_err(|e| {
                        StoreError::Database {
                            path: paths.db.display().to_string(),
                            reason: e.to_string(),
                        }
                    })?;
                    copy_kept(&conn, paths, &marker.keep, marker.at)
                })
                .map_err(|e| tracing::warn!("the wipe keeps nothing: {e}"))
                .is_ok(),
            _ => false,
        };
        if !kept {
            discard_next(paths)?;
            destroy_old(paths, None)?;
        }
    } else if !copied {
        discard_next(paths)?;
        destroy_old(paths, None)?;
    }
    go_forward(paths, None)
}

/// Crypto-erase with no room on the disk: the key, and those of damaged copies set aside and
/// of a new database half made, are overwritten with zeros where they lie. That needs no free
/// block, and from then on nothing kept can be read with any key on disk. The files stay: the
/// zeroed key is the pending wipe, finished by `finish_erased` at the next open with room.
pub(super) fn erase_in_place(paths: &Paths) -> Result<(), StoreError> {
    files::zero_in_place(&paths.key).map_err(io_error(&paths.key))?;
    let mut others = vec![paths.next_key.clone()];
    for aside in paths.set_aside().map_err(io_error(&paths.dir))? {
        others.push(aside.join(paths.key_file_name()));
    }
    for key in others.iter().filter(|key| key.is_file()) {
        files::zero_in_place(key).map_err(io_error(key))?;
    }
    tracing::warn!("no room for the wipe: the key was destroyed in place; the files go later");
    Ok(())
}

/// Finishes a wipe done in place (the key is zeros): a new key first, so that without room for
/// it nothing changes and the wipe stays pending; then the old files go, and the new key takes
/// the old one's place.
pub(super) fn finish_erased(paths: &Paths) -> Result<(), StoreError> {
    discard_next(paths)?;
    Key::create(&paths.next_key)?;
    remove_database(&paths.db)?;
    destroy_damaged(paths)?;
    std::fs::rename(&paths.next_key, &paths.key).map_err(io_error(&paths.next_key))?;
    files::sync_dir(&paths.dir).map_err(io_error(&paths.dir))?;
    tracing::info!("a wipe done in place was finished: its files are removed");
    Ok(())
}

/// Destroys the old key, then removes the old database files.
fn destroy_old(paths: &Paths, stop: Option<WipeStep>) -> Result<(), StoreError> {
    files::shred(&paths.key).map_err(io_error(&paths.key))?;
    stop_here(WipeStep::OldKeyDestroyed, stop)?;
    remove_database(&paths.db)?;
    stop_here(WipeStep::OldDatabaseRemoved, stop)
}

/// The steps after the copy, each of which may be repeated safely. Which files exist says how
/// far it got: the new key is renamed last, so while `next.key` exists the new database is
/// not yet in place, and once it is gone, `sessions.key` is the new key and must stay.
fn go_forward(paths: &Paths, stop: Option<WipeStep>) -> Result<(), StoreError> {
    if paths.next_key.exists() {
        if paths.next_db.exists() {
            destroy_old(paths, stop)?;
            let [next_db, next_wal, next_shm] = files::database_files(&paths.next_db);
            let [db, wal, _] = files::database_files(&paths.db);
            files::remove_durably(&next_shm).map_err(io_error(&next_shm))?;
            if next_wal.exists() {
                std::fs::rename(&next_wal, &wal).map_err(io_error(&next_wal))?;
            }
            std::fs::rename(&next_db, &db).map_err(io_error(&next_db))?;
        }
        std::fs::rename(&paths.next_key, &paths.key).map_err(io_error(&paths.next_key))?;
        files::sync_dir(&paths.dir).map_err(io_error(&paths.dir))?;
    }
    stop_here(WipeStep::NewDatabaseInPlace, stop)?;
    destroy_damaged(paths)?;
    files::remove_durably(&paths.wipe_marker).map_err(io_error(&paths.wipe_marker))?;
    tracing::info!("wipe finished");
    Ok(())
}

/// Destroys the damaged databases set aside (`damaged-*/`): each holds its own key, so what it
/// holds stays readable until a wipe destroys that key too.
fn destroy_damaged(paths: &Paths) -> Result<(), StoreError> {
    for aside in paths.set_aside().map_err(io_error(&paths.dir))? {
        files::shred(&aside.join(paths.key_file_name())).map_err(io_error(&aside))?;
        for entry in std::fs::read_dir(&aside).map_err(io_error(&aside))? {
            let file = entry.map_err(io_error(&aside))?.path();
            files::remove_durably(&file).map_err(io_error(&file))?;
        }
        std::fs::remove_dir(&aside).map_err(io_error(&aside))?;
        files::sync_dir(&paths.dir).map_err(io_error(&paths.dir))?;
        tracing::info!("a damaged copy set aside was destroyed with the wipe");
    }
    Ok(())
}

/// Removes a half-made new database and its key.
fn discard_next(paths: &Paths) -> Result<(), StoreError> {
    files::shred(&paths.next_key).map_err(io_error(&paths.next_key))?;
    remove_database(&paths.next_db)
}

/// Creates the new database under a new key and copies into it what `keep` keeps.
fn copy_kept(
    conn: &Connection,
    paths: &Paths,
    keep: &Keep,
    at: NaiveDateTime,
) -> Result<(), StoreError> {
    discard_next(paths)?;
    let key = Key::create(&paths.next_key)?;
    {
        let mut next = connect(&paths.next_db, &key)?;
        next.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get::<_, String>(0))?;
        next.pragma_update(None, "synchronous", "FULL")?;
        next.pragma_update(None, "secure_delete", "ON")?;
        schema::migrate_to(&mut next, schema::VERSION).map_err(|e| match e {
            schema::MigrateError::Sql(e) => StoreError::from(e),
            other => StoreError::Database {
                path: paths.next_db.display().to_string(),
                reason: other.to_string(),
            },
        })?;
    }
    // The old database may be at an older version if the wipe is finished at start-up.
    let old_version = schema::version(conn)?;
    conn.execute(
        "ATTACH DATABASE ?1 AS next KEY ?2",
        rusqlite::params![paths.next_db.display().to_string(), key.sql_literal()],
    )?;
    let result = (|| -> Result<(), StoreError> {
        conn.execute_batch("PRAGMA next.synchronous = FULL; BEGIN IMMEDIATE;")?;
        if old_version == schema::VERSION {
            let filter = match keep {
                Keep::NoSessions => "0".to_string(),
                Keep::AllSessionsBut { id } => format!("id != {id}"),
                Keep::SessionsSince { since } => format!(
                    "state = 'running' OR ended_at >= '{}'",
                    since.format("%Y-%m-%dT%H:%M:%S")
                ),
            };
            conn.execute(
                &format!("INSERT INTO next.sessions SELECT * FROM main.sessions WHERE {filter}"),
                [],
            )?;
            for table in &SESSION_TABLES[1..] {
                conn.execute(
                    &format!(
                        "INSERT INTO next.{table} SELECT * FROM main.{table}
                         WHERE session_id IN (SELECT id FROM next.sessions)"
                    ),
                    [],
                )?;
            }
            for table in KEPT_TABLES {
                conn.execute(
                    &format!("INSERT INTO next.{table} SELECT * FROM main.{table}"),
                    [],
                )?;
            }
        }
        conn.execute(
            "INSERT OR REPLACE INTO next.meta (name, value) VALUES ('last_wipe', ?1)",
            [at.format("%Y-%m-%dT%H:%M:%S").to_string()],
        )?;
        conn.execute_batch("COMMIT")?;
        Ok(())
    })();
    if result.is_err() {
        let _ = conn.execute_batch("ROLLBACK");
    }
    conn.execute_batch("DETACH DATABASE next")?;
    result
}

/// For the log: what a wipe keeps, in ids and counts only.
pub fn describe(keep: &Keep) -> String {
    match keep {
        Keep::NoSessions => "everything".into(),
        Keep::AllSessionsBut { id } => format!("session {id}"),
        Keep::SessionsSince { since } => format!("sessions ended before {since}"),
    }
}
