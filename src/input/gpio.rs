//! The Raspberry Pi's GPIO at the edge of the program: two push buttons (active low, internal
//! pull-up), an optional status LED and an optional buzzer. Interrupt threads only stamp each
//! edge with the kiosk's clock and hand it on; everything else happens on the event loop.
//! Without the `gpio` feature, or off a Pi, opening reports why and nothing else changes.

use super::gestures::Edge;
use super::outputs::{LedPattern, Outputs};
use crate::input::wiring::Buttons;
use crate::time_source::MonoClock;
use std::sync::Arc;

/// Where edges go: called on an interrupt thread, so it must only pass them on.
pub type EdgeSink = Arc<dyn Fn(Edge) + Send + Sync>;

/// Why the buttons are not in use. `Absent` is normal off a Pi; the others need IT.
#[derive(Debug)]
pub enum GpioTrouble {
    /// Built without the `gpio` feature, or not a Raspberry Pi, or switched off in the config.
    Absent(String),
    /// A Pi, but the buttons cannot be used: no access, a pin in use, ...
    Failed(String),
}

impl std::fmt::Display for GpioTrouble {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GpioTrouble::Absent(why) | GpioTrouble::Failed(why) => f.write_str(why),
        }
    }
}

/// The opened GPIO: holds the pins (dropping it releases them) and drives the outputs.
pub struct Hardware {
    /// Each button's level at start-up (Next, Pause): true when held.
    pub held_at_start: [bool; 2],
    outputs: Box<dyn Outputs>,
    #[cfg(feature = "gpio")]
    _pins: Vec<rpi_pal::gpio::InputPin>,
}

impl Hardware {
    pub fn set_led(&mut self, pattern: LedPattern) {
        self.outputs.set_led(pattern);
    }

    pub fn chirp(&mut self) {
        self.outputs.chirp();
    }
}

/// Opens the buttons (and LED and buzzer) from the config; edges go to `sink`, stamped by `clock`.
pub fn open(config: &Buttons, clock: MonoClock, sink: EdgeSink) -> Result<Hardware, GpioTrouble> {
    if !config.enabled {
        return Err(GpioTrouble::Absent(
            "buttons are switched off in the config ([buttons] enabled = false)".into(),
        ));
    }
    open_pins(config, clock, sink)
}

#[cfg(not(feature = "gpio"))]
fn open_pins(_: &Buttons, _: MonoClock, _: EdgeSink) -> Result<Hardware, GpioTrouble> {
    Err(GpioTrouble::Absent(
        "this build has no GPIO support (cargo feature `gpio`)".into(),
    ))
}

#[cfg(feature = "gpio")]
fn open_pins(config: &Buttons, clock: MonoClock, sink: EdgeSink) -> Result<Hardware, GpioTrouble> {
    use super::gestures::Button;
    use rpi_pal::gpio::{Gpio, Trigger};

    let gpio = Gpio::new().map_err(|e| explain(None, e))?;
    let mut pins = Vec::new();
    let mut held_at_start = [false; 2];
    for (button, number) in [
        (Button::Next, config.next_pin),
        (Button::Pause, config.pause_pin),
    ] {
        let mut pin = gpio
            .get(number)
            .map_err(|e| explain(Some(number), e))?
            .into_input_pullup();
        held_at_start[usize::from(button == Button::Pause)] = pin.is_low();
        let sink = sink.clone();
        let clock = clock.clone();
        pin.set_async_interrupt(Trigger::Both, None, move |event| {
            // Wired to ground: falling is pressed.
            sink(Edge {
                button,
                pressed: event.trigger == Trigger::FallingEdge,
                at: clock(),
            });
        })
        .map_err(|e| explain(Some(number), e))?;
        pins.push(pin);
    }
    let outputs = pi_outputs::PiOutputs::open(&gpio, config).map_err(|(pin, e)| explain(pin, e))?;
    Ok(Hardware {
        held_at_start,
        outputs: Box::new(outputs),
        _pins: pins,
    })
}

/// Turns rpi-pal's error into what IT needs to read; `pin` is the pin being set up, if any.
#[cfg(feature = "gpio")]
fn explain(pin: Option<u8>, e: rpi_pal::gpio::Error) -> GpioTrouble {
    use rpi_pal::gpio::Error;
    let at = pin.map_or(String::new(), |p| format!("GPIO {p}: "));
    match e {
        Error::UnknownModel => GpioTrouble::Absent("not a Raspberry Pi".into()),
        Error::PermissionDenied(path) => GpioTrouble::Failed(format!(
            "{at}no access to {path}; the service user must be in the `gpio` group"
        )),
        Error::PinUsed(p) => GpioTrouble::Failed(format!(
            "GPIO {p} is already in use by this program; check [buttons] for a pin used twice"
        )),
        Error::PinNotAvailable(p) => {
            GpioTrouble::Failed(format!("GPIO {p} does not exist on this board"))
        }
        Error::Io(e) if e.kind() == std::io::ErrorKind::ResourceBusy => GpioTrouble::Failed(
            format!("{at}in use by another program or a device-tree overlay"),
        ),
        other => GpioTrouble::Failed(format!("{at}{other}")),
    }
}

#[cfg(feature = "gpio")]
mod pi_outputs {
    //! The LED (software PWM for blinking, on rpi-pal's own thread) and the buzzer (a short
    //! pulse on a thread of its own, so the event loop never sleeps).

    use crate::input::outputs::{LedPattern, Outputs};
    use crate::input::wiring::Buttons;
    use rpi_pal::gpio::{Error, Gpio, OutputPin};
    use std::sync::mpsc::{Sender, channel};
    use std::time::Duration;

    pub struct PiOutputs {
        led: Option<OutputPin>,
        buzzer: Option<Sender<()>>,
    }

    impl PiOutputs {
        pub fn open(gpio: &Gpio, config: &Buttons) -> Result<PiOutputs, (Option<u8>, Error)> {
            let led = match config.led_pin {
                Some(p) => Some(gpio.get(p).map_err(|e| (Some(p), e))?.into_output_low()),
                None => None,
            };
            // Wired means ready: whether it chirps is a setting on the screen.
            let buzzer = match config.buzzer_pin {
                Some(p) => {
                    let mut pin = gpio.get(p).map_err(|e| (Some(p), e))?.into_output_low();
                    let (tx, rx) = channel::<()>();
                    std::thread::Builder::new()
                        .name("buzzer".into())
                        .spawn(move || {
                            for () in rx {
                                pin.set_high();
                                std::thread::sleep(Duration::from_millis(60));
                                pin.set_low();
                            }
                        })
                        .map_err(|e| (Some(p), Error::Io(e)))?;
                    Some(tx)
                }
                None => None,
            };
            Ok(PiOutputs { led, buzzer })
        }
    }

    impl Outputs for PiOutputs {
        fn set_led(&mut self, pattern: LedPattern) {
            let Some(led) = &mut self.led else { return };
            let result = match pattern.blink() {
                Some((hz, duty)) => led.set_pwm_frequency(hz, duty),
                None => led.clear_pwm().map(|()| {
                    if pattern == LedPattern::On {
                        led.set_high()
                    } else {
                        led.set_low()
                    }
                }),
            };
            if let Err(e) = result {
                tracing::warn!("status LED: {e}");
            }
        }

        fn chirp(&mut self) {
            if let Some(buzzer) = &self.buzzer {
                let _ = buzzer.send(());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::Instant;

    #[test]
    fn switched_off_in_the_config_says_so() {
        let config = Buttons {
            enabled: false,
            ..Buttons::default()
        };
        let clock: MonoClock = Arc::new(|| Instant(0));
        let sink: EdgeSink = Arc::new(|_| {});
        let Err(GpioTrouble::Absent(why)) = open(&config, clock, sink) else {
            panic!("expected the buttons to be off");
        };
        assert!(why.contains("enabled = false"), "{why}");
    }

    #[test]
    fn off_a_pi_the_buttons_are_absent_not_failed() {
        // This machine is not a Raspberry Pi (and CI's is not either).
        let clock: MonoClock = Arc::new(|| Instant(0));
        let sink: EdgeSink = Arc::new(|_| {});
        match open(&Buttons::default(), clock, sink) {
            Err(GpioTrouble::Absent(_)) => {}
            Err(GpioTrouble::Failed(why)) => panic!("should be absent, not failed: {why}"),
            Ok(_) => panic!("found GPIO buttons on a machine without them"),
        }
    }

    #[cfg(feature = "gpio")]
    #[test]
    fn gpio_errors_say_what_to_fix() {
        use rpi_pal::gpio::Error;
        let failed = |e| match explain(Some(17), e) {
            GpioTrouble::Failed(why) => why,
            GpioTrouble::Absent(why) => panic!("absent: {why}"),
        };
        assert_eq!(
            failed(Error::PermissionDenied("/dev/gpiochip0".into())),
            "GPIO 17: no access to /dev/gpiochip0; the service user must be in the `gpio` group"
        );
        assert!(failed(Error::PinUsed(27)).contains("GPIO 27 is already in use"));
        assert!(
            failed(Error::Io(std::io::Error::from(
                std::io::ErrorKind::ResourceBusy
            )))
            .contains("in use by another program")
        );
        assert!(matches!(
            explain(None, Error::UnknownModel),
            GpioTrouble::Absent(_)
        ));
    }

    #[test]
    fn blink_rates() {
        assert_eq!(LedPattern::On.blink(), None);
        assert_eq!(LedPattern::SlowBlink.blink(), Some((1.0, 0.5)));
        assert_eq!(LedPattern::FastBlink.blink(), Some((4.0, 0.5)));
    }
}
