//! The session engine: a state machine over a meeting plan. Every person's intent arrives as an
//! `Action` with the time it happened; the engine answers with events, and with a `View` of
//! what the screen shows. Remaining time is always derived from instants, never from ticks.

pub use super::action::{Action, Rejected};
pub use super::progress::{Mark, MeetingStatus, PhaseProgress, Progress, TurnProgress};

use super::budget::fit;
use super::event::{Event, EventKind, PhaseExit, Tally};
use super::method::{Actor, Bounds, MINUTE, Ms};
use super::plan::{Plan, Section};
use super::time::{Instant, Now};
use serde::{Deserialize, Serialize};

/// Choices that change how the engine keeps time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// Fit the phases still to come to the time left, so the meeting ends on time.
    pub rebudget: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { rebudget: true }
    }
}

#[derive(Clone, Debug)]
pub struct Engine {
    pub(super) plan: Plan,
    pub(super) settings: Settings,
    /// Meeting length from the start.
    pub(super) target: Ms,
    pub(super) status: MeetingStatus,
    pub(super) started_at: Instant,
    pub(super) finished_at: Option<Instant>,
    pub(super) phases: Vec<PhaseProgress>,
    pub(super) current: usize,
    /// Start of the current uninterrupted running stretch; its time is not yet in `spent`.
    pub(super) segment_start: Instant,
    pub(super) paused_since: Option<Instant>,
    pub(super) paused_total: Ms,
}

impl Engine {
    pub fn new(plan: Plan, settings: Settings) -> Engine {
        let phases = plan
            .phases
            .iter()
            .map(|p| PhaseProgress {
                status: Progress::Pending,
                budget: p.budget,
                adjust: 0,
                spent: 0,
                paused: 0,
                turns: (0..p.turns)
                    .map(|_| TurnProgress {
                        status: Progress::Pending,
                        spent: 0,
                        adjust: 0,
                        questions: 0,
                    })
                    .collect(),
                turn: 0,
                ratings: Tally::default(),
                questions: 0,
                marks: Vec::new(),
            })
            .collect();
        Engine {
            target: plan.target,
            plan,
            settings,
            status: MeetingStatus::NotStarted,
            started_at: Instant::default(),
            finished_at: None,
            phases,
            current: 0,
            segment_start: Instant::default(),
            paused_since: None,
            paused_total: 0,
        }
    }

    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    pub fn settings(&self) -> Settings {
        self.settings
    }

    pub fn status(&self) -> MeetingStatus {
        self.status
    }

    pub fn is_paused(&self) -> bool {
        self.paused_since.is_some()
    }

    pub fn current(&self) -> usize {
        self.current
    }

    pub fn progress(&self) -> &[PhaseProgress] {
        &self.phases
    }

    /// The meeting length the engine steers towards.
    pub fn target(&self) -> Ms {
        self.target
    }

    /// Meeting time since the start (pauses included), frozen once finished.
    pub fn meeting_elapsed(&self, now: Instant) -> Ms {
        match self.status {
            MeetingStatus::NotStarted => 0,
            MeetingStatus::Running => (now - self.started_at).max(0),
            MeetingStatus::Finished => self.finished_at.unwrap_or(now) - self.started_at,
        }
    }

    /// The part of the current running stretch not yet added to `spent`.
    pub(super) fn unbanked(&self, now: Instant) -> Ms {
        if self.status == MeetingStatus::Running && self.paused_since.is_none() {
            (now - self.segment_start).max(0)
        } else {
            0
        }
    }

    pub fn phase_elapsed(&self, now: Instant) -> Ms {
        self.phases[self.current].spent + self.unbanked(now)
    }

    /// Time left in the current phase. A round runs by its turns: the current turn's time left
    /// and the time of the turns still to come; a turn that ended early gives its rest back, one
    /// that ran over takes it from the phase.
    pub fn phase_remaining(&self, now: Instant) -> Ms {
        let p = &self.phases[self.current];
        let Some((current, _, turn_left)) = self.turn_remaining(now) else {
            return p.total_budget() - self.phase_elapsed(now);
        };
        let to_come: Ms = p
            .turns
            .iter()
            .enumerate()
            .filter(|(j, turn)| *j != current && turn.status == Progress::Pending)
            .map(|(j, turn)| (p.turn_budget(j) - turn.spent).max(0))
            .sum();
        if to_come > 0 {
            // A turn running over does not end the round: the turns to come still take their
            // time after it.
            turn_left.max(0) + to_come
        } else {
            turn_left
        }
    }

    /// (turn index, turn count, remaining) when the current phase is a round.
    pub fn turn_remaining(&self, now: Instant) -> Option<(usize, usize, Ms)> {
        let p = &self.phases[self.current];
        if p.turns.is_empty() {
            return None;
        }
        let t = p.turn;
        let elapsed = p.turns[t].spent + self.unbanked(now);
        Some((t, p.turns.len(), p.turn_budget(t) - elapsed))
    }

    /// Applies one action at `now`. On success, returns what happened, in order.
    pub fn apply(&mut self, action: Action, now: Now) -> Result<Vec<Event>, Rejected> {
        let mut events = Vec::new();
        match (self.status, action) {
            (MeetingStatus::NotStarted, Action::Start) => self.start(now, &mut events),
            (MeetingStatus::NotStarted, _) => return Err(Rejected::NotStarted),
            (MeetingStatus::Finished, _) => return Err(Rejected::Finished),
            (MeetingStatus::Running, action) => self.running(action, now.mono, &mut events)?,
        }
        if self.status == MeetingStatus::Running && moves_current_end(action) {
            let from = self.current_phase_end(now.mono);
            self.rebudget(self.current + 1, from, now.mono, &mut events);
        }
        Ok(events)
    }

    fn running(
        &mut self,
        action: Action,
        now: Instant,
        events: &mut Vec<Event>,
    ) -> Result<(), Rejected> {
        let phase = &self.plan.phases[self.current];
        // Checks first, so a rejected action changes nothing.
        match action {
            Action::Start => return Err(Rejected::AlreadyStarted),
            Action::Pause if self.is_paused() => return Err(Rejected::AlreadyPaused),
            Action::Resume if !self.is_paused() => return Err(Rejected::NotPaused),
            Action::Back if self.current == 0 && self.phases[0].turn == 0 => {
                return Err(Rejected::AtFirstPhase);
            }
            Action::SkipTurn if phase.phase.actor != Actor::Round => {
                return Err(Rejected::NotARound);
            }
            Action::EndCase if phase.section.case().is_none() => return Err(Rejected::NotInCase),
            Action::Rate(_) if !phase.phase.mechanics.rating => return Err(Rejected::NoRating),
            Action::CountQuestion if phase.phase.mechanics.question_limit.is_none() => {
                return Err(Rejected::NoQuestionLimit);
            }
            Action::RemoveMinute if self.removable() <= 0 => return Err(Rejected::NothingToRemove),
            Action::Undo if self.phases[self.current].marks.is_empty() => {
                return Err(Rejected::NothingToUndo);
            }
            _ => {}
        }
        match action {
            Action::Start => unreachable!("rejected above"),
            Action::Pause => self.pause(now, events),
            Action::Resume => self.resume(now, events),
            Action::TogglePause if self.is_paused() => self.resume(now, events),
            Action::TogglePause => self.pause(now, events),
            Action::Next => {
                self.resume_for_navigation(now, events);
                self.advance(now, PhaseExit::Completed, events);
            }
            Action::SkipTurn => {
                self.resume_for_navigation(now, events);
                self.advance(now, PhaseExit::Skipped, events);
            }
            Action::Back => {
                self.resume_for_navigation(now, events);
                self.back(now, events);
            }
            Action::AddMinute => self.change_time(MINUTE, now, events),
            Action::RemoveMinute => {
                let amount = self.removable();
                self.change_time(-amount, now, events);
            }
            Action::EndCase => {
                self.resume_for_navigation(now, events);
                self.end_case(now, events);
            }
            Action::EndMeeting => {
                self.resume_for_navigation(now, events);
                self.finish(now, PhaseExit::MeetingEnded, events);
            }
            Action::Rate(rating) => {
                let kind = self.phases[self.current].rate(rating);
                self.emit(now, events, kind);
            }
            Action::CountQuestion => {
                let kind = self.phases[self.current].count_question();
                self.emit(now, events, kind);
            }
            Action::Undo => {
                let kind = self.phases[self.current].undo();
                self.emit(
                    now,
                    events,
                    kind.expect("rejected above when nothing was counted"),
                );
            }
        }
        Ok(())
    }

    fn emit(&self, now: Instant, events: &mut Vec<Event>, kind: EventKind) {
        let p = &self.phases[self.current];
        events.push(Event {
            at: self.meeting_elapsed(now),
            phase: self.current,
            turn: (!p.turns.is_empty()).then_some(p.turn),
            kind,
        });
    }

    fn start(&mut self, now: Now, events: &mut Vec<Event>) {
        // An end-time target counts from the real start, which may be later than planned.
        self.target = self
            .plan
            .request
            .target
            .length_from(now.wall)
            .unwrap_or(self.plan.target);
        if self.settings.rebudget {
            let bounds: Vec<Bounds> = self.plan.phases.iter().map(|p| p.bounds).collect();
            for (p, budget) in self
                .phases
                .iter_mut()
                .zip(fit(&bounds, self.target, MINUTE))
            {
                p.budget = budget;
            }
        }
        self.status = MeetingStatus::Running;
        self.started_at = now.mono;
        let budget = self.phases.iter().map(|p| p.budget).sum();
        self.emit(
            now.mono,
            events,
            EventKind::MeetingStarted {
                target: self.target,
                budget,
            },
        );
        self.enter(0, false, now.mono, events);
    }

    /// Moves the time of the running stretch into the current phase and turn.
    fn bank(&mut self, now: Instant) {
        let ms = self.unbanked(now);
        let p = &mut self.phases[self.current];
        p.spent += ms;
        if !p.turns.is_empty() {
            let t = p.turn;
            p.turns[t].spent += ms;
        }
        self.segment_start = now;
    }

    fn pause(&mut self, now: Instant, events: &mut Vec<Event>) {
        self.bank(now);
        self.paused_since = Some(now);
        self.emit(now, events, EventKind::Paused);
    }

    fn resume(&mut self, now: Instant, events: &mut Vec<Event>) {
        if let Some(since) = self.paused_since.take() {
            let paused = (now - since).max(0);
            self.paused_total += paused;
            self.phases[self.current].paused += paused;
            self.segment_start = now;
            self.emit(now, events, EventKind::Resumed { paused });
        }
    }

    /// Moving to another phase or turn while paused starts the clock again: the group is going on.
    fn resume_for_navigation(&mut self, now: Instant, events: &mut Vec<Event>) {
        if self.is_paused() {
            self.resume(now, events);
        }
    }

    fn enter(&mut self, index: usize, from_behind: bool, now: Instant, events: &mut Vec<Event>) {
        // The phase has not started yet: it takes part in fitting the rest to the time left.
        self.rebudget(index, self.meeting_elapsed(now), now, events);
        self.current = index;
        self.segment_start = now;
        let p = &mut self.phases[index];
        p.status = Progress::Active;
        if !p.turns.is_empty() {
            p.turn = if from_behind {
                p.turns.len() - 1
            } else {
                p.turns
                    .iter()
                    .position(|t| t.status == Progress::Pending)
                    .unwrap_or(0)
            };
            let t = p.turn;
            p.turns[t].status = Progress::Active;
        }
        let budget = p.total_budget();
        self.emit(now, events, EventKind::PhaseStarted { budget });
        self.emit_turn_started(now, events);
    }

    fn emit_turn_started(&mut self, now: Instant, events: &mut Vec<Event>) {
        let p = &self.phases[self.current];
        if !p.turns.is_empty() {
            let budget = p.turn_budget(p.turn);
            self.emit(now, events, EventKind::TurnStarted { budget });
        }
    }

    fn leave_turn(&mut self, how: PhaseExit, now: Instant, events: &mut Vec<Event>) {
        let p = &mut self.phases[self.current];
        if p.turns.is_empty() {
            return;
        }
        let t = p.turn;
        p.turns[t].status = match how {
            PhaseExit::Back => Progress::Pending,
            PhaseExit::Skipped => Progress::Skipped,
            _ => Progress::Done,
        };
        let planned = p.turn_budget(t);
        let actual = p.turns[t].spent;
        self.emit(
            now,
            events,
            EventKind::TurnEnded {
                planned,
                actual,
                how,
            },
        );
    }

    fn leave_phase(&mut self, how: PhaseExit, now: Instant, events: &mut Vec<Event>) {
        self.bank(now);
        self.leave_turn(how, now, events);
        let p = &mut self.phases[self.current];
        p.status = match how {
            PhaseExit::Back => Progress::Pending,
            _ => Progress::Done,
        };
        let (planned, actual) = (p.total_budget(), p.spent);
        self.emit(
            now,
            events,
            EventKind::PhaseEnded {
                planned,
                actual,
                how,
            },
        );
    }

    /// Next turn, or next phase, or the end of the meeting.
    fn advance(&mut self, now: Instant, how: PhaseExit, events: &mut Vec<Event>) {
        let p = &self.phases[self.current];
        if !p.turns.is_empty() && p.turn + 1 < p.turns.len() {
            self.bank(now);
            self.leave_turn(how, now, events);
            let p = &mut self.phases[self.current];
            p.turn += 1;
            let t = p.turn;
            p.turns[t].status = Progress::Active;
            self.emit_turn_started(now, events);
            // A turn ended early or late moves the round's end: the phases after it refit.
            let from = self.current_phase_end(now);
            self.rebudget(self.current + 1, from, now, events);
            return;
        }
        if self.current + 1 == self.phases.len() {
            self.finish(now, how, events);
            return;
        }
        self.leave_phase(how, now, events);
        self.enter(self.current + 1, false, now, events);
    }

    fn back(&mut self, now: Instant, events: &mut Vec<Event>) {
        let p = &self.phases[self.current];
        if !p.turns.is_empty() && p.turn > 0 {
            self.bank(now);
            self.leave_turn(PhaseExit::Back, now, events);
            let p = &mut self.phases[self.current];
            p.turn -= 1;
            let t = p.turn;
            p.turns[t].status = Progress::Active;
            self.emit_turn_started(now, events);
            return;
        }
        self.leave_phase(PhaseExit::Back, now, events);
        self.enter(self.current - 1, true, now, events);
    }

    fn end_case(&mut self, now: Instant, events: &mut Vec<Event>) {
        let section = self.plan.phases[self.current].section;
        let range = self.plan.section_range(section);
        self.leave_phase(PhaseExit::CaseEnded, now, events);
        self.skip_pending(self.current + 1..range.end, now, events);
        if let Section::Case(case) = section {
            self.emit(now, events, EventKind::CaseEnded { case });
        }
        if range.end < self.phases.len() {
            self.enter(range.end, false, now, events);
        } else {
            self.finish_now(now, events);
        }
    }

    fn skip_pending(
        &mut self,
        range: std::ops::Range<usize>,
        now: Instant,
        events: &mut Vec<Event>,
    ) {
        for i in range {
            let p = &mut self.phases[i];
            if p.status != Progress::Pending {
                continue;
            }
            p.status = Progress::Skipped;
            let (planned, actual) = (p.total_budget(), p.spent);
            events.push(Event {
                at: self.meeting_elapsed(now),
                phase: i,
                turn: None,
                kind: EventKind::PhaseEnded {
                    planned,
                    actual,
                    how: PhaseExit::Skipped,
                },
            });
        }
    }

    fn finish(&mut self, now: Instant, how: PhaseExit, events: &mut Vec<Event>) {
        self.leave_phase(how, now, events);
        self.skip_pending(self.current + 1..self.phases.len(), now, events);
        self.finish_now(now, events);
    }

    fn finish_now(&mut self, now: Instant, events: &mut Vec<Event>) {
        self.status = MeetingStatus::Finished;
        self.finished_at = Some(now);
        let length = self.meeting_elapsed(now);
        let target = self.target;
        self.emit(now, events, EventKind::MeetingEnded { length, target });
    }

    /// How much time "a minute less" may take off: never more than the current turn (or phase) has.
    fn removable(&self) -> Ms {
        let p = &self.phases[self.current];
        let budget = if p.turns.is_empty() {
            p.total_budget()
        } else {
            p.turn_budget(p.turn)
        };
        budget.min(MINUTE)
    }

    fn change_time(&mut self, delta: Ms, now: Instant, events: &mut Vec<Event>) {
        let p = &mut self.phases[self.current];
        p.adjust += delta;
        if !p.turns.is_empty() {
            let t = p.turn;
            p.turns[t].adjust += delta;
        }
        let budget = p.total_budget();
        self.emit(now, events, EventKind::TimeChanged { delta, budget });
    }

    /// Where the current phase will end if it runs to its budget (or now, if it is over).
    pub(super) fn current_phase_end(&self, now: Instant) -> Ms {
        self.meeting_elapsed(now) + self.phase_remaining(now).max(0)
    }

    /// The bounds of the time still needed by each phase from `first` on that has not started,
    /// given what it already spent.
    pub(super) fn pending_bounds(&self, first: usize) -> Vec<(usize, Bounds)> {
        self.phases
            .iter()
            .enumerate()
            .filter(|(i, p)| *i >= first && p.status == Progress::Pending)
            .map(|(i, p)| {
                let b = self.plan.phases[i].bounds;
                let left = |ms: Ms| (ms - p.spent).max(0);
                (i, Bounds::new(left(b.min), left(b.default), left(b.max)))
            })
            .collect()
    }

    /// Fits the phases from `first` on that have not started to the time left after `from`
    /// (meeting time), so the meeting still ends on target where their bounds allow.
    fn rebudget(&mut self, first: usize, from: Ms, now: Instant, events: &mut Vec<Event>) {
        if !self.settings.rebudget {
            return;
        }
        let pending = self.pending_bounds(first);
        if pending.is_empty() {
            return;
        }
        let bounds: Vec<Bounds> = pending.iter().map(|(_, b)| *b).collect();
        let fitted = fit(&bounds, self.target - from, MINUTE);
        let mut changed = false;
        for ((i, _), left) in pending.iter().zip(&fitted) {
            let p = &mut self.phases[*i];
            let budget = p.spent + left;
            // A phase left and returned to may carry minutes added or taken off while it ran.
            // The fit already decides its whole time, so those are folded in: kept apart they
            // could even make the total negative.
            changed |= p.total_budget() != budget;
            p.budget = budget;
            p.adjust = 0;
            for turn in &mut p.turns {
                turn.adjust = 0;
            }
        }
        if changed {
            let future = fitted.iter().sum();
            self.emit(now, events, EventKind::Rebudgeted { future });
        }
    }
}

/// Actions that move the end of the current phase. Moving to another phase re-fits on entry.
fn moves_current_end(action: Action) -> bool {
    matches!(
        action,
        Action::AddMinute | Action::RemoveMinute | Action::Resume | Action::TogglePause
    )
}
