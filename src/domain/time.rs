//! Time as the engine receives it: a monotonic instant for durations and a wall-clock time for
//! display. The engine never reads a clock; whoever drives it passes `Now` in.

use super::method::Ms;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use std::ops::{Add, Sub};

/// A point on a monotonic clock, in milliseconds from an arbitrary origin. It may be negative:
/// a meeting resumed after a reboot started "before" the new clock's origin.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Instant(pub i64);

impl Sub for Instant {
    type Output = Ms;

    fn sub(self, earlier: Instant) -> Ms {
        self.0 - earlier.0
    }
}

impl Add<Ms> for Instant {
    type Output = Instant;

    fn add(self, ms: Ms) -> Instant {
        Instant(self.0 + ms)
    }
}

impl Sub<Ms> for Instant {
    type Output = Instant;

    fn sub(self, ms: Ms) -> Instant {
        Instant(self.0 - ms)
    }
}

/// The moment an action happens or a view is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Now {
    pub mono: Instant,
    /// Local wall-clock time; only used to show clock times, never for durations.
    pub wall: NaiveDateTime,
}

impl Now {
    pub fn new(mono: Instant, wall: NaiveDateTime) -> Self {
        Now { mono, wall }
    }

    /// The same moment `ms` later, on both clocks (for tests and simulations).
    pub fn after(self, ms: Ms) -> Now {
        Now {
            mono: self.mono + ms,
            wall: self.wall + chrono::TimeDelta::milliseconds(ms),
        }
    }
}
