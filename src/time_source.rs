//! Where the running program gets its time: the system's monotonic and wall clocks, or a clock
//! a test moves by hand. The screen, the headless kiosk and the GPIO threads all read it.

use crate::domain::time::{Instant, Now};
use chrono::Local;
use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;

/// The kiosk's monotonic clock, readable from any thread (the GPIO interrupt threads).
pub type MonoClock = Arc<dyn Fn() -> Instant + Send + Sync>;

pub trait Clock {
    fn now(&self) -> Now;
}

/// The real clocks: `std::time::Instant` for durations, local time for display.
pub struct SystemClock {
    origin: std::time::Instant,
}

impl SystemClock {
    pub fn new() -> Self {
        SystemClock {
            origin: std::time::Instant::now(),
        }
    }
}

impl SystemClock {
    /// The same monotonic time, readable from other threads (the GPIO interrupt threads).
    pub fn mono(&self) -> MonoClock {
        let origin = self.origin;
        Arc::new(move || Instant(origin.elapsed().as_millis() as i64))
    }
}

impl Default for SystemClock {
    fn default() -> Self {
        SystemClock::new()
    }
}

impl Clock for SystemClock {
    fn now(&self) -> Now {
        Now::new(
            Instant(self.origin.elapsed().as_millis() as i64),
            Local::now().naive_local(),
        )
    }
}

/// The moment every test and benchmark starts at: Monday 23 November 2026, 14:00, with the
/// monotonic clock at zero.
pub fn test_start() -> Now {
    let wall = chrono::NaiveDate::from_ymd_opt(2026, 11, 23)
        .and_then(|d| d.and_hms_opt(14, 0, 0))
        .expect("a valid date");
    Now::new(Instant(0), wall)
}

/// A clock the test moves by hand; clones share the same time.
#[derive(Clone)]
pub struct FakeClock(Rc<Cell<Now>>);

impl FakeClock {
    pub fn new(start: Now) -> Self {
        FakeClock(Rc::new(Cell::new(start)))
    }

    pub fn advance(&self, ms: i64) {
        self.0.set(self.0.get().after(ms));
    }
}

impl Clock for FakeClock {
    fn now(&self) -> Now {
        self.0.get()
    }
}
