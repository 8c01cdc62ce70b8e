//! How other threads reach the screen: GPIO edges and store reports are handed to the event
//! loop, which passes them to the one controller registered here.

use super::controller::Controller;
use crate::app::kiosk::ButtonNotice;
use crate::input::gestures::Edge;
use crate::input::gpio::{self, EdgeSink, GpioTrouble};
use crate::input::wiring::Buttons;
use crate::time_source::MonoClock;
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use std::sync::Arc;

thread_local! {
    /// The controller that edges are for; interrupt threads cannot hold an `Rc`.
    static CONTROLLER: RefCell<Weak<Controller>> = const { RefCell::new(Weak::new()) };
}

pub fn with_controller(f: impl FnOnce(&Rc<Controller>)) {
    CONTROLLER.with(|c| {
        if let Some(controller) = c.borrow().upgrade() {
            f(&controller);
        }
    });
}

/// Where interrupt threads send edges: onto the event loop, without waiting.
fn edge_sink() -> EdgeSink {
    Arc::new(|edge: Edge| {
        // Fails only when the event loop has ended; the edge no longer matters then.
        let _ = slint::invoke_from_event_loop(move || with_controller(|c| c.button_edge(edge)));
    })
}

/// Makes `controller` the one that threads (buttons, store) report to.
pub fn register(controller: &Rc<Controller>) {
    CONTROLLER.with(|c| *c.borrow_mut() = Rc::downgrade(controller));
}

/// Opens the GPIO buttons for `controller`, or says once why there are none.
pub fn start_buttons(controller: &Rc<Controller>, config: &Buttons, clock: MonoClock) {
    register(controller);
    match gpio::open(config, clock, edge_sink()) {
        Ok(hardware) => {
            tracing::info!(
                "buttons: next on GPIO {}, pause on GPIO {}{}",
                config.next_pin,
                config.pause_pin,
                config
                    .led_pin
                    .map_or(String::new(), |p| format!(", LED on GPIO {p}"))
            );
            let held = hardware.held_at_start;
            controller.attach_buttons(config, held, Some(hardware));
        }
        Err(GpioTrouble::Absent(why)) => {
            tracing::info!("buttons off: {why}; touch and keys work");
        }
        Err(GpioTrouble::Failed(why)) => {
            tracing::error!("buttons cannot be used: {why}; touch and keys work");
            controller.button_trouble(ButtonNotice::Unavailable(why));
        }
    }
}
