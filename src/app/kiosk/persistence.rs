//! What the store must be told, and when: the session's records as it starts, runs and
//! finishes, the engine's events not yet kept, and commands of their own (wipes, settings).

use super::session::{Session, record_of};
use crate::app::summary;
use crate::domain::engine::MeetingStatus;
use crate::domain::event::Event;
use crate::domain::time::Now;
use crate::store::EndedMeeting;
use crate::store::worker::Command;
use std::time::Duration;

/// A running meeting is saved at least this often, so a power cut loses at most this much.
pub const SAVE_EVERY: Duration = Duration::from_secs(5);

/// What the store already holds of the current session.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Stored {
    #[default]
    Nothing,
    Running,
    Finished,
}

#[derive(Debug, Default)]
pub struct Persistence {
    /// Engine events not yet taken by storage.
    outbox: Vec<Event>,
    /// Store commands not tied to the session's own progress (wipes, settings).
    commands: Vec<Command>,
    stored: Stored,
    /// The session changed since it was last handed to storage.
    dirty: bool,
}

impl Persistence {
    pub fn send(&mut self, command: Command) {
        self.commands.push(command);
    }

    pub fn events(&mut self, events: impl IntoIterator<Item = Event>) {
        self.outbox.extend(events);
    }

    pub fn changed(&mut self) {
        self.dirty = true;
    }

    /// The store holds a running session (one found interrupted at start-up).
    pub fn holds_running(&mut self) {
        self.stored = Stored::Running;
    }

    /// The session is gone from memory and needs nothing more from the store; what was not
    /// yet kept of it is dropped.
    fn drop_session(&mut self) {
        self.outbox.clear();
        self.stored = Stored::Nothing;
    }

    /// "Forget this session": the store drops what it kept of it.
    pub fn forget(&mut self) {
        if self.stored != Stored::Nothing {
            self.send(Command::Forget);
        }
        self.drop_session();
    }

    /// The interrupted meeting cannot be taken up again: the store ends it.
    pub fn abandon(&mut self) {
        self.send(Command::Abandon);
        self.drop_session();
    }

    /// Every session goes, the one in memory too.
    pub fn wipe_all(&mut self) {
        self.drop_session();
        self.send(Command::WipeAll);
    }

    pub fn take_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.outbox)
    }

    /// What storage must do now for `session`. `resuming` says an interrupted meeting is still
    /// on offer (the store must keep it); `periodic` saves a running meeting even if nothing
    /// was pressed, so elapsed time survives a power cut.
    pub fn take(
        &mut self,
        session: Option<&Session>,
        resuming: bool,
        now: Now,
        periodic: bool,
    ) -> Vec<Command> {
        let mut ops = Vec::new();
        let events = std::mem::take(&mut self.outbox);
        match session {
            None => {
                if self.stored != Stored::Nothing && !resuming {
                    ops.push(Command::Close);
                    self.stored = Stored::Nothing;
                }
            }
            Some(session) => {
                let record = Box::new(record_of(session, now));
                match (session.engine.status(), self.stored) {
                    (MeetingStatus::Finished, Stored::Finished) => {
                        if self.dirty || !events.is_empty() {
                            ops.push(Command::Save(record, events));
                        }
                    }
                    (MeetingStatus::Finished, _) => {
                        let ending = EndedMeeting {
                            phases: summary::outcomes(&session.engine, now.mono),
                            ended_at: now.wall,
                            length: session.engine.meeting_elapsed(now.mono),
                            record: *record,
                        };
                        if self.stored == Stored::Nothing {
                            ops.push(Command::Begin(Box::new(ending.record.clone()), Vec::new()));
                        }
                        ops.push(Command::Finish(Box::new(ending), events));
                        self.stored = Stored::Finished;
                    }
                    (_, Stored::Nothing) => {
                        ops.push(Command::Begin(record, events));
                        self.stored = Stored::Running;
                    }
                    (_, _) => {
                        if self.dirty || periodic || !events.is_empty() {
                            ops.push(Command::Save(record, events));
                        }
                    }
                }
            }
        }
        self.dirty = false;
        ops.append(&mut self.commands);
        ops
    }
}
