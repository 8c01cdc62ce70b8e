//! What is kept of a meeting: enough to resume it after a power cut (the engine's snapshot and
//! what the group typed) and, once it is over, how each phase went.

use crate::domain::method::Ms;
use crate::domain::progress::Counted;
use crate::domain::snapshot::Snapshot;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionRecord {
    /// Wall-clock start, for history only: a Pi without a real-time clock may be wrong.
    pub started_at: NaiveDateTime,
    pub snapshot: Snapshot,
    /// The case question of each case, as typed (possibly empty).
    pub questions: Vec<String>,
    /// Whether the question page was done for each case.
    pub asked: Vec<bool>,
    /// Whether it was done again after the case's rephrasing phase (absent in records kept
    /// before the question was asked again).
    #[serde(default)]
    pub reviewed: Vec<bool>,
    /// What was being typed on the question page, not yet the question.
    #[serde(default)]
    pub draft: Option<String>,
    pub evaluation: Option<u8>,
}

/// How one phase went, as the history shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhaseOutcome {
    pub phase_id: String,
    /// The method of the case; `None` for the opening and closing.
    pub method_id: Option<String>,
    /// As planned before the meeting started.
    pub planned: Ms,
    /// Running time, pauses not included.
    pub actual: Ms,
    pub paused: Ms,
    pub skipped: bool,
    /// Its ratings or counted questions, where it has them.
    #[serde(default)]
    pub counted: Counted,
}

/// A meeting that has ended: its record, its phases and its length.
#[derive(Clone, Debug, PartialEq)]
pub struct EndedMeeting {
    pub record: SessionRecord,
    pub phases: Vec<PhaseOutcome>,
    pub ended_at: NaiveDateTime,
    /// Start to end, pauses included.
    pub length: Ms,
}

/// One past meeting in the history list.
#[derive(Clone, Debug, PartialEq)]
pub struct PastSession {
    pub id: i64,
    pub started_at: NaiveDateTime,
    pub ended_at: Option<NaiveDateTime>,
    pub methods: Vec<String>,
    pub members: u8,
    pub target: Ms,
    pub length: Option<Ms>,
    pub evaluation: Option<u8>,
    pub phases: Vec<PhaseOutcome>,
}

/// How far a method's phase runs over its plan on average (negative: it ends early).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Overrun {
    pub method_id: String,
    pub phase_id: String,
    pub sessions: u32,
    pub average: Ms,
}
