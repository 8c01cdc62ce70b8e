//! What the summary page shows after a meeting: planned against actual, per phase.

use crate::domain::engine::{Engine, Progress};
use crate::domain::method::Ms;
use crate::domain::plan::Section;
use crate::domain::progress::Counted;
use crate::domain::text::Text;
use crate::store::PhaseOutcome;

/// How each phase went, for the history: planned against actual, with pauses.
pub fn outcomes(engine: &Engine, now: crate::domain::time::Instant) -> Vec<PhaseOutcome> {
    let snapshot = engine.snapshot(now);
    engine
        .plan()
        .phases
        .iter()
        .zip(&snapshot.phases)
        .map(|(planned, progress)| PhaseOutcome {
            phase_id: planned.phase.id.clone(),
            method_id: planned.method_id.clone(),
            planned: planned.budget,
            actual: progress.spent,
            paused: progress.paused,
            skipped: progress.status == Progress::Skipped,
            counted: Counted::of(&planned.phase, progress),
        })
        .collect()
}

#[derive(Clone, Debug, PartialEq)]
pub struct PhaseResult {
    pub section: Section,
    pub title: Text,
    /// As planned before the meeting started.
    pub planned: Ms,
    /// Time it actually ran (pauses not included).
    pub actual: Ms,
    pub skipped: bool,
    pub counted: Counted,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    pub phases: Vec<PhaseResult>,
    pub planned_total: Ms,
    /// From start to end, pauses included.
    pub actual_total: Ms,
    pub paused_total: Ms,
}

impl Summary {
    pub fn of(engine: &Engine, now: crate::domain::time::Instant) -> Summary {
        let snapshot = engine.snapshot(now);
        let plan = engine.plan();
        let phases = plan
            .phases
            .iter()
            .zip(&snapshot.phases)
            .map(|(planned, progress)| PhaseResult {
                section: planned.section,
                title: planned.title(),
                planned: planned.budget,
                actual: progress.spent,
                skipped: progress.status == Progress::Skipped,
                counted: Counted::of(&planned.phase, progress),
            })
            .collect();
        Summary {
            phases,
            planned_total: plan.total_budget(),
            actual_total: snapshot.elapsed,
            paused_total: snapshot.paused_total,
        }
    }

    /// The longest bar in the chart, so every bar can be drawn relative to it.
    pub fn longest(&self) -> Ms {
        self.phases
            .iter()
            .map(|p| p.planned.max(p.actual))
            .max()
            .unwrap_or(0)
            .max(1)
    }
}
