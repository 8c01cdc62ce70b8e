//! The kiosk's flow: which page is up, what each intent does there, and the meeting it runs.
//! Time comes in with every call; nothing here reads a clock or touches the screen. The parts
//! it owns live beside it and never reach back: pages and intents, the key and button
//! bindings, the PIN gate, the settings' names, persistence, the session and the notices.

mod bindings;
mod end_question;
mod history;
mod idle;
mod led;
mod notices;
mod persistence;
mod pin_gate;
mod session;
mod settings;
mod wipe_prompt;

pub use super::page::{Intent, Page};
pub use history::History;
pub use notices::{ButtonNotice, NEWS_LASTS, StoreNotice};
pub use persistence::{SAVE_EVERY, SaveClock};
pub use pin_gate::{PinEntry, PinStatus};
pub use session::{MAX_QUESTION_CHARS, QuestionAsk, ResumeOffer, Session, record_of};
pub use settings::RETENTION_CHOICES;
pub use wipe_prompt::WIPE_COUNTDOWN;

use super::setup::Setup;
use crate::config::Config;
use crate::domain::engine::{Action, Rejected, Settings};
use crate::domain::event::Event;
use crate::domain::library::Library;
use crate::domain::method::Ms;
use crate::domain::plan::PlanError;
use crate::domain::text::Lang;
use crate::domain::time::Now;
use crate::input::gestures::Gesture;
use crate::input::keys::KeyCommand;
use crate::input::outputs::LedPattern;
use crate::store::worker::{Command, PinAnswer, Report};
use crate::store::{Notice, RunningSession};
use bindings::{ButtonMeaning, Situation};
use end_question::EndQuestion;
use idle::Idle;
use notices::StoreNotices;
use persistence::Persistence;
use settings::{Choice, Preferences};
use wipe_prompt::WipePrompt;

pub struct Kiosk {
    library: Library,
    config: Config,
    preferences: Preferences,
    /// The pages when no meeting runs.
    idle: Idle,
    setup: Setup,
    session: Option<Session>,
    end: EndQuestion,
    wipe_prompt: WipePrompt,
    /// Something wrong with the push buttons, to show until it is resolved.
    button_notice: Option<ButtonNotice>,
    /// Why starting failed, shown on the set-up page.
    start_error: Option<PlanError>,
    persistence: Persistence,
    resume: Option<ResumeOffer>,
    store_notice: StoreNotices,
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
            preferences: Preferences {
                lang: config.language,
                led: true,
                buzzer,
            },
            library,
            config,
            idle: Idle::default(),
            setup,
            session: None,
            end: EndQuestion::default(),
            wipe_prompt: WipePrompt::default(),
            button_notice: None,
            start_error: None,
            persistence: Persistence::default(),
            resume: None,
            store_notice: StoreNotices::default(),
        }
    }

    pub fn library(&self) -> &Library {
        &self.library
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn lang(&self) -> Lang {
        self.preferences.lang
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
        self.end.is_asked()
    }

    /// What the status LED should show now.
    pub fn led_pattern(&self, now: Now) -> LedPattern {
        let timer = self.session.as_ref().map(|s| s.engine.view(now).state);
        led::pattern(self.preferences.led, self.page(), timer)
    }

    pub fn buzzer_on(&self) -> bool {
        self.preferences.buzzer
    }

    pub fn led_on(&self) -> bool {
        self.preferences.led
    }

    pub fn pin_entry(&self) -> Option<&PinEntry> {
        self.idle.pin.entry()
    }

    pub fn history(&self) -> Option<&History> {
        self.idle.history.loaded()
    }

    pub fn history_selected(&self) -> usize {
        self.idle.history.selected()
    }

    pub fn confirming_wipe(&self) -> bool {
        self.idle.confirming_wipe
    }

    /// The store's history arrived.
    pub fn set_history(&mut self, history: History) {
        self.idle.history.arrived(history);
    }

    /// The store's answer to the PIN typed.
    pub fn pin_answer(&mut self, answer: PinAnswer, now: Now) {
        if let Some(command) = self.idle.pin_answer(answer, now.mono) {
            self.persistence.send(command);
        }
    }

    /// Opens settings or history, asking for the PIN first when IT set one.
    fn open(&mut self, page: Page) {
        if let Some(command) = self.idle.open(page) {
            self.persistence.send(command);
        }
    }

    /// A running countdown (or a wipe counting down) keeps the screen lit however quiet the
    /// room is: the group reads it from across the room without touching anything.
    pub fn keeps_screen_lit(&self) -> bool {
        self.wipe_prompt.is_up() || self.session.as_ref().is_some_and(Session::counting_down)
    }

    /// Whether the end question was asked by holding both buttons.
    pub fn end_asked_by_buttons(&self) -> bool {
        self.end.by_buttons()
    }

    pub fn wipe_prompt(&self) -> bool {
        self.wipe_prompt.is_up()
    }

    /// Milliseconds until the wipe, while the wipe prompt is up.
    pub fn wipe_countdown(&self, now: Now) -> Option<Ms> {
        self.wipe_prompt.remaining(now.mono)
    }

    /// Carries out what is due at `now`: the end of a PIN's wait, and the wipe when its
    /// countdown ran out. `buttons_down`
    /// says whether a push button is still held: then something leans on them, and nobody
    /// asked, so the wipe is called off.
    pub fn tick(&mut self, now: Now, buttons_down: bool) -> bool {
        let changed = self.idle.pin.tick(now.mono) | self.store_notice.tick(now.mono);
        if !self.wipe_prompt.ran_out(now.mono) {
            return changed;
        }
        if buttons_down {
            tracing::warn!("wipe called off: the buttons were still held at the end");
        } else {
            self.wipe_all();
        }
        true
    }

    /// Wipes every session (the meeting on screen too).
    pub fn wipe_all(&mut self) {
        self.session = None;
        self.resume = None;
        self.end.close();
        self.persistence.wipe_all();
        self.idle.show(Page::Home);
    }

    pub fn resume_offer(&self) -> Option<&ResumeOffer> {
        self.resume.as_ref()
    }

    pub fn store_notice(&self) -> Option<&StoreNotice> {
        self.store_notice.get()
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
        self.idle.pin.set_by_it(pin_set);
        self.apply_settings(settings);
        self.store_notice.opened(notices, now.mono);
        if let Some(running) = running {
            if self.session.is_some() {
                // A meeting started before the store answered: it wins, the old one ends.
                self.persistence.send(Command::Abandon);
                return;
            }
            self.resume = Some(ResumeOffer::of(&self.library, running.record, now));
            self.persistence.holds_running();
        }
    }

    /// What the store reported, as the room sees it.
    pub fn store_report(&mut self, report: Report, now: Now) {
        match report {
            Report::Opened {
                running,
                settings,
                notices,
                pin_set,
            } => self.store_opened(running.map(|r| *r), &settings, &notices, pin_set, now),
            Report::History { sessions, overruns } => {
                self.set_history(History { sessions, overruns })
            }
            Report::Pin(answer) => self.pin_answer(answer, now),
            other => self.store_notice.after_report(&other, now.mono),
        }
    }

    /// Settings chosen on the screen earlier, kept by the store.
    fn apply_settings(&mut self, settings: &[(String, String)]) {
        for (name, value) in settings {
            match Choice::read(name, value) {
                Some(choice) => self.choose(choice),
                None => tracing::debug!("setting `{name}` = `{value}` is not used here"),
            }
        }
    }

    fn choose(&mut self, choice: Choice) {
        choice.apply(&mut self.preferences, &mut self.config, &mut self.setup);
    }

    /// A setting changed on the screen: in use at once, and kept.
    fn choose_and_keep(&mut self, choice: Choice) {
        self.choose(choice);
        self.persistence.send(Command::SetSetting(
            choice.name().to_string(),
            choice.value(),
        ));
    }

    /// What storage must do now: start, save or finish the session, and any wipe or setting
    /// asked for; a counting clock is saved as `clock` says, so elapsed time survives a power
    /// cut.
    pub fn take_storage(&mut self, now: Now, clock: SaveClock) -> Vec<Command> {
        self.persistence
            .take(self.session.as_ref(), self.resume.is_some(), now, clock)
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
        self.persistence.take_events()
    }

    pub fn page(&self) -> Page {
        if let Some(session) = &self.session {
            return super::page::of_meeting(&session.engine, session.question_due().is_some());
        }
        if self.resume.is_some() {
            Page::Resume
        } else {
            self.idle.page()
        }
    }

    /// The case whose question is shown or asked now, if any.
    pub fn current_case(&self) -> Option<usize> {
        self.session.as_ref()?.current_case()
    }

    /// Handles one intent at `now`. Returns whether anything changed.
    pub fn handle(&mut self, intent: Intent, now: Now) -> bool {
        let changed = self.handle_intent(intent, now);
        if changed && self.session.is_some() {
            self.persistence.changed();
        }
        changed
    }

    fn handle_intent(&mut self, intent: Intent, now: Now) -> bool {
        let page = self.page();
        let in_meeting = matches!(page, Page::Opening | Page::Running | Page::CaseQuestion);
        match intent {
            Intent::Wake if page == Page::Home => self.go_to_setup(),
            Intent::OpenSettings if page == Page::Home => self.open(Page::Settings),
            Intent::OpenHistory if page == Page::Home => self.open(Page::History),
            Intent::CloseSettings if page == Page::Settings => self.idle.go_home(),
            Intent::CloseHistory if page == Page::History => self.idle.go_home(),
            Intent::SelectHistory(i) if page == Page::History => {
                return self.idle.history.select(i);
            }
            Intent::PinDigit(d) if page == Page::Pin && d <= 9 => return self.idle.pin.digit(d),
            Intent::PinBackspace if page == Page::Pin => self.idle.pin.backspace(),
            Intent::PinCancel if page == Page::Pin => self.idle.pin.cancel(),
            Intent::PinSubmit if page == Page::Pin => return self.submit_pin(),
            Intent::ChangeDefaultMembers(d) if page == Page::Settings => {
                let m = settings::members_stepped(self.config.default_members, d);
                if m == self.config.default_members {
                    return false;
                }
                self.choose_and_keep(Choice::DefaultMembers(m));
            }
            Intent::ChangeDefaultLength(steps) if page == Page::Settings => {
                let m = settings::minutes_stepped(self.config.default_minutes, steps);
                if m == self.config.default_minutes {
                    return false;
                }
                self.choose_and_keep(Choice::DefaultMinutes(m));
            }
            Intent::SetLed(on) if page == Page::Settings => self.choose_and_keep(Choice::Led(on)),
            Intent::SetBuzzer(on) if page == Page::Settings => {
                self.choose_and_keep(Choice::Buzzer(on))
            }
            Intent::SetRetention(days) if page == Page::Settings => {
                self.choose_and_keep(Choice::RetentionDays(days))
            }
            Intent::AskWipeAll if page == Page::Settings => self.idle.confirming_wipe = true,
            Intent::CancelWipeAll if self.idle.confirming_wipe => self.idle.confirming_wipe = false,
            Intent::SetLanguage(lang) => self.choose_and_keep(Choice::Language(lang)),
            Intent::ResumeMeeting if page == Page::Resume => return self.resume_meeting(),
            Intent::EndInterrupted if page == Page::Resume => return self.end_interrupted(now),
            Intent::DismissStoreNotice => return self.store_notice.dismiss(),
            Intent::WipeAll => {
                self.wipe_all();
                self.idle.go_home();
            }
            intent @ (Intent::ChooseMethod(_)
            | Intent::CycleMethod { .. }
            | Intent::SetCaseCount(_)
            | Intent::SelectCaseSlot(_)
            | Intent::ChangeMembers(_)
            | Intent::ChangeLength(_)
            | Intent::UseEndTime(_))
                if page == Page::Setup =>
            {
                let changed = self.setup.handle(&intent, &self.library, now.wall);
                if changed && matches!(intent, Intent::ChooseMethod(_) | Intent::CycleMethod { .. })
                {
                    self.start_error = None;
                }
                return changed;
            }
            Intent::StartMeeting if page == Page::Setup => return self.start(now),
            Intent::CancelSetup if page == Page::Setup => self.idle.show(Page::Home),
            // The question page holds the clock: a clicker's next keeps the question, back
            // goes back; nothing else moves the meeting from there.
            Intent::Meeting(Action::Next) if page == Page::CaseQuestion => {
                return self.handle_intent(Intent::FinishCaseQuestion, now);
            }
            Intent::Meeting(action)
                if in_meeting
                    && !self.end.is_asked()
                    && (page != Page::CaseQuestion || action == Action::Back) =>
            {
                return self.apply(action, now).is_ok();
            }
            Intent::AskEnd if in_meeting => self.end.ask(false),
            Intent::CancelEnd if self.end.is_asked() => self.end.close(),
            Intent::CloseWipePrompt if self.wipe_prompt.is_up() => self.wipe_prompt.close(),
            ending @ (Intent::ConfirmEndMeeting | Intent::ConfirmEndCase)
                if self.end.is_asked() =>
            {
                self.end.close();
                let case_only = ending == Intent::ConfirmEndCase;
                let action = if case_only {
                    Action::EndCase
                } else {
                    Action::EndMeeting
                };
                return self.apply(action, now).is_ok();
            }
            Intent::SetCaseQuestion(text) => {
                return self
                    .session
                    .as_mut()
                    .is_some_and(|s| s.type_question(&text));
            }
            done @ (Intent::FinishCaseQuestion | Intent::SkipCaseQuestion)
                if page == Page::CaseQuestion =>
            {
                let session = self
                    .session
                    .as_mut()
                    .expect("the question page has a session");
                let events = session.finish_question(done == Intent::SkipCaseQuestion, now);
                self.persistence.events(events);
            }
            Intent::Evaluate(score) if page == Page::Summary && (1..=5).contains(&score) => {
                self.session
                    .as_mut()
                    .expect("summary has a session")
                    .evaluation = Some(score)
            }
            Intent::Finish if page == Page::Summary => {
                self.session = None;
                self.idle.show(Page::Home);
            }
            Intent::Forget if page == Page::Summary => {
                self.session = None;
                self.idle.show(Page::Home);
                self.persistence.forget();
            }
            _ => return false,
        }
        true
    }

    fn situation(&self) -> Situation {
        Situation {
            page: self.page(),
            wipe_prompt: self.wipe_prompt(),
            confirming_wipe: self.idle.confirming_wipe,
            confirming_end: self.end.is_asked(),
            end_by_buttons: self.end.by_buttons(),
            in_case: self.current_case().is_some(),
            history_selected: self.idle.history.selected(),
            lang: self.preferences.lang,
        }
    }

    /// What a key means on the current page.
    pub fn key(&mut self, key: KeyCommand, now: Now) -> bool {
        match bindings::key_intent(&self.situation(), key) {
            Some(intent) => self.handle(intent, now),
            None => false,
        }
    }

    /// What a push-button gesture means on the current page.
    pub fn button(&mut self, gesture: Gesture, now: Now) -> bool {
        match bindings::button_meaning(&self.situation(), gesture) {
            None => false,
            Some(ButtonMeaning::Intent(intent)) => self.handle(intent, now),
            Some(ButtonMeaning::Held(button)) => {
                self.button_notice = Some(ButtonNotice::Held(button));
                true
            }
            Some(ButtonMeaning::Freed) => self.button_notice.take().is_some(),
            Some(ButtonMeaning::WipePrompt) => {
                self.end.close();
                self.wipe_prompt.open(now.mono);
                true
            }
            Some(ButtonMeaning::AskEndByButtons) => {
                let asked = self.handle(Intent::AskEnd, now);
                if asked {
                    self.end.ask(true);
                }
                asked
            }
        }
    }

    /// Sends the digits typed to the store for checking; the answer comes in `pin_answer`.
    pub fn submit_pin(&mut self) -> bool {
        let Some(digits) = self.idle.pin.submit() else {
            return false;
        };
        self.persistence.send(Command::CheckPin(digits));
        true
    }

    fn go_to_setup(&mut self) {
        self.idle.show(Page::Setup);
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
        let settings = Settings {
            rebudget: self.config.rebudget,
        };
        let (session, events) = Session::start(plan, settings, now);
        self.persistence.events(events);
        self.session = Some(session);
        self.start_error = None;
        true
    }

    fn resume_meeting(&mut self) -> bool {
        let Some(offer) = self.resume.take() else {
            return false;
        };
        match offer.take_up() {
            Ok(session) => {
                tracing::info!("resumed the interrupted meeting, paused");
                self.session = Some(session);
                self.persistence.changed();
                true
            }
            Err(offer) => {
                if let Err(e) = &offer.engine {
                    tracing::warn!("cannot resume: {e}");
                }
                self.resume = Some(*offer);
                false
            }
        }
    }

    fn end_interrupted(&mut self, now: Now) -> bool {
        let Some(offer) = self.resume.take() else {
            return false;
        };
        match offer.take_up() {
            Ok(session) => {
                self.session = Some(session);
                self.persistence.changed();
                self.apply(Action::EndMeeting, now).is_ok()
            }
            Err(_) => {
                self.persistence.abandon();
                true
            }
        }
    }

    fn apply(&mut self, action: Action, now: Now) -> Result<(), Rejected> {
        let session = self.session.as_mut().ok_or(Rejected::NotStarted)?;
        let events = session.apply(action, now)?;
        self.persistence.events(events);
        Ok(())
    }
}

#[cfg(test)]
mod tests;
