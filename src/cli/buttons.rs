//! `intervisie-kiosk buttons test`: for IT checking the wiring. Prints every edge and gesture as
//! it happens and lights the LED while a button is down (it blinks slowly otherwise).

use super::context::Context;
use crate::input::gestures::{Edge, Gesture, Gestures};
use crate::input::gpio::{self, EdgeSink, GpioTrouble};
use crate::input::outputs::LedPattern;
use crate::time_source::MonoClock;
use crate::time_source::SystemClock;
use anyhow::{Result, bail};
use std::sync::Arc;
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::time::Duration;

/// What a gesture does during a meeting, for the printout.
pub fn meaning(gesture: Gesture) -> String {
    match gesture {
        Gesture::Next => "next: short press -> next phase or turn".into(),
        Gesture::Back => "next: long press -> back".into(),
        Gesture::TogglePause => "pause: short press -> pause / resume".into(),
        Gesture::AddMinute => "pause: long press -> one minute more".into(),
        Gesture::EndCasePrompt => {
            "both held 3 s -> end the case? (next confirms, pause cancels)".into()
        }
        Gesture::WipePrompt => "both held 10 s -> wipe prompt".into(),
        Gesture::HeldAtStart(b) => {
            format!("{} was held at start: ignored until released", b.name())
        }
        Gesture::Stuck(b) => format!(
            "{} held so long it must be stuck: ignored until released",
            b.name()
        ),
        Gesture::Freed(b) => format!("{} released: works again", b.name()),
    }
}

pub fn test(ctx: &Context, seconds: Option<u64>) -> Result<i32> {
    let config = &ctx.config.buttons;
    let clock = SystemClock::new();
    let mono: MonoClock = clock.mono();
    let (tx, rx) = channel::<Edge>();
    let sink: EdgeSink = Arc::new(move |edge| {
        let _ = tx.send(edge);
    });
    let mut hardware = match gpio::open(config, mono.clone(), sink) {
        Ok(hw) => hw,
        Err(GpioTrouble::Absent(why)) => bail!("no buttons to test: {why}"),
        Err(GpioTrouble::Failed(why)) => bail!("the buttons cannot be used: {why}"),
    };
    println!(
        "Buttons: next on GPIO {}, pause on GPIO {} (to ground, internal pull-up){}.",
        config.next_pin,
        config.pause_pin,
        config
            .led_pin
            .map_or(String::new(), |p| format!("; LED on GPIO {p}"))
    );
    println!("Press them; Ctrl-C ends the test.");
    let (mut gestures, first) = Gestures::new(config.timing, hardware.held_at_start, mono());
    for g in first {
        println!("{:>9.3} s  {}", mono().0 as f64 / 1000.0, meaning(g));
    }
    hardware.set_led(LedPattern::SlowBlink);
    let end = seconds.map(|s| mono() + (s as i64) * 1000);
    loop {
        let now = mono();
        if end.is_some_and(|end| now >= end) {
            break;
        }
        let deadline = [gestures.next_deadline(), end].into_iter().flatten().min();
        let wait = deadline.map_or(Duration::from_secs(3600), |d| {
            Duration::from_millis((d - now).max(0) as u64)
        });
        match rx.recv_timeout(wait) {
            Ok(edge) => {
                println!(
                    "{:>9.3} s  {} {}",
                    edge.at.0 as f64 / 1000.0,
                    edge.button.name(),
                    if edge.pressed { "down" } else { "up" }
                );
                gestures.edge(edge);
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break,
        }
        let now = mono();
        for g in gestures.advance(now) {
            println!("{:>9.3} s  => {}", now.0 as f64 / 1000.0, meaning(g));
        }
        let down = crate::input::gestures::Button::ALL
            .iter()
            .any(|b| gestures.is_pressed(*b));
        hardware.set_led(if down {
            LedPattern::On
        } else {
            LedPattern::SlowBlink
        });
    }
    hardware.set_led(LedPattern::Off);
    Ok(0)
}
