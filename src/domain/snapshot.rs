//! A compact, serialisable picture of a running meeting, from which the engine is rebuilt after a
//! power cut: where it was, how much time each phase had used, and that it was paused.

use super::engine::{Engine, MeetingStatus, PhaseProgress, Settings};
use super::library::Library;
use super::method::Ms;
use super::plan::{MeetingRequest, Plan, PlanError};
use super::time::Instant;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

pub const SNAPSHOT_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub version: u32,
    pub request: MeetingRequest,
    pub planned_start: NaiveDateTime,
    pub settings: Settings,
    pub target: Ms,
    pub status: MeetingStatus,
    /// Meeting time since the start, pauses included. A duration, not a clock reading: the
    /// clock of a Pi without a real-time clock may be wrong after a power cut.
    pub elapsed: Ms,
    pub current: usize,
    /// The phase ids the plan had, to notice method files that changed in between.
    pub phase_ids: Vec<String>,
    pub phases: Vec<PhaseProgress>,
    pub paused_total: Ms,
    /// Whether it was paused (it comes back paused either way; this is for reports).
    #[serde(default)]
    pub paused: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RestoreError {
    #[error("snapshot version {0} is not supported (expected {SNAPSHOT_VERSION})")]
    Version(u32),
    #[error("the saved meeting can no longer be planned: {0}")]
    Plan(#[from] PlanError),
    #[error("the methods changed since the meeting was saved (its phases no longer match)")]
    PhasesChanged,
}

impl Engine {
    /// The state at `now`, with the running stretch and any pause counted in.
    pub fn snapshot(&self, now: Instant) -> Snapshot {
        let mut phases = self.phases.clone();
        let mut paused_total = self.paused_total;
        let current = &mut phases[self.current];
        let running = self.unbanked(now);
        current.spent += running;
        if !current.turns.is_empty() {
            let t = current.turn;
            current.turns[t].spent += running;
        }
        if let Some(since) = self.paused_since {
            let paused = (now - since).max(0);
            current.paused += paused;
            paused_total += paused;
        }
        Snapshot {
            version: SNAPSHOT_VERSION,
            request: self.plan.request.clone(),
            planned_start: self.plan.planned_start,
            settings: self.settings,
            target: self.target,
            status: self.status,
            elapsed: self.meeting_elapsed(now),
            current: self.current,
            phase_ids: self
                .plan
                .phases
                .iter()
                .map(|p| p.phase.id.clone())
                .collect(),
            phases,
            paused_total,
            paused: self.paused_since.is_some(),
        }
    }

    /// Rebuilds a meeting from a snapshot at `now`. A running meeting comes back paused, so the
    /// facilitator decides when the clock goes on.
    pub fn restore(
        library: &Library,
        snapshot: &Snapshot,
        now: Instant,
    ) -> Result<Engine, RestoreError> {
        if snapshot.version != SNAPSHOT_VERSION {
            return Err(RestoreError::Version(snapshot.version));
        }
        let mut plan = Plan::build(library, &snapshot.request, snapshot.planned_start)?;
        let ids: Vec<&str> = plan.phases.iter().map(|p| p.phase.id.as_str()).collect();
        let turns_match = plan
            .phases
            .iter()
            .zip(&snapshot.phases)
            .all(|(p, s)| usize::from(p.turns) == s.turns.len());
        if ids != snapshot.phase_ids
            || snapshot.phases.len() != plan.phases.len()
            || !turns_match
            || snapshot.current >= plan.phases.len()
        {
            return Err(RestoreError::PhasesChanged);
        }
        plan.target = snapshot.target;
        let mut engine = Engine::new(plan, snapshot.settings);
        engine.target = snapshot.target;
        engine.status = snapshot.status;
        engine.phases = snapshot.phases.clone();
        engine.current = snapshot.current;
        engine.paused_total = snapshot.paused_total;
        engine.started_at = now - snapshot.elapsed;
        engine.segment_start = now;
        match snapshot.status {
            MeetingStatus::Running => engine.paused_since = Some(now),
            MeetingStatus::Finished => engine.finished_at = Some(now),
            MeetingStatus::NotStarted => {}
        }
        Ok(engine)
    }
}
