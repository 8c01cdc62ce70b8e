//! Connects the window to the kiosk: every callback becomes an intent, every change a redraw of
//! what changed, and one timer wakes the screen exactly when the next visible second (or minute)
//! turns over, so a running countdown costs one small redraw a second.

use super::buttons::ButtonPanel;
use super::history::{self, HistoryModels};
use super::home;
use super::keys::map_key;
use super::meeting::{self, MeetingModels, until_next_second};
use super::resume;
use super::setup::{self, SetupModels};
use super::summary::{self, SummaryModels};
use super::window::{
    AppAdapter, AppWindow, CaseQuestionAdapter, HistoryAdapter, HomeAdapter, MeetingAdapter,
    PinAdapter, ResumeAdapter, SettingsAdapter, SetupAdapter, SummaryAdapter,
};
use crate::app::dimming::Dimming;
use crate::app::kiosk::{ButtonNotice, Intent, Kiosk, Page};
use crate::backlight::Backlight;
use crate::domain::engine::Action;
use crate::domain::event::Rating;
use crate::domain::text::Lang;
use crate::input::gestures::{Edge, Gesture};
use crate::input::wiring::Buttons;
use crate::store::worker::{Report, StoreHandle};
use crate::time_source::Clock;
use chrono::Timelike;
use slint::{ComponentHandle, Timer, TimerMode};
use std::cell::RefCell;
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
    save_timer: Timer,
    dimming: RefCell<Dimming>,
    dim_timer: Timer,
    backlight: RefCell<Option<Box<dyn Backlight>>>,
}

/// How dark the picture goes while dimmed: a little when the backlight is turned down too, a lot
/// when it is the only way to dim (most HDMI screens).
const SHADE_WITH_BACKLIGHT: f32 = 0.4;
const SHADE_WITHOUT_BACKLIGHT: f32 = 0.8;

/// How often a running meeting's elapsed time is saved, for resuming after a power cut.
pub const SAVE_EVERY: Duration = Duration::from_secs(5);

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
            save_timer: Timer::default(),
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

    pub fn kiosk(&self) -> std::cell::Ref<'_, Kiosk> {
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
        }
        changed
    }

    /// Hands what must be kept to the store thread from now on, and saves a running meeting
    /// every few seconds.
    pub fn attach_store(self: &Rc<Self>, store: StoreHandle) {
        *self.store.borrow_mut() = Some(store);
        let weak = Rc::downgrade(self);
        self.save_timer
            .start(TimerMode::Repeated, SAVE_EVERY, move || {
                if let Some(c) = weak.upgrade() {
                    c.persist(true);
                }
            });
        self.persist(false);
    }

    /// Sends what changed to the store (nothing is waited for).
    fn persist(&self, periodic: bool) {
        let now = self.clock.now();
        let ops = self.kiosk.borrow_mut().take_storage(now, periodic);
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
            Page::Pin => history::push_pin(&window, &kiosk),
            Page::Home | Page::Settings => {}
        }
        let delay = match (page, kiosk.session()) {
            _ if kiosk.wipe_prompt() => {
                until_next_second(kiosk.wipe_countdown(now).unwrap_or(0)).max(1)
            }
            (Page::Opening | Page::CaseQuestion | Page::Running, Some(session)) => {
                let v = session.engine.view(now);
                match (v.paused_for, &v.turn) {
                    (Some(paused), _) => until_next_second(-paused),
                    (None, Some(turn)) => {
                        until_next_second(turn.remaining).min(until_next_second(v.remaining))
                    }
                    (None, None) => until_next_second(v.remaining),
                }
            }
            // Pages that show only the clock wake on the minute.
            _ => {
                let into_minute = i64::from(now.wall.second()) * 1000
                    + i64::from(now.wall.nanosecond() / 1_000_000);
                (60_000 - into_minute).max(1)
            }
        };
        if let Some(panel) = self.buttons.borrow_mut().as_mut() {
            panel.show(kiosk.led_pattern(now));
            if let Some(session) = kiosk.session()
                && matches!(page, Page::Opening | Page::CaseQuestion | Page::Running)
            {
                let v = session.engine.view(now);
                let (turn, remaining) = match &v.turn {
                    Some(turn) => (Some(turn.number), turn.remaining),
                    None => (None, v.remaining),
                };
                if !v.paused && kiosk.buzzer_on() {
                    panel.phase_time((v.phase_index, turn), remaining);
                }
            }
        }
        drop(kiosk);
        self.persist(false);
        let weak: Weak<Controller> = Rc::downgrade(self);
        self.timer.start(
            TimerMode::SingleShot,
            Duration::from_millis(delay as u64 + 1),
            move || {
                if let Some(controller) = weak.upgrade() {
                    controller.refresh();
                }
            },
        );
    }
}

/// Every callback of every adapter, turned into an intent.
fn wire(window: &AppWindow, controller: &Rc<Controller>) {
    let weak = Rc::downgrade(controller);
    let send = move |intent: Intent| {
        let weak = weak.clone();
        move || {
            if let Some(c) = weak.upgrade() {
                c.intent(intent.clone());
            }
        }
    };
    let weak = Rc::downgrade(controller);
    let with = move || weak.upgrade();

    let app = window.global::<AppAdapter>();
    let w = with.clone();
    app.on_key(move |text| w().is_some_and(|c| c.key(&text)));
    app.on_confirm_end_meeting(send(Intent::ConfirmEndMeeting));
    app.on_confirm_end_case(send(Intent::ConfirmEndCase));
    app.on_cancel_end(send(Intent::CancelEnd));
    app.on_close_wipe_prompt(send(Intent::CloseWipePrompt));
    app.on_dismiss_store_notice(send(Intent::DismissStoreNotice));
    let w = with.clone();
    app.on_wake_screen(move || {
        if let Some(c) = w() {
            c.wake_screen();
        }
    });

    let resume = window.global::<ResumeAdapter>();
    resume.on_resume(send(Intent::ResumeMeeting));
    resume.on_end(send(Intent::EndInterrupted));

    let home = window.global::<HomeAdapter>();
    home.on_wake(send(Intent::Wake));
    home.on_open_settings(send(Intent::OpenSettings));
    home.on_open_history(send(Intent::OpenHistory));

    let history = window.global::<HistoryAdapter>();
    let w = with.clone();
    history.on_select(move |i| {
        if let Some(c) = w() {
            c.intent(Intent::SelectHistory(i.max(0) as usize));
        }
    });
    history.on_close(send(Intent::CloseHistory));

    let pin = window.global::<PinAdapter>();
    let w = with.clone();
    pin.on_digit(move |d| {
        if let Some(c) = w() {
            c.intent(Intent::PinDigit(d.clamp(0, 9) as u8));
        }
    });
    pin.on_backspace(send(Intent::PinBackspace));
    pin.on_submit(send(Intent::PinSubmit));
    pin.on_cancel(send(Intent::PinCancel));

    let settings = window.global::<SettingsAdapter>();
    let w = with.clone();
    settings.on_set_language(move |i| {
        if let Some(c) = w() {
            c.intent(Intent::SetLanguage(if i == 1 {
                Lang::En
            } else {
                Lang::Nl
            }));
        }
    });
    settings.on_close(send(Intent::CloseSettings));
    settings.on_members_less(send(Intent::ChangeDefaultMembers(-1)));
    settings.on_members_more(send(Intent::ChangeDefaultMembers(1)));
    settings.on_length_less(send(Intent::ChangeDefaultLength(-1)));
    settings.on_length_more(send(Intent::ChangeDefaultLength(1)));
    let w = with.clone();
    settings.on_set_led(move |on| {
        if let Some(c) = w() {
            c.intent(Intent::SetLed(on));
        }
    });
    let w = with.clone();
    settings.on_set_buzzer(move |on| {
        if let Some(c) = w() {
            c.intent(Intent::SetBuzzer(on));
        }
    });
    let w = with.clone();
    settings.on_set_retention(move |i| {
        if let Some(c) = w() {
            let days = home::retention_choice(&c.kiosk(), i);
            if let Some(days) = days {
                c.intent(Intent::SetRetention(days));
            }
        }
    });
    settings.on_ask_wipe(send(Intent::AskWipeAll));
    settings.on_cancel_wipe(send(Intent::CancelWipeAll));
    settings.on_confirm_wipe_all(send(Intent::WipeAll));

    let setup = window.global::<SetupAdapter>();
    let w = with.clone();
    setup.on_choose(move |id| {
        if let Some(c) = w() {
            c.intent(Intent::ChooseMethod(id.to_string()));
        }
    });
    setup.on_members_less(send(Intent::ChangeMembers(-1)));
    setup.on_members_more(send(Intent::ChangeMembers(1)));
    setup.on_length_less(send(Intent::ChangeLength(-1)));
    setup.on_length_more(send(Intent::ChangeLength(1)));
    let w = with.clone();
    setup.on_use_end_time(move |on| {
        if let Some(c) = w() {
            c.intent(Intent::UseEndTime(on));
        }
    });
    let w = with.clone();
    setup.on_set_cases(move |n| {
        if let Some(c) = w() {
            c.intent(Intent::SetCaseCount(n.max(1) as usize));
        }
    });
    let w = with.clone();
    setup.on_select_slot(move |n| {
        if let Some(c) = w() {
            c.intent(Intent::SelectCaseSlot(n.max(0) as usize));
        }
    });
    setup.on_start(send(Intent::StartMeeting));
    setup.on_cancel(send(Intent::CancelSetup));

    let meeting = window.global::<MeetingAdapter>();
    meeting.on_next(send(Intent::Meeting(Action::Next)));
    meeting.on_back(send(Intent::Meeting(Action::Back)));
    meeting.on_toggle_pause(send(Intent::Meeting(Action::TogglePause)));
    meeting.on_add_minute(send(Intent::Meeting(Action::AddMinute)));
    meeting.on_remove_minute(send(Intent::Meeting(Action::RemoveMinute)));
    meeting.on_skip_turn(send(Intent::Meeting(Action::SkipTurn)));
    meeting.on_ask_end(send(Intent::AskEnd));
    let w = with.clone();
    meeting.on_rate(move |rating| {
        let rating = match rating.as_str() {
            "warm" => Rating::Warm,
            "cold" => Rating::Cold,
            _ => Rating::Neutral,
        };
        if let Some(c) = w() {
            c.intent(Intent::Meeting(Action::Rate(rating)));
        }
    });

    let question = window.global::<CaseQuestionAdapter>();
    let w = with.clone();
    question.on_edited(move |text| {
        if let Some(c) = w() {
            c.intent(Intent::SetCaseQuestion(text.to_string()));
        }
    });
    let w = with.clone();
    question.on_typed(move |typed| {
        if let Some(c) = w() {
            let current = current_question(&c);
            c.intent(Intent::SetCaseQuestion(current + typed.as_str()));
        }
    });
    let w = with.clone();
    question.on_backspace(move || {
        if let Some(c) = w() {
            let mut current = current_question(&c);
            current.pop();
            c.intent(Intent::SetCaseQuestion(current));
        }
    });
    question.on_done(send(Intent::FinishCaseQuestion));

    let summary = window.global::<SummaryAdapter>();
    let w = with.clone();
    summary.on_evaluate(move |score| {
        if let Some(c) = w() {
            c.intent(Intent::Evaluate(score.clamp(0, 5) as u8));
        }
    });
    summary.on_finish(send(Intent::Finish));
    summary.on_forget(send(Intent::Forget));
}

fn current_question(c: &Rc<Controller>) -> String {
    let kiosk = c.kiosk();
    match (kiosk.current_case(), kiosk.session()) {
        (Some(case), Some(session)) => session.questions[case].clone(),
        _ => String::new(),
    }
}
