//! The wipe asked for by holding both buttons: it counts down on screen, any press calls it
//! off, and it happens when the countdown runs out.

use crate::domain::method::Ms;
use crate::domain::time::Instant;

/// After both buttons are held for the wipe time, the wipe waits this long for a cancelling press.
pub const WIPE_COUNTDOWN: Ms = 10_000;

#[derive(Debug, Default)]
pub struct WipePrompt {
    /// The moment the wipe happens, while the prompt is up.
    deadline: Option<Instant>,
}

impl WipePrompt {
    pub fn open(&mut self, now: Instant) {
        self.deadline = Some(now + WIPE_COUNTDOWN);
    }

    pub fn close(&mut self) {
        self.deadline = None;
    }

    pub fn is_up(&self) -> bool {
        self.deadline.is_some()
    }

    pub fn remaining(&self, now: Instant) -> Option<Ms> {
        self.deadline.map(|d| (d - now).max(0))
    }

    /// Whether the countdown ran out at `now`; the prompt is then closed.
    pub fn ran_out(&mut self, now: Instant) -> bool {
        let due = self.deadline.is_some_and(|d| now >= d);
        if due {
            self.deadline = None;
        }
        due
    }
}
