//! The meeting the kiosk holds: the one in progress (or just finished), and an interrupted one
//! offered for resuming.

use crate::app::summary::Summary;
use crate::domain::engine::{Action, Engine, MeetingStatus, Rejected, Settings};
use crate::domain::event::Event;
use crate::domain::library::Library;
use crate::domain::plan::Plan;
use crate::domain::snapshot::RestoreError;
use crate::domain::time::Now;
use crate::store::SessionRecord;
use chrono::NaiveDateTime;

/// The meeting in progress (or just finished), with what the group typed and chose.
pub struct Session {
    pub engine: Engine,
    /// Wall-clock start, for the history.
    pub started_at: NaiveDateTime,
    /// Each case's question as it stands (empty: not given).
    pub questions: Vec<String>,
    /// Whether the question page was done (typed or skipped) for each case.
    pub asked: Vec<bool>,
    /// Whether it was done again after the case's rephrasing phase.
    pub reviewed: Vec<bool>,
    /// What is being typed on the question page while it is up; it becomes the question only
    /// when the page is done, so skipping drops it.
    pub draft: Option<String>,
    pub evaluation: Option<u8>,
    pub summary: Option<Summary>,
}

impl Session {
    /// The session a kept record describes, around its rebuilt engine.
    fn from_record(engine: Engine, record: SessionRecord) -> Session {
        let cases = record.questions.len();
        let mut reviewed = record.reviewed;
        // Kept before questions were asked again: nothing was reviewed yet.
        reviewed.resize(cases, false);
        Session {
            engine,
            started_at: record.started_at,
            questions: record.questions,
            asked: record.asked,
            reviewed,
            draft: record.draft,
            evaluation: record.evaluation,
            summary: None,
        }
    }
}

/// An interrupted meeting, offered for resuming.
pub struct ResumeOffer {
    pub record: SessionRecord,
    /// The engine rebuilt (paused), or why it cannot be.
    pub engine: Result<Engine, RestoreError>,
}

/// The record storage keeps of a session at `now`.
pub fn record_of(session: &Session, now: Now) -> SessionRecord {
    SessionRecord {
        started_at: session.started_at,
        snapshot: session.engine.snapshot(now.mono),
        questions: session.questions.clone(),
        asked: session.asked.clone(),
        reviewed: session.reviewed.clone(),
        draft: session.draft.clone(),
        evaluation: session.evaluation,
    }
}

/// Which time the question page asks for a case's question.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuestionAsk {
    /// As the case begins, before its first clock starts.
    First,
    /// After the group rephrased it: keep it or change it.
    Again,
}

/// The longest case question: one or two sentences.
pub const MAX_QUESTION_CHARS: usize = 240;

impl Session {
    /// A new meeting on `plan`, started at `now`, with the events its start produced.
    pub fn start(plan: Plan, settings: Settings, now: Now) -> (Session, Vec<Event>) {
        let cases = plan.cases();
        let mut engine = Engine::new(plan, settings);
        let mut events = match engine.apply(Action::Start, now) {
            Ok(events) => events,
            Err(e) => unreachable!("a new engine always starts: {e}"),
        };
        let mut session = Session {
            engine,
            started_at: now.wall,
            questions: vec![String::new(); cases],
            asked: vec![false; cases],
            reviewed: vec![false; cases],
            draft: None,
            evaluation: None,
            summary: None,
        };
        session.hold_for_question(now, &mut events);
        (session, events)
    }

    /// Carries out `action`; the summary is made the moment the meeting finishes.
    pub fn apply(&mut self, action: Action, now: Now) -> Result<Vec<Event>, Rejected> {
        let mut events = self.engine.apply(action, now)?;
        if self.engine.status() == MeetingStatus::Finished && self.summary.is_none() {
            self.summary = Some(Summary::of(&self.engine, now.mono));
        }
        self.hold_for_question(now, &mut events);
        Ok(events)
    }

    /// The case whose question the page asks now, and which time; `None` when no question is
    /// due (the page is done, or this is not where a case's question is asked).
    pub fn question_due(&self) -> Option<(usize, QuestionAsk)> {
        if self.engine.status() != MeetingStatus::Running {
            return None;
        }
        let case = self.current_case()?;
        if !self.asked[case] {
            return Some((case, QuestionAsk::First));
        }
        let phases = &self.engine.plan().phases;
        let before = phases.get(self.engine.current().checked_sub(1)?)?;
        let rephrased =
            before.section.case() == Some(case) && before.phase.mechanics.rephrases_question;
        (rephrased && !self.reviewed[case]).then_some((case, QuestionAsk::Again))
    }

    /// While the question page is up, the phase's clock waits: the page starts the draft from
    /// the question as it stands and pauses the meeting. Elsewhere there is no draft.
    fn hold_for_question(&mut self, now: Now, events: &mut Vec<Event>) {
        let Some((case, _)) = self.question_due() else {
            self.draft = None;
            return;
        };
        if self.draft.is_none() {
            self.draft = Some(self.questions[case].clone());
        }
        if !self.engine.is_paused() {
            match self.engine.apply(Action::Pause, now) {
                Ok(paused) => events.extend(paused),
                Err(e) => unreachable!("a running meeting pauses: {e}"),
            }
        }
    }

    /// The case under way now, if any (not the opening or the closing).
    pub fn current_case(&self) -> Option<usize> {
        self.engine.plan().phases[self.engine.current()]
            .section
            .case()
    }

    /// A phase's countdown is running: the room reads it without touching anything.
    pub fn counting_down(&self) -> bool {
        self.engine.status() == MeetingStatus::Running && !self.engine.is_paused()
    }

    /// The question as it is being typed on the question page, cut to the longest one kept;
    /// false when the page is not up.
    pub fn type_question(&mut self, text: &str) -> bool {
        let Some(draft) = self.draft.as_mut() else {
            return false;
        };
        *draft = text.chars().take(MAX_QUESTION_CHARS).collect();
        true
    }

    /// The question page is done: what was typed becomes the case's question, or is dropped
    /// when the page was skipped (the question stays as it was: empty the first time). The
    /// phase's clock starts.
    pub fn finish_question(&mut self, skipped: bool, now: Now) -> Vec<Event> {
        let (case, ask) = self
            .question_due()
            .expect("the question page is up only while a question is due");
        let draft = self.draft.take().unwrap_or_default();
        if !skipped {
            self.questions[case] = draft.trim().to_string();
        }
        match ask {
            QuestionAsk::First => self.asked[case] = true,
            QuestionAsk::Again => self.reviewed[case] = true,
        }
        let mut events = Vec::new();
        if self.engine.is_paused() {
            match self.engine.apply(Action::Resume, now) {
                Ok(resumed) => events.extend(resumed),
                Err(e) => unreachable!("a paused meeting resumes: {e}"),
            }
        }
        // A method could ask again right here (a rephrasing first phase): the page stays.
        self.hold_for_question(now, &mut events);
        events
    }
}

impl ResumeOffer {
    /// The meeting the store found running, its engine rebuilt paused at `now` if it can be.
    pub fn of(library: &Library, record: SessionRecord, now: Now) -> ResumeOffer {
        let engine = Engine::restore(library, &record.snapshot, now.mono);
        if let Err(e) = &engine {
            tracing::warn!("the interrupted meeting cannot be resumed: {e}");
        }
        ResumeOffer { record, engine }
    }

    /// The interrupted meeting as a session again (paused), or the offer back when its engine
    /// could not be rebuilt.
    pub fn take_up(self) -> Result<Session, Box<ResumeOffer>> {
        match self.engine {
            Ok(engine) => Ok(Session::from_record(engine, self.record)),
            Err(e) => Err(Box::new(ResumeOffer {
                record: self.record,
                engine: Err(e),
            })),
        }
    }
}
