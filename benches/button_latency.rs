//! From a push-button edge to the engine's new state, and on to a drawn frame: the kiosk's own
//! share of the latency, measured through the real controller and Slint window (software
//! renderer, 800x480). The debounce wait (20 ms by default) comes on top and is fixed by design.
//!
//! Run: `cargo bench --bench button_latency` (add `-- --quick` for a short smoke run).

use i_slint_backend_testing::{TestingBackend, TestingBackendOptions};
use intervisie_kiosk::app::kiosk::Kiosk;
use intervisie_kiosk::config::Config;
use intervisie_kiosk::domain::library::Library;
use intervisie_kiosk::input::gestures::{Button, Edge};
use intervisie_kiosk::time_source::{Clock, FakeClock, test_start};
use intervisie_kiosk::ui::AppWindow;
use intervisie_kiosk::ui::controller::Controller;
use slint::ComponentHandle;
use std::time::Duration;

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let presses = if quick { 50 } else { 2_000 };
    slint::platform::set_platform(Box::new(TestingBackend::new(TestingBackendOptions {
        mock_time: true,
        threading: false,
        renderer_name: Some("software".into()),
    })))
    .unwrap();
    let window = AppWindow::new().unwrap();
    window
        .window()
        .set_size(slint::LogicalSize::new(800.0, 480.0));
    let clock = FakeClock::new(test_start());
    let config = Config::default();
    let debounce = config.buttons.timing.debounce;
    let controller = Controller::attach(
        &window,
        Kiosk::new(Library::built_in(), config.clone()),
        Box::new(clock.clone()),
    );
    controller.attach_buttons(&config.buttons, [false, false], None);
    window.show().unwrap();
    let edge = |button, pressed| {
        controller.button_edge(Edge {
            button,
            pressed,
            at: clock.now().mono,
        })
    };
    let press = |button| {
        edge(button, true);
        clock.advance(debounce);
        controller.poll_buttons();
        clock.advance(100);
        edge(button, false);
    };
    // Into a running meeting.
    for _ in 0..2 {
        press(Button::Next);
        clock.advance(debounce);
        controller.poll_buttons();
    }
    let _ = window.window().take_snapshot();

    let mut to_state = Vec::with_capacity(presses);
    let mut to_frame = Vec::with_capacity(presses);
    for _ in 0..presses {
        edge(Button::Pause, true);
        clock.advance(debounce);
        controller.poll_buttons();
        clock.advance(100);
        let paused_before = paused(&controller, &clock);
        // The release edge: the pause toggles once it has settled.
        let start = std::time::Instant::now();
        edge(Button::Pause, false);
        clock.advance(debounce);
        controller.poll_buttons();
        let state = start.elapsed();
        assert_ne!(
            paused(&controller, &clock),
            paused_before,
            "the press was lost"
        );
        let _ = window.window().take_snapshot().unwrap();
        let frame = start.elapsed();
        to_state.push(state);
        to_frame.push(frame);
        clock.advance(200);
    }
    report(
        "edge to engine state (after the debounce time)",
        &mut to_state,
    );
    report(
        "edge to a drawn frame (full 800x480 software frame)",
        &mut to_frame,
    );
    println!("add the debounce time: {debounce} ms");
}

fn paused(controller: &std::rc::Rc<Controller>, clock: &FakeClock) -> bool {
    let kiosk = controller.kiosk();
    kiosk
        .session()
        .is_some_and(|s| s.engine.view(clock.now()).paused)
}

fn report(what: &str, samples: &mut [Duration]) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q) as usize];
    println!(
        "{what}: median {:.1} µs, p99 {:.1} µs, worst {:.1} µs ({} presses)",
        at(0.5).as_secs_f64() * 1e6,
        at(0.99).as_secs_f64() * 1e6,
        samples.last().unwrap().as_secs_f64() * 1e6,
        samples.len()
    );
}
