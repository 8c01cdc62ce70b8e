//! What the kiosk shows besides the screen: the status LED's pattern and the buzzer's chirp,
//! whatever drives them (the GPIO on a Pi, a fake in tests).

/// How the status LED shows the meeting's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LedPattern {
    /// No meeting.
    Off,
    /// A phase is running.
    On,
    /// Paused: one slow blink a second.
    SlowBlink,
    /// Over time: four quick blinks a second.
    FastBlink,
}

impl LedPattern {
    /// Blinks per second and the share of each blink the LED is lit.
    pub fn blink(self) -> Option<(f64, f64)> {
        match self {
            LedPattern::Off | LedPattern::On => None,
            LedPattern::SlowBlink => Some((1.0, 0.5)),
            LedPattern::FastBlink => Some((4.0, 0.5)),
        }
    }
}

/// What the program drives besides reading the buttons.
pub trait Outputs {
    fn set_led(&mut self, pattern: LedPattern);
    /// One short chirp; returns at once.
    fn chirp(&mut self);
}
