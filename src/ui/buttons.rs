//! The push buttons on the event loop: edges (brought by `mailbox`) go through the gesture
//! machine and become the kiosk's button gestures; a timer wakes the machine at its next
//! deadline. Also drives the LED and buzzer.

use crate::domain::time::Instant;
use crate::input::gestures::{Button, Edge, Gesture, Gestures};
use crate::input::gpio::Hardware;
use crate::input::outputs::LedPattern;
use crate::input::wiring::Buttons;
use slint::{Timer, TimerMode};
use std::time::Duration;

/// The gesture machine and what it drives.
pub struct ButtonPanel {
    gestures: Gestures,
    timer: Timer,
    hardware: Option<Hardware>,
    led: Option<LedPattern>,
    chirps: ChirpTracker,
}

impl ButtonPanel {
    pub fn new(
        config: &Buttons,
        held: [bool; 2],
        hardware: Option<Hardware>,
        now: Instant,
    ) -> (ButtonPanel, Vec<Gesture>) {
        let (gestures, first) = Gestures::new(config.timing, held, now);
        let panel = ButtonPanel {
            gestures,
            timer: Timer::default(),
            hardware,
            led: None,
            chirps: ChirpTracker::default(),
        };
        (panel, first)
    }

    /// Whether either button is down now.
    pub fn any_pressed(&self) -> bool {
        [Button::Next, Button::Pause]
            .iter()
            .any(|&b| self.gestures.is_pressed(b))
    }

    pub fn edge(&mut self, edge: Edge) {
        self.gestures.edge(edge);
    }

    /// Decides what is due by `now`; returns the gestures and when to look again.
    pub fn advance(&mut self, now: Instant) -> (Vec<Gesture>, Option<Instant>) {
        let out = self.gestures.advance(now);
        (out, self.gestures.next_deadline())
    }

    /// Arms the timer for the gesture machine's next deadline; `due` runs when it is reached.
    pub fn arm(&self, deadline: Option<Instant>, now: Instant, due: impl FnMut() + 'static) {
        let Some(deadline) = deadline else {
            self.timer.stop();
            return;
        };
        let delay = (deadline - now).max(0) as u64;
        self.timer
            .start(TimerMode::SingleShot, Duration::from_millis(delay), due);
    }

    /// Sets the LED when its pattern changes.
    pub fn show(&mut self, pattern: LedPattern) {
        if self.led != Some(pattern) {
            self.led = Some(pattern);
            if let Some(hw) = &mut self.hardware {
                hw.set_led(pattern);
            }
        }
    }

    /// Chirps once when a phase (or turn) reaches zero.
    pub fn phase_time(&mut self, key: (usize, Option<usize>), remaining: i64) {
        if self.chirps.reached_zero(key, remaining)
            && let Some(hw) = &mut self.hardware
        {
            hw.chirp();
        }
    }
}

/// Remembers which phases already chirped, so each does once.
#[derive(Default)]
pub struct ChirpTracker {
    last: Option<((usize, Option<usize>), i64)>,
    done: Vec<(usize, Option<usize>)>,
}

impl ChirpTracker {
    /// `key` is the phase and turn; true the first time its remaining time is seen to reach
    /// zero after being above it.
    pub fn reached_zero(&mut self, key: (usize, Option<usize>), remaining: i64) -> bool {
        let was_above = matches!(self.last, Some((k, r)) if k == key && r > 0);
        self.last = Some((key, remaining));
        if was_above && remaining <= 0 && !self.done.contains(&key) {
            self.done.push(key);
            return true;
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_phase_chirps_once_when_it_reaches_zero() {
        let mut t = ChirpTracker::default();
        assert!(!t.reached_zero((0, None), 5_000));
        assert!(!t.reached_zero((0, None), 1_000));
        assert!(t.reached_zero((0, None), 0));
        assert!(!t.reached_zero((0, None), -1_000));
        // Next phase, entered already over time (skipped back and forth): no chirp.
        assert!(!t.reached_zero((1, None), -5_000));
        // Turns chirp each.
        assert!(!t.reached_zero((2, Some(0)), 1_000));
        assert!(t.reached_zero((2, Some(0)), -200));
        assert!(!t.reached_zero((2, Some(1)), 60_000));
        assert!(t.reached_zero((2, Some(1)), 0));
        // Back to a phase that chirped, and a minute added: not again.
        assert!(!t.reached_zero((0, None), 30_000));
        assert!(!t.reached_zero((0, None), -1));
    }
}
