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
    pub questions: Vec<String>,
    /// Whether the question page was done (typed or skipped) for each case.
    pub asked: Vec<bool>,
    pub evaluation: Option<u8>,
    pub summary: Option<Summary>,
}

impl Session {
    /// The session a kept record describes, around its rebuilt engine.
    fn from_record(engine: Engine, record: SessionRecord) -> Session {
        Session {
            engine,
            started_at: record.started_at,
            questions: record.questions,
            asked: record.asked,
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
        evaluation: session.evaluation,
    }
}

/// The longest case question: one or two sentences.
pub const MAX_QUESTION_CHARS: usize = 240;

impl Session {
    /// A new meeting on `plan`, started at `now`, with the events its start produced.
    pub fn start(plan: Plan, settings: Settings, now: Now) -> (Session, Vec<Event>) {
        let cases = plan.cases();
        let mut engine = Engine::new(plan, settings);
        let events = match engine.apply(Action::Start, now) {
            Ok(events) => events,
            Err(e) => unreachable!("a new engine always starts: {e}"),
        };
        let session = Session {
            engine,
            started_at: now.wall,
            questions: vec![String::new(); cases],
            asked: vec![false; cases],
            evaluation: None,
            summary: None,
        };
        (session, events)
    }

    /// Carries out `action`; the summary is made the moment the meeting finishes.
    pub fn apply(&mut self, action: Action, now: Now) -> Result<Vec<Event>, Rejected> {
        let events = self.engine.apply(action, now)?;
        if self.engine.status() == MeetingStatus::Finished && self.summary.is_none() {
            self.summary = Some(Summary::of(&self.engine, now.mono));
        }
        Ok(events)
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

    /// The current case's question as it is being typed, cut to the longest one kept; false
    /// outside a case.
    pub fn type_question(&mut self, text: &str) -> bool {
        let Some(case) = self.current_case() else {
            return false;
        };
        self.questions[case] = text.chars().take(MAX_QUESTION_CHARS).collect();
        true
    }

    /// The question page is done for the current case: what was typed is kept, or dropped
    /// when the page was skipped.
    pub fn finish_question(&mut self, skipped: bool) {
        let case = self
            .current_case()
            .expect("the question page belongs to a case");
        self.questions[case] = if skipped {
            String::new()
        } else {
            self.questions[case].trim().to_string()
        };
        self.asked[case] = true;
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
