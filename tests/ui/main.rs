//! The real Slint components through Slint's testing backend, rendered with the software
//! renderer: pages, keys, the running states, layout at every screen size, and screenshots.

#[path = "../common/mod.rs"]
mod common;

mod buttons;
mod dimming;
mod layout;
mod meeting;
mod store;

use chrono::NaiveDate;
use i_slint_backend_testing::{
    AccessibleRole, ElementHandle, TestingBackend, TestingBackendOptions,
};
use intervisie_kiosk::app::kiosk::Kiosk;
use intervisie_kiosk::config::Config;
use intervisie_kiosk::domain::library::Library;
use intervisie_kiosk::domain::text::Lang;
use intervisie_kiosk::domain::time::Instant;
use intervisie_kiosk::input::gestures::{Button, Edge};
use intervisie_kiosk::store::worker::{PinAnswer, Report};
use intervisie_kiosk::time_source::{FakeClock, test_start};
use intervisie_kiosk::ui::controller::Controller;
use intervisie_kiosk::ui::{AppAdapter, AppWindow, MeetingAdapter, PageId};
use slint::platform::{Key, WindowEvent};
use slint::{ComponentHandle, Model};
use std::path::PathBuf;
use std::rc::Rc;

/// How much taller the countdown's box is than its digits: Theme.digit-box-per-digit.
const DIGIT_BOX_PER_DIGIT: f32 = 1.08;

fn init() {
    thread_local! {
        static READY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    READY.with(|ready| {
        if !ready.get() {
            slint::platform::set_platform(Box::new(TestingBackend::new(TestingBackendOptions {
                mock_time: true,
                threading: false,
                renderer_name: Some("software".into()),
            })))
            .expect("the testing backend is set once per thread");
            ready.set(true);
        }
    });
}

struct Screen {
    window: AppWindow,
    controller: Rc<Controller>,
    clock: FakeClock,
    name: String,
}

impl Screen {
    fn new(width: u32, height: u32, lang: Lang) -> Screen {
        init();
        let window = AppWindow::new().unwrap();
        window
            .window()
            .set_size(slint::LogicalSize::new(width as f32, height as f32));
        let clock = FakeClock::new(test_start());
        let config = Config {
            room_name: "Kamer 3".into(),
            language: lang,
            ..Config::default()
        };
        let kiosk = Kiosk::new(Library::built_in(), config);
        let controller = Controller::attach(&window, kiosk, Box::new(clock.clone()));
        controller.attach_buttons(&Config::default().buttons, [false, false], None);
        window.show().unwrap();
        Screen {
            window,
            controller,
            clock,
            name: format!("{}-{width}x{height}", lang.code()),
        }
    }

    fn find(&self, label: &str) -> ElementHandle {
        ElementHandle::find_by_accessible_label(&self.window, label)
            .next()
            .unwrap_or_else(|| panic!("nothing labelled `{label}` on {:?}", self.page()))
    }

    fn has(&self, label: &str) -> bool {
        ElementHandle::find_by_accessible_label(&self.window, label)
            .next()
            .is_some()
    }

    fn tap(&self, label: &str) {
        self.find(label).invoke_accessible_default_action();
    }

    fn key(&self, text: impl Into<slint::SharedString>) {
        let text = text.into();
        self.window
            .window()
            .dispatch_event(WindowEvent::KeyPressed { text: text.clone() });
        self.window
            .window()
            .dispatch_event(WindowEvent::KeyReleased { text });
    }

    fn special(&self, key: Key) {
        self.key(char::from(key).to_string());
    }

    /// The store opened with nothing kept yet, and IT has set a PIN.
    fn store_opened_with_a_pin(&self) {
        self.controller.store_report(Report::Opened {
            running: None,
            settings: Vec::new(),
            notices: Vec::new(),
            pin_set: true,
        });
    }

    fn wait(&self, ms: i64) {
        self.clock.advance(ms);
        self.controller.refresh();
        self.controller.poll_buttons();
    }

    fn now_ms(&self) -> i64 {
        use intervisie_kiosk::time_source::Clock;
        self.clock.now().mono.0
    }

    /// A press of a push button lasting `ms`, with contact bounce, as the interrupts report it.
    fn push(&self, button: Button, ms: i64) {
        let start = self.now_ms();
        let edges = [
            (true, 0),
            (false, 1),
            (true, 2),
            (false, ms),
            (true, ms + 1),
            (false, ms + 3),
        ];
        let mut t = start;
        for (pressed, after) in edges {
            let at = start + after;
            if at > t {
                self.wait(at - t);
                t = at;
            }
            self.controller.button_edge(Edge {
                button,
                pressed,
                at: Instant(at),
            });
        }
        // Long enough for the release to settle.
        self.wait(50);
    }

    /// Both buttons held for `ms`, the second pressed a little after the first.
    fn hold_both(&self, ms: i64) {
        let edge = |button, pressed| {
            self.controller.button_edge(Edge {
                button,
                pressed,
                at: Instant(self.now_ms()),
            })
        };
        edge(Button::Next, true);
        self.wait(150);
        edge(Button::Pause, true);
        // In steps, as the deadline timer would wake the machine.
        let mut held = 0;
        while held < ms {
            self.wait(250.min(ms - held));
            held += 250;
        }
        edge(Button::Next, false);
        edge(Button::Pause, false);
        self.wait(50);
    }

    /// Height of the countdown's digits as a share of the window's height.
    fn countdown_share(&self) -> f32 {
        let label = self
            .window
            .global::<MeetingAdapter>()
            .get_countdown_label()
            .to_string();
        let countdown = self.find(&label);
        let window = self
            .window
            .window()
            .size()
            .to_logical(self.window.window().scale_factor());
        countdown.size().height / DIGIT_BOX_PER_DIGIT / window.height
    }

    /// The countdown's digits are drawn whole: their lit pixels span at least the digits'
    /// height, and none lies on the last row of the box they are drawn in (a glyph cut off
    /// there ends flat on it). Before, the round bottoms of 0, 3, 5, 6, 8 and 9 were cut.
    fn check_digits_whole(&self, state: &str) {
        let label = self
            .window
            .global::<MeetingAdapter>()
            .get_countdown_label()
            .to_string();
        let countdown = self.find(&label);
        let scale = self.window.window().scale_factor();
        let shot = self.window.window().take_snapshot().unwrap();
        let (w, h) = (shot.width() as i64, shot.height() as i64);
        let bytes = shot.as_bytes();
        let pixel = |x: i64, y: i64| {
            let i = ((y * w + x) * 4) as usize;
            [bytes[i] as i32, bytes[i + 1] as i32, bytes[i + 2] as i32]
        };
        let at = countdown.absolute_position();
        let size = countdown.size();
        let top = (at.y * scale).round() as i64;
        let bottom = ((at.y + size.height) * scale).round() as i64 - 1;
        let digits = size.height * scale / DIGIT_BOX_PER_DIGIT;
        // The digits sit in the middle of the box's width; the background is its corner.
        let (left, right) = (
            ((at.x + size.width * 0.05) * scale) as i64,
            ((at.x + size.width * 0.95) * scale) as i64,
        );
        let ground = pixel(left.max(0), top.max(0));
        // While paused, a plate with the word lies over the middle of the digits.
        let plate = ElementHandle::find_by_element_id(&self.window, "CountdownBlock::pause-plate")
            .next()
            .map(|plate| {
                let (at, size) = (plate.absolute_position(), plate.size());
                ((at.x * scale) as i64 - 1)..=(((at.x + size.width) * scale) as i64 + 1)
            });
        let lit_row = |y: i64| {
            (y >= 0 && y < h)
                && (left.max(0)..right.min(w))
                    .filter(|x| !plate.as_ref().is_some_and(|plate| plate.contains(x)))
                    .any(|x| {
                        let p = pixel(x, y);
                        (0..3).map(|c| (p[c] - ground[c]).abs()).sum::<i32>() > 90
                    })
        };
        let lit: Vec<i64> = (top..=bottom).filter(|&y| lit_row(y)).collect();
        let (Some(first), Some(last)) = (lit.first(), lit.last()) else {
            panic!("{} {state}: no digits in the countdown's box", self.name);
        };
        assert!(
            !lit_row(bottom),
            "{} {state}: the digits reach the last row of their box ({bottom}): cut off",
            self.name
        );
        let span = (last - first + 1) as f32;
        assert!(
            span >= digits * 0.98,
            "{} {state}: the digits show {span} px of {digits:.0}: cut off",
            self.name
        );
    }

    fn page(&self) -> PageId {
        self.window.global::<AppAdapter>().get_page()
    }

    fn title(&self) -> String {
        self.window
            .global::<MeetingAdapter>()
            .get_title()
            .to_string()
    }

    fn shot(&self, page: &str) -> PathBuf {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("../screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{}-{page}.png", self.name));
        let buffer = self.window.window().take_snapshot().unwrap();
        let file = std::fs::File::create(&path).unwrap();
        let mut encoder = png::Encoder::new(file, buffer.width(), buffer.height());
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        encoder
            .write_header()
            .unwrap()
            .write_image_data(buffer.as_bytes())
            .unwrap();
        path
    }

    /// Every visible button lies inside the window, and no two buttons overlap.
    fn check_layout(&self, page: &str) {
        let size = self
            .window
            .window()
            .size()
            .to_logical(self.window.window().scale_factor());
        let buttons: Vec<(String, f32, f32, f32, f32)> =
            ElementHandle::find_by_element_type_name(&self.window, "Rectangle")
                .chain(
                    ElementHandle::query_descendants(
                        &ElementHandle::find_by_element_id(&self.window, "AppWindow::keys")
                            .next()
                            .unwrap(),
                    )
                    .match_accessible_role(AccessibleRole::Button)
                    .find_all(),
                )
                .filter(|e| {
                    e.accessible_role() == Some(AccessibleRole::Button)
                        && e.computed_opacity() > 0.0
                })
                .map(|e| {
                    let p = e.absolute_position();
                    let s = e.size();
                    (
                        e.accessible_label().unwrap_or_default().to_string(),
                        p.x,
                        p.y,
                        s.width,
                        s.height,
                    )
                })
                .collect();
        // A dialog covers the page: only its own buttons can be reached, so only they count.
        let dialog = ElementHandle::query_descendants(
            &ElementHandle::find_by_element_id(&self.window, "AppWindow::keys")
                .next()
                .unwrap(),
        )
        .match_accessible_role(AccessibleRole::Groupbox)
        .find_all()
        .into_iter()
        .find(|e| e.computed_opacity() > 0.0 && e.size().width > 0.0);
        let buttons: Vec<(String, f32, f32, f32, f32)> = match dialog {
            None => buttons,
            Some(dialog) => ElementHandle::query_descendants(&dialog)
                .match_accessible_role(AccessibleRole::Button)
                .find_all()
                .into_iter()
                .filter(|e| e.computed_opacity() > 0.0)
                .map(|e| {
                    let p = e.absolute_position();
                    let s = e.size();
                    let label = e.accessible_label().unwrap_or_default().to_string();
                    (label, p.x, p.y, s.width, s.height)
                })
                .collect(),
        };
        assert!(!buttons.is_empty(), "{}: no buttons on {page}", self.name);
        // Labelled texts (rules, the clock, the state) must be on screen too, not cut off.
        let texts: Vec<(String, f32, f32, f32, f32)> = ElementHandle::query_descendants(
            &ElementHandle::find_by_element_id(&self.window, "AppWindow::keys")
                .next()
                .unwrap(),
        )
        .match_accessible_role(AccessibleRole::Text)
        .find_all()
        .into_iter()
        .filter(|e| e.computed_opacity() > 0.0 && e.size().width > 0.0)
        .map(|e| {
            let p = e.absolute_position();
            let s = e.size();
            (
                e.accessible_label().unwrap_or_default().to_string(),
                p.x,
                p.y,
                s.width,
                s.height,
            )
        })
        .collect();
        for (label, x, y, w, h) in buttons.iter().chain(&texts) {
            assert!(
                *x >= -0.5 && *y >= -0.5 && x + w <= size.width + 0.5 && y + h <= size.height + 0.5,
                "{} {page}: `{label}` at {x},{y} size {w}x{h} is outside {}x{}",
                self.name,
                size.width,
                size.height
            );
        }
        for (i, a) in buttons.iter().enumerate() {
            for b in &buttons[i + 1..] {
                let overlap_w = (a.1 + a.3).min(b.1 + b.3) - a.1.max(b.1);
                let overlap_h = (a.2 + a.4).min(b.2 + b.4) - a.2.max(b.2);
                // A button inside another (the home page is one big button) is fine.
                let contains = |o: &(String, f32, f32, f32, f32),
                                i: &(String, f32, f32, f32, f32)| {
                    o.1 <= i.1 + 0.5
                        && o.2 <= i.2 + 0.5
                        && o.1 + o.3 >= i.1 + i.3 - 0.5
                        && o.2 + o.4 >= i.2 + i.4 - 0.5
                };
                assert!(
                    contains(a, b) || contains(b, a) || overlap_w <= 0.5 || overlap_h <= 0.5,
                    "{} {page}: `{}` and `{}` overlap",
                    self.name,
                    a.0,
                    b.0
                );
            }
        }
    }
}
