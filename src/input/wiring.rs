//! How the push buttons, the LED and the buzzer are wired, once the config has been checked:
//! the pins on the 40-pin header and the timing of the gestures.

use super::gestures::Timing;

/// BCM numbers of the GPIO pins on the 40-pin header.
pub const HEADER_PINS: std::ops::RangeInclusive<u8> = 2..=27;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Buttons {
    /// Off: the GPIO is not touched at all (keys and touch still work).
    pub enabled: bool,
    pub next_pin: u8,
    pub pause_pin: u8,
    pub led_pin: Option<u8>,
    pub buzzer_pin: Option<u8>,
    /// Whether a wired buzzer chirps, until the settings page says otherwise.
    pub buzzer: bool,
    pub timing: Timing,
}

impl Default for Buttons {
    fn default() -> Buttons {
        Buttons {
            enabled: true,
            next_pin: 17,
            pause_pin: 27,
            led_pin: None,
            buzzer_pin: None,
            buzzer: false,
            timing: Timing::default(),
        }
    }
}
