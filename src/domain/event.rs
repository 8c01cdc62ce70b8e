//! What the engine reports after every change, so storage can keep the meeting as it happened.

use super::method::Ms;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rating {
    Warm,
    Neutral,
    Cold,
}

/// Counts of warm, neutral and cold ratings in a phase.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub warm: u32,
    pub neutral: u32,
    pub cold: u32,
}

impl Tally {
    pub fn add(&mut self, rating: Rating) {
        match rating {
            Rating::Warm => self.warm += 1,
            Rating::Neutral => self.neutral += 1,
            Rating::Cold => self.cold += 1,
        }
    }

    pub fn remove(&mut self, rating: Rating) {
        let count = match rating {
            Rating::Warm => &mut self.warm,
            Rating::Neutral => &mut self.neutral,
            Rating::Cold => &mut self.cold,
        };
        *count = count.saturating_sub(1);
    }

    pub fn total(&self) -> u32 {
        self.warm + self.neutral + self.cold
    }
}

/// How a phase or turn was left.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PhaseExit {
    /// Done, moving on.
    Completed,
    /// Passed over: a skipped turn, or the rest of a case that was ended early.
    Skipped,
    /// Left backwards; it will come again.
    Back,
    /// The case was ended while this phase ran.
    CaseEnded,
    /// The meeting was ended while this phase ran.
    MeetingEnded,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum EventKind {
    MeetingStarted {
        target: Ms,
        budget: Ms,
    },
    PhaseStarted {
        budget: Ms,
    },
    /// `planned` is what the phase had when it was left (budget plus added minutes).
    PhaseEnded {
        planned: Ms,
        actual: Ms,
        how: PhaseExit,
    },
    TurnStarted {
        budget: Ms,
    },
    TurnEnded {
        planned: Ms,
        actual: Ms,
        how: PhaseExit,
    },
    Paused,
    Resumed {
        paused: Ms,
    },
    /// Minutes added (positive) or taken off (negative); `budget` is the phase's new total.
    TimeChanged {
        delta: Ms,
        budget: Ms,
    },
    Rated {
        rating: Rating,
        tally: Tally,
    },
    QuestionCounted {
        asked: u32,
    },
    /// The last rating or counted question was taken back.
    RatingUndone {
        rating: Rating,
        tally: Tally,
    },
    QuestionUncounted {
        asked: u32,
    },
    /// The future phases were fitted again; `future` is their new total.
    Rebudgeted {
        future: Ms,
    },
    CaseEnded {
        case: usize,
    },
    MeetingEnded {
        length: Ms,
        target: Ms,
    },
}

/// One thing that happened, `at` milliseconds of meeting time after the start.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub at: Ms,
    pub phase: usize,
    pub turn: Option<usize>,
    #[serde(flatten)]
    pub kind: EventKind,
}
