//! The PIN that IT may set before settings and history: the pad's digits, the store's answer,
//! and whether the gate stays open until the kiosk goes home.

use crate::app::page::Page;
use crate::domain::method::Ms;
use crate::domain::time::Instant;
use crate::store::pin::{MAX_DIGITS, check_format};
use crate::store::worker::PinAnswer;

/// The PIN pad: what it opens, the digits so far and what the last attempt said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PinEntry {
    pub opens: Page,
    pub digits: String,
    pub status: PinStatus,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PinStatus {
    Typing,
    Checking,
    /// The last PIN was wrong; another may be tried at once.
    Wrong,
    /// Too many wrong PINs: nothing can be typed until then.
    Waiting {
        until: Instant,
    },
}

impl PinStatus {
    /// Milliseconds left of the wait, while there is one.
    pub fn wait_left(self, now: Instant) -> Option<Ms> {
        match self {
            PinStatus::Waiting { until } if until > now => Some(until - now),
            _ => None,
        }
    }
}

#[derive(Debug, Default)]
pub struct PinGate {
    /// IT set a PIN: settings and history ask for it.
    set: bool,
    /// The PIN was given; settings and history stay open until the kiosk goes home.
    unlocked: bool,
    entry: Option<PinEntry>,
}

impl PinGate {
    pub fn set_by_it(&mut self, set: bool) {
        self.set = set;
    }

    pub fn entry(&self) -> Option<&PinEntry> {
        self.entry.as_ref()
    }

    /// Whether `page` may open now; if not, the pad is up and asks for the PIN first.
    pub fn lets_through(&mut self, page: Page) -> bool {
        if self.set && !self.unlocked {
            self.entry = Some(PinEntry {
                opens: page,
                digits: String::new(),
                status: PinStatus::Typing,
            });
            return false;
        }
        true
    }

    /// The kiosk went home: the next visit asks again.
    pub fn close(&mut self) {
        self.unlocked = false;
    }

    pub fn cancel(&mut self) {
        self.entry = None;
    }

    /// Ends a wait that ran out: the pad takes digits again and the message goes. Returns
    /// whether it did.
    pub fn tick(&mut self, now: Instant) -> bool {
        let Some(entry) = self.entry.as_mut() else {
            return false;
        };
        if matches!(entry.status, PinStatus::Waiting { until } if until <= now) {
            entry.status = PinStatus::Typing;
            return true;
        }
        false
    }

    /// One more digit typed; false when the pad takes none now (checking, waiting, or full).
    pub fn digit(&mut self, digit: u8) -> bool {
        let Some(entry) = self.entry.as_mut() else {
            return false;
        };
        if matches!(
            entry.status,
            PinStatus::Checking | PinStatus::Waiting { .. }
        ) || entry.digits.len() >= MAX_DIGITS
        {
            return false;
        }
        entry.digits.push(char::from(b'0' + digit));
        entry.status = PinStatus::Typing;
        true
    }

    pub fn backspace(&mut self) {
        if let Some(entry) = self.entry.as_mut() {
            entry.digits.pop();
        }
    }

    /// The digits to send to the store for checking, if they can be a PIN.
    pub fn submit(&mut self) -> Option<String> {
        let entry = self.entry.as_mut()?;
        if check_format(&entry.digits).is_err()
            || matches!(
                entry.status,
                PinStatus::Checking | PinStatus::Waiting { .. }
            )
        {
            return None;
        }
        entry.status = PinStatus::Checking;
        Some(std::mem::take(&mut entry.digits))
    }

    /// The store's answer at `now` to the PIN typed: the page to open when it was right.
    pub fn answer(&mut self, answer: PinAnswer, now: Instant) -> Option<Page> {
        let entry = self.entry.as_mut()?;
        match answer {
            PinAnswer::Right | PinAnswer::NotSet => {
                let opens = entry.opens;
                self.entry = None;
                self.unlocked = true;
                return Some(opens);
            }
            PinAnswer::Wrong { wait } | PinAnswer::Locked { wait } if !wait.is_zero() => {
                let wait = Ms::try_from(wait.as_millis()).unwrap_or(Ms::MAX / 4);
                entry.status = PinStatus::Waiting { until: now + wait };
                entry.digits.clear();
            }
            PinAnswer::Wrong { .. } | PinAnswer::Locked { .. } => entry.status = PinStatus::Wrong,
        }
        None
    }
}
