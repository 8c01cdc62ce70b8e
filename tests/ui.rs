//! The real Slint components through Slint's testing backend, rendered with the software
//! renderer: pages, keys, the running states, layout at every screen size, and screenshots.

use chrono::NaiveDate;
use i_slint_backend_testing::{
    AccessibleRole, ElementHandle, TestingBackend, TestingBackendOptions,
};
use intervisie_kiosk::app::kiosk::Kiosk;
use intervisie_kiosk::config::Config;
use intervisie_kiosk::domain::library::Library;
use intervisie_kiosk::domain::text::Lang;
use intervisie_kiosk::domain::time::{Instant, Now};
use intervisie_kiosk::input::gestures::{Button, Edge};
use intervisie_kiosk::store::worker::{PinAnswer, Report};
use intervisie_kiosk::time_source::FakeClock;
use intervisie_kiosk::ui::controller::Controller;
use intervisie_kiosk::ui::{AppAdapter, AppWindow, MeetingAdapter, PageId};
use slint::platform::{Key, WindowEvent};
use slint::{ComponentHandle, Model};
use std::path::PathBuf;
use std::rc::Rc;

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
        let clock = FakeClock::new(Now::new(
            Instant(0),
            NaiveDate::from_ymd_opt(2026, 11, 23)
                .unwrap()
                .and_hms_opt(14, 0, 0)
                .unwrap(),
        ));
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
        // The element is 2% taller than the digits (see countdown.slint).
        countdown.size().height / 1.02 / window.height
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

#[test]
fn choose_a_method_start_and_step_through_phases() {
    let s = Screen::new(800, 480, Lang::Nl);
    assert_eq!(s.page(), PageId::Home);
    s.tap("Tik om te beginnen");
    assert_eq!(s.page(), PageId::Setup);
    s.tap("Vijfstappenmethode");
    assert!(s.find("Vijfstappenmethode").accessible_checked().unwrap());
    s.tap("Beginnen");
    assert_eq!(s.page(), PageId::Opening);
    assert_eq!(s.title(), "Welkom");
    s.tap("Volgende");
    assert_eq!(s.title(), "Spelregels");
    assert!(s.has("Fase: Spelregels"));
    s.tap("Terug");
    assert_eq!(s.title(), "Welkom");
}

#[test]
fn keys_work_like_a_presenter_clicker() {
    let s = Screen::new(800, 480, Lang::Nl);
    s.key("x");
    assert_eq!(s.page(), PageId::Setup);
    s.special(Key::Return);
    assert_eq!(s.page(), PageId::Opening);
    s.special(Key::PageDown);
    assert_eq!(s.title(), "Spelregels");
    s.special(Key::PageUp);
    assert_eq!(s.title(), "Welkom");
    s.key(" ");
    assert!(s.window.global::<MeetingAdapter>().get_paused());
    s.key("b");
    assert!(!s.window.global::<MeetingAdapter>().get_paused());
    s.special(Key::Escape);
    assert!(s.window.global::<AppAdapter>().get_confirm_end());
    s.special(Key::Return);
    assert_eq!(s.page(), PageId::Summary);
}

#[test]
fn pause_is_unmistakable() {
    let s = Screen::new(800, 480, Lang::Nl);
    s.tap("Tik om te beginnen");
    s.tap("Beginnen");
    s.tap("Pauze");
    s.wait(75_000);
    assert!(s.has("PAUZE"));
    assert_eq!(s.window.global::<MeetingAdapter>().get_paused_for(), "1:15");
    s.tap("Verder");
    assert!(!s.has("PAUZE"));
}

#[test]
fn over_time_is_shown_in_words_and_with_a_plus() {
    let s = Screen::new(800, 480, Lang::Nl);
    s.tap("Tik om te beginnen");
    s.tap("Beginnen");
    let budget = 6 * 60_000; // Welkom in a 90-minute incident meeting
    s.wait(budget - 30_000);
    assert!(s.has("BIJNA TIJD"));
    s.wait(35_000);
    assert!(s.has("OVER TIJD"));
    let chars: Vec<String> =
        slint::Model::iter(&s.window.global::<MeetingAdapter>().get_countdown())
            .map(|c| c.to_string())
            .collect();
    assert_eq!(chars.concat(), "+0:05");
    assert!(s.has("0:05 over tijd"));
}

#[test]
fn a_round_shows_whose_turn_it_is() {
    let s = Screen::new(800, 480, Lang::Nl);
    s.tap("Tik om te beginnen");
    s.tap("Beginnen");
    while s.page() == PageId::Opening {
        s.tap("Volgende");
    }
    assert_eq!(s.page(), PageId::CaseQuestion);
    s.tap("Klaar");
    s.tap("Volgende");
    assert_eq!(s.title(), "Informatieronde");
    assert!(s.has("Beurt 1 van 5"));
    s.tap("Beurt overslaan");
    assert!(s.has("Beurt 2 van 5"));
}

#[test]
fn the_case_question_can_be_typed_and_stays_in_view() {
    let s = Screen::new(800, 480, Lang::Nl);
    s.tap("Tik om te beginnen");
    s.tap("Beginnen");
    while s.page() == PageId::Opening {
        s.special(Key::RightArrow);
    }
    for key in ["H", "o", "e", "Spatie", "n", "u", "?"] {
        s.tap(key);
    }
    s.tap("Wissen");
    s.tap("Spatie");
    assert_eq!(
        s.window
            .global::<intervisie_kiosk::ui::CaseQuestionAdapter>()
            .get_text(),
        "Hoe nu "
    );
    s.special(Key::Return);
    assert_eq!(s.page(), PageId::Running);
    assert!(s.has("Casusvraag: Hoe nu"));
}

#[test]
fn the_screen_speaks_english_when_asked() {
    let s = Screen::new(800, 480, Lang::En);
    s.tap("Tap to start");
    s.tap("Start");
    assert_eq!(s.title(), "Welcome");
    s.tap("Next");
    assert_eq!(s.title(), "Ground rules");
}

/// Goes through every page, checking the layout and saving a screenshot of each.
fn tour(width: u32, height: u32, lang: Lang) -> Vec<PathBuf> {
    let s = Screen::new(width, height, lang);
    let mut shots = Vec::new();
    let mut visit = |s: &Screen, page: &str| {
        // The picture first, so a failing layout can be looked at.
        shots.push(s.shot(page));
        s.check_layout(page);
    };
    visit(&s, "1-home");
    s.key("x");
    visit(&s, "2-setup");
    s.special(Key::Return);
    visit(&s, "3-opening");
    while s.page() == PageId::Opening {
        s.special(Key::RightArrow);
    }
    let q = s
        .window
        .global::<intervisie_kiosk::ui::CaseQuestionAdapter>();
    q.invoke_edited("Ik vind het lastig om nee te zeggen. Hoe verander ik dat?".into());
    visit(&s, "4-case-question");
    s.special(Key::Return);
    s.wait(4 * 60_000 + 10_000);
    visit(&s, "5-running");
    let share = s.countdown_share();
    if width > height {
        assert!(
            share >= 0.399,
            "{width}x{height}: digits are {share:.3} of the height"
        );
    } else {
        // In portrait one line of digits across the width is the limit.
        assert!(
            share >= 0.14,
            "{width}x{height}: digits are {share:.3} of the height"
        );
    }
    s.special(Key::RightArrow);
    s.wait(2 * 60_000);
    visit(&s, "6-round");
    s.wait(2 * 60_000 + 5_000);
    visit(&s, "7-over-time");
    s.key(" ");
    s.wait(83_000);
    visit(&s, "8-paused");
    s.special(Key::Escape);
    visit(&s, "9-confirm-end");
    s.special(Key::Return);
    visit(&s, "10-summary");
    s.special(Key::Return);
    s.tap(if lang == Lang::Nl {
        "Instellingen"
    } else {
        "Settings"
    });
    visit(&s, "11-settings");
    s.tap(if lang == Lang::Nl {
        "Alles wissen"
    } else {
        "Wipe everything"
    });
    visit(&s, "12-confirm-wipe");
    s.special(Key::Escape);
    s.special(Key::Escape);
    assert_eq!(s.page(), PageId::Home);
    // With a PIN set, history asks for it first.
    s.controller.store_report(Report::Opened {
        running: None,
        settings: Vec::new(),
        notices: Vec::new(),
        pin_set: true,
    });
    s.tap(if lang == Lang::Nl {
        "Geschiedenis"
    } else {
        "History"
    });
    assert_eq!(s.page(), PageId::Pin);
    for d in "1234".chars() {
        s.key(d.to_string());
    }
    assert_eq!(
        s.window
            .global::<intervisie_kiosk::ui::PinAdapter>()
            .get_digits(),
        4
    );
    visit(&s, "13-pin");
    s.special(Key::Return);
    s.controller.store_report(Report::Pin(PinAnswer::Right));
    assert_eq!(s.page(), PageId::History);
    s.controller.store_report(sample_history());
    visit(&s, "14-history");
    shots
}

/// Two ended five-step meetings, one of them over time, as the store would send them.
fn sample_history() -> Report {
    use intervisie_kiosk::store::{Overrun, PastSession, PhaseOutcome};
    let library = Library::built_in();
    let frame = library.frame();
    let method = library.get("vijf-stappen").unwrap();
    let mut phases: Vec<PhaseOutcome> = Vec::new();
    let mut add = |id: &str, method_id: Option<&str>, planned: i64, actual: i64| {
        phases.push(PhaseOutcome {
            phase_id: id.into(),
            method_id: method_id.map(String::from),
            planned,
            actual,
            paused: 0,
            skipped: false,
        })
    };
    for p in &frame.opening {
        add(&p.id, None, 240_000, 200_000);
    }
    for (i, p) in method.phases.iter().enumerate() {
        add(
            &p.id,
            Some("vijf-stappen"),
            360_000,
            300_000 + i as i64 * 40_000,
        );
    }
    for p in &frame.closing {
        add(&p.id, None, 300_000, 180_000);
    }
    let at = |d, h| {
        NaiveDate::from_ymd_opt(2026, 11, d)
            .unwrap()
            .and_hms_opt(h, 0, 0)
            .unwrap()
    };
    let session = |id, d, h, evaluation| PastSession {
        id,
        started_at: at(d, h),
        ended_at: Some(at(d, h + 1)),
        methods: vec!["vijf-stappen".into()],
        members: 6,
        target: 3_600_000,
        length: Some(3_780_000),
        evaluation,
        phases: phases.clone(),
    };
    Report::History {
        sessions: vec![session(2, 20, 14, Some(4)), session(1, 13, 9, None)],
        overruns: method
            .phases
            .iter()
            .enumerate()
            .map(|(i, p)| Overrun {
                method_id: "vijf-stappen".into(),
                phase_id: p.id.clone(),
                sessions: 2,
                average: -60_000 + i as i64 * 40_000,
            })
            .collect(),
    }
}

#[test]
fn every_page_fits_every_screen() {
    for (w, h) in [
        (800, 480),
        (1024, 600),
        (1280, 800),
        (1920, 1080),
        (480, 800),
        (1080, 1920),
    ] {
        tour(w, h, Lang::Nl);
    }
    tour(800, 480, Lang::En);
}

#[test]
fn the_socratic_rating_buttons_count() {
    let s = Screen::new(800, 480, Lang::Nl);
    s.tap("Tik om te beginnen");
    s.tap("Socratische methode");
    s.tap("Beginnen");
    while s.page() == PageId::Opening {
        s.tap("Volgende");
    }
    s.tap("Overslaan");
    while s.title() != "Warm, neutraal of koud (1/2)" {
        s.tap("Volgende");
    }
    s.check_layout("rating");
    s.shot("rating");
    s.tap("Warm (0)");
    s.tap("Warm (1)");
    s.tap("Koud (0)");
    let m = s.window.global::<MeetingAdapter>();
    assert_eq!((m.get_warm(), m.get_neutral(), m.get_cold()), (2, 0, 1));
}

#[test]
fn push_buttons_run_the_meeting_and_ask_before_ending_a_case() {
    let s = Screen::new(800, 480, Lang::Nl);
    s.push(Button::Next, 120);
    assert_eq!(s.page(), PageId::Setup);
    s.push(Button::Pause, 120);
    s.push(Button::Next, 120);
    assert_eq!(s.page(), PageId::Opening);
    let welcome = s.title();
    s.push(Button::Next, 150);
    assert_ne!(s.title(), welcome);
    // A long press of next goes back.
    s.push(Button::Next, 1_300);
    assert_eq!(s.title(), welcome);
    // A long press of pause adds a minute; a short one pauses.
    s.push(Button::Pause, 1_300);
    s.push(Button::Pause, 100);
    assert!(s.has("PAUZE"));
    s.push(Button::Pause, 100);
    assert!(!s.has("PAUZE"));
    while s.page() == PageId::Opening {
        s.push(Button::Next, 100);
    }
    s.push(Button::Next, 100);
    assert_eq!(s.page(), PageId::Running);
    // Both held three seconds: the end question, answered by the buttons.
    s.hold_both(3_300);
    assert!(s.window.global::<AppAdapter>().get_confirm_end());
    assert!(s.has("Knop volgende: casus afronden. Knop pauze: doorgaan."));
    s.shot("buttons-end-question");
    s.push(Button::Pause, 100);
    assert!(!s.window.global::<AppAdapter>().get_confirm_end());
    assert_eq!(s.page(), PageId::Running);
    // Ten seconds: the wipe prompt with its countdown; any press cancels it.
    s.hold_both(10_300);
    assert!(s.window.global::<AppAdapter>().get_wipe_prompt());
    assert!(s.has("10 s"), "the countdown starts at ten seconds");
    s.check_layout("wipe-prompt");
    s.shot("buttons-wipe-prompt");
    s.wait(4_000);
    assert!(s.has("6 s"));
    s.push(Button::Next, 100);
    assert!(!s.window.global::<AppAdapter>().get_wipe_prompt());
    assert_eq!(
        s.page(),
        PageId::Running,
        "cancelling the wipe moves nothing on"
    );
    // Held again and left to count down: the meeting on screen is wiped too.
    s.hold_both(10_300);
    for _ in 0..10 {
        s.wait(1_000);
    }
    assert!(!s.window.global::<AppAdapter>().get_wipe_prompt());
    assert_eq!(s.page(), PageId::Home);
    assert!(s.controller.kiosk().session().is_none());
}

#[test]
fn an_interrupted_meeting_is_offered_on_the_resume_page() {
    use intervisie_kiosk::app::kiosk::{Intent, record_of};
    use intervisie_kiosk::store::RunningSession;
    // The meeting as it was kept: in the third phase of a five-step case.
    let before = Screen::new(800, 480, Lang::Nl);
    before.controller.intent(Intent::Wake);
    before
        .controller
        .intent(Intent::ChooseMethod("vijf-stappen".into()));
    before.controller.intent(Intent::StartMeeting);
    before.wait(30_000);
    before.key("\n");
    before.wait(30_000);
    before.key("\n");
    before.wait(20_000);
    let record = {
        let kiosk = before.controller.kiosk();
        use intervisie_kiosk::time_source::Clock;
        record_of(kiosk.session().unwrap(), before.clock.now())
    };
    let remaining = before
        .window
        .global::<MeetingAdapter>()
        .get_countdown()
        .iter()
        .collect::<Vec<_>>()
        .join("");
    for (width, height, lang) in [
        (800, 480, Lang::Nl),
        (1920, 1080, Lang::Nl),
        (480, 800, Lang::Nl),
        (800, 480, Lang::En),
    ] {
        let s = Screen::new(width, height, lang);
        s.controller.store_report(Report::Opened {
            running: Some(Box::new(RunningSession {
                id: 3,
                record: record.clone(),
            })),
            settings: Vec::new(),
            notices: Vec::new(),
            pin_set: false,
        });
        assert_eq!(s.page(), PageId::Resume);
        s.check_layout("resume");
        s.shot("resume");
        if lang == Lang::Nl {
            assert!(s.has("Bijeenkomst: Vijfstappenmethode, 6 deelnemers"));
            assert!(
                s.has(&format!("Resterende tijd: {remaining}")),
                "{remaining}"
            );
            s.wait(60_000);
            s.tap("Verdergaan (gepauzeerd)");
            assert_eq!(s.page(), PageId::Opening);
            assert!(s.window.global::<MeetingAdapter>().get_paused());
            let now = s
                .window
                .global::<MeetingAdapter>()
                .get_countdown()
                .iter()
                .collect::<Vec<_>>()
                .join("");
            assert_eq!(
                now, remaining,
                "a minute on the resume page costs the phase nothing"
            );
        }
    }
}

#[test]
fn trouble_with_the_store_is_shown_until_dismissed_or_resolved() {
    let s = Screen::new(800, 480, Lang::Nl);
    s.controller
        .store_report(Report::WriteFailed { disk_full: true });
    let text = s
        .window
        .global::<AppAdapter>()
        .get_store_notice()
        .to_string();
    assert!(text.contains("schijf is vol"), "{text}");
    assert!(s.window.global::<AppAdapter>().get_store_warning());
    s.check_layout("store-full");
    s.shot("store-disk-full");
    s.controller.store_report(Report::Recovered);
    assert_eq!(s.window.global::<AppAdapter>().get_store_notice(), "");
    s.controller.store_report(Report::Unavailable(
        "/var/lib/intervisie-kiosk: read-only".into(),
    ));
    let text = s
        .window
        .global::<AppAdapter>()
        .get_store_notice()
        .to_string();
    assert!(
        text.contains("read-only") && text.contains("niet bewaard"),
        "{text}"
    );
    s.tap(&text);
    assert_eq!(s.window.global::<AppAdapter>().get_store_notice(), "");
}

#[test]
fn a_stuck_button_is_shown_and_the_other_still_works() {
    let s = Screen::new(800, 480, Lang::Nl);
    s.push(Button::Next, 100);
    s.controller.button_edge(Edge {
        button: Button::Pause,
        pressed: true,
        at: Instant(s.now_ms()),
    });
    for _ in 0..40 {
        s.wait(1_000);
    }
    let notice = s.window.global::<AppAdapter>().get_notice().to_string();
    assert!(notice.contains("pauze"), "{notice}");
    s.check_layout("stuck-button");
    s.shot("buttons-stuck");
    s.push(Button::Next, 100);
    assert_eq!(s.page(), PageId::Opening, "next works while pause is stuck");
    s.controller.button_edge(Edge {
        button: Button::Pause,
        pressed: false,
        at: Instant(s.now_ms()),
    });
    s.wait(50);
    assert_eq!(s.window.global::<AppAdapter>().get_notice(), "");
}

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
