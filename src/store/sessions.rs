//! Reading and writing sessions: the running meeting's record, its events, how it ended, the
//! history and the figures shown about it.

use super::error::StoreError;
use super::handle::Store;
use super::record::{EndedMeeting, Overrun, PastSession, PhaseOutcome, SessionRecord};
use super::schema;
use crate::domain::event::Event;
use crate::domain::event::Tally;
use crate::domain::method::Ms;
use crate::domain::progress::Counted;
use chrono::NaiveDateTime;
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

const TIME_FORMAT: &str = "%Y-%m-%dT%H:%M:%S";

fn time(t: NaiveDateTime) -> String {
    t.format(TIME_FORMAT).to_string()
}

fn parse_time(s: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(s, TIME_FORMAT).ok()
}

/// A meeting that was running when the kiosk stopped.
#[derive(Clone, Debug, PartialEq)]
pub struct RunningSession {
    pub id: i64,
    pub record: SessionRecord,
}

/// What `status` reports: facts about the store, no content.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StoreStatus {
    pub data_dir: String,
    pub schema_version: u32,
    pub sessions: u32,
    pub running: Option<i64>,
    pub last_wipe: Option<String>,
    /// When the newest meeting started, by the kiosk's clock at the time.
    #[serde(skip)]
    pub last_started: Option<NaiveDateTime>,
}

impl Store {
    /// Starts keeping a new meeting; it becomes the current session.
    pub fn begin(&mut self, record: &SessionRecord) -> Result<i64, StoreError> {
        let snapshot = &record.snapshot;
        let methods: Vec<&str> = snapshot
            .request
            .cases
            .iter()
            .map(|c| c.method.as_str())
            .collect();
        self.conn().execute(
            "INSERT INTO sessions (started_at, methods, members, target_ms, state, record)
             VALUES (?1, ?2, ?3, ?4, 'running', ?5)",
            params![
                time(record.started_at),
                serde_json::to_string(&methods)?,
                snapshot.request.members,
                snapshot.target,
                serde_json::to_string(record)?
            ],
        )?;
        let id = self.conn().last_insert_rowid();
        self.current = Some(id);
        self.next_seq = 0;
        tracing::info!("session {id} started");
        Ok(id)
    }

    pub fn current(&self) -> Option<i64> {
        self.current
    }

    /// Keeps the current session's record (where it is, how much time has passed).
    pub fn save(&mut self, record: &SessionRecord) -> Result<(), StoreError> {
        let Some(id) = self.current else {
            return Ok(());
        };
        self.conn().execute(
            "UPDATE sessions SET record = ?1, evaluation = ?2 WHERE id = ?3",
            params![serde_json::to_string(record)?, record.evaluation, id],
        )?;
        Ok(())
    }

    /// Appends the engine's events to the current session.
    pub fn append_events(&mut self, events: &[Event]) -> Result<(), StoreError> {
        let Some(id) = self.current else {
            return Ok(());
        };
        let tx = self.conn.transaction()?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO events (session_id, seq, at_ms, phase, turn, event)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for (i, event) in events.iter().enumerate() {
                insert.execute(params![
                    id,
                    self.next_seq + i as i64,
                    event.at,
                    event.phase as i64,
                    event.turn.map(|t| t as i64),
                    serde_json::to_string(&event.kind)?
                ])?;
            }
        }
        tx.commit()?;
        self.next_seq += events.len() as i64;
        Ok(())
    }

    /// Marks the current session as ended, with how each phase went.
    pub fn finish(&mut self, ending: &EndedMeeting) -> Result<(), StoreError> {
        let Some(id) = self.current else {
            return Ok(());
        };
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE sessions SET state = 'finished', ended_at = ?1, length_ms = ?2, record = ?3,
             evaluation = ?4 WHERE id = ?5",
            params![
                time(ending.ended_at),
                ending.length,
                serde_json::to_string(&ending.record)?,
                ending.record.evaluation,
                id
            ],
        )?;
        tx.execute("DELETE FROM phases WHERE session_id = ?1", [id])?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO phases (session_id, idx, phase_id, method_id, planned_ms, actual_ms,
                 paused_ms, skipped, warm, neutral, cold, questions)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )?;
            for (i, p) in ending.phases.iter().enumerate() {
                insert.execute(params![
                    id,
                    i as i64,
                    p.phase_id,
                    p.method_id,
                    p.planned,
                    p.actual,
                    p.paused,
                    p.skipped,
                    p.counted.ratings.map(|t| t.warm),
                    p.counted.ratings.map(|t| t.neutral),
                    p.counted.ratings.map(|t| t.cold),
                    p.counted.questions,
                ])?;
            }
        }
        tx.commit()?;
        tracing::info!("session {id} ended ({} phases)", ending.phases.len());
        Ok(())
    }

    /// Marks the running session as ended without results: it could not be resumed.
    pub fn abandon(&mut self) -> Result<(), StoreError> {
        let Some(id) = self.current else {
            return Ok(());
        };
        self.conn().execute(
            "UPDATE sessions SET state = 'finished', ended_at = ?1 WHERE id = ?2",
            params![time(chrono::Local::now().naive_local()), id],
        )?;
        tracing::info!("session {id} ended without being resumed");
        Ok(())
    }

    /// The meeting that was running when the kiosk stopped, if any.
    pub fn running(&self) -> Result<Option<RunningSession>, StoreError> {
        let row: Option<(i64, String)> = self
            .conn()
            .query_row(
                "SELECT id, record FROM sessions WHERE state = 'running' ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        match row {
            None => Ok(None),
            Some((id, json)) => Ok(Some(RunningSession {
                id,
                record: serde_json::from_str(&json)?,
            })),
        }
    }

    /// How many engine events session `id` has.
    pub fn event_count(&self, id: i64) -> Result<u32, StoreError> {
        Ok(self.conn().query_row(
            "SELECT count(*) FROM events WHERE session_id = ?1",
            [id],
            |r| r.get(0),
        )?)
    }

    /// The kept record of session `id`.
    pub fn record(&self, id: i64) -> Result<Option<SessionRecord>, StoreError> {
        let json: Option<String> = self
            .conn()
            .query_row("SELECT record FROM sessions WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(match json {
            Some(json) => Some(serde_json::from_str(&json)?),
            None => None,
        })
    }

    pub(super) fn running_id(&self) -> Result<Option<i64>, StoreError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT id FROM sessions WHERE state = 'running' ORDER BY id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?)
    }

    pub(super) fn next_event_seq(&self) -> Result<i64, StoreError> {
        let Some(id) = self.current else {
            return Ok(0);
        };
        Ok(self.conn().query_row(
            "SELECT coalesce(max(seq) + 1, 0) FROM events WHERE session_id = ?1",
            [id],
            |r| r.get(0),
        )?)
    }

    /// Ended meetings, newest first, with their phases.
    pub fn history(&self) -> Result<Vec<PastSession>, StoreError> {
        let mut sessions = Vec::new();
        let mut query = self.conn().prepare(
            "SELECT id, started_at, ended_at, methods, members, target_ms, length_ms, evaluation
             FROM sessions WHERE state = 'finished' ORDER BY id DESC",
        )?;
        let rows = query.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, u8>(4)?,
                r.get::<_, Ms>(5)?,
                r.get::<_, Option<Ms>>(6)?,
                r.get::<_, Option<u8>>(7)?,
            ))
        })?;
        for row in rows {
            let (id, started, ended, methods, members, target, length, evaluation) = row?;
            sessions.push(PastSession {
                id,
                started_at: parse_time(&started).unwrap_or_default(),
                ended_at: ended.as_deref().and_then(parse_time),
                methods: serde_json::from_str(&methods)?,
                members,
                target,
                length,
                evaluation,
                phases: self.phases_of(id)?,
            });
        }
        Ok(sessions)
    }

    fn phases_of(&self, id: i64) -> Result<Vec<PhaseOutcome>, StoreError> {
        let mut query = self.conn().prepare_cached(
            "SELECT phase_id, method_id, planned_ms, actual_ms, paused_ms, skipped,
             warm, neutral, cold, questions
             FROM phases WHERE session_id = ?1 ORDER BY idx",
        )?;
        let rows = query.query_map([id], |r| {
            Ok(PhaseOutcome {
                phase_id: r.get(0)?,
                method_id: r.get(1)?,
                planned: r.get(2)?,
                actual: r.get(3)?,
                paused: r.get(4)?,
                skipped: r.get(5)?,
                counted: Counted {
                    ratings: match (r.get(6)?, r.get(7)?, r.get(8)?) {
                        (Some(warm), Some(neutral), Some(cold)) => Some(Tally {
                            warm,
                            neutral,
                            cold,
                        }),
                        _ => None,
                    },
                    questions: r.get(9)?,
                },
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Per method and phase: how far it ran over its plan on average. Skipped phases are left
    /// out: they say nothing about how long the phase takes.
    pub fn overruns(&self) -> Result<Vec<Overrun>, StoreError> {
        let mut query = self.conn().prepare(
            "SELECT method_id, phase_id, count(*), CAST(round(avg(actual_ms - planned_ms)) AS INTEGER)
             FROM phases WHERE method_id IS NOT NULL AND skipped = 0
             GROUP BY method_id, phase_id ORDER BY method_id, min(idx)",
        )?;
        let rows = query.query_map([], |r| {
            Ok(Overrun {
                method_id: r.get(0)?,
                phase_id: r.get(1)?,
                sessions: r.get(2)?,
                average: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Finished sessions whose end is before `cutoff` (for retention).
    pub fn ended_before(&self, cutoff: NaiveDateTime) -> Result<u32, StoreError> {
        Ok(self.conn().query_row(
            "SELECT count(*) FROM sessions WHERE state = 'finished' AND ended_at < ?1",
            [time(cutoff)],
            |r| r.get(0),
        )?)
    }

    pub fn finished_count(&self) -> Result<u32, StoreError> {
        Ok(self.conn().query_row(
            "SELECT count(*) FROM sessions WHERE state = 'finished'",
            [],
            |r| r.get(0),
        )?)
    }

    pub fn status(&self) -> Result<StoreStatus, StoreError> {
        Ok(StoreStatus {
            data_dir: self.paths.dir.display().to_string(),
            schema_version: schema::version(self.conn())?,
            sessions: self
                .conn()
                .query_row("SELECT count(*) FROM sessions", [], |r| r.get(0))?,
            running: self.running_id()?,
            last_wipe: self.meta("last_wipe")?,
            last_started: self
                .conn()
                .query_row("SELECT max(started_at) FROM sessions", [], |r| {
                    r.get::<_, Option<String>>(0)
                })?
                .as_deref()
                .and_then(parse_time),
        })
    }

    pub fn setting(&self, name: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn()
            .query_row("SELECT value FROM settings WHERE name = ?1", [name], |r| {
                r.get(0)
            })
            .optional()?)
    }

    pub fn set_setting(&mut self, name: &str, value: &str) -> Result<(), StoreError> {
        self.conn().execute(
            "INSERT OR REPLACE INTO settings (name, value) VALUES (?1, ?2)",
            params![name, value],
        )?;
        Ok(())
    }

    pub fn settings(&self) -> Result<Vec<(String, String)>, StoreError> {
        let mut query = self
            .conn()
            .prepare("SELECT name, value FROM settings ORDER BY name")?;
        let rows = query.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn meta(&self, name: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn()
            .query_row("SELECT value FROM meta WHERE name = ?1", [name], |r| {
                r.get(0)
            })
            .optional()?)
    }

    pub fn set_meta(&mut self, name: &str, value: &str) -> Result<(), StoreError> {
        self.conn().execute(
            "INSERT OR REPLACE INTO meta (name, value) VALUES (?1, ?2)",
            params![name, value],
        )?;
        Ok(())
    }
}
