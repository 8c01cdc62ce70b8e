//! The `[buttons]` table of the config: which GPIO pins the push buttons, the LED and the buzzer
//! are on, and the timing of the gestures.

use crate::domain::diagnostic::Diagnostics;
use crate::domain::method::Ms;
use crate::input::wiring::{Buttons, HEADER_PINS};
use serde::Deserialize;
use std::ops::RangeInclusive;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawButtons {
    enabled: Option<bool>,
    next_pin: Option<Spanned<i64>>,
    pause_pin: Option<Spanned<i64>>,
    led_pin: Option<Spanned<i64>>,
    buzzer_pin: Option<Spanned<i64>>,
    buzzer: Option<bool>,
    debounce_ms: Option<Spanned<i64>>,
    long_press_ms: Option<Spanned<i64>>,
}

impl RawButtons {
    /// Validates the table; `check` collects what is wrong.
    pub(super) fn validate(self, check: &mut Diagnostics) -> Buttons {
        let mut buttons = Buttons::default();
        if let Some(enabled) = self.enabled {
            buttons.enabled = enabled;
        }
        if let Some(buzzer) = self.buzzer {
            buttons.buzzer = buzzer;
        }
        let pins = format!(
            "a BCM pin number from {} to {}",
            HEADER_PINS.start(),
            HEADER_PINS.end()
        );
        let mut used: Vec<(u8, &str, usize)> = Vec::new();
        for (value, field) in [
            (&self.next_pin, "buttons.next_pin"),
            (&self.pause_pin, "buttons.pause_pin"),
            (&self.led_pin, "buttons.led_pin"),
            (&self.buzzer_pin, "buttons.buzzer_pin"),
        ] {
            let Some(value) = value else { continue };
            let Some(p) = check.whole(value, field, HEADER_PINS, &pins) else {
                continue;
            };
            match field {
                "buttons.next_pin" => buttons.next_pin = p,
                "buttons.pause_pin" => buttons.pause_pin = p,
                "buttons.led_pin" => buttons.led_pin = Some(p),
                _ => buttons.buzzer_pin = Some(p),
            }
            used.push((p, field, value.span().start));
        }
        // Defaults count too: a LED on pin 17 clashes with the default next button.
        let assigned = [
            (Some(buttons.next_pin), "buttons.next_pin"),
            (Some(buttons.pause_pin), "buttons.pause_pin"),
            (buttons.led_pin, "buttons.led_pin"),
            (buttons.buzzer_pin, "buttons.buzzer_pin"),
        ];
        for (i, (a, a_field)) in assigned.iter().enumerate() {
            for (b, b_field) in &assigned[i + 1..] {
                let Some(pin) = a.filter(|_| a == b) else {
                    continue;
                };
                // Said where the second of the two is written; a default is named as one.
                let written = |field: &str| used.iter().find(|(_, f, _)| *f == field);
                let (field, offset, other) = match (written(b_field), written(a_field)) {
                    (Some((_, _, at)), _) => (*b_field, *at, a_field.to_string()),
                    (None, Some((_, _, at))) => (*a_field, *at, format!("{b_field} (its default)")),
                    (None, None) => continue,
                };
                check.error(
                    offset,
                    field,
                    format!("pin {pin} is already used by {other}"),
                );
            }
        }
        let mut ms = |value: &Option<Spanned<i64>>, field: &str, range: RangeInclusive<Ms>| {
            let allowed = format!("{} to {} ms", range.start(), range.end());
            check.whole(value.as_ref()?, field, range, &allowed)
        };
        // Bounce lasts up to some 30 ms; more than 100 ms would swallow quick presses.
        if let Some(debounce) = ms(&self.debounce_ms, "buttons.debounce_ms", 5..=100) {
            buttons.timing.debounce = debounce;
        }
        if let Some(long) = ms(&self.long_press_ms, "buttons.long_press_ms", 400..=3_000) {
            buttons.timing.long_press = long;
        }
        buttons
    }
}
