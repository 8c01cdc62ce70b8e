//! The database schema and its migrations. Each migration takes the schema one version up; a
//! database from any earlier version is brought up to date when it is opened.

use rusqlite::{Connection, Transaction};

/// Migration `i` takes a database from version `i` to version `i + 1`.
pub const MIGRATIONS: &[&str] = &[
    // 1: sessions with their record, the events that made them and per-phase results.
    "CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        methods TEXT NOT NULL,
        members INTEGER NOT NULL,
        target_ms INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('running', 'finished')),
        record TEXT NOT NULL,
        evaluation INTEGER
    );
    CREATE TABLE events (
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        at_ms INTEGER NOT NULL,
        phase INTEGER NOT NULL,
        turn INTEGER,
        event TEXT NOT NULL,
        PRIMARY KEY (session_id, seq)
    );
    CREATE TABLE phases (
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        phase_id TEXT NOT NULL,
        method_id TEXT,
        planned_ms INTEGER NOT NULL,
        actual_ms INTEGER NOT NULL,
        paused_ms INTEGER NOT NULL,
        skipped INTEGER NOT NULL,
        PRIMARY KEY (session_id, idx)
    );",
    // 2: settings chosen on the screen, and facts about the store itself (the last wipe, PIN
    // attempts), kept when sessions are wiped.
    "CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
    ALTER TABLE sessions ADD COLUMN length_ms INTEGER;",
    // 3: what a phase counted: its warm/neutral/cold ratings and its questions (NULL where the
    // phase does not rate or count).
    "ALTER TABLE phases ADD COLUMN warm INTEGER;
    ALTER TABLE phases ADD COLUMN neutral INTEGER;
    ALTER TABLE phases ADD COLUMN cold INTEGER;
    ALTER TABLE phases ADD COLUMN questions INTEGER;",
];

pub const VERSION: u32 = MIGRATIONS.len() as u32;

/// The tables copied, in this order, when a wipe keeps something.
pub const SESSION_TABLES: &[&str] = &["sessions", "events", "phases"];
pub const KEPT_TABLES: &[&str] = &["settings", "meta"];

pub fn version(conn: &Connection) -> rusqlite::Result<u32> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// Applies the migrations from the database's version up to `target`, each in its own
/// transaction, so a power cut leaves the database at one version or the next.
pub fn migrate_to(conn: &mut Connection, target: u32) -> Result<u32, MigrateError> {
    let mut current = version(conn)?;
    if current > VERSION {
        return Err(MigrateError::TooNew {
            found: current,
            known: VERSION,
        });
    }
    while current < target {
        let tx: Transaction = conn.transaction()?;
        tx.execute_batch(MIGRATIONS[current as usize])?;
        tx.pragma_update(None, "user_version", current + 1)?;
        tx.commit()?;
        current += 1;
    }
    Ok(current)
}

#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error(
        "the database has schema version {found}, newer than this program knows ({known}); it was left untouched"
    )]
    TooNew { found: u32, known: u32 },
    #[error(transparent)]
    Sql(#[from] rusqlite::Error),
}
