//! The kiosk's flow: which page is up, what each intent does there, and the meeting it runs.
//! Time comes in with every call; nothing here reads a clock or touches the screen.

use super::setup::Setup;
use super::setup::{LENGTH_STEP_MINUTES, SHORTEST_MEETING};
use super::summary::Summary;
use crate::config::Config;
use crate::domain::clock::Now;
use crate::domain::engine::{Action, Engine, MeetingStatus, Rejected, Settings};
use crate::domain::event::Event;
use crate::domain::library::Library;
use crate::domain::plan::{MAX_MEETING_MINUTES, MAX_MEMBERS, MIN_MEMBERS};
use crate::domain::plan::{PlanError, Section};
use crate::domain::snapshot::RestoreError;
use crate::domain::text::Lang;
use crate::domain::view::TimerState;
use crate::input::gestures::{Button, Gesture};
use crate::input::gpio::LedPattern;
use crate::input::keys::KeyCommand;
use crate::store::worker::Command;
use crate::store::{Ending, Notice, RunningSession, SessionRecord};
use chrono::NaiveDateTime;

/// After both buttons are held for the wipe time, the wipe waits this long for a cancelling press.
pub const WIPE_COUNTDOWN: crate::domain::method::Ms = 10_000;

/// The longest case question: one or two sentences.
pub const MAX_QUESTION_CHARS: usize = 240;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    Home,
    /// A meeting was interrupted (a power cut): continue it or end it.
    Resume,
    Settings,
    Setup,
    /// Welcome, ground rules and choosing the case.
    Opening,
    /// Past meetings: planned against actual, and how each method's phases tend to run.
    History,
    /// The PIN that IT set, asked before settings or history open.
    Pin,
    /// Typing the case question as a case begins.
    CaseQuestion,
    Running,
    Summary,
}

/// What a person wants, from a tap, a key or (later) a button.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Intent {
    Wake,
    OpenSettings,
    CloseSettings,
    SetLanguage(Lang),
    ChooseMethod(String),
    CycleMethod {
        forward: bool,
    },
    SetCaseCount(usize),
    SelectCaseSlot(usize),
    ChangeMembers(i8),
    ChangeLength(i32),
    UseEndTime(bool),
    StartMeeting,
    CancelSetup,
    Meeting(Action),
    AskEnd,
    ConfirmEndMeeting,
    ConfirmEndCase,
    CancelEnd,
    SetCaseQuestion(String),
    FinishCaseQuestion,
    Evaluate(u8),
    Finish,
    Forget,
    CloseWipePrompt,
    /// Continue the interrupted meeting (paused).
    ResumeMeeting,
    /// End the interrupted meeting instead.
    EndInterrupted,
    DismissStoreNotice,
    /// Wipe every session (asked on the settings page, or by the headless runner).
    WipeAll,
    OpenHistory,
    CloseHistory,
    SelectHistory(usize),
    PinDigit(u8),
    PinBackspace,
    PinSubmit,
    PinCancel,
    ChangeDefaultMembers(i8),
    ChangeDefaultLength(i32),
    SetLed(bool),
    SetBuzzer(bool),
    SetRetention(u32),
    /// "Wipe everything" on the settings page: asks first.
    AskWipeAll,
    CancelWipeAll,
}

/// The retention choices offered on the settings page, in days (0: after every meeting).
pub const RETENTION_CHOICES: [u32; 5] = [0, 7, 30, 90, 365];

/// The PIN pad: what it opens, the digits so far and what the last attempt said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PinEntry {
    pub opens: Page,
    pub digits: String,
    pub status: PinStatus,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PinStatus {
    Typing,
    Checking,
    Wrong { wait_s: u64 },
    Locked { wait_s: u64 },
}

/// The history as the store sent it.
#[derive(Clone, Debug, Default)]
pub struct History {
    pub sessions: Vec<crate::store::PastSession>,
    pub overruns: Vec<crate::store::Overrun>,
}

/// What the store has to tell the room, shown until someone dismisses it or it is resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreNotice {
    /// Sessions cannot be kept (the reason is in the log too).
    Unavailable(String),
    /// Writing failed; the meeting goes on from memory.
    WriteFailing { disk_full: bool },
    /// The database could not be read and was set aside; a new one was started.
    StartedAfresh,
    /// A wipe that was cut short was finished at start-up.
    WipeFinished,
    /// A wipe asked for here is done.
    Wiped,
}

/// An interrupted meeting, offered for resuming.
pub struct ResumeOffer {
    pub record: SessionRecord,
    /// The engine rebuilt (paused), or why it cannot be.
    pub engine: Result<Engine, RestoreError>,
}

/// What the store already holds of the current session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stored {
    Nothing,
    Running,
    Finished,
}

/// A problem with the push buttons that people in the room should know about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ButtonNotice {
    /// Held down (at start-up, or stuck): ignored until it comes up.
    Held(Button),
    /// The buttons cannot be used; the reason is for IT and already in the log.
    Unavailable(String),
}

/// The meeting in progress (or just finished), with what the group typed and chose.
pub struct Session {
    pub engine: Engine,
    /// Wall-clock start, for the history.
    pub started_at: NaiveDateTime,
    pub questions: Vec<String>,
    /// Whether the question page was done (typed or skipped) for each case.
    pub asked: Vec<bool>,
    pub evaluation: Option<u8>,
    pub summary: Option<Summary>,
}

impl Session {
    /// The session a kept record describes, around its rebuilt engine.
    fn from_record(engine: Engine, record: SessionRecord) -> Session {
        Session {
            engine,
            started_at: record.started_at,
            questions: record.questions,
            asked: record.asked,
            evaluation: record.evaluation,
            summary: None,
        }
    }
}

pub struct Kiosk {
    library: Library,
    config: Config,
    lang: Lang,
    /// The page when no meeting runs.
    idle_page: Page,
    setup: Setup,
    session: Option<Session>,
    confirm_end: bool,
    /// The end question came from holding both buttons: next ends the case, pause goes on.
    end_by_buttons: bool,
    /// Both buttons were held long enough to ask for a wipe: it happens at this moment.
    wipe_deadline: Option<crate::domain::clock::Instant>,
    /// Something wrong with the push buttons, to show until it is resolved.
    button_notice: Option<ButtonNotice>,
    /// Why starting failed, shown on the set-up page.
    start_error: Option<PlanError>,
    /// Engine events not yet taken by storage.
    outbox: Vec<Event>,
    /// Store commands not tied to the session's own progress (wipes, settings).
    store_ops: Vec<Command>,
    stored: Stored,
    /// The session changed since it was last handed to storage.
    dirty: bool,
    resume: Option<ResumeOffer>,
    store_notice: Option<StoreNotice>,
    /// IT set a PIN: settings and history ask for it.
    pin_set: bool,
    /// The PIN was given; settings and history stay open until the kiosk goes home.
    unlocked: bool,
    pin: Option<PinEntry>,
    /// `None` while the store is still reading it.
    history: Option<History>,
    history_selected: usize,
    confirm_wipe: bool,
    led: bool,
    buzzer: bool,
}

impl Kiosk {
    pub fn new(library: Library, config: Config) -> Kiosk {
        let first = library
            .ids()
            .first()
            .map_or("incident", |id| id)
            .to_string();
        let setup = Setup::new(&first, config.default_members, config.default_minutes);
        let buzzer = config.buttons.buzzer;
        Kiosk {
            lang: config.language,
            library,
            config,
            idle_page: Page::Home,
            setup,
            session: None,
            confirm_end: false,
            end_by_buttons: false,
            wipe_deadline: None,
            button_notice: None,
            start_error: None,
            outbox: Vec::new(),
            store_ops: Vec::new(),
            stored: Stored::Nothing,
            dirty: false,
            resume: None,
            store_notice: None,
            pin_set: false,
            unlocked: false,
            pin: None,
            history: None,
            history_selected: 0,
            confirm_wipe: false,
            led: true,
            buzzer,
        }
    }

    pub fn library(&self) -> &Library {
        &self.library
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    pub fn setup(&self) -> &Setup {
        &self.setup
    }

    /// Replaces the set-up choices and shows the set-up page (the headless runner).
    pub fn set_setup(&mut self, setup: Setup) {
        self.setup = setup;
        self.go_to_setup();
    }

    pub fn session(&self) -> Option<&Session> {
        self.session.as_ref()
    }

    pub fn confirming_end(&self) -> bool {
        self.confirm_end
    }

    /// What the status LED should show: on while a phase runs, blinking slowly when paused and
    /// quickly over time, off without a meeting.
    pub fn led_pattern(&self, now: Now) -> LedPattern {
        let Some(session) = &self.session else {
            return LedPattern::Off;
        };
        if !self.led {
            return LedPattern::Off;
        }
        if !matches!(
            self.page(),
            Page::Opening | Page::CaseQuestion | Page::Running
        ) {
            return LedPattern::Off;
        }
        match session.engine.view(now).state {
            TimerState::Paused => LedPattern::SlowBlink,
            TimerState::OverTime => LedPattern::FastBlink,
            TimerState::Running | TimerState::NearEnd => LedPattern::On,
            TimerState::NotStarted | TimerState::Finished => LedPattern::Off,
        }
    }

    pub fn buzzer_on(&self) -> bool {
        self.buzzer
    }

    pub fn led_on(&self) -> bool {
        self.led
    }

    pub fn pin_entry(&self) -> Option<&PinEntry> {
        self.pin.as_ref()
    }

    pub fn history(&self) -> Option<&History> {
        self.history.as_ref()
    }

    pub fn history_selected(&self) -> usize {
        self.history_selected
    }

    pub fn confirming_wipe(&self) -> bool {
        self.confirm_wipe
    }

    /// The store's history arrived.
    pub fn set_history(&mut self, history: History) {
        self.history_selected = self
            .history_selected
            .min(history.sessions.len().saturating_sub(1));
        self.history = Some(history);
    }

    /// The store's answer to the PIN typed.
    pub fn pin_answer(&mut self, answer: crate::store::worker::PinAnswer) {
        use crate::store::worker::PinAnswer;
        let Some(entry) = self.pin.as_mut() else {
            return;
        };
        match answer {
            PinAnswer::Right | PinAnswer::NotSet => {
                let opens = entry.opens;
                self.pin = None;
                self.unlocked = true;
                self.open(opens);
            }
            PinAnswer::Wrong { wait } => {
                entry.status = PinStatus::Wrong {
                    wait_s: wait.as_secs(),
                }
            }
            PinAnswer::Locked { wait } => {
                entry.status = PinStatus::Locked {
                    wait_s: wait.as_secs().max(1),
                }
            }
        }
    }

    /// Opens settings or history, asking for the PIN first when IT set one.
    fn open(&mut self, page: Page) {
        if self.pin_set && !self.unlocked {
            self.pin = Some(PinEntry {
                opens: page,
                digits: String::new(),
                status: PinStatus::Typing,
            });
            return;
        }
        if page == Page::History {
            self.history = None;
            self.store_ops.push(Command::LoadHistory);
        }
        self.idle_page = page;
    }

    fn go_home(&mut self) {
        self.idle_page = Page::Home;
        self.unlocked = false;
        self.confirm_wipe = false;
        self.history = None;
    }

    fn set_setting(&mut self, name: &str, value: String) {
        self.store_ops
            .push(Command::SetSetting(name.to_string(), value));
    }

    /// Whether the end question was asked by holding both buttons.
    /// A running countdown (or a wipe counting down) keeps the screen lit however quiet the
    /// room is: the group reads it from across the room without touching anything.
    pub fn keeps_screen_lit(&self) -> bool {
        self.wipe_deadline.is_some()
            || self.session.as_ref().is_some_and(|s| {
                s.engine.status() == MeetingStatus::Running && !s.engine.is_paused()
            })
    }

    pub fn end_asked_by_buttons(&self) -> bool {
        self.confirm_end && self.end_by_buttons
    }

    pub fn wipe_prompt(&self) -> bool {
        self.wipe_deadline.is_some()
    }

    /// Whole seconds until the wipe, while the wipe prompt is up.
    pub fn wipe_countdown(&self, now: Now) -> Option<crate::domain::method::Ms> {
        self.wipe_deadline.map(|d| (d - now.mono).max(0))
    }

    /// Carries out what is due at `now`: the wipe when its countdown ran out. `buttons_down`
    /// says whether a push button is still held: then something leans on them, and nobody
    /// asked, so the wipe is called off.
    pub fn tick(&mut self, now: Now, buttons_down: bool) -> bool {
        match self.wipe_deadline {
            Some(deadline) if now.mono >= deadline => {
                self.wipe_deadline = None;
                if buttons_down {
                    tracing::warn!("wipe called off: the buttons were still held at the end");
                } else {
                    self.wipe_all();
                }
                true
            }
            _ => false,
        }
    }

    /// Wipes every session (the meeting on screen too).
    pub fn wipe_all(&mut self) {
        self.session = None;
        self.resume = None;
        self.confirm_end = false;
        self.outbox.clear();
        self.stored = Stored::Nothing;
        self.idle_page = Page::Home;
        self.store_ops.push(Command::WipeAll);
    }

    pub fn resume_offer(&self) -> Option<&ResumeOffer> {
        self.resume.as_ref()
    }

    pub fn store_notice(&self) -> Option<&StoreNotice> {
        self.store_notice.as_ref()
    }

    pub fn set_store_notice(&mut self, notice: Option<StoreNotice>) {
        self.store_notice = notice;
    }

    /// The store opened: settings saved on the screen, what it found on the way, and a meeting
    /// that was running when the kiosk stopped.
    pub fn store_opened(
        &mut self,
        running: Option<RunningSession>,
        settings: &[(String, String)],
        notices: &[Notice],
        pin_set: bool,
        now: Now,
    ) {
        self.pin_set = pin_set;
        self.apply_settings(settings);
        for notice in notices {
            self.store_notice = Some(match notice {
                Notice::WipeFinished => StoreNotice::WipeFinished,
                Notice::MovedAside(_) | Notice::KeyLost => StoreNotice::StartedAfresh,
            });
        }
        if let Some(running) = running {
            if self.session.is_some() {
                // A meeting started before the store answered: it wins, the old one ends.
                self.store_ops.push(Command::Abandon);
                return;
            }
            let engine = Engine::restore(&self.library, &running.record.snapshot, now.mono);
            if let Err(e) = &engine {
                tracing::warn!("the interrupted meeting cannot be resumed: {e}");
            }
            self.resume = Some(ResumeOffer {
                record: running.record,
                engine,
            });
            self.stored = Stored::Running;
        }
    }

    /// Settings chosen on the screen earlier, kept by the store.
    pub fn apply_settings(&mut self, settings: &[(String, String)]) {
        for (name, value) in settings {
            match name.as_str() {
                "language" => {
                    if let Ok(lang) = value.parse() {
                        self.lang = lang;
                    }
                }
                "default_members" => {
                    if let Ok(m) = value.parse::<u8>()
                        && (MIN_MEMBERS..=MAX_MEMBERS).contains(&m)
                    {
                        self.config.default_members = m;
                        self.setup.members = m;
                    }
                }
                "default_minutes" => {
                    if let Ok(m) = value.parse::<u32>()
                        && (SHORTEST_MEETING..=MAX_MEETING_MINUTES).contains(&m)
                    {
                        self.config.default_minutes = m;
                        self.setup = Setup::new(&self.setup.cases[0], self.setup.members, m);
                    }
                }
                "retention_days" => {
                    if let Ok(d) = value.parse() {
                        self.config.retention_days = d;
                    }
                }
                "led" => self.led = value == "on",
                "buzzer" => self.buzzer = value == "on",
                other => tracing::debug!("setting `{other}` is not used here"),
            }
        }
    }

    /// What storage must do now: start, save or finish the session, and any wipe or setting
    /// asked for. `periodic` saves a running meeting even if nothing was pressed, so elapsed
    /// time survives a power cut.
    pub fn take_storage(&mut self, now: Now, periodic: bool) -> Vec<Command> {
        let mut ops = Vec::new();
        let events = std::mem::take(&mut self.outbox);
        match &self.session {
            None => {
                if self.stored != Stored::Nothing && self.resume.is_none() {
                    ops.push(Command::Close);
                    self.stored = Stored::Nothing;
                }
            }
            Some(session) => {
                let record = Box::new(record_of(session, now));
                match (session.engine.status(), self.stored) {
                    (MeetingStatus::Finished, Stored::Finished) => {
                        if self.dirty || !events.is_empty() {
                            ops.push(Command::Save(record, events));
                        }
                    }
                    (MeetingStatus::Finished, _) => {
                        let ending = Ending {
                            phases: super::summary::outcomes(&session.engine, now.mono),
                            ended_at: now.wall,
                            length: session.engine.meeting_elapsed(now.mono),
                            record: *record,
                        };
                        if self.stored == Stored::Nothing {
                            ops.push(Command::Begin(Box::new(ending.record.clone()), Vec::new()));
                        }
                        ops.push(Command::Finish(Box::new(ending), events));
                        self.stored = Stored::Finished;
                    }
                    (_, Stored::Nothing) => {
                        ops.push(Command::Begin(record, events));
                        self.stored = Stored::Running;
                    }
                    (_, _) => {
                        if self.dirty || periodic || !events.is_empty() {
                            ops.push(Command::Save(record, events));
                        }
                    }
                }
            }
        }
        self.dirty = false;
        ops.append(&mut self.store_ops);
        ops
    }

    pub fn button_notice(&self) -> Option<&ButtonNotice> {
        self.button_notice.as_ref()
    }

    pub fn set_button_notice(&mut self, notice: Option<ButtonNotice>) {
        self.button_notice = notice;
    }

    pub fn start_error(&self) -> Option<&PlanError> {
        self.start_error.as_ref()
    }

    /// Takes the events produced since the last call (for storage).
    pub fn take_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.outbox)
    }

    pub fn page(&self) -> Page {
        let Some(session) = &self.session else {
            if self.resume.is_some() {
                return Page::Resume;
            }
            if self.pin.is_some() {
                return Page::Pin;
            }
            return self.idle_page;
        };
        match session.engine.status() {
            MeetingStatus::Finished => Page::Summary,
            MeetingStatus::NotStarted => Page::Setup,
            MeetingStatus::Running => {
                let current = session.engine.current();
                match session.engine.plan().phases[current].section {
                    Section::Opening => Page::Opening,
                    Section::Case(k) if !session.asked[k] => Page::CaseQuestion,
                    _ => Page::Running,
                }
            }
        }
    }

    /// The case whose question is shown or asked now, if any.
    pub fn current_case(&self) -> Option<usize> {
        let session = self.session.as_ref()?;
        let current = session.engine.current();
        session.engine.plan().phases[current].section.case()
    }

    /// Handles one intent at `now`. Returns whether anything changed.
    pub fn handle(&mut self, intent: Intent, now: Now) -> bool {
        let changed = self.handle_intent(intent, now);
        if changed && self.session.is_some() {
            self.dirty = true;
        }
        changed
    }

    fn handle_intent(&mut self, intent: Intent, now: Now) -> bool {
        let page = self.page();
        match intent {
            Intent::Wake if page == Page::Home => self.go_to_setup(),
            Intent::OpenSettings if page == Page::Home => self.open(Page::Settings),
            Intent::OpenHistory if page == Page::Home => self.open(Page::History),
            Intent::CloseSettings if page == Page::Settings => self.go_home(),
            Intent::CloseHistory if page == Page::History => self.go_home(),
            Intent::SelectHistory(i) if page == Page::History => {
                let count = self.history.as_ref().map_or(0, |h| h.sessions.len());
                if i >= count {
                    return false;
                }
                self.history_selected = i;
            }
            Intent::PinDigit(d) if page == Page::Pin && d <= 9 => {
                let entry = self.pin.as_mut().expect("the PIN page has an entry");
                if entry.status == PinStatus::Checking {
                    return false;
                }
                if entry.digits.len() >= crate::store::pin::MAX_DIGITS {
                    return false;
                }
                entry.digits.push(char::from(b'0' + d));
                entry.status = PinStatus::Typing;
            }
            Intent::PinBackspace if page == Page::Pin => {
                let entry = self.pin.as_mut().expect("the PIN page has an entry");
                entry.digits.pop();
            }
            Intent::PinCancel if page == Page::Pin => self.pin = None,
            Intent::PinSubmit if page == Page::Pin => return self.submit_pin(),
            Intent::ChangeDefaultMembers(d) if page == Page::Settings => {
                let m = (i16::from(self.config.default_members) + i16::from(d))
                    .clamp(i16::from(MIN_MEMBERS), i16::from(MAX_MEMBERS))
                    as u8;
                if m == self.config.default_members {
                    return false;
                }
                self.config.default_members = m;
                self.setup.members = m;
                self.set_setting("default_members", m.to_string());
            }
            Intent::ChangeDefaultLength(steps) if page == Page::Settings => {
                let m = (self.config.default_minutes as i64
                    + i64::from(steps) * i64::from(LENGTH_STEP_MINUTES))
                .clamp(i64::from(SHORTEST_MEETING), i64::from(MAX_MEETING_MINUTES))
                    as u32;
                if m == self.config.default_minutes {
                    return false;
                }
                self.config.default_minutes = m;
                self.setup = Setup::new(&self.setup.cases[0], self.setup.members, m);
                self.set_setting("default_minutes", m.to_string());
            }
            Intent::SetLed(on) if page == Page::Settings => {
                self.led = on;
                self.set_setting("led", if on { "on" } else { "off" }.into());
            }
            Intent::SetBuzzer(on) if page == Page::Settings => {
                self.buzzer = on;
                self.set_setting("buzzer", if on { "on" } else { "off" }.into());
            }
            Intent::SetRetention(days) if page == Page::Settings => {
                self.config.retention_days = days;
                self.set_setting("retention_days", days.to_string());
            }
            Intent::AskWipeAll if page == Page::Settings => self.confirm_wipe = true,
            Intent::CancelWipeAll if self.confirm_wipe => self.confirm_wipe = false,
            Intent::SetLanguage(lang) => {
                self.lang = lang;
                self.store_ops.push(Command::SetSetting(
                    "language".into(),
                    lang.code().to_string(),
                ));
            }
            Intent::ResumeMeeting if page == Page::Resume => return self.resume_meeting(),
            Intent::EndInterrupted if page == Page::Resume => return self.end_interrupted(now),
            Intent::DismissStoreNotice if self.store_notice.is_some() => self.store_notice = None,
            Intent::WipeAll => {
                self.wipe_all();
                self.go_home();
            }
            Intent::ChooseMethod(id) if page == Page::Setup => {
                if self.library.get(&id).is_none() {
                    return false;
                }
                self.setup.choose_method(&id);
                self.start_error = None;
            }
            Intent::CycleMethod { forward } if page == Page::Setup => {
                self.setup.cycle_method(&self.library, forward);
                self.start_error = None;
            }
            Intent::SetCaseCount(n) if page == Page::Setup => self.setup.set_case_count(n),
            Intent::SelectCaseSlot(n) if page == Page::Setup => self.setup.select_slot(n),
            Intent::ChangeMembers(d) if page == Page::Setup => self.setup.change_members(d),
            Intent::ChangeLength(d) if page == Page::Setup => self.setup.change_length(d, now.wall),
            Intent::UseEndTime(on) if page == Page::Setup => self.setup.use_end_time(on, now.wall),
            Intent::StartMeeting if page == Page::Setup => return self.start(now),
            Intent::CancelSetup if page == Page::Setup => self.idle_page = Page::Home,
            Intent::Meeting(action)
                if matches!(page, Page::Opening | Page::Running | Page::CaseQuestion) =>
            {
                if self.confirm_end {
                    return false;
                }
                return self.apply(action, now).is_ok();
            }
            Intent::AskEnd
                if matches!(page, Page::Opening | Page::Running | Page::CaseQuestion) =>
            {
                self.confirm_end = true;
                self.end_by_buttons = false;
            }
            Intent::CancelEnd if self.confirm_end => self.confirm_end = false,
            Intent::CloseWipePrompt if self.wipe_deadline.is_some() => self.wipe_deadline = None,
            Intent::ConfirmEndMeeting if self.confirm_end => {
                self.confirm_end = false;
                return self.apply(Action::EndMeeting, now).is_ok();
            }
            Intent::ConfirmEndCase if self.confirm_end => {
                self.confirm_end = false;
                return self.apply(Action::EndCase, now).is_ok();
            }
            Intent::SetCaseQuestion(text) => {
                let Some(case) = self.current_case() else {
                    return false;
                };
                let session = self.session.as_mut().expect("a case means a session");
                session.questions[case] = text.chars().take(MAX_QUESTION_CHARS).collect();
            }
            Intent::FinishCaseQuestion if page == Page::CaseQuestion => {
                let case = self
                    .current_case()
                    .expect("the question page belongs to a case");
                let session = self.session.as_mut().expect("a case means a session");
                session.questions[case] = session.questions[case].trim().to_string();
                session.asked[case] = true;
            }
            Intent::Evaluate(score) if page == Page::Summary && (1..=5).contains(&score) => {
                self.session
                    .as_mut()
                    .expect("summary has a session")
                    .evaluation = Some(score)
            }
            Intent::Finish if page == Page::Summary => {
                self.session = None;
                self.idle_page = Page::Home;
            }
            Intent::Forget if page == Page::Summary => {
                self.session = None;
                self.idle_page = Page::Home;
                self.outbox.clear();
                if self.stored != Stored::Nothing {
                    self.store_ops.push(Command::Forget);
                }
                self.stored = Stored::Nothing;
            }
            _ => return false,
        }
        true
    }

    /// What a key means on the current page.
    pub fn key(&mut self, key: KeyCommand, now: Now) -> bool {
        use KeyCommand as K;
        if self.wipe_prompt() {
            return self.handle(Intent::CloseWipePrompt, now);
        }
        if self.confirm_wipe {
            return match key {
                K::Escape | K::Back => self.handle(Intent::CancelWipeAll, now),
                _ => false,
            };
        }
        if self.confirm_end {
            return match key {
                K::Enter => self.handle(Intent::ConfirmEndMeeting, now),
                K::Escape | K::PauseResume | K::Back => self.handle(Intent::CancelEnd, now),
                _ => false,
            };
        }
        let intent = match (self.page(), key) {
            (Page::Home, K::Other | K::Enter | K::Next | K::PauseResume | K::Digit(_)) => {
                Intent::Wake
            }
            (Page::Resume, K::Enter | K::Next | K::PauseResume) => Intent::ResumeMeeting,
            (Page::Resume, K::Escape) => Intent::EndInterrupted,
            (Page::Settings, K::Escape | K::Enter) => Intent::CloseSettings,
            (Page::History, K::Escape | K::Enter) => Intent::CloseHistory,
            (Page::History, K::Down | K::Next) => {
                Intent::SelectHistory(self.history_selected.saturating_add(1))
            }
            (Page::History, K::Up | K::Back) => {
                Intent::SelectHistory(self.history_selected.saturating_sub(1))
            }
            (Page::Pin, K::Digit(d)) => Intent::PinDigit(d),
            (Page::Pin, K::Back) => Intent::PinBackspace,
            (Page::Pin, K::Escape) => Intent::PinCancel,
            (Page::Pin, K::Enter) => Intent::PinSubmit,
            (Page::Settings, K::Next | K::Back) => Intent::SetLanguage(match self.lang {
                Lang::Nl => Lang::En,
                Lang::En => Lang::Nl,
            }),
            (Page::Setup, K::Next) => Intent::CycleMethod { forward: true },
            (Page::Setup, K::Back) => Intent::CycleMethod { forward: false },
            (Page::Setup, K::Up) => Intent::ChangeMembers(1),
            (Page::Setup, K::Down) => Intent::ChangeMembers(-1),
            (Page::Setup, K::More) => Intent::ChangeLength(1),
            (Page::Setup, K::Less) => Intent::ChangeLength(-1),
            (Page::Setup, K::Digit(n @ 1..=2)) => Intent::SetCaseCount(usize::from(n)),
            (Page::Setup, K::Enter) => Intent::StartMeeting,
            (Page::Setup, K::Escape) => Intent::CancelSetup,
            (Page::CaseQuestion, K::Enter | K::Escape) => Intent::FinishCaseQuestion,
            (Page::Opening | Page::Running, K::Next | K::Enter) => Intent::Meeting(Action::Next),
            (Page::Opening | Page::Running, K::Back) => Intent::Meeting(Action::Back),
            (Page::Opening | Page::Running, K::PauseResume) => Intent::Meeting(Action::TogglePause),
            (Page::Opening | Page::Running, K::More) => Intent::Meeting(Action::AddMinute),
            (Page::Opening | Page::Running, K::Less) => Intent::Meeting(Action::RemoveMinute),
            (Page::Opening | Page::Running, K::Escape) => Intent::AskEnd,
            (Page::Summary, K::Digit(n @ 1..=5)) => Intent::Evaluate(n),
            (Page::Summary, K::Enter) => Intent::Finish,
            _ => return false,
        };
        self.handle(intent, now)
    }

    /// What a push-button gesture means on the current page. Two buttons must run a whole
    /// meeting: next starts it and moves on, pause pauses, and on the set-up page picks the
    /// next method.
    pub fn button(&mut self, gesture: Gesture, now: Now) -> bool {
        use Gesture as G;
        match gesture {
            G::HeldAtStart(button) | G::Stuck(button) => {
                self.button_notice = Some(ButtonNotice::Held(button));
                return true;
            }
            G::Freed(_) => {
                let was = self.button_notice.take();
                return was.is_some();
            }
            G::WipePrompt => {
                self.confirm_end = false;
                self.wipe_deadline = Some(now.mono + WIPE_COUNTDOWN);
                return true;
            }
            _ => {}
        }
        if self.wipe_prompt() {
            // Any press closes it; the end-case hold that came before it is forgotten too.
            return self.handle(Intent::CloseWipePrompt, now);
        }
        if self.confirm_end {
            let intent = match gesture {
                G::Next if self.end_by_buttons && self.current_case().is_some() => {
                    Intent::ConfirmEndCase
                }
                G::Next => Intent::ConfirmEndMeeting,
                G::TogglePause | G::Back => Intent::CancelEnd,
                _ => return false,
            };
            return self.handle(intent, now);
        }
        let meeting = matches!(
            self.page(),
            Page::Opening | Page::Running | Page::CaseQuestion
        );
        let intent = match (self.page(), gesture) {
            (Page::Home, G::Next | G::TogglePause) => Intent::Wake,
            (Page::Resume, G::Next) => Intent::ResumeMeeting,
            (Page::Settings, G::Next | G::TogglePause) => Intent::CloseSettings,
            (Page::Setup, G::Next) => Intent::StartMeeting,
            (Page::Setup, G::TogglePause) => Intent::CycleMethod { forward: true },
            (Page::Setup, G::Back) => Intent::CancelSetup,
            (Page::CaseQuestion, G::Next) => Intent::FinishCaseQuestion,
            (_, G::Next) if meeting => Intent::Meeting(Action::Next),
            (_, G::Back) if meeting => Intent::Meeting(Action::Back),
            (_, G::TogglePause) if meeting => Intent::Meeting(Action::TogglePause),
            (_, G::AddMinute) if meeting => Intent::Meeting(Action::AddMinute),
            (_, G::EndCasePrompt) if meeting => {
                let asked = self.handle(Intent::AskEnd, now);
                self.end_by_buttons = asked;
                return asked;
            }
            (Page::Summary, G::Next) => Intent::Finish,
            _ => return false,
        };
        self.handle(intent, now)
    }

    /// Sends the digits typed to the store for checking; the answer comes in `pin_answer`.
    pub fn submit_pin(&mut self) -> bool {
        let Some(entry) = self.pin.as_mut() else {
            return false;
        };
        if crate::store::pin::check_format(&entry.digits).is_err()
            || entry.status == PinStatus::Checking
        {
            return false;
        }
        let digits = std::mem::take(&mut entry.digits);
        entry.status = PinStatus::Checking;
        self.store_ops.push(Command::CheckPin(digits));
        true
    }

    fn go_to_setup(&mut self) {
        self.idle_page = Page::Setup;
        self.start_error = None;
    }

    fn start(&mut self, now: Now) -> bool {
        let plan = match self.setup.plan(&self.library, now.wall) {
            Ok(plan) => plan,
            Err(e) => {
                self.start_error = Some(e);
                return false;
            }
        };
        let cases = plan.cases();
        let mut engine = Engine::new(
            plan,
            Settings {
                rebudget: self.config.rebudget,
            },
        );
        match engine.apply(Action::Start, now) {
            Ok(events) => self.outbox.extend(events),
            Err(e) => unreachable!("a new engine always starts: {e}"),
        }
        self.session = Some(Session {
            engine,
            started_at: now.wall,
            questions: vec![String::new(); cases],
            asked: vec![false; cases],
            evaluation: None,
            summary: None,
        });
        self.start_error = None;
        true
    }

    fn resume_meeting(&mut self) -> bool {
        let Some(offer) = self.resume.take() else {
            return false;
        };
        let engine = match offer.engine {
            Ok(engine) => engine,
            Err(e) => {
                tracing::warn!("cannot resume: {e}");
                self.resume = Some(ResumeOffer {
                    record: offer.record,
                    engine: Err(e),
                });
                return false;
            }
        };
        tracing::info!("resumed the interrupted meeting, paused");
        self.session = Some(Session::from_record(engine, offer.record));
        self.dirty = true;
        true
    }

    fn end_interrupted(&mut self, now: Now) -> bool {
        let Some(offer) = self.resume.take() else {
            return false;
        };
        match offer.engine {
            Ok(engine) => {
                self.session = Some(Session::from_record(engine, offer.record));
                self.dirty = true;
                self.apply(Action::EndMeeting, now).is_ok()
            }
            Err(_) => {
                self.store_ops.push(Command::Abandon);
                self.stored = Stored::Nothing;
                true
            }
        }
    }

    fn apply(&mut self, action: Action, now: Now) -> Result<(), Rejected> {
        let session = self.session.as_mut().ok_or(Rejected::NotStarted)?;
        let events = session.engine.apply(action, now)?;
        self.outbox.extend(events);
        if session.engine.status() == MeetingStatus::Finished && session.summary.is_none() {
            session.summary = Some(Summary::of(&session.engine, now.mono));
        }
        Ok(())
    }
}

/// The record storage keeps of a session at `now`.
pub fn record_of(session: &Session, now: Now) -> SessionRecord {
    SessionRecord {
        started_at: session.started_at,
        snapshot: session.engine.snapshot(now.mono),
        questions: session.questions.clone(),
        asked: session.asked.clone(),
        evaluation: session.evaluation,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::clock::Instant;
    use chrono::NaiveDate;

    fn now() -> Now {
        Now::new(
            Instant(0),
            NaiveDate::from_ymd_opt(2026, 11, 23)
                .unwrap()
                .and_hms_opt(14, 0, 0)
                .unwrap(),
        )
    }

    fn kiosk() -> Kiosk {
        Kiosk::new(Library::built_in(), Config::default())
    }

    #[test]
    fn a_whole_meeting_from_home_to_home() {
        let mut k = kiosk();
        let t = now();
        assert_eq!(k.page(), Page::Home);
        assert!(k.key(KeyCommand::Other, t));
        assert_eq!(k.page(), Page::Setup);
        assert!(k.handle(Intent::ChooseMethod("vijf-stappen".into()), t));
        assert!(k.key(KeyCommand::Enter, t));
        assert_eq!(k.page(), Page::Opening);
        assert!(!k.take_events().is_empty());
        // Through the opening to the first case: the question page comes up.
        while k.page() == Page::Opening {
            assert!(k.key(KeyCommand::Next, t));
        }
        assert_eq!(k.page(), Page::CaseQuestion);
        assert_eq!(k.current_case(), Some(0));
        k.handle(Intent::SetCaseQuestion("  Hoe zeg ik nee?  ".into()), t);
        assert!(k.key(KeyCommand::Enter, t));
        assert_eq!(k.page(), Page::Running);
        assert_eq!(k.session().unwrap().questions[0], "Hoe zeg ik nee?");
        while k.page() == Page::Running {
            assert!(k.key(KeyCommand::Next, t));
        }
        assert_eq!(k.page(), Page::Summary);
        assert!(k.key(KeyCommand::Digit(4), t));
        assert_eq!(k.session().unwrap().evaluation, Some(4));
        assert!(k.session().unwrap().summary.is_some());
        assert!(k.key(KeyCommand::Enter, t));
        assert_eq!(k.page(), Page::Home);
        assert!(
            k.session().is_none(),
            "nothing from the meeting stays on view"
        );
    }

    #[test]
    fn escape_asks_before_ending() {
        let mut k = kiosk();
        let t = now();
        k.handle(Intent::Wake, t);
        k.handle(Intent::StartMeeting, t);
        assert!(k.key(KeyCommand::Escape, t));
        assert!(k.confirming_end());
        // Other keys do nothing while the question is up.
        assert!(!k.key(KeyCommand::Next, t));
        assert!(k.key(KeyCommand::Escape, t));
        assert!(!k.confirming_end());
        assert_eq!(k.page(), Page::Opening);
        k.key(KeyCommand::Escape, t);
        assert!(k.key(KeyCommand::Enter, t));
        assert_eq!(k.page(), Page::Summary);
    }

    #[test]
    fn ending_a_case_asks_the_next_case_question() {
        let mut k = kiosk();
        let t = now();
        k.handle(Intent::Wake, t);
        k.handle(Intent::ChooseMethod("vijf-stappen".into()), t);
        k.handle(Intent::SetCaseCount(2), t);
        k.handle(Intent::StartMeeting, t);
        while k.page() == Page::Opening {
            k.key(KeyCommand::Next, t);
        }
        k.handle(Intent::FinishCaseQuestion, t);
        k.handle(Intent::AskEnd, t);
        assert!(k.handle(Intent::ConfirmEndCase, t));
        assert_eq!(k.page(), Page::CaseQuestion);
        assert_eq!(k.current_case(), Some(1));
    }

    fn at(ms: i64) -> Now {
        Now::new(Instant(ms), now().wall + chrono::Duration::milliseconds(ms))
    }

    #[test]
    fn two_buttons_run_a_whole_meeting() {
        use Gesture as G;
        let mut k = kiosk();
        let t = now();
        assert!(k.button(G::Next, t));
        assert_eq!(k.page(), Page::Setup);
        assert!(k.button(G::TogglePause, t));
        assert_eq!(k.setup().cases, ["vijf-stappen"]);
        k.handle(Intent::SetCaseCount(2), t);
        assert!(k.button(G::Next, t));
        assert_eq!(k.page(), Page::Opening);
        while k.page() == Page::Opening {
            assert!(k.button(G::Next, t));
        }
        assert_eq!(k.page(), Page::CaseQuestion);
        assert!(k.button(G::Next, t), "next skips the question");
        assert_eq!(k.page(), Page::Running);
        let phase = |k: &Kiosk| {
            let e = &k.session().unwrap().engine;
            e.current()
        };
        let first = phase(&k);
        assert!(k.button(G::Next, at(1_000)));
        assert_ne!(phase(&k), first);
        assert!(k.button(G::Back, at(2_000)));
        assert_eq!(phase(&k), first);
        assert!(k.button(G::TogglePause, at(3_000)));
        assert!(
            k.session()
                .unwrap()
                .engine
                .view(at(4_000))
                .paused_for
                .is_some()
        );
        assert!(k.button(G::TogglePause, at(5_000)));
        let before = k.session().unwrap().engine.view(at(6_000)).remaining;
        assert!(k.button(G::AddMinute, at(6_000)));
        assert_eq!(
            k.session().unwrap().engine.view(at(6_000)).remaining,
            before + 60_000
        );
        // Both held: the end question; pause goes on, next ends the case.
        assert!(k.button(G::EndCasePrompt, at(7_000)));
        assert!(k.end_asked_by_buttons());
        assert!(k.button(G::TogglePause, at(7_500)));
        assert!(!k.confirming_end());
        assert_eq!(phase(&k), first, "cancelling changes nothing");
        assert!(k.button(G::EndCasePrompt, at(8_000)));
        assert!(k.button(G::Next, at(8_500)));
        assert_eq!(k.page(), Page::CaseQuestion);
        assert_eq!(k.current_case(), Some(1));
        while k.page() != Page::Summary {
            assert!(k.button(G::Next, at(9_000)));
        }
        assert!(k.button(G::Next, at(10_000)));
        assert_eq!(k.page(), Page::Home);
    }

    #[test]
    fn the_led_follows_the_meeting() {
        let mut k = kiosk();
        assert_eq!(k.led_pattern(at(0)), LedPattern::Off);
        k.handle(Intent::Wake, at(0));
        k.handle(Intent::StartMeeting, at(0));
        assert_eq!(k.led_pattern(at(1_000)), LedPattern::On);
        k.handle(Intent::Meeting(Action::TogglePause), at(2_000));
        assert_eq!(k.led_pattern(at(3_000)), LedPattern::SlowBlink);
        k.handle(Intent::Meeting(Action::TogglePause), at(4_000));
        // The welcome lasts minutes; an hour later it is long over time.
        assert_eq!(k.led_pattern(at(3_600_000)), LedPattern::FastBlink);
        k.handle(Intent::AskEnd, at(3_600_000));
        k.handle(Intent::ConfirmEndMeeting, at(3_600_000));
        assert_eq!(k.led_pattern(at(3_600_000)), LedPattern::Off);
    }

    #[test]
    fn the_wipe_prompt_closes_on_any_press() {
        use Gesture as G;
        let mut k = kiosk();
        let t = now();
        k.button(G::Next, t);
        k.button(G::Next, t);
        // The end question comes at 3 s of holding both, the wipe prompt at 10 s.
        k.button(G::EndCasePrompt, t);
        assert!(k.button(G::WipePrompt, t));
        assert!(k.wipe_prompt());
        assert!(
            !k.confirming_end(),
            "the wipe prompt replaces the end question"
        );
        assert!(k.button(G::TogglePause, t));
        assert!(!k.wipe_prompt());
        assert_eq!(k.page(), Page::Opening);
        assert!(
            k.session().unwrap().engine.view(t).paused_for.is_none(),
            "closing the prompt does not also pause"
        );
        k.button(G::WipePrompt, t);
        assert!(k.key(KeyCommand::Escape, t));
        assert!(!k.wipe_prompt());
    }

    #[test]
    fn a_held_button_is_shown_until_it_comes_up() {
        let mut k = kiosk();
        let t = now();
        assert!(k.button(Gesture::Stuck(Button::Next), t));
        assert_eq!(k.button_notice(), Some(&ButtonNotice::Held(Button::Next)));
        assert_eq!(k.page(), Page::Home, "a stuck button does nothing else");
        assert!(k.button(Gesture::Freed(Button::Next), t));
        assert_eq!(k.button_notice(), None);
    }

    #[test]
    fn the_end_question_from_the_screen_is_not_answered_by_next_ending_the_case() {
        let mut k = kiosk();
        let t = now();
        k.handle(Intent::Wake, t);
        k.handle(Intent::StartMeeting, t);
        k.handle(Intent::AskEnd, t);
        assert!(!k.end_asked_by_buttons());
        // Next on the buttons confirms what the screen asked: ending the meeting.
        assert!(k.button(Gesture::Next, t));
        assert_eq!(k.page(), Page::Summary);
    }

    #[test]
    fn keys_on_the_setup_page() {
        let mut k = kiosk();
        let t = now();
        k.handle(Intent::Wake, t);
        k.key(KeyCommand::Next, t);
        assert_eq!(k.setup().cases, ["vijf-stappen"]);
        k.key(KeyCommand::Up, t);
        assert_eq!(k.setup().members, 7);
        k.key(KeyCommand::More, t);
        assert_eq!(k.setup().minutes, 105);
        k.key(KeyCommand::Escape, t);
        assert_eq!(k.page(), Page::Home);
    }

    #[test]
    fn a_meeting_that_cannot_be_planned_says_why() {
        let mut k = kiosk();
        let t = now();
        k.handle(Intent::Wake, t);
        // An end time that has passed cannot be set from the screen, so force one.
        k.setup.length =
            super::super::setup::Length::EndAt(chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap());
        assert!(!k.handle(Intent::StartMeeting, t));
        assert!(matches!(
            k.start_error(),
            Some(PlanError::EndTimePassed { .. })
        ));
        assert_eq!(k.page(), Page::Setup);
    }

    #[test]
    fn settings_change_the_language() {
        let mut k = kiosk();
        let t = now();
        assert!(k.handle(Intent::OpenSettings, t));
        assert_eq!(k.page(), Page::Settings);
        k.key(KeyCommand::Next, t);
        assert_eq!(k.lang(), Lang::En);
        k.key(KeyCommand::Escape, t);
        assert_eq!(k.page(), Page::Home);
    }

    fn kinds(ops: &[Command]) -> Vec<&'static str> {
        ops.iter()
            .map(|op| match op {
                Command::Begin(..) => "begin",
                Command::Save(..) => "save",
                Command::Finish(..) => "finish",
                Command::Close => "close",
                Command::Abandon => "abandon",
                Command::Forget => "forget",
                Command::WipeAll => "wipe-all",
                Command::SetSetting(..) => "setting",
                Command::LoadHistory => "history",
                Command::CheckPin(_) => "pin",
                Command::Flush(_) => "flush",
                Command::LimitPages(_) => "limit",
            })
            .collect()
    }

    #[test]
    fn storage_follows_the_meeting_from_start_to_close() {
        let mut k = kiosk();
        assert!(
            k.take_storage(at(0), true).is_empty(),
            "nothing to keep yet"
        );
        k.handle(Intent::Wake, at(0));
        k.handle(Intent::StartMeeting, at(0));
        let ops = k.take_storage(at(0), false);
        assert_eq!(kinds(&ops), ["begin"]);
        let Command::Begin(record, events) = &ops[0] else {
            unreachable!()
        };
        assert!(!events.is_empty(), "the start's events go with it");
        assert_eq!(record.asked, [false]);
        assert!(k.take_storage(at(100), false).is_empty(), "nothing changed");
        assert_eq!(kinds(&k.take_storage(at(5_000), true)), ["save"]);
        k.key(KeyCommand::Next, at(6_000));
        let ops = k.take_storage(at(6_000), false);
        let [Command::Save(record, events)] = ops.as_slice() else {
            panic!("{:?}", kinds(&ops))
        };
        assert!(!events.is_empty());
        assert_eq!(record.snapshot.current, 1);
        k.handle(Intent::AskEnd, at(7_000));
        k.handle(Intent::ConfirmEndMeeting, at(7_000));
        let ops = k.take_storage(at(7_000), false);
        let [Command::Finish(ending, _)] = ops.as_slice() else {
            panic!("{:?}", kinds(&ops))
        };
        assert_eq!(ending.length, 7_000);
        assert_eq!(
            ending.phases.len(),
            k.session().unwrap().engine.plan().phases.len()
        );
        assert!(
            k.take_storage(at(8_000), true).is_empty(),
            "an ended meeting needs no saving"
        );
        k.key(KeyCommand::Digit(5), at(9_000));
        let ops = k.take_storage(at(9_000), false);
        let [Command::Save(record, _)] = ops.as_slice() else {
            panic!("{:?}", kinds(&ops))
        };
        assert_eq!(record.evaluation, Some(5));
        k.handle(Intent::Finish, at(10_000));
        assert_eq!(kinds(&k.take_storage(at(10_000), false)), ["close"]);
        assert!(k.take_storage(at(11_000), true).is_empty());
    }

    #[test]
    fn forgetting_asks_the_store_to_forget_instead_of_closing() {
        let mut k = kiosk();
        k.handle(Intent::Wake, at(0));
        k.handle(Intent::StartMeeting, at(0));
        k.handle(Intent::AskEnd, at(1_000));
        k.handle(Intent::ConfirmEndMeeting, at(1_000));
        k.take_storage(at(1_000), false);
        k.handle(Intent::Forget, at(2_000));
        assert_eq!(kinds(&k.take_storage(at(2_000), false)), ["forget"]);
        assert!(k.take_storage(at(3_000), false).is_empty());
    }

    /// A kiosk that ran a meeting to its third phase, paused-less, and the record kept of it.
    fn interrupted() -> RunningSession {
        let mut k = kiosk();
        k.handle(Intent::Wake, at(0));
        k.handle(Intent::StartMeeting, at(0));
        k.key(KeyCommand::Next, at(60_000));
        k.key(KeyCommand::Next, at(90_000));
        k.key(KeyCommand::More, at(95_000));
        RunningSession {
            id: 7,
            record: record_of(k.session().unwrap(), at(100_000)),
        }
    }

    #[test]
    fn an_interrupted_meeting_is_offered_and_resumes_paused_where_it_was() {
        let running = interrupted();
        let before = running.record.snapshot.clone();
        // After a reboot the monotonic clock starts again near zero.
        let mut k = kiosk();
        k.store_opened(Some(running), &[], &[], false, at(500));
        assert_eq!(k.page(), Page::Resume);
        assert!(
            k.take_storage(at(500), true).is_empty(),
            "nothing to save until it resumes"
        );
        assert!(k.key(KeyCommand::Enter, at(2_000)));
        assert_eq!(k.page(), Page::Opening);
        let engine = &k.session().unwrap().engine;
        assert_eq!(engine.current(), before.current);
        assert!(engine.is_paused());
        let view = engine.view(at(60_000));
        let expected = before.phases[2].total_budget() - before.phases[2].spent;
        assert_eq!(
            view.remaining, expected,
            "the clock stood still while it was off"
        );
        assert_eq!(
            kinds(&k.take_storage(at(2_000), false)),
            ["save"],
            "the same session goes on"
        );
    }

    #[test]
    fn ending_an_interrupted_meeting_shows_its_summary() {
        let mut k = kiosk();
        k.store_opened(Some(interrupted()), &[], &[], false, at(0));
        assert!(k.key(KeyCommand::Escape, at(1_000)));
        assert_eq!(k.page(), Page::Summary);
        assert_eq!(kinds(&k.take_storage(at(1_000), false)), ["finish"]);
    }

    #[test]
    fn the_wipe_countdown_wipes_unless_cancelled_or_the_buttons_are_still_held() {
        use Gesture as G;
        let mut k = kiosk();
        k.handle(Intent::Wake, at(0));
        k.handle(Intent::StartMeeting, at(0));
        k.take_storage(at(0), false);
        k.button(G::WipePrompt, at(1_000));
        assert_eq!(k.wipe_countdown(at(4_000)), Some(7_000));
        assert!(!k.tick(at(10_999), false));
        // Still held at the end: something leans on them; nobody is watching a countdown.
        assert!(k.tick(at(11_000), true));
        assert!(!k.wipe_prompt());
        assert!(k.session().is_some());
        k.button(G::WipePrompt, at(20_000));
        assert!(k.tick(at(30_000), false));
        assert!(k.session().is_none());
        assert_eq!(k.page(), Page::Home);
        assert_eq!(kinds(&k.take_storage(at(30_000), false)), ["wipe-all"]);
    }

    #[test]
    fn the_language_is_kept_as_a_setting_and_read_back() {
        let mut k = kiosk();
        k.handle(Intent::SetLanguage(Lang::En), at(0));
        let ops = k.take_storage(at(0), false);
        let [Command::SetSetting(name, value)] = ops.as_slice() else {
            panic!("{:?}", kinds(&ops))
        };
        assert_eq!((name.as_str(), value.as_str()), ("language", "en"));
        let mut fresh = kiosk();
        fresh.store_opened(None, &[("language".into(), "en".into())], &[], false, at(0));
        assert_eq!(fresh.lang(), Lang::En);
    }

    #[test]
    fn settings_and_history_ask_for_the_pin_when_one_is_set() {
        use crate::store::worker::PinAnswer;
        use std::time::Duration;
        let mut k = kiosk();
        k.store_opened(None, &[], &[], true, at(0));
        assert!(k.handle(Intent::OpenHistory, at(0)));
        assert_eq!(k.page(), Page::Pin);
        assert!(!k.key(KeyCommand::Enter, at(0)), "too short to check");
        for d in [4, 3, 2, 1] {
            k.key(KeyCommand::Digit(d), at(0));
        }
        assert!(k.key(KeyCommand::Enter, at(0)));
        let ops = k.take_storage(at(0), false);
        let [Command::CheckPin(pin)] = ops.as_slice() else {
            panic!("{:?}", kinds(&ops))
        };
        assert_eq!(pin, "4321");
        assert_eq!(k.pin_entry().unwrap().status, PinStatus::Checking);
        assert!(
            !k.handle(Intent::PinDigit(1), at(0)),
            "no typing while it is checked"
        );
        k.pin_answer(PinAnswer::Wrong {
            wait: Duration::from_secs(30),
        });
        assert_eq!(
            k.pin_entry().unwrap().status,
            PinStatus::Wrong { wait_s: 30 }
        );
        assert_eq!(k.page(), Page::Pin);
        for d in [1, 2, 3, 4] {
            k.key(KeyCommand::Digit(d), at(0));
        }
        k.key(KeyCommand::Enter, at(0));
        k.take_storage(at(0), false);
        k.pin_answer(PinAnswer::Right);
        assert_eq!(k.page(), Page::History);
        assert_eq!(kinds(&k.take_storage(at(0), false)), ["history"]);
        assert!(k.history().is_none(), "loading");
        k.set_history(History::default());
        assert!(k.history().is_some());
        // Back home locks it again.
        k.key(KeyCommand::Escape, at(0));
        assert!(k.handle(Intent::OpenSettings, at(0)));
        assert_eq!(k.page(), Page::Pin);
        k.key(KeyCommand::Escape, at(0));
        assert_eq!(k.page(), Page::Home);
    }

    #[test]
    fn settings_are_kept_and_read_back() {
        let mut k = kiosk();
        k.handle(Intent::OpenSettings, at(0));
        assert_eq!(
            k.page(),
            Page::Settings,
            "no PIN set: settings open at once"
        );
        k.handle(Intent::ChangeDefaultMembers(2), at(0));
        k.handle(Intent::ChangeDefaultLength(-2), at(0));
        k.handle(Intent::SetLed(false), at(0));
        k.handle(Intent::SetBuzzer(true), at(0));
        k.handle(Intent::SetRetention(7), at(0));
        let settings: Vec<(String, String)> = k
            .take_storage(at(0), false)
            .into_iter()
            .filter_map(|op| match op {
                Command::SetSetting(name, value) => Some((name, value)),
                _ => None,
            })
            .collect();
        assert_eq!(settings.len(), 5);
        let mut fresh = kiosk();
        fresh.store_opened(None, &settings, &[], false, at(0));
        assert_eq!(fresh.config().default_members, 8);
        assert_eq!(fresh.config().default_minutes, 60);
        assert_eq!(fresh.setup().members, 8);
        assert!(!fresh.led_on());
        assert!(fresh.buzzer_on());
        assert_eq!(fresh.config().retention_days, 7);
        // The LED stays dark during a meeting when it is switched off.
        fresh.handle(Intent::Wake, at(0));
        fresh.handle(Intent::StartMeeting, at(0));
        assert_eq!(fresh.led_pattern(at(1_000)), LedPattern::Off);
    }

    #[test]
    fn wiping_everything_from_the_settings_asks_first() {
        let mut k = kiosk();
        k.handle(Intent::OpenSettings, at(0));
        k.handle(Intent::AskWipeAll, at(0));
        assert!(k.confirming_wipe());
        k.key(KeyCommand::Escape, at(0));
        assert!(!k.confirming_wipe());
        assert!(k.take_storage(at(0), false).is_empty());
        k.handle(Intent::AskWipeAll, at(0));
        k.handle(Intent::WipeAll, at(0));
        assert_eq!(k.page(), Page::Home);
        assert_eq!(kinds(&k.take_storage(at(0), false)), ["wipe-all"]);
    }

    #[test]
    fn the_case_question_is_kept_short() {
        let mut k = kiosk();
        let t = now();
        k.handle(Intent::Wake, t);
        k.handle(Intent::StartMeeting, t);
        while k.page() == Page::Opening {
            k.key(KeyCommand::Next, t);
        }
        k.handle(Intent::SetCaseQuestion("x".repeat(1000)), t);
        assert_eq!(k.session().unwrap().questions[0].len(), MAX_QUESTION_CHARS);
    }
}
