//! How far a meeting has come: its status, and each phase's and turn's progress, spent time,
//! adjustments, ratings and question counts. The engine keeps these; views and records read them.

use super::event::Tally;
use super::method::Ms;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MeetingStatus {
    NotStarted,
    Running,
    Finished,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Progress {
    Pending,
    Active,
    Done,
    Skipped,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TurnProgress {
    pub status: Progress,
    /// Running time spent in this turn, over every visit.
    pub spent: Ms,
    /// Minutes added or taken off this turn.
    pub adjust: Ms,
    pub questions: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhaseProgress {
    pub status: Progress,
    /// The phase's budget: from the plan, refitted while it is still to come.
    pub budget: Ms,
    /// Minutes added or taken off while it ran.
    pub adjust: Ms,
    /// Running time spent in this phase, over every visit (pauses not included).
    pub spent: Ms,
    /// Time spent paused in this phase.
    pub paused: Ms,
    pub turns: Vec<TurnProgress>,
    /// The current (or last) turn.
    pub turn: usize,
    pub ratings: Tally,
    pub questions: u32,
}

impl PhaseProgress {
    pub fn total_budget(&self) -> Ms {
        self.budget + self.adjust
    }

    /// The nominal budget of turn `i`: an equal share of the phase, plus its own adjustments.
    pub fn turn_budget(&self, i: usize) -> Ms {
        let n = self.turns.len() as Ms;
        let share = self.budget / n;
        let remainder = if i + 1 == self.turns.len() {
            self.budget % n
        } else {
            0
        };
        share + remainder + self.turns[i].adjust
    }
}
