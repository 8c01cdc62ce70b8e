//! How far a meeting has come: its status, and each phase's and turn's progress, spent time,
//! adjustments, ratings and question counts. The engine keeps these; views and records read them.

use super::event::{EventKind, Rating, Tally};
use super::method::{Ms, Phase};
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
    /// The ratings and counted questions in the order they came, so the last one can be undone.
    #[serde(default)]
    pub marks: Vec<Mark>,
}

/// One rating or counted question, as it can be undone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mark {
    Rated(Rating),
    /// Counted in the phase's turn `turn`, if it has turns.
    Question {
        turn: Option<usize>,
    },
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

    pub fn rate(&mut self, rating: Rating) -> EventKind {
        self.ratings.add(rating);
        self.marks.push(Mark::Rated(rating));
        EventKind::Rated {
            rating,
            tally: self.ratings,
        }
    }

    /// One more question, in the current turn if the phase has turns.
    pub fn count_question(&mut self) -> EventKind {
        self.questions += 1;
        let turn = (!self.turns.is_empty()).then_some(self.turn);
        if let Some(t) = turn {
            self.turns[t].questions += 1;
        }
        self.marks.push(Mark::Question { turn });
        EventKind::QuestionCounted {
            asked: self.questions,
        }
    }

    /// Takes back the last rating or question; `None` when nothing was counted.
    pub fn undo(&mut self) -> Option<EventKind> {
        Some(match self.marks.pop()? {
            Mark::Rated(rating) => {
                self.ratings.remove(rating);
                EventKind::RatingUndone {
                    rating,
                    tally: self.ratings,
                }
            }
            Mark::Question { turn } => {
                self.questions = self.questions.saturating_sub(1);
                if let Some(t) = turn {
                    self.turns[t].questions = self.turns[t].questions.saturating_sub(1);
                }
                EventKind::QuestionUncounted {
                    asked: self.questions,
                }
            }
        })
    }
}

/// What a phase counted, as the summary and the history show it: its ratings where the phase
/// rates, its questions where it counts them on screen (not while they are written in silence).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counted {
    pub ratings: Option<Tally>,
    pub questions: Option<u32>,
}

impl Counted {
    pub fn of(phase: &Phase, progress: &PhaseProgress) -> Counted {
        Counted {
            ratings: phase.mechanics.rating.then_some(progress.ratings),
            questions: phase.counts_questions().then_some(progress.questions),
        }
    }
}
