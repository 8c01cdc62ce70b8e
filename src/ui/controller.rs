//! Connects the window to the kiosk: every callback becomes an intent, every change a redraw of
//! what changed, and one timer wakes the screen exactly when the next visible second (or minute)
//! turns over, so a running countdown costs one small redraw a second.

use super::buttons::ButtonPanel;
use super::history::{self, HistoryModels};
use super::home;
use super::keys::map_key;
use super::meeting::{self, MeetingModels};
use super::resume;
use super::setup::{self, SetupModels};
use super::sink::{Link, Sink};
use super::summary::{self, SummaryModels};
use super::window::{AppAdapter, AppWindow};
use crate::app::dimming::Dimming;
use crate::app::kiosk::{ButtonNotice, Intent, Kiosk, Page, SaveClock};
use crate::app::wake;
use crate::backlight::Backlight;
use crate::domain::text::Lang;
use crate::input::gestures::{Edge, Gesture};
use crate::input::wiring::Buttons;
use crate::store::worker::{Report, StoreHandle};
use crate::time_source::Clock;
use slint::{ComponentHandle, Timer, TimerMode};
use std::cell::{Ref, RefCell};
use std::rc::{Rc, Weak};
use std::time::Duration;

pub struct Controller {
    kiosk: RefCell<Kiosk>,
    clock: Box<dyn Clock>,
    window: slint::Weak<AppWindow>,
    timer: Timer,
    setup_models: SetupModels,
    meeting_models: MeetingModels,
    summary_models: SummaryModels,
    history_models: HistoryModels,
    language: RefCell<Option<Lang>>,
    buttons: RefCell<Option<ButtonPanel>>,
    store: RefCell<Option<StoreHandle>>,
    dimming: RefCell<Dimming>,
    dim_timer: Timer,
    backlight: RefCell<Option<Box<dyn Backlight>>>,
}

/// How dark the picture goes while dimmed: a little when the backlight is turned down too, a lot
/// when it is the only way to dim (most HDMI screens).
const SHADE_WITH_BACKLIGHT: f32 = 0.4;
const SHADE_WITHOUT_BACKLIGHT: f32 = 0.8;

impl Controller {
    /// Wires `window` to `kiosk` and draws the first page.
    pub fn attach(window: &AppWindow, kiosk: Kiosk, clock: Box<dyn Clock>) -> Rc<Controller> {
        let dim_after = i64::from(kiosk.config().dim_after_minutes) * 60_000;
        let dimming = Dimming::new(Some(dim_after), clock.now().mono);
        let controller = Rc::new(Controller {
            kiosk: RefCell::new(kiosk),
            clock,
            window: window.as_weak(),
            timer: Timer::default(),
            setup_models: SetupModels::default(),
            meeting_models: MeetingModels::default(),
            summary_models: SummaryModels::default(),
            history_models: HistoryModels::default(),
            language: RefCell::new(None),
            buttons: RefCell::new(None),
            store: RefCell::new(None),
            dimming: RefCell::new(dimming),
            dim_timer: Timer::default(),
            backlight: RefCell::new(None),
        });
        controller.setup_models.attach(window);
        controller.meeting_models.attach(window);
        controller.summary_models.attach(window);
        controller.history_models.attach(window);
        wire(window, &controller);
        controller.refresh();
        controller.check_dimming();
        controller
    }

    /// Dims `backlight` along with the picture from now on; sets its working level at once.
    pub fn attach_backlight(self: &Rc<Self>, mut backlight: Box<dyn Backlight>) {
        let dimmed = self.dimming.borrow().is_dimmed();
        match backlight.set_dimmed(dimmed) {
            Ok(()) => {
                tracing::info!("backlight: {}", backlight.describe());
                *self.backlight.borrow_mut() = Some(backlight);
            }
            Err(e) => tracing::warn!("backlight not used, the picture is darkened instead: {e}"),
        }
        self.refresh();
    }

    pub fn is_dimmed(&self) -> bool {
        self.dimming.borrow().is_dimmed()
    }

    /// Someone touched, typed or pressed. Returns true when that only woke the screen.
    fn woken_by_input(self: &Rc<Self>) -> bool {
        let now = self.clock.now();
        let woke = self.dimming.borrow_mut().input(now.mono);
        if woke {
            tracing::debug!("screen woken");
            self.apply_dimming(false);
            self.refresh();
        }
        self.check_dimming();
        woke
    }

    /// A tap on the dimmed screen: wakes it and does nothing else.
    pub fn wake_screen(self: &Rc<Self>) {
        self.woken_by_input();
    }

    /// Dims the screen when it has been quiet long enough, and arms the timer to look again
    /// (its own timer calls this; tests call it after moving the clock).
    pub fn check_dimming(self: &Rc<Self>) {
        let now = self.clock.now();
        let keep_lit = self.kiosk.borrow().keeps_screen_lit();
        let was_dimmed = self.is_dimmed();
        let next = self.dimming.borrow_mut().check(now.mono, keep_lit);
        if self.is_dimmed() && !was_dimmed {
            tracing::debug!("screen dimmed");
            self.apply_dimming(true);
            self.refresh();
        }
        match next {
            Some(delay) => {
                let weak = Rc::downgrade(self);
                self.dim_timer.start(
                    TimerMode::SingleShot,
                    Duration::from_millis(delay.max(1) as u64),
                    move || {
                        if let Some(c) = weak.upgrade() {
                            c.check_dimming();
                        }
                    },
                );
            }
            None => self.dim_timer.stop(),
        }
    }

    fn apply_dimming(&self, dimmed: bool) {
        let mut backlight = self.backlight.borrow_mut();
        if let Some(light) = backlight.as_mut()
            && let Err(e) = light.set_dimmed(dimmed)
        {
            tracing::warn!("backlight no longer used, the picture is darkened instead: {e}");
            *backlight = None;
        }
    }

    pub fn kiosk(&self) -> Ref<'_, Kiosk> {
        self.kiosk.borrow()
    }

    /// Carries out what a person wants, then redraws.
    pub fn intent(self: &Rc<Self>, intent: Intent) -> bool {
        if self.woken_by_input() {
            return true;
        }
        let now = self.clock.now();
        let changed = self.kiosk.borrow_mut().handle(intent, now);
        if changed {
            self.refresh();
            self.draw_now();
        }
        changed
    }

    /// Starts the meeting `setup` describes, as if chosen on the set-up page.
    pub fn start_meeting(self: &Rc<Self>, setup: crate::app::setup::Setup) -> bool {
        self.kiosk.borrow_mut().set_setup(setup);
        self.intent(Intent::StartMeeting)
    }

    pub fn key(self: &Rc<Self>, text: &str) -> bool {
        if self.woken_by_input() {
            return true;
        }
        let now = self.clock.now();
        let changed = self.kiosk.borrow_mut().key(map_key(text), now);
        if changed {
            self.refresh();
            self.draw_now();
        }
        changed
    }

    /// Draws what an input or the clock changed on the next turn of the event loop. On a
    /// desktop window Slint's winit backend paces redraws with a timer of one refresh interval
    /// that starts idle, so a press would wait up to 16.7 ms for its frame; asking winit
    /// directly skips that wait. The bare display (linuxkms) has no such timer and draws on its next page flip.
    fn draw_now(&self) {
        use slint::winit_030::WinitWindowAccessor;
        if let Some(window) = self.window.upgrade() {
            window
                .window()
                .with_winit_window(|winit_window| winit_window.request_redraw());
        }
    }

    /// Hands what must be kept to the store thread from now on. A running meeting's clock is
    /// saved from `refresh`, which wakes each second while it counts: no timer of its own
    /// wakes the kiosk when nothing changes.
    pub fn attach_store(self: &Rc<Self>, store: StoreHandle) {
        *self.store.borrow_mut() = Some(store);
        self.persist();
    }

    /// Sends what changed to the store (nothing is waited for).
    fn persist(&self) {
        let now = self.clock.now();
        let ops = self
            .kiosk
            .borrow_mut()
            .take_storage(now, SaveClock::WhenDue);
        if let Some(store) = self.store.borrow().as_ref() {
            for op in ops {
                store.send(op);
            }
        }
    }

    /// What the store thread reports, on the event loop.
    pub fn store_report(self: &Rc<Self>, report: Report) {
        let now = self.clock.now();
        self.kiosk.borrow_mut().store_report(report, now);
        self.refresh();
    }

    /// Starts reading push buttons: `held` is their level now (Next, Pause).
    pub fn attach_buttons(
        self: &Rc<Self>,
        config: &Buttons,
        held: [bool; 2],
        hardware: Option<crate::input::gpio::Hardware>,
    ) {
        let now = self.clock.now();
        let (panel, first) = ButtonPanel::new(config, held, hardware, now.mono);
        *self.buttons.borrow_mut() = Some(panel);
        for gesture in first {
            self.kiosk.borrow_mut().button(gesture, now);
        }
        self.refresh();
    }

    /// The buttons cannot be used; the room should know.
    pub fn button_trouble(self: &Rc<Self>, notice: ButtonNotice) {
        self.kiosk.borrow_mut().set_button_notice(Some(notice));
        self.refresh();
    }

    /// An edge from a button's interrupt.
    pub fn button_edge(self: &Rc<Self>, edge: Edge) {
        if let Some(panel) = self.buttons.borrow_mut().as_mut() {
            panel.edge(edge);
        }
        self.poll_buttons();
    }

    /// Decides the gestures that are due and carries them out.
    pub fn poll_buttons(self: &Rc<Self>) {
        let now = self.clock.now();
        let (gestures, deadline) = {
            let mut buttons = self.buttons.borrow_mut();
            let Some(panel) = buttons.as_mut() else {
                return;
            };
            panel.advance(now.mono)
        };
        let mut changed = false;
        for gesture in gestures {
            tracing::debug!("button gesture: {gesture:?}");
            if self.woken_by_input() {
                continue;
            }
            changed |= self.kiosk.borrow_mut().button(gesture, now);
        }
        if let Some(panel) = self.buttons.borrow().as_ref() {
            let controller = Rc::downgrade(self);
            panel.arm(deadline, now.mono, move || {
                if let Some(controller) = controller.upgrade() {
                    controller.poll_buttons();
                }
            });
        }
        if changed {
            self.refresh();
        }
    }

    /// A gesture as if from the buttons (tests, and the benchmark).
    pub fn button(self: &Rc<Self>, gesture: Gesture) -> bool {
        if self.woken_by_input() {
            return true;
        }
        let now = self.clock.now();
        let changed = self.kiosk.borrow_mut().button(gesture, now);
        if changed {
            self.refresh();
        }
        changed
    }

    /// Pushes the current state into the window and arms the timer for the next visible change.
    pub fn refresh(self: &Rc<Self>) {
        let Some(window) = self.window.upgrade() else {
            return;
        };
        let now = self.clock.now();
        let buttons_down = self
            .buttons
            .borrow()
            .as_ref()
            .is_some_and(|panel| panel.any_pressed());
        self.kiosk.borrow_mut().tick(now, buttons_down);
        let kiosk = self.kiosk.borrow();
        if *self.language.borrow() != Some(kiosk.lang()) {
            // The Slint strings are written in English; Dutch is the bundled translation.
            let code = match kiosk.lang() {
                Lang::Nl => "nl",
                Lang::En => "",
            };
            if let Err(e) = slint::select_bundled_translation(code) {
                tracing::warn!("cannot switch the screen's language to `{code}`: {e}");
            }
            *self.language.borrow_mut() = Some(kiosk.lang());
        }
        home::push(&window, &kiosk, now);
        let app = window.global::<AppAdapter>();
        app.set_dimmed(self.is_dimmed());
        app.set_dim_shade(if self.backlight.borrow().is_some() {
            SHADE_WITH_BACKLIGHT
        } else {
            SHADE_WITHOUT_BACKLIGHT
        });
        let page = kiosk.page();
        match page {
            Page::Setup => setup::push(&window, &kiosk, &self.setup_models, now),
            Page::Opening | Page::CaseQuestion | Page::Running => {
                meeting::push(&window, &kiosk, &self.meeting_models, now)
            }
            Page::Summary => summary::push(&window, &kiosk, &self.summary_models),
            Page::Resume => resume::push(&window, &kiosk, now),
            Page::History => history::push(&window, &kiosk, &self.history_models),
            Page::Pin => history::push_pin(&window, &kiosk, now),
            Page::Home | Page::Settings => {}
        }
        let delay = wake::next_change(&kiosk, now);
        if let Some(panel) = self.buttons.borrow_mut().as_mut() {
            panel.show(kiosk.led_pattern(now));
            if let Some((countdown, remaining)) = wake::chirp_watch(&kiosk, now) {
                panel.phase_time(countdown, remaining);
            }
        }
        drop(kiosk);
        self.persist();
        let weak: Weak<Controller> = Rc::downgrade(self);
        self.timer.start(
            TimerMode::SingleShot,
            Duration::from_millis(delay as u64 + 1),
            move || {
                if let Some(controller) = weak.upgrade() {
                    controller.refresh();
                    // The second's new digits go out in this wake-up, not in one more a frame
                    // interval later.
                    controller.draw_now();
                }
            },
        );
    }
}

impl Sink for Controller {
    fn intent(self: Rc<Self>, intent: Intent) -> bool {
        Controller::intent(&self, intent)
    }

    fn key(self: Rc<Self>, text: &str) -> bool {
        Controller::key(&self, text)
    }

    fn wake(self: Rc<Self>) {
        self.wake_screen();
    }

    fn kiosk(&self) -> Ref<'_, Kiosk> {
        self.kiosk.borrow()
    }
}

/// Every callback of every adapter, turned into an intent: the window-wide ones here, each
/// page's by its own adapter.
fn wire(window: &AppWindow, controller: &Rc<Controller>) {
    let weak: Weak<dyn Sink> = Rc::downgrade(controller) as Weak<Controller>;
    let link = Link::new(weak);
    let app = window.global::<AppAdapter>();
    let keys = link.clone();
    app.on_key(move |text| keys.with(|sink| sink.key(&text)).unwrap_or(false));
    app.on_confirm_end_meeting(link.send(Intent::ConfirmEndMeeting));
    app.on_confirm_end_case(link.send(Intent::ConfirmEndCase));
    app.on_cancel_end(link.send(Intent::CancelEnd));
    app.on_close_wipe_prompt(link.send(Intent::CloseWipePrompt));
    app.on_dismiss_store_notice(link.send(Intent::DismissStoreNotice));
    let waking = link.clone();
    app.on_wake_screen(move || {
        waking.with(|sink| sink.wake());
    });
    resume::connect(window, &link);
    home::connect(window, &link);
    history::connect(window, &link);
    setup::connect(window, &link);
    meeting::connect(window, &link);
    summary::connect(window, &link);
}
