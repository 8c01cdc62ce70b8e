//! A quiet screen dims, the first touch only wakes it, a running countdown keeps it lit, and a backlight that fails is dropped.

use super::*;

/// A backlight that records what it was told, and can be made to fail.
#[derive(Clone, Default)]
struct FakeBacklight {
    calls: Rc<std::cell::RefCell<Vec<bool>>>,
    broken: Rc<std::cell::Cell<bool>>,
}

impl intervisie_kiosk::backlight::Backlight for FakeBacklight {
    fn set_dimmed(
        &mut self,
        dimmed: bool,
    ) -> Result<(), intervisie_kiosk::backlight::BacklightError> {
        if self.broken.get() {
            return Err(intervisie_kiosk::backlight::BacklightError {
                path: "/sys/class/backlight/fake/brightness".into(),
                reason: "Permission denied".into(),
            });
        }
        self.calls.borrow_mut().push(dimmed);
        Ok(())
    }

    fn describe(&self) -> String {
        "fake".into()
    }
}

impl Screen {
    fn click_middle(&self) {
        use slint::platform::PointerEventButton;
        let size = self
            .window
            .window()
            .size()
            .to_logical(self.window.window().scale_factor());
        let position = slint::LogicalPosition::new(size.width / 2.0, size.height / 2.0);
        let window = self.window.window();
        window.dispatch_event(WindowEvent::PointerPressed {
            position,
            button: PointerEventButton::Left,
        });
        window.dispatch_event(WindowEvent::PointerReleased {
            position,
            button: PointerEventButton::Left,
        });
    }

    /// Moves the clock in whole minutes, looking at the screen's dimming each minute as its
    /// timer would.
    fn quiet_minutes(&self, minutes: i64) {
        for _ in 0..minutes {
            self.wait(60_000);
            self.controller.check_dimming();
        }
    }

    fn dimmed(&self) -> bool {
        self.window.global::<AppAdapter>().get_dimmed()
    }
}

#[test]
fn a_quiet_screen_dims_and_the_first_tap_only_wakes_it() {
    let s = Screen::new(800, 480, Lang::Nl);
    let light = FakeBacklight::default();
    s.controller.attach_backlight(Box::new(light.clone()));
    assert_eq!(
        *light.calls.borrow(),
        [false],
        "the working level is set at start"
    );
    s.quiet_minutes(14);
    assert!(!s.dimmed());
    s.quiet_minutes(1);
    assert!(s.dimmed() && s.controller.is_dimmed());
    assert_eq!(*light.calls.borrow(), [false, true]);
    assert!(s.has("Scherm wekken"));
    let shade = s.window.global::<AppAdapter>().get_dim_shade();
    assert!(
        shade > 0.0 && shade < 0.5,
        "a dimmed backlight needs less shade"
    );
    s.shot("dimmed");

    // The home page starts a meeting on a tap anywhere: the first tap only wakes.
    s.click_middle();
    assert!(!s.dimmed());
    assert_eq!(s.page(), PageId::Home);
    assert_eq!(*light.calls.borrow(), [false, true, false]);
    s.click_middle();
    assert_eq!(s.page(), PageId::Setup);
}

#[test]
fn a_running_countdown_keeps_the_screen_lit_and_a_paused_one_dims() {
    let s = Screen::new(800, 480, Lang::Nl);
    s.tap("Tik om te beginnen");
    s.tap("Beginnen");
    s.quiet_minutes(40);
    assert!(!s.dimmed(), "nobody touches the screen during a meeting");
    s.tap("Pauze");
    s.quiet_minutes(15);
    assert!(s.dimmed());
    let shade = s.window.global::<AppAdapter>().get_dim_shade();
    assert!(
        shade >= 0.75,
        "without a backlight the picture itself goes dark"
    );
    // A key or a push button wakes the screen and does nothing else: still paused.
    s.key(" ");
    assert!(!s.dimmed());
    assert!(s.window.global::<MeetingAdapter>().get_paused());
    s.quiet_minutes(15);
    assert!(s.dimmed());
    s.push(Button::Pause, 120);
    assert!(!s.dimmed());
    assert!(s.window.global::<MeetingAdapter>().get_paused());
    s.push(Button::Pause, 120);
    assert!(!s.window.global::<MeetingAdapter>().get_paused());
}

#[test]
fn a_backlight_that_fails_is_dropped_and_the_picture_is_darkened_instead() {
    let s = Screen::new(800, 480, Lang::Nl);
    let light = FakeBacklight::default();
    s.controller.attach_backlight(Box::new(light.clone()));
    light.broken.set(true);
    s.quiet_minutes(15);
    assert!(s.dimmed());
    let shade = s.window.global::<AppAdapter>().get_dim_shade();
    assert!(shade >= 0.75, "{shade}");
    light.broken.set(false);
    s.click_middle();
    assert!(!s.dimmed());
    assert_eq!(
        *light.calls.borrow(),
        [false],
        "not used again after it failed"
    );
}
