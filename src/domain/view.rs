//! What the screen shows at a given moment, derived from the engine and the time: never stored,
//! so it cannot drift from the truth.

use super::budget::reachable_total;
use super::engine::{Engine, MeetingStatus, Progress};
use super::event::Tally;
use super::method::{Actor, Bounds, Mechanics, Ms, SECOND};
use super::plan::Section;
use super::text::Text;
use super::time::Now;
use chrono::{NaiveDateTime, TimeDelta};
use serde::Serialize;

/// How a countdown should look.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TimerState {
    NotStarted,
    Running,
    /// Little time left: the screen warns (colour and a label).
    NearEnd,
    /// Past zero: the countdown counts up.
    OverTime,
    Paused,
    Finished,
}

/// When the countdown starts warning: a fifth of the budget, at least 15 s and at most a minute.
pub fn near_end_threshold(budget: Ms) -> Ms {
    (budget / 5).clamp(15 * SECOND, 60 * SECOND)
}

fn timer_state(remaining: Ms, budget: Ms) -> TimerState {
    if remaining < 0 {
        TimerState::OverTime
    } else if remaining <= near_end_threshold(budget) {
        TimerState::NearEnd
    } else {
        TimerState::Running
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TurnView {
    /// Counted from 1, as people count.
    pub number: usize,
    pub count: usize,
    pub budget: Ms,
    pub remaining: Ms,
    pub state: TimerState,
    pub skipped: usize,
    /// The inbrenger takes a turn too (the last one).
    pub inbrenger_turn: bool,
}

/// Where next leads from here: the next turn of a round, the next phase, or the end.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NextUp {
    /// Counted from 1.
    Turn(usize),
    Phase {
        title: Text,
        budget: Ms,
    },
    End,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct QuestionCount {
    pub asked: u32,
    pub limit: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct View {
    /// Meeting time since the start.
    pub at: Ms,
    pub status: MeetingStatus,
    pub paused: bool,
    pub paused_for: Option<Ms>,
    /// The phase countdown's state (paused wins over the others).
    pub state: TimerState,
    pub phase_index: usize,
    pub phases: usize,
    pub section: Section,
    pub section_label: Text,
    pub case: Option<usize>,
    pub cases: usize,
    pub method_id: Option<String>,
    pub phase_id: String,
    pub title: Text,
    pub actor: Actor,
    pub instruction: Text,
    pub rules: Vec<Text>,
    pub mechanics: Mechanics,
    pub budget: Ms,
    pub elapsed: Ms,
    /// Negative past zero.
    pub remaining: Ms,
    pub turn: Option<TurnView>,
    /// Meeting time at which the meeting is now expected to end.
    pub projected_end: Ms,
    pub target_end: Ms,
    /// Positive when behind schedule, negative when ahead.
    pub behind: Ms,
    pub projected_end_clock: NaiveDateTime,
    pub ratings: Tally,
    pub questions: Option<QuestionCount>,
    /// The phase has a rating or counted question that can be taken back.
    pub undoable: bool,
    pub next: NextUp,
}

impl Engine {
    /// Meeting time at which the meeting is expected to end, as things stand at `now`.
    pub fn projected_end(&self, now: Now) -> Ms {
        match self.status {
            MeetingStatus::NotStarted => self.phases.iter().map(|p| p.budget).sum(),
            MeetingStatus::Finished => self.meeting_elapsed(now.mono),
            MeetingStatus::Running => {
                let current_end = self.current_phase_end(now.mono);
                let pending = self.pending_bounds(self.current + 1);
                let future = if self.settings.rebudget {
                    let bounds: Vec<Bounds> = pending.iter().map(|(_, b)| *b).collect();
                    reachable_total(&bounds, self.target - current_end)
                } else {
                    pending
                        .iter()
                        .map(|(i, _)| (self.phases[*i].budget - self.phases[*i].spent).max(0))
                        .sum()
                };
                current_end + future
            }
        }
    }

    pub fn view(&self, now: Now) -> View {
        let i = self.current;
        let planned = &self.plan.phases[i];
        let progress = &self.phases[i];
        let at = self.meeting_elapsed(now.mono);
        let budget = progress.total_budget();
        let elapsed = self.phase_elapsed(now.mono);
        let remaining = self.phase_remaining(now.mono);
        let paused_for = self.paused_since.map(|since| (now.mono - since).max(0));
        let state = match (self.status, paused_for) {
            (MeetingStatus::NotStarted, _) => TimerState::NotStarted,
            (MeetingStatus::Finished, _) => TimerState::Finished,
            (MeetingStatus::Running, Some(_)) => TimerState::Paused,
            (MeetingStatus::Running, None) => timer_state(remaining, budget),
        };
        let turn = self
            .turn_remaining(now.mono)
            .map(|(t, count, turn_remaining)| {
                let turn_budget = progress.turn_budget(t);
                TurnView {
                    number: t + 1,
                    count,
                    budget: turn_budget,
                    remaining: turn_remaining,
                    state: match state {
                        TimerState::Running | TimerState::NearEnd | TimerState::OverTime => {
                            timer_state(turn_remaining, turn_budget)
                        }
                        other => other,
                    },
                    skipped: progress
                        .turns
                        .iter()
                        .filter(|t| t.status == Progress::Skipped)
                        .count(),
                    inbrenger_turn: planned.phase.inbrenger_takes_turn,
                }
            });
        let counted = planned.phase.counts_questions();
        let limit = planned.phase.mechanics.question_limit.filter(|_| counted);
        let questions = limit.map(|limit| {
            if progress.turns.is_empty() {
                let askers = u32::from(self.plan.request.members.saturating_sub(1));
                QuestionCount {
                    asked: progress.questions,
                    limit: limit * askers,
                }
            } else {
                QuestionCount {
                    asked: progress.turns[progress.turn].questions,
                    limit,
                }
            }
        });
        let next = match (&turn, self.plan.phases.get(i + 1)) {
            (Some(t), _) if t.number < t.count => NextUp::Turn(t.number + 1),
            (_, Some(following)) => NextUp::Phase {
                title: following.title(),
                budget: self.phases[i + 1].total_budget(),
            },
            (_, None) => NextUp::End,
        };
        let projected_end = self.projected_end(now);
        View {
            at,
            status: self.status,
            paused: paused_for.is_some(),
            paused_for,
            state,
            phase_index: i,
            phases: self.phases.len(),
            section: planned.section,
            section_label: planned.section.label(),
            case: planned.section.case(),
            cases: self.plan.cases(),
            method_id: planned.method_id.clone(),
            phase_id: planned.phase.id.clone(),
            title: planned.title(),
            actor: planned.phase.actor,
            instruction: planned.phase.instruction.clone(),
            rules: planned.phase.rules.clone(),
            mechanics: planned.phase.mechanics.clone(),
            budget,
            elapsed,
            remaining,
            turn,
            projected_end,
            target_end: self.target,
            behind: projected_end - self.target,
            projected_end_clock: now.wall + TimeDelta::milliseconds(projected_end - at),
            ratings: progress.ratings,
            undoable: !progress.marks.is_empty(),
            questions,
            next,
        }
    }
}
