//! What the store must be told, and when: the session's records as it starts, runs and
//! finishes, the engine's events not yet kept, and commands of their own (wipes, settings).

use super::session::{Session, record_of};
use crate::app::summary;
use crate::domain::engine::MeetingStatus;
use crate::domain::event::Event;
use crate::domain::method::Ms;
use crate::domain::time::{Instant, Now};
use crate::store::EndedMeeting;
use crate::store::worker::Command;
use std::time::Duration;

/// A running countdown is saved at least this often, so a power cut loses at most this much of
/// its elapsed time (the Pi has no clock that survives the cut to tell how long it ran).
pub const SAVE_EVERY: Duration = Duration::from_secs(5);

/// Whether a running countdown's elapsed time is saved now or when `SAVE_EVERY` has passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveClock {
    /// Only once `SAVE_EVERY` has passed since the last save: what the kiosk does as it runs.
    WhenDue,
    /// Now, as when the headless kiosk's input ends.
    Now,
}

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
    /// When the session was last handed to storage.
    last_saved: Option<Instant>,
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

    /// What storage must do now for `session`: only what changed. `resuming` says an
    /// interrupted meeting is still on offer (the store must keep it). A counting clock is a
    /// change too, saved as `clock` says; a paused or ended meeting, or none, writes nothing
    /// until something happens (each save is a commit and an fsync on the card).
    pub fn take(
        &mut self,
        session: Option<&Session>,
        resuming: bool,
        now: Now,
        clock: SaveClock,
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
                        let counting = !session.engine.is_paused();
                        let due = match (clock, self.last_saved) {
                            (SaveClock::Now, _) | (_, None) => true,
                            (SaveClock::WhenDue, Some(last)) => {
                                now.mono - last >= SAVE_EVERY.as_millis() as Ms
                            }
                        };
                        if self.dirty || !events.is_empty() || (counting && due) {
                            ops.push(Command::Save(record, events));
                        }
                    }
                }
            }
        }
        if ops.iter().any(|op| {
            matches!(
                op,
                Command::Begin(..) | Command::Save(..) | Command::Finish(..)
            )
        }) {
            self.last_saved = Some(now.mono);
        }
        self.dirty = false;
        ops.append(&mut self.commands);
        ops
    }
}
